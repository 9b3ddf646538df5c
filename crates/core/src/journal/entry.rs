//! One journal line: who did what, where, with which exact parameters, and how it ended.

use crate::plan::{ActionKind, ActionPlan};
use chrono::{SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    DryRun,
    Confirmed,
    Refused,
    /// Confirmed, but not run: silo was asked to quit (or signalled) before it started.
    Aborted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub time: String,
    /// Caller identity ARN of the base credentials.
    pub identity: String,
    /// The name silo's assumed sessions carry as RoleSessionName and SourceIdentity, so this line
    /// matches the tenant's CloudTrail (absent on lines written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_identity: Option<String>,
    pub tenants: Vec<Option<String>>,
    /// The tenants' account ids, sorted: who they are when names collide (the timeline matches
    /// on these; absent on lines written before they were recorded, and for non-tenant targets).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tenant_accounts: Vec<String>,
    pub account: String,
    pub region: String,
    pub api: String,
    pub parameters: serde_json::Value,
    pub ids: Vec<String>,
    pub mode: Mode,
    pub result: String,
    pub request_ids: Vec<String>,
    /// A batched action's calls, one by one (finding updates); absent for single calls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub batches: Vec<crate::plan::BatchResult>,
    /// The customer's terms the action went past on purpose, with the reasons given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<crate::plan::Override>,
    /// The previous line's `hash` (absent on the first line, and on lines written before the chain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    /// SHA-256 (hex) of this line as written without this field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

impl JournalEntry {
    /// The result, and the customer's terms the action went past with the reasons given.
    pub fn result_and_overrides(&self) -> String {
        let overrides: Vec<String> = self
            .overrides
            .iter()
            .map(|o| format!("{} because {:?}", o.term.flag().trim_start_matches('-'), o.reason))
            .collect();
        match overrides.is_empty() {
            true => self.result.clone(),
            false => format!("{} · {}", self.result, overrides.join(", ")),
        }
    }

    pub fn new(plan: &ActionPlan, identity: &str, mode: Mode, result: &str, request_ids: Vec<String>) -> JournalEntry {
        JournalEntry {
            time: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
            identity: identity.to_string(),
            source_identity: Some(
                crate::identity::person_from_arn(identity).unwrap_or_else(crate::identity::session_name),
            ),
            tenants: plan.tenants(),
            tenant_accounts: plan.tenant_accounts(),
            account: plan.account.clone(),
            region: plan.region.clone(),
            api: plan.api.clone(),
            parameters: match &plan.kind {
                ActionKind::FindingStatus { status, note } => {
                    serde_json::json!({ "Workflow.Status": status, "Note": note })
                }
                ActionKind::GuardDutyArchive { .. }
                | ActionKind::Deploy(_)
                | ActionKind::AthenaStatement { .. }
                | ActionKind::Schedule(_) => plan.parameters.clone(),
            },
            ids: plan.targets.iter().map(|t| t.id.clone()).collect(),
            mode,
            result: result.to_string(),
            request_ids,
            batches: Vec::new(),
            overrides: plan.overrides.clone(),
            prev: None,
            hash: None,
        }
    }

    /// A call that is not a plan's (StopQueryExecution): who, where, the exact parameters, and
    /// how it ended.
    pub fn call(
        identity: &str,
        target: &crate::plan::AthenaTarget,
        call: Call,
        mode: Mode,
        result: &str,
    ) -> JournalEntry {
        JournalEntry {
            time: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
            identity: identity.to_string(),
            source_identity: Some(
                crate::identity::person_from_arn(identity).unwrap_or_else(crate::identity::session_name),
            ),
            tenants: Vec::new(),
            tenant_accounts: Vec::new(),
            account: target.account_id.clone(),
            region: target.region.clone(),
            api: call.api.to_string(),
            parameters: call.parameters,
            ids: call.ids,
            mode,
            result: result.to_string(),
            request_ids: Vec::new(),
            batches: Vec::new(),
            overrides: Vec::new(),
            prev: None,
            hash: None,
        }
    }

    /// The same entry with the batch calls of the outcome it records.
    pub fn with_batches(mut self, batches: Vec<crate::plan::BatchResult>) -> JournalEntry {
        self.batches = batches;
        self
    }
}

/// A call journaled on its own: its API (`service:Operation`), exact parameters and the ids it
/// names.
pub struct Call {
    pub api: &'static str,
    pub parameters: serde_json::Value,
    pub ids: Vec<String>,
}
