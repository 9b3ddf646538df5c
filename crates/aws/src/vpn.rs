//! A tenant's site-to-site VPN tunnels from CloudWatch with the read role: ListMetrics finds the
//! `AWS/VPN` `TunnelState` series of each tunnel (`VpnId` + `TunnelIpAddress`), then one
//! GetMetricData reads them all (paged). EC2's DescribeVpnConnections would say the same with a
//! status message, but its SDK crate alone took longer to build than all of silo; the limits of
//! this route are in `silo_core::vpn` and docs/performance.md.

use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat, ScanBy};
use aws_sdk_cloudwatch::Client;
use chrono::{DateTime, Utc};
use silo_core::error::FetchError;
use silo_core::sanitize::clean;
use silo_core::vpn::{self as model, TunnelSeries, VpnStatus, VpnWindow};

/// GetMetricData takes at most 500 queries a request (CloudWatch API reference, GetMetricData).
const QUERIES_PER_REQUEST: usize = 500;

/// The account's tunnels that reported inside `window`; None when none did.
pub async fn status(client: &Client, window: VpnWindow) -> Result<Option<VpnStatus>, FetchError> {
    let tunnels = tunnels(client).await?;
    if tunnels.is_empty() {
        return Ok(None);
    }
    let mut series = Vec::with_capacity(tunnels.len());
    for chunk in tunnels.chunks(QUERIES_PER_REQUEST) {
        series.extend(read(client, chunk, window).await?);
    }
    Ok(VpnStatus::from_series(&series, window.to))
}

/// (VpnId, TunnelIpAddress) of every per-tunnel series, sorted. ListMetrics lists a series
/// that had data in the last two weeks; the connection-wide series (VpnId alone) is skipped.
async fn tunnels(client: &Client) -> Result<Vec<(String, String)>, FetchError> {
    let series = super::metrics::series_dimensions(client, model::NAMESPACE, model::METRIC, None).await?;
    let mut tunnels: Vec<(String, String)> = series.iter().filter_map(|dims| tunnel_of(dims)).collect();
    tunnels.sort();
    tunnels.dedup();
    Ok(tunnels)
}

fn tunnel_of(dimensions: &[Dimension]) -> Option<(String, String)> {
    let value = |name: &str| dimensions.iter().find(|d| d.name() == Some(name)).and_then(|d| d.value());
    Some((value(model::VPN_DIMENSION)?.to_string(), value(model::TUNNEL_DIMENSION)?.to_string()))
}

/// One GetMetricData (paged) for up to 500 tunnels: query `t<i>` is the i-th tunnel.
async fn read(
    client: &Client,
    tunnels: &[(String, String)],
    window: VpnWindow,
) -> Result<Vec<TunnelSeries>, FetchError> {
    let queries: Vec<MetricDataQuery> = tunnels.iter().enumerate().map(|(i, t)| query(i, t)).collect();
    let span = (window.from.timestamp(), window.to.timestamp());
    let mut answers = super::metrics::metric_data(client, &queries, span, Some(ScanBy::TimestampAscending)).await?;
    let points = (0..tunnels.len()).map(|i| {
        let answer = answers.remove(&format!("t{i}")).unwrap_or_default();
        answer.points.into_iter().filter_map(|(t, v)| Some((DateTime::from_timestamp(t, 0)?, v))).collect()
    });
    Ok(tunnels.iter().zip(points).map(|((vpn, ip), points)| series(vpn, ip, points)).collect())
}

fn series(vpn_id: &str, outside_ip: &str, points: Vec<(DateTime<Utc>, f64)>) -> TunnelSeries {
    TunnelSeries { vpn_id: clean(vpn_id), outside_ip: clean(outside_ip), points }
}

/// Query ids must start with a lower-case letter (`^[a-z][a-zA-Z0-9_]*$`, CloudWatch model).
fn query(index: usize, (vpn_id, outside_ip): &(String, String)) -> MetricDataQuery {
    let dim = |name: &str, value: &str| Dimension::builder().name(name).value(value).build();
    let metric = Metric::builder()
        .namespace(model::NAMESPACE)
        .metric_name(model::METRIC)
        .dimensions(dim(model::VPN_DIMENSION, vpn_id))
        .dimensions(dim(model::TUNNEL_DIMENSION, outside_ip))
        .build();
    let stat = MetricStat::builder().metric(metric).period(model::PERIOD_SECONDS).stat(model::STATISTIC).build();
    MetricDataQuery::builder().id(format!("t{index}")).metric_stat(stat).return_data(true).build()
}

/// The fleet's VPN column of one tenant (`silo_core::vpn::COLUMN`): the last day of its tunnels.
pub fn column(
    call: crate::column_call::TenantCall<'_>,
) -> futures::future::BoxFuture<'static, Result<Option<silo_core::column::ColumnValue>, FetchError>> {
    let (sdk, tenant) = (call.sdk, call.tenant);
    Box::pin(async move {
        let client = crate::cloudwatch::client(&sdk, &tenant.account_id);
        let found = status(&client, VpnWindow::fleet(Utc::now())).await?;
        Ok(found.map(silo_core::column::ColumnValue::new))
    })
}
