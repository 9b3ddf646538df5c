//! Scheduled rollouts as exact API calls: a one-time EventBridge Scheduler schedule in the tenant's
//! account whose universal target calls ECS UpdateService at the time the customer agreed, and its
//! cancellation. Every refusal says why; nothing here calls AWS.

use super::terms::{broken, require, term_problem, Overrides};
pub mod change;

use super::action::{ActionKind, ActionPlan, PlanError, Target, Term};
use crate::deploy::{DeployStatus, Revision};
use crate::model::Tenant;
use crate::releases::scans::Scans;
use crate::terms::certified::version_of;
use crate::terms::schedule::{self, ScheduledUpdate, GROUP};
use crate::terms::{standing, window, Standing};
pub use change::{RetryPolicy, ScheduleChange, ScheduleSpec, SeenSchedule, RETRY_AGE_OUTSIDE_WINDOW_SECS};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// When the update runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    At(DateTime<Utc>),
    /// The start of the tenant's next maintenance window.
    NextWindow,
}

/// What a schedule is planned from: the tenant, its deployments (service and the family's
/// revisions), the schedules it has, and the user's choices.
pub struct Request<'a> {
    pub tenant: &'a Tenant,
    pub status: &'a DeployStatus,
    pub existing: &'a [ScheduledUpdate],
    pub to_revision: u32,
    pub when: When,
    pub overrides: &'a Overrides,
    /// `[tenants] scheduler_role`: the role (in the tenant account) Scheduler calls ECS with.
    pub role: &'a str,
    pub now: DateTime<Utc>,
    /// What the registry says of the versions' images (`[releases]`).
    pub scans: Scans<'a>,
}

/// A schedule that moves the tenant to `to_revision` at the chosen time, or why not.
pub fn create(req: &Request) -> Result<ActionPlan, PlanError> {
    let name = &req.tenant.name;
    let revision = target(req.status, req.to_revision)?;
    let s = standing(req.tenant);
    let at = instant(&s, req.when, name, req.now)?;
    refuse_past_or_taken(req, at)?;
    let version = version_of(&revision.image);
    let mut found: Vec<(Term, String)> =
        broken(&s, at, version.as_deref()).into_iter().map(|t| (t, problem(&s, t, version.as_deref(), at))).collect();
    found.extend(req.scans.problem(version.as_deref()).map(|why| (Term::Vulnerable, why)));
    let other = crate::terms::certified::repository_problem(&req.status.image, &revision.image);
    found.extend(other.map(|why| (Term::OtherRepository, why)));
    let (broken, why): (Vec<Term>, Vec<String>) = found.into_iter().unzip();
    let overrides = require(name, &broken, req.overrides, &why)?;
    let spec = spec(req, revision, &s, at);
    if let Some(why) = spec.model_problem() {
        return Err(PlanError::Invalid(format!("{name}: {why}; nothing was changed")));
    }
    let (parameters, detail) = (spec.parameters(), details(req, revision, &spec, &s, at));
    let mut plan = plan(req.tenant, ScheduleChange::Create(spec), "scheduler:CreateSchedule", parameters, detail);
    plan.summary = format!("{} → {} at {}", req.status.task_definition, revision.task_definition, local(&s, at));
    plan.overrides = overrides;
    Ok(plan)
}

/// Deleting one of the tenant's schedules, named as `silo rollout list` shows it.
pub fn cancel(tenant: &Tenant, existing: &[ScheduledUpdate], name: &str) -> Result<ActionPlan, PlanError> {
    let Some(found) = existing.iter().find(|u| u.name == name) else {
        let names: Vec<&str> = existing.iter().map(|u| u.name.as_str()).collect();
        let known = if names.is_empty() { "none".to_string() } else { names.join(", ") };
        return Err(PlanError::Invalid(format!("{} has no schedule {name:?}; its schedules: {known}", tenant.name)));
    };
    let parameters = serde_json::json!({ "Name": name, "GroupName": GROUP });
    let when = found.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let detail = vec![format!("schedule:   {name} in group {GROUP}: revision {} at {when}", found.to_revision)];
    let change = ScheduleChange::Delete { name: name.to_string(), group: GROUP.into() };
    let mut plan = plan(tenant, change, "scheduler:DeleteSchedule", parameters, detail);
    plan.summary = format!("cancel {name}");
    Ok(plan)
}

/// What the user types to confirm schedules for several tenants: the count is part of it.
pub fn batch_confirmation(plans: &[ActionPlan]) -> String {
    format!("schedule {} tenants", plans.len())
}

fn target(status: &DeployStatus, to: u32) -> Result<&Revision, PlanError> {
    let Some(revision) = status.revision(to) else {
        let known: Vec<String> = status.revisions.iter().map(|r| r.task_definition.clone()).collect();
        let known = if known.is_empty() { "none".to_string() } else { known.join(", ") };
        return Err(PlanError::Invalid(format!(
            "revision {to} is not a registered revision of {}'s task definition family; revisions: {known}",
            status.tenant
        )));
    };
    if Some(to) == status.current_number() {
        return Err(PlanError::Invalid(format!("{} already runs {}", status.tenant, revision.task_definition)));
    }
    Ok(revision)
}

/// The instant the update runs: the time given, or the start of the next window.
fn instant(s: &Standing, when: When, tenant: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, PlanError> {
    if let When::At(at) = when {
        return Ok(at);
    }
    match &s.window {
        Some(Ok(w)) => w
            .next_after(now)
            .map(|o| o.start)
            .ok_or_else(|| PlanError::Invalid(format!("{tenant}'s maintenance window {:?} never opens", w.text()))),
        Some(Err(why)) => Err(PlanError::Invalid(format!("{tenant}: {why}; give the time with --at"))),
        None => Err(PlanError::Invalid(format!(
            "{tenant} has no maintenance window stated (tag or `window`): give the time with --at"
        ))),
    }
}

fn refuse_past_or_taken(req: &Request, at: DateTime<Utc>) -> Result<(), PlanError> {
    let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    if at <= req.now {
        return Err(PlanError::Invalid(format!("{} is in the past (now {})", stamp(at), stamp(req.now))));
    }
    match req.existing.iter().find(|u| u.at == at) {
        Some(taken) => Err(PlanError::Invalid(format!(
            "{} already has a schedule at {}: {} (revision {}); cancel it first or choose another time",
            req.tenant.name,
            stamp(at),
            taken.name,
            taken.to_revision
        ))),
        None => Ok(()),
    }
}

fn problem(s: &Standing, term: Term, version: Option<&str>, at: DateTime<Utc>) -> String {
    match (term, &s.window) {
        (Term::OutsideWindow, Some(Ok(w))) => {
            format!("{} is outside the maintenance window {:?}", local(s, at), w.text())
        }
        (Term::OutsideWindow | Term::Uncertified | Term::Vulnerable | Term::OtherRepository, _) => {
            term_problem(s, term, version, at)
        }
    }
}

/// The zone a tenant's times are written in: its window's, UTC without one.
pub fn zone(tenant: &Tenant) -> Tz {
    zone_of(&standing(tenant))
}

/// The zone the expression is written in: the window's, UTC without one.
fn zone_of(s: &Standing) -> Tz {
    match &s.window {
        Some(Ok(w)) => w.zone(),
        Some(Err(_)) | None => Tz::UTC,
    }
}

/// `sun 2026-12-06 02:00 America/Sao_Paulo` (days as the window tags write them).
fn local(s: &Standing, at: DateTime<Utc>) -> String {
    let zone = zone_of(s);
    let t = at.with_timezone(&zone);
    format!("{} {} {}", t.format("%a").to_string().to_lowercase(), t.format("%Y-%m-%d %H:%M"), zone.name())
}

fn spec(req: &Request, revision: &Revision, s: &Standing, at: DateTime<Utc>) -> ScheduleSpec {
    let zone = zone_of(s);
    let local = at.with_timezone(&zone).naive_local();
    let region = &req.tenant.region;
    let mut spec = ScheduleSpec {
        name: schedule::name(&req.tenant.account_id, revision.number, local),
        group: GROUP.into(),
        expression: format!("at({})", local.format("%Y-%m-%dT%H:%M:%S")),
        zone: zone.name().to_string(),
        target_arn: schedule::target_arn(region),
        role_arn: crate::arn::role_arn(&req.tenant.account_id, req.role, region),
        input: schedule::update_service_input(&req.status.cluster, &req.status.service, &revision.task_definition),
        retry: RetryPolicy::until(at, window_end(s, at)),
        client_token: String::new(),
    };
    spec.client_token = client_token(&spec, req.now);
    spec
}

/// The end of the window the instant falls in; None outside one or without one.
fn window_end(s: &Standing, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    match &s.window {
        Some(Ok(w)) => w.open_at(at).map(|o| o.end),
        Some(Err(_)) | None => None,
    }
}

/// 32 hex digits of the plan's hash: `ClientToken` is `[a-zA-Z0-9-_]+`, 1 to 64 (Scheduler model).
/// The instant it was planned is part of it: the token makes CreateSchedule idempotent (Scheduler
/// API reference, CreateSchedule `ClientToken`: "ensure the idempotency of the request"), so a
/// token AWS has seen gets the earlier answer and nothing is created: a schedule cancelled and
/// planned again needs a new token.
fn client_token(spec: &ScheduleSpec, planned: DateTime<Utc>) -> String {
    let (name, group, expression, zone, input) = (&spec.name, &spec.group, &spec.expression, &spec.zone, &spec.input);
    let text = format!("{name}|{group}|{expression}|{zone}|{input}|{}", planned.to_rfc3339());
    crate::hash::hex_digest(text.as_bytes())[..32].to_string()
}

fn details(req: &Request, to: &Revision, spec: &ScheduleSpec, s: &Standing, at: DateTime<Utc>) -> Vec<String> {
    let status = req.status;
    let version = |image: &str| version_of(image).unwrap_or_else(|| "version unknown".into());
    let stamp = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut lines = vec![
        format!("service:    {}/{}", status.cluster, status.service),
        format!("schedule:   {} in group {} (created if missing)", spec.name, spec.group),
        format!("when:       {} = {stamp}, in {}", local(s, at), window::span(at - req.now)),
        format!("from:       {} ({})", status.task_definition, version(&status.image)),
        format!("to:         {} ({})", to.task_definition, version(&to.image)),
    ];
    lines.push(format!("window:     {}", window_at(s, at)));
    if let Some(v) = version_of(&to.image) {
        lines.extend(certification(s, &v).map(|line| format!("version:    {line}")));
    }
    lines.extend(req.scans.line(version_of(&to.image).as_deref()).map(|line| format!("image:      {line}")));
    lines.push(format!("runs as:    {} (ecs:UpdateService), then the schedule deletes itself", spec.role_arn));
    lines
}

fn window_at(s: &Standing, at: DateTime<Utc>) -> String {
    match &s.window {
        None => "none stated for this customer".into(),
        Some(Err(why)) => why.clone(),
        Some(Ok(w)) if w.open_at(at).is_some() => format!("inside the maintenance window ({})", w.text()),
        Some(Ok(w)) => format!("OUTSIDE the maintenance window ({})", w.text()),
    }
}

fn certification(s: &Standing, version: &str) -> Option<String> {
    match s.certified_ok(Some(version)) {
        Some(true) => Some(format!("{version} is certified by the customer")),
        Some(false) => Some(format!("{version} is NOT certified by the customer")),
        None => None,
    }
}

fn plan(
    tenant: &Tenant,
    change: ScheduleChange,
    api: &str,
    parameters: serde_json::Value,
    detail: Vec<String>,
) -> ActionPlan {
    let name = match &change {
        ScheduleChange::Create(spec) => spec.name.clone(),
        ScheduleChange::Delete { name, .. } => name.clone(),
    };
    ActionPlan {
        kind: ActionKind::Schedule(change),
        targets: vec![Target {
            id: name,
            product: GROUP.into(),
            account_id: tenant.account_id.clone(),
            tenant: Some(tenant.name.clone()),
        }],
        account: tenant.account_id.clone(),
        region: tenant.region.clone(),
        api: api.to_string(),
        parameters,
        detail,
        summary: String::new(),
        read_at: None,
        overrides: Vec::new(),
    }
}

pub mod probe;

#[cfg(test)]
mod tests;
