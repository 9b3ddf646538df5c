//! CloudWatch: alarms and their history (read role), metrics (read role for the dashboard, the
//! VPN tunnels and Scheduler's counts; the monitoring role with `[monitoring]`).

use super::Probe;
use crate::errors::classify;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};
use aws_sdk_cloudwatch::Client;
use silo_core::model::AwsService;

const SERVICE: AwsService = AwsService::Cloudwatch;

pub async fn alarms(client: &Client) -> Vec<Probe> {
    let alarms = client.describe_alarms().max_records(1).send().await.map_err(|e| classify(SERVICE, e));
    let history = client.describe_alarm_history().max_records(1).send().await.map_err(|e| classify(SERVICE, e));
    vec![
        Probe::of("cloudwatch:DescribeAlarms", alarms, |o| {
            format!("{} alarm(s) on the first page", o.metric_alarms().len())
        }),
        Probe::of("cloudwatch:DescribeAlarmHistory", history, |o| format!("{} item(s)", o.alarm_history_items().len())),
    ]
}

pub async fn metrics(client: &Client, now: chrono::DateTime<chrono::Utc>) -> Vec<Probe> {
    let listed = client.list_metrics().namespace("AWS/ECS").metric_name("CPUUtilization").send().await;
    let listed = listed.map_err(|e| classify(SERVICE, e));
    let dimension = Dimension::builder().name("ClusterName").value(super::ABSENT).build();
    let metric = Metric::builder().namespace("AWS/ECS").metric_name("CPUUtilization").dimensions(dimension).build();
    let stat = MetricStat::builder().metric(metric).period(300).stat("Average").build();
    let query = MetricDataQuery::builder().id("probe").metric_stat(stat).return_data(true).build();
    let data = client
        .get_metric_data()
        .metric_data_queries(query)
        .start_time(aws_smithy_types::DateTime::from_secs(now.timestamp() - 900))
        .end_time(aws_smithy_types::DateTime::from_secs(now.timestamp()))
        .send()
        .await
        .map_err(|e| classify(SERVICE, e));
    vec![
        Probe::of("cloudwatch:ListMetrics", listed, |o| format!("{} series", o.metrics().len())),
        Probe::of("cloudwatch:GetMetricData", data, |o| format!("{} result(s)", o.metric_data_results().len())),
    ]
}
