//! AWS Health events of the organization ("is it AWS or us?"): the events, the tenants they
//! affect, the fleet's marker, the `silo health` contract and the timeline's `health` events.
//! Pure: the aws and demo layers fill `HealthEvent`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

mod column;
pub use column::{per_account, AccountEvent, AccountEvents, COLUMN};

/// The organization's events (None: `[health]` not set up), read when `:health` or `silo health`
/// asks; the fleet's count is the `aws_health` column's own read. Its pages, the affected accounts
/// of each event and their entities make up to 30 calls.
pub const EVENTS: crate::reads::Read<Option<Vec<HealthEvent>>> =
    crate::reads::Read::new("aws_health_events", crate::model::AwsService::Health, 30);

/// One event of `DescribeEventsForOrganization`, with the accounts it affects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthEvent {
    pub arn: String,
    /// The AWS service: `EC2`, `RDS`, `ELASTICLOADBALANCING`…
    pub service: String,
    /// `AWS_EC2_OPERATIONAL_ISSUE`, `AWS_RDS_MAINTENANCE_SCHEDULED`…
    pub event_type: String,
    /// `issue`, `scheduledChange`, `accountNotification`, `investigation`.
    pub category: String,
    pub region: String,
    /// `open`, `upcoming` or `closed`.
    pub status: String,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub last_updated: Option<DateTime<Utc>>,
    /// Affected accounts and, per account, the affected resources (instance ids, ARNs); the
    /// `silo health` row says them as `tenants` and `accounts`.
    #[serde(skip_serializing)]
    pub affected: Vec<Affected>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Affected {
    pub account_id: String,
    pub entities: Vec<String>,
}

impl HealthEvent {
    /// Open or upcoming: what the fleet marks and `:health` lists first.
    pub fn is_current(&self) -> bool {
        self.status == "open" || self.status == "upcoming"
    }

    pub fn affects(&self, account_id: &str) -> bool {
        self.affected.iter().any(|a| a.account_id == account_id)
    }

    /// The affected resources of one account.
    pub fn entities_of(&self, account_id: &str) -> Vec<String> {
        self.affected.iter().filter(|a| a.account_id == account_id).flat_map(|a| a.entities.clone()).collect()
    }

    /// `EC2 operational issue`: the type code without the `AWS_<SERVICE>_` prefix, in words.
    pub fn title(&self) -> String {
        let prefix = format!("AWS_{}_", self.service);
        let rest = self.event_type.strip_prefix(&prefix).unwrap_or(&self.event_type);
        format!("{} {}", self.service, rest.replace('_', " ").to_lowercase())
    }
}

/// Current events first (newest first), then closed ones (newest first).
pub fn sort(events: &mut [HealthEvent]) {
    events.sort_by(|a, b| b.is_current().cmp(&a.is_current()).then(b.start.cmp(&a.start)));
}

/// A row of `silo health`: the event's own fields, then who it affects.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HealthRow<'a> {
    #[serde(flatten)]
    pub event: &'a HealthEvent,
    /// Affected tenants by name (accounts that are not tenants are only in `accounts`).
    pub tenants: Vec<String>,
    pub accounts: Vec<String>,
}

/// The event as `silo health` prints it, tenants named after `names` (account id → tenant).
pub fn row<'a>(event: &'a HealthEvent, names: &HashMap<String, String>) -> HealthRow<'a> {
    let tenants = event.affected.iter().filter_map(|a| names.get(&a.account_id).cloned()).collect();
    let accounts = event.affected.iter().map(|a| a.account_id.clone()).collect();
    HealthRow { event, tenants, accounts }
}

fn time(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)).unwrap_or_default()
}

/// One CSV row per event; tenants and accounts joined by spaces.
pub fn to_csv(rows: &[HealthRow<'_>]) -> Result<String, csv::Error> {
    let safe = crate::text::safe_text;
    let mut writer = crate::text::csv_writer();
    writer.write_record([
        "arn",
        "service",
        "event_type",
        "category",
        "region",
        "status",
        "start",
        "end",
        "last_updated",
        "tenants",
        "accounts",
    ])?;
    for r in rows {
        writer.write_record([
            safe(&r.event.arn),
            safe(&r.event.service),
            safe(&r.event.event_type),
            safe(&r.event.category),
            safe(&r.event.region),
            safe(&r.event.status),
            time(r.event.start),
            time(r.event.end),
            time(r.event.last_updated),
            safe(&r.tenants.join(" ")),
            safe(&r.accounts.join(" ")),
        ])?;
    }
    crate::text::csv_text(writer)
}

pub fn to_table(rows: &[HealthRow<'_>]) -> String {
    let titles = ["STATUS", "SERVICE", "EVENT TYPE", "REGION", "START", "TENANTS"].map(String::from);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let tenants = if r.tenants.is_empty() { r.accounts.join(",") } else { r.tenants.join(",") };
            vec![
                r.event.status.clone(),
                r.event.service.clone(),
                r.event.event_type.clone(),
                r.event.region.clone(),
                time(r.event.start),
                tenants,
            ]
        })
        .collect();
    crate::text::aligned(&titles, &cells)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn event(arn: &str, status: &str, hour: u32, accounts: &[&str]) -> HealthEvent {
        HealthEvent {
            arn: arn.into(),
            service: "EC2".into(),
            event_type: "AWS_EC2_OPERATIONAL_ISSUE".into(),
            category: "issue".into(),
            region: "sa-east-1".into(),
            status: status.into(),
            start: Some(Utc.with_ymd_and_hms(2026, 12, 3, hour, 0, 0).unwrap()),
            end: None,
            last_updated: None,
            affected: accounts.iter().map(|a| Affected { account_id: a.to_string(), entities: vec![] }).collect(),
        }
    }

    #[test]
    fn only_open_and_upcoming_events_mark_a_tenant_and_every_event_is_on_its_card() {
        use crate::column::ColumnData;
        let events =
            [event("a", "open", 1, &["1", "2"]), event("b", "upcoming", 2, &["2"]), event("c", "closed", 3, &["3"])];
        let shares = per_account(&events);
        let current = |a: &str| shares.get(a).map(AccountEvents::current);
        assert_eq!((current("1"), current("2"), current("3"), current("4")), (Some(1), Some(2), Some(0), None));
        assert_eq!(shares["2"].cell(), ("2 open".to_string(), crate::role::Role::Warning));
        assert_eq!(shares["3"].cell().0, "", "a closed event marks nothing");
        assert_eq!(shares["3"].card(Utc::now()).len(), 1, "but the card lists it");
        assert_eq!(shares["2"].report(), serde_json::json!(2));
    }

    #[test]
    fn current_events_sort_first_newest_first() {
        let mut events =
            vec![event("old", "open", 1, &[]), event("closed", "closed", 9, &[]), event("new", "open", 5, &[])];
        sort(&mut events);
        let arns: Vec<&str> = events.iter().map(|e| e.arn.as_str()).collect();
        assert_eq!(arns, ["new", "old", "closed"]);
    }

    #[test]
    fn the_title_drops_the_service_prefix_of_the_type_code() {
        assert_eq!(event("a", "open", 1, &[]).title(), "EC2 operational issue");
    }

    #[test]
    fn a_row_names_tenants_and_keeps_every_account() {
        let names = HashMap::from([("1".to_string(), "acme".to_string())]);
        let affecting = event("a", "open", 1, &["1", "999"]);
        let row = row(&affecting, &names);
        assert_eq!(row.tenants, ["acme"]);
        assert_eq!(row.accounts, ["1", "999"]);
    }
}
