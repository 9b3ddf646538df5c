//! Athena against moto: a workgroup in the logs account, results seeded through moto's
//! `/moto-api/static/athena/query-results`, states driven by its state manager (QUEUED → RUNNING →
//! SUCCEEDED), cancellation, and `silo query` end to end. moto ignores MaxResults/NextToken,
//! reports zero statistics and never fails a query: those paths are in mocks_athena.rs.

mod support;

use serde_json::{json, Value};
use silo_aws::athena;
use silo_core::queries::run::{QueryRequest, QueryState};

struct Logs {
    org: support::seed::Org,
    account: String,
    client: aws_sdk_athena::Client,
}

/// A logs account with the `silo` workgroup, seen through its SiloLogs role.
async fn logs_account() -> Logs {
    let org = support::seed::organization().await;
    let account = support::fresh_account_id();
    let creds = support::assume(&org.sdk().await, &account, "SiloLogs").await;
    let client = aws_sdk_athena::Client::new(&support::sdk(creds).await);
    let config = aws_sdk_athena::types::WorkGroupConfiguration::builder()
        .result_configuration(
            aws_sdk_athena::types::ResultConfiguration::builder().output_location("s3://athena-results/silo/").build(),
        )
        .build();
    client.create_work_group().name("silo").configuration(config).send().await.expect("workgroup");
    Logs { org, account, client }
}

fn seed_results(account: &str, header: bool, rows: &[[&str; 2]]) {
    let cell = |v: &str| json!({ "VarCharValue": v });
    let mut data: Vec<Value> = rows.iter().map(|r| json!({ "Data": [cell(r[0]), cell(r[1])] })).collect();
    if header {
        data.insert(0, json!({ "Data": [cell("principal"), cell("denials")] }));
    }
    let column = |name: &str, kind: &str| json!({ "CatalogName": "hive", "SchemaName": "logs", "TableName": "t", "Name": name, "Label": name, "Type": kind, "Precision": 0, "Scale": 0, "Nullable": "NULLABLE", "CaseSensitive": false });
    let results = json!({ "account_id": account, "region": "us-east-1", "results": [{ "rows": data, "column_info": [column("principal", "varchar"), column("denials", "bigint")] }] });
    support::moto_api("/moto-api/static/athena/query-results", &results);
}

fn settings() -> athena::Settings {
    athena::Settings { workgroup: "silo".into(), database: "logs".into(), output_location: None, reuse_minutes: 0 }
}

fn request(parameters: Vec<String>) -> QueryRequest {
    QueryRequest {
        name: "t".into(),
        sql: "SELECT principal, count(*) FROM t WHERE account = ? GROUP BY 1".into(),
        parameters,
        tenant: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_goes_queued_running_succeeded_and_its_header_row_is_dropped_once() {
    let logs = logs_account().await;
    // One state step per two GetQueryExecution calls, so every state is seen.
    support::moto_api(
        "/moto-api/state-manager/set-transition",
        &json!({ "model_name": "athena::execution", "transition": { "progression": "manual", "times": 2 } }),
    );
    seed_results(&logs.account, true, &[["role/OnCall", "12"], ["user/batch", "3"]]);
    let id =
        athena::start_read(&logs.client, &settings(), &request(vec!["'111122223333'".into()])).await.expect("start");
    let executed = logs.client.get_query_execution().query_execution_id(&id).send().await.expect("get");
    let execution = executed.query_execution().expect("execution");
    assert_eq!(execution.execution_parameters(), ["'111122223333'"], "parameters travel as ExecutionParameters");
    assert_eq!(execution.work_group(), Some("silo"));
    let mut seen =
        vec![QueryState::parse(execution.status().and_then(|s| s.state()).map(|s| s.as_str()).unwrap_or(""))];
    while !seen.last().is_some_and(|s| s.is_done()) && seen.len() < 10 {
        seen.push(athena::status(&logs.client, &id).await.expect("status").state);
    }
    seen.dedup();
    assert_eq!(seen, vec![QueryState::Queued, QueryState::Running, QueryState::Succeeded]);
    let page = athena::page(&logs.client, &id, None, true).await.expect("results");
    let names: Vec<&str> = page.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["principal", "denials"]);
    assert_eq!(page.columns[1].kind, "bigint");
    assert_eq!(
        page.rows,
        vec![vec![Some("role/OnCall".into()), Some("12".into())], vec![Some("user/batch".into()), Some("3".into())]]
    );
    assert_eq!(page.next_token, None);
    support::moto_api("/moto-api/state-manager/unset-transition", &json!({ "model_name": "athena::execution" }));
    drop(logs.org);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_query_reports_cancelled() {
    let logs = logs_account().await;
    let id =
        athena::start_read(&logs.client, &settings(), &request(vec!["'111122223333'".into()])).await.expect("start");
    athena::stop(&logs.client, &id).await.expect("stop");
    let status = athena::status(&logs.client, &id).await.expect("status");
    assert_eq!(status.state, QueryState::Cancelled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silo_query_runs_a_saved_query_for_a_tenant_and_prints_the_contract() {
    let logs = logs_account().await;
    let alpha = logs.org.account("alpha-prod", &logs.org.tenants_ou, Some("alpha")).await;
    seed_results(&logs.account, true, &[["arn:aws:sts::1:assumed-role/OnCall/maria", "7"]]);
    let home = tempfile::tempdir().expect("tempdir");
    let config = support::write_config(
        home.path(),
        &format!("region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"Tenants\"\n[logs]\naccount_id = \"{}\"\n[fetch]\nmax_attempts = 1\n", logs.account),
    );
    let config = config.to_str().unwrap();
    let out = support::run_silo(
        &[
            "query",
            "cloudtrail-access-denied",
            "--tenant",
            "alpha",
            "--param",
            "from=2026-11-01",
            "--format",
            "json",
            "--config",
            config,
        ],
        &logs.org.management,
        home.path(),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["state"], "SUCCEEDED");
    assert!(doc["query_execution_id"].as_str().is_some_and(|id| !id.is_empty()));
    assert_eq!(doc["data_scanned_bytes"], 0, "moto reports no statistics");
    assert_eq!(doc["columns"], json!(["principal", "denials"]));
    assert_eq!(doc["rows"], json!([["arn:aws:sts::1:assumed-role/OnCall/maria", "7"]]));
    // What reached Athena: the tenant's account and the dates as literals, never in the SQL text.
    let listed = logs.client.list_query_executions().work_group("silo").send().await.expect("list");
    let id = listed.query_execution_ids().first().expect("one execution").clone();
    let executed = logs.client.get_query_execution().query_execution_id(id).send().await.expect("get");
    let execution = executed.query_execution().expect("execution");
    assert_eq!(execution.execution_parameters()[..2], [format!("'{alpha}'"), "DATE '2026-11-01'".to_string()]);
    assert!(execution.query().is_some_and(|q| q.contains("account = ?") && !q.contains(&alpha)));

    let bad = support::run_silo(
        &["query", "cloudtrail-access-denied", "--param", "tenant=42", "--config", config],
        &logs.org.management,
        home.path(),
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr)
        .contains("parameter tenant (account_id): expected a 12-digit AWS account id, found \"42\""));
    let listed = logs.client.list_query_executions().work_group("silo").send().await.expect("list");
    assert_eq!(listed.query_execution_ids().len(), 1, "bad input sends nothing");
}

#[test]
fn the_list_is_the_documented_json() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = support::run_silo(
        &["--demo", "query", "--list", "--format", "json"],
        &support::root_credentials(),
        home.path(),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json");
    assert!(list.len() >= 8);
    let first = &list[0];
    assert_eq!(first["name"], "alb-5xx-by-path");
    assert_eq!(
        first["parameters"][0],
        json!({ "name": "tenant", "type": "account_id", "required": true, "default": null })
    );
    assert_eq!(
        first["parameters"][1],
        json!({ "name": "from", "type": "date", "required": false, "default": "today" })
    );
}
