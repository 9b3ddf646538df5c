//! Starting an Athena query, exact request: the statement's parameters, the workgroup, the
//! database, the output location and result reuse. Moved from `tests/mocks_athena.rs` unchanged
//! when `athena::start` became private to the crate (only the source, and `Actions` for a
//! statement, start a query).

use crate::athena;
use aws_sdk_athena::operation::start_query_execution::StartQueryExecutionOutput;
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use silo_core::queries::run::QueryRequest;

#[tokio::test]
async fn start_sends_parameters_workgroup_database_and_result_reuse() {
    let start = mock!(aws_sdk_athena::Client::start_query_execution)
        .match_requests(|r| {
            let reuse = r.result_reuse_configuration().and_then(|c| c.result_reuse_by_age_configuration());
            r.query_string() == Some("SELECT 1 FROM t WHERE account = ? AND day >= date_format(?, '%Y/%m/%d')")
                && r.execution_parameters() == ["'111122223333'", "DATE '2026-11-01'"]
                && r.work_group() == Some("silo")
                && r.query_execution_context().and_then(|c| c.database()) == Some("logs")
                && r.result_configuration().and_then(|c| c.output_location()) == Some("s3://results/silo/")
                && reuse.is_some_and(|a| a.enabled() && a.max_age_in_minutes() == Some(60))
        })
        .then_output(|| StartQueryExecutionOutput::builder().query_execution_id("q-9").build());
    let client = mock_client!(aws_sdk_athena, RuleMode::MatchAny, [&start]);
    let settings = athena::Settings {
        workgroup: "silo".into(),
        database: "logs".into(),
        output_location: Some("s3://results/silo/".into()),
        reuse_minutes: 60,
    };
    let request = QueryRequest {
        name: "q".into(),
        sql: "SELECT 1 FROM t WHERE account = ? AND day >= date_format(?, '%Y/%m/%d')".into(),
        parameters: vec!["'111122223333'".into(), "DATE '2026-11-01'".into()],
        tenant: None,
    };
    assert_eq!(athena::start(&client, &settings, &request).await.expect("start"), "q-9");
    assert_eq!(start.num_calls(), 1);
}

/// The public way to start a query reads only: a statement never reaches Athena through it.
#[tokio::test]
async fn start_read_refuses_a_statement_before_athena_is_called() {
    let start = mock!(aws_sdk_athena::Client::start_query_execution)
        .then_output(|| StartQueryExecutionOutput::builder().query_execution_id("never").build());
    let client = mock_client!(aws_sdk_athena, RuleMode::MatchAny, [&start]);
    let settings =
        athena::Settings { workgroup: "silo".into(), database: "logs".into(), output_location: None, reuse_minutes: 0 };
    let request =
        QueryRequest { name: "q".into(), sql: "DROP TABLE alb_logs".into(), parameters: vec![], tenant: None };
    let refused = athena::start_read(&client, &settings, &request).await.unwrap_err();
    assert!(refused.message.contains("DROP"), "{refused}");
    assert_eq!(start.num_calls(), 0);
}
