//! `silo releases`: every version of the registry, newest first, with its build, its scan and
//! where it stands in the fleet (certified, scheduled, running): the twin of `:releases`.

use super::write_stdout;
use crate::cli::Format;
use anyhow::{bail, Result};
use chrono::Utc;
use silo_core::releases::scans::Scans;
use silo_core::releases::{Releases, RELEASES};
use silo_core::rollouts::releases::{to_csv, to_table, ReleasesReport, ScanClock};
use silo_core::source::FleetSource;
use silo_core::store::Slot;
use silo_engine::Limiter;
use std::sync::Arc;

/// `stale_scan_days`: `[releases] stale_scan_days` (a scan older is marked old).
pub async fn run(
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    format: Format,
    stale_scan_days: u32,
) -> Result<()> {
    // The fleet says who runs and who certified a version; the schedules who will get it.
    let mut store = super::collect(source.clone(), limiter.clone(), &[Slot::Service]).await?;
    let tenants = store.tenants.values().map(|r| r.tenant.clone()).collect();
    let now = Utc::now();
    for (account, read) in super::rollouts::scheduled(source.clone(), limiter.clone(), tenants).await {
        store.scheduled.entry(account).or_default().finish(read, now);
    }
    let spec = RELEASES.spec;
    let read = limiter.run(spec.service, &source.releases_account(), spec.calls, source.clone().releases()).await;
    let releases = match read {
        Err(e) => bail!("the releases could not be read: {e}"),
        Ok(None) => bail!(
            "[releases] is not set up: add the registry's account_id, region, repository and pipelines; see docs/configuration.md"
        ),
        Ok(Some(releases)) => releases,
    };
    let report = ReleasesReport::new(&releases, &store, ScanClock { now, stale_scan_days });
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&report)? + "\n",
        Format::Csv => to_csv(&report.releases)?,
        Format::Table => to_table(&report.releases),
    };
    write_stdout(&text)
}

/// The registry as read for a command's plans (`[releases]`), or why it is not known: moving a
/// tenant to a version checks its image's scan (`releases::scans`).
pub enum Registry {
    Off,
    Unknown(String),
    Read(Releases, u32),
}

impl Registry {
    /// One read of the registry when `[releases]` is set up (`threshold` is its critical limit).
    pub async fn read(source: Arc<dyn FleetSource>, limiter: Arc<Limiter>, threshold: Option<u32>) -> Registry {
        let Some(threshold) = threshold else { return Registry::Off };
        let spec = RELEASES.spec;
        match limiter.run(spec.service, &source.releases_account(), spec.calls, source.clone().releases()).await {
            Ok(Some(releases)) => Registry::Read(releases, threshold),
            Ok(None) => Registry::Off,
            Err(e) => Registry::Unknown(format!("the registry could not be read: {e}")),
        }
    }

    pub fn scans(&self) -> Scans<'_> {
        match self {
            Registry::Off => Scans::Off,
            Registry::Unknown(why) => Scans::Unknown(why),
            Registry::Read(releases, threshold) => Scans::Read { releases, critical_threshold: *threshold },
        }
    }
}
