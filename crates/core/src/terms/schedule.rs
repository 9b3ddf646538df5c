//! Scheduled updates: one-time EventBridge Scheduler schedules in the tenant's account (group
//! `silo-rollouts`) whose universal target calls ECS UpdateService with a revision. This reads
//! what a schedule says; the aws layer reads and writes them.

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// One update on a tenant's schedule, as read from EventBridge Scheduler.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduledUpdate {
    pub name: String,
    /// When it fires (RFC 3339 UTC in the contracts).
    pub at: DateTime<Utc>,
    /// The zone its expression is written in (the customer's window's).
    #[serde(skip)]
    pub zone: String,
    pub to_revision: u32,
    /// The image tag of that revision, when it could be read.
    pub to_version: Option<String>,
}

/// The schedule group silo's rollouts live in (in each tenant account).
pub const GROUP: &str = "silo-rollouts";
/// The universal target: ECS UpdateService, called by Scheduler with the schedule's role.
pub const TARGET_ARN: &str = "arn:aws:scheduler:::aws-sdk:ecs:updateService";

/// The universal target in the partition of `region` (China and GovCloud have their own).
pub fn target_arn(region: &str) -> String {
    TARGET_ARN.replacen("arn:aws:", &format!("arn:{}:", crate::arn::partition_of(region)), 1)
}

/// `silo-<account id>-r<N>-<yyyymmddThhmm>` (the local time of the expression). Built from the
/// account id, not the tenant's name: a name may hold spaces, accents or be long, and AWS takes
/// schedule names of `[0-9a-zA-Z-_.]+`, 1 to 64 characters (Scheduler API model, `Name`); at
/// most 5 + 12 + 2 + 10 + 1 + 13 = 43 here. A renamed tenant keeps its schedules.
pub fn name(account_id: &str, revision: u32, local: NaiveDateTime) -> String {
    format!("silo-{account_id}-r{revision}-{}", local.format("%Y%m%dT%H%M"))
}

/// The prefix of every schedule silo creates. The group lives in the tenant's own account, so
/// every schedule in it is that tenant's, whatever name it was created under (releases before
/// this one used the tenant's name).
pub const NAME_PREFIX: &str = "silo-";

/// The target's input: the ECS UpdateService request with the members in PascalCase
/// (`Cluster`, `Service`, `TaskDefinition`). A universal target passes Input to the AWS SDK
/// Scheduler calls the API with, which takes the members as its SDKs name them, not as the
/// JSON wire of the ECS API writes them (`cluster`, …); every published
/// `aws-sdk:ecs:updateService` schedule does this, and `tests/model_check.rs` checks each key
/// against the ECS model's UpdateServiceRequest. `family:N` pins the revision.
pub fn update_service_input(cluster: &str, service: &str, task_definition: &str) -> String {
    serde_json::json!({ "Cluster": cluster, "Service": service, "TaskDefinition": task_definition }).to_string()
}

/// The instant of a one-time expression `at(yyyy-mm-ddThh:mm:ss)` in `zone` (UTC when empty).
pub fn parse_at(expression: &str, zone: &str) -> Result<DateTime<Utc>, String> {
    let inner = expression
        .strip_prefix("at(")
        .and_then(|e| e.strip_suffix(')'))
        .ok_or_else(|| format!("{expression:?} is not a one-time expression at(yyyy-mm-ddThh:mm:ss)"))?;
    let local =
        NaiveDateTime::parse_from_str(inner, "%Y-%m-%dT%H:%M:%S").map_err(|e| format!("{expression:?}: {e}"))?;
    let tz: Tz =
        if zone.is_empty() { Tz::UTC } else { zone.parse().map_err(|_| format!("{zone:?} is not a time zone"))? };
    super::window::resolve(tz, local).ok_or_else(|| format!("{inner} does not exist in {zone}"))
}

/// A time a user typed: RFC 3339 (`2026-12-06T05:00:00Z`), or `yyyy-mm-dd hh:mm` in `zone` (the
/// tenant's window's; a time that does not exist there, in a DST gap, moves to the first that does).
pub fn parse_when(text: &str, zone: Tz) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M")
        .map_err(|_| format!("{text:?}: expected yyyy-mm-dd hh:mm (in the tenant's window's zone) or RFC 3339"))?;
    // chrono takes years up to 262,142, where a zone's offset overflows; no schedule is that far.
    if !(1970..=9999).contains(&chrono::Datelike::year(&local)) {
        return Err(format!("{text:?}: expected a year from 1970 to 9999"));
    }
    super::window::resolve(zone, local).ok_or_else(|| format!("{text} does not exist in {}", zone.name()))
}

/// Whether `text` is a time `parse_when` reads, in any zone (a form checks it before the zone is known).
pub fn check_when(text: &str) -> Result<(), String> {
    parse_when(text, Tz::UTC).map(|_| ())
}

/// The revision a target input moves the service to: UpdateService's `taskDefinition`
/// (`family:N` or its ARN).
pub fn revision_of_input(input: &str) -> Option<u32> {
    crate::deploy::revision_number(&task_definition_of_input(input)?)
}

/// The task definition (`family:N` or its ARN) a target input names: `TaskDefinition` as silo
/// writes it, or `taskDefinition` as releases before #23 did (and Scheduler would not have run).
pub fn task_definition_of_input(input: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(input).ok()?;
    let task_definition = value.get("TaskDefinition").or_else(|| value.get("taskDefinition"))?.as_str()?;
    Some(task_definition.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};

    #[test]
    fn a_one_time_expression_is_read_in_its_zone() {
        let at = parse_at("at(2026-12-06T02:00:00)", "America/Sao_Paulo").unwrap();
        assert_eq!(at, Utc.with_ymd_and_hms(2026, 12, 6, 5, 0, 0).unwrap());
        assert_eq!(
            parse_at("at(2026-12-06T02:00:00)", "").unwrap(),
            Utc.with_ymd_and_hms(2026, 12, 6, 2, 0, 0).unwrap()
        );
        assert!(parse_at("rate(5 minutes)", "UTC").unwrap_err().contains("not a one-time expression"));
    }

    #[test]
    fn a_typed_time_is_read_in_the_zone_unless_it_says_its_own() {
        let zone: Tz = "America/Sao_Paulo".parse().unwrap();
        assert_eq!(parse_when("2026-12-06 02:00", zone), Ok(Utc.with_ymd_and_hms(2026, 12, 6, 5, 0, 0).unwrap()));
        assert_eq!(parse_when("2026-12-06T02:00:00Z", zone), Ok(Utc.with_ymd_and_hms(2026, 12, 6, 2, 0, 0).unwrap()));
        assert!(parse_when("sunday 2am", zone).unwrap_err().contains("expected yyyy-mm-dd hh:mm"));
    }

    #[test]
    fn the_revision_comes_from_the_update_service_input() {
        let input = update_service_input("acme", "app", "acme-app:58");
        assert_eq!(input, r#"{"Cluster":"acme","Service":"app","TaskDefinition":"acme-app:58"}"#);
        assert_eq!(revision_of_input(&input), Some(58));
        let before_23 = r#"{"cluster":"acme","service":"app","taskDefinition":"acme-app:57"}"#;
        assert_eq!(revision_of_input(before_23), Some(57), "schedules made by earlier releases still read");
        assert_eq!(revision_of_input("not json"), None);
    }

    #[test]
    fn names_carry_account_revision_and_local_time() {
        let local = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap().and_hms_opt(2, 0, 0).unwrap();
        assert_eq!(name("111122223333", 58, local), "silo-111122223333-r58-20261206T0200");
        assert!(name("111122223333", 58, local).starts_with(NAME_PREFIX));
    }
}

#[cfg(test)]
mod typed_times {
    use super::*;

    #[test]
    fn a_far_future_time_west_of_utc_is_refused_not_a_panic() {
        let zone: Tz = "America/Sao_Paulo".parse().expect("zone");
        let far = parse_when("+262142-12-31 23:59", zone).expect_err("refused");
        assert!(far.contains("expected a year from 1970 to 9999"), "{far}");
        assert!(parse_when("2026-12-06 02:00", zone).is_ok());
    }
}
