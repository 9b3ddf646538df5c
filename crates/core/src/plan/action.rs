//! A planned action: what it changes (`ActionKind`), where and on whom (`Target`), what the user
//! confirms and what the plan says; the finding actions are planned here.

use crate::findings::{Finding, FindingSource};
use serde::Serialize;

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
    Deploy(super::deploy::change::DeployChange),
    /// athena:StartQueryExecution of a statement that is not a read (DROP, CTAS, UNLOAD...):
    /// `keyword` is its first keyword, `query` the saved query's name or `ad-hoc`.
    AthenaStatement { keyword: String, query: String },
    /// A one-time update of a tenant on EventBridge Scheduler (create or delete the schedule).
    Schedule(super::schedule::change::ScheduleChange),
}

/// GuardDuty takes at most 50 finding ids per Archive/UnarchiveFindings call.
pub const GUARDDUTY_BATCH: usize = 50;

impl ActionKind {
    /// How many targets one call of this action carries.
    pub fn batch_size(&self) -> usize {
        match self {
            ActionKind::FindingStatus { .. } => SECURITYHUB_BATCH,
            ActionKind::GuardDutyArchive { .. } => GUARDDUTY_BATCH,
            ActionKind::Deploy(_) | ActionKind::AthenaStatement { .. } | ActionKind::Schedule(_) => 1,
        }
    }
}

/// Where Athena statements run: the logs account, its region, workgroup and database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AthenaTarget {
    pub account_id: String,
    pub region: String,
    pub workgroup: String,
    pub database: String,
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
    /// When the data the plan was built from was read: a plan older than the limit `Actions`
    /// holds is refused until refreshed (None: built from nothing read, nothing to age).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The customer's terms this action goes past (outside the window, an uncertified version),
    /// each with the reason the user gave; journaled with the action.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
}

/// A term the customer agreed that an action goes past on purpose, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Override {
    pub term: Term,
    pub reason: String,
}

/// The terms an action can go past, each with the flag that overrides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    /// The tenant's maintenance window is closed at the time of the change (`--outside-window`).
    OutsideWindow,
    /// The version the change moves to is not one the customer certified (`--uncertified`).
    Uncertified,
    /// The version's image has critical vulnerabilities or no scan (`--vulnerable`).
    Vulnerable,
    /// The revision's image is of another repository than the one the service runs: the same tag
    /// there is another version (`--other-repository`).
    OtherRepository,
}

impl Term {
    /// The command-line flag that overrides this term.
    pub fn flag(self) -> &'static str {
        match self {
            Term::OutsideWindow => "--outside-window",
            Term::Uncertified => "--uncertified",
            Term::Vulnerable => "--vulnerable",
            Term::OtherRepository => "--other-repository",
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PlanError {
    #[error("nothing selected")]
    Empty,
    #[error("{0}")]
    Invalid(String),
    /// The action goes past terms the customer agreed (each problem in words): it needs these
    /// overrides with a reason.
    #[error(
        "{tenant}: {}; to go ahead anyway add {} --reason TEXT (the reason is journaled)",
        problems.join("; "),
        terms.iter().map(|t| t.flag()).collect::<Vec<_>>().join(" ")
    )]
    NeedsOverride { tenant: String, problems: Vec<String>, terms: Vec<Term> },
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
        let v2 = api_version(findings)?;
        if let Some(f) = findings.iter().find(|f| !v2 && f.source != FindingSource::Securityhub) {
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
        let (api, parameters) = if v2 {
            let uids: Vec<&str> = targets.iter().map(|t| t.id.as_str()).collect();
            let status_id = crate::findings::ocsf_status_id(&status);
            let parameters = serde_json::json!({ "MetadataUids": uids, "StatusId": status_id, "Comment": note });
            ("securityhub:BatchUpdateFindingsV2", parameters)
        } else {
            let ids: Vec<serde_json::Value> =
                targets.iter().map(|t| serde_json::json!({ "Id": t.id, "ProductArn": t.product })).collect();
            let parameters = serde_json::json!({
                "FindingIdentifiers": ids,
                "Workflow": { "Status": status },
                "Note": { "Text": note, "UpdatedBy": updated_by },
            });
            ("securityhub:BatchUpdateFindings", parameters)
        };
        Ok(ActionPlan {
            kind: ActionKind::FindingStatus { status, note },
            targets,
            account: audit.0.into(),
            region: audit.1.into(),
            api: api.into(),
            parameters,
            detail: Vec::new(),
            summary: String::new(),
            read_at: None,
            overrides: Vec::new(),
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
        if let Some(f) = findings.iter().find(|f| f.is_ocsf()) {
            return Err(PlanError::Invalid(format!(
                "{} was read through Security Hub v2 (OCSF), which has no GuardDuty detector id: set its workflow status instead",
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
            read_at: None,
            overrides: Vec::new(),
        })
    }

    /// A statement that changes data, as an action: the exact StartQueryExecution it sends.
    pub fn athena_statement(
        request: &crate::queries::run::QueryRequest,
        statement: &crate::queries::statement::Statement,
        target: &AthenaTarget,
    ) -> ActionPlan {
        let parameters = serde_json::json!({
            "QueryString": request.sql,
            "WorkGroup": target.workgroup,
            "QueryExecutionContext": { "Database": target.database },
            "ExecutionParameters": request.parameters,
        });
        let kind = ActionKind::AthenaStatement { keyword: statement.keyword.clone(), query: request.name.clone() };
        ActionPlan {
            kind,
            targets: Vec::new(),
            account: target.account_id.clone(),
            region: target.region.clone(),
            api: "athena:StartQueryExecution".into(),
            parameters,
            detail: vec![format!(
                "statement:  {} changes data (not a read): it runs in workgroup {} as the operator role",
                statement.keyword, target.workgroup
            )],
            summary: format!("{} ({})", statement.keyword, request.name),
            read_at: None,
            overrides: Vec::new(),
        }
    }

    /// The same plan, built from data read at `at`.
    pub fn read_at(mut self, at: chrono::DateTime<chrono::Utc>) -> ActionPlan {
        self.read_at = Some(at);
        self
    }

    /// Why the plan is too old to run at `now` when plans may be at most `max` old, if it is.
    pub fn too_old(&self, now: chrono::DateTime<chrono::Utc>, max: chrono::Duration) -> Option<String> {
        let age = now - self.read_at?;
        (age > max).then(|| {
            format!(
                "the plan was built from data read {} ago, more than {} (twice fetch.refresh_secs): refresh and plan again",
                crate::format::duration(age),
                crate::format::duration(max)
            )
        })
    }

    /// Tenants touched, sorted; None stands for non-tenant accounts.
    pub fn tenants(&self) -> Vec<Option<String>> {
        let mut t: Vec<Option<String>> = self.targets.iter().map(|t| t.tenant.clone()).collect();
        t.sort();
        t.dedup();
        t
    }

    /// The account ids of the tenants touched, sorted (non-tenant accounts left out).
    pub fn tenant_accounts(&self) -> Vec<String> {
        let mut a: Vec<String> =
            self.targets.iter().filter(|t| t.tenant.is_some()).map(|t| t.account_id.clone()).collect();
        a.sort();
        a.dedup();
        a
    }

    /// What the user must type to confirm: the tenant's name when one tenant is touched (its
    /// account id when another account carries the name: `shared`), the account id for one
    /// non-tenant account, otherwise the number of findings.
    pub fn confirmation(&self, shared: &crate::tenant_lookup::SharedNames) -> String {
        if let ActionKind::AthenaStatement { keyword, .. } = &self.kind {
            return format!("{keyword} in {}", self.parameters["WorkGroup"].as_str().unwrap_or_default());
        }
        let mut accounts: Vec<&str> = self.targets.iter().map(|t| t.account_id.as_str()).collect();
        accounts.sort();
        accounts.dedup();
        match (self.tenants().as_slice(), accounts.as_slice()) {
            ([Some(tenant)], [account]) if shared.contains(tenant) => account.to_string(),
            ([Some(tenant)], _) => tenant.clone(),
            ([None], [account]) => account.to_string(),
            _ => format!("{} findings", self.targets.len()),
        }
    }

    /// A tenant's plan (deployment, schedule): tenant, account and region, what changes, then
    /// the exact parameters.
    fn describe_tenant(&self) -> Vec<String> {
        let tenant = self.tenants().into_iter().flatten().next().unwrap_or_default();
        let mut lines = vec![format!("API:        {} (1 call)", self.api)];
        lines.extend(self.calls_before());
        lines.push(format!("tenant:     {tenant}"));
        lines.push(format!("account:    {} (operator role)   region: {}", self.account, self.region));
        lines.extend(self.detail.iter().cloned());
        lines.extend(self.overrides.iter().map(|o| format!("override:   {} because {:?}", o.term.flag(), o.reason)));
        lines.push("parameters:".into());
        let params = serde_json::to_string_pretty(&self.parameters).unwrap_or_default();
        lines.extend(params.lines().map(|l| format!("  {l}")));
        lines
    }

    /// The calls the write half makes before the one the plan is about, said as the calls they
    /// are: a schedule's group is asked for, and created when it is missing.
    fn calls_before(&self) -> Option<String> {
        let ActionKind::Schedule(super::schedule::change::ScheduleChange::Create(spec)) = &self.kind else {
            return None;
        };
        let group = serde_json::json!({ "Name": spec.group });
        Some(format!(
            "before:     scheduler:GetScheduleGroup {group}; scheduler:CreateScheduleGroup {group} when it is missing"
        ))
    }

    /// A statement plan: account, workgroup, what it is, then the SQL as it will be sent.
    fn describe_statement(&self) -> Vec<String> {
        let mut lines = vec![
            format!("API:        {} (1 call)", self.api),
            format!("account:    {} (logs, operator role)   region: {}", self.account, self.region),
        ];
        lines.extend(self.detail.iter().cloned());
        lines.push("parameters:".into());
        let params = serde_json::to_string_pretty(&self.parameters).unwrap_or_default();
        lines.extend(params.lines().take(40).map(|l| format!("  {l}")));
        lines
    }

    /// The plan as lines for a terminal or a dialog.
    pub fn describe(&self) -> Vec<String> {
        if let ActionKind::Deploy(_) | ActionKind::Schedule(_) = self.kind {
            return self.describe_tenant();
        }
        if let ActionKind::AthenaStatement { .. } = self.kind {
            return self.describe_statement();
        }
        let calls = self.targets.len().div_ceil(self.kind.batch_size());
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

/// Whether the findings were read through Security Hub v2 (OCSF): then they change through
/// BatchUpdateFindingsV2. A mix of both cannot be one call.
fn api_version(findings: &[&Finding]) -> Result<bool, PlanError> {
    let ocsf = findings.iter().filter(|f| f.is_ocsf()).count();
    if ocsf != 0 && ocsf != findings.len() {
        return Err(PlanError::Invalid(
            "some findings were read through Security Hub v2 (OCSF) and some through v1: act on one kind at a time"
                .into(),
        ));
    }
    Ok(ocsf != 0)
}
