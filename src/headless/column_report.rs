//! What the headless twins of an org-wide registry column share (`silo compliance`,
//! `silo governance`): read the column through the fleet's fetch layer, keep one tenant or all
//! (by name), refuse when the column is set up for none, and make each tenant's row from its value
//! as its concrete type.

use anyhow::{bail, Result};
use silo_core::column::{ColumnData, ColumnSpec};
use silo_core::source::FleetSource;
use silo_core::store::{Slot, TenantRecord};
use silo_engine::Limiter;
use std::sync::Arc;

/// A row from the tenant's name, its account id and its value (None: the source has none for
/// it) or why it could not be read.
pub type MakeRow<T, R> = fn(&str, &str, Result<Option<&T>, String>) -> R;

/// The rows of `spec`'s column, by tenant name; `unset` is the error when no tenant has it set up.
pub async fn rows<T: ColumnData, R>(
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    tenant: Option<&str>,
    spec: ColumnSpec,
    unset: &str,
    make: MakeRow<T, R>,
) -> Result<Vec<R>> {
    let store = super::collect(source, limiter, &[Slot::Column(spec.name)]).await?;
    let mut records: Vec<&TenantRecord> = match tenant {
        Some(name) => vec![super::find_tenant(&store, name)?],
        None => store.tenants.values().collect(),
    };
    records.sort_by(|a, b| a.tenant.name.cmp(&b.tenant.name));
    let not_set_up = |r: &&TenantRecord| matches!(r.column(spec.name).and_then(|c| c.value()), Some(None));
    if records.iter().all(not_set_up) && !records.is_empty() {
        bail!("{unset}");
    }
    Ok(records.iter().map(|r| make(&r.tenant.name, &r.tenant.account_id, value::<T>(r, spec))).collect())
}

/// The rows as JSON, CSV or an aligned table, on stdout.
pub fn print<R: serde::Serialize>(
    rows: &[R],
    format: crate::cli::Format,
    csv: fn(&[R]) -> Result<String, csv::Error>,
    table: fn(&[R]) -> String,
) -> Result<()> {
    let text = match format {
        crate::cli::Format::Json => serde_json::to_string_pretty(rows)? + "\n",
        crate::cli::Format::Csv => csv(rows)?,
        crate::cli::Format::Table => table(rows),
    };
    super::write_stdout(&text)
}

/// A tenant the source does not know (yet) has no value: null, not zero.
fn value<T: ColumnData>(r: &TenantRecord, spec: ColumnSpec) -> Result<Option<&T>, String> {
    let slot = r.column(spec.name);
    match (slot.and_then(|s| s.value()), slot.and_then(|s| s.error())) {
        (_, Some(e)) => Err(e.to_string()),
        (Some(known), None) => Ok(known.as_ref().and_then(|v| v.downcast::<T>())),
        (None, None) => Err("not read".to_string()),
    }
}
