//! Athena in the logs account: start a query with its execution parameters, poll it, stop it,
//! and read its results a page at a time.

use super::errors::classify;
use aws_sdk_athena::types::{
    QueryExecutionContext, ResultConfiguration, ResultReuseByAgeConfiguration, ResultReuseConfiguration,
};
use aws_sdk_athena::Client;
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::AwsService;
use silo_core::queries::run::{Column, QueryRequest, QueryState, QueryStatus, ResultPage, ScanLimit};
use silo_core::sanitize::clean;

const SERVICE: AwsService = AwsService::Athena;
/// GetQueryResults returns at most 1000 rows a page.
pub const PAGE_ROWS: i32 = 1000;

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let partition = format!("athena-{account_id}");
    let conf = aws_sdk_athena::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(partition))
        .build();
    Client::from_conf(conf)
}

/// Where and how queries run (from `[logs]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub workgroup: String,
    pub database: String,
    pub output_location: Option<String>,
    /// Reuse a result up to this old; 0 turns reuse off.
    pub reuse_minutes: i32,
}

/// The workgroup's per-query scan cutoff (GetWorkGroup).
pub async fn scan_limit(client: &Client, workgroup: &str) -> Result<ScanLimit, FetchError> {
    let out = client.get_work_group().work_group(workgroup).send().await.map_err(|e| classify(SERVICE, e))?;
    let Some(found) = out.work_group().filter(|w| w.name() == workgroup) else {
        return Err(FetchError::new(SERVICE, ErrorKind::NotFound, format!("workgroup {workgroup} not found")));
    };
    let cutoff = found.configuration().and_then(|c| c.bytes_scanned_cutoff_per_query());
    Ok(ScanLimit { workgroup: clean(workgroup), cutoff_bytes: cutoff })
}

/// Starts a query that only reads: anything else (DROP, CREATE TABLE AS, UNLOAD…) is refused
/// here, before Athena is called; statements start only through `Actions` (the source's write
/// half, behind a `WritePermit`).
pub async fn start_read(client: &Client, settings: &Settings, request: &QueryRequest) -> Result<String, FetchError> {
    silo_core::queries::statement::require_read(&request.sql)?;
    start(client, settings, request).await
}

/// StartQueryExecution; returns the query execution id.
pub(crate) async fn start(client: &Client, settings: &Settings, request: &QueryRequest) -> Result<String, FetchError> {
    let mut call = client
        .start_query_execution()
        .query_string(&request.sql)
        .work_group(&settings.workgroup)
        .query_execution_context(QueryExecutionContext::builder().database(&settings.database).build());
    if !request.parameters.is_empty() {
        call = call.set_execution_parameters(Some(request.parameters.clone()));
    }
    if let Some(location) = &settings.output_location {
        call = call.result_configuration(ResultConfiguration::builder().output_location(location).build());
    }
    if settings.reuse_minutes > 0 {
        let by_age =
            ResultReuseByAgeConfiguration::builder().enabled(true).max_age_in_minutes(settings.reuse_minutes).build();
        call = call.result_reuse_configuration(
            ResultReuseConfiguration::builder().result_reuse_by_age_configuration(by_age).build(),
        );
    }
    let out = call.send().await.map_err(|e| classify(SERVICE, e))?;
    out.query_execution_id()
        .map(str::to_string)
        .ok_or_else(|| FetchError::new(SERVICE, ErrorKind::Other, "StartQueryExecution returned no query execution id"))
}

/// GetQueryExecution: state, Athena's error, statistics.
pub async fn status(client: &Client, id: &str) -> Result<QueryStatus, FetchError> {
    let out = client.get_query_execution().query_execution_id(id).send().await.map_err(|e| classify(SERVICE, e))?;
    let execution = out.query_execution();
    let status = execution.and_then(|e| e.status());
    let stats = execution.and_then(|e| e.statistics());
    let state = status.and_then(|s| s.state()).map(|s| QueryState::parse(s.as_str())).unwrap_or(QueryState::Queued);
    let athena_error = status.and_then(|s| s.athena_error()).and_then(|e| e.error_message());
    Ok(QueryStatus {
        state,
        reason: athena_error.or(status.and_then(|s| s.state_change_reason())).map(clean),
        data_scanned_bytes: stats.and_then(|s| s.data_scanned_in_bytes()).unwrap_or(0),
        engine_ms: stats.and_then(|s| s.engine_execution_time_in_millis()).unwrap_or(0),
        reused: stats.and_then(|s| s.result_reuse_information()).is_some_and(|r| r.reused_previous_result()),
        statement_type: execution.and_then(|e| e.statement_type()).map(|t| silo_core::sanitize::clean(t.as_str())),
    })
}

/// StopQueryExecution.
pub async fn stop(client: &Client, id: &str) -> Result<(), FetchError> {
    client.stop_query_execution().query_execution_id(id).send().await.map_err(|e| classify(SERVICE, e))?;
    Ok(())
}

/// One GetQueryResults page. The first row of the first page of a SELECT repeats the column
/// names: `drop_header` drops it there only.
pub async fn page(
    client: &Client,
    id: &str,
    token: Option<String>,
    drop_header: bool,
) -> Result<ResultPage, FetchError> {
    let call = client.get_query_results().query_execution_id(id).max_results(PAGE_ROWS).set_next_token(token);
    let out = call.send().await.map_err(|e| classify(SERVICE, e))?;
    let set = out.result_set();
    let columns = set
        .and_then(|s| s.result_set_metadata())
        .map(|m| m.column_info().iter().map(|c| Column { name: clean(c.name()), kind: clean(c.r#type()) }).collect())
        .unwrap_or_default();
    let mut rows: Vec<Vec<Option<String>>> = set
        .map(|s| s.rows().iter().map(|r| r.data().iter().map(|d| d.var_char_value().map(clean)).collect()).collect())
        .unwrap_or_default();
    if drop_header && !rows.is_empty() {
        rows.remove(0);
    }
    Ok(ResultPage { columns, rows, next_token: out.next_token().map(str::to_string) })
}
