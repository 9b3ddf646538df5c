//! The only way to run an action. `Actions` holds the read-only and offline flags, the tenants
//! protected in the config and the audit journal; it mints the `WritePermit` without which no source's write
//! half (`FleetSource::execute`) can be called, so no caller can get around a refusal. Every
//! attempt (refused, dry run, done, failed) is journaled before and after.

use crate::error::FetchError;
use crate::journal::{AppendError, Journal, JournalEntry, Mode};
use crate::plan::{ActionOutcome, ActionPlan, SequenceStep, StepOutcome};
use crate::source::{FleetSource, WritePermit};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("refused: silo runs read-only (--read-only or read_only = true); nothing was changed")]
    ReadOnly,
    #[error("refused: silo runs --offline and never calls AWS; nothing was changed")]
    Offline,
    #[error("refused: tenant {0} is read-only in the config (read_only); nothing was changed")]
    TenantReadOnly(String),
    #[error("refused: {0}; nothing was changed")]
    NotConfirmed(String),
    #[error("refused: {0}; nothing was changed")]
    Stale(String),
    #[error("aborted: silo was asked to quit before this action started; nothing was changed")]
    Aborted,
    #[error(transparent)]
    Aws(#[from] FetchError),
    #[error("cannot write the audit journal ({0}); nothing was changed")]
    Journal(String),
    /// The call failed and its failure could not be journaled either.
    #[error("{error} (and the audit journal could not record it: {journal})")]
    FailedNotJournaled { error: FetchError, journal: String },
}

impl ActionError {
    /// The short result recorded in the journal.
    fn journal_text(&self) -> String {
        match self {
            ActionError::ReadOnly => "read-only".into(),
            ActionError::Offline => "offline".into(),
            ActionError::TenantReadOnly(_) => "read-only tenant".into(),
            ActionError::NotConfirmed(why) => format!("not confirmed: {why}"),
            ActionError::Stale(_) => "stale plan".into(),
            ActionError::Aborted => "aborted: silo was asked to quit before it started".into(),
            other => other.to_string(),
        }
    }
}

/// The only way to run an action. Read-only refusal lives here, in the data layer, so no UI path
/// can get around it; every attempt (refused, dry run, done, failed) is journaled.
#[derive(Clone)]
pub struct Actions {
    source: Arc<dyn FleetSource>,
    journal: Journal,
    read_only: bool,
    /// `--offline`: nothing may reach AWS, writes least of all.
    offline: bool,
    /// Accounts marked read-only in the config: refused like everything under `--read-only`.
    protected: Arc<std::collections::HashSet<String>>,
    /// Plans built from data older than this are refused (twice `fetch.refresh_secs`).
    max_plan_age: Option<chrono::Duration>,
    /// Set when silo is asked to quit: actions not yet started are not started (shared by clones,
    /// so the tasks running actions see it). A call in progress always finishes.
    aborted: Arc<std::sync::atomic::AtomicBool>,
}

/// The rails every action is checked against, each stated by whoever makes the `Actions`: none
/// has a default, so a new caller cannot forget one.
#[derive(Debug, Clone)]
pub struct Rails {
    /// `--read-only` / `read_only`: refuse every action.
    pub read_only: bool,
    /// `--offline`: refuse every action, whatever asks.
    pub offline: bool,
    /// Refuse every action that touches one of these accounts (`[tenants] read_only`, resolved to
    /// account ids at start: names change, ids do not).
    pub protected: std::collections::HashSet<String>,
    /// Refuse plans built from data older than this (a re-read that failed leaves the last good
    /// value in place, and a confirmation may wait long); None states there is no such limit.
    pub max_plan_age: Option<chrono::Duration>,
}

/// The journal's identity of an action refused offline: STS is not asked.
pub const OFFLINE_IDENTITY: &str = "(not asked: offline)";

impl Actions {
    pub fn new(source: Arc<dyn FleetSource>, journal: Journal, rails: Rails) -> Actions {
        Actions {
            source,
            journal,
            read_only: rails.read_only,
            offline: rails.offline,
            protected: Arc::new(rails.protected),
            max_plan_age: rails.max_plan_age,
            aborted: Arc::default(),
        }
    }

    /// From now on, actions not yet started are not started (journaled `aborted`); the call in
    /// progress finishes and is journaled as usual.
    pub fn abort_pending(&self) {
        self.aborted.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    fn is_aborted(&self) -> bool {
        self.aborted.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Why this plan may not run here, if it may not.
    fn refusal(&self, plan: &ActionPlan) -> Option<ActionError> {
        if self.offline {
            return Some(ActionError::Offline);
        }
        if self.read_only {
            return Some(ActionError::ReadOnly);
        }
        let protected = plan.targets.iter().find(|t| self.protected.contains(&t.account_id));
        if let Some(t) = protected {
            return Some(ActionError::TenantReadOnly(t.tenant.clone().unwrap_or_else(|| t.account_id.clone())));
        }
        let too_old = self.max_plan_age.and_then(|max| plan.too_old(chrono::Utc::now(), max));
        too_old.map(ActionError::Stale)
    }

    /// Who acts, for the journal: asked of STS, except offline, where nothing may call AWS (the
    /// refusal is journaled without it).
    async fn identity(&self) -> String {
        if self.offline {
            return OFFLINE_IDENTITY.into();
        }
        self.source.clone().identity().await
    }

    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// Records a dry run: the plan is shown, nothing is called.
    pub async fn dry_run(&self, plan: &ActionPlan) -> Result<(), ActionError> {
        let identity = self.identity().await;
        self.write(JournalEntry::new(plan, &identity, Mode::DryRun, "not executed", Vec::new()))
    }

    pub async fn execute(&self, plan: ActionPlan) -> Result<ActionOutcome, ActionError> {
        let identity = self.identity().await;
        if self.is_aborted() {
            let text = ActionError::Aborted.journal_text();
            self.write(JournalEntry::new(&plan, &identity, Mode::Aborted, &text, Vec::new()))?;
            return Err(ActionError::Aborted);
        }
        if let Some(refused) = self.refusal(&plan) {
            self.write(JournalEntry::new(&plan, &identity, Mode::Refused, &refused.journal_text(), Vec::new()))?;
            return Err(refused);
        }
        // Journal before acting: an action that cannot be recorded does not run.
        let started = JournalEntry::new(&plan, &identity, Mode::Confirmed, "started", Vec::new());
        if let Err(e) = self.journal.append(&started) {
            return Err(self.not_started(&plan, &identity, e));
        }
        let result = self.call(&plan).await;
        let (text, request_ids, batches) = match &result {
            Ok(o) if o.failed.is_empty() => (ok_text(o), o.request_ids.clone(), o.batches.clone()),
            Ok(o) => (partial_text(o), o.request_ids.clone(), o.batches.clone()),
            Err(e) => (format!("error: {e}"), Vec::new(), Vec::new()),
        };
        // The call has run: a journal that fails now must not turn "done" into "nothing changed".
        let entry = JournalEntry::new(&plan, &identity, Mode::Confirmed, &text, request_ids).with_batches(batches);
        let journaled = self.write(entry);
        match (result, journaled) {
            (Ok(outcome), Ok(())) => Ok(outcome),
            (Ok(outcome), Err(e)) => Ok(ActionOutcome { not_journaled: Some(journal_reason(e)), ..outcome }),
            (Err(error), Ok(())) => Err(ActionError::Aws(error)),
            (Err(error), Err(e)) => Err(ActionError::FailedNotJournaled { error, journal: journal_reason(e) }),
        }
    }

    /// The one call, with a panic inside it (a silo bug) turned into that call's error, so the
    /// journal gets its outcome line and the caller hears the end: whether AWS took the call is
    /// not known then, and the error says to look before acting again.
    async fn call(&self, plan: &ActionPlan) -> Result<ActionOutcome, FetchError> {
        use futures::FutureExt;
        let call = std::panic::AssertUnwindSafe(self.source.clone().execute(plan.clone(), WritePermit::new()));
        call.catch_unwind().await.unwrap_or_else(|panic| {
            let text = crate::error::panic_text(panic.as_ref());
            let why = format!(
                "silo bug: the call panicked ({text}); whether AWS took it is not known: look at the target before acting again"
            );
            Err(FetchError::new(service_of(&plan.api), crate::error::ErrorKind::Other, why))
        })
    }

    /// Records a plan that was not confirmed (no terminal to ask, or the answer did not match)
    /// and returns the refusal: nothing is called.
    pub async fn refuse_unconfirmed(&self, plan: &ActionPlan, why: &str) -> ActionError {
        let identity = self.identity().await;
        let refused = ActionError::NotConfirmed(why.to_string());
        match self.write(JournalEntry::new(plan, &identity, Mode::Refused, &refused.journal_text(), Vec::new())) {
            Ok(()) => refused,
            Err(e) => e,
        }
    }

    /// Runs `plans` in order and stops at the first that does not succeed (fleet-wide rollback):
    /// one result per plan, the rest marked as not attempted.
    /// `progress` hears of each step as it ends (step, of how many).
    pub async fn execute_in_order(
        &self,
        plans: Vec<ActionPlan>,
        progress: impl Fn(usize, usize, &SequenceStep),
    ) -> Vec<SequenceStep> {
        let mut results = Vec::new();
        let mut failed = false;
        let total = plans.len();
        for plan in plans {
            let tenant = plan.tenants().into_iter().flatten().next().unwrap_or_else(|| plan.account.clone());
            let outcome = if failed {
                StepOutcome::NotAttempted
            } else {
                match self.execute(plan.clone()).await {
                    Ok(o) if o.failed.is_empty() => StepOutcome::Done(done_text(&o)),
                    Ok(o) => StepOutcome::Failed(format!("{} not processed", o.failed.len())),
                    // Each step after a quit is journaled `aborted` by `execute`.
                    Err(ActionError::Aborted) => StepOutcome::Aborted,
                    Err(e) => StepOutcome::Failed(e.to_string()),
                }
            };
            failed |= matches!(outcome, StepOutcome::Failed(_));
            let step = SequenceStep { tenant, account_id: plan.account.clone(), api: plan.api, outcome };
            progress(results.len() + 1, total, &step);
            results.push(step);
        }
        results
    }

    /// Asks Athena to stop query `id` (StopQueryExecution, in the logs account as the source reads
    /// it) and journals the call with how it ended. Read-only does not refuse it: stopping changes
    /// no data, it ends a scan (and its cost) the operator started, maybe a statement confirmed
    /// before. Offline refuses it like everything that would reach AWS.
    pub async fn stop_query(&self, id: &str, target: &crate::plan::AthenaTarget) -> Result<(), ActionError> {
        let identity = self.identity().await;
        let call = || crate::journal::Call {
            api: "athena:StopQueryExecution",
            parameters: serde_json::json!({ "QueryExecutionId": id }),
            ids: vec![id.to_string()],
        };
        if self.offline {
            self.write(JournalEntry::call(&identity, target, call(), Mode::Refused, "offline"))?;
            return Err(ActionError::Offline);
        }
        let result = self.source.clone().query_stop(id.to_string()).await;
        let text = match &result {
            Ok(()) => "ok: stop asked".to_string(),
            Err(e) => format!("error: {e}"),
        };
        self.write(JournalEntry::call(&identity, target, call(), Mode::Confirmed, &text))?;
        result.map_err(ActionError::Aws)
    }

    /// Journals a line. A line that is in the journal counts as written even when the head file
    /// beside it could not be replaced (`verify` then reports the journal longer than its head
    /// until the next append rewrites it): the record of what was done is there.
    fn write(&self, entry: JournalEntry) -> Result<(), ActionError> {
        match self.journal.append(&entry) {
            Ok(()) | Err(AppendError::Head(_)) => Ok(()),
            Err(AppendError::Line(e)) => Err(ActionError::Journal(e.to_string())),
        }
    }

    /// The action does not run when its `started` line was not journaled whole. When the line is
    /// in the journal (only its head file failed), a line saying it did not run follows it, so
    /// no `started` line is left without an end.
    fn not_started(&self, plan: &ActionPlan, identity: &str, e: AppendError) -> ActionError {
        if let AppendError::Head(_) = &e {
            let text = format!("not run: {e}");
            // Best effort: the `started` line's own failure is what the caller hears.
            let _ = self.journal.append(&JournalEntry::new(plan, identity, Mode::Refused, &text, Vec::new()));
        }
        ActionError::Journal(e.to_string())
    }
}

/// Why the journal could not be written, from the error `write` returns.
fn journal_reason(error: ActionError) -> String {
    match error {
        ActionError::Journal(why) => why,
        other => other.to_string(),
    }
}

/// A success in the journal: how many changed, and why it counts as done after an error.
fn ok_text(outcome: &ActionOutcome) -> String {
    if let Some(id) = &outcome.query_execution_id {
        return format!("ok: started query execution {id}");
    }
    match &outcome.verified_after_error {
        Some(why) => format!("ok: {} updated ({why})", outcome.succeeded),
        None => format!("ok: {} updated", outcome.succeeded),
    }
}

fn partial_text(outcome: &ActionOutcome) -> String {
    let text = format!("partial: {} updated, {} unprocessed", outcome.succeeded, outcome.failed.len());
    match outcome.failed_batches() {
        0 => text,
        n => format!("{text} ({n} of {} calls failed)", outcome.batches.len()),
    }
}

/// A done step: its request ids, and that it is not journaled when that failed.
fn done_text(outcome: &ActionOutcome) -> String {
    let mut text = outcome.request_ids.join(", ");
    if let Some(why) = &outcome.verified_after_error {
        text = format!("{text} {why}").trim_start().to_string();
    }
    match &outcome.not_journaled {
        Some(why) => format!("{text}, not journaled: {why}"),
        None => text,
    }
}
/// The service an action's API names (`ecs:UpdateService` → ECS), for its error.
fn service_of(api: &str) -> crate::model::AwsService {
    use crate::model::AwsService;
    match api.split(':').next().unwrap_or_default() {
        "ecs" => AwsService::Ecs,
        "codepipeline" => AwsService::Codepipeline,
        "securityhub" => AwsService::Securityhub,
        "guardduty" => AwsService::Guardduty,
        "athena" => AwsService::Athena,
        "scheduler" => AwsService::Scheduler,
        _ => AwsService::Sts,
    }
}
