//! Actions that change something in AWS (here: finding status). Every one is planned first (the
//! exact API call and parameters), executed only through `Actions`, which refuses in read-only
//! mode whatever the caller, and is appended to the audit journal.

pub mod deploy;
pub mod journal;

use crate::error::FetchError;
use crate::findings::{Finding, FindingSource};
use crate::source::FleetSource;
use journal::{Journal, JournalEntry, Mode};
use serde::Serialize;
use std::sync::Arc;

/// Security Hub workflow statuses a user may set.
pub const WORKFLOW_STATUSES: [&str; 3] = ["NOTIFIED", "RESOLVED", "SUPPRESSED"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ActionKind {
    /// securityhub:BatchUpdateFindings with Workflow.Status and a Note.
    FindingStatus { status: String, note: String },
    /// guardduty:ArchiveFindings (true) or UnarchiveFindings (false).
    GuardDutyArchive { archive: bool },
    /// A tenant's ECS deployment or its pipeline freeze.
    Deploy(crate::actions::deploy::DeployChange),
}

/// The audit account (delegated administrator of Security Hub and GuardDuty) and the region
/// finding actions go to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditTarget {
    pub account_id: String,
    pub region: String,
}

/// One finding an action applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub id: String,
    /// Security Hub product ARN, or GuardDuty detector id.
    pub product: String,
    pub account_id: String,
    pub tenant: Option<String>,
}

impl From<&Finding> for Target {
    fn from(f: &Finding) -> Self {
        Target {
            id: f.id.clone(),
            product: f.product.clone(),
            account_id: f.account_id.clone(),
            tenant: f.tenant.clone(),
        }
    }
}

/// Exactly what will be called, shown before anything happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionPlan {
    pub kind: ActionKind,
    pub targets: Vec<Target>,
    /// The account the call goes to (the audit account) and its region.
    pub account: String,
    pub region: String,
    pub api: String,
    pub parameters: serde_json::Value,
    /// Lines that say what changes (service, from → to), shown above the parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub detail: Vec<String>,
    /// The change in a few words, for lists of plans (a fleet-wide rollback).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PlanError {
    #[error("nothing selected")]
    Empty,
    #[error("{0}")]
    Invalid(String),
}

/// Security Hub takes at most 100 findings per BatchUpdateFindings call.
pub const SECURITYHUB_BATCH: usize = 100;

impl ActionPlan {
    /// Workflow status for Security Hub findings, with the required note; `updated_by` goes
    /// into the note (Security Hub shows who changed the finding).
    pub fn finding_status(
        findings: &[&Finding],
        status: &str,
        note: &str,
        audit: (&str, &str),
        updated_by: &str,
    ) -> Result<ActionPlan, PlanError> {
        if findings.is_empty() {
            return Err(PlanError::Empty);
        }
        if let Some(f) = findings.iter().find(|f| f.source != FindingSource::Securityhub) {
            return Err(PlanError::Invalid(format!(
                "{} is a GuardDuty finding: archive it instead of setting a workflow status",
                f.id
            )));
        }
        let status = status.trim().to_ascii_uppercase();
        if !WORKFLOW_STATUSES.contains(&status.as_str()) {
            return Err(PlanError::Invalid(format!(
                "status {status:?}: expected one of {}",
                WORKFLOW_STATUSES.join(", ")
            )));
        }
        let note = crate::sanitize::clean(note).trim().to_string();
        if note.is_empty() {
            return Err(PlanError::Invalid("a note is required: say why the status changes".into()));
        }
        if note.chars().count() > 512 {
            return Err(PlanError::Invalid("the note is longer than Security Hub's 512 characters".into()));
        }
        let targets: Vec<Target> = findings.iter().map(|f| Target::from(*f)).collect();
        let ids: Vec<serde_json::Value> =
            targets.iter().map(|t| serde_json::json!({ "Id": t.id, "ProductArn": t.product })).collect();
        let parameters = serde_json::json!({
            "FindingIdentifiers": ids,
            "Workflow": { "Status": status },
            "Note": { "Text": note, "UpdatedBy": updated_by },
        });
        Ok(ActionPlan {
            kind: ActionKind::FindingStatus { status, note },
            targets,
            account: audit.0.into(),
            region: audit.1.into(),
            api: "securityhub:BatchUpdateFindings".into(),
            parameters,
            detail: Vec::new(),
            summary: String::new(),
        })
    }

    /// Archive (or unarchive) GuardDuty findings of one detector.
    pub fn guardduty_archive(
        findings: &[&Finding],
        archive: bool,
        audit: (&str, &str),
    ) -> Result<ActionPlan, PlanError> {
        if findings.is_empty() {
            return Err(PlanError::Empty);
        }
        if let Some(f) = findings.iter().find(|f| f.source != FindingSource::Guardduty) {
            return Err(PlanError::Invalid(format!(
                "{} is a Security Hub finding: set its workflow status instead",
                f.id
            )));
        }
        let detector = findings[0].product.clone();
        if findings.iter().any(|f| f.product != detector) {
            return Err(PlanError::Invalid(
                "the findings belong to different detectors; act on one detector at a time".into(),
            ));
        }
        let targets: Vec<Target> = findings.iter().map(|f| Target::from(*f)).collect();
        let ids: Vec<&str> = targets.iter().map(|t| t.id.as_str()).collect();
        let api = if archive { "guardduty:ArchiveFindings" } else { "guardduty:UnarchiveFindings" };
        Ok(ActionPlan {
            kind: ActionKind::GuardDutyArchive { archive },
            parameters: serde_json::json!({ "DetectorId": detector, "FindingIds": ids }),
            targets,
            account: audit.0.into(),
            region: audit.1.into(),
            api: api.into(),
            detail: Vec::new(),
            summary: String::new(),
        })
    }

    /// Tenants touched, sorted; None stands for non-tenant accounts.
    pub fn tenants(&self) -> Vec<Option<String>> {
        let mut t: Vec<Option<String>> = self.targets.iter().map(|t| t.tenant.clone()).collect();
        t.sort();
        t.dedup();
        t
    }

    /// What the user must type to confirm: the tenant's name when one tenant is touched, the
    /// account id for one non-tenant account, otherwise the number of findings.
    pub fn confirmation(&self) -> String {
        let mut accounts: Vec<&str> = self.targets.iter().map(|t| t.account_id.as_str()).collect();
        accounts.sort();
        accounts.dedup();
        match (self.tenants().as_slice(), accounts.as_slice()) {
            ([Some(tenant)], _) => tenant.clone(),
            ([None], [account]) => account.to_string(),
            _ => format!("{} findings", self.targets.len()),
        }
    }

    /// A deployment plan: tenant, account and region, what changes, then the exact parameters.
    fn describe_deploy(&self) -> Vec<String> {
        let tenant = self.tenants().into_iter().flatten().next().unwrap_or_default();
        let mut lines = vec![
            format!("API:        {} (1 call)", self.api),
            format!("tenant:     {tenant}"),
            format!("account:    {} (operator role)   region: {}", self.account, self.region),
        ];
        lines.extend(self.detail.iter().cloned());
        lines.push("parameters:".into());
        let params = serde_json::to_string_pretty(&self.parameters).unwrap_or_default();
        lines.extend(params.lines().map(|l| format!("  {l}")));
        lines
    }

    /// The plan as lines for a terminal or a dialog.
    pub fn describe(&self) -> Vec<String> {
        let calls = match self.kind {
            ActionKind::FindingStatus { .. } => self.targets.len().div_ceil(SECURITYHUB_BATCH),
            ActionKind::GuardDutyArchive { .. } => self.targets.len().div_ceil(50),
            ActionKind::Deploy(_) => return self.describe_deploy(),
        };
        let tenants: Vec<String> =
            self.tenants().into_iter().map(|t| t.unwrap_or_else(|| "(non-tenant account)".into())).collect();
        let mut lines = vec![
            format!("API:        {} ({calls} call{})", self.api, if calls == 1 { "" } else { "s" }),
            format!("account:    {} (audit, operator role)   region: {}", self.account, self.region),
            format!("findings:   {} in {}", self.targets.len(), tenants.join(", ")),
        ];
        if let ActionKind::FindingStatus { status, note } = &self.kind {
            lines.push(format!("change:     Workflow.Status → {status}, note {note:?}"));
        }
        lines.push("parameters:".into());
        let params = serde_json::to_string_pretty(&self.parameters).unwrap_or_default();
        lines.extend(params.lines().take(40).map(|l| format!("  {l}")));
        lines
    }
}

/// One tenant's part of a sequence of actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SequenceStep {
    pub tenant: String,
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
}

impl StepOutcome {
    pub fn label(&self) -> &'static str {
        match self {
            StepOutcome::Done(_) => "done",
            StepOutcome::Failed(_) => "failed",
            StepOutcome::NotAttempted => "not attempted",
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
}

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("refused: silo runs read-only (--read-only or read_only = true); nothing was changed")]
    ReadOnly,
    #[error("refused: tenant {0} is read-only in the config (read_only); nothing was changed")]
    TenantReadOnly(String),
    #[error("refused: {0}; nothing was changed")]
    NotConfirmed(String),
    #[error(transparent)]
    Aws(#[from] FetchError),
    #[error("cannot write the audit journal ({0}); nothing was changed")]
    Journal(String),
}

impl ActionError {
    /// The short result recorded in the journal.
    fn journal_text(&self) -> String {
        match self {
            ActionError::ReadOnly => "read-only".into(),
            ActionError::TenantReadOnly(_) => "read-only tenant".into(),
            ActionError::NotConfirmed(why) => format!("not confirmed: {why}"),
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
    /// Tenants marked read-only in the config: refused like everything under `--read-only`.
    protected: Arc<std::collections::HashSet<String>>,
}

impl Actions {
    pub fn new(source: Arc<dyn FleetSource>, journal: Journal, read_only: bool) -> Actions {
        Actions { source, journal, read_only, protected: Arc::default() }
    }

    /// Also refuse every action that touches one of `tenants` (per-tenant `read_only`).
    pub fn protecting(mut self, tenants: std::collections::HashSet<String>) -> Actions {
        self.protected = Arc::new(tenants);
        self
    }

    /// Why this plan may not run here, if it may not.
    fn refusal(&self, plan: &ActionPlan) -> Option<ActionError> {
        if self.read_only {
            return Some(ActionError::ReadOnly);
        }
        let protected = plan.tenants().into_iter().flatten().find(|t| self.protected.contains(t));
        protected.map(ActionError::TenantReadOnly)
    }

    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// Records a dry run: the plan is shown, nothing is called.
    pub async fn dry_run(&self, plan: &ActionPlan) -> Result<(), ActionError> {
        let identity = self.source.clone().identity().await;
        self.write(JournalEntry::new(plan, &identity, Mode::DryRun, "not executed", Vec::new()))
    }

    pub async fn execute(&self, plan: ActionPlan) -> Result<ActionOutcome, ActionError> {
        let identity = self.source.clone().identity().await;
        if let Some(refused) = self.refusal(&plan) {
            self.write(JournalEntry::new(&plan, &identity, Mode::Refused, &refused.journal_text(), Vec::new()))?;
            return Err(refused);
        }
        // Journal before acting: an action that cannot be recorded does not run.
        self.write(JournalEntry::new(&plan, &identity, Mode::Confirmed, "started", Vec::new()))?;
        let result = self.source.clone().execute(plan.clone()).await;
        let (text, request_ids) = match &result {
            Ok(o) if o.failed.is_empty() => (format!("ok: {} updated", o.succeeded), o.request_ids.clone()),
            Ok(o) => {
                (format!("partial: {} updated, {} unprocessed", o.succeeded, o.failed.len()), o.request_ids.clone())
            }
            Err(e) => (format!("error: {e}"), Vec::new()),
        };
        self.write(JournalEntry::new(&plan, &identity, Mode::Confirmed, &text, request_ids))?;
        Ok(result?)
    }

    /// Records a plan that was not confirmed (no terminal to ask, or the answer did not match)
    /// and returns the refusal: nothing is called.
    pub async fn refuse_unconfirmed(&self, plan: &ActionPlan, why: &str) -> ActionError {
        let identity = self.source.clone().identity().await;
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
                    Ok(o) if o.failed.is_empty() => StepOutcome::Done(o.request_ids.join(", ")),
                    Ok(o) => StepOutcome::Failed(format!("{} not processed", o.failed.len())),
                    Err(e) => StepOutcome::Failed(e.to_string()),
                }
            };
            failed |= matches!(outcome, StepOutcome::Failed(_));
            let step = SequenceStep { tenant, api: plan.api, outcome };
            progress(results.len() + 1, total, &step);
            results.push(step);
        }
        results
    }

    fn write(&self, entry: JournalEntry) -> Result<(), ActionError> {
        self.journal.append(&entry).map_err(|e| ActionError::Journal(e.to_string()))
    }
}

/// `silo-<user>`: identifies silo and the person in CloudTrail. Only characters STS accepts.
pub fn session_name() -> String {
    let user = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "user".into());
    let clean: String = user.chars().filter(|c| c.is_ascii_alphanumeric() || "+=,.@-_".contains(*c)).collect();
    let name = format!("silo-{}", if clean.is_empty() { "user" } else { &clean });
    name.chars().take(64).collect()
}
