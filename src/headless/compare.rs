//! `silo compare`: for each tenant that moved to a version, one metric over the same window
//! before its deployment and after it, median and p95, the change and whether it worsened beyond
//! the tolerance; worst first, the method in the answer (docs/cli.md).

use super::write_stdout;
use crate::cli::Format;
use anyhow::Result;
use silo_core::compare::Ask;
use silo_core::compare::{self, CompareReport};
use silo_core::source::FleetSource;
use silo_engine::compare::gather;
use silo_engine::Limiter;
use std::sync::Arc;

/// The flags checked before anything is read.
pub fn ask(version: &str, metric: &str, window: &str, tolerance: f64) -> Result<Ask> {
    Ask::parse(version, metric, window, tolerance).map_err(anyhow::Error::msg)
}

pub async fn run(source: Arc<dyn FleetSource>, limiter: Arc<Limiter>, ask: &Ask, format: Format) -> Result<()> {
    let store = super::collect(source.clone(), limiter.clone(), &[]).await?;
    let mut tenants: Vec<_> = store.tenants.values().map(|r| r.tenant.clone()).collect();
    tenants.sort_by(|a, b| a.name.cmp(&b.name));
    let now = chrono::Utc::now();
    let (method, rows) = gather(source, limiter, tenants, ask, now).await;
    if rows.iter().all(|r| r.moved.is_none() && r.error.is_none()) {
        say!("silo: no tenant has moved to {} (a finished deployment of an image tagged so)", ask.version);
    }
    let report = CompareReport::new(&ask.version, ask.metric, method, rows, now);
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&report)? + "\n",
        Format::Csv => compare::to_csv(&report.tenants)?,
        Format::Table => format!("{}\n{}", report.method.line(), compare::to_table(&report.tenants, ask.metric.unit)),
    };
    write_stdout(&text)
}
