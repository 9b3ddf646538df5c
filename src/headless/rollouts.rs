//! `silo versions`: every tenant's version, window, certification and scheduled updates, read
//! through the same fetch layer as the fleet (services) and each tenant's schedules within the
//! per-account limits, with their Service Catalog products where those are read.

use super::write_stdout;
use crate::cli::Format;
use anyhow::Result;
use chrono::Utc;
use silo_core::catalog::Provisioned;
use silo_core::error::FetchError;
use silo_core::model::{AwsService, Tenant};
use silo_core::rollouts::versions::{self, VersionRow};
use silo_core::source::FleetSource;
use silo_core::store::{Slot, TenantRecord};
use silo_core::terms::schedule::ScheduledUpdate;
use silo_engine::Limiter;
use std::collections::HashMap;
use std::sync::Arc;

pub async fn versions(source: Arc<dyn FleetSource>, limiter: Arc<Limiter>, format: Format) -> Result<()> {
    let store = super::collect(source.clone(), limiter.clone(), &[Slot::Service]).await?;
    let mut records: Vec<&TenantRecord> = store.tenants.values().collect();
    records.sort_by(|a, b| a.tenant.name.cmp(&b.tenant.name));
    let tenants: Vec<Tenant> = records.iter().map(|r| r.tenant.clone()).collect();
    let schedules = scheduled(source.clone(), limiter.clone(), tenants.clone()).await;
    let products = provisioned(source, limiter, tenants).await;
    let now = Utc::now();
    let missing = FetchError::new(AwsService::Scheduler, silo_core::error::ErrorKind::Other, "not read");
    let rows: Vec<VersionRow> = records
        .iter()
        .map(|r| {
            let read = schedules.get(&r.tenant.account_id).map(|s| s.as_ref().map(Vec::as_slice));
            let catalog = products.get(&r.tenant.account_id).map(|p| p.as_ref().map(Option::as_deref));
            versions::row(r, read.unwrap_or(Err(&missing)), now).with_provisioned(catalog.unwrap_or(Ok(None)))
        })
        .collect();
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&rows)? + "\n",
        Format::Csv => versions::to_csv(&rows)?,
        Format::Table => versions::to_table(&rows, now),
    };
    write_stdout(&text)
}

/// `silo rollout list`: one row per schedule listed now or made by silo in the look-back
/// (the journal), soonest first, with what became of it (`outcome`); a tenant whose schedules
/// could not be read is named on stderr (its absence from the list is not silence).
pub async fn list(
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    tenant: Option<&str>,
    format: Format,
) -> Result<()> {
    let store = super::collect(source.clone(), limiter.clone(), &[]).await?;
    let tenants: Vec<Tenant> = match tenant {
        Some(name) => vec![super::find_tenant(&store, name)?.tenant.clone()],
        None => store.tenants.values().map(|r| r.tenant.clone()).collect(),
    };
    let now = Utc::now();
    let journaled = silo_engine::outcomes::journaled(&silo_core::journal::Journal::default_path(), now)
        .map_err(|e| anyhow::anyhow!("cannot read the audit journal for the schedules silo made: {e}"))?;
    let read = scheduled(source.clone(), limiter.clone(), tenants.clone()).await;
    // Every tenant's evidence side by side (each read within its account's limits), as the
    // schedules were read.
    let mut outcomes = Vec::new();
    for t in &tenants {
        match read.get(&t.account_id) {
            Some(Ok(listed)) => outcomes.push(async {
                let (source, limiter) = (source.clone(), limiter.clone());
                let found = silo_engine::outcomes::of_tenant(source, limiter, t.clone(), listed, &journaled, now).await;
                outcome_rows(&found, listed)
            }),
            Some(Err(e)) => say!("silo: {}: schedules not read: {e}", t.name),
            None => {}
        }
    }
    let mut rows: Vec<versions::ListRow> = futures::future::join_all(outcomes).await.into_iter().flatten().collect();
    rows.sort_by(|a, b| a.at.cmp(&b.at).then(a.tenant.cmp(&b.tenant)));
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&rows)? + "\n",
        Format::Csv => versions::list_csv(&rows)?,
        Format::Table => versions::list_table(&rows),
    };
    write_stdout(&text)
}

/// The rows of one tenant, each with the version its revision carries (from the listing, or
/// the family's revisions when they were read).
fn outcome_rows(found: &silo_engine::outcomes::TenantOutcomes, listed: &[ScheduledUpdate]) -> Vec<versions::ListRow> {
    let status = found.deployments.as_ref().and_then(|d| d.as_ref().ok());
    let version = |name: &str, revision: u32| {
        let seen = listed.iter().find(|u| u.name == name).and_then(|u| u.to_version.clone());
        let image = status.and_then(|s| s.revision(revision)).map(|r| r.image.as_str());
        seen.or_else(|| image.and_then(silo_core::terms::certified::version_of))
    };
    found.tracked.iter().map(|t| versions::list_row(t, version(&t.planned.name, t.planned.to_revision))).collect()
}

/// Every tenant's schedules at once, each under its account's limits; a failure stays on its tenant.
pub(super) async fn scheduled(
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    tenants: Vec<Tenant>,
) -> HashMap<String, Result<Vec<ScheduledUpdate>, FetchError>> {
    per_tenant(limiter, tenants, AwsService::Scheduler, move |t| source.clone().scheduled(t)).await
}

/// Every tenant's Service Catalog products at once (None where the source does not read them).
async fn provisioned(
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    tenants: Vec<Tenant>,
) -> HashMap<String, Result<Option<Vec<Provisioned>>, FetchError>> {
    per_tenant(limiter, tenants, AwsService::ServiceCatalog, move |t| source.clone().provisioned(t)).await
}

/// One read of each tenant, side by side, each under its account's limits for `service`.
async fn per_tenant<T>(
    limiter: Arc<Limiter>,
    tenants: Vec<Tenant>,
    service: AwsService,
    read: impl Fn(Tenant) -> futures::future::BoxFuture<'static, Result<T, FetchError>>,
) -> HashMap<String, Result<T, FetchError>> {
    let reads = tenants.into_iter().map(|t| {
        let (limiter, work) = (limiter.clone(), read(t.clone()));
        async move { (t.account_id.clone(), limiter.run(service, &t.account_id, 4, work).await) }
    });
    futures::future::join_all(reads).await.into_iter().collect()
}
