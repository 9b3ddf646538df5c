//! What a deployment plan says of the customer's terms (its window, its certified versions).

use super::{certified, standing, Standing};
use crate::model::Tenant;
use chrono::{DateTime, Utc};

/// What a deployment plan says of the customer's terms: whether its window is open and whether
/// the version the plan moves to is certified. Said, not enforced: rolling back to the last good
/// revision during an incident stays one step.
pub fn annotate(
    mut plan: crate::plan::ActionPlan,
    tenant: &Tenant,
    status: &crate::deploy::DeployStatus,
    now: DateTime<Utc>,
) -> crate::plan::ActionPlan {
    let s = standing(tenant);
    plan.detail.push(format!("window:     {}", window_line(&s, now)));
    if let Some(line) = version_line(&s, target_version(&plan, status).as_deref()) {
        plan.detail.push(format!("version:    {line}"));
    }
    plan
}

fn window_line(s: &Standing, now: DateTime<Utc>) -> String {
    match &s.window {
        None => "none stated for this customer".into(),
        Some(Err(why)) => why.clone(),
        Some(Ok(w)) if w.open_at(now).is_some() => format!("{} ({})", w.label(now), w.text()),
        Some(Ok(w)) => format!("CLOSED, {} ({}): outside the time the customer agreed", w.label(now), w.text()),
    }
}

fn version_line(s: &Standing, version: Option<&str>) -> Option<String> {
    let listed = s.certified.as_ref().and_then(|c| c.as_ref().ok()).map(|c| c.patterns.join(" "));
    match (s.certified_ok(version), version) {
        (Some(true), Some(v)) => Some(format!("{v} is certified by the customer")),
        (Some(false), Some(v)) => Some(format!(
            "{v} is NOT certified by the customer (certified: {})",
            listed.unwrap_or_else(|| "unreadable".into())
        )),
        _ => None,
    }
}

/// The version an UpdateService plan moves to: the image tag of its revision.
fn target_version(plan: &crate::plan::ActionPlan, status: &crate::deploy::DeployStatus) -> Option<String> {
    let wanted = plan.parameters.get("taskDefinition")?.as_str()?;
    let revision = status.revisions.iter().find(|r| r.task_definition_arn == wanted || r.task_definition == wanted)?;
    certified::version_of(&revision.image)
}
