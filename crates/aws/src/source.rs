//! `FleetSource` over real AWS: tenants from Organizations (or the static list), per-tenant reads
//! with the tenant's read role, org-wide reads from the audit and billing accounts.

use super::column_call::{OrgCall, TenantCall};
use super::columns::{self, ColumnReader, COLUMNS};
use super::context::{AwsContext, BaseOptions};
use super::costexplorer;
use super::deployments;
use super::{
    athena, budgets, cloudwatch, codepipeline, ecs, ecs_deploy, guardduty, metrics, organizations, securityhub,
    securityhub_v2,
};
use super::{health, scheduler, servicecatalog, vpn};
use aws_config::{Region, SdkConfig};
use futures::future::BoxFuture;
use futures::FutureExt;
use silo_core::alarms::AlarmSummary;
use silo_core::aws_health::HealthEvent;
use silo_core::catalog::Provisioned;
use silo_core::column::{ColumnSpec, ColumnValue};
use silo_core::config::{AccountRole, Config, FindingsApi, TenantSource};
use silo_core::cost::CostReport;
use silo_core::cost::{MonthSpend, Spend};
use silo_core::detail::{DetailSpec, DetailValue};
use silo_core::error::{ErrorKind, FetchError};
use silo_core::findings::{FindingList, FindingSource, FindingsAsk};
use silo_core::model::{AwsService, ServiceSummary, Tenant};
use silo_core::plan::deploy::DeployChange;
use silo_core::plan::schedule::ScheduleChange;
use silo_core::plan::{ActionKind, ActionOutcome, ActionPlan};
use silo_core::queries::run::{QueryRequest, QueryStatus, ResultPage};
use silo_core::source::OrgValue;
use silo_core::source::{FleetSource, OrgWide, WritePermit};
use silo_core::store::Slot;
use silo_core::tenant_list::KeptTenants;
use silo_core::terms::schedule::ScheduledUpdate;
use silo_core::vpn::{VpnStatus, VpnWindow};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// A per-tenant column's answer.
type ColumnAnswer = Result<Option<ColumnValue>, FetchError>;

/// Budgets is a global service served from us-east-1.
const BUDGETS_REGION: &str = "us-east-1";

pub struct AwsSource {
    ctx: AwsContext,
    config: Config,
    /// The tenants of the latest listing, for reads that need more than account ids.
    last_tenants: Mutex<Vec<Tenant>>,
    /// Whether the audit account answers GetFindingsV2 (probed once in "auto").
    v2: Mutex<Option<bool>>,
    /// Caller identity ARN, asked once.
    identity: Mutex<Option<String>>,
    /// Security Hub's open findings and when the read that produced them started.
    sh_cache: Mutex<Option<(chrono::DateTime<chrono::Utc>, FindingList)>>,
    /// The Organizations tenant list, kept for `tenants.list_ttl_secs`.
    kept_tenants: Mutex<KeptTenants>,
    /// Tenants of the last listing named by their account name, and why.
    naming: Mutex<HashMap<String, FetchError>>,
    /// (account, `family:revision`) → its essential image: a revision never changes.
    images: Mutex<HashMap<(String, String), String>>,
}

/// Incremental reads start this much before the last one, against clock skew and late updates.
const OVERLAP: chrono::Duration = chrono::Duration::minutes(5);

impl AwsSource {
    pub async fn new(config: Config, options: &BaseOptions) -> AwsSource {
        AwsSource {
            ctx: AwsContext::load(&config, options).await,
            last_tenants: Mutex::new(Vec::new()),
            sh_cache: Mutex::new(None),
            identity: Mutex::new(None),
            v2: Mutex::new(None),
            kept_tenants: Mutex::new(KeptTenants::new(config.tenant_list_ttl)),
            naming: Mutex::new(HashMap::new()),
            images: Mutex::new(HashMap::new()),
            config,
        }
    }

    pub(crate) fn context(&self) -> &AwsContext {
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

    /// Where a tenant's metrics are read (its account, or the OAM monitoring account), with its
    /// resources found there, and whether it is the monitoring account.
    async fn metrics_reader(
        &self,
        tenant: &Tenant,
    ) -> Result<(aws_sdk_cloudwatch::Client, metrics::Resources, bool), FetchError> {
        let (sdk, owning) = match &self.config.monitoring {
            Some(m) => (self.account_sdk(m, &tenant.region).await, Some(tenant.account_id.clone())),
            None => (self.tenant_sdk(tenant).await, None),
        };
        let client = cloudwatch::client(&sdk, &tenant.account_id);
        let wanted = metrics::wanted(&self.config, tenant);
        let resources = metrics::discover(&client, &wanted, owning.as_deref()).await?;
        Ok((client, resources, owning.is_some()))
    }

    async fn tenants(&self) -> Result<Vec<Tenant>, FetchError> {
        match &self.config.tenants {
            TenantSource::Static(list) => Ok(list.iter().map(|s| self.config.static_tenant(s)).collect()),
            TenantSource::Organizations { ou, name_tag } => {
                let now = std::time::Instant::now();
                if let Some(kept) = self.kept_tenants.lock().ok().and_then(|k| k.fresh(now)) {
                    return Ok(kept);
                }
                let client = organizations::client(self.ctx.base());
                let parallel = self.config.fetch.per_account_concurrency;
                let tags = &self.config.terms_tags;
                let keys = organizations::TagKeys { name: name_tag, window: &tags.window, certified: &tags.certified };
                let accounts = organizations::tenant_accounts(&client, ou, keys, parallel).await?;
                let tenants: Vec<Tenant> = accounts
                    .iter()
                    .map(|a| Tenant { terms: a.terms.clone(), ..self.config.tenant(&a.name, &a.account_id, None) })
                    .collect();
                let naming: HashMap<String, FetchError> =
                    accounts.into_iter().filter_map(|a| a.naming.map(|e| (a.account_id, e))).collect();
                if let Ok(mut kept) = self.kept_tenants.lock() {
                    kept.keep(&tenants, naming.is_empty(), now);
                }
                if let Ok(mut last) = self.naming.lock() {
                    *last = naming;
                }
                Ok(tenants)
            }
        }
    }

    /// Security Hub's findings `ask` names, at most `[audit] findings_per_tenant` kept per
    /// account. The fleet's (every open one): the first read is complete; later reads within
    /// `[audit] full_read_minutes` ask only for what changed since (UpdatedAt), closed ones
    /// included, and merge. A complete read that often lets findings deleted, or triaged outside
    /// silo (BatchUpdateFindings leaves UpdatedAt alone), leave the list within that bound. A
    /// list with an account over the cap is read whole every time: what it counted beyond the
    /// cap cannot be updated from changes alone.
    async fn securityhub_findings(&self, ask: FindingsAsk) -> Result<Option<FindingList>, FetchError> {
        let Some(audit) = &self.config.audit else { return Ok(None) };
        let sdk = self.account_sdk(audit, &self.ctx.base_region()).await;
        let client = securityhub::client(&sdk, &audit.account_id);
        let cap = audit.findings_per_tenant;
        if self.uses_v2(&client, audit.findings_api).await {
            return securityhub_v2::findings(&client, &ask, ask.keeper(cap)).await.map(Some);
        }
        let fleet = ask == FindingsAsk::open();
        let started = chrono::Utc::now();
        let previous = if fleet { self.sh_cache.lock().ok().and_then(|c| c.clone()) } else { None };
        let full_read = chrono::Duration::from_std(audit.full_read).unwrap_or(chrono::Duration::zero());
        let fresh = previous.as_ref().filter(|(at, known)| started - *at < full_read && known.beyond.is_empty());
        // An incremental read asks for what changed since the last one, closed ones included.
        let read = FindingsAsk {
            open_only: ask.open_only && fresh.is_none(),
            updated_since: fresh.map(|(at, _)| *at - OVERLAP).or(ask.updated_since),
            ..ask.clone()
        };
        let found = securityhub::findings(&client, &read, ask.keeper(cap)).await?;
        let list = match fresh {
            Some((_, known)) => silo_core::findings::merge_open(known, found, cap),
            None => found,
        };
        if fleet {
            if let Ok(mut cache) = self.sh_cache.lock() {
                *cache = Some((started, list.clone()));
            }
        }
        Ok(Some(list))
    }

    /// The kept open findings after a workflow change of silo's own: what Security Hub processed
    /// takes the new status at once (the next incremental read could not see it).
    fn after_own_triage(&self, targets: &[silo_core::plan::Target], outcome: &ActionOutcome, status: &str) {
        let failed: HashSet<&str> = outcome.failed.iter().map(|(id, _)| id.as_str()).collect();
        let processed: HashSet<String> =
            targets.iter().map(|t| t.id.clone()).filter(|id| !failed.contains(id.as_str())).collect();
        if let Ok(mut cache) = self.sh_cache.lock() {
            if let Some((at, known)) = cache.take() {
                *cache = Some((at, silo_core::findings::after_own_triage(&known, &processed, status)));
            }
        }
    }

    /// Whether Security Hub is read through v2 (configured, or asked once for "auto").
    async fn uses_v2(&self, client: &aws_sdk_securityhub::Client, api: FindingsApi) -> bool {
        match api {
            FindingsApi::V1 => false,
            FindingsApi::V2 => true,
            FindingsApi::Auto => {
                if let Some(known) = self.v2.lock().ok().and_then(|v| *v) {
                    return known;
                }
                let found = securityhub_v2::enabled(client).await;
                if let Ok(mut v) = self.v2.lock() {
                    *v = Some(found);
                }
                found
            }
        }
    }

    async fn guardduty_findings(&self, ask: FindingsAsk) -> Result<Option<FindingList>, FetchError> {
        let Some(audit) = &self.config.audit else { return Ok(None) };
        let sdk = self.account_sdk(audit, &self.ctx.base_region()).await;
        let hub = securityhub::client(&sdk, &audit.account_id);
        if self.uses_v2(&hub, audit.findings_api).await {
            // The v2 feed already holds GuardDuty's findings; reading them again would count twice.
            return Ok(Some(FindingList::default()));
        }
        let keeper = ask.keeper(audit.findings_per_tenant);
        guardduty::findings(&guardduty::client(&sdk, &audit.account_id), &ask, keeper).await
    }

    async fn spend(&self, accounts: HashSet<String>) -> OrgWide {
        let Some(billing) = &self.config.billing else { return OrgWide::NotConfigured };
        let sdk = self.account_sdk(&billing.access, BUDGETS_REGION).await;
        let client = budgets::client(&sdk, &billing.access.account_id);
        let all = match budgets::describe(&client, &billing.access.account_id).await {
            Ok(all) => all,
            Err(e) => return OrgWide::Failed(e),
        };
        let mut spend = budgets::assign(&all, &accounts);
        attach_breaches(&client, &billing.access.account_id, &mut spend).await;
        if billing.tenant_budgets {
            let missing: Vec<Tenant> =
                self.known_tenants(&accounts).into_iter().filter(|t| !spend.contains_key(&t.account_id)).collect();
            for tenant in missing {
                if let Some(value) = self.tenant_budget(&tenant).await {
                    spend.insert(tenant.account_id.clone(), value);
                }
            }
        }
        OrgWide::PerAccount(spend.into_iter().map(|(a, s)| (a, s.map(OrgValue::Spend))).collect())
    }

    /// A budget kept inside the tenant's own account, read with its read role.
    async fn tenant_budget(&self, tenant: &Tenant) -> Option<Result<Spend, FetchError>> {
        let sdk = self.ctx.assumed(&tenant.account_id, &self.config.read_role, BUDGETS_REGION).await;
        let client = budgets::client(&sdk, &tenant.account_id);
        let all = match budgets::describe(&client, &tenant.account_id).await {
            Ok(all) => all,
            Err(e) => return Some(Err(e)),
        };
        let only: HashSet<String> = [tenant.account_id.clone()].into();
        let mut spend = budgets::assign(&all, &only);
        attach_breaches(&client, &tenant.account_id, &mut spend).await;
        spend.remove(&tenant.account_id)
    }

    /// A revision's essential image: task definitions never change, so each is read once.
    async fn image_of(
        &self,
        client: &aws_sdk_ecs::Client,
        account: &str,
        revision: &str,
    ) -> Result<Option<String>, FetchError> {
        if revision.is_empty() {
            return Ok(None);
        }
        let key = (account.to_string(), revision.to_string());
        if let Some(known) = self.images.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(Some(known));
        }
        let image = ecs::image_of(client, revision).await?;
        if let (Some(image), Ok(mut known)) = (&image, self.images.lock()) {
            known.insert(key, image.clone());
        }
        Ok(image)
    }

    fn known_tenants(&self, accounts: &HashSet<String>) -> Vec<Tenant> {
        let tenants = self.last_tenants.lock().map(|t| t.clone()).unwrap_or_default();
        tenants.into_iter().filter(|t| accounts.contains(&t.account_id)).collect()
    }

    /// Configured name filters of the tenant's resources (`[tenants] load_balancer = "{tenant}-alb"`).
    /// The Athena client of the logs account (its read role) and where queries run.
    async fn athena(&self) -> Result<(aws_sdk_athena::Client, athena::Settings), FetchError> {
        let (logs, settings) = self.athena_settings()?;
        let sdk = self.account_sdk(&logs.access, &self.ctx.base_region()).await;
        Ok((athena::client(&sdk, &logs.access.account_id), settings))
    }

    /// `[logs]` and where its queries run.
    fn athena_settings(&self) -> Result<(&silo_core::config::LogsConfig, athena::Settings), FetchError> {
        let Some(logs) = &self.config.logs else {
            let message = "log queries need [logs] in the config (the account with the Athena workgroup)";
            return Err(FetchError::new(AwsService::Athena, ErrorKind::Other, message));
        };
        let settings = athena::Settings {
            workgroup: logs.workgroup.clone(),
            database: logs.database.clone(),
            output_location: logs.output_location.clone(),
            reuse_minutes: logs.result_reuse_minutes as i32,
        };
        Ok((logs, settings))
    }

    /// A confirmed statement that changes data, started in the logs account with the operator
    /// role (assumed for this call only), exactly as the plan shows it.
    async fn execute_statement(&self, plan: &ActionPlan, query: &str) -> Result<ActionOutcome, FetchError> {
        let (logs, settings) = self.athena_settings()?;
        let text = |key: &str| plan.parameters[key].as_str().unwrap_or_default().to_string();
        let settings = athena::Settings {
            workgroup: text("WorkGroup"),
            database: plan.parameters["QueryExecutionContext"]["Database"].as_str().unwrap_or_default().into(),
            reuse_minutes: 0,
            ..settings
        };
        let parameters = plan.parameters["ExecutionParameters"].as_array().cloned().unwrap_or_default();
        let request = QueryRequest {
            name: query.to_string(),
            sql: text("QueryString"),
            parameters: parameters.iter().filter_map(|p| p.as_str().map(str::to_string)).collect(),
            tenant: None,
        };
        let role = logs.access.operator_role.clone().unwrap_or_else(|| self.config.operator_role.clone());
        let sdk = self.ctx.once(&plan.account, &role, &plan.region).await;
        let id = athena::start(&athena::client(&sdk, &plan.account), &settings, &request).await?;
        Ok(ActionOutcome { query_execution_id: Some(id), ..ActionOutcome::one(None) })
    }

    /// The audit account's operator configuration (assumed for this action only) and its id.
    async fn audit_operator(&self, plan: &ActionPlan) -> Result<(SdkConfig, String), FetchError> {
        let Some(audit) = &self.config.audit else {
            let message = "finding actions need [audit] in the config";
            return Err(FetchError::new(AwsService::Securityhub, ErrorKind::Other, message));
        };
        let role = audit.operator_role.clone().unwrap_or_else(|| self.config.operator_role.clone());
        Ok((self.ctx.once(&audit.account_id, &role, &plan.region).await, audit.account_id.clone()))
    }

    /// A deployment change with the operator role of the account it goes to, assumed now only
    /// and never retried; after an error or a timeout, what a re-read shows decides the outcome.
    async fn execute_deploy(&self, plan: &ActionPlan, change: &DeployChange) -> Result<ActionOutcome, FetchError> {
        let sdk = self.ctx.once(&plan.account, &self.config.operator_role, &plan.region).await;
        match deployments::write(&sdk, &plan.account, change).await {
            Ok(request_id) => Ok(ActionOutcome::one(request_id)),
            Err(error) => {
                let reader = self.ctx.assumed(&plan.account, &self.config.read_role, &plan.region).await;
                deployments::after_write_error(change, error, deployments::reread(&reader, &plan.account, change).await)
            }
        }
    }

    /// A schedule change with the operator role of the tenant account, assumed now only and never
    /// retried; after an error, whether the schedule exists (read with the read role) decides.
    async fn execute_schedule(&self, plan: &ActionPlan, change: &ScheduleChange) -> Result<ActionOutcome, FetchError> {
        if let Err(why) = change.still_ahead(chrono::Utc::now()) {
            return Err(FetchError::new(AwsService::Scheduler, ErrorKind::Other, why));
        }
        let sdk = self.ctx.once(&plan.account, &self.config.operator_role, &plan.region).await;
        let client = scheduler::client(&sdk, &plan.account);
        let written = match change {
            ScheduleChange::Create(spec) => scheduler::create(&client, spec).await,
            ScheduleChange::Delete { name, group } => scheduler::delete(&client, name, group).await,
        };
        let error = match written {
            Ok(request_id) => return Ok(ActionOutcome::one(request_id)),
            Err(error) => error,
        };
        let reader = self.ctx.assumed(&plan.account, &self.config.read_role, &plan.region).await;
        let (name, group) = change.schedule();
        change.after_error(error, scheduler::seen(&scheduler::client(&reader, &plan.account), name, group).await)
    }

    /// Where a registry column is read, for the limits: its org-wide account, or none (each
    /// tenant's own) for a per-tenant one.
    fn column_account(&self, name: &str) -> (AwsService, String) {
        let service = COLUMNS.iter().find(|(spec, _)| spec.name == name).map(|(spec, _)| spec.service);
        let account = match columns::reader(name) {
            Some(ColumnReader::OrgWide { account, .. }) => account(&self.config).map(|a| a.account_id.clone()),
            Some(ColumnReader::PerTenant(_)) | None => None,
        };
        (service.unwrap_or(AwsService::Sts), account.unwrap_or_default())
    }

    fn billing_client(&self) -> Option<(AccountRole, bool)> {
        self.config.billing.as_ref().map(|b| (b.access.clone(), b.tenant_budgets))
    }
}

async fn attach_breaches(
    client: &aws_sdk_budgets::Client,
    account: &str,
    spend: &mut HashMap<String, Result<Spend, FetchError>>,
) {
    let names: HashSet<String> = spend.values().filter_map(|s| s.as_ref().ok()).map(|s| s.budget.clone()).collect();
    if names.is_empty() {
        return;
    }
    let mut found = budgets::breaches(client, account, &names).await;
    for value in spend.values_mut().filter_map(|s| s.as_mut().ok()) {
        value.breached = found.remove(&value.budget).unwrap_or_default();
    }
}

impl FleetSource for AwsSource {
    fn list_tenants(self: Arc<Self>) -> BoxFuture<'static, Result<Vec<Tenant>, FetchError>> {
        async move {
            let tenants = self.tenants().await?;
            if let Ok(mut last) = self.last_tenants.lock() {
                last.clone_from(&tenants);
            }
            Ok(tenants)
        }
        .boxed()
    }

    fn service(self: Arc<Self>, tenant: Tenant) -> BoxFuture<'static, Result<Option<ServiceSummary>, FetchError>> {
        async move {
            let sdk = self.tenant_sdk(&tenant).await;
            let client = ecs::client(&sdk, &tenant.account_id);
            let Some(mut summary) = ecs::service(&client, &tenant).await? else { return Ok(None) };
            summary.image = self.image_of(&client, &tenant.account_id, &summary.task_definition).await?;
            summary.version = summary.image.as_deref().and_then(silo_core::terms::certified::version_of);
            Ok(Some(summary))
        }
        .boxed()
    }

    fn scheduled(self: Arc<Self>, tenant: Tenant) -> BoxFuture<'static, Result<Vec<ScheduledUpdate>, FetchError>> {
        async move {
            let sdk = self.tenant_sdk(&tenant).await;
            let found = scheduler::scheduled(&scheduler::client(&sdk, &tenant.account_id)).await?;
            let ecs = ecs::client(&sdk, &tenant.account_id);
            let mut updates = Vec::new();
            for scheduler::Scheduled { mut update, task_definition } in found {
                let image = self.image_of(&ecs, &tenant.account_id, &ecs::family_revision(&task_definition)).await?;
                update.to_version = image.as_deref().and_then(silo_core::terms::certified::version_of);
                updates.push(update);
            }
            Ok(updates)
        }
        .boxed()
    }

    fn provisioned(
        self: Arc<Self>,
        tenant: Tenant,
    ) -> BoxFuture<'static, Result<Option<Vec<Provisioned>>, FetchError>> {
        async move {
            if !self.config.service_catalog {
                return Ok(None);
            }
            let sdk = self.tenant_sdk(&tenant).await;
            servicecatalog::provisioned(&servicecatalog::client(&sdk, &tenant.account_id)).await.map(Some)
        }
        .boxed()
    }

    fn scheduler_errors(
        self: Arc<Self>,
        tenant: Tenant,
        since: chrono::DateTime<chrono::Utc>,
    ) -> BoxFuture<'static, Result<silo_core::schedule_outcome::SchedulerErrors, FetchError>> {
        async move {
            let sdk = self.tenant_sdk(&tenant).await;
            let client = cloudwatch::client(&sdk, &tenant.account_id);
            crate::scheduler_metrics::errors(&client, since, chrono::Utc::now()).await
        }
        .boxed()
    }

    fn vpn(
        self: Arc<Self>,
        tenant: Tenant,
        window: VpnWindow,
    ) -> BoxFuture<'static, Result<Option<VpnStatus>, FetchError>> {
        async move {
            let sdk = self.tenant_sdk(&tenant).await;
            vpn::status(&cloudwatch::client(&sdk, &tenant.account_id), window).await
        }
        .boxed()
    }

    fn aws_health(self: Arc<Self>) -> BoxFuture<'static, Result<Option<Vec<HealthEvent>>, FetchError>> {
        async move {
            let Some(access) = self.config.health.clone() else { return Ok(None) };
            let sdk = self.account_sdk(&access, health::HEALTH_REGION).await;
            health::events(&health::client(&sdk, &access.account_id), chrono::Utc::now()).await.map(Some)
        }
        .boxed()
    }

    fn releases(self: Arc<Self>) -> BoxFuture<'static, Result<Option<silo_core::releases::Releases>, FetchError>> {
        async move {
            let Some(config) = self.config.releases.clone() else { return Ok(None) };
            let region = config.access.region.clone().unwrap_or_else(|| self.ctx.base_region());
            let sdk = self.account_sdk(&config.access, &region).await;
            super::releases::read(&sdk, &config, &region).await.map(Some)
        }
        .boxed()
    }

    fn releases_account(&self) -> String {
        self.config.releases.as_ref().map(|r| r.access.account_id.clone()).unwrap_or_default()
    }

    fn alarms(self: Arc<Self>, tenant: Tenant) -> BoxFuture<'static, Result<AlarmSummary, FetchError>> {
        async move {
            let sdk = self.tenant_sdk(&tenant).await;
            cloudwatch::alarms(&cloudwatch::client(&sdk, &tenant.account_id)).await
        }
        .boxed()
    }

    fn scan_limit(self: Arc<Self>) -> BoxFuture<'static, Result<silo_core::queries::run::ScanLimit, FetchError>> {
        async move {
            let (client, settings) = self.athena().await?;
            athena::scan_limit(&client, &settings.workgroup).await
        }
        .boxed()
    }

    fn tenant_naming(&self) -> HashMap<String, FetchError> {
        self.naming.lock().map(|n| n.clone()).unwrap_or_default()
    }

    fn columns(&self) -> Vec<ColumnSpec> {
        COLUMNS.iter().map(|(spec, _)| *spec).collect()
    }

    fn column(self: Arc<Self>, tenant: Tenant, name: &'static str) -> BoxFuture<'static, ColumnAnswer> {
        async move {
            let Some(ColumnReader::PerTenant(read)) = columns::reader(name) else {
                return Err(FetchError::new(
                    AwsService::Sts,
                    ErrorKind::NotFound,
                    format!("no tenant column {name:?}"),
                ));
            };
            let sdk = self.tenant_sdk(&tenant).await;
            read(TenantCall { sdk, config: &self.config, tenant }).await
        }
        .boxed()
    }

    fn org_column(self: Arc<Self>, name: &'static str, accounts: HashSet<String>) -> BoxFuture<'static, OrgWide> {
        async move {
            let Some(ColumnReader::OrgWide { account, region, read }) = columns::reader(name) else {
                return OrgWide::NotConfigured;
            };
            let Some(access) = account(&self.config).cloned() else { return OrgWide::NotConfigured };
            let region = region.map(str::to_string).unwrap_or_else(|| self.ctx.base_region());
            let sdk = self.account_sdk(&access, &region).await;
            let call = OrgCall { sdk, account_id: access.account_id, config: &self.config, accounts };
            read(call).await
        }
        .boxed()
    }

    fn details(&self) -> Vec<DetailSpec> {
        crate::DETAILS.iter().map(|(spec, _)| *spec).collect()
    }

    fn detail(
        self: Arc<Self>,
        tenant: Tenant,
        name: &'static str,
    ) -> BoxFuture<'static, Result<DetailValue, FetchError>> {
        async move {
            let Some((_, read)) = crate::DETAILS.iter().find(|(spec, _)| spec.name == name) else {
                return Err(FetchError::new(AwsService::Sts, ErrorKind::NotFound, format!("no detail {name:?}")));
            };
            let sdk = self.tenant_sdk(&tenant).await;
            read(sdk, tenant).await
        }
        .boxed()
    }

    fn org_wide(self: Arc<Self>, slot: Slot, accounts: HashSet<String>) -> BoxFuture<'static, OrgWide> {
        async move {
            match slot {
                Slot::Spend => self.spend(accounts).await,
                // Findings are read whole by `findings`, alarms and services per tenant, registry
                // columns by `column` and `org_column`.
                Slot::SecurityHub | Slot::GuardDuty | Slot::Alarms | Slot::Service | Slot::Column(_) => {
                    OrgWide::NotConfigured
                }
            }
        }
        .boxed()
    }

    fn spend_history(
        self: Arc<Self>,
        tenant: Tenant,
        budget: String,
    ) -> BoxFuture<'static, Result<Vec<MonthSpend>, FetchError>> {
        async move {
            let Some((access, tenant_budgets)) = self.billing_client() else { return Ok(Vec::new()) };
            let billing_sdk = self.account_sdk(&access, BUDGETS_REGION).await;
            let client = budgets::client(&billing_sdk, &access.account_id);
            let found = budgets::history(&client, &access.account_id, &budget, chrono::Utc::now()).await;
            match found {
                Err(e) if tenant_budgets && e.kind == silo_core::error::ErrorKind::NotFound => {
                    let sdk = self.ctx.assumed(&tenant.account_id, &self.config.read_role, BUDGETS_REGION).await;
                    let client = budgets::client(&sdk, &tenant.account_id);
                    budgets::history(&client, &tenant.account_id, &budget, chrono::Utc::now()).await
                }
                other => other,
            }
        }
        .boxed()
    }

    fn findings(
        self: Arc<Self>,
        source: FindingSource,
        ask: FindingsAsk,
    ) -> BoxFuture<'static, Result<Option<FindingList>, FetchError>> {
        async move {
            match source {
                FindingSource::Securityhub => self.securityhub_findings(ask).await,
                FindingSource::Guardduty => self.guardduty_findings(ask).await,
            }
        }
        .boxed()
    }

    fn dashboard(
        self: Arc<Self>,
        tenant: Tenant,
        range: silo_core::metrics::Range,
        end: Option<chrono::DateTime<chrono::Utc>>,
    ) -> BoxFuture<'static, Result<silo_core::metrics::Dashboard, FetchError>> {
        async move {
            let (client, resources, monitoring) = self.metrics_reader(&tenant).await?;
            let end = end.unwrap_or_else(chrono::Utc::now);
            metrics::dashboard(&client, &tenant, &resources, range, end, monitoring).await
        }
        .boxed()
    }

    fn metric_between(
        self: Arc<Self>,
        tenant: Tenant,
        metric: &'static silo_core::metrics::MetricSpec,
        span: (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>),
        period: i32,
    ) -> BoxFuture<'static, Result<silo_core::metrics::Series, FetchError>> {
        async move {
            let (client, resources, monitoring) = self.metrics_reader(&tenant).await?;
            metrics::series_between(&client, &tenant, &resources, metric, span, period, monitoring).await
        }
        .boxed()
    }

    fn alarm_history(
        self: Arc<Self>,
        tenant: Tenant,
        alarm: String,
    ) -> BoxFuture<'static, Result<Vec<silo_core::alarms::AlarmHistoryItem>, FetchError>> {
        async move {
            let sdk = self.tenant_sdk(&tenant).await;
            cloudwatch::history(&cloudwatch::client(&sdk, &tenant.account_id), &alarm).await
        }
        .boxed()
    }

    fn deploy_status(
        self: Arc<Self>,
        tenant: Tenant,
    ) -> BoxFuture<'static, Result<silo_core::deploy::DeployStatus, FetchError>> {
        async move {
            let sdk = self.tenant_sdk(&tenant).await;
            let mut status = ecs_deploy::status(&ecs::client(&sdk, &tenant.account_id), &tenant).await?;
            // The latest listing, never a new one: a status is read per tenant, often all at once.
            let shared = self.last_tenants.lock().ok().and_then(|l| self.config.pipeline_shared(&tenant, &l));
            if let Some(why) = shared {
                // No freeze offered: the pipeline is not this tenant's alone.
                status.notes.push(why);
            } else if let Some(stage) = self.config.pipeline_for(&tenant) {
                let sdk = self.ctx.assumed(&stage.account_id, &self.config.read_role, &tenant.region).await;
                match codepipeline::freeze(&codepipeline::client(&sdk, &stage.account_id), &stage).await {
                    Ok(freeze) => {
                        status.freeze = freeze;
                    }
                    Err(e) => status.notes.push(format!("freeze unknown: {}", e.message)),
                }
                status.pipeline = Some(stage);
            }
            Ok(status)
        }
        .boxed()
    }

    fn query_start(self: Arc<Self>, request: QueryRequest) -> BoxFuture<'static, Result<String, FetchError>> {
        async move {
            // Refused before the role is assumed, and again where the query starts.
            silo_core::queries::statement::require_read(&request.sql)?;
            let (client, settings) = self.athena().await?;
            athena::start_read(&client, &settings, &request).await
        }
        .boxed()
    }

    fn query_status(self: Arc<Self>, id: String) -> BoxFuture<'static, Result<QueryStatus, FetchError>> {
        async move { athena::status(&self.athena().await?.0, &id).await }.boxed()
    }

    fn query_stop(self: Arc<Self>, id: String) -> BoxFuture<'static, Result<(), FetchError>> {
        async move { athena::stop(&self.athena().await?.0, &id).await }.boxed()
    }

    fn query_page(
        self: Arc<Self>,
        id: String,
        token: Option<String>,
        drop_header: bool,
    ) -> BoxFuture<'static, Result<ResultPage, FetchError>> {
        async move { athena::page(&self.athena().await?.0, &id, token, drop_header).await }.boxed()
    }

    fn identity(self: Arc<Self>) -> BoxFuture<'static, String> {
        async move {
            if let Some(known) = self.identity.lock().ok().and_then(|i| i.clone()) {
                return known;
            }
            match self.ctx.caller_identity().await {
                Ok(arn) => {
                    if let Ok(mut cache) = self.identity.lock() {
                        *cache = Some(arn.clone());
                    }
                    arn
                }
                Err(e) => format!("unknown (GetCallerIdentity failed: {e})"),
            }
        }
        .boxed()
    }

    fn execute(
        self: Arc<Self>,
        plan: ActionPlan,
        _permit: WritePermit,
    ) -> BoxFuture<'static, Result<ActionOutcome, FetchError>> {
        async move {
            match &plan.kind {
                ActionKind::Deploy(change) => self.execute_deploy(&plan, change).await,
                ActionKind::AthenaStatement { query, .. } => self.execute_statement(&plan, query).await,
                ActionKind::Schedule(change) => self.execute_schedule(&plan, change).await,
                ActionKind::FindingStatus { status, note } => {
                    let (sdk, audit) = self.audit_operator(&plan).await?;
                    let client = securityhub::client(&sdk, &audit);
                    match plan.api.as_str() {
                        "securityhub:BatchUpdateFindingsV2" => {
                            securityhub_v2::update_status(&client, &plan.targets, status, note).await
                        }
                        "securityhub:BatchUpdateFindings" => {
                            let outcome = securityhub::update_workflow(&client, &plan.targets, status, note).await?;
                            self.after_own_triage(&plan.targets, &outcome, status);
                            Ok(outcome)
                        }
                        other => Err(FetchError::new(
                            AwsService::Securityhub,
                            ErrorKind::Other,
                            format!("a finding status plan cannot call {other}"),
                        )),
                    }
                }
                ActionKind::GuardDutyArchive { archive } => {
                    let (sdk, audit) = self.audit_operator(&plan).await?;
                    let detector = plan.targets.first().map(|t| t.product.clone()).unwrap_or_default();
                    let ids: Vec<String> = plan.targets.iter().map(|t| t.id.clone()).collect();
                    let client = guardduty::client(&sdk, &audit);
                    guardduty::set_archived(&client, &detector, &ids, *archive).await
                }
            }
        }
        .boxed()
    }

    fn cost_explorer(self: Arc<Self>, accounts: Vec<String>) -> BoxFuture<'static, Result<CostReport, FetchError>> {
        async move {
            let Some((access, _)) = self.billing_client() else {
                let message = "Cost Explorer needs [billing] account_id (the management account)";
                return Err(FetchError::new(AwsService::Budgets, silo_core::error::ErrorKind::Other, message));
            };
            let sdk = self.account_sdk(&access, BUDGETS_REGION).await;
            let client = costexplorer::client(&sdk, &access.account_id);
            costexplorer::cost(&client, &accounts, chrono::Utc::now().date_naive()).await
        }
        .boxed()
    }

    fn org_account(&self, slot: Slot) -> (AwsService, String) {
        let audit = self.config.audit.as_ref().map(|a| a.account_id.clone()).unwrap_or_default();
        match slot {
            Slot::SecurityHub => (AwsService::Securityhub, audit),
            Slot::GuardDuty => (AwsService::Guardduty, audit),
            Slot::Spend => (AwsService::Budgets, self.billing_client().map(|(a, _)| a.account_id).unwrap_or_default()),
            Slot::Column(name) => self.column_account(name),
            // Per-tenant slots are limited under each tenant's own account.
            Slot::Alarms => (AwsService::Cloudwatch, String::new()),
            Slot::Service => (AwsService::Ecs, String::new()),
        }
    }

    fn label(&self) -> String {
        format!("aws {}", self.ctx.base_region())
    }
}
