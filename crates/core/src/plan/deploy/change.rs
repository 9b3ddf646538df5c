//! What a deployment action changes, as the data layer carries it out.

use serde::Serialize;

/// The change a deployment action makes; the data layer carries it out with the operator role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum DeployChange {
    /// ecs:StopServiceDeployment with stopType ROLLBACK (a deployment in flight).
    StopRollback { deployment_arn: String },
    /// ecs:ContinueServiceDeployment at a waiting lifecycle hook, CONTINUE or ROLLBACK.
    ContinueHook { deployment_arn: String, hook_id: String, action: String },
    /// ecs:UpdateService to an earlier task definition. `from` is the task definition the plan
    /// saw; the data layer refuses when the service runs anything else right before the call.
    UpdateService { cluster: String, service: String, from: String, to: String },
    /// codepipeline:DisableStageTransition (inbound) with the reason.
    Freeze { pipeline: String, stage: String, reason: String },
    /// codepipeline:EnableStageTransition (inbound). `frozen_at` is when the freeze the plan saw
    /// was set: the data layer re-reads the transition first and refuses when it changed since
    /// (another operator's newer freeze is not lifted unseen).
    Unfreeze { pipeline: String, stage: String, frozen_at: Option<chrono::DateTime<chrono::Utc>> },
}
