//! "Did my update happen?" for one tenant: the schedules silo made (the journal's, and those a
//! source simulates) against the tenant's schedules listed now, its deployments (read only when
//! a schedule is gone from the list) and its group's Scheduler error metrics (only when one is
//! gone without a landing), each read within the tenant's limits (silo_core::schedule_outcome).

use crate::Limiter;
use chrono::{DateTime, Duration, Utc};
use silo_core::deploy::DeployStatus;
use silo_core::error::FetchError;
use silo_core::model::{AwsService, Tenant};
use silo_core::schedule_outcome::{self as outcome, Evidence, PlannedSchedule, SchedulerErrors, Tracked};
use silo_core::source::FleetSource;
use silo_core::terms::schedule::ScheduledUpdate;
use std::path::Path;
use std::sync::Arc;

/// The schedules the journal at `path` says silo made in the look-back; an unreadable line is
/// skipped here (the audit screen and `silo audit --verify` report it).
pub fn journaled(path: &Path, now: DateTime<Utc>) -> Result<Vec<PlannedSchedule>, String> {
    let (entries, _damaged) = silo_core::journal::Journal::at(path.to_path_buf()).read_lenient()?;
    Ok(outcome::from_journal(&entries, now - Duration::days(outcome::LOOK_BACK_DAYS)))
}

/// The tenant's tracked schedules, and its deployments when they had to be read.
pub struct TenantOutcomes {
    pub tracked: Vec<Tracked>,
    pub deployments: Option<Result<DeployStatus, FetchError>>,
}

pub async fn of_tenant(
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    tenant: Tenant,
    listed: &[ScheduledUpdate],
    journaled: &[PlannedSchedule],
    now: DateTime<Utc>,
) -> TenantOutcomes {
    let mut planned: Vec<PlannedSchedule> =
        journaled.iter().filter(|p| p.account_id == tenant.account_id).cloned().collect();
    planned.extend(source.schedules_made(&tenant));
    let deployments = match outcome::needs_deployments(&planned, listed) {
        true => Some(deploy_status(source.clone(), &limiter, &tenant).await),
        false => None,
    };
    let status = deployments.as_ref().and_then(|d| d.as_ref().ok());
    let history = status.map(|s| s.deployments.as_slice());
    let running = status.map(|s| s.task_definition.as_str());
    let errors = match outcome::errors_since(&planned, listed, history, running) {
        Some(since) => scheduler_errors(source, &limiter, &tenant, since).await,
        None => Ok(SchedulerErrors::default()),
    };
    let deployments_why = deployments.as_ref().and_then(|d| d.as_ref().err()).map(|e| e.to_string());
    let errors_why = errors.as_ref().err().map(|e| e.to_string());
    let evidence = Evidence {
        listed,
        deployments: history.ok_or(deployments_why.as_deref().unwrap_or("not read")),
        running,
        errors: errors.as_ref().copied().map_err(|_| errors_why.as_deref().unwrap_or_default()),
        now,
    };
    TenantOutcomes { tracked: outcome::track(&tenant, planned, &evidence), deployments }
}

async fn deploy_status(
    source: Arc<dyn FleetSource>,
    limiter: &Limiter,
    tenant: &Tenant,
) -> Result<DeployStatus, FetchError> {
    let work = source.deploy_status(tenant.clone());
    limiter.run(AwsService::Ecs, &tenant.account_id, 8, work).await
}

async fn scheduler_errors(
    source: Arc<dyn FleetSource>,
    limiter: &Limiter,
    tenant: &Tenant,
    since: DateTime<Utc>,
) -> Result<SchedulerErrors, FetchError> {
    let work = source.scheduler_errors(tenant.clone(), since);
    limiter.run(AwsService::Cloudwatch, &tenant.account_id, 2, work).await
}
