//! Tenant deployments: what the ECS service runs, the deployment in flight, its history and the
//! revisions it could go back to. Read by `aws::ecs_deploy` (or the demo), planned by `plan::deploy`,
//! carried out only through `actions::Actions`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Everything `silo deploy status` and the deployment screens show for one tenant. The JSON
/// field names are a contract (docs/deployments.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployStatus {
    pub tenant: String,
    pub account_id: String,
    pub region: String,
    pub cluster: String,
    pub service: String,
    pub service_arn: String,
    /// `family:revision` the service runs now.
    pub task_definition: String,
    pub task_definition_arn: String,
    /// Image of the first container of the current task definition.
    pub image: String,
    pub desired: i32,
    pub running: i32,
    pub pending: i32,
    /// Newest first.
    pub deployments: Vec<Deployment>,
    /// Task definition revisions the service can run, newest first.
    pub revisions: Vec<Revision>,
    /// Set while new deployments are held at the tenant's pipeline stage (inbound transition
    /// disabled): the reason, who and when.
    pub freeze: Option<Freeze>,
    /// The pipeline stage configured for this tenant, if any.
    pub pipeline: Option<PipelineStage>,
    /// The service's deployment configuration has a PAUSE lifecycle hook.
    pub pause_hook: bool,
    /// Where the history came from: `service_deployments` (ListServiceDeployments) or
    /// `describe_services` (the fallback when the newer APIs are unavailable).
    pub history_source: String,
    /// What could not be read, said plainly (e.g. the pipeline state was denied).
    pub notes: Vec<String>,
    /// The ECS scheduler's messages about the service (DescribeServices `events[]`, newest first):
    /// placement failures, steady states, deployments started.
    #[serde(default)]
    pub service_events: Vec<crate::service_events::ServiceEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    /// Service deployment ARN, or the `ecs-svc/...` id in the fallback.
    pub id: String,
    /// ECS status: PENDING, IN_PROGRESS, SUCCESSFUL, STOPPED, ROLLBACK_*, STOP_REQUESTED; in the
    /// fallback PRIMARY/ACTIVE with the rollout state.
    pub status: String,
    pub status_reason: Option<String>,
    pub rollout_state: Option<String>,
    pub lifecycle_stage: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// `family:revision` this deployment moves to.
    pub task_definition: Option<String>,
    pub image: Option<String>,
    /// Tasks of the target revision running / requested: the progress.
    pub running: i32,
    pub requested: i32,
    /// e.g. "MONITORING (1/10 failures)", "TRIGGERED (10/10 failures)".
    pub circuit_breaker: Option<String>,
    /// e.g. "TRIGGERED: app-5xx".
    pub alarms: Option<String>,
    pub hook: Option<HookWait>,
}

/// A lifecycle hook the deployment stands at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookWait {
    pub hook_id: String,
    /// PAUSE or AWS_LAMBDA.
    pub target_type: String,
    /// AWAITING_ACTION, IN_PROGRESS, SUCCEEDED, FAILED, TIMED_OUT.
    pub status: String,
    pub expires_at: Option<DateTime<Utc>>,
    /// What ECS does at `expires_at`: CONTINUE or ROLLBACK.
    pub timeout_action: Option<String>,
}

impl HookWait {
    /// Waiting for someone to continue or roll back (the "paused" state).
    pub fn is_paused(&self) -> bool {
        self.target_type == "PAUSE" && self.status == "AWAITING_ACTION"
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// `family:revision`.
    pub task_definition: String,
    pub task_definition_arn: String,
    pub number: u32,
    pub image: String,
    pub created_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineStage {
    /// The account the pipeline lives in.
    pub account_id: String,
    pub pipeline: String,
    pub stage: String,
}

/// Why no freeze is offered on `stage`: `other` (another account) renders to the same pipeline
/// (a `{tenant}` pattern and a name two accounts carry), so a freeze would stop both.
pub fn shared_pipeline_note(stage: &PipelineStage, other: &crate::model::Tenant) -> String {
    format!(
        "pipeline {} in {} is also {}'s ({}): {SHARED_PIPELINE}; give each tenant its own pipeline \
         ({{account_id}} in [tenants] pipeline, or a static entry's pipeline)",
        stage.pipeline, stage.account_id, other.name, other.account_id
    )
}

/// What a status note says when the tenant's pipeline is shared (`shared_pipeline_note`).
pub const SHARED_PIPELINE: &str = "a freeze would stop both";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Freeze {
    pub reason: String,
    pub by: Option<String>,
    pub at: Option<DateTime<Utc>>,
}

/// Statuses of a deployment that has not ended.
const IN_FLIGHT: [&str; 5] = ["PENDING", "IN_PROGRESS", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS", "STOP_REQUESTED"];

impl Deployment {
    pub fn in_flight(&self) -> bool {
        IN_FLIGHT.contains(&self.status.as_str())
            || (matches!(self.status.as_str(), "PRIMARY" | "ACTIVE")
                && self.rollout_state.as_deref() == Some("IN_PROGRESS"))
    }

    /// The deployment ended well (its target revision is a good one to go back to).
    pub fn succeeded(&self) -> bool {
        self.status == "SUCCESSFUL" || (self.status == "PRIMARY" && self.rollout_state.as_deref() == Some("COMPLETED"))
    }

    pub fn failed(&self) -> bool {
        matches!(self.status.as_str(), "ROLLBACK_SUCCESSFUL" | "ROLLBACK_FAILED")
            || self.rollout_state.as_deref() == Some("FAILED")
    }

    /// Share of the target revision's tasks running, 0–100.
    pub fn progress(&self) -> u8 {
        if self.requested <= 0 {
            return 0;
        }
        ((self.running.clamp(0, self.requested) * 100) / self.requested) as u8
    }
}

/// `DeployStatus` as `silo deploy status` prints it: the status, plus `paused` and `frozen`, which
/// are read off it (documented fields of the JSON contract).
#[derive(Debug, Serialize)]
pub struct StatusReport<'a> {
    #[serde(flatten)]
    pub status: &'a DeployStatus,
    pub paused: bool,
    pub frozen: bool,
}

impl DeployStatus {
    pub fn report(&self) -> StatusReport<'_> {
        StatusReport { status: self, paused: self.paused(), frozen: self.frozen() }
    }

    /// A deployment waits at a PAUSE lifecycle hook.
    pub fn paused(&self) -> bool {
        self.waiting_hook().is_some()
    }

    /// New deployments are held at the pipeline stage.
    pub fn frozen(&self) -> bool {
        self.freeze.is_some()
    }

    /// The deployment that has not ended, if any (ECS runs at most one per service).
    pub fn in_flight(&self) -> Option<&Deployment> {
        self.deployments.iter().find(|d| d.in_flight())
    }

    /// The hook a deployment waits at for someone to act.
    pub fn waiting_hook(&self) -> Option<(&Deployment, &HookWait)> {
        let d = self.in_flight()?;
        d.hook.as_ref().filter(|h| h.is_paused()).map(|h| (d, h))
    }

    pub fn revision(&self, number: u32) -> Option<&Revision> {
        self.revisions.iter().find(|r| r.number == number)
    }

    /// The default rollback target: the revision of the last successful deployment that is not
    /// the one running now ("previous revision" may itself be a bad build that never succeeded).
    pub fn last_good_revision(&self) -> Option<&Revision> {
        let current = self.current_number();
        let good = self
            .deployments
            .iter()
            .filter(|d| d.succeeded())
            .filter_map(|d| d.task_definition.as_deref().and_then(revision_number))
            .find(|n| Some(*n) != current);
        // Never "some lower revision": without a deployment that succeeded with it, a revision may
        // be a build that never ran, so the user names the target instead.
        good.and_then(|n| self.revision(n))
    }

    /// The revision number the service runs now.
    pub fn current_number(&self) -> Option<u32> {
        revision_number(&self.task_definition)
    }

    /// One word for lists: paused, rolling back, in flight, failed, frozen, stable.
    pub fn state_label(&self) -> String {
        if self.paused() {
            return "PAUSED".into();
        }
        if let Some(d) = self.in_flight() {
            return match d.status.as_str() {
                s if s.starts_with("ROLLBACK") => "ROLLING BACK".into(),
                "STOP_REQUESTED" => "STOPPING".into(),
                _ => format!("DEPLOYING {}%", d.progress()),
            };
        }
        if self.deployments.first().is_some_and(Deployment::failed) {
            return "FAILED".into();
        }
        if self.frozen() {
            return "FROZEN".into();
        }
        "stable".into()
    }
}

/// `app:42` or `arn:...:task-definition/app:42` → 42.
/// `family:revision` of a task definition ARN (or of a name already in that form), sanitized.
pub fn family_revision(arn: &str) -> String {
    let tail = arn.rsplit_once('/').map(|(_, t)| t).unwrap_or(arn);
    crate::sanitize::clean(tail)
}

pub fn revision_number(task_definition: &str) -> Option<u32> {
    task_definition.rsplit_once(':').and_then(|(_, n)| n.parse().ok())
}

/// `app:42` → `app:7`: the same family at another revision.
pub fn with_revision(task_definition: &str, number: u32) -> String {
    let family = task_definition.rsplit_once(':').map(|(f, _)| f).unwrap_or(task_definition);
    format!("{family}:{number}")
}

/// The tag (or digest) of an image reference, for narrow columns: `repo/app:2026.11.3` → `2026.11.3`.
pub fn image_tag(image: &str) -> &str {
    if let Some((_, digest)) = image.rsplit_once('@') {
        return digest;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    last.rsplit_once(':').map(|(_, tag)| tag).unwrap_or(last)
}

/// The one thing to know about a tenant's deployment, in a line.
pub fn detail(s: &DeployStatus, now: DateTime<Utc>) -> String {
    use crate::format::age;
    if let Some((_, hook)) = s.waiting_hook() {
        let left = hook.expires_at.map(|t| format!("expires in {}", age(now, t))).unwrap_or_default();
        return format!("at hook {} {left} → {}", hook.hook_id, hook.timeout_action.as_deref().unwrap_or("?"));
    }
    if let Some(d) = s.in_flight() {
        let to = d.task_definition.as_deref().unwrap_or("?");
        return format!(
            "→ {to} {} {}",
            d.lifecycle_stage.as_deref().unwrap_or(""),
            d.circuit_breaker.as_deref().unwrap_or("")
        );
    }
    if let Some(d) = s.deployments.first().filter(|d| d.failed()) {
        return format!("{}: {}", d.status, d.status_reason.as_deref().unwrap_or(""));
    }
    if let Some(f) = &s.freeze {
        return format!("frozen: {}", f.reason);
    }
    if !s.pause_hook {
        return "no PAUSE hook".into();
    }
    String::new()
}

#[cfg(test)]
pub(crate) mod tests;
