//! One Athena query execution as silo sees it: what was asked, its state and statistics, the
//! estimated cost, and the result pages read so far.

use rust_decimal::Decimal;
use serde::Serialize;

/// What to run: SQL text and its execution parameters (already SQL literals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryRequest {
    /// The saved query's name, or `ad-hoc`.
    pub name: String,
    pub sql: String,
    pub parameters: Vec<String>,
    /// The tenant the query is about, for the history.
    pub tenant: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum QueryState {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

impl QueryState {
    pub fn parse(text: &str) -> QueryState {
        match text {
            "QUEUED" => QueryState::Queued,
            "RUNNING" => QueryState::Running,
            "SUCCEEDED" => QueryState::Succeeded,
            "CANCELLED" => QueryState::Cancelled,
            _ => QueryState::Failed,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            QueryState::Queued => "QUEUED",
            QueryState::Running => "RUNNING",
            QueryState::Succeeded => "SUCCEEDED",
            QueryState::Failed => "FAILED",
            QueryState::Cancelled => "CANCELLED",
        }
    }

    pub fn is_done(self) -> bool {
        matches!(self, QueryState::Succeeded | QueryState::Failed | QueryState::Cancelled)
    }
}

/// GetQueryExecution, reduced to what silo shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryStatus {
    pub state: QueryState,
    /// Athena's reason for FAILED/CANCELLED (its error message).
    pub reason: Option<String>,
    pub data_scanned_bytes: i64,
    pub engine_ms: i64,
    /// The result came from a previous run (result reuse): nothing scanned, nothing billed.
    pub reused: bool,
    /// DML (SELECT…), DDL or UTILITY: only a DML result has a header row to drop.
    pub statement_type: Option<String>,
}

/// The workgroup's per-query scan cutoff (BytesScannedCutoffPerQuery): Athena cancels a query
/// that would scan more. Without one a query scans, and bills, without limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScanLimit {
    pub workgroup: String,
    pub cutoff_bytes: Option<i64>,
}

impl ScanLimit {
    /// The limit in words, and whether it deserves a warning (there is none).
    pub fn describe(&self) -> (String, bool) {
        match self.cutoff_bytes {
            Some(bytes) => {
                (format!("workgroup {}: a query stops at {} scanned", self.workgroup, bytes_label(bytes)), false)
            }
            None => {
                (format!("no scan cutoff in workgroup {}: queries scan (and bill) without limit", self.workgroup), true)
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    pub name: String,
    /// Athena's type: varchar, bigint, double, timestamp…
    #[serde(rename = "type")]
    pub kind: String,
}

impl Column {
    pub fn is_numeric(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "tinyint" | "smallint" | "integer" | "bigint" | "double" | "float" | "real" | "decimal"
        ) || self.kind.starts_with("decimal")
    }
}

pub type Cell = Option<String>;

/// One GetQueryResults page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResultPage {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    pub next_token: Option<String>,
}

/// Athena bills $5 per TB scanned, each query rounded up to the next MB with a 10 MB minimum;
/// failed queries and reused results cost nothing; cancelled ones cost what they scanned.
pub fn cost_usd(status: &QueryStatus) -> Decimal {
    let nothing_yet = status.data_scanned_bytes <= 0 && !status.state.is_done();
    if status.reused || status.state == QueryState::Failed || nothing_yet {
        return Decimal::ZERO;
    }
    const MB: i64 = 1 << 20;
    let mb = (status.data_scanned_bytes.max(0) + MB - 1) / MB;
    let billed_mb = mb.max(10);
    // 1 TB = 2^20 MB.
    (Decimal::from(billed_mb) * Decimal::from(5) / Decimal::from(1i64 << 20)).round_dp(6)
}

/// "0 B", "12.4 MB", "1.2 GB".
pub fn bytes_label(bytes: i64) -> String {
    let units = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes.max(0) as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < units.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", units[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(bytes: i64, state: QueryState) -> QueryStatus {
        QueryStatus {
            state,
            reason: None,
            data_scanned_bytes: bytes,
            engine_ms: 0,
            reused: false,
            statement_type: None,
        }
    }

    #[test]
    fn cost_has_a_ten_megabyte_minimum_and_rounds_up_to_the_megabyte() {
        assert_eq!(cost_usd(&status(0, QueryState::Succeeded)), Decimal::new(48, 6), "10 MB at $5 per TB");
        assert_eq!(cost_usd(&status(1, QueryState::Succeeded)), cost_usd(&status(10 << 20, QueryState::Succeeded)));
        // One TB is $5.
        assert_eq!(cost_usd(&status(1 << 40, QueryState::Succeeded)), Decimal::from(5));
        let reused = QueryStatus { reused: true, ..status(1 << 40, QueryState::Succeeded) };
        assert_eq!(cost_usd(&reused), Decimal::ZERO);
        assert_eq!(cost_usd(&status(0, QueryState::Queued)), Decimal::ZERO, "nothing yet while queued");
        assert_eq!(cost_usd(&status(1 << 30, QueryState::Failed)), Decimal::ZERO, "failed queries are not billed");
        assert_eq!(cost_usd(&status(1 << 40, QueryState::Cancelled)), Decimal::from(5), "cancelled ones are");
    }

    #[test]
    fn byte_labels_use_binary_units() {
        assert_eq!(bytes_label(512), "512 B");
        assert_eq!(bytes_label(10 << 20), "10.0 MB");
        assert_eq!(bytes_label(3 << 29), "1.5 GB");
    }
}

/// One run of this session: what was asked, what Athena said, the rows read so far.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryRun {
    pub run: u64,
    pub request: QueryRequest,
    pub started: chrono::DateTime<chrono::Utc>,
    pub execution_id: Option<String>,
    pub status: Option<QueryStatus>,
    pub finished: Option<chrono::DateTime<chrono::Utc>>,
    /// The last failure to start, poll, read or stop (Athena's FAILED reason is in `status`).
    pub error: Option<crate::error::FetchError>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// Set while more pages wait in Athena.
    pub next_token: Option<String>,
    /// Every page token Athena gave this run: one given again (A, B, A) ends the reading.
    pub tokens_seen: std::collections::BTreeSet<String>,
    pub page_loading: bool,
    pub cancel_requested: bool,
}

impl QueryRun {
    pub fn new(run: u64, request: QueryRequest, started: chrono::DateTime<chrono::Utc>) -> QueryRun {
        QueryRun {
            run,
            request,
            started,
            execution_id: None,
            status: None,
            finished: None,
            error: None,
            columns: Vec::new(),
            rows: Vec::new(),
            next_token: None,
            tokens_seen: Default::default(),
            page_loading: false,
            cancel_requested: false,
        }
    }

    pub fn state(&self) -> Option<QueryState> {
        self.status.as_ref().map(|s| s.state)
    }

    /// Started (or starting) and not ended.
    pub fn is_running(&self) -> bool {
        self.finished.is_none() && !self.state().is_some_and(QueryState::is_done)
    }

    pub fn state_label(&self) -> &'static str {
        match (self.state(), &self.error, &self.execution_id) {
            (Some(s), _, _) => s.label(),
            (None, Some(_), None) => "NOT STARTED",
            _ => "STARTING",
        }
    }

    pub fn cost(&self) -> Decimal {
        self.status.as_ref().map(cost_usd).unwrap_or_default()
    }

    /// Time since the start, frozen at the end.
    pub fn elapsed(&self, now: chrono::DateTime<chrono::Utc>) -> chrono::Duration {
        self.finished.unwrap_or(now) - self.started
    }

    pub fn apply_started(
        &mut self,
        result: Result<String, crate::error::FetchError>,
        at: chrono::DateTime<chrono::Utc>,
    ) {
        match result {
            Ok(id) => self.execution_id = Some(id),
            Err(e) => {
                self.error = Some(e);
                self.finished = Some(at);
            }
        }
    }

    pub fn apply_progress(
        &mut self,
        result: Result<QueryStatus, crate::error::FetchError>,
        at: chrono::DateTime<chrono::Utc>,
    ) {
        match result {
            Ok(status) => {
                if status.state.is_done() && self.finished.is_none() {
                    self.finished = Some(at);
                }
                self.page_loading = status.state == QueryState::Succeeded;
                self.status = Some(status);
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }

    pub fn apply_page(&mut self, result: Result<ResultPage, crate::error::FetchError>) {
        self.page_loading = false;
        match result {
            Ok(page) => {
                if self.columns.is_empty() {
                    self.columns = page.columns;
                }
                self.rows.extend(page.rows);
                self.next_token = page.next_token.filter(|t| !t.is_empty());
                if let Some(token) = &self.next_token {
                    if !self.tokens_seen.insert(token.clone()) {
                        self.next_token = None;
                        let why = "Athena returned a page token it had returned before; stopped reading to avoid an endless loop";
                        self.error = Some(crate::error::FetchError::new(
                            crate::model::AwsService::Athena,
                            crate::error::ErrorKind::Other,
                            why,
                        ));
                    }
                }
            }
            Err(e) => self.error = Some(e),
        }
    }
}

#[cfg(test)]
mod pages {
    use super::*;

    #[test]
    fn a_page_token_athena_gave_before_ends_the_reading_with_an_error() {
        let request = QueryRequest { name: "q".into(), sql: "SELECT 1".into(), parameters: Vec::new(), tenant: None };
        let mut run = QueryRun::new(1, request, chrono::Utc::now());
        let page =
            |token: &str| ResultPage { columns: Vec::new(), rows: vec![Vec::new()], next_token: Some(token.into()) };
        run.apply_page(Ok(page("a")));
        run.apply_page(Ok(page("b")));
        assert_eq!((run.next_token.as_deref(), run.error.is_none()), (Some("b"), true));
        run.apply_page(Ok(page("a")));
        assert_eq!(run.next_token, None, "A, B, A: no fourth page is asked for");
        assert!(run.error.as_ref().is_some_and(|e| e.message.contains("returned before")), "{:?}", run.error);
        assert_eq!(run.rows.len(), 3, "the rows read are kept");
    }
}
