//! `silo metrics` against datapoints put into moto's CloudWatch inside a tenant account.
//! (Percentiles, alarm history and composite alarms, which moto does not compute, are covered with
//! aws-smithy-mocks in mocks_metrics.rs.)

mod support;

use aws_sdk_cloudwatch::types::{ComparisonOperator, Dimension, MetricDatum, StandardUnit, Statistic};
use serde_json::Value;
use support::seed;

async fn put(
    cw: &aws_sdk_cloudwatch::Client,
    namespace: &str,
    metric: &str,
    dims: &[(&str, &str)],
    values: &[f64],
    unit: StandardUnit,
) {
    let now = aws_smithy_types::DateTime::from_secs(chrono::Utc::now().timestamp() - 120);
    let dims: Vec<Dimension> = dims.iter().map(|(n, v)| Dimension::builder().name(*n).value(*v).build()).collect();
    let data: Vec<MetricDatum> = values
        .iter()
        .map(|v| {
            MetricDatum::builder()
                .metric_name(metric)
                .set_dimensions(Some(dims.clone()))
                .value(*v)
                .unit(unit.clone())
                .timestamp(now)
                .build()
        })
        .collect();
    cw.put_metric_data().namespace(namespace).set_metric_data(Some(data)).send().await.expect("put metric data");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_values_match_the_seeded_datapoints() {
    let org = seed::organization().await;
    let id = org.account("acme", &org.tenants_ou, Some("acme")).await;
    let cw = aws_sdk_cloudwatch::Client::new(&org.inside(&id).await);
    put(
        &cw,
        "AWS/ECS",
        "CPUUtilization",
        &[("ClusterName", "acme"), ("ServiceName", "app")],
        &[20.0, 40.0],
        StandardUnit::Percent,
    )
    .await;
    put(&cw, "AWS/RDS", "CPUUtilization", &[("DBInstanceIdentifier", "acme-db")], &[70.0], StandardUnit::Percent).await;
    put(
        &cw,
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        &[("QueueName", "acme-transactional")],
        &[5.0],
        StandardUnit::Count,
    )
    .await;
    put(
        &cw,
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        &[("QueueName", "acme-batch")],
        &[120.0, 80.0],
        StandardUnit::Count,
    )
    .await;

    // The alarm on the service's CPU: its threshold rides along with the series it watches.
    cw.put_metric_alarm()
        .alarm_name("acme-ecs-cpu-high")
        .namespace("AWS/ECS")
        .metric_name("CPUUtilization")
        .dimensions(Dimension::builder().name("ClusterName").value("acme").build())
        .dimensions(Dimension::builder().name("ServiceName").value("app").build())
        .statistic(Statistic::Average)
        .period(60)
        .evaluation_periods(3)
        .threshold(80.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .send()
        .await
        .expect("put metric alarm");

    let home = tempfile::tempdir().expect("tempdir");
    let config = support::write_config(
        home.path(),
        "region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"Tenants\"\n[fetch]\nmax_attempts = 1\n",
    );
    journal_actions(home.path(), &id);
    let out = support::run_silo(
        &["metrics", "--tenant", "acme", "--range", "1h", "--config", config.to_str().unwrap()],
        &org.management,
        home.path(),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("metrics JSON");
    assert_eq!((report["tenant"].as_str(), report["range"].as_str()), (Some("acme"), Some("1h")));
    let series =
        |id: &str| report["series"].as_array().unwrap().iter().find(|s| s["id"] == id).cloned().unwrap_or(Value::Null);
    let values = |id: &str| {
        series(id)["points"]
            .as_array()
            .map(|p| p.iter().map(|x| x["v"].as_f64().unwrap()).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    assert_eq!(values("ecs_cpu"), vec![30.0], "average of the two datapoints in one minute");
    assert_eq!(series("ecs_cpu")["resource"], "acme/app");
    assert_eq!(
        series("ecs_cpu")["threshold"],
        serde_json::json!({"value": 80.0, "comparison": "GreaterThanThreshold", "alarm": "acme-ecs-cpu-high"}),
        "the alarm on the metric, from DescribeAlarms"
    );
    assert!(series("rds_cpu")["threshold"].is_null(), "no alarm watches it");
    let events: Vec<(String, String, String)> = report["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| (e["source"].to_string(), e["kind"].to_string(), e["title"].to_string()))
        .collect();
    let action = ("\"action\"".to_string(), "\"confirmed\"".to_string(), "\"ecs:UpdateService by maria\"".to_string());
    assert_eq!(events, vec![action], "acme's action in the range; not another account's, not the one before it");
    assert_eq!(values("rds_cpu"), vec![70.0]);
    assert_eq!(series("rds_cpu")["resource"], "acme-db", "found by ListMetrics");
    assert_eq!(series("sqs_visible")["resource"], "acme-batch", "the batch queue is preferred");
    assert_eq!(values("sqs_visible"), vec![120.0], "Maximum");
    assert_eq!(report["missing"], serde_json::json!(["loadbalancer"]), "no ALB metrics: no ALB panels");
    assert!(String::from_utf8_lossy(&out.stderr).contains("acme has no load balancer"));

    let unknown = support::run_silo(
        &["metrics", "--tenant", "acmee", "--config", config.to_str().unwrap()],
        &org.management,
        home.path(),
    );
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown tenant \"acmee\"; did you mean acme?"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_static_tenant_can_name_its_own_database() {
    let org = seed::organization().await;
    let id = support::fresh_account_id();
    let cw = aws_sdk_cloudwatch::Client::new(&org.inside(&id).await);
    put(&cw, "AWS/RDS", "CPUUtilization", &[("DBInstanceIdentifier", "main-db")], &[10.0], StandardUnit::Percent).await;
    put(&cw, "AWS/RDS", "CPUUtilization", &[("DBInstanceIdentifier", "replica-db")], &[90.0], StandardUnit::Percent)
        .await;
    let home = tempfile::tempdir().expect("tempdir");
    let config = support::write_config(home.path(), &format!(
        "region = \"us-east-1\"\n[tenants]\nsource = \"static\"\n[[tenants.static]]\nname = \"solo\"\naccount_id = \"{id}\"\ndb_instance = \"replica\"\n[fetch]\nmax_attempts = 1\n"
    ));
    let out = support::run_silo(
        &["metrics", "--tenant", "solo", "--range", "1h", "--config", config.to_str().unwrap()],
        &org.management,
        home.path(),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let rds = report["series"].as_array().unwrap().iter().find(|s| s["id"] == "rds_cpu").cloned().expect("rds series");
    assert_eq!(rds["resource"], "replica-db");
    assert_eq!(rds["points"][0]["v"].as_f64(), Some(90.0));
}

/// Three journal lines: acme's update 10 minutes ago, an update of another account that carries
/// the name "acme" too, and acme's update two hours ago (outside the hour asked for).
fn journal_actions(home: &std::path::Path, acme: &str) {
    let line = |minutes_ago: i64, account: &str| {
        let at = chrono::Utc::now() - chrono::Duration::minutes(minutes_ago);
        serde_json::json!({
            "time": at.to_rfc3339(), "identity": "arn:aws:sts::1:assumed-role/OnCall/maria",
            "source_identity": "maria", "tenants": ["acme"], "tenant_accounts": [account],
            "account": account, "region": "us-east-1", "api": "ecs:UpdateService", "parameters": {},
            "ids": [], "mode": "confirmed", "result": "ok", "request_ids": []
        })
        .to_string()
    };
    let journal = home.join("state/silo/audit.jsonl");
    std::fs::create_dir_all(journal.parent().expect("state dir")).expect("state dir");
    let text = [line(10, acme), line(10, "999999999999"), line(120, acme)].join("\n") + "\n";
    std::fs::write(journal, text).expect("journal");
}
