//! `silo doctor --schedule-probe TENANT`: a schedule two minutes out that re-applies the task
//! definition the tenant runs (silo_core::plan::schedule::probe), created like every schedule
//! (the plan printed, the tenant's name typed, the operator role, the journal); then silo waits
//! for Scheduler to run it and says whether Scheduler assumed the scheduler role and the call
//! succeeded, from the schedule's deletion and the group's `AWS/Scheduler` counts.

use super::schedule::Scheduling;
use crate::cli::PlanArgs;
use anyhow::Result;
use chrono::{DateTime, Utc};
use silo_aws::doctor::{Check, Status};
use silo_core::model::{AwsService, Tenant};
use silo_core::plan::schedule::probe;
use silo_core::plan::StepOutcome;
use silo_core::schedule_outcome::SchedulerErrors;
use std::time::Duration;

/// How often the schedule and the metrics are looked at while waiting.
const POLL: Duration = Duration::from_secs(5);
/// How long after its time the probe may still be listed (Scheduler runs a one-time schedule
/// within a minute of it, and deletes it after its one attempt).
const RUN_GRACE: chrono::Duration = chrono::Duration::minutes(5);
/// How long CloudWatch may take to show Scheduler's counts after the run.
const METRICS_GRACE: Duration = Duration::from_secs(5 * 60);

pub async fn run(ctx: &Scheduling<'_>, tenant_name: &str, confirm: &PlanArgs) -> Result<Vec<Check>> {
    let tenants = ctx.tenants().await?;
    let tenant = crate::headless::find_in(&tenants, tenant_name)?.clone();
    let work = ctx.source.clone().deploy_status(tenant.clone());
    let status = ctx.limiter.run(AwsService::Ecs, &tenant.account_id, 8, work).await;
    let status = status.map_err(|e| anyhow::anyhow!("{}: deployments not read: {e}", tenant.name))?;
    let now = Utc::now();
    let plan = probe::plan_probe(&tenant, &status, &ctx.role, now)
        .map_err(|e| anyhow::anyhow!("{e}; nothing was changed"))?
        .read_at(now);
    let (name, at) = match &plan.kind {
        silo_core::plan::ActionKind::Schedule(change) => (change.schedule().0.to_string(), scheduled_at(&plan)),
        _ => anyhow::bail!("a probe plan is a schedule"),
    };
    // The plan and the progress go to stderr: stdout holds the verdict (JSON with --format json).
    say!("{}\n", plan.describe().join("\n"));
    if confirm.dry_run {
        ctx.actions.dry_run(&plan).await?;
        say!("dry run: nothing was changed");
        return Ok(Vec::new());
    }
    let expected = plan.confirmation(&silo_core::tenant_lookup::SharedNames::among(&tenants));
    let ran = super::confirm::dry_run_or_run(ctx.actions, vec![plan], confirm, &expected, |_, _, _| {}).await?;
    for step in ran.unwrap_or_default() {
        match step.outcome {
            StepOutcome::Done(ids) => say!("{}: {} done (request {ids})", step.tenant, step.api),
            StepOutcome::Failed(e) => anyhow::bail!("{}: the probe schedule was not created: {e}", step.tenant),
            StepOutcome::NotAttempted | StepOutcome::Aborted => {
                anyhow::bail!("{}: the probe schedule was not created (silo was asked to stop)", step.tenant)
            }
        }
    }
    say!(
        "waiting for Scheduler to run {name} at {} (about {} minutes)…",
        at.to_rfc3339(),
        (at - Utc::now()).num_minutes() + 1
    );
    Ok(vec![wait(ctx, &tenant, &name, at, now).await])
}

/// The instant of the plan's one-time expression (UTC).
fn scheduled_at(plan: &silo_core::plan::ActionPlan) -> DateTime<Utc> {
    let expression = plan.parameters["ScheduleExpression"].as_str().unwrap_or_default();
    silo_core::terms::schedule::parse_at(expression, "UTC").unwrap_or_else(|_| Utc::now())
}

/// Waits for the probe to leave the listing, then for the group's counts; the verdict.
async fn wait(ctx: &Scheduling<'_>, tenant: &Tenant, name: &str, at: DateTime<Utc>, made: DateTime<Utc>) -> Check {
    let deadline = at + chrono::Duration::seconds(i64::from(probe::RETRY.max_event_age_secs)) + RUN_GRACE;
    loop {
        match ctx.scheduled(tenant.clone()).await {
            Ok(listed) if !listed.iter().any(|u| u.name == name) => break,
            Ok(_) if Utc::now() > deadline => {
                let why = format!("{name} is still there at {}: Scheduler did not run it", Utc::now().to_rfc3339());
                let fix = "look at the schedule in the EventBridge Scheduler console (state, time zone), and at the group's metrics";
                return verdict(tenant, Status::Fail, why, Some(fix.into()));
            }
            Ok(_) => {}
            Err(e) => return verdict(tenant, Status::Fail, format!("the schedules could not be read: {e}"), None),
        }
        tokio::time::sleep(POLL).await;
    }
    counts(ctx, tenant, name, made).await
}

/// The schedule is gone: Scheduler ran it (or someone deleted it). Its counts say which, and how
/// it went; CloudWatch may take a few minutes to show them.
async fn counts(ctx: &Scheduling<'_>, tenant: &Tenant, name: &str, made: DateTime<Utc>) -> Check {
    let until = tokio::time::Instant::now() + METRICS_GRACE;
    loop {
        let work = ctx.source.clone().scheduler_errors(tenant.clone(), made);
        let read = ctx.limiter.run(AwsService::Cloudwatch, &tenant.account_id, 2, work).await;
        match read {
            Ok(c) if c.target_errors > 0 || c.dropped > 0 => return failed(tenant, name, c),
            Ok(c) if c.attempts > 0 => {
                let said =
                    format!("Scheduler ran {name}, assumed {} and called ECS UpdateService: it answered", ctx.role);
                return verdict(tenant, Status::Ok, said, None);
            }
            Ok(_) if tokio::time::Instant::now() >= until => {
                let why = format!(
                    "{name} is gone but Scheduler's metrics show no attempt after {} minutes (deleted by someone?)",
                    METRICS_GRACE.as_secs() / 60
                );
                return verdict(tenant, Status::Warn, why, None);
            }
            Ok(_) => {}
            Err(e) => {
                return verdict(
                    tenant,
                    Status::Warn,
                    format!("{name} ran, but its counts could not be read: {e}"),
                    None,
                )
            }
        }
        tokio::time::sleep(POLL).await;
    }
}

fn failed(tenant: &Tenant, name: &str, c: SchedulerErrors) -> Check {
    let why = format!(
        "Scheduler ran {name} and its call failed: {} target error(s), {} dropped (AWS/Scheduler, group silo-rollouts)",
        c.target_errors, c.dropped
    );
    let fix = "check the scheduler role's trust (docs/iam/silo-scheduler-trust.json: scheduler.amazonaws.com, this account, schedule-group/silo-rollouts) and its policy (docs/iam/silo-scheduler.json: ecs:UpdateService, iam:PassRole to ecs-tasks.amazonaws.com)";
    verdict(tenant, Status::Fail, why, Some(fix.into()))
}

fn verdict(tenant: &Tenant, status: Status, detail: String, fix: Option<String>) -> Check {
    Check {
        check: "schedule probe".into(),
        tenant: Some(tenant.name.clone()),
        account_id: Some(tenant.account_id.clone()),
        status,
        detail,
        fix,
        essential: status == Status::Fail,
    }
}
