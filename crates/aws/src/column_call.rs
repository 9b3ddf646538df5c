//! What a fleet column's reader is given (`columns::COLUMNS` registers the readers; the service
//! modules define them), apart from the registry so neither imports the other.

use aws_config::SdkConfig;
use futures::future::BoxFuture;
use silo_core::column::ColumnValue;
use silo_core::config::Config;
use silo_core::error::FetchError;
use silo_core::model::Tenant;
use std::collections::HashSet;

/// Reads a per-tenant column.
pub type TenantRead = fn(TenantCall<'_>) -> BoxFuture<'static, Result<Option<ColumnValue>, FetchError>>;

/// What a per-tenant read is given: the tenant's read-role configuration, the configuration (the
/// tenant's resource names) and the tenant.
pub struct TenantCall<'a> {
    pub sdk: SdkConfig,
    pub config: &'a Config,
    pub tenant: Tenant,
}

/// What an org-wide read is given: the configuration of the account it reads in (its role
/// assumed), that account, the configuration and the tenant accounts of the refresh.
pub struct OrgCall<'a> {
    pub sdk: SdkConfig,
    pub account_id: String,
    pub config: &'a Config,
    pub accounts: HashSet<String>,
}
