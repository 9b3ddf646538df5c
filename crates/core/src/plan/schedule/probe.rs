//! The schedule probe of `silo doctor --schedule-probe`: a one-time schedule two minutes out
//! that re-applies the task definition the tenant's service runs (UpdateService with what it
//! already has changes nothing), so an organization learns whether Scheduler can assume the
//! tenant's scheduler role and call ECS before a customer's update depends on it. No retry
//! (one attempt says it), deleted after its run like every silo schedule.

use super::change::{RetryPolicy, ScheduleChange, ScheduleSpec};
use super::{client_token, plan};
use crate::deploy::DeployStatus;
use crate::model::Tenant;
use crate::plan::action::{ActionPlan, PlanError};
use crate::terms::schedule::{self, GROUP};
use chrono::{DateTime, Duration, DurationRound, Utc};

/// How far ahead the probe runs: Scheduler takes a one-time schedule for a time ahead, and two
/// minutes leaves the create's answer time to arrive.
pub const LEAD: Duration = Duration::minutes(2);
/// Its retry policy: no retry, and Scheduler's least event age (60 s to 86,400 s, API model).
pub const RETRY: RetryPolicy = RetryPolicy { max_event_age_secs: 60, max_attempts: 0 };
/// Probe schedules are named apart from updates, and still listed with them (prefix `silo-`).
pub const NAME_PREFIX: &str = "silo-probe-";

/// The probe for `tenant`, whose deployments `status` were just read; `role` is
/// `[tenants] scheduler_role`.
pub fn plan_probe(
    tenant: &Tenant,
    status: &DeployStatus,
    role: &str,
    now: DateTime<Utc>,
) -> Result<ActionPlan, PlanError> {
    if status.task_definition.is_empty() {
        return Err(PlanError::Invalid(format!("{} runs no task definition to re-apply", tenant.name)));
    }
    let at = (now + LEAD).duration_trunc(Duration::minutes(1)).unwrap_or(now + LEAD) + Duration::minutes(1);
    let task_definition = status.task_definition.rsplit('/').next().unwrap_or(&status.task_definition).to_string();
    let mut spec = ScheduleSpec {
        name: format!("{NAME_PREFIX}{}-{}", tenant.account_id, at.format("%Y%m%dT%H%M%S")),
        group: GROUP.into(),
        expression: format!("at({})", at.format("%Y-%m-%dT%H:%M:%S")),
        zone: "UTC".into(),
        target_arn: schedule::target_arn(&tenant.region),
        role_arn: crate::arn::role_arn(&tenant.account_id, role, &tenant.region),
        input: schedule::update_service_input(&status.cluster, &status.service, &task_definition),
        retry: RETRY,
        client_token: String::new(),
    };
    spec.client_token = client_token(&spec, now);
    let detail = vec![
        format!("schedule:   {} in group {GROUP}, at {} UTC", spec.name, at.format("%Y-%m-%d %H:%M:%S")),
        format!(
            "target:     ECS UpdateService {}/{} to {task_definition}, the revision it runs: nothing changes",
            status.cluster, status.service
        ),
        format!("role:       {} (Scheduler assumes it)", spec.role_arn),
        "retries:    none; deleted after its run".into(),
    ];
    let parameters = spec.parameters();
    let mut plan = plan(tenant, ScheduleChange::Create(spec), "scheduler:CreateSchedule", parameters, detail);
    plan.summary = format!("probe: re-apply {task_definition} at {} UTC", at.format("%H:%M:%S"));
    Ok(plan)
}

/// Whether a schedule is a probe (not an update the customer waits for).
pub fn is_probe(name: &str) -> bool {
    name.starts_with(NAME_PREFIX)
}
