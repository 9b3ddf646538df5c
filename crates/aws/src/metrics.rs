//! A tenant's dashboard from CloudWatch: the resources found with ListMetrics (unless configured),
//! then every panel's series in one GetMetricData call (up to 500 queries; pages by NextToken).

use super::errors::classify;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat, ScanBy, StatusCode};
use aws_sdk_cloudwatch::Client;
use chrono::{DateTime, Utc};
use silo_core::error::FetchError;
use silo_core::metrics::MAX_POINTS;
use silo_core::metrics::{
    period, rfc3339, Dashboard, MetricSpec, Point, Range, ResourceKind, Series, SeriesStatus, PANELS,
};
use silo_core::model::{AwsService, Tenant};
use std::collections::HashMap;

const SERVICE: AwsService = AwsService::Cloudwatch;

/// The dimension values of a tenant's resources.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resources {
    pub load_balancer: Option<String>,
    pub database: Option<String>,
    pub queue: Option<String>,
    pub vpn: Option<String>,
}

/// Finds the tenant's load balancer, database and batch queue among the metrics its account has.
/// `wanted` narrows each kind to names containing the configured text.
/// `owning`: the tenant's account when reading through an OAM monitoring account.
pub async fn discover(
    client: &Client,
    wanted: &HashMap<ResourceKind, String>,
    owning: Option<&str>,
) -> Result<Resources, FetchError> {
    let pick = |values: Vec<String>, kind: ResourceKind, prefer: &str| pick(values, wanted.get(&kind), prefer);
    Ok(Resources {
        load_balancer: pick(
            dimension_values(client, "AWS/ApplicationELB", "RequestCount", "LoadBalancer", owning).await?,
            ResourceKind::LoadBalancer,
            "",
        ),
        database: pick(
            dimension_values(client, "AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", owning).await?,
            ResourceKind::Database,
            "",
        ),
        queue: pick(
            dimension_values(client, "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", owning).await?,
            ResourceKind::Queue,
            "batch",
        ),
        vpn: pick(dimension_values(client, "AWS/VPN", "TunnelState", "VpnId", owning).await?, ResourceKind::Vpn, ""),
    })
}

/// The resource among `values` whose name contains `wanted` (when configured), preferring one
/// that contains `prefer` (`batch` among a tenant's queues), else the first.
pub(crate) fn pick(values: Vec<String>, wanted: Option<&String>, prefer: &str) -> Option<String> {
    let fits = |v: &&String| wanted.is_none_or(|w| v.contains(w.as_str()));
    let candidates: Vec<&String> = values.iter().filter(fits).collect();
    candidates.iter().find(|v| v.contains(prefer)).or(candidates.first()).map(|v| v.to_string())
}

/// The configured names of a tenant's resources (its static entry's, else the `[tenants]`
/// patterns rendered for it), by kind.
pub fn wanted(config: &silo_core::config::Config, tenant: &Tenant) -> HashMap<ResourceKind, String> {
    use silo_core::config::{Pattern, TenantSource};
    let own = match &config.tenants {
        TenantSource::Static(list) => list.iter().find(|s| s.account_id == tenant.account_id),
        TenantSource::Organizations { .. } => None,
    };
    let pick = |own: Option<&Option<String>>, pattern: &Option<Pattern>| {
        own.and_then(|o| o.clone()).or_else(|| pattern.as_ref().map(|p| p.render(&tenant.name, &tenant.account_id)))
    };
    [
        (ResourceKind::LoadBalancer, pick(own.map(|s| &s.load_balancer), &config.load_balancer)),
        (ResourceKind::Database, pick(own.map(|s| &s.db_instance), &config.db_instance)),
        (ResourceKind::Queue, pick(own.map(|s| &s.batch_queue), &config.batch_queue)),
    ]
    .into_iter()
    .filter_map(|(kind, wanted)| wanted.map(|w| (kind, w)))
    .collect()
}

/// The dimensions of every series of `metric` in `namespace` (ListMetrics, every page), as AWS
/// gives them: callers sanitize what they show, and query with the raw values.
pub(crate) async fn series_dimensions(
    client: &Client,
    namespace: &str,
    metric: &str,
    owning: Option<&str>,
) -> Result<Vec<Vec<Dimension>>, FetchError> {
    let mut request = client.list_metrics().namespace(namespace).metric_name(metric);
    if let Some(account) = owning {
        request = request.include_linked_accounts(true).owning_account(account);
    }
    let pages = request.into_paginator().send();
    let pages = pages.collect::<Result<Vec<_>, _>>().await.map_err(|e| classify(SERVICE, e))?;
    Ok(pages.iter().flat_map(|p| p.metrics()).map(|m| m.dimensions().to_vec()).collect())
}

pub(crate) async fn dimension_values(
    client: &Client,
    namespace: &str,
    metric: &str,
    dimension: &str,
    owning: Option<&str>,
) -> Result<Vec<String>, FetchError> {
    let series = series_dimensions(client, namespace, metric, owning).await?;
    let mut values: Vec<String> = series
        .iter()
        .flatten()
        .filter(|d| d.name() == Some(dimension))
        .filter_map(|d| d.value().map(silo_core::sanitize::clean))
        .collect();
    values.sort();
    values.dedup();
    Ok(values)
}

fn dimensions(spec: &MetricSpec, tenant: &Tenant, r: &Resources) -> Option<(Vec<Dimension>, String)> {
    let dim = |n: &str, v: &str| Dimension::builder().name(n).value(v).build();
    match spec.resource {
        ResourceKind::Service => {
            let dims = vec![dim("ClusterName", &tenant.ecs_cluster), dim("ServiceName", &tenant.ecs_service)];
            Some((dims, format!("{}/{}", tenant.ecs_cluster, tenant.ecs_service)))
        }
        ResourceKind::LoadBalancer => r.load_balancer.as_ref().map(|v| (vec![dim("LoadBalancer", v)], v.clone())),
        ResourceKind::Database => r.database.as_ref().map(|v| (vec![dim("DBInstanceIdentifier", v)], v.clone())),
        ResourceKind::Queue => r.queue.as_ref().map(|v| (vec![dim("QueueName", v)], v.clone())),
        ResourceKind::Vpn => r.vpn.as_ref().map(|v| (vec![dim("VpnId", v)], v.clone())),
    }
}

/// Every panel of the tenant in one GetMetricData request (paged), for `range` ending `now`.
/// `monitoring_account`: read from a CloudWatch cross-account observability (OAM) monitoring
/// account, naming the tenant's account in each query.
pub async fn dashboard(
    client: &Client,
    tenant: &Tenant,
    resources: &Resources,
    range: Range,
    now: DateTime<Utc>,
    monitoring_account: bool,
) -> Result<Dashboard, FetchError> {
    // The oldest point's age decides the periods CloudWatch still keeps (a panned range is older).
    let oldest_days = (Utc::now() - now).num_days().max(0) + range.seconds() / 86_400;
    let (period_seconds, note) = period(range, MAX_POINTS, oldest_days);
    let mut queries = Vec::new();
    let mut meta: HashMap<&str, (&MetricSpec, String)> = HashMap::new();
    let mut missing = Vec::new();
    for spec in &PANELS {
        let Some((dims, resource)) = dimensions(spec, tenant, resources) else {
            if spec.resource.is_expected() && !missing.contains(&spec.resource) {
                missing.push(spec.resource);
            }
            continue;
        };
        let metric =
            Metric::builder().namespace(spec.namespace).metric_name(spec.metric).set_dimensions(Some(dims)).build();
        let stat = MetricStat::builder().metric(metric).period(period_seconds).stat(spec.stat).build();
        let mut query = MetricDataQuery::builder().id(spec.id).metric_stat(stat).return_data(true);
        if monitoring_account {
            query = query.account_id(&tenant.account_id);
        }
        queries.push(query.build());
        meta.insert(spec.id, (spec, resource));
    }
    let span = ((now.timestamp() - range.seconds()).max(0), now.timestamp());
    let mut answers = metric_data(client, &queries, span, None).await?;
    let series = PANELS
        .iter()
        .filter_map(|spec| meta.get(spec.id))
        .map(|(spec, resource)| {
            let answer = answers.remove(spec.id).unwrap_or_default();
            let mut pts = answer.points;
            pts.sort_by_key(|(t, _)| *t);
            let (status, message) = answer.status.unwrap_or((SeriesStatus::Complete, None));
            let pts =
                pts.into_iter().filter_map(|(t, v)| DateTime::from_timestamp(t, 0).map(|t| Point { t: rfc3339(t), v }));
            Series::of(spec, resource.clone(), pts.collect(), status, message)
        })
        .collect();
    Ok(Dashboard { range, period_seconds, series, missing, note })
}

/// One panel's metric between two times at `period` seconds (`silo compare`): one GetMetricData
/// query, paged. A tenant without the panel's resource has an empty series that says so.
pub async fn series_between(
    client: &Client,
    tenant: &Tenant,
    resources: &Resources,
    spec: &MetricSpec,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    period: i32,
    monitoring_account: bool,
) -> Result<Series, FetchError> {
    let Some((dims, resource)) = dimensions(spec, tenant, resources) else {
        let message = format!("no {} found for this tenant", spec.resource.label());
        return Ok(Series::of(spec, String::new(), Vec::new(), SeriesStatus::Complete, Some(message)));
    };
    let metric =
        Metric::builder().namespace(spec.namespace).metric_name(spec.metric).set_dimensions(Some(dims)).build();
    let stat = MetricStat::builder().metric(metric).period(period).stat(spec.stat).build();
    let mut query = MetricDataQuery::builder().id(spec.id).metric_stat(stat).return_data(true);
    if monitoring_account {
        query = query.account_id(&tenant.account_id);
    }
    let mut answers = metric_data(client, &[query.build()], (from.timestamp(), to.timestamp()), None).await?;
    let answer = answers.remove(spec.id).unwrap_or_default();
    let mut points = answer.points;
    points.sort_by_key(|(t, _)| *t);
    let (status, message) = answer.status.unwrap_or((SeriesStatus::Complete, None));
    let points =
        points.into_iter().filter_map(|(t, v)| DateTime::from_timestamp(t, 0).map(|t| Point { t: rfc3339(t), v }));
    Ok(Series::of(spec, resource, points.collect(), status, message))
}

/// One query's answer over every page: its (epoch seconds, value) points, and the status of its
/// last page.
#[derive(Debug, Default)]
pub(crate) struct Answer {
    pub points: Vec<(i64, f64)>,
    pub status: Option<(SeriesStatus, Option<String>)>,
}

/// One GetMetricData request over `span` (epoch seconds), every page merged per query id.
pub(crate) async fn metric_data(
    client: &Client,
    queries: &[MetricDataQuery],
    (start, end): (i64, i64),
    scan_by: Option<ScanBy>,
) -> Result<HashMap<String, Answer>, FetchError> {
    let mut answers: HashMap<String, Answer> = HashMap::new();
    let mut token: Option<String> = None;
    let mut tokens = super::paging::PageTokens::default();
    loop {
        let out = client
            .get_metric_data()
            .set_metric_data_queries(Some(queries.to_vec()))
            .start_time(aws_smithy_types::DateTime::from_secs(start))
            .end_time(aws_smithy_types::DateTime::from_secs(end))
            .set_scan_by(scan_by.clone())
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| classify(SERVICE, e))?;
        for r in out.metric_data_results() {
            let answer = answers.entry(r.id().unwrap_or_default().to_string()).or_default();
            answer.points.extend(r.timestamps().iter().map(|t| t.secs()).zip(r.values().iter().copied()));
            answer.status = Some(status(r.status_code(), r.messages().first().and_then(|m| m.value())));
        }
        token = super::paging::next_token(SERVICE, &mut tokens, out.next_token())?;
        if token.is_none() {
            return Ok(answers);
        }
    }
}

fn status(code: Option<&StatusCode>, message: Option<&str>) -> (SeriesStatus, Option<String>) {
    let status = match code {
        Some(StatusCode::PartialData) => SeriesStatus::PartialData,
        Some(StatusCode::Forbidden) => SeriesStatus::Forbidden,
        Some(StatusCode::InternalError) => SeriesStatus::InternalError,
        _ => SeriesStatus::Complete,
    };
    (status, message.map(silo_core::sanitize::clean))
}
