//! Scheduled updates: one-time EventBridge Scheduler schedules in the tenant's account (group
//! `silo-rollouts`) whose universal target calls ECS UpdateService with a revision. This reads
//! what a schedule says; the aws layer reads and writes them.

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;

/// The schedule group silo's rollouts live in (in each tenant account).
pub const GROUP: &str = "silo-rollouts";
/// The universal target: ECS UpdateService, called by Scheduler with the schedule's role.
pub const TARGET_ARN: &str = "arn:aws:scheduler:::aws-sdk:ecs:updateService";

/// The universal target in the partition of `region` (China and GovCloud have their own).
pub fn target_arn(region: &str) -> String {
    TARGET_ARN.replacen("arn:aws:", &format!("arn:{}:", crate::arn::partition_of(region)), 1)
}

/// The type lives with the other domain types, so the store can hold it without depending on
/// this module (which reads the store).
pub use crate::model::ScheduledUpdate;

/// `silo-<tenant>-r<N>-<yyyymmddThhmm>` (the local time of the expression).
pub fn name(tenant: &str, revision: u32, local: NaiveDateTime) -> String {
    format!("silo-{tenant}-r{revision}-{}", local.format("%Y%m%dT%H%M"))
}

/// The prefix of every schedule of `tenant`.
pub fn prefix(tenant: &str) -> String {
    format!("silo-{tenant}-r")
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

/// The task definition (`family:N` or its ARN) a target input names.
pub fn task_definition_of_input(input: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(input).ok()?;
    let task_definition = value.get("taskDefinition").or_else(|| value.get("TaskDefinition"))?.as_str()?;
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
        let input = r#"{"cluster":"acme","service":"app","taskDefinition":"acme-app:58"}"#;
        assert_eq!(revision_of_input(input), Some(58));
        assert_eq!(revision_of_input("not json"), None);
    }

    #[test]
    fn names_carry_tenant_revision_and_local_time() {
        let local = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap().and_hms_opt(2, 0, 0).unwrap();
        assert_eq!(name("acme", 58, local), "silo-acme-r58-20261206T0200");
        assert!(name("acme", 58, local).starts_with(&prefix("acme")));
    }
}
