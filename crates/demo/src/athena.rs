//! The demo's Athena: queries go QUEUED → RUNNING → SUCCEEDED in a few seconds of real time,
//! scanning a growing amount of data, and return deterministic rows per saved query and tenant.
//! Anything that is not a SELECT or WITH fails as Athena would; Stop cancels.

use super::athena_rows::result;
use super::hash;
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::AwsService;
use silo_core::queries::run::{QueryRequest, QueryState, QueryStatus, ResultPage};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const QUEUED_FOR: Duration = Duration::from_millis(600);
const DONE_AFTER: Duration = Duration::from_millis(2600);
const PAGE: usize = 1000;

struct Run {
    request: QueryRequest,
    started: Instant,
    cancelled: Option<Duration>,
}

#[derive(Default)]
pub struct DemoAthena {
    runs: Mutex<HashMap<String, Run>>,
    next: AtomicU64,
}

fn not_found(id: &str) -> FetchError {
    FetchError::new(AwsService::Athena, ErrorKind::NotFound, format!("QueryExecution {id} was not found"))
}

impl DemoAthena {
    pub fn start(&self, request: QueryRequest) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let id = format!("demo-{n:08x}-{:08x}", hash(&request.sql, n) as u32);
        let run = Run { request, started: Instant::now(), cancelled: None };
        if let Ok(mut runs) = self.runs.lock() {
            runs.insert(id.clone(), run);
        }
        id
    }

    pub fn stop(&self, id: &str) -> Result<(), FetchError> {
        let mut runs = self.runs.lock().map_err(|_| not_found(id))?;
        let run = runs.get_mut(id).ok_or_else(|| not_found(id))?;
        if run.started.elapsed() < DONE_AFTER {
            run.cancelled.get_or_insert(run.started.elapsed());
        }
        Ok(())
    }

    pub fn status(&self, id: &str) -> Result<QueryStatus, FetchError> {
        let runs = self.runs.lock().map_err(|_| not_found(id))?;
        let run = runs.get(id).ok_or_else(|| not_found(id))?;
        let elapsed = run.cancelled.unwrap_or_else(|| run.started.elapsed());
        let total = 48 * (1 << 20) + (hash(&run.request.name, 3) % (3 << 30)) as i64;
        let share = elapsed.saturating_sub(QUEUED_FOR).as_secs_f64() / (DONE_AFTER - QUEUED_FOR).as_secs_f64();
        let scanned = (total as f64 * share.min(1.0)) as i64;
        let (state, reason) = match (run.cancelled, elapsed) {
            (Some(_), _) => (QueryState::Cancelled, Some("Query cancelled by user".to_string())),
            (None, e) if e < QUEUED_FOR => (QueryState::Queued, None),
            (None, _) if !is_select(&run.request.sql) => (QueryState::Failed, Some(syntax_error(&run.request.sql))),
            (None, e) if e < DONE_AFTER => (QueryState::Running, None),
            _ => (QueryState::Succeeded, None),
        };
        let scanned = if state == QueryState::Failed { 0 } else { scanned };
        Ok(QueryStatus {
            state,
            reason,
            data_scanned_bytes: scanned,
            engine_ms: elapsed.as_millis() as i64,
            reused: false,
            statement_type: Some("DML".into()),
        })
    }

    pub fn page(&self, id: &str, token: Option<String>) -> Result<ResultPage, FetchError> {
        let runs = self.runs.lock().map_err(|_| not_found(id))?;
        let run = runs.get(id).ok_or_else(|| not_found(id))?;
        let (columns, rows) = result(&run.request);
        let from: usize =
            token.as_deref().and_then(|t| t.strip_prefix("page-")).and_then(|n| n.parse().ok()).unwrap_or(0);
        let to = (from + PAGE).min(rows.len());
        let next_token = (to < rows.len()).then(|| format!("page-{to}"));
        Ok(ResultPage { columns, rows: rows[from.min(to)..to].to_vec(), next_token })
    }
}

fn is_select(sql: &str) -> bool {
    let first = sql.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
    matches!(first.as_str(), "SELECT" | "WITH")
}

fn syntax_error(sql: &str) -> String {
    let first = sql.split_whitespace().next().unwrap_or("");
    format!("line 1:1: mismatched input '{first}'. Expecting: 'SELECT', 'WITH' (the demo's Athena runs queries only)")
}
