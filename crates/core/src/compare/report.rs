//! `silo compare`'s document: the method first (what was compared, how), then the tenants worst
//! first (docs/cli.md: field names are only ever added).

use super::Row;
use crate::metrics::MetricSpec;
use crate::text::{aligned, safe_text};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct CompareReport {
    pub generated_at: String,
    pub version: String,
    pub metric: MetricName,
    pub method: Method,
    pub tenants: Vec<Row>,
}

#[derive(Debug, Serialize)]
pub struct MetricName {
    pub id: &'static str,
    pub label: &'static str,
    pub namespace: &'static str,
    pub metric: &'static str,
    pub stat: &'static str,
    pub unit: &'static str,
}

/// How the figures were made, said in the answer itself.
#[derive(Debug, Clone, Serialize)]
pub struct Method {
    pub window_seconds: i64,
    pub period_seconds: i32,
    pub before: &'static str,
    pub after: &'static str,
    pub statistics: &'static str,
    pub tolerance_percent: f64,
    pub worse_when: &'static str,
}

impl Method {
    pub fn new(window_seconds: i64, period_seconds: i32, tolerance_percent: f64) -> Method {
        Method {
            window_seconds,
            period_seconds,
            before: "the window before the deployment started",
            after: "the window after the deployment finished",
            statistics: "median and 95th percentile (nearest rank) of the period values",
            tolerance_percent,
            worse_when: "the median or the p95 rose by more than the tolerance",
        }
    }

    /// One line for the screen: `6h before the deployment vs 6h after it, 60-second periods, …`.
    pub fn line(&self) -> String {
        format!(
            "{} before each deployment started vs {} after it finished · {}-second periods · median and p95 · worse: > +{}%",
            crate::format::duration(chrono::Duration::seconds(self.window_seconds)),
            crate::format::duration(chrono::Duration::seconds(self.window_seconds)),
            self.period_seconds,
            self.tolerance_percent
        )
    }
}

impl CompareReport {
    pub fn new(version: &str, spec: &MetricSpec, method: Method, tenants: Vec<Row>, now: DateTime<Utc>) -> Self {
        let metric = MetricName {
            id: spec.id,
            label: spec.label,
            namespace: spec.namespace,
            metric: spec.metric,
            stat: spec.stat,
            unit: spec.unit,
        };
        let generated_at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        CompareReport { generated_at, version: version.into(), metric, method, tenants }
    }
}

pub const CSV_COLUMNS: [&str; 13] = [
    "tenant",
    "account_id",
    "deployment_started",
    "deployment_finished",
    "before_median",
    "before_p95",
    "after_median",
    "after_p95",
    "change_percent",
    "p95_change_percent",
    "worse",
    "incomplete",
    "error",
];

fn number(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.4}").trim_end_matches('0').trim_end_matches('.').to_string()).unwrap_or_default()
}

fn time(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)).unwrap_or_default()
}

pub fn to_csv(rows: &[Row]) -> Result<String, csv::Error> {
    let mut writer = crate::text::csv_writer();
    writer.write_record(CSV_COLUMNS)?;
    for r in rows {
        let moved = r.moved.as_ref();
        writer.write_record([
            safe_text(&r.tenant),
            safe_text(&r.account_id),
            time(moved.map(|m| m.started)),
            time(moved.map(|m| m.finished)),
            number(r.before.map(|s| s.median)),
            number(r.before.map(|s| s.p95)),
            number(r.after.map(|s| s.median)),
            number(r.after.map(|s| s.p95)),
            number(r.change_percent),
            number(r.p95_change_percent),
            r.worse.to_string(),
            r.incomplete.to_string(),
            safe_text(r.error.as_deref().unwrap_or("")),
        ])?;
    }
    crate::text::csv_text(writer)
}

/// `+41%`, `-3%`, `-` without a figure.
pub fn signed(v: Option<f64>) -> String {
    v.map(|v| format!("{v:+.0}%")).unwrap_or_else(|| "-".into())
}

pub fn to_table(rows: &[Row], unit: &str) -> String {
    let titles = ["TENANT", "CHANGE", "P95 CHANGE", "BEFORE (MEDIAN)", "AFTER (MEDIAN)", "NOTE"].map(String::from);
    let value = |s: Option<super::Side>| s.map(|s| crate::format::metric_value(s.median, unit)).unwrap_or("-".into());
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let note = match (&r.error, r.moved.is_none(), r.worse, r.incomplete) {
                (Some(e), ..) => format!("✗ {e}"),
                (None, true, ..) => "not moved to this version".into(),
                (None, false, true, incomplete) => {
                    format!("WORSE{}", if incomplete { " (after: still running)" } else { "" })
                }
                (None, false, false, true) => "after: still running".into(),
                _ => String::new(),
            };
            let (change, p95) = (signed(r.change_percent), signed(r.p95_change_percent));
            vec![r.tenant.clone(), change, p95, value(r.before), value(r.after), note]
        })
        .collect();
    aligned(&titles, &cells)
}
