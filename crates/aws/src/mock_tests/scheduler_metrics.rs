//! The error counts of silo's schedule group: the exact GetMetricData request (namespace
//! `AWS/Scheduler`, metrics `TargetErrorCount` and `InvocationDroppedCount`, dimension
//! `ScheduleGroup`, hourly sums from the hour of `since`) and the sums over every point.
//! tests/moto_rollouts.rs reads what the test bed's Scheduler published from moto.

use aws_sdk_cloudwatch::operation::get_metric_data::{GetMetricDataInput, GetMetricDataOutput};
use aws_sdk_cloudwatch::types::{MetricDataResult, StatusCode};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_types::DateTime;
use chrono::{TimeZone, Utc};
use silo_core::schedule_outcome::SchedulerErrors;

/// A query as asserted: id, namespace, metric, dimensions (name, value), period, statistic.
type Query = (String, String, String, Vec<(String, String)>, i32, String);

/// Each query of the request, in order.
fn queries(r: &GetMetricDataInput) -> Vec<Query> {
    r.metric_data_queries()
        .iter()
        .map(|q| {
            let stat = q.metric_stat();
            let metric = stat.and_then(|s| s.metric());
            let dims = metric.map(|m| m.dimensions()).unwrap_or_default();
            (
                q.id().unwrap_or_default().to_string(),
                metric.and_then(|m| m.namespace()).unwrap_or_default().to_string(),
                metric.and_then(|m| m.metric_name()).unwrap_or_default().to_string(),
                dims.iter().map(|d| (d.name().unwrap_or("").into(), d.value().unwrap_or("").into())).collect(),
                stat.and_then(|s| s.period()).unwrap_or(0),
                stat.and_then(|s| s.stat()).unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn sums(id: &str, values: &[f64]) -> MetricDataResult {
    let times = (0..values.len()).map(|i| DateTime::from_secs(1_796_000_000 + 3_600 * i as i64));
    MetricDataResult::builder()
        .id(id)
        .set_timestamps(Some(times.collect()))
        .set_values(Some(values.to_vec()))
        .status_code(StatusCode::Complete)
        .build()
}

#[tokio::test]
async fn the_groups_errors_are_summed_from_the_hour_the_schedule_was_made() {
    let since = Utc.with_ymd_and_hms(2026, 12, 1, 14, 27, 5).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 12, 6, 9, 0, 0).unwrap();
    let group = vec![("ScheduleGroup".to_string(), "silo-rollouts".to_string())];
    let expected = vec![
        (
            "attempts".into(),
            "AWS/Scheduler".into(),
            "InvocationAttemptCount".into(),
            group.clone(),
            3_600,
            "Sum".into(),
        ),
        ("target_errors".into(), "AWS/Scheduler".into(), "TargetErrorCount".into(), group.clone(), 3_600, "Sum".into()),
        ("dropped".into(), "AWS/Scheduler".into(), "InvocationDroppedCount".into(), group, 3_600, "Sum".into()),
    ];
    let hour = Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap().timestamp();
    let data = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(move |r| {
            r.start_time().map(|t| t.secs()) == Some(hour)
                && r.end_time().map(|t| t.secs()) == Some(now.timestamp() + 60)
                && queries(r) == expected
        })
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(sums("attempts", &[60.0, 61.0]))
                .metric_data_results(sums("target_errors", &[60.0, 61.0]))
                .metric_data_results(sums("dropped", &[1.0]))
                .build()
        });
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::Sequential, [&data]);
    let errors = crate::scheduler_metrics::errors(&client, since, now).await.expect("read");
    assert_eq!(errors, SchedulerErrors { attempts: 121, target_errors: 121, dropped: 1 });
    assert_eq!(data.num_calls(), 1);
}
