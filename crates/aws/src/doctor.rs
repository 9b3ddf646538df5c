//! `silo doctor`: checks, one by one and tenant by tenant, everything silo needs, and says what to
//! fix (the IAM action or the trust relationship) when a check fails. Read-only: the operator role
//! is assumed but nothing is done with it.

use super::errors::classify;
use super::source::AwsSource;
use super::{athena, budgets, ecs, guardduty, securityhub};
use futures::StreamExt;
use serde::Serialize;
use silo_core::config::Config;
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::{AwsService, Tenant};
use silo_core::source::FleetSource;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warn,
    Fail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub check: String,
    pub tenant: Option<String>,
    pub account_id: Option<String>,
    pub status: Status,
    pub detail: String,
    /// What to change when it failed.
    pub fix: Option<String>,
    /// silo cannot work at all without it.
    pub essential: bool,
}

fn check(name: &str, status: Status, detail: impl Into<String>, fix: Option<String>) -> Check {
    Check { check: name.into(), tenant: None, account_id: None, status, detail: detail.into(), fix, essential: false }
}

fn outcome<T>(
    name: &str,
    result: Result<T, FetchError>,
    ok: impl FnOnce(T) -> String,
    fix: impl FnOnce(&FetchError) -> String,
) -> Check {
    match result {
        Ok(v) => check(name, Status::Ok, ok(v), None),
        Err(e) => {
            let fix = fix(&e);
            check(name, Status::Fail, e.to_string(), Some(fix))
        }
    }
}

/// Every check, global ones first, then each tenant's.
pub async fn run(source: Arc<AwsSource>, config: &Config) -> Vec<Check> {
    let mut checks = vec![config_check(config), identity(&source).await];
    let tenants = source.clone().list_tenants().await;
    checks.push(tenant_list(&tenants, config));
    checks.extend(audit(&source, config).await);
    checks.extend(logs(&source, config).await);
    checks.extend(billing(&source, config).await);
    if let Ok(tenants) = tenants {
        let per_tenant = futures::stream::iter(tenants)
            .map(|t| {
                let source = source.clone();
                async move { tenant_checks(&source, config, &t).await }
            })
            .buffer_unordered(config.fetch.concurrency.clamp(1, 16))
            .collect::<Vec<_>>()
            .await;
        let mut per_tenant: Vec<Check> = per_tenant.into_iter().flatten().collect();
        per_tenant.sort_by(|a, b| a.tenant.cmp(&b.tenant));
        checks.extend(per_tenant);
    }
    checks
}

fn config_check(config: &Config) -> Check {
    let path = config.path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "(built in)".into());
    Check { essential: true, ..check("config", Status::Ok, format!("{path} is valid"), None) }
}

async fn identity(source: &AwsSource) -> Check {
    let result = source.context().caller_identity().await;
    let fix = |_: &FetchError| {
        "no usable base credentials: run `aws sso login` (or set AWS_PROFILE / --profile, or AWS_ACCESS_KEY_ID)"
            .to_string()
    };
    Check { essential: true, ..outcome("base identity", result, |arn| arn, fix) }
}

fn tenant_list(tenants: &Result<Vec<Tenant>, FetchError>, config: &Config) -> Check {
    let fix = |e: &FetchError| {
        match (&config.tenants, e.kind) {
        (silo_core::config::TenantSource::Organizations { .. }, ErrorKind::Denied) => {
            "the base identity needs organizations:ListRoots, ListOrganizationalUnitsForParent, ListAccountsForParent and ListTagsForResource in the management account (docs/iam/silo-base.json), or list tenants with [tenants] source = \"static\"".into()
        }
        (silo_core::config::TenantSource::Organizations { ou, .. }, _) => format!("check [tenants] ou = {ou:?}: an OU name or id (ou-…) under the organization's root"),
        _ => "check [[tenants.static]]".into(),
    }
    };
    let result = tenants.as_ref().map(Vec::len).map_err(Clone::clone);
    let listed = outcome("tenant list", result, |n| format!("{n} tenants"), fix);
    match listed.status {
        Status::Ok if listed.detail == "0 tenants" => Check {
            status: Status::Fail,
            fix: Some("no tenants found: check [tenants] ou (ACTIVE accounts under it are tenants)".into()),
            essential: true,
            ..listed
        },
        _ => Check { essential: true, ..listed },
    }
}

async fn tenant_checks(source: &AwsSource, config: &Config, tenant: &Tenant) -> Vec<Check> {
    let ctx = source.context();
    let for_tenant =
        |c: Check| Check { tenant: Some(tenant.name.clone()), account_id: Some(tenant.account_id.clone()), ..c };
    let read = ctx.assumed(&tenant.account_id, &config.read_role, &tenant.region).await;
    let role = super::context::role_arn(&tenant.account_id, &config.read_role, &tenant.region);
    let trust = |r: &str| {
        // silo sets SourceIdentity on every AssumeRole: a trust policy without
        // sts:SetSourceIdentity denies it, which is the likely cause after an upgrade.
        format!(
            "create {r} trusting the base identity with sts:AssumeRole and sts:SetSourceIdentity (docs/iam.md), and allow both on it in docs/iam/silo-base.json"
        )
    };
    let assumed = who_am_i(&read).await;
    let read_check = outcome("read role", assumed.clone(), |arn| arn, |_| trust(&role));
    let mut checks = vec![for_tenant(read_check)];
    if assumed.is_ok() {
        let service = ecs::service(&ecs::client(&read, &tenant.account_id), tenant).await;
        let service_check = match service {
            Ok(Some(s)) => {
                check("ecs service", Status::Ok, format!("{}/{} runs {}", s.cluster, s.name, s.task_definition), None)
            }
            Ok(None) => check(
                "ecs service",
                Status::Warn,
                format!("no service {} in cluster {}", tenant.ecs_service, tenant.ecs_cluster),
                Some(
                    "set [tenants] ecs_cluster / ecs_service (patterns with {tenant}) or the tenant's static entry"
                        .into(),
                ),
            ),
            Err(e) => check(
                "ecs service",
                Status::Fail,
                e.to_string(),
                Some(format!("{} needs ecs:DescribeServices (docs/iam/silo-read.json)", config.read_role)),
            ),
        };
        checks.push(for_tenant(service_check));
    }
    let operator = ctx.once(&tenant.account_id, &config.operator_role, &tenant.region).await;
    let op_role = super::context::role_arn(&tenant.account_id, &config.operator_role, &tenant.region);
    let op_check = outcome(
        "operator role",
        who_am_i(&operator).await,
        |arn| format!("{arn} (assumed, nothing done)"),
        |_| trust(&op_role),
    );
    // Actions are refused without it, reads still work: a warning.
    let op_check = if op_check.status == Status::Fail { Check { status: Status::Warn, ..op_check } } else { op_check };
    checks.push(for_tenant(op_check));
    checks
}

async fn who_am_i(sdk: &aws_config::SdkConfig) -> Result<String, FetchError> {
    let out =
        aws_sdk_sts::Client::new(sdk).get_caller_identity().send().await.map_err(|e| classify(AwsService::Sts, e))?;
    Ok(out.arn().unwrap_or("unknown").to_string())
}

async fn audit(source: &AwsSource, config: &Config) -> Vec<Check> {
    let Some(audit) = &config.audit else {
        return vec![check(
            "audit account",
            Status::Warn,
            "[audit] not configured: findings are not shown",
            Some("set [audit] account_id (the Security Hub / GuardDuty delegated administrator)".into()),
        )];
    };
    let region = audit.region.clone().unwrap_or_else(|| source.context().base_region());
    let role = audit.role.clone().unwrap_or_default();
    let sdk = source.context().assumed(&audit.account_id, &role, &region).await;
    let hub = securityhub::client(&sdk, &audit.account_id);
    let sh =
        hub.get_findings().max_results(1).send().await.map(|_| ()).map_err(|e| classify(AwsService::Securityhub, e));
    let gd = guardduty::client(&sdk, &audit.account_id).list_detectors().send().await;
    let gd = gd.map(|o| o.detector_ids().len()).map_err(|e| classify(AwsService::Guardduty, e));
    vec![
        outcome(
            "security hub",
            sh,
            |_| format!("readable in {}", audit.account_id),
            |_| {
                format!("{role} in {} needs securityhub:GetFindings (docs/iam/silo-audit.json), and Security Hub enabled there as delegated administrator", audit.account_id)
            },
        ),
        outcome(
            "guardduty",
            gd,
            |n| format!("{n} detector(s) in {region}"),
            |_| {
                format!(
                    "{role} in {} needs guardduty:ListDetectors, ListFindings, GetFindings (docs/iam/silo-audit.json)",
                    audit.account_id
                )
            },
        ),
    ]
}

async fn logs(source: &AwsSource, config: &Config) -> Vec<Check> {
    let Some(logs) = &config.logs else {
        return vec![check(
            "logs workgroup",
            Status::Warn,
            "[logs] not configured: log queries are not available",
            Some("set [logs] account_id, workgroup and database (docs/athena.md)".into()),
        )];
    };
    let region = logs.access.region.clone().unwrap_or_else(|| source.context().base_region());
    let role = logs.access.role.clone().unwrap_or_default();
    let sdk = source.context().assumed(&logs.access.account_id, &role, &region).await;
    let client = athena::client(&sdk, &logs.access.account_id);
    let wg =
        client.get_work_group().work_group(&logs.workgroup).send().await.map_err(|e| classify(AwsService::Athena, e));
    // An answer without the workgroup (as emulators give) means it does not exist.
    let wg = wg.and_then(|o| match o.work_group().map(|w| w.name()) {
        Some(name) if name == logs.workgroup => Ok(()),
        _ => Err(FetchError::new(
            AwsService::Athena,
            ErrorKind::NotFound,
            format!("workgroup {} not found", logs.workgroup),
        )),
    });
    vec![outcome(
        "logs workgroup",
        wg,
        |_| format!("workgroup {} reachable in {}", logs.workgroup, logs.access.account_id),
        |_| {
            format!("create workgroup {} in {} and allow athena:GetWorkGroup and the query actions of docs/iam/silo-logs.json to {role}", logs.workgroup, logs.access.account_id)
        },
    )]
}

async fn billing(source: &AwsSource, config: &Config) -> Vec<Check> {
    let Some(billing) = &config.billing else {
        return vec![check(
            "budgets",
            Status::Warn,
            "[billing] not configured: spend is not shown",
            Some("set [billing] account_id (the account that owns the budgets)".into()),
        )];
    };
    let access = &billing.access;
    let sdk = match &access.role {
        Some(role) => source.context().assumed(&access.account_id, role, "us-east-1").await,
        None => source.context().base().to_builder().region(aws_config::Region::new("us-east-1")).build(),
    };
    let client = budgets::client(&sdk, &access.account_id);
    let found = client.describe_budgets().account_id(&access.account_id).max_results(1).send().await;
    let found = found.map(|o| o.budgets().len()).map_err(|e| classify(AwsService::Budgets, e));
    vec![outcome(
        "budgets",
        found,
        |_| format!("readable in {}", access.account_id),
        |_| format!("allow budgets:ViewBudget in {} (docs/iam/silo-billing.json)", access.account_id),
    )]
}

/// silo cannot work: an essential check failed.
pub fn essential_failure(checks: &[Check]) -> bool {
    checks.iter().any(|c| c.essential && c.status == Status::Fail)
        || !checks.iter().any(|c| c.check == "read role" && c.status == Status::Ok)
}
