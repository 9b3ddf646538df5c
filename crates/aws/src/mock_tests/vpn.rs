//! VPN tunnels from CloudWatch's `AWS/VPN` `TunnelState`: the exact ListMetrics and
//! GetMetricData requests (namespace, metric, per-tunnel dimensions, period, statistic, window,
//! pages), and that answers merge across pages and are sanitized. tests/moto_vpn.rs reads
//! the same series from moto.

use aws_sdk_cloudwatch::operation::get_metric_data::{GetMetricDataInput, GetMetricDataOutput};
use aws_sdk_cloudwatch::operation::list_metrics::ListMetricsOutput;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataResult, ScanBy, StatusCode};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_types::DateTime;
use chrono::{Duration, TimeZone, Utc};
use silo_core::vpn::{TunnelChange, VpnWindow};

fn window() -> VpnWindow {
    let to = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap();
    VpnWindow { from: to - Duration::hours(24), to }
}

fn secs(minutes_before_end: i64) -> i64 {
    (window().to - Duration::minutes(minutes_before_end)).timestamp()
}

fn metric(dims: &[(&str, &str)]) -> Metric {
    let dims = dims.iter().map(|(n, v)| Dimension::builder().name(*n).value(*v).build());
    Metric::builder().namespace("AWS/VPN").metric_name("TunnelState").set_dimensions(Some(dims.collect())).build()
}

fn result(id: &str, points: &[(i64, f64)]) -> MetricDataResult {
    MetricDataResult::builder()
        .id(id)
        .set_timestamps(Some(points.iter().map(|(m, _)| DateTime::from_secs(secs(*m))).collect()))
        .set_values(Some(points.iter().map(|(_, v)| *v).collect()))
        .status_code(StatusCode::Complete)
        .build()
}

/// A query as asserted: id, dimensions (name, value), period, statistic.
type Query = (String, Vec<(String, String)>, i32, String);

/// Each query's id, dimensions, period and statistic, in order.
fn queries(r: &GetMetricDataInput) -> Vec<Query> {
    r.metric_data_queries()
        .iter()
        .map(|q| {
            let stat = q.metric_stat();
            let metric = stat.and_then(|s| s.metric());
            let dims = metric.map(|m| m.dimensions()).unwrap_or_default();
            let dims = dims.iter().map(|d| (d.name().unwrap_or("").into(), d.value().unwrap_or("").into())).collect();
            let named =
                metric.is_some_and(|m| m.namespace() == Some("AWS/VPN") && m.metric_name() == Some("TunnelState"));
            let id = if named && q.return_data() == Some(true) { q.id().unwrap_or("").to_string() } else { "?".into() };
            (
                id,
                dims,
                stat.and_then(|s| s.period()).unwrap_or(0),
                stat.and_then(|s| s.stat()).unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn tunnel_query(id: &str, vpn: &str, ip: &str) -> Query {
    let dims = vec![("VpnId".to_string(), vpn.to_string()), ("TunnelIpAddress".to_string(), ip.to_string())];
    (id.to_string(), dims, 300, "Minimum".to_string())
}

fn asks_the_window(r: &GetMetricDataInput) -> bool {
    r.start_time().map(|t| t.secs()) == Some(window().from.timestamp())
        && r.end_time().map(|t| t.secs()) == Some(window().to.timestamp())
        && r.scan_by() == Some(&ScanBy::TimestampAscending)
}

#[tokio::test]
async fn every_tunnel_is_read_in_one_paged_request_and_the_connection_series_is_skipped() {
    let first_list = mock!(aws_sdk_cloudwatch::Client::list_metrics)
        .match_requests(|r| {
            r.namespace() == Some("AWS/VPN")
                && r.metric_name() == Some("TunnelState")
                && r.dimensions().is_empty()
                && r.next_token().is_none()
        })
        .then_output(|| {
            ListMetricsOutput::builder()
                .metrics(metric(&[("VpnId", "vpn-0b")]))
                .metrics(metric(&[("VpnId", "vpn-0b"), ("TunnelIpAddress", "198.51.100.2")]))
                .next_token("page-2")
                .build()
        });
    let second_list = mock!(aws_sdk_cloudwatch::Client::list_metrics)
        .match_requests(|r| r.next_token() == Some("page-2"))
        .then_output(|| {
            ListMetricsOutput::builder()
                .metrics(metric(&[("VpnId", "vpn-0a\u{1b}[31m"), ("TunnelIpAddress", "198.51.100.1")]))
                .metrics(metric(&[("VpnId", "vpn-0b"), ("TunnelIpAddress", "198.51.100.2")]))
                .build()
        });
    let expected =
        vec![tunnel_query("t0", "vpn-0a\u{1b}[31m", "198.51.100.1"), tunnel_query("t1", "vpn-0b", "198.51.100.2")];
    let wanted = expected.clone();
    let first_data = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(move |r| asks_the_window(r) && r.next_token().is_none() && queries(r) == wanted)
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(result("t0", &[(30, 1.0), (25, 1.0)]))
                .metric_data_results(result("t1", &[(30, 1.0), (25, 1.0), (20, 0.0)]))
                .next_token("more")
                .build()
        });
    let second_data = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(move |r| asks_the_window(r) && r.next_token() == Some("more") && queries(r) == expected)
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(result("t0", &[(5, 1.0)]))
                .metric_data_results(result("t1", &[(5, 0.0)]))
                .build()
        });
    let client =
        mock_client!(aws_sdk_cloudwatch, RuleMode::Sequential, [&first_list, &second_list, &first_data, &second_data]);
    let status = crate::vpn::status(&client, window()).await.expect("read").expect("two connections");
    assert_eq!((first_data.num_calls(), second_data.num_calls()), (1, 1), "one request, two pages");
    let ids: Vec<&str> = status.connections.iter().map(|c| c.vpn_id.as_str()).collect();
    assert_eq!(ids, ["vpn-0a", "vpn-0b"], "ids from AWS are sanitized");
    assert_eq!((status.tunnels_up(), status.tunnels_total()), (1, 2));
    let b = &status.connections[1].tunnels[0];
    assert_eq!(b.changes, [TunnelChange { at: window().to - Duration::minutes(20), up: false }]);
    assert_eq!(b.as_of, Some(window().to - Duration::minutes(5)), "the second page's point is merged");
}

#[tokio::test]
async fn an_account_without_tunnel_series_has_no_vpn_and_asks_for_no_data() {
    let list = mock!(aws_sdk_cloudwatch::Client::list_metrics)
        .then_output(|| ListMetricsOutput::builder().metrics(metric(&[("VpnId", "vpn-0only-connection")])).build());
    let data =
        mock!(aws_sdk_cloudwatch::Client::get_metric_data).then_output(|| GetMetricDataOutput::builder().build());
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&list, &data]);
    assert_eq!(crate::vpn::status(&client, window()).await.expect("read"), None);
    assert_eq!(data.num_calls(), 0);
}

#[tokio::test]
async fn tunnels_listed_without_points_in_the_window_leave_no_connection() {
    let list = mock!(aws_sdk_cloudwatch::Client::list_metrics).then_output(|| {
        ListMetricsOutput::builder()
            .metrics(metric(&[("VpnId", "vpn-0old"), ("TunnelIpAddress", "198.51.100.7")]))
            .build()
    });
    let data = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .then_output(|| GetMetricDataOutput::builder().metric_data_results(result("t0", &[])).build());
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::Sequential, [&list, &data]);
    assert_eq!(crate::vpn::status(&client, window()).await.expect("read"), None, "deleted more than a window ago");
}
