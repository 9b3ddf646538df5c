//! The demo's Athena: queries go QUEUED → RUNNING → SUCCEEDED in a few seconds of real time,
//! scanning a growing amount of data, and return deterministic rows per saved query and tenant.
//! Anything that is not a SELECT or WITH fails as Athena would; Stop cancels.

use super::hash;
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::AwsService;
use silo_core::queries::run::{Column, QueryRequest, QueryState, QueryStatus, ResultPage};
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

fn col(name: &str, kind: &str) -> Column {
    Column { name: name.into(), kind: kind.into() }
}

type Rows = Vec<Vec<Option<String>>>;
/// Makes row `i` of a demo result.
type RowMaker<'a> = Box<dyn Fn(usize) -> Vec<Option<String>> + 'a>;

/// The tenant account the query is about (its first parameter, a quoted literal).
fn account(request: &QueryRequest) -> String {
    request.parameters.first().map(|p| p.trim_matches('\'').to_string()).unwrap_or_default()
}

fn result(request: &QueryRequest) -> (Vec<Column>, Rows) {
    let seed = hash(&account(request), 7) ^ hash(&request.name, 8);
    let time = |i: usize| {
        format!("2026-11-{:02}T{:02}:{:02}:{:02}Z", 28 - (i / 40) % 27, 23 - i % 24, (i * 7) % 60, (i * 13) % 60)
    };
    let ip = |i: usize| {
        format!("{}.{}.{}.{}", 10 + (seed as usize + i) % 180, (i * 31) % 256, (i * 17) % 256, (i * 7 + 1) % 255)
    };
    let principal = |i: usize| {
        ["role/OnCall/maria", "role/Deploy/pipeline", "user/legacy-batch", "role/ReadOnly/auditor"]
            [(seed as usize + i) % 4]
            .to_string()
    };
    let some = |s: String| Some(s);
    let (columns, count, row): (Vec<Column>, usize, RowMaker) = match request.name.as_str() {
        "cloudtrail-console-logins" => (
            vec![
                col("eventtime", "varchar"),
                col("principal", "varchar"),
                col("sourceipaddress", "varchar"),
                col("mfa_used", "varchar"),
                col("result", "varchar"),
                col("useragent", "varchar"),
            ],
            24,
            Box::new(move |i| {
                vec![
                    some(time(i)),
                    some(format!("arn:aws:sts::{}:assumed-role/{}", account(request), principal(i))),
                    some(ip(i)),
                    some(if i % 5 == 3 { "No" } else { "Yes" }.into()),
                    some(if i % 7 == 6 { "Failure" } else { "Success" }.into()),
                    some("Mozilla/5.0".into()),
                ]
            }),
        ),
        "cloudtrail-access-denied" => (
            vec![
                col("principal", "varchar"),
                col("eventsource", "varchar"),
                col("eventname", "varchar"),
                col("errorcode", "varchar"),
                col("denials", "bigint"),
                col("last_seen", "varchar"),
            ],
            12,
            Box::new(move |i| {
                vec![
                    some(principal(i)),
                    some(["s3.amazonaws.com", "kms.amazonaws.com", "ssm.amazonaws.com"][i % 3].into()),
                    some(["GetObject", "Decrypt", "GetParameter"][i % 3].into()),
                    some("AccessDenied".into()),
                    some(((seed as usize + i * 37) % 400 + 1).to_string()),
                    some(time(i)),
                ]
            }),
        ),
        "alb-5xx-by-path" => (
            vec![
                col("path", "varchar"),
                col("target_ip", "varchar"),
                col("elb_status_code", "integer"),
                col("target_status_code", "varchar"),
                col("requests", "bigint"),
                col("last_seen", "varchar"),
            ],
            18,
            Box::new(move |i| {
                vec![
                    some(["/api/orders", "/api/plans", "/health", "/api/forecast"][i % 4].into()),
                    some(format!("10.0.{}.{}", i % 3, 10 + i)),
                    some([502, 503, 500, 504][i % 4].to_string()),
                    if i % 4 == 2 { some("500".into()) } else { None },
                    some(((seed as usize + i * 53) % 900 + 1).to_string()),
                    some(time(i)),
                ]
            }),
        ),
        "alb-slow-requests" => (
            vec![
                col("path", "varchar"),
                col("requests", "bigint"),
                col("p50_seconds", "double"),
                col("p99_seconds", "double"),
                col("max_seconds", "double"),
            ],
            15,
            Box::new(move |i| {
                vec![
                    some(format!("/api/{}", ["orders", "plans", "forecast", "mrp", "reports"][i % 5])),
                    some(((seed as usize + i * 97) % 5000 + 20).to_string()),
                    some(format!("0.{:03}", 40 + i * 7)),
                    some(format!("{}.{:03}", i / 4, (i * 137) % 1000)),
                    some(format!("{}.{:03}", i / 2 + 1, (i * 71) % 1000)),
                ]
            }),
        ),
        "vpc-rejected-connections" => (
            vec![
                col("srcaddr", "varchar"),
                col("dstport", "integer"),
                col("protocol", "varchar"),
                col("flows", "bigint"),
                col("packets", "bigint"),
                col("last_seen", "varchar"),
            ],
            2_500,
            Box::new(move |i| {
                vec![
                    some(ip(i)),
                    some([22, 3389, 5432, 443, 23][i % 5].to_string()),
                    some(["tcp", "tcp", "tcp", "udp", "icmp"][i % 5].into()),
                    some(((seed as usize + i * 11) % 2000 + 1).to_string()),
                    some(((seed as usize + i * 19) % 9000 + 1).to_string()),
                    some(time(i)),
                ]
            }),
        ),
        "cloudtrail-root-usage" => (
            vec![
                col("eventtime", "varchar"),
                col("eventsource", "varchar"),
                col("eventname", "varchar"),
                col("sourceipaddress", "varchar"),
                col("useragent", "varchar"),
                col("errorcode", "varchar"),
            ],
            0,
            Box::new(|_| Vec::new()),
        ),
        "cloudtrail-write-events" => (
            vec![
                col("eventtime", "varchar"),
                col("eventsource", "varchar"),
                col("eventname", "varchar"),
                col("principal", "varchar"),
                col("source_identity", "varchar"),
                col("sourceipaddress", "varchar"),
                col("errorcode", "varchar"),
            ],
            20,
            Box::new(move |i| {
                let calls = [
                    ("ecs.amazonaws.com", "UpdateService"),
                    ("iam.amazonaws.com", "PutRolePolicy"),
                    ("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress"),
                    ("ecs.amazonaws.com", "RegisterTaskDefinition"),
                ];
                let (service, call) = calls[(seed as usize + i) % 4];
                vec![
                    some(time(i)),
                    some(service.into()),
                    some(call.into()),
                    some(format!("arn:aws:sts::{}:assumed-role/{}", account(request), principal(i))),
                    if i % 3 == 0 { some("maria@opsfactor.io".into()) } else { None },
                    some(ip(i)),
                    if i % 9 == 8 { some("AccessDenied".into()) } else { None },
                ]
            }),
        ),
        name if name.starts_with("cloudtrail-") => (
            vec![
                col("eventtime", "varchar"),
                col("principal", "varchar"),
                col("eventname", "varchar"),
                col("target", "varchar"),
                col("errorcode", "varchar"),
            ],
            30,
            Box::new(move |i| {
                vec![
                    some(time(i)),
                    some(principal(i)),
                    some(
                        ["AttachRolePolicy", "AuthorizeSecurityGroupIngress", "PutRolePolicy", "CreateUser"][i % 4]
                            .into(),
                    ),
                    some(format!("resource-{}", (seed as usize + i) % 97)),
                    if i % 6 == 5 { some("AccessDenied".into()) } else { None },
                ]
            }),
        ),
        _ => {
            (
                vec![col("note", "varchar")],
                1,
                Box::new(|_| {
                    vec![Some("the demo organization has data for the saved queries only; connect silo to AWS to query your logs".into())]
                }),
            )
        }
    };
    let rows = (0..count).map(row).collect();
    (columns, rows)
}
