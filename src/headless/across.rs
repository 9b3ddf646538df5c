//! `silo across`: one metric across tenants on one scale, the twin of `M` (the fleet's small
//! multiples): each tenant's series of the dashboard's panel, the alarm threshold on it, its
//! deployments in the range, and the axis the charts share.

use super::write_stdout;
use crate::cli::Format;
use anyhow::{anyhow, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use futures::future::join_all;
use serde::Serialize;
use silo_core::chart::{value_axis, Threshold};
use silo_core::metrics::{MetricSpec, Point, Range};
use silo_core::model::{AwsService, Tenant};
use silo_core::source::FleetSource;
use silo_core::timeline::Event;
use silo_engine::Limiter;
use std::sync::Arc;

/// The checked flags.
pub struct Ask {
    metric: &'static MetricSpec,
    tenants: Vec<String>,
    range: Range,
}

impl Ask {
    pub fn parse(metric: &str, tenants: &[String], range: &str) -> Result<Ask> {
        let metric = silo_core::compare::metric(metric).map_err(|e| anyhow!("--metric: {e}"))?;
        let range = Range::parse(range)
            .ok_or_else(|| anyhow!("--range {range:?}: expected 1h, 3h, 6h, 12h, 24h, 7d or 30d"))?;
        Ok(Ask { metric, tenants: tenants.to_vec(), range })
    }
}

#[derive(Debug, Serialize)]
struct Report<'a> {
    generated_at: String,
    metric: &'static str,
    label: &'static str,
    unit: &'static str,
    range: Range,
    /// The value axis every tenant's chart shares.
    axis: Axis,
    tenants: Vec<TenantSeries<'a>>,
}

#[derive(Debug, Serialize)]
struct Axis {
    low: f64,
    high: f64,
}

#[derive(Debug, Serialize)]
struct TenantSeries<'a> {
    tenant: &'a str,
    account_id: &'a str,
    resource: Option<String>,
    points: Vec<Point>,
    threshold: Option<Threshold>,
    /// The range's deployments (started and ended), oldest first.
    events: Vec<Event>,
    error: Option<String>,
}

pub async fn run(source: Arc<dyn FleetSource>, limiter: Arc<Limiter>, ask: Ask, format: Format) -> Result<()> {
    let store = super::collect(source.clone(), limiter.clone(), &[]).await?;
    let mut chosen: Vec<&Tenant> = match ask.tenants.is_empty() {
        true => store.tenants.values().map(|r| &r.tenant).collect(),
        false => ask.tenants.iter().map(|t| super::find_tenant(&store, t).map(|r| &r.tenant)).collect::<Result<_>>()?,
    };
    chosen.sort_by(|a, b| a.name.cmp(&b.name));
    let now = Utc::now();
    let journal = super::metrics_context::journal();
    let reads = chosen.iter().map(|t| one(source.clone(), &limiter, t, &ask, (now, &journal)));
    let tenants = join_all(reads).await;
    let values = tenants.iter().flat_map(|t| t.points.iter().map(|p| p.v));
    let axis = value_axis(values, None, 4);
    let report = Report {
        generated_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        metric: ask.metric.id,
        label: ask.metric.label,
        unit: ask.metric.unit,
        range: ask.range,
        axis: Axis { low: axis.low, high: axis.high },
        tenants,
    };
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&report)? + "\n",
        Format::Csv => to_csv(&report)?,
        Format::Table => to_table(&report),
    };
    write_stdout(&text)
}

/// One tenant: the metric's series (one query, not the whole dashboard), its alarms' threshold,
/// its deployments and silo's actions (from `journal`, read once for every tenant).
async fn one<'a>(
    source: Arc<dyn FleetSource>,
    limiter: &Limiter,
    t: &'a Tenant,
    ask: &Ask,
    (now, journal): (DateTime<Utc>, &[silo_core::journal::JournalEntry]),
) -> TenantSeries<'a> {
    let mut row = TenantSeries {
        tenant: &t.name,
        account_id: &t.account_id,
        resource: None,
        points: Vec::new(),
        threshold: None,
        events: Vec::new(),
        error: None,
    };
    let span = (now - chrono::Duration::seconds(ask.range.seconds()), now);
    let (period, _) =
        silo_core::metrics::period(ask.range, silo_core::metrics::MAX_POINTS, ask.range.seconds() / 86_400);
    let read = source.clone().metric_between(t.clone(), ask.metric, span, period);
    match limiter.run(AwsService::Cloudwatch, &t.account_id, 5, read).await {
        Err(e) => row.error = Some(e.to_string()),
        Ok(series) if series.points.is_empty() && series.message.is_some() => row.error = series.message,
        Ok(series) => (row.points, row.resource) = (series.points, Some(series.resource)),
    }
    let (alarms, events) = super::metrics_context::read(source, limiter, t, (ask.range, now), journal).await;
    row.threshold = Threshold::of(&alarms, ask.metric.namespace, ask.metric.metric);
    row.events = events;
    row
}

fn to_csv(report: &Report) -> Result<String> {
    let mut writer = silo_core::text::csv_writer();
    writer.write_record(["tenant", "account_id", "t", "v"])?;
    for t in &report.tenants {
        for p in &t.points {
            writer.write_record([
                silo_core::text::safe_text(t.tenant),
                t.account_id.to_string(),
                p.t.clone(),
                p.v.to_string(),
            ])?;
        }
    }
    Ok(silo_core::text::csv_text(writer)?)
}

fn to_table(report: &Report) -> String {
    let titles = ["TENANT", "LAST", "MIN", "MAX", "THRESHOLD", "DEPLOYMENTS", "NOTE"].map(String::from);
    let value = |v: Option<f64>| v.map(|v| silo_core::format::metric_value(v, report.unit)).unwrap_or("-".into());
    let cells: Vec<Vec<String>> = report
        .tenants
        .iter()
        .map(|t| {
            let values = t.points.iter().map(|p| p.v);
            let (lo, hi) = (values.clone().reduce(f64::min), values.reduce(f64::max));
            let threshold = t.threshold.as_ref().map(Threshold::label).unwrap_or_default();
            let deployments = t.events.iter().filter(|e| e.kind == "started").count().to_string();
            let note = t.error.clone().map(|e| format!("✗ {e}")).unwrap_or_default();
            vec![
                t.tenant.to_string(),
                value(t.points.last().map(|p| p.v)),
                value(lo),
                value(hi),
                threshold,
                deployments,
                note,
            ]
        })
        .collect();
    let head =
        format!("{} across {} tenants · last {} · one scale", report.label, report.tenants.len(), report.range.label());
    format!("{head}\n{}", silo_core::text::aligned(&titles, &cells))
}
