//! `silo compliance`: each tenant's AWS Config rules as the organization's aggregator sees them,
//! read through the same fetch layer as the fleet's COMPLIANCE column.

use super::write_stdout;
use crate::cli::Format;
use anyhow::{bail, Result};
use silo_core::compliance::{self, ComplianceRow, TenantCompliance};
use silo_core::source::FleetSource;
use silo_core::store::{Slot, TenantRecord};
use silo_engine::Limiter;
use std::sync::Arc;

pub async fn run(
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    tenant: Option<&str>,
    format: Format,
) -> Result<()> {
    let store = super::collect(source, limiter, &[Slot::Column(compliance::COLUMN.name)]).await?;
    let mut records: Vec<&TenantRecord> = match tenant {
        Some(name) => vec![super::find_tenant(&store, name)?],
        None => store.tenants.values().collect(),
    };
    records.sort_by(|a, b| a.tenant.name.cmp(&b.tenant.name));
    let unset = |r: &&TenantRecord| matches!(r.column(compliance::COLUMN.name).and_then(|c| c.value()), Some(None));
    if records.iter().all(unset) && !records.is_empty() {
        bail!("AWS Config compliance is not set up: add a [compliance] section with aggregator and account_id; see docs/configuration.md");
    }
    let rows: Vec<ComplianceRow> = records.iter().map(|r| row(r)).collect();
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&rows)? + "\n",
        Format::Csv => compliance::to_csv(&rows)?,
        Format::Table => compliance::to_table(&rows),
    };
    write_stdout(&text)
}

/// A tenant the aggregator does not know (yet) has no row of counts: null, not zero.
fn row(r: &TenantRecord) -> ComplianceRow {
    let slot = r.column(compliance::COLUMN.name);
    let value = match (slot.and_then(|s| s.value()), slot.and_then(|s| s.error())) {
        (_, Some(e)) => Err(e.to_string()),
        (Some(known), None) => Ok(known.as_ref().and_then(|v| v.downcast::<TenantCompliance>())),
        (None, None) => Err("not read".to_string()),
    };
    compliance::row(&r.tenant.name, &r.tenant.account_id, value)
}
