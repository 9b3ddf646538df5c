//! `silo governance`: each tenant account as AWS Control Tower governs it (landing zone,
//! enrolment, the controls on its OU, what drifted), read through the same fetch layer as the
//! fleet's GOVERNANCE column.

use crate::cli::Format;
use anyhow::Result;
use silo_core::governance::{self, TenantGovernance};
use silo_core::source::FleetSource;
use silo_engine::Limiter;
use std::sync::Arc;

const UNSET: &str = "Control Tower governance is not set up: add a [governance] section with the management account's account_id and the landing zone's home region; see docs/configuration.md";

pub async fn run(
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    tenant: Option<&str>,
    format: Format,
) -> Result<()> {
    let make = governance::row as super::column_report::MakeRow<TenantGovernance, _>;
    let rows = super::column_report::rows(source, limiter, tenant, governance::COLUMN, UNSET, make).await?;
    super::column_report::print(&rows, format, governance::to_csv, governance::to_table)
}
