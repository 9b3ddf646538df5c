//! The fleet's QUEUE column read with the SDK from a tenant's own CloudWatch in an organization
//! seeded in moto: the points SQS would publish are put into the tenant's `AWS/SQS` metrics, and
//! silo finds the batch queue and reads its newest depth and oldest-message age, in that account
//! only. The exact requests are asserted in crates/aws/src/mock_tests/queue.rs.

mod support;

use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, StandardUnit};
use chrono::Utc;
use silo_core::column::ColumnData;
use support::seed;

/// Puts one SQS metric of `queue` `minutes_ago` → value, as SQS publishes it each minute.
async fn sqs_points(inside: &aws_config::SdkConfig, queue: &str, metric: &str, points: &[(i64, f64)]) {
    let dims = vec![Dimension::builder().name("QueueName").value(queue).build()];
    let now = Utc::now().timestamp();
    let data: Vec<MetricDatum> = points
        .iter()
        .map(|(minutes_ago, value)| {
            MetricDatum::builder()
                .metric_name(metric)
                .set_dimensions(Some(dims.clone()))
                .value(*value)
                .unit(StandardUnit::Count)
                .timestamp(aws_smithy_types::DateTime::from_secs(now - minutes_ago * 60))
                .build()
        })
        .collect();
    let cw = aws_sdk_cloudwatch::Client::new(inside);
    cw.put_metric_data().namespace("AWS/SQS").set_metric_data(Some(data)).send().await.expect("put SQS metrics");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenants_batch_queue_backlog_is_read_from_its_own_cloudwatch_only() {
    let org = seed::organization().await;
    let alpha = org.account("alpha-queue", &org.tenants_ou, Some("alpha")).await;
    let beta = org.account("beta-queue", &org.tenants_ou, Some("beta")).await;
    let inside_alpha = org.inside(&alpha).await;
    // The batch queue backs up over the last ten minutes; another queue idles.
    let visible: Vec<(i64, f64)> = (1..=10).map(|m| (m, 400.0 - 20.0 * m as f64)).collect();
    let age: Vec<(i64, f64)> = (1..=10).map(|m| (m, 2400.0 - 60.0 * m as f64)).collect();
    sqs_points(&inside_alpha, "alpha-batch", "ApproximateNumberOfMessagesVisible", &visible).await;
    sqs_points(&inside_alpha, "alpha-batch", "ApproximateAgeOfOldestMessage", &age).await;
    sqs_points(&inside_alpha, "alpha-events", "ApproximateAgeOfOldestMessage", &[(1, 3.0)]).await;

    let client = silo_aws::cloudwatch::client(&inside_alpha, &alpha);
    let backlog = silo_aws::queue::backlog(&client, None, Utc::now()).await.expect("alpha read").expect("a queue");
    assert_eq!(backlog.name, "alpha-batch");
    assert_eq!((backlog.visible, backlog.oldest_seconds), (Some(380.0), Some(2340.0)), "the newest minute");
    let (cell, _) = backlog.cell();
    assert_eq!((cell.as_str(), backlog.health()), ("39m old", silo_core::model::Health::Warning));

    let inside_beta = org.inside(&beta).await;
    let beta_client = silo_aws::cloudwatch::client(&inside_beta, &beta);
    let none = silo_aws::queue::backlog(&beta_client, None, Utc::now()).await.expect("beta read");
    assert_eq!(none, None, "beta has no queue metrics: the QUEUE column says none");
}
