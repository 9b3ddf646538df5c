//! The fleet columns read from AWS (`silo_core::column`): each registry column's spec with its
//! reader, which lives in the module of the service it calls. A new column: its spec and value in
//! `silo-core`, its reader in a service module, one line in `COLUMNS` (and one in the demo's).

use crate::column_call::{OrgCall, TenantRead};
use futures::future::BoxFuture;
use silo_core::column::ColumnSpec;
use silo_core::config::{AccountRole, Config};
use silo_core::source::OrgWide;

/// How a column is read from AWS.
#[derive(Clone, Copy)]
pub enum ColumnReader {
    /// In each tenant's account.
    PerTenant(TenantRead),
    /// Once, in the account `account` names (None: the column is not configured, every tenant
    /// shows "not configured"), in `region` (None: the base region).
    OrgWide {
        account: fn(&Config) -> Option<&AccountRole>,
        region: Option<&'static str>,
        read: fn(OrgCall<'_>) -> BoxFuture<'static, OrgWide>,
    },
}

/// The fleet's registry columns, in table and report order; a new column goes last, since the
/// order is the CSV contract's (columns are only ever added at the end).
pub const COLUMNS: &[(ColumnSpec, ColumnReader)] = &[
    (silo_core::vpn::COLUMN, ColumnReader::PerTenant(crate::vpn::column)),
    (
        silo_core::aws_health::COLUMN,
        ColumnReader::OrgWide {
            account: |c| c.health.as_ref(),
            region: Some(crate::health::HEALTH_REGION),
            read: crate::health::column,
        },
    ),
    (
        silo_core::compliance::COLUMN,
        ColumnReader::OrgWide {
            account: |c| c.compliance.as_ref().map(|c| &c.access),
            region: None,
            read: crate::configservice::column,
        },
    ),
    (silo_core::queue::COLUMN, ColumnReader::PerTenant(crate::queue::column)),
    (
        silo_core::governance::COLUMN,
        ColumnReader::OrgWide { account: |c| c.governance.as_ref(), region: None, read: crate::controltower::column },
    ),
];

/// The reader registered under `name`.
pub fn reader(name: &str) -> Option<ColumnReader> {
    COLUMNS.iter().find(|(spec, _)| spec.name == name).map(|(_, read)| *read)
}
