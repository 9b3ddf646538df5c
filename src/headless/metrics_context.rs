//! What `silo metrics` reads beside the series, as the charts show it: the tenant's alarms (for
//! their thresholds) and the range's events (its deployments and silo's journaled actions). A
//! read that fails leaves its part out and says so on stderr: the series are still the answer.

use chrono::{DateTime, Utc};
use silo_core::alarms::Alarm;
use silo_core::journal::JournalEntry;
use silo_core::metrics::Range;
use silo_core::model::{AwsService, Tenant};
use silo_core::source::FleetSource;
use silo_core::timeline::{self as tl, Event};
use silo_engine::Limiter;
use std::sync::Arc;

/// `journal`: silo's journal as `journal()` read it, once for every tenant of a command.
pub async fn read(
    source: Arc<dyn FleetSource>,
    limiter: &Limiter,
    tenant: &Tenant,
    (range, now): (Range, DateTime<Utc>),
    journal: &[JournalEntry],
) -> (Vec<Alarm>, Vec<Event>) {
    let account = &tenant.account_id;
    let alarms = limiter.run(AwsService::Cloudwatch, account, 5, source.clone().alarms(tenant.clone())).await;
    let deployments = limiter.run(AwsService::Ecs, account, 20, source.deploy_status(tenant.clone())).await;
    let alarms = alarms.map(|a| a.alarms).unwrap_or_else(|e| {
        say!("silo: {}: alarms not read, no thresholds: {e}", tenant.name);
        Vec::new()
    });
    let mut events = deployments.map(|d| tl::deployment_events(&d.deployments)).unwrap_or_else(|e| {
        say!("silo: {}: deployments not read, no deployment events: {e}", tenant.name);
        Vec::new()
    });
    events.extend(tl::action_events(journal, tenant));
    let from = now - chrono::Duration::seconds(range.seconds());
    events.retain(|e| e.at >= from && e.at <= now);
    events.sort_by_key(|e| e.at);
    (alarms, events)
}

/// silo's journal (read leniently, as `:audit` reads it), for the action events of every tenant.
pub fn journal() -> Vec<JournalEntry> {
    match silo_core::journal::Journal::at(silo_core::journal::Journal::default_path()).read_lenient() {
        Ok((entries, _)) => entries,
        Err(e) => {
            say!("silo: the journal was not read, no action events: {e}");
            Vec::new()
        }
    }
}
