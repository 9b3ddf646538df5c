//! The fleet's QUEUE column from CloudWatch's `AWS/SQS`: the exact ListMetrics and GetMetricData
//! requests (namespace, metric, the queue's dimension, period, statistic, look-back, newest
//! first), which queue is picked, and that the newest point is the one shown.

use aws_sdk_cloudwatch::operation::get_metric_data::{GetMetricDataInput, GetMetricDataOutput};
use aws_sdk_cloudwatch::operation::list_metrics::ListMetricsOutput;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataResult, ScanBy, StatusCode};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_types::DateTime;
use chrono::{TimeZone, Utc};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap()
}

fn queue_metric(name: &str) -> Metric {
    let dim = Dimension::builder().name("QueueName").value(name).build();
    Metric::builder().namespace("AWS/SQS").metric_name("ApproximateAgeOfOldestMessage").dimensions(dim).build()
}

fn listing(names: &'static [&'static str]) -> aws_smithy_mocks::Rule {
    mock!(aws_sdk_cloudwatch::Client::list_metrics)
        .match_requests(|r| {
            r.namespace() == Some("AWS/SQS")
                && r.metric_name() == Some("ApproximateAgeOfOldestMessage")
                && r.dimensions().is_empty()
        })
        .then_output(move || {
            ListMetricsOutput::builder().set_metrics(Some(names.iter().map(|n| queue_metric(n)).collect())).build()
        })
}

/// A query as asserted: id, namespace, metric, dimensions (name, value), period, statistic.
type Query = (String, String, String, Vec<(String, String)>, i32, String);

fn queries(r: &GetMetricDataInput) -> Vec<Query> {
    r.metric_data_queries()
        .iter()
        .map(|q| {
            let stat = q.metric_stat();
            let metric = stat.and_then(|s| s.metric());
            let dims = metric.map(|m| m.dimensions()).unwrap_or_default();
            (
                q.id().unwrap_or("").to_string(),
                metric.and_then(|m| m.namespace()).unwrap_or("").to_string(),
                metric.and_then(|m| m.metric_name()).unwrap_or("").to_string(),
                dims.iter().map(|d| (d.name().unwrap_or("").into(), d.value().unwrap_or("").into())).collect(),
                stat.and_then(|s| s.period()).unwrap_or(0),
                stat.and_then(|s| s.stat()).unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn result(id: &str, points: &[(i64, f64)]) -> MetricDataResult {
    let at = |minutes: i64| DateTime::from_secs((now() - chrono::Duration::minutes(minutes)).timestamp());
    MetricDataResult::builder()
        .id(id)
        .set_timestamps(Some(points.iter().map(|(m, _)| at(*m)).collect()))
        .set_values(Some(points.iter().map(|(_, v)| *v).collect()))
        .status_code(StatusCode::Complete)
        .build()
}

#[tokio::test]
async fn the_batch_queue_is_read_newest_first_over_the_last_fifteen_minutes() {
    let list = listing(&["acme-a-events", "acme-batch"]);
    let data = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| {
            let dims = vec![("QueueName".to_string(), "acme-batch".to_string())];
            let q = |id: &str, metric: &str| {
                (id.to_string(), "AWS/SQS".to_string(), metric.to_string(), dims.clone(), 60, "Maximum".to_string())
            };
            queries(r)
                == [q("visible", "ApproximateNumberOfMessagesVisible"), q("oldest", "ApproximateAgeOfOldestMessage")]
                && r.start_time().map(|t| t.secs()) == Some((now() - chrono::Duration::minutes(15)).timestamp())
                && r.end_time().map(|t| t.secs()) == Some(now().timestamp())
                && r.scan_by() == Some(&ScanBy::TimestampDescending)
        })
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(result("visible", &[(1, 340.0), (2, 300.0)]))
                .metric_data_results(result("oldest", &[(1, 2400.0), (2, 2340.0)]))
                .build()
        });
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::Sequential, [&list, &data]);
    let backlog = crate::queue::backlog(&client, None, now()).await.expect("read").expect("a queue");
    assert_eq!(data.num_calls(), 1);
    assert_eq!(backlog.name, "acme-batch", "the queue named batch, though listed second");
    assert_eq!((backlog.visible, backlog.oldest_seconds), (Some(340.0), Some(2400.0)), "the newest point");
    assert_eq!(backlog.as_of, Some(now() - chrono::Duration::minutes(1)));
}

#[tokio::test]
async fn a_configured_queue_name_wins_and_an_account_without_queues_has_none() {
    let list = listing(&["acme-batch", "acme-jobs-prod"]);
    let data = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| queries(r).iter().all(|q| q.3 == [("QueueName".to_string(), "acme-jobs-prod".to_string())]))
        .then_output(|| GetMetricDataOutput::builder().build());
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::Sequential, [&list, &data]);
    let wanted = "jobs-prod".to_string();
    let backlog = crate::queue::backlog(&client, Some(&wanted), now()).await.expect("read").expect("a queue");
    assert_eq!(
        (backlog.name.as_str(), backlog.visible, backlog.as_of),
        ("acme-jobs-prod", None, None),
        "idle: no point"
    );

    let none = listing(&[]);
    let unasked =
        mock!(aws_sdk_cloudwatch::Client::get_metric_data).then_output(|| GetMetricDataOutput::builder().build());
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&none, &unasked]);
    assert_eq!(crate::queue::backlog(&client, None, now()).await.expect("read"), None);
    assert_eq!(unasked.num_calls(), 0, "no queue, no GetMetricData");
}
