//! `silo doctor --deep`: with each configured role, one harmless call for each IAM action silo's
//! reads use (crate::probes), reported as ok, allowed (the permission is there, the thing asked
//! for is not), not enabled, or denied with the action to grant and the policy file it is in.
//! Tenant roles are probed in one tenant (the first listed, or `--tenant`). Writes are not
//! probed (no write is harmless); `--schedule-probe` exercises Scheduler's whole path.

use super::doctor::{Check, Status};
use super::probes::{self, Probe, Seen};
use super::source::AwsSource;
use silo_core::config::Config;
use silo_core::error::ErrorKind;
use silo_core::model::Tenant;

/// Who a probe ran as: the role's name, the account, the policy file that should grant it.
struct As<'a> {
    label: &'a str,
    role: String,
    account: String,
    policy: &'a str,
    tenant: Option<&'a Tenant>,
}

impl As<'_> {
    fn checks(&self, probes: Vec<Probe>) -> Vec<Check> {
        probes.into_iter().map(|p| self.check(p)).collect()
    }

    fn check(&self, probe: Probe) -> Check {
        let (status, detail, fix) = match probe.seen {
            Ok(Seen::Answered(what)) => (Status::Ok, what, None),
            Ok(Seen::Allowed(what)) => (Status::Ok, what, None),
            Ok(Seen::NotEnabled(what)) => (Status::Warn, format!("not enabled: {what}"), None),
            Err(e) if e.kind == ErrorKind::Denied => {
                let fix =
                    format!("grant {} to {} in {} (docs/iam/{})", probe.action, self.role, self.account, self.policy);
                (Status::Fail, format!("denied: {e}"), Some(fix))
            }
            Err(e) => (Status::Fail, e.to_string(), None),
        };
        Check {
            check: format!("{} {}", self.label, probe.action),
            tenant: self.tenant.map(|t| t.name.clone()),
            account_id: Some(self.account.clone()),
            status,
            detail,
            fix,
            essential: false,
        }
    }
}

/// Every role's probes, the organization-wide ones first, then the chosen tenant's.
pub async fn run(source: &AwsSource, config: &Config, tenant: Option<&Tenant>) -> Vec<Check> {
    let mut checks = Vec::new();
    checks.extend(audit(source, config).await);
    checks.extend(logs(source, config).await);
    checks.extend(monitoring(source, config).await);
    checks.extend(billing(source, config).await);
    checks.extend(health(source, config).await);
    checks.extend(compliance(source, config).await);
    checks.extend(releases(source, config).await);
    checks.extend(governance(source, config).await);
    if let Some(tenant) = tenant {
        checks.extend(tenant_read(source, config, tenant).await);
        checks.extend(tenant_operator(source, config, tenant).await);
    }
    checks
}

async fn tenant_read(source: &AwsSource, config: &Config, tenant: &Tenant) -> Vec<Check> {
    let sdk = source.context().assumed(&tenant.account_id, &config.read_role, &tenant.region).await;
    let id = &tenant.account_id;
    let mut found = probes::ecs::read(&super::ecs::client(&sdk, id), tenant).await;
    let cloudwatch = super::cloudwatch::client(&sdk, id);
    found.extend(probes::cloudwatch::alarms(&cloudwatch).await);
    found.extend(probes::cloudwatch::metrics(&cloudwatch, chrono::Utc::now()).await);
    found.extend(probes::scheduler::read(&super::scheduler::client(&sdk, id)).await);
    if config.service_catalog {
        found.extend(probes::servicecatalog::read(&super::servicecatalog::client(&sdk, id)).await);
    }
    if config.billing.as_ref().is_some_and(|b| b.tenant_budgets) {
        found.extend(probes::budgets::read(&super::budgets::client(&sdk, id), id).await);
    }
    let role = config.read_role.clone();
    let who = As { label: "read", role, account: id.clone(), policy: "silo-read.json", tenant: Some(tenant) };
    let mut checks = who.checks(found);
    checks.extend(pipeline(source, config, tenant, Access::Read).await);
    checks
}

#[derive(Clone, Copy)]
enum Access {
    Read,
    Operator,
}

/// The tenant's pipeline stage (`[pipelines]`), read as the freeze reads it, in its account.
async fn pipeline(source: &AwsSource, config: &Config, tenant: &Tenant, access: Access) -> Vec<Check> {
    let Some(stage) = config.pipeline_for(tenant) else { return Vec::new() };
    let (label, role, policy) = match access {
        Access::Read => ("read", &config.read_role, "silo-read.json"),
        Access::Operator => ("operator", &config.operator_role, "silo-operator.json"),
    };
    let sdk = match access {
        Access::Read => source.context().assumed(&stage.account_id, role, &tenant.region).await,
        Access::Operator => source.context().once(&stage.account_id, role, &tenant.region).await,
    };
    let client = super::codepipeline::client(&sdk, &stage.account_id);
    let found = probes::codepipeline::read(&client, &stage.pipeline).await;
    let who = As { label, role: role.clone(), account: stage.account_id.clone(), policy, tenant: Some(tenant) };
    who.checks(found)
}

/// The operator role, assumed for these reads only (as for an action): what every action reads
/// first. Nothing is changed.
async fn tenant_operator(source: &AwsSource, config: &Config, tenant: &Tenant) -> Vec<Check> {
    let id = &tenant.account_id;
    let sdk = source.context().once(id, &config.operator_role, &tenant.region).await;
    let mut found = probes::ecs::operator(&super::ecs::client(&sdk, id), tenant).await;
    found.extend(probes::scheduler::operator(&super::scheduler::client(&sdk, id)).await);
    let role = config.operator_role.clone();
    let who = As { label: "operator", role, account: id.clone(), policy: "silo-operator.json", tenant: Some(tenant) };
    let mut checks = who.checks(found);
    checks.extend(pipeline(source, config, tenant, Access::Operator).await);
    checks
}

async fn audit(source: &AwsSource, config: &Config) -> Vec<Check> {
    let Some(audit) = &config.audit else { return Vec::new() };
    let region = audit.region.clone().unwrap_or_else(|| source.context().base_region());
    let role = audit.role.clone().unwrap_or_default();
    let sdk = source.context().assumed(&audit.account_id, &role, &region).await;
    let mut found = probes::securityhub::read(&super::securityhub::client(&sdk, &audit.account_id)).await;
    found.extend(probes::guardduty::read(&super::guardduty::client(&sdk, &audit.account_id)).await);
    let who = As { label: "audit", role, account: audit.account_id.clone(), policy: "silo-audit.json", tenant: None };
    who.checks(found)
}

async fn logs(source: &AwsSource, config: &Config) -> Vec<Check> {
    let Some(logs) = &config.logs else { return Vec::new() };
    let region = logs.access.region.clone().unwrap_or_else(|| source.context().base_region());
    let account = logs.access.account_id.clone();
    let settings = super::athena::Settings {
        workgroup: logs.workgroup.clone(),
        database: logs.database.clone(),
        output_location: logs.output_location.clone(),
        reuse_minutes: 0,
    };
    let role = logs.access.role.clone().unwrap_or_default();
    let sdk = source.context().assumed(&account, &role, &region).await;
    let found = probes::athena::read(&super::athena::client(&sdk, &account), &settings).await;
    let who = As { label: "logs", role, account: account.clone(), policy: "silo-logs.json", tenant: None };
    let mut checks = who.checks(found);
    let operator = logs.access.operator_role.clone().unwrap_or_else(|| config.operator_role.clone());
    let sdk = source.context().once(&account, &operator, &region).await;
    let found = probes::athena::operator(&super::athena::client(&sdk, &account), &settings).await;
    let who = As { label: "logs operator", role: operator, account, policy: "silo-logs-operator.json", tenant: None };
    checks.extend(who.checks(found));
    checks
}

async fn monitoring(source: &AwsSource, config: &Config) -> Vec<Check> {
    let Some(m) = &config.monitoring else { return Vec::new() };
    let region = m.region.clone().unwrap_or_else(|| source.context().base_region());
    let role = m.role.clone().unwrap_or_default();
    let sdk = source.context().assumed(&m.account_id, &role, &region).await;
    let found = probes::cloudwatch::metrics(&super::cloudwatch::client(&sdk, &m.account_id), chrono::Utc::now()).await;
    As { label: "monitoring", role, account: m.account_id.clone(), policy: "silo-monitoring.json", tenant: None }
        .checks(found)
}

async fn billing(source: &AwsSource, config: &Config) -> Vec<Check> {
    let Some(billing) = &config.billing else { return Vec::new() };
    let access = &billing.access;
    let (sdk, role) = match &access.role {
        Some(role) => (source.context().assumed(&access.account_id, role, "us-east-1").await, role.clone()),
        None => {
            let base = source.context().base().to_builder().region(aws_config::Region::new("us-east-1")).build();
            (base, "the base identity".to_string())
        }
    };
    let mut found = probes::budgets::read(&super::budgets::client(&sdk, &access.account_id), &access.account_id).await;
    if billing.cost_explorer {
        let ce = super::costexplorer::client(&sdk, &access.account_id);
        found.extend(probes::costexplorer::read(&ce, chrono::Utc::now().date_naive()).await);
    }
    As { label: "billing", role, account: access.account_id.clone(), policy: "silo-billing.json", tenant: None }
        .checks(found)
}

async fn health(source: &AwsSource, config: &Config) -> Vec<Check> {
    let Some(h) = &config.health else { return Vec::new() };
    let role = h.role.clone().unwrap_or_default();
    let sdk = source.context().assumed(&h.account_id, &role, super::health::HEALTH_REGION).await;
    let found = probes::health::read(&super::health::client(&sdk, &h.account_id)).await;
    As { label: "health", role, account: h.account_id.clone(), policy: "silo-health.json", tenant: None }.checks(found)
}

async fn compliance(source: &AwsSource, config: &Config) -> Vec<Check> {
    let Some(c) = &config.compliance else { return Vec::new() };
    let region = c.access.region.clone().unwrap_or_else(|| source.context().base_region());
    let role = c.access.role.clone().unwrap_or_default();
    let sdk = source.context().assumed(&c.access.account_id, &role, &region).await;
    let found = probes::config::read(&super::configservice::client(&sdk, &c.access.account_id), &c.aggregator).await;
    As { label: "compliance", role, account: c.access.account_id.clone(), policy: "silo-compliance.json", tenant: None }
        .checks(found)
}

/// The releases role in the registry's account: the images, the pipelines' runs and, with
/// `[releases] inspector`, Inspector's findings and coverage.
async fn releases(source: &AwsSource, config: &Config) -> Vec<Check> {
    let Some(r) = &config.releases else { return Vec::new() };
    let (account, role) = (r.access.account_id.clone(), r.access.role.clone().unwrap_or_default());
    let region = r.access.region.clone().unwrap_or_else(|| source.context().base_region());
    let sdk = source.context().assumed(&account, &role, &region).await;
    let mut found = probes::ecr::read(&super::ecr::client(&sdk, &account), &account, &r.repository).await;
    let pipelines = super::codepipeline::client(&sdk, &account);
    for pipeline in &r.pipelines {
        found.extend(probes::codepipeline::releases(&pipelines, pipeline).await);
    }
    if r.inspector {
        found.extend(probes::inspector::read(&super::inspector::client(&sdk, &account), &r.repository).await);
    }
    As { label: "releases", role, account, policy: "silo-releases.json", tenant: None }.checks(found)
}

/// The governance role in the management account, in Control Tower's home region.
async fn governance(source: &AwsSource, config: &Config) -> Vec<Check> {
    let Some(g) = &config.governance else { return Vec::new() };
    let (account, role) = (g.account_id.clone(), g.role.clone().unwrap_or_default());
    let region = g.region.clone().unwrap_or_else(|| source.context().base_region());
    let sdk = source.context().assumed(&account, &role, &region).await;
    let found = probes::controltower::read(&super::controltower::client(&sdk, &account)).await;
    As { label: "governance", role, account, policy: "silo-governance.json", tenant: None }.checks(found)
}
