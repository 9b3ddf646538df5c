//! Athena in the logs account: the workgroup, and one `SELECT 1` run to its end (started,
//! followed, read, stopped) through silo's own query calls. The query scans nothing; Athena bills
//! its minimum of 10 MB (about $0.00005) and writes a one-row result to the results location,
//! which is what proves Athena can write there with the role's permissions.

use super::Probe;
use crate::athena::{self as calls, Settings};
use aws_sdk_athena::Client;
use silo_core::queries::run::{QueryRequest, QueryState};
use std::time::Duration;

/// How long the probe follows its `SELECT 1` before it stops it.
const FOLLOW: Duration = Duration::from_secs(30);

pub async fn read(client: &Client, settings: &Settings) -> Vec<Probe> {
    let limit = calls::scan_limit(client, &settings.workgroup).await;
    let mut probes = vec![Probe::of("athena:GetWorkGroup", limit, |_| format!("workgroup {}", settings.workgroup))];
    let started = calls::start(client, settings, &select_one()).await;
    let id = started.as_ref().ok().cloned();
    probes.push(Probe::of("athena:StartQueryExecution", started, |id| format!("SELECT 1 started ({id})")));
    let Some(id) = id else { return probes };
    let (followed, state) = follow(client, &id).await;
    probes.push(followed);
    if state == Some(QueryState::Succeeded) {
        let page = calls::page(client, &id, None, true).await;
        probes.push(Probe::of("athena:GetQueryResults", page, |p| format!("{} row(s)", p.rows.len())));
    }
    // Stopping a query that has ended changes nothing: the permission is what is asked.
    probes.push(Probe::of("athena:StopQueryExecution", calls::stop(client, &id).await, |()| "answered".into()));
    probes
}

/// The logs operator role starts confirmed statements: a `SELECT 1` proves the permission
/// without changing anything.
pub async fn operator(client: &Client, settings: &Settings) -> Vec<Probe> {
    let started = calls::start(client, settings, &select_one()).await;
    vec![Probe::of("athena:StartQueryExecution", started, |id| format!("SELECT 1 started ({id})"))]
}

fn select_one() -> QueryRequest {
    QueryRequest { name: "silo-doctor".into(), sql: "SELECT 1".into(), parameters: Vec::new(), tenant: None }
}

async fn follow(client: &Client, id: &str) -> (Probe, Option<QueryState>) {
    let deadline = tokio::time::Instant::now() + FOLLOW;
    loop {
        let status = calls::status(client, id).await;
        let state = status.as_ref().ok().map(|s| s.state);
        let done = !matches!(state, Some(QueryState::Queued | QueryState::Running));
        if done || tokio::time::Instant::now() >= deadline {
            let probe = Probe::of("athena:GetQueryExecution", status, |s| match s.reason {
                Some(why) => format!("{:?}: {why}", s.state),
                None => format!("{:?}", s.state),
            });
            return (probe, state);
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
