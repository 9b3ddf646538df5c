//! Demo dashboards: daily traffic shapes, a 5xx spike on the flapping tenant, a growing batch
//! backlog on the backlog tenant, no load balancer for the tenant without a service.

use super::{hash, Profile};
use chrono::{DateTime, Timelike, Utc};
use silo_core::metrics::{period, rfc3339, Dashboard, Point, Range, ResourceKind, Series, SeriesStatus, PANELS};
use silo_core::model::Tenant;

pub fn dashboard(tenant: &Tenant, profile: Profile, range: Range, now: DateTime<Utc>) -> Dashboard {
    dashboard_until(tenant, profile, range, now, now)
}

/// The dashboard over `range` ending at `end` (a panned chart), the simulation's clock at `now`.
pub fn dashboard_until(
    tenant: &Tenant,
    profile: Profile,
    range: Range,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Dashboard {
    let oldest_days = (now - end).num_days().max(0) + range.seconds() / 86_400;
    let (period_seconds, note) = period(range, silo_core::metrics::MAX_POINTS, oldest_days);
    let missing = missing(profile);
    let end = end.timestamp() - end.timestamp() % i64::from(period_seconds);
    let count = range.seconds() / i64::from(period_seconds);
    let times: Vec<i64> = (0..count).map(|i| end - (count - 1 - i) * i64::from(period_seconds)).collect();
    let vpn = super::vpn::status(tenant, profile, silo_core::vpn::VpnWindow::fleet(now), now);
    let series = PANELS
        .iter()
        .filter(|spec| !missing.contains(&spec.resource))
        .filter(|spec| spec.resource != ResourceKind::Vpn || vpn.is_some())
        .map(|spec| {
            let at = times.iter().filter_map(|t| DateTime::from_timestamp(*t, 0));
            let points = at.map(|at| Point { t: rfc3339(at), v: value(spec.id, tenant, profile, at, now) }).collect();
            Series::of(spec, resource(spec.resource, tenant), points, SeriesStatus::Complete, None)
        })
        .collect();
    Dashboard { range, period_seconds, series, missing, note }
}

/// The resources a profile's tenant has no metrics for: the one without a service has no load
/// balancer either.
fn missing(profile: Profile) -> Vec<ResourceKind> {
    if profile == Profile::NoService {
        vec![ResourceKind::Service, ResourceKind::LoadBalancer]
    } else {
        Vec::new()
    }
}

/// One panel's series between two times at `period` seconds (`silo compare`), as the dashboard
/// would have drawn it then.
pub fn series_between(
    tenant: &Tenant,
    profile: Profile,
    spec: &'static silo_core::metrics::MetricSpec,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    period: i32,
    now: DateTime<Utc>,
) -> Series {
    if missing(profile).contains(&spec.resource) {
        let message = format!("no {} found for this tenant", spec.resource.label());
        return Series::of(spec, String::new(), Vec::new(), SeriesStatus::Complete, Some(message));
    }
    let step = i64::from(period.max(60));
    let first = from.timestamp() - from.timestamp().rem_euclid(step);
    let times = (0..).map(|i| first + i * step).take_while(|t| *t < to.timestamp().min(now.timestamp()));
    let at = times.filter(|t| *t >= from.timestamp()).filter_map(|t| DateTime::from_timestamp(t, 0));
    let points = at.map(|at| Point { t: rfc3339(at), v: value(spec.id, tenant, profile, at, now) }).collect();
    Series::of(spec, resource(spec.resource, tenant), points, SeriesStatus::Complete, None)
}

/// The tenant's batch queue as its newest one-minute points show it, the same series as its
/// dashboard's queue panels.
pub fn queue(tenant: &Tenant, profile: Profile, now: DateTime<Utc>) -> silo_core::queue::QueueBacklog {
    let newest = now.timestamp() - now.timestamp() % 60 - 60;
    let at = DateTime::from_timestamp(newest, 0).unwrap_or(now);
    silo_core::queue::QueueBacklog {
        name: resource(ResourceKind::Queue, tenant),
        visible: Some(value("sqs_visible", tenant, profile, at, now)),
        oldest_seconds: Some(value("sqs_age", tenant, profile, at, now)),
        as_of: Some(at),
    }
}

/// The fleet's QUEUE column (`silo_core::queue::COLUMN`): every demo tenant has a batch queue.
pub fn queue_column(tenant: &Tenant, profile: Profile, now: DateTime<Utc>) -> Option<silo_core::column::ColumnValue> {
    Some(silo_core::column::ColumnValue::new(queue(tenant, profile, now)))
}

fn resource(kind: ResourceKind, t: &Tenant) -> String {
    match kind {
        ResourceKind::Service => format!("{}/{}", t.ecs_cluster, t.ecs_service),
        ResourceKind::LoadBalancer => format!("app/{}-alb/{:016x}", t.name, hash(&t.account_id, 9)),
        ResourceKind::Database => format!("{}-db", t.name),
        ResourceKind::Queue => format!("{}-batch", t.name),
        ResourceKind::Vpn => format!("vpn-{:017x}", hash(&t.account_id, 22) % 0xfff_ffff_ffff_ffff),
    }
}

/// Business-hours traffic (São Paulo time), 0.15 at night to 1.0 mid-afternoon.
fn daily(at: DateTime<Utc>) -> f64 {
    let hour = (f64::from(at.hour()) + f64::from(at.minute()) / 60.0 - 3.0).rem_euclid(24.0);
    0.15 + 0.85 * (((hour - 15.0) / 24.0 * std::f64::consts::TAU).cos() * 0.5 + 0.5).powf(2.0)
}

fn noise(t: &Tenant, at: DateTime<Utc>, salt: u64) -> f64 {
    (hash(&format!("{}{}", t.account_id, at.timestamp()), salt) % 1000) as f64 / 1000.0
}

/// The flapping tenant's incident: 5xx creep up from the deployment's start and cross the alarm's
/// threshold (10 a minute) when the alarm fires, 12 minutes later (`deployments::incident_fired`).
fn incident_5xx(at: DateTime<Utc>, now: DateTime<Utc>, noise: f64) -> f64 {
    let fired = super::deployments::incident_fired(now);
    let started = fired - chrono::Duration::minutes(12);
    if at < started {
        return (noise * 2.0).floor();
    }
    if at < fired {
        let into = (at - started).num_seconds() as f64 / 720.0;
        return (2.0 + 7.0 * into + noise).floor().min(9.0);
    }
    (20.0 + 30.0 * noise).round()
}

/// ember-textiles' p99 latency is 40% higher since its move to 1.5.0 finished (the demo's
/// deployments: its newest base deployment, six days ago, took nine minutes): what `silo compare
/// --version 1.5.0 --metric p99` finds.
fn slower_after_1_5_0(t: &Tenant, at: DateTime<Utc>, now: DateTime<Utc>) -> f64 {
    let moved = now - chrono::Duration::days(6) + chrono::Duration::minutes(9);
    if t.name == "ember-textiles" && at >= moved {
        1.4
    } else {
        1.0
    }
}

fn value(id: &str, t: &Tenant, profile: Profile, at: DateTime<Utc>, now: DateTime<Utc>) -> f64 {
    let load = daily(at);
    let size = 1.0 + (hash(&t.account_id, 8) % 5) as f64;
    let minutes_ago = (now - at).num_minutes() as f64;
    let n = noise(t, at, 1);
    match id {
        "ecs_cpu" => 12.0 + 55.0 * load + 6.0 * n,
        "ecs_mem" => 48.0 + 10.0 * load + 2.0 * n,
        "ecs_tasks" => 2.0 + (size * load).round(),
        "alb_requests" => (size * 1800.0 * load * (0.9 + 0.2 * n)).round(),
        "alb_5xx" if profile == Profile::Flapping => incident_5xx(at, now, n),
        "alb_5xx" => (n * 2.0).floor(),
        "alb_latency" => 0.08 + 0.12 * load + 0.02 * n,
        "alb_latency_p99" => (0.35 + 0.9 * load + 0.2 * n) * slower_after_1_5_0(t, at, now),
        "rds_cpu" => 8.0 + 40.0 * load + 5.0 * n,
        "rds_storage" => (120.0 - 0.01 * (at.timestamp() % 100_000) as f64 / 100.0) * 1e9,
        "rds_connections" => (15.0 + 60.0 * load * size / 3.0).round(),
        "sqs_visible" if profile == Profile::BatchBacklog => (200.0 + 40.0 * (360.0 - minutes_ago.min(360.0))).max(0.0),
        "sqs_visible" => (30.0 * load * n).round(),
        "sqs_age" if profile == Profile::BatchBacklog => 60.0 + 6.0 * (360.0 - minutes_ago.min(360.0)),
        "sqs_age" => 5.0 + 40.0 * n,
        // One of two tunnels down while the vpn module's second tunnel is (the connection's
        // series is the average of its tunnels).
        "vpn_tunnels" if t.name == super::vpn::TUNNEL_DOWN && !super::vpn::second_tunnel_up(at, now) => 0.5,
        "vpn_tunnels" => 1.0,
        _ => 0.0,
    }
}
