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
    // The tenant list names the affected accounts; the events are one organizational read.
    let store = super::collect(source.clone(), limiter.clone(), &[]).await?;
    let (service, account) = source.org_account(Slot::Column(aws_health::COLUMN.name));
    let read = limiter.run(service, &account, silo_engine::ORG_WIDE_PAGES, source.aws_health()).await;
    let events = match read {
        Err(e) => bail!("AWS Health could not be read: {e}"),
        Ok(events) => events,
    };
    let Some(events) = events else {
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
