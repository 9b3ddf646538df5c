//! How an action ended: per call, per batch of a batched call, per tenant of a sequence.

use serde::Serialize;

/// One tenant's part of a sequence of actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SequenceStep {
    pub tenant: String,
    /// The account acted in: who the tenant is when two accounts carry its name.
    pub account_id: String,
    pub api: String,
    pub outcome: StepOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", content = "detail", rename_all = "snake_case")]
pub enum StepOutcome {
    /// Done; the AWS request ids.
    Done(String),
    Failed(String),
    /// An earlier tenant failed, so this one was left alone.
    NotAttempted,
    /// silo was asked to quit before this step started, so it was left alone.
    Aborted,
}

impl StepOutcome {
    pub fn label(&self) -> &'static str {
        match self {
            StepOutcome::Done(_) => "done",
            StepOutcome::Failed(_) => "failed",
            StepOutcome::NotAttempted => "not attempted",
            StepOutcome::Aborted => "aborted",
        }
    }
}

/// The result of an executed action.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ActionOutcome {
    pub succeeded: usize,
    /// (finding id, error) for each finding AWS did not process.
    pub failed: Vec<(String, String)>,
    pub request_ids: Vec<String>,
    /// The action ran but its result could not be journaled: why (the change stands).
    pub not_journaled: Option<String>,
    /// The call answered with an error or timed out, and a re-read showed the change in place:
    /// the error and what is true now.
    pub verified_after_error: Option<String>,
    /// One entry per call of a batched action (finding updates), in order.
    pub batches: Vec<BatchResult>,
    /// The query execution a confirmed Athena statement started.
    pub query_execution_id: Option<String>,
}

/// One call of a batched action: the ids it carried and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct BatchResult {
    pub ids: Vec<String>,
    pub outcome: BatchOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum BatchOutcome {
    /// The call ran; AWS did not process `unprocessed` of its ids.
    Done { request_id: Option<String>, unprocessed: usize },
    /// The call failed as a whole (written once, never retried): whether any of its ids changed
    /// is unknown until the findings are read again.
    Failed { error: String },
}

impl ActionOutcome {
    /// One change made by one call.
    pub fn one(request_id: Option<String>) -> ActionOutcome {
        ActionOutcome { succeeded: 1, request_ids: request_id.into_iter().collect(), ..ActionOutcome::default() }
    }

    /// A batch call that ran: its ids less those AWS reports as not processed (id, why).
    pub fn batch_done(&mut self, ids: Vec<String>, unprocessed: Vec<(String, String)>, request_id: Option<String>) {
        self.succeeded += ids.len().saturating_sub(unprocessed.len());
        let outcome = BatchOutcome::Done { request_id: request_id.clone(), unprocessed: unprocessed.len() };
        self.failed.extend(unprocessed);
        self.request_ids.extend(request_id);
        self.batches.push(BatchResult { ids, outcome });
    }

    /// A batch call that failed: each of its ids is reported with the error; later batches still run.
    pub fn batch_failed(&mut self, ids: Vec<String>, error: String) {
        let why = format!("the call failed, so this finding may be unchanged: {error}");
        self.failed.extend(ids.iter().map(|id| (id.clone(), why.clone())));
        self.batches.push(BatchResult { ids, outcome: BatchOutcome::Failed { error } });
    }

    /// How many batch calls failed as a whole.
    pub fn failed_batches(&self) -> usize {
        self.batches.iter().filter(|b| matches!(b.outcome, BatchOutcome::Failed { .. })).count()
    }
}
