//! "Did my update happen?": what became of each schedule silo created. A schedule deletes itself
//! after its run (`ActionAfterCompletion: DELETE`) whatever the run gave, so the schedule cannot
//! say; the journal says what was scheduled (name, time, revision, how long Scheduler may retry)
//! and the evidence says what happened: whether the schedule is still there, the service's
//! deployments (a deployment of the planned revision started after the schedule was made), and
//! the schedule group's `AWS/Scheduler` error metrics (`TargetErrorCount`,
//! `InvocationDroppedCount`, dimension `ScheduleGroup`, per the Scheduler user guide's
//! "Monitoring EventBridge Scheduler with Amazon CloudWatch").

use crate::deploy::Deployment;
use crate::journal::{JournalEntry, Mode};
use crate::terms::schedule::{self, ScheduledUpdate};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::Serialize;

/// How far back `silo rollout list` and `:rollouts` look for schedules silo created.
pub const LOOK_BACK_DAYS: i64 = 14;
/// ECS may register a deployment a little after Scheduler's last attempt answered.
const LANDING_SLACK_MINUTES: i64 = 10;

/// A schedule silo created, as its journal line records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedSchedule {
    pub account_id: String,
    pub tenant: String,
    pub name: String,
    /// When the create was journaled (done).
    pub created: DateTime<Utc>,
    pub at: DateTime<Utc>,
    pub zone: String,
    /// `family:N` as the target's input names it.
    pub task_definition: String,
    pub to_revision: u32,
    /// The end of Scheduler's retries (`at` + `MaximumEventAgeInSeconds`).
    pub retry_until: DateTime<Utc>,
    /// When silo deleted it (`rollout cancel`), if it did.
    pub cancelled: Option<DateTime<Utc>>,
}

/// The schedules the journal says silo created since `since`, with their cancellations; lines
/// that cannot be read as one (another API, a refusal, a failed call) are not schedules.
pub fn from_journal(entries: &[JournalEntry], since: DateTime<Utc>) -> Vec<PlannedSchedule> {
    let mut planned: Vec<PlannedSchedule> = entries.iter().filter_map(created).filter(|p| p.created >= since).collect();
    for entry in entries.iter().filter(|e| succeeded(e, "scheduler:DeleteSchedule")) {
        let name = entry.parameters["Name"].as_str().unwrap_or_default();
        let when = time_of(entry);
        let same =
            |p: &&mut PlannedSchedule| p.account_id == entry.account && p.name == name && Some(p.created) <= when;
        if let Some(p) = planned.iter_mut().rev().find(same) {
            p.cancelled = when;
        }
    }
    planned
}

fn succeeded(entry: &JournalEntry, api: &str) -> bool {
    entry.api == api && entry.mode == Mode::Confirmed && entry.result.starts_with("ok")
}

fn time_of(entry: &JournalEntry) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&entry.time).ok().map(|t| t.with_timezone(&Utc))
}

fn created(entry: &JournalEntry) -> Option<PlannedSchedule> {
    // A doctor's schedule probe is not an update anyone waits for.
    let probe = entry.parameters["Name"].as_str().is_some_and(crate::plan::schedule::probe::is_probe);
    if probe || !succeeded(entry, "scheduler:CreateSchedule") {
        return None;
    }
    let p = &entry.parameters;
    let zone = p["ScheduleExpressionTimezone"].as_str().unwrap_or_default().to_string();
    let at = schedule::parse_at(p["ScheduleExpression"].as_str()?, &zone).ok()?;
    let task_definition = schedule::task_definition_of_input(p["Target"]["Input"].as_str()?)?;
    let age = p["Target"]["RetryPolicy"]["MaximumEventAgeInSeconds"].as_i64().unwrap_or(86_400);
    Some(PlannedSchedule {
        account_id: entry.account.clone(),
        tenant: entry.tenants.iter().flatten().next().cloned().unwrap_or_default(),
        name: p["Name"].as_str()?.to_string(),
        created: time_of(entry)?,
        at,
        zone,
        to_revision: crate::deploy::revision_number(&task_definition)?,
        task_definition,
        retry_until: at + Duration::seconds(age),
        cancelled: None,
    })
}

/// The schedule group's counts over a span (`AWS/Scheduler`, dimension `ScheduleGroup`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct SchedulerErrors {
    /// `InvocationAttemptCount`: every attempt Scheduler made to call a target.
    pub attempts: u64,
    /// `TargetErrorCount`: invocations the target (ECS) refused.
    pub target_errors: u64,
    /// `InvocationDroppedCount`: invocations given up after the retry policy ran out.
    pub dropped: u64,
}

/// What is known now about a planned schedule's tenant.
pub struct Evidence<'a> {
    /// The tenant's schedules as listed now.
    pub listed: &'a [ScheduledUpdate],
    /// The service's deployments, Err when they could not be read (with why).
    pub deployments: Result<&'a [Deployment], &'a str>,
    /// The task definition the service runs now (`family:N` or its ARN), when read.
    pub running: Option<&'a str>,
    /// The group's error metrics since the schedule was made; None when not read (with why).
    pub errors: Result<SchedulerErrors, &'a str>,
    pub now: DateTime<Utc>,
}

/// What became of a schedule. JSON: `outcome` is the snake-case name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Its time has not come.
    Scheduled,
    /// Its time came and Scheduler may still be retrying (until the retry policy's end).
    Due { until: DateTime<Utc> },
    /// The service started a deployment of the planned revision after the schedule was made
    /// (`started_at`), or runs that revision now with no such deployment in its history (None:
    /// the history was cut, or the emulator records none).
    Landed { started_at: Option<DateTime<Utc>> },
    /// Scheduler ran it and the target failed (its error metrics say so).
    Failed { reason: String },
    /// It did not run, or nothing shows that it did.
    NotRun { reason: String },
    /// silo deleted it (`rollout cancel`).
    Cancelled { at: DateTime<Utc> },
}

impl Outcome {
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Scheduled => "scheduled",
            Outcome::Due { .. } => "due",
            Outcome::Landed { .. } => "landed",
            Outcome::Failed { .. } => "failed",
            Outcome::NotRun { .. } => "not_run",
            Outcome::Cancelled { .. } => "cancelled",
        }
    }

    /// One line for people: `landed 2026-12-06T05:00:41Z`, `failed: …`.
    pub fn describe(&self) -> String {
        match self {
            Outcome::Scheduled => "scheduled".into(),
            Outcome::Due { until } => format!("due: Scheduler may retry until {}", stamp(*until)),
            Outcome::Landed { started_at: Some(t) } => format!("landed: deployment started {}", stamp(*t)),
            Outcome::Landed { started_at: None } => {
                "landed: the service runs the planned revision (no deployment of it in the history read)".into()
            }
            Outcome::Failed { reason } => format!("failed: {reason}"),
            Outcome::NotRun { reason } => format!("not run: {reason}"),
            Outcome::Cancelled { at } => format!("cancelled {}", stamp(*at)),
        }
    }

    /// Whether the answer can still change (the schedule may yet run or land).
    pub fn is_open(&self) -> bool {
        matches!(self, Outcome::Scheduled | Outcome::Due { .. })
    }
}

pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The outcome of `p` from what is known now. A schedule still listed has not completed (it
/// deletes itself after its last attempt), whatever the deployments show.
pub fn outcome(p: &PlannedSchedule, e: &Evidence) -> Outcome {
    if let Some(at) = p.cancelled {
        return Outcome::Cancelled { at };
    }
    if e.listed.iter().any(|u| u.name == p.name) {
        return still_listed(p, e.now);
    }
    match landed(p, e.deployments.ok()) {
        Some(t) => Outcome::Landed { started_at: Some(t) },
        None if e.running.is_some_and(|t| same_revision(t, &p.task_definition)) => Outcome::Landed { started_at: None },
        None => gone(p, e),
    }
}

/// A deployment of the planned revision that started after the schedule was made and before
/// Scheduler's retries (and a little slack) ran out.
fn landed(p: &PlannedSchedule, deployments: Option<&[Deployment]>) -> Option<DateTime<Utc>> {
    let latest = p.retry_until + Duration::minutes(LANDING_SLACK_MINUTES);
    deployments?
        .iter()
        .filter(|d| d.task_definition.as_deref().is_some_and(|t| same_revision(t, &p.task_definition)))
        .filter_map(|d| d.started_at)
        .filter(|t| *t >= p.created && *t <= latest)
        .min()
}

/// `family:N` against a task definition as ECS names it (`family:N` or its ARN).
fn same_revision(seen: &str, planned: &str) -> bool {
    seen.rsplit('/').next() == planned.rsplit('/').next()
}

fn still_listed(p: &PlannedSchedule, now: DateTime<Utc>) -> Outcome {
    if now < p.at {
        Outcome::Scheduled
    } else if now < p.retry_until {
        Outcome::Due { until: p.retry_until }
    } else {
        Outcome::NotRun { reason: format!("the schedule is still there after {}", stamp(p.retry_until)) }
    }
}

/// The schedule is gone and nothing of the planned revision started.
fn gone(p: &PlannedSchedule, e: &Evidence) -> Outcome {
    let no_deployment = match e.deployments {
        Ok(_) => format!("no deployment of {} started", p.task_definition),
        Err(why) => format!("the deployments could not be read ({why})"),
    };
    match e.errors {
        Ok(errors) if errors.target_errors > 0 || errors.dropped > 0 => Outcome::Failed {
            reason: format!(
                "Scheduler counted {} target error(s) (TargetErrorCount) and {} dropped invocation(s) \
                 (InvocationDroppedCount) in group {} since {}; {no_deployment}",
                errors.target_errors,
                errors.dropped,
                schedule::GROUP,
                stamp(p.created)
            ),
        },
        Ok(_) => Outcome::NotRun {
            reason: format!(
                "the schedule is gone, {no_deployment} and Scheduler counted no error: deleted outside silo?"
            ),
        },
        Err(why) => Outcome::NotRun {
            reason: format!("the schedule is gone and {no_deployment}; Scheduler's metrics not read ({why})"),
        },
    }
}

/// What the answer for `planned` needs read beyond the listing: the service's deployments (for
/// a schedule gone from the list and not cancelled) and, since when, the group's error metrics
/// (only where the deployments show no landing; GetMetricData is billed).
pub fn needs_deployments(planned: &[PlannedSchedule], listed: &[ScheduledUpdate]) -> bool {
    planned.iter().any(|p| gone_uncancelled(p, listed))
}

pub fn errors_since(
    planned: &[PlannedSchedule],
    listed: &[ScheduledUpdate],
    deployments: Option<&[Deployment]>,
    running: Option<&str>,
) -> Option<DateTime<Utc>> {
    planned
        .iter()
        .filter(|p| gone_uncancelled(p, listed))
        .filter(|p| landed(p, deployments).is_none() && !running.is_some_and(|t| same_revision(t, &p.task_definition)))
        .map(|p| p.created)
        .min()
}

/// A schedule silo did not cancel that is no longer listed: it ran, or someone deleted it.
fn gone_uncancelled(p: &PlannedSchedule, listed: &[ScheduledUpdate]) -> bool {
    p.cancelled.is_none() && !listed.iter().any(|u| u.name == p.name)
}

/// A schedule listed now that the journal does not know (made by another silo, or before the
/// journal recorded schedules): its retry policy unknown, Scheduler's default assumed (24 h).
pub fn from_listed(account_id: &str, tenant: &str, u: &ScheduledUpdate) -> PlannedSchedule {
    PlannedSchedule {
        account_id: account_id.to_string(),
        tenant: tenant.to_string(),
        name: u.name.clone(),
        created: u.at,
        at: u.at,
        zone: u.zone.clone(),
        task_definition: format!("r{}", u.to_revision),
        to_revision: u.to_revision,
        retry_until: u.at + Duration::seconds(86_400),
        cancelled: None,
    }
}

/// A schedule silo knows of and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracked {
    pub planned: PlannedSchedule,
    pub outcome: Outcome,
}

/// Every schedule of one tenant, the journal's and the listed ones, with their outcomes, by time.
pub fn track(tenant: &crate::model::Tenant, planned: Vec<PlannedSchedule>, e: &Evidence) -> Vec<Tracked> {
    let unknown: Vec<PlannedSchedule> = e
        .listed
        .iter()
        .filter(|u| !planned.iter().any(|p| p.name == u.name && p.cancelled.is_none()))
        .map(|u| from_listed(&tenant.account_id, &tenant.name, u))
        .collect();
    let all = planned.into_iter().chain(unknown);
    let mut tracked: Vec<Tracked> = all.map(|p| Tracked { outcome: outcome(&p, e), planned: p }).collect();
    tracked.sort_by_key(|t| (t.planned.at, t.planned.created));
    tracked
}

#[cfg(test)]
mod tests;
