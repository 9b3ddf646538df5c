//! The demo's AWS Config compliance: twelve organization rules in every tenant account, a few
//! tenants with rules out of compliance.

use silo_core::compliance::{RuleCompliance, TenantCompliance, NON_COMPLIANT};
use silo_core::model::Tenant;

const RULES: [&str; 12] = [
    "cloudtrail-enabled",
    "encrypted-volumes",
    "iam-password-policy",
    "rds-storage-encrypted",
    "rds-multi-az-support",
    "restricted-ssh",
    "root-account-mfa-enabled",
    "s3-bucket-public-read-prohibited",
    "s3-bucket-ssl-requests-only",
    "vpc-flow-logs-enabled",
    "alb-http-to-https-redirection-check",
    "ecs-containers-nonprivileged",
];

/// How many of the rules (from the end of the list) a tenant breaks.
fn broken(tenant: &str) -> usize {
    match tenant {
        "fjord-logistics" => 3,
        "magma-chemicals" => 2,
        "granite-build" | "rivet-industrial" => 1,
        _ => 0,
    }
}

pub fn compliance(tenant: &Tenant) -> TenantCompliance {
    let bad = broken(&tenant.name);
    let rules = RULES[RULES.len() - bad..]
        .iter()
        .map(|name| RuleCompliance {
            name: name.to_string(),
            compliance: NON_COMPLIANT.into(),
            region: tenant.region.clone(),
        })
        .collect();
    let count = |count: usize| silo_core::compliance::Count { count: count as u32, capped: false };
    TenantCompliance::new(count(bad), count(RULES.len() - bad), rules)
}

/// The fleet's COMPLIANCE column (`silo_core::compliance::COLUMN`): the aggregator knows every
/// demo tenant.
pub fn column(
    tenants: &[(Tenant, super::tenants::Profile)],
    _now: chrono::DateTime<chrono::Utc>,
    accounts: &std::collections::HashSet<String>,
) -> silo_core::source::OrgWide {
    super::org_wide::each_asked(tenants, accounts, |t| silo_core::column::ColumnValue::new(compliance(t)))
}
