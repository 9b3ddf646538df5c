//! Whether Scheduler's runs of silo's schedules happened and failed: the `silo-rollouts` group's
//! `InvocationAttemptCount`, `TargetErrorCount` and `InvocationDroppedCount` (namespace `AWS/Scheduler`, dimension
//! `ScheduleGroup`; Scheduler user guide, "Monitoring EventBridge Scheduler with Amazon
//! CloudWatch") summed since a time, in the tenant account with the read role: one GetMetricData
//! request, only for a schedule that is gone without a landing (silo_core::schedule_outcome).

use super::metrics::metric_data;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};
use aws_sdk_cloudwatch::Client;
use chrono::{DateTime, Utc};
use silo_core::error::FetchError;
use silo_core::schedule_outcome::SchedulerErrors;
use silo_core::terms::schedule::GROUP;

const NAMESPACE: &str = "AWS/Scheduler";
/// Hourly sums: CloudWatch keeps one-hour points 455 days, minute points only 15 days, and the
/// outcome needs the count, not when in the hour it happened.
const PERIOD_SECONDS: i32 = 3_600;

/// The group's error counts from `since` to `now`.
pub async fn errors(client: &Client, since: DateTime<Utc>, now: DateTime<Utc>) -> Result<SchedulerErrors, FetchError> {
    let queries = [
        query("attempts", "InvocationAttemptCount"),
        query("target_errors", "TargetErrorCount"),
        query("dropped", "InvocationDroppedCount"),
    ];
    // GetMetricData's StartTime is rounded down to the period's multiple; whole hours either way.
    let start = since.timestamp() - since.timestamp().rem_euclid(i64::from(PERIOD_SECONDS));
    // EndTime is exclusive (CloudWatch API reference, GetMetricData: "the value specified is
    // exclusive; results include data points up to the specified time stamp"), and whole seconds
    // here: up to the next minute, so a count published in the second of the read is not cut off.
    let end = (now.timestamp().div_euclid(60) + 1) * 60;
    let answers = metric_data(client, &queries, (start, end), None).await?;
    let sum = |id: &str| -> u64 {
        let total: f64 = answers.get(id).map(|a| a.points.iter().map(|(_, v)| v).sum()).unwrap_or(0.0);
        total.max(0.0).round() as u64
    };
    Ok(SchedulerErrors { attempts: sum("attempts"), target_errors: sum("target_errors"), dropped: sum("dropped") })
}

fn query(id: &str, metric: &str) -> MetricDataQuery {
    let group = Dimension::builder().name("ScheduleGroup").value(GROUP).build();
    let metric = Metric::builder().namespace(NAMESPACE).metric_name(metric).dimensions(group).build();
    let stat = MetricStat::builder().metric(metric).period(PERIOD_SECONDS).stat("Sum").build();
    MetricDataQuery::builder().id(id).metric_stat(stat).return_data(true).build()
}
