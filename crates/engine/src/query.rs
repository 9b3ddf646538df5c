//! Running an Athena query off the render loop: start it, poll it with backoff (250 ms growing to
//! 3 s) reporting each state, read the first result page when it succeeds; later pages and the
//! cancel are their own requests.

use super::{FetchEvent, Fetcher};
use chrono::Utc;
use silo_core::actions::{ActionError, Actions};
use silo_core::model::AwsService;
use silo_core::plan::AthenaTarget;
use silo_core::queries::run::QueryRequest;
use std::time::Duration;

/// Limiter key of every Athena call (they all go to the logs account).
const LOGS: &str = "athena";
const FIRST_POLL: Duration = Duration::from_millis(250);
const LONGEST_POLL: Duration = Duration::from_secs(3);
/// Status reads that may fail in a row before the run is given up.
const POLL_FAILURES: u32 = 3;

/// The next wait between status reads: 1.5 times longer, at most 3 s.
pub fn next_poll(current: Duration) -> Duration {
    current.mul_f64(1.5).min(LONGEST_POLL)
}

impl Fetcher {
    /// Starts `request` as run `run` and follows it to its end.
    pub fn spawn_query(&self, run: u64, request: QueryRequest) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let work = this.source.clone().query_start(request);
            let started = this.limiter.run(AwsService::Athena, LOGS, 1, work).await;
            let id = started.as_ref().ok().cloned();
            this.send(FetchEvent::QueryStarted { run, result: started, at: Utc::now() });
            if let Some(id) = id {
                this.follow_query(run, id).await;
            }
        })
    }

    /// Starts a confirmed statement as run `run` through `actions` (which refuses it read-only or
    /// offline and journals it) and follows it like any query.
    pub fn spawn_statement(
        &self,
        actions: silo_core::actions::Actions,
        run: u64,
        plan: silo_core::plan::ActionPlan,
    ) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let started = match actions.execute(plan).await {
                Ok(outcome) => outcome.query_execution_id.ok_or_else(|| refused("the source started no query")),
                Err(e) => Err(refused(&e.to_string())),
            };
            let id = started.as_ref().ok().cloned();
            this.send(FetchEvent::QueryStarted { run, result: started, at: Utc::now() });
            if let Some(id) = id {
                this.follow_query(run, id).await;
            }
        })
    }

    async fn follow_query(&self, run: u64, id: String) {
        let mut wait = FIRST_POLL;
        let mut failures = 0;
        loop {
            tokio::time::sleep(wait).await;
            wait = next_poll(wait);
            let work = self.source.clone().query_status(id.clone());
            let status = self.limiter.run(AwsService::Athena, LOGS, 1, work).await;
            let done = status.as_ref().ok().map(|s| (s.state.is_done(), s.state, s.statement_type.clone()));
            failures = if status.is_err() { failures + 1 } else { 0 };
            self.send(FetchEvent::QueryProgress { run, result: status, at: Utc::now() });
            match done {
                Some((true, silo_core::queries::run::QueryState::Succeeded, statement)) => {
                    let drop_header = statement.as_deref().is_none_or(|s| s == "DML");
                    self.query_page(run, id, None, drop_header).await;
                    return;
                }
                Some((true, _, _)) => return,
                _ if failures >= POLL_FAILURES => return,
                _ => {}
            }
        }
    }

    /// Reads one more page of a finished query's results.
    pub fn spawn_query_page(&self, run: u64, id: String, token: Option<String>) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move { this.query_page(run, id, token, false).await })
    }

    async fn query_page(&self, run: u64, id: String, token: Option<String>, drop_header: bool) {
        let work = self.source.clone().query_page(id, token, drop_header);
        let result = self.limiter.run(AwsService::Athena, LOGS, 1, work).await;
        self.send(FetchEvent::QueryPage { run, result, at: Utc::now() });
    }

    /// Writes a run's results to `path` (JSON or CSV) off the render loop; says where, or why not.
    pub fn spawn_export(
        &self,
        run: silo_core::queries::run::QueryRun,
        json: bool,
        path: std::path::PathBuf,
    ) -> tokio::task::JoinHandle<()> {
        let shown = path.display().to_string();
        let write = move || {
            let text =
                if json { silo_core::queries::export::json(&run) } else { silo_core::queries::export::csv(&run) };
            let written =
                text.and_then(|t| silo_core::paths::write_private(&path, t.as_bytes()).map_err(anyhow::Error::from));
            let (message, ok) = match written {
                Ok(()) => (format!("{} rows written to {}", run.rows.len(), path.display()), true),
                Err(e) => (format!("cannot write {}: {e}", path.display()), false),
            };
            FetchEvent::Notice { message, ok }
        };
        let failed = move |why| FetchEvent::Notice { message: format!("cannot write {shown}: {why}"), ok: false };
        self.spawn_blocking_event(write, failed)
    }

    /// Asks who the base credentials are, for the header.
    pub fn spawn_identity(&self) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let arn = this.source.clone().identity().await;
            this.send(FetchEvent::Identity(arn));
        })
    }

    /// Reads the workgroup's scan cutoff.
    pub fn spawn_scan_limit(&self) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let work = this.source.clone().scan_limit();
            let result = this.limiter.run(AwsService::Athena, LOGS, 1, work).await;
            this.send(FetchEvent::ScanLimit { result, at: Utc::now() });
        })
    }

    /// Cancels a query through `actions` (journaled); its poll then sees CANCELLED.
    pub fn spawn_query_stop(
        &self,
        actions: Actions,
        target: AthenaTarget,
        run: u64,
        id: String,
    ) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let work = async move { actions.stop_query(&id, &target).await.map_err(as_fetch_error) };
            let result = this.limiter.run(AwsService::Athena, LOGS, 1, work).await;
            this.send(FetchEvent::QueryStopped { run, result, at: Utc::now() });
        })
    }
}

/// A stop that was refused or not journaled, as the run's error.
fn as_fetch_error(e: ActionError) -> silo_core::error::FetchError {
    match e {
        ActionError::Aws(e) => e,
        other => refused(&other.to_string()),
    }
}

/// Why a statement did not start, as the run's error.
fn refused(why: &str) -> silo_core::error::FetchError {
    silo_core::error::FetchError::new(AwsService::Athena, silo_core::error::ErrorKind::Other, why)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polling_backs_off_from_250_ms_to_3_s() {
        let mut wait = FIRST_POLL;
        let mut waits = vec![wait];
        for _ in 0..8 {
            wait = next_poll(wait);
            waits.push(wait);
        }
        let ms: Vec<u128> = waits.iter().map(|w| w.as_millis()).collect();
        assert_eq!(ms, vec![250, 375, 562, 843, 1265, 1898, 2847, 3000, 3000]);
    }
}
