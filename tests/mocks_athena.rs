//! What moto cannot show of Athena (it ignores MaxResults/NextToken, reports zero statistics,
//! never fails a query and ignores result reuse): covered with aws-smithy-mocks, asserting the
//! exact requests.

use aws_sdk_athena::operation::get_query_execution::GetQueryExecutionOutput;
use aws_sdk_athena::operation::get_query_results::GetQueryResultsOutput;
use aws_sdk_athena::types::{
    AthenaError, ColumnInfo, Datum, QueryExecution, QueryExecutionState, QueryExecutionStatistics,
    QueryExecutionStatus, ResultReuseInformation, ResultSet, ResultSetMetadata, Row, StatementType,
};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use rust_decimal::Decimal;
use silo_aws::athena;
use silo_core::queries::run::{cost_usd, QueryState};

fn row(cells: &[&str]) -> Row {
    Row::builder().set_data(Some(cells.iter().map(|c| Datum::builder().var_char_value(*c).build()).collect())).build()
}

fn metadata() -> ResultSetMetadata {
    let col = |name: &str, kind: &str| ColumnInfo::builder().name(name).r#type(kind).build().expect("column");
    ResultSetMetadata::builder().column_info(col("path", "varchar")).column_info(col("requests", "bigint")).build()
}

#[tokio::test]
async fn pages_follow_next_token_and_only_the_first_drops_the_header() {
    let first = mock!(aws_sdk_athena::Client::get_query_results)
        .match_requests(|r| {
            r.query_execution_id() == Some("q-1") && r.next_token().is_none() && r.max_results() == Some(1000)
        })
        .then_output(|| {
            let rows = vec![row(&["path", "requests"]), row(&["/a", "3"]), row(&["/b", "2"])];
            let set = ResultSet::builder().set_rows(Some(rows)).result_set_metadata(metadata()).build();
            GetQueryResultsOutput::builder().result_set(set).next_token("t-2").build()
        });
    // A later page starts with data: a row that happens to look like a header must stay.
    let second = mock!(aws_sdk_athena::Client::get_query_results)
        .match_requests(|r| r.next_token() == Some("t-2"))
        .then_output(|| {
            let set = ResultSet::builder()
                .set_rows(Some(vec![row(&["path", "requests"]), row(&["/c", "1"])]))
                .result_set_metadata(metadata())
                .build();
            GetQueryResultsOutput::builder().result_set(set).build()
        });
    let client = mock_client!(aws_sdk_athena, RuleMode::MatchAny, [&first, &second]);
    let one = athena::page(&client, "q-1", None, true).await.expect("page 1");
    assert_eq!(one.rows.len(), 2, "header dropped on the first page");
    assert_eq!(one.next_token.as_deref(), Some("t-2"));
    assert_eq!(one.columns[1].kind, "bigint");
    let two = athena::page(&client, "q-1", one.next_token.clone(), false).await.expect("page 2");
    assert_eq!(two.rows[0], vec![Some("path".to_string()), Some("requests".to_string())]);
    assert_eq!(two.next_token, None);
}

fn execution(state: QueryExecutionState, bytes: i64, error: Option<&str>, reused: bool) -> GetQueryExecutionOutput {
    let mut status = QueryExecutionStatus::builder().state(state);
    if let Some(message) = error {
        status = status.athena_error(AthenaError::builder().error_category(2).error_message(message).build());
    }
    let stats = QueryExecutionStatistics::builder()
        .data_scanned_in_bytes(bytes)
        .engine_execution_time_in_millis(4200)
        .result_reuse_information(ResultReuseInformation::builder().reused_previous_result(reused).build())
        .build();
    let exec = QueryExecution::builder()
        .query_execution_id("q-1")
        .status(status.build())
        .statistics(stats)
        .statement_type(StatementType::Dml)
        .build();
    GetQueryExecutionOutput::builder().query_execution(exec).build()
}

#[tokio::test]
async fn statistics_give_the_scanned_bytes_and_the_cost() {
    let done = mock!(aws_sdk_athena::Client::get_query_execution)
        .then_output(|| execution(QueryExecutionState::Succeeded, 3 * (1 << 30), None, false));
    let client = mock_client!(aws_sdk_athena, RuleMode::MatchAny, [&done]);
    let status = athena::status(&client, "q-1").await.expect("status");
    assert_eq!((status.state, status.data_scanned_bytes, status.engine_ms), (QueryState::Succeeded, 3 << 30, 4200));
    assert_eq!(status.statement_type.as_deref(), Some("DML"));
    // 3 GB = 3072 MB at $5 per 1,048,576 MB.
    assert_eq!(cost_usd(&status), Decimal::new(14_648, 6));

    let reused = mock!(aws_sdk_athena::Client::get_query_execution)
        .then_output(|| execution(QueryExecutionState::Succeeded, 3 * (1 << 30), None, true));
    let client = mock_client!(aws_sdk_athena, RuleMode::MatchAny, [&reused]);
    let status = athena::status(&client, "q-1").await.expect("status");
    assert!(status.reused);
    assert_eq!(cost_usd(&status), Decimal::ZERO, "a reused result costs nothing");
}

#[tokio::test]
async fn a_failed_query_carries_athenas_message() {
    let failed = mock!(aws_sdk_athena::Client::get_query_execution).then_output(|| {
        execution(
            QueryExecutionState::Failed,
            0,
            Some("TABLE_NOT_FOUND: line 3:6: Table 'awsdatacatalog.logs.alb_logs' does not exist\u{1b}[31m"),
            false,
        )
    });
    let client = mock_client!(aws_sdk_athena, RuleMode::MatchAny, [&failed]);
    let status = athena::status(&client, "q-1").await.expect("status");
    assert_eq!(status.state, QueryState::Failed);
    assert_eq!(
        status.reason.as_deref(),
        Some("TABLE_NOT_FOUND: line 3:6: Table 'awsdatacatalog.logs.alb_logs' does not exist")
    );
    assert_eq!(cost_usd(&status), Decimal::ZERO);
}

/// The run screen shows the workgroup's per-query scan cutoff (moto keeps no configuration on
/// a workgroup it was not given one for); none is a warning.
#[tokio::test]
async fn the_scan_cutoff_is_read_from_the_workgroup_configuration() {
    use aws_sdk_athena::operation::get_work_group::GetWorkGroupOutput;
    use aws_sdk_athena::types::{WorkGroup, WorkGroupConfiguration};
    let limited = mock!(aws_sdk_athena::Client::get_work_group)
        .match_requests(|r| r.work_group() == Some("silo"))
        .then_output(|| {
            let config = WorkGroupConfiguration::builder().bytes_scanned_cutoff_per_query(10 << 30).build();
            GetWorkGroupOutput::builder()
                .work_group(WorkGroup::builder().name("silo").configuration(config).build().expect("wg"))
                .build()
        });
    let open = mock!(aws_sdk_athena::Client::get_work_group)
        .match_requests(|r| r.work_group() == Some("primary"))
        .then_output(|| {
            GetWorkGroupOutput::builder().work_group(WorkGroup::builder().name("primary").build().expect("wg")).build()
        });
    let client = mock_client!(aws_sdk_athena, RuleMode::MatchAny, [&limited, &open]);
    let silo = athena::scan_limit(&client, "silo").await.expect("read");
    assert_eq!(silo.cutoff_bytes, Some(10 << 30));
    assert_eq!(silo.describe(), ("workgroup silo: a query stops at 10.0 GB scanned".to_string(), false));
    let primary = athena::scan_limit(&client, "primary").await.expect("read");
    assert!(primary.describe().1, "no cutoff is a warning: {:?}", primary.describe());
}
