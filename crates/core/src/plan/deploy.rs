//! Pause, resume and roll back as exact API calls, decided from a tenant's `DeployStatus`. Every
//! refusal says why and what would work instead; nothing here calls AWS.

pub mod change;

use super::action::{ActionKind, ActionPlan, PlanError, Target};
use crate::deploy::{DeployStatus, Revision};
pub use change::DeployChange;

/// What a pause asks for: an action, or nothing because the deployment already waits.
#[derive(Debug, Clone, PartialEq)]
pub enum Planned {
    Action(Box<ActionPlan>),
    /// No call is needed; the text says why (shown, and journaled as a dry run by the CLI).
    Nothing(String),
}

/// Keep a waiting deployment paused and freeze the next ones at the pipeline stage.
pub fn pause(status: &DeployStatus, reason: &str) -> Result<Planned, PlanError> {
    let held = status.waiting_hook().map(|(_, h)| {
        let until = h.expires_at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or("its timeout".into());
        let then = h.timeout_action.as_deref().unwrap_or("its timeout action");
        format!("the deployment waits at PAUSE hook {} until {until}, then ECS will {then}", h.hook_id)
    });
    match (&status.pipeline, status.frozen(), held) {
        (Some(_), true, held) => {
            let reason = status.freeze.as_ref().map(|f| f.reason.as_str()).unwrap_or("");
            let extra = held.map(|h| format!("; {h}")).unwrap_or_default();
            Ok(Planned::Nothing(format!("{} is already frozen ({reason:?}){extra}; no call needed", status.tenant)))
        }
        (Some(stage), false, held) => freeze(status, stage, reason, held).map(|p| Planned::Action(Box::new(p))),
        (None, _, Some(held)) => Ok(Planned::Nothing(format!(
            "{held}; no call needed. To also hold the next deployments, configure [tenants] pipeline and pipeline_stage"
        ))),
        (None, _, None) => Err(PlanError::Invalid(cannot_pause(status))),
    }
}

fn cannot_pause(status: &DeployStatus) -> String {
    let hook = if status.pause_hook {
        "its deployments pause at the PAUSE hook when they reach it, but none waits there now"
    } else {
        "its ECS service has no PAUSE lifecycle hook"
    };
    let shared = status.notes.iter().find(|n| n.contains(crate::deploy::SHARED_PIPELINE));
    match shared {
        Some(note) => format!("cannot pause {}: {hook}, and its {note}", status.tenant),
        None => format!(
            "cannot pause {}: {hook}, and no pipeline stage is configured to freeze ([tenants] pipeline, pipeline_stage); see docs/deployments.md",
            status.tenant
        ),
    }
}

fn freeze(
    status: &DeployStatus,
    stage: &crate::deploy::PipelineStage,
    reason: &str,
    held: Option<String>,
) -> Result<ActionPlan, PlanError> {
    let reason = freeze_reason(reason)?;
    let parameters = serde_json::json!({
        "pipelineName": stage.pipeline, "stageName": stage.stage, "transitionType": "Inbound", "reason": reason,
    });
    let mut detail =
        vec![format!("freeze:     new deployments wait before stage {:?} of {}", stage.stage, stage.pipeline)];
    detail.extend(held.map(|h| format!("in flight:  {h}")));
    let change = DeployChange::Freeze { pipeline: stage.pipeline.clone(), stage: stage.stage.clone(), reason };
    let p = plan(status, change, "codepipeline:DisableStageTransition", parameters, detail, &stage.account_id);
    Ok(p.summarized(format!("freeze {}/{}", stage.pipeline, stage.stage)))
}

/// The reason as DisableStageTransition takes it, checked before any confirmation: 1 to 300
/// characters of `[a-zA-Z0-9!@ \(\)\.\*\?\-]` (CodePipeline API model, `DisabledReason`).
/// AWS would refuse anything else after the operator confirmed, so it is refused here, naming
/// the characters.
pub fn freeze_reason(reason: &str) -> Result<String, PlanError> {
    let reason = crate::sanitize::clean(reason).trim().to_string();
    if reason.is_empty() {
        return Err(PlanError::Invalid("a reason is required (--reason): it is shown on the pipeline stage".into()));
    }
    if reason.chars().count() > 300 {
        return Err(PlanError::Invalid("the reason is longer than CodePipeline's 300 characters".into()));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || " !@().*?-".contains(c);
    let mut refused: Vec<char> = Vec::new();
    for c in reason.chars().filter(|c| !allowed(*c)) {
        if !refused.contains(&c) {
            refused.push(c);
        }
    }
    if refused.is_empty() {
        return Ok(reason);
    }
    let shown: Vec<String> = refused.iter().map(|c| format!("{c:?}")).collect();
    Err(PlanError::Invalid(format!(
        "CodePipeline takes only letters a-z and A-Z, digits, spaces and ! @ ( ) . * ? - in a freeze reason; \
         not {} (write the rest in the journal's reason)",
        shown.join(" ")
    )))
}

/// Continue a deployment waiting at its PAUSE hook, or lift the freeze.
pub fn resume(status: &DeployStatus) -> Result<ActionPlan, PlanError> {
    if let Some((deployment, hook)) = status.waiting_hook() {
        return Ok(continue_hook(status, &deployment.id, &hook.hook_id, "CONTINUE"));
    }
    match (&status.pipeline, status.frozen()) {
        (Some(stage), true) => {
            let parameters = serde_json::json!({
                "pipelineName": stage.pipeline, "stageName": stage.stage, "transitionType": "Inbound",
            });
            let mut detail =
                vec![format!("unfreeze:   deployments pass into stage {:?} of {} again", stage.stage, stage.pipeline)];
            detail.extend(status.freeze.as_ref().map(frozen_by));
            let change = DeployChange::Unfreeze {
                pipeline: stage.pipeline.clone(),
                stage: stage.stage.clone(),
                frozen_at: status.freeze.as_ref().and_then(|f| f.at),
            };
            let p = plan(status, change, "codepipeline:EnableStageTransition", parameters, detail, &stage.account_id);
            Ok(p.summarized(format!("lift the freeze on {}/{}", stage.pipeline, stage.stage)))
        }
        _ => Err(PlanError::Invalid(format!(
            "nothing to resume for {}: no deployment waits at a PAUSE hook and its deployments are not frozen",
            status.tenant
        ))),
    }
}

/// Who froze the stage, when and why, as the plan shows it.
fn frozen_by(freeze: &crate::deploy::Freeze) -> String {
    let at = freeze.at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_else(|| "an unknown time".into());
    let by = freeze.by.as_deref().unwrap_or("someone unknown");
    format!("frozen:     by {by} at {at}: {:?}", freeze.reason)
}

fn continue_hook(status: &DeployStatus, deployment: &str, hook: &str, action: &str) -> ActionPlan {
    let parameters = serde_json::json!({ "serviceDeploymentArn": deployment, "hookId": hook, "action": action });
    let detail = vec![format!("deployment: {deployment}"), format!("hook:       {hook} → {action}")];
    let change =
        DeployChange::ContinueHook { deployment_arn: deployment.into(), hook_id: hook.into(), action: action.into() };
    let p = plan(status, change, "ecs:ContinueServiceDeployment", parameters, detail, &status.account_id);
    p.summarized(format!("{} at hook {hook}", action.to_lowercase()))
}

/// Roll back: the deployment in flight (stop with rollback, or roll back at its hook), or a
/// completed one by updating the service to `to` (default: the last good revision).
pub fn rollback(status: &DeployStatus, to: Option<u32>) -> Result<ActionPlan, PlanError> {
    if let Some(deployment) = status.in_flight() {
        if let Some(n) = to {
            return Err(PlanError::Invalid(format!(
                "a deployment is in flight for {} ({}): roll it back first (without a revision) or wait for it to end before going to revision {n}",
                status.tenant, deployment.status
            )));
        }
        return rollback_in_flight(status, deployment);
    }
    let target = match to {
        Some(n) => status.revision(n).ok_or_else(|| unknown_revision(status, n))?,
        None => status.last_good_revision().ok_or_else(|| no_known_good(status))?,
    };
    update_service(status, target)
}

fn rollback_in_flight(status: &DeployStatus, deployment: &crate::deploy::Deployment) -> Result<ActionPlan, PlanError> {
    if matches!(deployment.status.as_str(), "ROLLBACK_REQUESTED" | "ROLLBACK_IN_PROGRESS" | "STOP_REQUESTED") {
        return Err(PlanError::Invalid(format!(
            "{}'s deployment is already {}: nothing to do but wait",
            status.tenant, deployment.status
        )));
    }
    if let Some((_, hook)) = status.waiting_hook() {
        return Ok(continue_hook(status, &deployment.id, &hook.hook_id, "ROLLBACK"));
    }
    if !deployment.id.starts_with("arn:") {
        return Err(PlanError::Invalid(format!(
            "{}'s deployment in flight ({}) has no service deployment ARN because ListServiceDeployments is unavailable; wait for it to end or for its circuit breaker, then roll back to a revision",
            status.tenant, deployment.id
        )));
    }
    let parameters = serde_json::json!({ "serviceDeploymentArn": deployment.id, "stopType": "ROLLBACK" });
    let to = deployment.task_definition.clone().unwrap_or_else(|| "?".into());
    let detail = vec![
        format!("deployment: {} ({}, to {to})", deployment.id, deployment.status),
        format!("change:     stop it; ECS returns the service to {}", status.task_definition),
    ];
    let change = DeployChange::StopRollback { deployment_arn: deployment.id.clone() };
    let p = plan(status, change, "ecs:StopServiceDeployment", parameters, detail, &status.account_id);
    Ok(p.summarized(format!("stop the deployment to {to}, back to {}", status.task_definition)))
}

/// No earlier revision is known to have run well: the target must be named.
fn no_known_good(status: &DeployStatus) -> PlanError {
    let known: Vec<String> = status.revisions.iter().map(|r| r.task_definition.clone()).collect();
    let from = match status.history_source.as_str() {
        "service_deployments" => "its deployment history",
        _ => "DescribeServices (ListServiceDeployments is unavailable, so the history is not known)",
    };
    PlanError::Invalid(format!(
        "no earlier revision of {} is known from {from} to have been deployed successfully; choose the revision: \
         --to-revision N (in the TUI, the revision picker); revisions: {}",
        status.tenant,
        if known.is_empty() { "none".into() } else { known.join(", ") }
    ))
}

fn unknown_revision(status: &DeployStatus, n: u32) -> PlanError {
    let known: Vec<String> = status.revisions.iter().map(|r| r.number.to_string()).collect();
    PlanError::Invalid(format!(
        "revision {n} is not one {} can go back to; known revisions: {}",
        status.tenant,
        if known.is_empty() { "none".into() } else { known.join(", ") }
    ))
}

fn update_service(status: &DeployStatus, target: &Revision) -> Result<ActionPlan, PlanError> {
    if Some(target.number) == status.current_number() {
        return Err(PlanError::Invalid(format!("{} already runs {}", status.tenant, target.task_definition)));
    }
    let parameters = serde_json::json!({
        "cluster": status.cluster, "service": status.service, "taskDefinition": target.task_definition_arn,
    });
    let detail = vec![
        format!("from:       {} (image {})", status.task_definition, crate::deploy::image_tag(&status.image)),
        format!(
            "to:         {} (image {}, registered {})",
            target.task_definition,
            crate::deploy::image_tag(&target.image),
            created(target)
        ),
    ];
    let change = DeployChange::UpdateService {
        cluster: status.cluster.clone(),
        service: status.service.clone(),
        from: status.task_definition.clone(),
        to: target.task_definition_arn.clone(),
    };
    let p = plan(status, change, "ecs:UpdateService", parameters, detail, &status.account_id);
    Ok(p.summarized(format!("{} → {}", status.task_definition, target.task_definition)))
}

fn created(r: &Revision) -> String {
    r.created_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "date unknown".into())
}

fn plan(
    status: &DeployStatus,
    change: DeployChange,
    api: &str,
    parameters: serde_json::Value,
    detail: Vec<String>,
    account: &str,
) -> ActionPlan {
    let mut lines = vec![format!("service:    {}/{}", status.cluster, status.service)];
    lines.extend(detail);
    ActionPlan {
        kind: ActionKind::Deploy(change),
        targets: vec![Target {
            id: status.service_arn.clone(),
            product: status.cluster.clone(),
            account_id: status.account_id.clone(),
            tenant: Some(status.tenant.clone()),
        }],
        account: account.to_string(),
        region: status.region.clone(),
        api: api.to_string(),
        parameters,
        detail: lines,
        summary: String::new(),
        read_at: None,
        overrides: Vec::new(),
    }
}

impl ActionPlan {
    fn summarized(mut self, summary: String) -> ActionPlan {
        self.summary = summary;
        self
    }
}

/// What the user types to confirm a fleet-wide rollback: the count is part of it.
pub fn batch_confirmation(plans: &[ActionPlan]) -> String {
    format!("roll back {} tenants", plans.len())
}

#[cfg(test)]
mod tests;
