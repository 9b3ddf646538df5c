//! The fleet columns the demo simulates (`silo_core::column`), each with its reader in the
//! module that simulates its service. A new column: its reader there and one line in `COLUMNS`
//! (and one in `silo-aws`'s).

use super::tenants::Profile;
use chrono::{DateTime, Utc};
use silo_core::column::{ColumnSpec, ColumnValue};
use silo_core::model::Tenant;
use silo_core::source::OrgWide;
use std::collections::HashSet;

/// Answers an org-wide column for every tenant of the organization (with their profiles) at
/// `now`, shared out to the asked accounts.
pub type OrgRead = fn(&[(Tenant, Profile)], DateTime<Utc>, &HashSet<String>) -> OrgWide;

/// How the simulation answers a column.
#[derive(Clone, Copy)]
pub enum ColumnReader {
    /// One tenant (its profile) at `now`; a tenant whose role is denied never gets here.
    PerTenant(fn(&Tenant, Profile, DateTime<Utc>) -> Option<ColumnValue>),
    /// Every tenant of the organization at once, shared out to the asked accounts.
    OrgWide(OrgRead),
}

/// The fleet's registry columns, in table and report order (the same as
/// `silo_aws::columns::COLUMNS`); a new column goes last, since the order is the CSV contract's.
pub const COLUMNS: &[(ColumnSpec, ColumnReader)] = &[
    (silo_core::vpn::COLUMN, ColumnReader::PerTenant(crate::vpn::column)),
    (silo_core::aws_health::COLUMN, ColumnReader::OrgWide(crate::aws_health::column)),
    (silo_core::compliance::COLUMN, ColumnReader::OrgWide(crate::compliance::column)),
    (silo_core::queue::COLUMN, ColumnReader::PerTenant(crate::metrics::queue_column)),
    (silo_core::governance::COLUMN, ColumnReader::OrgWide(crate::governance::column)),
];

/// The reader registered under `name`.
pub fn reader(name: &str) -> Option<ColumnReader> {
    COLUMNS.iter().find(|(spec, _)| spec.name == name).map(|(_, read)| *read)
}
