//! Alarms across the organization: the rows of `:alarms` and of `silo alarms`, read from the
//! store (every tenant's DescribeAlarms), firing first and longest-firing first.

use crate::model::Tenant;
use crate::text::safe_text;
use chrono::SecondsFormat;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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
    /// What a metric alarm watches, for charts (its threshold drawn on the metric's panel); None
    /// for a composite or metric-math alarm. (Added to snapshots: older ones read None.)
    #[serde(default)]
    pub watch: Option<Watch>,
}

/// A metric alarm's metric and threshold (DescribeAlarms' `Namespace`, `MetricName`,
/// `ComparisonOperator`, `Threshold`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watch {
    pub namespace: String,
    pub metric: String,
    /// GreaterThanThreshold, GreaterThanOrEqualToThreshold, LessThanThreshold…
    pub comparison: String,
    pub threshold: Threshold,
}

/// A threshold as CloudWatch holds it (a double). Compared by `total_cmp`, which is an
/// equivalence, so alarms stay `Eq` (the store compares them to skip redraws).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Threshold(pub f64);

impl PartialEq for Threshold {
    fn eq(&self, other: &Threshold) -> bool {
        self.0.total_cmp(&other.0) == std::cmp::Ordering::Equal
    }
}

impl Eq for Threshold {}

impl Alarm {
    /// A bare alarm in `state`, for tests and benchmarks.
    pub fn test(name: &str, state: AlarmState) -> Alarm {
        let reason = String::new();
        Alarm { name: name.into(), state, reason, since: None, composite: false, config: Vec::new(), watch: None }
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

/// One alarm's history (DescribeAlarmHistory, newest first), read when its detail opens; the
/// argument is the alarm's name.
pub const HISTORY: crate::reads::Read<Vec<AlarmHistoryItem>> =
    crate::reads::Read::new("alarm_history", crate::model::AwsService::Cloudwatch, 2);

/// One alarm of one tenant. JSON field names are the `silo alarms` contract (docs/cli.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlarmRow {
    pub tenant: String,
    pub account_id: String,
    pub name: String,
    pub state: AlarmState,
    pub reason: String,
    pub updated_at: Option<String>,
    /// Added field: a composite alarm.
    pub composite: bool,
    #[serde(skip)]
    pub since: Option<chrono::DateTime<chrono::Utc>>,
}

impl AlarmRow {
    fn new(tenant: &Tenant, a: &Alarm) -> AlarmRow {
        AlarmRow {
            tenant: tenant.name.clone(),
            account_id: tenant.account_id.clone(),
            name: a.name.clone(),
            state: a.state,
            reason: a.reason.clone(),
            updated_at: a.since.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
            composite: a.composite,
            since: a.since,
        }
    }
}

/// Every known alarm (optionally only one state), ALARM first, then the oldest state change.
pub fn rows<'a>(
    tenants: impl IntoIterator<Item = (&'a Tenant, &'a AlarmSummary)>,
    state: Option<AlarmState>,
) -> Vec<AlarmRow> {
    let mut out: Vec<AlarmRow> = tenants
        .into_iter()
        .flat_map(|(tenant, summary)| summary.alarms.iter().map(move |a| AlarmRow::new(tenant, a)))
        .filter(|row| state.is_none_or(|s| row.state == s))
        .collect();
    out.sort_by(|a, b| {
        a.state.cmp(&b.state).then(a.since.cmp(&b.since)).then(a.tenant.cmp(&b.tenant)).then(a.name.cmp(&b.name))
    });
    out
}

pub const CSV_COLUMNS: [&str; 7] = ["tenant", "account_id", "name", "state", "reason", "updated_at", "composite"];

pub fn to_csv(rows: &[AlarmRow]) -> Result<String, csv::Error> {
    let mut writer = crate::text::csv_writer();
    writer.write_record(CSV_COLUMNS)?;
    for r in rows {
        writer.write_record([
            safe_text(&r.tenant),
            safe_text(&r.account_id),
            safe_text(&r.name),
            r.state.label().to_string(),
            safe_text(&r.reason),
            safe_text(r.updated_at.as_deref().unwrap_or_default()),
            r.composite.to_string(),
        ])?;
    }
    crate::text::csv_text(writer)
}

pub fn to_table(rows: &[AlarmRow], now: chrono::DateTime<chrono::Utc>) -> String {
    let titles = ["TENANT", "ALARM", "STATE", "FOR", "REASON"].map(String::from);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let age = r.since.map(|t| crate::format::age(t, now)).unwrap_or_default();
            vec![r.tenant.clone(), r.name.clone(), r.state.label().into(), age, crate::format::fit(&r.reason, 90)]
        })
        .collect();
    crate::text::aligned(&titles, &cells)
}
