//! `silo compliance`: each tenant's AWS Config rules as the organization's aggregator sees them,
//! read through the same fetch layer as the fleet's COMPLIANCE column.

use crate::cli::Format;
use anyhow::Result;
use silo_core::compliance::{self, TenantCompliance};
use silo_core::source::FleetSource;
use silo_engine::Limiter;
use std::sync::Arc;

const UNSET: &str =
    "AWS Config compliance is not set up: add a [compliance] section with aggregator and account_id; see docs/configuration.md";

pub async fn run(
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    tenant: Option<&str>,
    format: Format,
) -> Result<()> {
    let make = compliance::row as super::column_report::MakeRow<TenantCompliance, _>;
    let rows = super::column_report::rows(source, limiter, tenant, compliance::COLUMN, UNSET, make).await?;
    super::column_report::print(&rows, format, compliance::to_csv, compliance::to_table)
}
