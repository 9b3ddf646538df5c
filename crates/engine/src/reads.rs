//! The on-demand reads the engine runs (`silo_core::reads`), each a `Read<T>` handle with the
//! `FleetSource` method that answers it. A new read: its handle beside its feature in
//! `silo-core`, its source method, and one line in `READS`.

use futures::future::BoxFuture;
use silo_core::error::FetchError;
use silo_core::model::Tenant;
use silo_core::reads::{ReadKey, ReadSpec, ReadValue};
use silo_core::source::FleetSource;
use std::sync::Arc;

/// Runs a read for a tenant (None: the organization) with the key's argument.
type Run = fn(Arc<dyn FleetSource>, Option<Tenant>, String) -> BoxFuture<'static, Result<ReadValue, FetchError>>;

/// Runs a read across the fleet's tenants, each of its calls within the limits itself.
type FleetRun = fn(
    Arc<dyn FleetSource>,
    Arc<crate::Limiter>,
    Vec<Tenant>,
    String,
) -> BoxFuture<'static, Result<ReadValue, FetchError>>;

/// How a read runs: one call sequence under the limiter, or a fan-out over the tenants.
#[derive(Clone, Copy)]
pub enum Runner {
    One(Run),
    Fleet(FleetRun),
}

/// The account the limits count a read under: the tenant's, or the org-wide one the source names.
type Account = fn(&dyn FleetSource, Option<&Tenant>) -> String;

pub struct Registered {
    pub spec: ReadSpec,
    pub account: Account,
    pub run: Runner,
}

pub const READS: &[Registered] = &[
    Registered { spec: silo_core::alarms::HISTORY.spec, account: tenant_account, run: Runner::One(alarm_history) },
    Registered {
        spec: silo_core::aws_health::EVENTS.spec,
        account: health_account,
        run: Runner::One(aws_health_events),
    },
    Registered { spec: silo_core::spend::HISTORY.spec, account: tenant_account, run: Runner::One(spend_history) },
    Registered { spec: silo_core::releases::RELEASES.spec, account: releases_account, run: Runner::One(releases) },
    Registered { spec: silo_core::compare::COMPARE.spec, account: tenant_account, run: Runner::Fleet(compare) },
];

/// `:compare`: the ask in the key, every tenant's move and metric (`crate::compare`).
fn compare(
    source: Arc<dyn FleetSource>,
    limiter: Arc<crate::Limiter>,
    mut tenants: Vec<Tenant>,
    arg: String,
) -> BoxFuture<'static, Result<ReadValue, FetchError>> {
    Box::pin(async move {
        let key = silo_core::compare::COMPARE.of_org();
        let ask = silo_core::compare::Ask::of_key(&silo_core::reads::ReadKey { arg, ..key }).map_err(|why| {
            FetchError::new(silo_core::model::AwsService::Cloudwatch, silo_core::error::ErrorKind::Other, why)
        })?;
        tenants.sort_by(|a, b| a.name.cmp(&b.name));
        let (method, rows) = crate::compare::gather(source, limiter, tenants, &ask, chrono::Utc::now()).await;
        Ok(ReadValue::new(silo_core::compare::Comparison { method, rows }))
    })
}

/// The read registered under the key's name.
pub fn registered(key: &ReadKey) -> Option<&'static Registered> {
    READS.iter().find(|r| r.spec.name == key.read)
}

fn tenant_account(_: &dyn FleetSource, tenant: Option<&Tenant>) -> String {
    tenant.map(|t| t.account_id.clone()).unwrap_or_default()
}

fn releases_account(source: &dyn FleetSource, _: Option<&Tenant>) -> String {
    source.releases_account()
}

fn health_account(source: &dyn FleetSource, _: Option<&Tenant>) -> String {
    source.org_account(silo_core::store::Slot::Column(silo_core::aws_health::COLUMN.name)).1
}

/// A read that needs a tenant was asked without one (a silo bug, shown where the answer goes).
fn no_tenant(spec: ReadSpec) -> BoxFuture<'static, Result<ReadValue, FetchError>> {
    let message = format!("the {} read needs a tenant", spec.name);
    let error = FetchError::new(spec.service, silo_core::error::ErrorKind::Other, message);
    Box::pin(async move { Err(error) })
}

fn alarm_history(
    source: Arc<dyn FleetSource>,
    tenant: Option<Tenant>,
    alarm: String,
) -> BoxFuture<'static, Result<ReadValue, FetchError>> {
    let Some(tenant) = tenant else { return no_tenant(silo_core::alarms::HISTORY.spec) };
    Box::pin(async move { source.alarm_history(tenant, alarm).await.map(ReadValue::new) })
}

fn aws_health_events(
    source: Arc<dyn FleetSource>,
    _: Option<Tenant>,
    _: String,
) -> BoxFuture<'static, Result<ReadValue, FetchError>> {
    Box::pin(async move { source.aws_health().await.map(ReadValue::new) })
}

fn spend_history(
    source: Arc<dyn FleetSource>,
    tenant: Option<Tenant>,
    budget: String,
) -> BoxFuture<'static, Result<ReadValue, FetchError>> {
    let Some(tenant) = tenant else { return no_tenant(silo_core::spend::HISTORY.spec) };
    Box::pin(async move { source.spend_history(tenant, budget).await.map(ReadValue::new) })
}

fn releases(
    source: Arc<dyn FleetSource>,
    _: Option<Tenant>,
    _: String,
) -> BoxFuture<'static, Result<ReadValue, FetchError>> {
    Box::pin(async move { source.releases().await.map(ReadValue::new) })
}
