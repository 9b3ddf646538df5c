//! The demo's Control Tower: landing zone 3.3 in sync, every tenant account enrolled through the
//! tenants' OU (the enterprise customers through their own, with two more controls), and one
//! account drifted: quartz-glass was moved and its role edited by hand outside Control Tower, so
//! its AWSControlTowerBaseline no longer matches its OU's.

use silo_core::governance::{Control, Enrolment, LandingZone, TenantGovernance, DRIFTED};
use silo_core::model::Tenant;

const DRIFTED_TENANT: &str = "quartz-glass";
const ENTERPRISE: [&str; 4] = ["harbor-pharma", "lumen-energy", "sable-furniture", "delta-aero"];

/// Controls on every tenant OU (Control Tower's legacy names).
const CONTROLS: [&str; 6] = [
    "AWS-GR_AUDIT_BUCKET_PUBLIC_READ_PROHIBITED",
    "AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED",
    "AWS-GR_CONFIG_CHANGE_PROHIBITED",
    "AWS-GR_ENCRYPTED_VOLUMES",
    "AWS-GR_RESTRICT_ROOT_USER",
    "AWS-GR_RESTRICT_ROOT_USER_ACCESS_KEYS",
];
/// The enterprise customers' OU adds these.
const ENTERPRISE_CONTROLS: [&str; 2] = ["AWS-GR_REGION_DENY", "AWS-GR_RDS_INSTANCE_PUBLIC_ACCESS_CHECK"];

fn landing_zone() -> LandingZone {
    LandingZone {
        version: "3.3".into(),
        latest_version: Some("3.3".into()),
        status: Some("ACTIVE".into()),
        drift: Some("IN_SYNC".into()),
    }
}

fn control(name: &str) -> Control {
    Control { control: name.into(), status: Some("SUCCEEDED".into()), drift: Some("IN_SYNC".into()) }
}

pub fn governance(tenant: &Tenant) -> TenantGovernance {
    let enterprise = ENTERPRISE.contains(&tenant.name.as_str());
    let ou = if enterprise { "ou-7kq2-enterprise" } else { "ou-7kq2-tenants" };
    let extra = if enterprise { &ENTERPRISE_CONTROLS[..] } else { &[] };
    let controls = CONTROLS.iter().chain(extra).map(|c| control(c)).collect();
    let drift = if tenant.name == DRIFTED_TENANT { DRIFTED } else { "IN_SYNC" };
    let baseline = Enrolment {
        baseline: "AWSControlTowerBaseline".into(),
        version: Some("4.0".into()),
        status: "SUCCEEDED".into(),
        drift: Some(drift.into()),
    };
    TenantGovernance::new(Some(landing_zone()), Some(ou.into()), vec![baseline], controls)
}

/// The fleet's GOVERNANCE column (`silo_core::governance::COLUMN`).
pub fn column(
    tenants: &[(Tenant, super::tenants::Profile)],
    _now: chrono::DateTime<chrono::Utc>,
    accounts: &std::collections::HashSet<String>,
) -> silo_core::source::OrgWide {
    super::org_wide::each_asked(tenants, accounts, |t| silo_core::column::ColumnValue::new(governance(t)))
}
