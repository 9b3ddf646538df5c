//! `FleetSource` over real AWS: tenants from Organizations (or the static list), per-tenant reads
//! with the tenant's read role, org-wide reads from the audit and billing accounts.

use super::context::{AwsContext, BaseOptions};
use super::{budgets, cloudwatch, ecs, guardduty, organizations, securityhub};
use crate::config::{AccountRole, Config, TenantSource};
use crate::fetch::source::OrgValue;
use crate::fetch::{FleetSource, OrgWide};
use crate::fetch_error::FetchError;
use crate::model::{AlarmSummary, AwsService, ServiceSummary, Tenant};
use crate::store::Slot;
use aws_config::{Region, SdkConfig};
use futures::future::BoxFuture;
use futures::FutureExt;
use std::collections::HashSet;
use std::sync::Arc;

/// Budgets is a global service served from us-east-1.
const BUDGETS_REGION: &str = "us-east-1";

pub struct AwsSource {
    ctx: AwsContext,
    config: Config,
}

impl AwsSource {
    pub async fn new(config: Config, options: &BaseOptions) -> AwsSource {
        AwsSource { ctx: AwsContext::load(&config, options).await, config }
    }

    pub fn context(&self) -> &AwsContext {
        &self.ctx
    }

    async fn tenant_sdk(&self, tenant: &Tenant) -> SdkConfig {
        self.ctx.assumed(&tenant.account_id, &self.config.read_role, &tenant.region).await
    }

    /// The SdkConfig for an org-wide account: its role when set, else the base credentials.
    async fn account_sdk(&self, access: &AccountRole, default_region: &str) -> SdkConfig {
        let region = access.region.clone().unwrap_or_else(|| default_region.to_string());
        match &access.role {
            Some(role) => self.ctx.assumed(&access.account_id, role, &region).await,
            None => self.ctx.base().to_builder().region(Region::new(region)).build(),
        }
    }

    async fn tenants(&self) -> Result<Vec<Tenant>, FetchError> {
        match &self.config.tenants {
            TenantSource::Static(list) => Ok(list.iter().map(|s| self.config.static_tenant(s)).collect()),
            TenantSource::Organizations { ou, name_tag } => {
                let client = organizations::client(self.ctx.base());
                let parallel = self.config.fetch.per_account_concurrency;
                let accounts = organizations::tenant_accounts(&client, ou, name_tag, parallel).await?;
                Ok(accounts.iter().map(|a| self.config.tenant(&a.name, &a.account_id, None)).collect())
            }
        }
    }

    async fn securityhub(&self, accounts: HashSet<String>) -> OrgWide {
        let Some(audit) = &self.config.audit else { return OrgWide::NotConfigured };
        let sdk = self.account_sdk(audit, &self.ctx.base_region()).await;
        let client = securityhub::client(&sdk, &audit.account_id);
        match securityhub::open_counts(&client, &accounts).await {
            Ok(counts) => {
                OrgWide::PerAccount(counts.into_iter().map(|(a, c)| (a, Ok(OrgValue::Findings(c)))).collect())
            }
            Err(e) => OrgWide::Failed(e),
        }
    }

    async fn guardduty(&self, accounts: HashSet<String>) -> OrgWide {
        let Some(audit) = &self.config.audit else { return OrgWide::NotConfigured };
        let sdk = self.account_sdk(audit, &self.ctx.base_region()).await;
        let client = guardduty::client(&sdk, &audit.account_id);
        match guardduty::open_counts(&client, &accounts).await {
            Ok(Some(counts)) => {
                OrgWide::PerAccount(counts.into_iter().map(|(a, c)| (a, Ok(OrgValue::Findings(c)))).collect())
            }
            Ok(None) => OrgWide::NotConfigured,
            Err(e) => OrgWide::Failed(e),
        }
    }

    async fn spend(&self) -> OrgWide {
        let Some(billing) = &self.config.billing else { return OrgWide::NotConfigured };
        let sdk = self.account_sdk(billing, BUDGETS_REGION).await;
        let client = budgets::client(&sdk, &billing.account_id);
        match budgets::spend_by_account(&client, &billing.account_id).await {
            Ok(map) => OrgWide::PerAccount(map.into_iter().map(|(a, s)| (a, s.map(OrgValue::Spend))).collect()),
            Err(e) => OrgWide::Failed(e),
        }
    }
}

impl FleetSource for AwsSource {
    fn list_tenants(self: Arc<Self>) -> BoxFuture<'static, Result<Vec<Tenant>, FetchError>> {
        async move { self.tenants().await }.boxed()
    }

    fn service(self: Arc<Self>, tenant: Tenant) -> BoxFuture<'static, Result<Option<ServiceSummary>, FetchError>> {
        async move {
            let sdk = self.tenant_sdk(&tenant).await;
            ecs::service(&ecs::client(&sdk, &tenant.account_id), &tenant).await
        }
        .boxed()
    }

    fn alarms(self: Arc<Self>, tenant: Tenant) -> BoxFuture<'static, Result<AlarmSummary, FetchError>> {
        async move {
            let sdk = self.tenant_sdk(&tenant).await;
            cloudwatch::alarms(&cloudwatch::client(&sdk, &tenant.account_id)).await
        }
        .boxed()
    }

    fn org_wide(self: Arc<Self>, slot: Slot, accounts: HashSet<String>) -> BoxFuture<'static, OrgWide> {
        async move {
            match slot {
                Slot::SecurityHub => self.securityhub(accounts).await,
                Slot::GuardDuty => self.guardduty(accounts).await,
                _ => self.spend().await,
            }
        }
        .boxed()
    }

    fn org_account(&self, slot: Slot) -> (AwsService, String) {
        let account = |a: &Option<AccountRole>| a.as_ref().map(|a| a.account_id.clone()).unwrap_or_default();
        match slot {
            Slot::SecurityHub => (AwsService::Securityhub, account(&self.config.audit)),
            Slot::GuardDuty => (AwsService::Guardduty, account(&self.config.audit)),
            _ => (AwsService::Budgets, account(&self.config.billing)),
        }
    }

    fn label(&self) -> String {
        format!("aws {}", self.ctx.base_region())
    }
}
