//! Dashboard paths moto does not serve faithfully (percentile statistics, PartialData/Forbidden
//! statuses, paging of GetMetricData, the OAM monitoring account's AccountId), covered with
//! aws-smithy-mocks and the exact requests asserted.

use aws_sdk_cloudwatch::operation::get_metric_data::{GetMetricDataInput, GetMetricDataOutput};
use aws_sdk_cloudwatch::types::{MessageData, MetricDataResult, StatusCode};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use silo_aws::metrics::{dashboard, Resources};
use silo_core::metrics::{Range, SeriesStatus};
use silo_core::model::Tenant;

fn tenant() -> Tenant {
    Tenant {
        name: "acme".into(),
        account_id: "111111111111".into(),
        region: "us-east-1".into(),
        ecs_cluster: "acme".into(),
        ecs_service: "app".into(),
        terms: Default::default(),
    }
}

fn resources() -> Resources {
    Resources {
        load_balancer: Some("app/acme-alb/abc".into()),
        database: Some("acme-db".into()),
        queue: Some("acme-batch".into()),
        vpn: None,
    }
}

fn result(id: &str, values: &[f64], status: StatusCode) -> MetricDataResult {
    let times = values
        .iter()
        .enumerate()
        .map(|(i, _)| aws_smithy_types::DateTime::from_secs(1_800_000_000 + 60 * i as i64))
        .collect();
    MetricDataResult::builder()
        .id(id)
        .set_timestamps(Some(times))
        .set_values(Some(values.to_vec()))
        .status_code(status)
        .build()
}

fn one_call_for_all_panels(r: &GetMetricDataInput) -> bool {
    let q = r.metric_data_queries();
    let p99 = q.iter().find(|q| q.id() == Some("alb_latency_p99")).and_then(|q| q.metric_stat());
    q.len() == 12
        && p99.and_then(|s| s.stat()) == Some("p99")
        && p99.and_then(|s| s.period()) == Some(60)
        && q.iter().all(|q| q.account_id().is_none())
}

#[tokio::test]
async fn one_request_pages_by_token_and_keeps_each_series_status() {
    let page1 = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| one_call_for_all_panels(r) && r.next_token().is_none())
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(result("alb_latency_p99", &[0.9, 1.4], StatusCode::Complete))
                .metric_data_results(result("rds_cpu", &[10.0], StatusCode::PartialData))
                .next_token("n2")
                .build()
        });
    let page2 = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| one_call_for_all_panels(r) && r.next_token() == Some("n2"))
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(result("rds_cpu", &[12.0], StatusCode::PartialData))
                .metric_data_results(
                    MetricDataResult::builder()
                        .id("sqs_age")
                        .status_code(StatusCode::Forbidden)
                        .messages(MessageData::builder().code("Forbidden").value("no access to AWS/SQS").build())
                        .build(),
                )
                .build()
        });
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&page1, &page2]);
    let now = chrono::DateTime::from_timestamp(1_800_003_600, 0).unwrap();
    let d = dashboard(&client, &tenant(), &resources(), Range::H1, now, false).await.expect("dashboard");
    let s = |id: &str| d.series.iter().find(|s| s.id == id).expect(id);
    assert_eq!(s("alb_latency_p99").values().collect::<Vec<_>>(), vec![0.9, 1.4]);
    assert_eq!(s("rds_cpu").values().collect::<Vec<_>>(), vec![10.0, 12.0], "pages merged in time order");
    assert_eq!(s("rds_cpu").status, SeriesStatus::PartialData);
    assert_eq!(
        (s("sqs_age").status.clone(), s("sqs_age").message.as_deref()),
        (SeriesStatus::Forbidden, Some("no access to AWS/SQS"))
    );
    assert_eq!((page1.num_calls(), page2.num_calls()), (1, 1));
}

#[tokio::test]
async fn a_monitoring_account_names_the_tenant_in_every_query() {
    let rule = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| r.metric_data_queries().iter().all(|q| q.account_id() == Some("111111111111")))
        .then_output(|| GetMetricDataOutput::builder().build());
    let client = mock_client!(aws_sdk_cloudwatch, [&rule]);
    let now = chrono::DateTime::from_timestamp(1_800_003_600, 0).unwrap();
    dashboard(&client, &tenant(), &Resources::default(), Range::D7, now, true).await.expect("dashboard");
    assert_eq!(rule.num_calls(), 1);
}

/// A tenant with a VPN connection gets the tunnel panel by its `VpnId`; one without it has no
/// such panel and no "missing" line (a VPN is optional, unlike the load balancer).
#[tokio::test]
async fn the_vpn_panel_is_asked_only_for_a_tenant_with_a_connection() {
    let with_vpn = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| {
            let vpn = r.metric_data_queries().iter().find(|q| q.id() == Some("vpn_tunnels"));
            let metric = vpn.and_then(|q| q.metric_stat()).and_then(|s| s.metric());
            let dims: Vec<(Option<&str>, Option<&str>)> =
                metric.map(|m| m.dimensions().iter().map(|d| (d.name(), d.value())).collect()).unwrap_or_default();
            metric.and_then(|m| m.namespace()) == Some("AWS/VPN")
                && metric.and_then(|m| m.metric_name()) == Some("TunnelState")
                && dims == [(Some("VpnId"), Some("vpn-0abc"))]
        })
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(result("vpn_tunnels", &[1.0, 0.5], StatusCode::Complete))
                .build()
        });
    let client = mock_client!(aws_sdk_cloudwatch, [&with_vpn]);
    let now = chrono::DateTime::from_timestamp(1_800_003_600, 0).unwrap();
    let with_connection = Resources { vpn: Some("vpn-0abc".into()), ..resources() };
    let d = dashboard(&client, &tenant(), &with_connection, Range::H1, now, false).await.expect("dashboard");
    assert_eq!(with_vpn.num_calls(), 1);
    assert!(d.series.iter().any(|s| s.id == "vpn_tunnels"));

    let without = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| r.metric_data_queries().iter().all(|q| q.id() != Some("vpn_tunnels")))
        .then_output(|| GetMetricDataOutput::builder().build());
    let client = mock_client!(aws_sdk_cloudwatch, [&without]);
    let d = dashboard(&client, &tenant(), &resources(), Range::H1, now, false).await.expect("dashboard");
    assert_eq!(without.num_calls(), 1);
    assert!(d.missing.is_empty(), "{:?}", d.missing);
}

/// `silo compare`'s read: one query for the panel's metric (p99 as an extended statistic, the
/// load balancer's dimension), over exactly the asked span at the asked period.
#[tokio::test]
async fn a_metric_between_two_times_is_one_query_over_that_span() {
    let from = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
    let to = from + chrono::Duration::hours(12);
    let rule = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(move |r: &GetMetricDataInput| {
            let [q] = r.metric_data_queries() else { return false };
            let stat = q.metric_stat();
            let metric = stat.and_then(|s| s.metric());
            let dims: Vec<(Option<&str>, Option<&str>)> =
                metric.map(|m| m.dimensions().iter().map(|d| (d.name(), d.value())).collect()).unwrap_or_default();
            q.id() == Some("alb_latency_p99")
                && stat.and_then(|s| s.stat()) == Some("p99")
                && stat.and_then(|s| s.period()) == Some(60)
                && metric.and_then(|m| m.metric_name()) == Some("TargetResponseTime")
                && dims == [(Some("LoadBalancer"), Some("app/acme-alb/abc"))]
                && r.start_time().map(|t| t.secs()) == Some(from.timestamp())
                && r.end_time().map(|t| t.secs()) == Some(to.timestamp())
        })
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(result("alb_latency_p99", &[0.61, 0.63], StatusCode::Complete))
                .build()
        });
    let client = mock_client!(aws_sdk_cloudwatch, [&rule]);
    let spec = silo_core::compare::metric("p99").unwrap();
    let series = silo_aws::metrics::series_between(&client, &tenant(), &resources(), spec, (from, to), 60, false)
        .await
        .expect("series");
    assert_eq!(rule.num_calls(), 1);
    assert_eq!(series.values().collect::<Vec<_>>(), vec![0.61, 0.63]);
    let none = Resources { load_balancer: None, ..resources() };
    let empty =
        silo_aws::metrics::series_between(&client, &tenant(), &none, spec, (from, to), 60, false).await.unwrap();
    assert_eq!((empty.points.len(), empty.message.as_deref()), (0, Some("no load balancer found for this tenant")));
    assert_eq!(rule.num_calls(), 1, "no request without the resource");
}
