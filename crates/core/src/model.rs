//! Domain types shared by the AWS layer, the demo organization, the store and the views.
//! Serialized field names are part of the JSON contract in docs/cli.md: add, never rename.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A customer of the SaaS: one AWS account with one ECS service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub name: String,
    pub account_id: String,
    pub region: String,
    pub ecs_cluster: String,
    pub ecs_service: String,
    /// What the customer agreed for updates: its window and certified versions, as written
    /// (account tags or static config); parsed where they are used, an error on this tenant only.
    #[serde(default)]
    pub terms: Terms,
}

/// One update on a tenant's schedule (EventBridge Scheduler, `terms::schedule`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduledUpdate {
    pub name: String,
    /// When it fires (RFC 3339 UTC in the contracts).
    pub at: chrono::DateTime<chrono::Utc>,
    /// The zone its expression is written in (the customer's window's).
    #[serde(skip)]
    pub zone: String,
    pub to_revision: u32,
    /// The image tag of that revision, when it could be read.
    pub to_version: Option<String>,
}

/// A customer's update terms, as its account tags (`[tenants] window_tag`, `certified_tag`) or
/// its static entry say them; None: not stated.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Terms {
    pub window: Option<String>,
    pub certified: Option<String>,
}

/// The AWS service a piece of tenant data came from; the `source` of an error in the JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AwsService {
    Sts,
    Ecs,
    Cloudwatch,
    Securityhub,
    Guardduty,
    Budgets,
    Organizations,
    Codepipeline,
    Athena,
    Health,
    Config,
    Scheduler,
    ServiceCatalog,
}

impl AwsService {
    pub fn as_str(self) -> &'static str {
        match self {
            AwsService::Sts => "sts",
            AwsService::Ecs => "ecs",
            AwsService::Cloudwatch => "cloudwatch",
            AwsService::Securityhub => "securityhub",
            AwsService::Guardduty => "guardduty",
            AwsService::Budgets => "budgets",
            AwsService::Organizations => "organizations",
            AwsService::Codepipeline => "codepipeline",
            AwsService::Athena => "athena",
            AwsService::Health => "health",
            AwsService::Config => "config",
            AwsService::Scheduler => "scheduler",
            AwsService::ServiceCatalog => "servicecatalog",
        }
    }
}

impl fmt::Display for AwsService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A tenant's CloudWatch alarms (metric and composite). The counts are read off the list, so
/// they can never disagree with it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AlarmSummary {
    /// Every alarm, firing ones first, longest-firing first.
    pub alarms: Vec<Alarm>,
}

impl AlarmSummary {
    /// Puts the alarms in display order: ALARM first, then the longest in its state.
    pub fn of(mut alarms: Vec<Alarm>) -> AlarmSummary {
        alarms.sort_by(|a, b| a.state.cmp(&b.state).then(a.since.cmp(&b.since)).then(a.name.cmp(&b.name)));
        AlarmSummary { alarms }
    }

    fn count(&self, state: AlarmState) -> u32 {
        self.alarms.iter().filter(|a| a.state == state).count() as u32
    }

    pub fn total(&self) -> u32 {
        self.alarms.len() as u32
    }

    pub fn in_alarm(&self) -> u32 {
        self.count(AlarmState::Alarm)
    }

    pub fn insufficient_data(&self) -> u32 {
        self.count(AlarmState::InsufficientData)
    }

    pub fn firing(&self) -> impl Iterator<Item = &Alarm> {
        self.alarms.iter().filter(|a| a.state == AlarmState::Alarm)
    }
}

/// Ordered so that sorting puts ALARM first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AlarmState {
    Alarm,
    InsufficientData,
    Ok,
}

impl AlarmState {
    pub fn label(self) -> &'static str {
        match self {
            AlarmState::Alarm => "ALARM",
            AlarmState::InsufficientData => "INSUFFICIENT_DATA",
            AlarmState::Ok => "OK",
        }
    }

    pub fn parse(text: &str) -> Option<AlarmState> {
        [AlarmState::Alarm, AlarmState::InsufficientData, AlarmState::Ok]
            .into_iter()
            .find(|s| s.label().eq_ignore_ascii_case(text.trim()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alarm {
    pub name: String,
    pub state: AlarmState,
    pub reason: String,
    /// When the alarm entered its current state.
    pub since: Option<DateTime<Utc>>,
    pub composite: bool,
    /// The alarm's configuration as (field, value) lines for the detail pane: metric,
    /// dimensions, statistic, period, threshold, rule of a composite alarm, actions.
    #[serde(default)]
    pub config: Vec<(String, String)>,
}

impl Alarm {
    /// A bare alarm in `state`, for tests and benchmarks.
    pub fn test(name: &str, state: AlarmState) -> Alarm {
        Alarm { name: name.into(), state, reason: String::new(), since: None, composite: false, config: Vec::new() }
    }
}

/// One entry of an alarm's history (DescribeAlarmHistory).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmHistoryItem {
    pub time: Option<DateTime<Utc>>,
    /// StateUpdate, ConfigurationUpdate, Action.
    pub kind: String,
    pub summary: String,
}

/// State of the primary ECS deployment, as ECS reports its `rolloutState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Rollout {
    Completed,
    InProgress,
    Failed,
    Unknown,
}

impl Rollout {
    pub fn parse(value: &str) -> Self {
        match value {
            "COMPLETED" => Rollout::Completed,
            "IN_PROGRESS" => Rollout::InProgress,
            "FAILED" => Rollout::Failed,
            _ => Rollout::Unknown,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Rollout::Completed => "completed",
            Rollout::InProgress => "in progress",
            Rollout::Failed => "failed",
            Rollout::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSummary {
    pub cluster: String,
    pub name: String,
    pub desired: i32,
    pub running: i32,
    pub pending: i32,
    /// `family:revision`, taken from the task definition ARN.
    pub task_definition: String,
    pub rollout: Rollout,
    /// The essential container's image of that task definition (added field).
    #[serde(default)]
    pub image: Option<String>,
    /// The image's tag: the version the tenant runs (`registry/app:1.4.0` → `1.4.0`; added field).
    #[serde(default)]
    pub version: Option<String>,
}

/// Open findings of one tenant by severity label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FindingCounts {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

impl FindingCounts {
    pub fn add(&mut self, other: FindingCounts) {
        self.critical += other.critical;
        self.high += other.high;
        self.medium += other.medium;
        self.low += other.low;
    }

    pub fn add_label(&mut self, label: &str) {
        match label {
            "CRITICAL" => self.critical += 1,
            "HIGH" => self.high += 1,
            "MEDIUM" => self.medium += 1,
            "LOW" => self.low += 1,
            _ => {}
        }
    }
}

/// Month-to-date spend of a tenant against its budget. Money stays decimal (no float drift).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spend {
    pub budget: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub actual: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub limit: Decimal,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub forecast: Option<Decimal>,
    pub unit: String,
    /// Budget notifications whose threshold is crossed (state ALARM).
    pub breached: Vec<Breach>,
}

/// A crossed budget notification threshold, e.g. "ACTUAL > 80%".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breach {
    /// ACTUAL or FORECASTED.
    pub kind: String,
    /// ">", "<" or "=".
    pub comparison: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub threshold: Decimal,
    /// true: percent of the limit; false: an absolute amount in the budget's unit.
    pub percentage: bool,
}

impl Breach {
    pub fn label(&self, unit: &str) -> String {
        let amount = if self.percentage {
            format!("{}%", self.threshold.normalize())
        } else {
            format!("{} {unit}", self.threshold.normalize())
        };
        format!("{} {} {amount}", self.kind, self.comparison)
    }
}

/// Month-to-date cost of an account from Cost Explorer (for tenants without a budget).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostExplorerSpend {
    #[serde(with = "rust_decimal::serde::float")]
    pub actual: Decimal,
    pub unit: String,
    /// First day counted, YYYY-MM-DD.
    pub since: String,
}

/// One month of a budget's history: what was spent against what was budgeted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthSpend {
    /// "YYYY-MM".
    pub month: String,
    pub actual: Option<Decimal>,
    pub limit: Option<Decimal>,
}

impl Spend {
    /// Actual spend as a percentage of the limit, rounded to one decimal; None for a zero limit.
    pub fn percent(&self) -> Option<Decimal> {
        percent_of(self.actual, self.limit)
    }

    pub fn forecast_percent(&self) -> Option<Decimal> {
        self.forecast.and_then(|f| percent_of(f, self.limit))
    }
}

fn percent_of(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole.is_zero() {
        return None;
    }
    // Half away from zero, as people round: 115.25 % shows as 115.3 %.
    let exact = part * Decimal::ONE_HUNDRED / whole;
    Some(exact.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
}

/// Tenant health, ordered from best to worst so `max` gives the worst of the parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Health {
    Ok,
    Unknown,
    Warning,
    Critical,
}

impl Health {
    pub fn label(self) -> &'static str {
        match self {
            Health::Ok => "ok",
            Health::Unknown => "unknown",
            Health::Warning => "warning",
            Health::Critical => "critical",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn spend(actual: &str, limit: &str) -> Spend {
        Spend {
            budget: "b".into(),
            actual: Decimal::from_str(actual).unwrap(),
            limit: Decimal::from_str(limit).unwrap(),
            forecast: None,
            unit: "USD".into(),
            breached: Vec::new(),
        }
    }

    #[test]
    fn breach_labels_read_like_the_console() {
        let b =
            Breach { kind: "ACTUAL".into(), comparison: ">".into(), threshold: Decimal::from(80), percentage: true };
        assert_eq!(b.label("USD"), "ACTUAL > 80%");
        let a = Breach {
            kind: "FORECASTED".into(),
            comparison: ">".into(),
            threshold: Decimal::new(15005, 1),
            percentage: false,
        };
        assert_eq!(a.label("USD"), "FORECASTED > 1500.5 USD");
    }

    #[test]
    fn percent_is_rounded_and_exact() {
        assert_eq!(spend("333.33", "1000").percent(), Some(Decimal::from_str("33.3").unwrap()));
        assert_eq!(spend("1100.10", "1000").percent(), Some(Decimal::from_str("110.0").unwrap()));
        assert_eq!(spend("230.50", "200").percent(), Some(Decimal::from_str("115.3").unwrap()));
    }

    #[test]
    fn zero_limit_has_no_percent() {
        assert_eq!(spend("5", "0").percent(), None);
    }

    #[test]
    fn health_orders_worst_last() {
        let worst = [Health::Ok, Health::Critical, Health::Unknown].into_iter().max();
        assert_eq!(worst, Some(Health::Critical));
        assert!(Health::Unknown > Health::Ok && Health::Warning > Health::Unknown);
    }

    #[test]
    fn finding_labels_count_by_severity() {
        let mut c = FindingCounts::default();
        for l in ["CRITICAL", "HIGH", "HIGH", "INFORMATIONAL", "LOW"] {
            c.add_label(l);
        }
        assert_eq!((c.critical, c.high, c.medium, c.low), (1, 2, 0, 1));
    }
}

/// What one Cost Explorer read found, and what it cost.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CostReport {
    pub per_account: std::collections::HashMap<String, CostExplorerSpend>,
    pub requests: u32,
}
