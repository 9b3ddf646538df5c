//! `silo health`: the organization's AWS Health events with the tenants they affect, read through
//! the same fetch layer as `:health`.

use super::write_stdout;
use crate::cli::Format;
use anyhow::{bail, Result};
use silo_core::aws_health::{self, HealthRow};
use silo_core::source::FleetSource;
use silo_core::store::Slot;
use silo_engine::Limiter;
use std::collections::HashMap;
use std::sync::Arc;

pub async fn run(source: Arc<dyn FleetSource>, limiter: Arc<Limiter>, format: Format) -> Result<()> {
    let store = super::collect(source, limiter, &[Slot::AwsHealth]).await?;
    if let Some(e) = store.aws_health_events.error() {
        bail!("AWS Health could not be read: {e}");
    }
    let Some(Some(events)) = store.aws_health_events.value() else {
        bail!("AWS Health is not set up: add a [health] section with account_id (the management account or the delegated administrator); see docs/configuration.md");
    };
    let names: HashMap<String, String> =
        store.tenants.values().map(|r| (r.tenant.account_id.clone(), r.tenant.name.clone())).collect();
    let rows: Vec<HealthRow<'_>> = events.iter().map(|e| aws_health::row(e, &names)).collect();
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&rows)? + "\n",
        Format::Csv => aws_health::to_csv(&rows)?,
        Format::Table => aws_health::to_table(&rows),
    };
    write_stdout(&text)
}
