//! `silo compare` (and `:compare`): each tenant's move to a version and one metric around it. Two
//! rounds, every tenant at once within the limiter: the deployments (who moved, when), then one
//! GetMetricData per tenant that moved, over the window before its deployment to the window after,
//! at one period for everyone (the finest CloudWatch keeps for the oldest move), so the tenants'
//! figures compare. A tenant whose reads fail is a row with its error; the others go on.

use crate::Limiter;
use chrono::{DateTime, Utc};
use futures::future::join_all;
use silo_core::compare::{move_to, spans, worst_first, Ask, Method, Move, Row};
use silo_core::metrics::{period_for, Series, MAX_POINTS};
use silo_core::model::{AwsService, Tenant};
use silo_core::source::FleetSource;
use std::sync::Arc;

/// The method used and each tenant's row, worst first.
pub async fn gather(
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    tenants: Vec<Tenant>,
    ask: &Ask,
    now: DateTime<Utc>,
) -> (Method, Vec<Row>) {
    let moves = join_all(tenants.iter().map(|t| moved(source.clone(), &limiter, t, &ask.version))).await;
    let oldest = moves.iter().filter_map(|m| m.as_ref().ok().and_then(Option::as_ref)).map(|m| m.started).min();
    let age_days = oldest.map_or(0, |t| (now - t + ask.window).num_days());
    let (period, _) = period_for(ask.window.num_seconds(), MAX_POINTS, age_days);
    let method = Method::new(ask.window.num_seconds(), period, ask.tolerance_percent);
    let reads = tenants.iter().zip(moves).map(|(t, m)| row(source.clone(), &limiter, t, m, ask, period, now));
    let mut rows = join_all(reads).await;
    worst_first(&mut rows);
    (method, rows)
}

async fn moved(
    source: Arc<dyn FleetSource>,
    limiter: &Limiter,
    tenant: &Tenant,
    version: &str,
) -> Result<Option<Move>, String> {
    let status = limiter.run(AwsService::Ecs, &tenant.account_id, 20, source.deploy_status(tenant.clone())).await;
    status.map(|s| move_to(&s, version)).map_err(|e| format!("deployments not read: {e}"))
}

async fn row(
    source: Arc<dyn FleetSource>,
    limiter: &Limiter,
    tenant: &Tenant,
    moved: Result<Option<Move>, String>,
    ask: &Ask,
    period: i32,
    now: DateTime<Utc>,
) -> Row {
    let row = Row::new(&tenant.name, &tenant.account_id);
    let m = match moved {
        Err(e) => return Row { error: Some(e), ..row },
        Ok(None) => return row,
        Ok(Some(m)) => m,
    };
    let (before, after) = spans(&m, ask.window);
    let read = source.metric_between(tenant.clone(), ask.metric, (before.0, after.1.min(now)), period);
    let row = Row { moved: Some(m), ..row };
    match limiter.run(AwsService::Cloudwatch, &tenant.account_id, 5, read).await {
        Err(e) => Row { error: Some(format!("metric not read: {e}")), ..row },
        Ok(series) if series.points.is_empty() && series.message.is_some() => Row { error: series.message, ..row },
        Ok(series) => {
            let (b, a) = (values_in(&series, before), values_in(&series, after));
            row.judge(&b, &a, ask.tolerance_percent, after.1 > now)
        }
    }
}

/// The series' values inside `span` (its start included, its end not).
fn values_in(series: &Series, (from, to): silo_core::compare::Span) -> Vec<f64> {
    let at = |t: &str| DateTime::parse_from_rfc3339(t).ok().map(|t| t.with_timezone(&Utc));
    series.points.iter().filter(|p| at(&p.t).is_some_and(|t| t >= from && t < to)).map(|p| p.v).collect()
}
