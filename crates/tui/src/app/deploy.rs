//! Deployments beyond one screen: following a tenant's deployment after an action until it ends
//! (re-read every 5 s, the footer says how it ended), fleet-wide sequences, and turning a
//! deployment action into its plan and confirmation.

use super::{Action, App};
use crate::action::{DeployOp, Request};
use crate::modals::confirm::ConfirmState;
use crate::modals::reason::{ReasonFor, ReasonState};
use crate::modals::revision_picker::PickerState;
use crate::modals::Modal;
use chrono::{DateTime, Utc};
use silo_core::plan::deploy::Planned;
use silo_core::plan::terms::Overrides;
use silo_core::plan::{ActionKind, ActionPlan, PlanError, SequenceStep, StepOutcome};
use silo_core::role::Role;

/// Remembers the tenant of a deployment action so its deployment is followed (of a schedule
/// action, so its schedules are read again when it ends); returns what the footer says it runs on.
pub fn start_following(app: &mut App, plan: &ActionPlan) -> String {
    let tenant = plan.tenants().into_iter().flatten().next().unwrap_or_default();
    let account = plan.targets.first().map(|t| t.account_id.clone());
    match (&plan.kind, account) {
        (ActionKind::Deploy(_), Some(account)) => drop(app.views.deploy.following.insert(account, app.now)),
        // Nothing runs until a schedule fires: its tenant's schedules are re-read when the call ends.
        (ActionKind::Schedule(_), Some(account)) => app.views.rollouts.changing.push(account),
        (ActionKind::Deploy(_) | ActionKind::Schedule(_), None)
        | (
            ActionKind::FindingStatus { .. } | ActionKind::GuardDutyArchive { .. } | ActionKind::AthenaStatement { .. },
            _,
        ) => {}
    }
    tenant
}

pub fn start_sequence(app: &mut App, plans: &[ActionPlan]) {
    for plan in plans {
        start_following(app, plan);
    }
    app.views.deploy.marked.clear();
    app.views.rollouts.marked.clear();
    app.store.sequence = None;
    let doing = if scheduling(plans.first().map(|p| p.api.as_str())) { "scheduling" } else { "rolling back" };
    app.status = Some((format!("{doing} {} tenants in order…", plans.len()), Role::Muted));
}

pub fn sequence_finished(app: &mut App, results: &[SequenceStep]) {
    super::quitting::action_ended(app);
    super::rollouts::reread_changed(app);
    let done = results.iter().filter(|r| matches!(r.outcome, StepOutcome::Done(_))).count();
    let failed = results.iter().find(|r| matches!(r.outcome, StepOutcome::Failed(_)));
    let what = if scheduling(results.first().map(|r| r.api.as_str())) { "scheduling" } else { "fleet rollback" };
    let verb = if what == "scheduling" { "scheduled" } else { "rolled back" };
    app.status = Some(match failed {
        None => (format!("{what}: {done} of {} tenants {verb}", results.len()), Role::Ok),
        Some(f) => (format!("{what} stopped at {} after {done} of {}", f.tenant, results.len()), Role::Error),
    });
    app.request_refresh(true);
    follow_now(app);
}

/// Whether a sequence creates schedules (rather than rolling back deployments).
fn scheduling(api: Option<&str>) -> bool {
    api.is_some_and(|a| a.starts_with("scheduler:"))
}

/// Re-reads every followed tenant's deployment now (an action just ended).
pub fn follow_now(app: &mut App) {
    let accounts: Vec<String> = app.views.deploy.following.keys().cloned().collect();
    for account in accounts {
        app.request_deployments(Some(&account));
    }
}

/// Every 5 s: re-read followed deployments; stop following once one has ended.
pub fn follow_tick(app: &mut App, now: DateTime<Utc>) {
    let followed: Vec<(String, DateTime<Utc>)> =
        app.views.deploy.following.iter().map(|(a, t)| (a.clone(), *t)).collect();
    for (account, since) in followed {
        let loadable = app.store.deployments.get(&account);
        let fresh = loadable.and_then(|l| l.last()).filter(|l| l.at > since + chrono::Duration::seconds(1));
        match fresh {
            Some(l) if l.value.in_flight().is_none() => {
                let ended = l.value.deployments.first().map(|d| d.status.clone()).unwrap_or_default();
                let text =
                    format!("{}: deployment ended ({ended}), running {}", l.value.tenant, l.value.task_definition);
                app.status = Some((text, Role::Ok));
                app.views.deploy.following.remove(&account);
            }
            _ if loadable.is_some_and(|l| l.is_loading()) => {}
            _ if (now - loadable.and_then(|l| l.last()).map(|l| l.at).unwrap_or(since)).num_seconds() >= 5 => {
                app.request_deployments(Some(&account));
            }
            _ => {}
        }
    }
}

/// The plan (or refusal) of `op` on the tenant, from its loaded deployments, going past the
/// customer's terms only as far as `given` says.
pub fn plan_for(app: &App, account_id: &str, op: &DeployOp, given: &Overrides) -> Result<Planned, PlanError> {
    let loadable = app.store.deployments.get(account_id);
    let Some(last) = loadable.and_then(|l| l.last()) else {
        let why = loadable.and_then(|l| l.error()).map(|e| e.message.clone());
        return Err(PlanError::Invalid(why.unwrap_or_else(|| "its deployments are not loaded yet".into())));
    };
    use silo_core::plan::deploy as p;
    let status = &last.value;
    let plan = match op {
        DeployOp::Pause { reason } => p::pause(status, reason),
        DeployOp::Resume => p::resume(status).map(|a| Planned::Action(Box::new(a))),
        DeployOp::Rollback { to } => p::rollback(status, *to).map(|a| Planned::Action(Box::new(a))),
    };
    // The plan carries the age of what it was built from (a failed re-read leaves an old value)
    // and what the customer agreed (window, certified versions).
    let tenant = app.store.tenants.get(account_id).map(|r| r.tenant.clone());
    let terms = |a: ActionPlan| match &tenant {
        Some(t) => silo_core::plan::terms::check(a, t, status, app.now, given, &app.scans()),
        None => Ok(a),
    };
    match plan? {
        Planned::Action(a) => Ok(Planned::Action(Box::new(terms(a.read_at(last.at))?))),
        nothing @ Planned::Nothing(_) => Ok(nothing),
    }
}

/// Shows the plan for confirmation, asks for a reason when it goes past the customer's terms,
/// or says why there is nothing to confirm.
pub fn plan(app: &mut App, account_id: &str, op: DeployOp, given: Overrides) -> Option<Action> {
    let tenant = app.store.tenants.get(account_id).map(|r| r.tenant.name.clone()).unwrap_or_default();
    match plan_for(app, account_id, &op, &given) {
        Ok(Planned::Action(plan)) => {
            app.modals.push(Modal::Confirm(ConfirmState::new(*plan, &app.store.shared_names())))
        }
        Ok(Planned::Nothing(text)) => app.status = Some((text, Role::Ok)),
        Err(PlanError::NeedsOverride { tenant, problems, terms }) => {
            let problems = problems.iter().map(|p| format!("{tenant}: {p}")).collect();
            let purpose = ReasonFor::Override { op, terms, problems };
            app.modals.push(Modal::Reason(ReasonState::with_purpose(account_id, purpose)));
        }
        Err(e) => app.status = Some((format!("cannot act on {tenant}: {e}"), Role::Error)),
    }
    None
}

/// The revision picker of a tenant whose deployments are loaded.
pub fn pick_revision(app: &mut App, account_id: &str) -> Option<Action> {
    let status = app.store.deployments.get(account_id).and_then(|l| l.value())?;
    app.modals.push(Modal::RevisionPicker(PickerState::new(account_id, status)));
    None
}

/// Runs confirmed plans in order, following each tenant's deployment.
pub fn execute_sequence(app: &mut App, plans: Vec<ActionPlan>) -> Option<Action> {
    start_sequence(app, &plans);
    super::quitting::action_sent(app);
    app.outbox.push(Request::ExecuteSequence(plans));
    None
}
