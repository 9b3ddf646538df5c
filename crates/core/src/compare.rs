//! "Did the release make it worse?": for each tenant that moved to a version, one metric over the
//! same length of time before its deployment started and after it finished, the median and the
//! 95th percentile of the period values on each side, the change, and a flag when it worsened
//! beyond a tolerance. Worst first. The method (window, period, statistics, tolerance) travels
//! with the answer: a person decides the next wave on it. Pure: the engine reads the series.

use crate::deploy::{DeployStatus, Deployment};
use crate::metrics::{MetricSpec, PANELS};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

mod ask;
mod report;
pub use ask::{Ask, Comparison, COMPARE, WINDOWS};
pub use report::{signed, to_csv, to_table, CompareReport, Method, CSV_COLUMNS};

/// The metrics a comparison can be made on, by the names people use; each is worse when higher.
pub const METRICS: [(&str, &str); 7] = [
    ("5xx", "alb_5xx"),
    ("p99", "alb_latency_p99"),
    ("latency", "alb_latency"),
    ("cpu", "ecs_cpu"),
    ("memory", "ecs_mem"),
    ("queue", "sqs_visible"),
    ("queue-age", "sqs_age"),
];

/// The dashboard panel `name` names: a short name of `METRICS` or a panel id (`alb_latency_p99`).
pub fn metric(name: &str) -> Result<&'static MetricSpec, String> {
    let id = METRICS.iter().find(|(short, id)| *short == name || *id == name).map(|(_, id)| *id);
    id.and_then(|id| PANELS.iter().find(|p| p.id == id)).ok_or_else(|| {
        let names: Vec<&str> = METRICS.iter().map(|(short, _)| *short).collect();
        format!("unknown metric {name:?}: expected one of {}", names.join(", "))
    })
}

/// When a tenant moved to the version: its newest deployment to that image that completed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Move {
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
    pub task_definition: Option<String>,
}

/// The tenant's move to `version` (its deployment's image tagged `version`), if it made one that
/// finished successfully.
pub fn move_to(status: &DeployStatus, version: &str) -> Option<Move> {
    let to_version =
        |d: &&Deployment| d.image.as_deref().and_then(crate::terms::certified::version_of).as_deref() == Some(version);
    let done = |d: &&Deployment| d.status == "SUCCESSFUL" || d.status == "COMPLETED";
    let d = status.deployments.iter().filter(to_version).filter(done).max_by_key(|d| d.started_at)?;
    Some(Move { started: d.started_at?, finished: d.finished_at?, task_definition: d.task_definition.clone() })
}

/// The two spans compared: `window` before the deployment started, `window` after it finished
/// (the rollout itself, a mix of both versions, belongs to neither).
/// A span of time: its start, its end.
pub type Span = (DateTime<Utc>, DateTime<Utc>);

pub fn spans(m: &Move, window: Duration) -> (Span, Span) {
    ((m.started - window, m.started), (m.finished, m.finished + window))
}

/// One side's figures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Side {
    pub median: f64,
    pub p95: f64,
    /// Period values it was computed from.
    pub points: usize,
}

/// The nearest-rank `p`-th percentile (0 < p ≤ 100) of `values`; None when there are none.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

/// Median (the 50th nearest-rank percentile) and 95th percentile of a side's values.
pub fn side(values: &[f64]) -> Option<Side> {
    Some(Side { median: percentile(values, 50.0)?, p95: percentile(values, 95.0)?, points: values.len() })
}

/// The change from `before` to `after` in percent; None when `before` is zero (no base to scale by).
pub fn change_percent(before: f64, after: f64) -> Option<f64> {
    (before.abs() > f64::EPSILON).then(|| (after - before) / before.abs() * 100.0)
}

/// One tenant's comparison (the `silo compare` row).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub tenant: String,
    pub account_id: String,
    /// When it moved (null: it has not moved to the version, or the deployments were not read).
    #[serde(rename = "deployment")]
    pub moved: Option<Move>,
    pub before: Option<Side>,
    pub after: Option<Side>,
    /// The median's change in percent (null without both sides, or with a zero median before).
    pub change_percent: Option<f64>,
    pub p95_change_percent: Option<f64>,
    /// The median or the p95 rose by more than the tolerance.
    pub worse: bool,
    /// The after span has not ended yet: its figures cover less than the window.
    pub incomplete: bool,
    pub error: Option<String>,
}

impl Row {
    pub fn new(tenant: &str, account_id: &str) -> Row {
        Row {
            tenant: tenant.into(),
            account_id: account_id.into(),
            moved: None,
            before: None,
            after: None,
            change_percent: None,
            p95_change_percent: None,
            worse: false,
            incomplete: false,
            error: None,
        }
    }

    /// The figures from each side's period values, judged against `tolerance_percent`.
    pub fn judge(mut self, before: &[f64], after: &[f64], tolerance_percent: f64, incomplete: bool) -> Row {
        self.before = side(before);
        self.after = side(after);
        self.incomplete = incomplete;
        if let (Some(b), Some(a)) = (self.before, self.after) {
            self.change_percent = change_percent(b.median, a.median);
            self.p95_change_percent = change_percent(b.p95, a.p95);
            let beyond = |c: Option<f64>| c.is_some_and(|c| c > tolerance_percent);
            self.worse = beyond(self.change_percent) || beyond(self.p95_change_percent);
        }
        self
    }

    /// How much worse, for sorting: the larger of the two changes.
    fn worsening(&self) -> f64 {
        let changes = [self.change_percent, self.p95_change_percent];
        changes.into_iter().flatten().fold(f64::NEG_INFINITY, f64::max)
    }
}

/// Worse first, then by how much worse; tenants without figures last, by name.
pub fn worst_first(rows: &mut [Row]) {
    rows.sort_by(|a, b| {
        b.worse.cmp(&a.worse).then(b.worsening().total_cmp(&a.worsening())).then(a.tenant.cmp(&b.tenant))
    });
}

#[cfg(test)]
mod tests;
