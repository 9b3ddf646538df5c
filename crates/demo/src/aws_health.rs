//! The demo's AWS Health events: an EC2 operational issue open in sa-east-1 on two tenants,
//! a scheduled RDS maintenance coming up on a third, and one closed last week.

use chrono::{DateTime, Duration, Utc};
use silo_core::aws_health::{Affected, HealthEvent};
use silo_core::model::Tenant;

/// The two tenants the open sa-east-1 issue affects.
pub const OPEN_ISSUE: [&str; 2] = ["harbor-pharma", "lumen-energy"];

pub fn events(tenants: &[Tenant], now: DateTime<Utc>) -> Vec<HealthEvent> {
    let of = |names: &[&str]| -> Vec<&Tenant> { tenants.iter().filter(|t| names.contains(&t.name.as_str())).collect() };
    let mut events = vec![
        event(
            "EC2",
            "AWS_EC2_OPERATIONAL_ISSUE",
            "issue",
            "sa-east-1",
            "open",
            now - Duration::minutes(35),
            None,
            &of(&OPEN_ISSUE),
            "i-0a1b2c3d4e5f60718",
        ),
        event(
            "RDS",
            "AWS_RDS_MAINTENANCE_SCHEDULED",
            "scheduledChange",
            "us-east-1",
            "upcoming",
            now + Duration::days(2),
            None,
            &of(&["tundra-cold-chain"]),
            "db-app",
        ),
        event(
            "ELASTICLOADBALANCING",
            "AWS_ELASTICLOADBALANCING_OPERATIONAL_ISSUE",
            "issue",
            "eu-west-1",
            "closed",
            now - Duration::days(4),
            Some(now - Duration::days(4) + Duration::hours(2)),
            &of(&["fjord-logistics", "polar-dairy"]),
            "app-alb",
        ),
    ];
    silo_core::aws_health::sort(&mut events);
    events
}

#[allow(clippy::too_many_arguments)]
fn event(
    service: &str,
    code: &str,
    category: &str,
    region: &str,
    status: &str,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
    affected: &[&Tenant],
    entity: &str,
) -> HealthEvent {
    HealthEvent {
        arn: format!("arn:aws:health:{region}::event/{service}/{code}/{code}_DEMO_{}", start.timestamp() / 86_400),
        service: service.into(),
        event_type: code.into(),
        category: category.into(),
        region: region.into(),
        status: status.into(),
        start: Some(start),
        end,
        last_updated: Some(end.unwrap_or(start)),
        affected: affected
            .iter()
            .map(|t| Affected { account_id: t.account_id.clone(), entities: vec![format!("{entity} ({})", t.name)] })
            .collect(),
    }
}

/// The fleet's AWS column (`silo_core::aws_health::COLUMN`): each asked tenant's events.
pub fn column(
    tenants: &[(Tenant, super::tenants::Profile)],
    now: DateTime<Utc>,
    accounts: &std::collections::HashSet<String>,
) -> silo_core::source::OrgWide {
    let tenants: Vec<Tenant> = tenants.iter().map(|(t, _)| t.clone()).collect();
    let shares = silo_core::aws_health::per_account(&events(&tenants, now));
    silo_core::source::OrgWide::each_account(Ok(Some(shares)), accounts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenants::DEMO_TENANTS;

    #[test]
    fn the_open_issue_affects_two_tenants_of_one_region() {
        let tenants: Vec<Tenant> = DEMO_TENANTS.iter().enumerate().map(|(i, d)| d.tenant(i)).collect();
        let events = events(&tenants, Utc::now());
        let open: Vec<&HealthEvent> = events.iter().filter(|e| e.status == "open").collect();
        assert_eq!(open.len(), 1);
        let regions: Vec<&str> =
            tenants.iter().filter(|t| open[0].affects(&t.account_id)).map(|t| t.region.as_str()).collect();
        assert_eq!(regions, ["sa-east-1", "sa-east-1"]);
        assert_eq!(events.last().map(|e| e.status.as_str()), Some("closed"));
    }
}
