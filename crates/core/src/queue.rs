//! A tenant's batch queue backlog (SQS, the seed's batch jobs): the fleet's QUEUE column, its
//! health rule and card lines. Pure: the aws and demo layers read CloudWatch's `AWS/SQS` metrics.
//!
//! The age of the oldest message says how long a customer's job has been waiting, which the
//! queue depth alone does not (a deep queue that drains fast is fine). Both come from the
//! SQS metrics of the last [`LOOKBACK_MINUTES`]: SQS publishes them every minute, and a queue
//! that has been idle for six hours publishes none, so "no point" is "nothing waiting".

use crate::column::{decode_as, field, CardLine, ColumnData, ColumnSpec, Scope};
use crate::model::{AwsService, Health};
use crate::role::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const NAMESPACE: &str = "AWS/SQS";
pub const QUEUE_DIMENSION: &str = "QueueName";
pub const VISIBLE_METRIC: &str = "ApproximateNumberOfMessagesVisible";
pub const AGE_METRIC: &str = "ApproximateAgeOfOldestMessage";
/// How far back the read looks for the newest point.
pub const LOOKBACK_MINUTES: i64 = 15;
/// The statistic's period (SQS publishes one point a minute).
pub const PERIOD_SECONDS: i32 = 60;
/// A job waiting this long is a warning; [`CRITICAL_AFTER_SECONDS`] is critical.
pub const WARNING_AFTER_SECONDS: f64 = 15.0 * 60.0;
pub const CRITICAL_AFTER_SECONDS: f64 = 60.0 * 60.0;

pub const COLUMN: ColumnSpec = ColumnSpec {
    name: "queue",
    title: "QUEUE",
    width: 9,
    priority: 3,
    service: AwsService::Cloudwatch,
    // ListMetrics (one page for a tenant's few queues) and one GetMetricData.
    scope: Scope::PerTenant { calls: 3 },
    reuse_for: None,
    section: "Batch queue (SQS)",
    absent: ("queue", "none found (no AWS/SQS metrics)"),
    json: "queue",
    csv: &["queue_visible_messages", "queue_oldest_message_age_seconds"],
    decode: decode_as::<QueueBacklog>,
};

/// The newest points of the tenant's batch queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueBacklog {
    /// The queue's name (sanitized).
    pub name: String,
    /// Messages waiting (Maximum of the newest period); None: no point in the look-back.
    pub visible: Option<f64>,
    /// Age of the oldest message in seconds (Maximum of the newest period).
    pub oldest_seconds: Option<f64>,
    /// The newest point's time.
    pub as_of: Option<DateTime<Utc>>,
}

/// The fleet report's `queue` field (docs/cli.md).
#[derive(Debug, Serialize)]
pub struct QueueReport {
    pub name: String,
    pub visible_messages: Option<u64>,
    pub oldest_message_age_seconds: Option<u64>,
    pub as_of: Option<String>,
}

impl QueueBacklog {
    /// Whether anything waits: a point above zero in the look-back.
    fn waiting(&self) -> bool {
        self.visible.is_some_and(|v| v > 0.0)
    }

    fn oldest(&self) -> f64 {
        if self.waiting() {
            self.oldest_seconds.unwrap_or(0.0)
        } else {
            0.0
        }
    }

    /// The health rule: the oldest job waiting 15 minutes is a warning, an hour critical.
    pub fn backlog_health(&self) -> Health {
        match self.oldest() {
            age if age >= CRITICAL_AFTER_SECONDS => Health::Critical,
            age if age >= WARNING_AFTER_SECONDS => Health::Warning,
            _ => Health::Ok,
        }
    }

    /// `empty`, or the oldest message's age: `4m old`.
    pub fn fleet_cell(&self) -> (String, Role) {
        if !self.waiting() {
            return ("empty".into(), Role::Ok);
        }
        let age = chrono::Duration::seconds(self.oldest() as i64);
        let role = match self.backlog_health() {
            Health::Critical => Role::Critical,
            Health::Warning => Role::Warning,
            Health::Ok | Health::Unknown => Role::Ok,
        };
        (format!("{} old", crate::format::duration(age)), role)
    }

    fn whole(value: Option<f64>) -> Option<u64> {
        value.map(|v| v.max(0.0).round() as u64)
    }
}

impl ColumnData for QueueBacklog {
    fn cell(&self) -> (String, Role) {
        self.fleet_cell()
    }

    fn sort_key(&self) -> i64 {
        self.oldest() as i64
    }

    fn health(&self) -> Health {
        self.backlog_health()
    }

    fn report(&self) -> serde_json::Value {
        let report = QueueReport {
            name: self.name.clone(),
            visible_messages: QueueBacklog::whole(self.visible),
            oldest_message_age_seconds: QueueBacklog::whole(self.oldest_seconds),
            as_of: self.as_of.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        };
        serde_json::to_value(report).unwrap_or_default()
    }

    fn csv(&self) -> Vec<String> {
        let text = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
        vec![text(QueueBacklog::whole(self.visible)), text(QueueBacklog::whole(self.oldest_seconds))]
    }

    fn card(&self, now: DateTime<Utc>) -> Vec<CardLine> {
        let (cell, role) = self.fleet_cell();
        let count = QueueBacklog::whole(self.visible).map(|v| v.to_string()).unwrap_or_else(|| "no data".into());
        let as_of = self.as_of.map(|t| format!(" (as of {} ago)", crate::format::age(t, now))).unwrap_or_default();
        vec![
            field("queue", self.name.clone(), Role::Text),
            field("waiting", format!("{count} messages{as_of}"), Role::Text),
            field("oldest", cell, role),
        ]
    }

    fn encode(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
