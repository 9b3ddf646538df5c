//! The fleet's QUEUE column from the tenant's own CloudWatch: its batch queue found with
//! ListMetrics (`AWS/SQS`, the `[tenants] batch_queue` name when configured, else a queue named
//! `batch`, else the first), then the newest depth and oldest-message age in one GetMetricData.

use super::metrics::{dimension_values, metric_data, pick, wanted};
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat, ScanBy};
use aws_sdk_cloudwatch::Client;
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use silo_core::column::ColumnValue;
use silo_core::error::FetchError;
use silo_core::metrics::ResourceKind;
use silo_core::queue::{
    QueueBacklog, AGE_METRIC, LOOKBACK_MINUTES, NAMESPACE, PERIOD_SECONDS, QUEUE_DIMENSION, VISIBLE_METRIC,
};

/// The column's reader (`silo_core::queue::COLUMN`); a tenant without SQS metrics has none.
pub fn column(call: crate::column_call::TenantCall<'_>) -> BoxFuture<'static, Result<Option<ColumnValue>, FetchError>> {
    let wanted = wanted(call.config, &call.tenant).remove(&ResourceKind::Queue);
    let (sdk, tenant) = (call.sdk, call.tenant);
    Box::pin(async move {
        let client = crate::cloudwatch::client(&sdk, &tenant.account_id);
        Ok(backlog(&client, wanted.as_ref(), Utc::now()).await?.map(ColumnValue::new))
    })
}

/// The tenant's batch queue as its newest points show it; None when the account has no queue
/// metrics (or none named as configured).
pub async fn backlog(
    client: &Client,
    wanted: Option<&String>,
    now: DateTime<Utc>,
) -> Result<Option<QueueBacklog>, FetchError> {
    let names = dimension_values(client, NAMESPACE, AGE_METRIC, QUEUE_DIMENSION, None).await?;
    let Some(name) = pick(names, wanted, "batch") else { return Ok(None) };
    let queries = [query("visible", VISIBLE_METRIC, &name), query("oldest", AGE_METRIC, &name)];
    let span = ((now - chrono::Duration::minutes(LOOKBACK_MINUTES)).timestamp(), now.timestamp());
    // Newest first, so a cut-off answer keeps the point shown: the newest one.
    let mut answers = metric_data(client, &queries, span, Some(ScanBy::TimestampDescending)).await?;
    let mut newest = |id: &str| answers.remove(id).and_then(|a| a.points.into_iter().max_by_key(|(t, _)| *t));
    let (visible, oldest) = (newest("visible"), newest("oldest"));
    let as_of = visible.or(oldest).and_then(|(t, _)| DateTime::from_timestamp(t, 0));
    Ok(Some(QueueBacklog { name, visible: visible.map(|p| p.1), oldest_seconds: oldest.map(|p| p.1), as_of }))
}

/// The Maximum of `metric` per minute for the queue; query ids match `^[a-z][a-zA-Z0-9_]*$`
/// (CloudWatch's model).
fn query(id: &str, metric: &str, queue: &str) -> MetricDataQuery {
    let dimension = Dimension::builder().name(QUEUE_DIMENSION).value(queue).build();
    let metric = Metric::builder().namespace(NAMESPACE).metric_name(metric).dimensions(dimension).build();
    let stat = MetricStat::builder().metric(metric).period(PERIOD_SECONDS).stat("Maximum").build();
    MetricDataQuery::builder().id(id).metric_stat(stat).return_data(true).build()
}
