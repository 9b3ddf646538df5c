//! Tenant dashboards: which metrics a tenant's panels show (ECS, ALB, RDS, SQS), the time ranges
//! and the period chosen for each, and the series that come back. No AWS and no terminal here.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

/// Dashboard time ranges, cycled with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Range {
    #[serde(rename = "1h")]
    H1,
    #[serde(rename = "3h")]
    H3,
    #[serde(rename = "6h")]
    H6,
    #[serde(rename = "12h")]
    H12,
    #[serde(rename = "24h")]
    H24,
    #[serde(rename = "7d")]
    D7,
    #[serde(rename = "30d")]
    D30,
}

impl Range {
    pub const ALL: [Range; 7] = [Range::H1, Range::H3, Range::H6, Range::H12, Range::H24, Range::D7, Range::D30];

    pub fn label(self) -> &'static str {
        match self {
            Range::H1 => "1h",
            Range::H3 => "3h",
            Range::H6 => "6h",
            Range::H12 => "12h",
            Range::H24 => "24h",
            Range::D7 => "7d",
            Range::D30 => "30d",
        }
    }

    pub fn parse(text: &str) -> Option<Range> {
        Range::ALL.into_iter().find(|r| r.label() == text.trim())
    }

    pub fn seconds(self) -> i64 {
        match self {
            Range::H1 => 3_600,
            Range::H3 => 3 * 3_600,
            Range::H6 => 6 * 3_600,
            Range::H12 => 12 * 3_600,
            Range::H24 => 24 * 3_600,
            Range::D7 => 7 * 86_400,
            Range::D30 => 30 * 86_400,
        }
    }

    pub fn next(self) -> Range {
        let i = Range::ALL.iter().position(|r| *r == self).unwrap_or(0);
        Range::ALL[(i + 1) % Range::ALL.len()]
    }

    /// The next longer range, or this one when it is the longest (`-`: zoom out).
    pub fn wider(self) -> Range {
        let i = Range::ALL.iter().position(|r| *r == self).unwrap_or(0);
        Range::ALL[(i + 1).min(Range::ALL.len() - 1)]
    }

    /// The next shorter range, or this one when it is the shortest (`+`: zoom in).
    pub fn narrower(self) -> Range {
        let i = Range::ALL.iter().position(|r| *r == self).unwrap_or(0);
        Range::ALL[i.saturating_sub(1)]
    }
}

/// The period of the datapoints: the finest standard period that keeps the series within
/// `max_points` points and that CloudWatch still keeps for data that old (1-minute data for 15
/// days, 5-minute for 63, 1-hour for 455). Returns the period and a note when retention forced it.
pub fn period(range: Range, max_points: u32, oldest_age_days: i64) -> (i32, Option<String>) {
    period_for(range.seconds(), max_points, oldest_age_days)
}

/// `period` for any span of `seconds` (`silo compare`'s windows).
pub fn period_for(seconds: i64, max_points: u32, oldest_age_days: i64) -> (i32, Option<String>) {
    const PERIODS: [i32; 5] = [60, 300, 900, 3_600, 86_400];
    let wanted =
        PERIODS.into_iter().find(|p| seconds / i64::from(*p) <= i64::from(max_points.max(1))).unwrap_or(86_400);
    let retained = match oldest_age_days {
        ..=15 => 60,
        16..=63 => 300,
        64..=455 => 3_600,
        _ => 86_400,
    };
    if retained > wanted {
        let note = format!("CloudWatch keeps {wanted}-second data only so long; showing {retained}-second points");
        (retained, Some(note))
    } else {
        (wanted, None)
    }
}

/// One panel's metric: what to ask CloudWatch for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricSpec {
    pub id: &'static str,
    pub label: &'static str,
    pub namespace: &'static str,
    pub metric: &'static str,
    pub stat: &'static str,
    pub unit: &'static str,
    pub resource: ResourceKind,
}

/// What a panel is about; its dimension value comes from config or discovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceKind {
    Service,
    LoadBalancer,
    Database,
    Queue,
    /// A site-to-site VPN connection (`VpnId`): optional, only customers who integrate over one.
    Vpn,
}

impl ResourceKind {
    pub fn label(self) -> &'static str {
        match self {
            ResourceKind::Service => "ECS service",
            ResourceKind::LoadBalancer => "load balancer",
            ResourceKind::Database => "RDS instance",
            ResourceKind::Queue => "SQS queue",
            ResourceKind::Vpn => "VPN connection",
        }
    }

    /// Whether a tenant is expected to have one: a missing optional resource (a VPN) is not
    /// listed as missing, its panel is simply not drawn.
    pub fn is_expected(self) -> bool {
        match self {
            ResourceKind::Service | ResourceKind::LoadBalancer | ResourceKind::Database | ResourceKind::Queue => true,
            ResourceKind::Vpn => false,
        }
    }
}

const fn spec(
    id: &'static str,
    label: &'static str,
    namespace: &'static str,
    metric: &'static str,
    stat: &'static str,
    unit: &'static str,
    resource: ResourceKind,
) -> MetricSpec {
    MetricSpec { id, label, namespace, metric, stat, unit, resource }
}

/// The seed architecture's panels: ECS service, ALB, RDS and the batch queue.
pub const PANELS: [MetricSpec; 13] = [
    spec("ecs_cpu", "ECS CPU", "AWS/ECS", "CPUUtilization", "Average", "Percent", ResourceKind::Service),
    spec("ecs_mem", "ECS memory", "AWS/ECS", "MemoryUtilization", "Average", "Percent", ResourceKind::Service),
    spec(
        "ecs_tasks",
        "Running tasks",
        "ECS/ContainerInsights",
        "RunningTaskCount",
        "Average",
        "Count",
        ResourceKind::Service,
    ),
    spec(
        "alb_requests",
        "ALB requests",
        "AWS/ApplicationELB",
        "RequestCount",
        "Sum",
        "Count",
        ResourceKind::LoadBalancer,
    ),
    spec(
        "alb_5xx",
        "ALB target 5xx",
        "AWS/ApplicationELB",
        "HTTPCode_Target_5XX_Count",
        "Sum",
        "Count",
        ResourceKind::LoadBalancer,
    ),
    spec(
        "alb_latency",
        "Response time (avg)",
        "AWS/ApplicationELB",
        "TargetResponseTime",
        "Average",
        "Seconds",
        ResourceKind::LoadBalancer,
    ),
    spec(
        "alb_latency_p99",
        "Response time (p99)",
        "AWS/ApplicationELB",
        "TargetResponseTime",
        "p99",
        "Seconds",
        ResourceKind::LoadBalancer,
    ),
    spec("rds_cpu", "RDS CPU", "AWS/RDS", "CPUUtilization", "Average", "Percent", ResourceKind::Database),
    spec("rds_storage", "RDS free storage", "AWS/RDS", "FreeStorageSpace", "Minimum", "Bytes", ResourceKind::Database),
    spec(
        "rds_connections",
        "RDS connections",
        "AWS/RDS",
        "DatabaseConnections",
        "Average",
        "Count",
        ResourceKind::Database,
    ),
    spec(
        "sqs_visible",
        "Queue depth",
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        "Maximum",
        "Count",
        ResourceKind::Queue,
    ),
    spec(
        "sqs_age",
        "Oldest message age",
        "AWS/SQS",
        "ApproximateAgeOfOldestMessage",
        "Maximum",
        "Seconds",
        ResourceKind::Queue,
    ),
    // 1 while every tunnel of the connection is up, 0.5 with one of two down, 0 with none up.
    spec("vpn_tunnels", "VPN tunnels up", "AWS/VPN", "TunnelState", "Average", "None", ResourceKind::Vpn),
];

/// Whether CloudWatch returned the whole series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeriesStatus {
    Complete,
    PartialData,
    Forbidden,
    InternalError,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub t: String,
    pub v: f64,
}

/// One series of the dashboard; the JSON field names are the `silo metrics` contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    pub id: String,
    pub label: String,
    pub namespace: String,
    pub metric: String,
    pub stat: String,
    pub unit: String,
    pub points: Vec<Point>,
    /// Added fields: the resource the series is about, and CloudWatch's status for it.
    pub resource: String,
    pub status: SeriesStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Series {
    /// The series of one panel, as CloudWatch (or the demo) answered it.
    pub fn of(
        spec: &MetricSpec,
        resource: String,
        points: Vec<Point>,
        status: SeriesStatus,
        message: Option<String>,
    ) -> Series {
        Series {
            id: spec.id.into(),
            label: spec.label.into(),
            namespace: spec.namespace.into(),
            metric: spec.metric.into(),
            stat: spec.stat.into(),
            unit: spec.unit.into(),
            points,
            resource,
            status,
            message,
        }
    }

    pub fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.points.iter().map(|p| p.v)
    }

    pub fn last(&self) -> Option<f64> {
        self.points.last().map(|p| p.v)
    }

    pub fn min_max(&self) -> Option<(f64, f64)> {
        self.values().fold(None, |acc, v| Some(acc.map_or((v, v), |(lo, hi): (f64, f64)| (lo.min(v), hi.max(v)))))
    }
}

/// A tenant's dashboard data for one range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    pub range: Range,
    pub period_seconds: i32,
    pub series: Vec<Series>,
    /// Panels whose resource the tenant does not have (no load balancer, say).
    pub missing: Vec<ResourceKind>,
    /// Why the period differs from the one the chart asked for (retention), if it does.
    pub note: Option<String>,
}

pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The `silo metrics` JSON document.
#[derive(Debug, Serialize)]
pub struct MetricsReport<'a> {
    pub tenant: &'a str,
    pub range: Range,
    pub series: Vec<SeriesReport<'a>>,
    /// Added fields.
    pub period_seconds: i32,
    pub missing: &'a [ResourceKind],
    /// What happened in the range (deployments, silo's actions), oldest first: a script can mark
    /// them as the charts do.
    pub events: &'a [crate::timeline::Event],
}

/// A series with the threshold of the tenant's alarm on its metric (added field; null without one).
#[derive(Debug, Serialize)]
pub struct SeriesReport<'a> {
    #[serde(flatten)]
    pub series: &'a Series,
    pub threshold: Option<crate::chart::Threshold>,
}

impl SeriesReport<'_> {
    /// Each series of `dashboard` with the threshold `alarms` set on its metric.
    pub fn all<'a>(dashboard: &'a Dashboard, alarms: &[crate::alarms::Alarm]) -> Vec<SeriesReport<'a>> {
        let threshold = |s: &Series| crate::chart::Threshold::of(alarms, &s.namespace, &s.metric);
        dashboard.series.iter().map(|series| SeriesReport { series, threshold: threshold(series) }).collect()
    }
}

/// Points asked of CloudWatch per series: a day at one-minute periods. A chart thins them to two
/// per column before drawing (`chart::thin`); 13 series of 1,440 stay far below GetMetricData's
/// 100,800 datapoints per call.
pub const MAX_POINTS: u32 = 1_440;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_fit_the_points_and_the_retention() {
        assert_eq!(period(Range::H24, MAX_POINTS, 1), (60, None));
        assert_eq!(period(Range::D7, MAX_POINTS, 7), (900, None));
        assert_eq!(period(Range::D30, MAX_POINTS, 30), (3_600, None));
        assert_eq!(period(Range::H1, 360, 0), (60, None));
        assert_eq!(period(Range::H24, 360, 1), (300, None));
        assert_eq!(period(Range::D7, 360, 7), (3_600, None));
        let (p, note) = period(Range::H1, 360, 30);
        assert_eq!(p, 300);
        assert!(note.unwrap().contains("60-second data"));
    }

    #[test]
    fn ranges_cycle_and_parse() {
        assert_eq!(Range::D30.next(), Range::H1);
        assert_eq!(
            (Range::D30.wider(), Range::H1.narrower(), Range::H6.narrower()),
            (Range::D30, Range::H1, Range::H3)
        );
        assert_eq!(Range::parse("12h"), Some(Range::H12));
        assert_eq!(Range::parse("2d"), None);
    }

    #[test]
    fn min_max_over_points() {
        let s = Series {
            id: "a".into(),
            label: "a".into(),
            namespace: "n".into(),
            metric: "m".into(),
            stat: "Average".into(),
            unit: "Percent".into(),
            points: vec![Point { t: "x".into(), v: 3.0 }, Point { t: "y".into(), v: 1.5 }],
            resource: "r".into(),
            status: SeriesStatus::Complete,
            message: None,
        };
        assert_eq!(s.min_max(), Some((1.5, 3.0)));
        assert_eq!(s.last(), Some(1.5));
    }
}
