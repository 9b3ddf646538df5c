//! Scheduled updates from `:rollouts`: the selected tenant's newest revision at its next window,
//! or cancelling its soonest schedule, planned from what the store holds and shown for the typed
//! confirmation like every action; a plan past the customer's terms asks for a reason first.

use super::{Action, App};
use crate::modals::confirm::ConfirmState;
use crate::modals::reason::{ReasonFor, ReasonState};
use crate::modals::Modal;
use silo_core::plan::schedule::{self, Request, When};
use silo_core::plan::terms::Overrides;
use silo_core::plan::PlanError;
use silo_core::role::Role;

/// Plans the tenant's update to the newest revision of its family at its next window.
pub fn plan_schedule(app: &mut App, account_id: &str, given: Overrides) -> Option<Action> {
    match schedule_plan(app, account_id, &given) {
        Ok(Some(plan)) => app.modals.push(Modal::Confirm(ConfirmState::new(plan))),
        Ok(None) => {}
        Err(PlanError::NeedsOverride { message, terms }) => {
            let purpose = ReasonFor::ScheduleOverride { terms, refusal: message };
            app.modals.push(Modal::Reason(ReasonState::with_purpose(account_id, purpose)));
        }
        Err(e) => app.status = Some((format!("cannot schedule: {e}"), Role::Error)),
    }
    None
}

/// The plan, or None while what it needs is read (it follows then).
fn schedule_plan(
    app: &mut App,
    account_id: &str,
    given: &Overrides,
) -> Result<Option<silo_core::plan::ActionPlan>, PlanError> {
    let Some(tenant) = app.store.tenants.get(account_id).map(|r| r.tenant.clone()) else {
        return Err(PlanError::Invalid("no tenant selected".into()));
    };
    let deployments = app.store.deployments.get(account_id);
    if let Some(e) = deployments.filter(|l| l.last().is_none()).and_then(|l| l.error()) {
        return Err(PlanError::Invalid(format!("{}'s deployments cannot be read: {}", tenant.name, e.message)));
    }
    let schedules = app.store.scheduled.get(account_id);
    if let Some(e) = schedules.filter(|l| l.value().is_none()).and_then(|l| l.error()) {
        return Err(PlanError::Invalid(format!("{}'s schedules cannot be read: {}", tenant.name, e.message)));
    }
    let existing = schedules.and_then(|l| l.value()).cloned();
    let status = deployments.and_then(|l| l.last()).map(|l| (l.value.clone(), l.at));
    let (Some(existing), Some((status, read_at))) = (existing, status) else {
        read_first(app, &tenant);
        return Ok(None);
    };
    let Some(newest) = status.revisions.iter().map(|r| r.number).max() else {
        return Err(PlanError::Invalid(format!("{} has no registered revision to move to", tenant.name)));
    };
    let role = app.scheduler_role.clone();
    let request = Request {
        tenant: &tenant,
        status: &status,
        existing: &existing,
        to_revision: newest,
        when: When::NextWindow,
        overrides: given,
        role: &role,
        now: app.now,
    };
    Ok(Some(schedule::create(&request)?.read_at(read_at)))
}

/// Reads what the plan needs (the revisions, the schedules) and plans once they are in.
fn read_first(app: &mut App, tenant: &silo_core::model::Tenant) {
    if !app.store.deployments.get(&tenant.account_id).is_some_and(|l| l.is_loading()) {
        app.request_deployments(Some(&tenant.account_id));
    }
    if !app.store.scheduled.get(&tenant.account_id).is_some_and(|l| l.is_loading()) {
        app.request_scheduled_of(&tenant.account_id);
    }
    app.rollouts.pending = Some(tenant.account_id.clone());
    app.status = Some((format!("reading {}'s revisions and schedules; the plan follows", tenant.name), Role::Muted));
}

/// The plan asked for before its data was read, once the data is in (or failed).
pub fn pending_ready(app: &mut App) -> Option<Action> {
    let account_id = app.rollouts.pending.clone()?;
    let loading = |l: Option<bool>| l.unwrap_or(true);
    let deployments = loading(app.store.deployments.get(&account_id).map(|l| l.is_loading()));
    let scheduled = loading(app.store.scheduled.get(&account_id).map(|l| l.is_loading()));
    if deployments || scheduled {
        return None;
    }
    app.rollouts.pending = None;
    Some(Action::PlanSchedule(account_id, Overrides::default()))
}

/// Plans deleting the tenant's soonest scheduled update.
pub fn plan_cancel(app: &mut App, account_id: &str) -> Option<Action> {
    let tenant = app.store.tenants.get(account_id).map(|r| r.tenant.clone())?;
    let existing = app.store.scheduled.get(account_id).and_then(|l| l.value()).cloned().unwrap_or_default();
    let Some(soonest) = existing.first() else {
        app.status = Some((format!("{} has no scheduled update to cancel", tenant.name), Role::Muted));
        return None;
    };
    match schedule::cancel(&tenant, &existing, &soonest.name) {
        Ok(plan) => app.modals.push(Modal::Confirm(ConfirmState::new(plan))),
        Err(e) => app.status = Some((format!("cannot cancel: {e}"), Role::Error)),
    }
    None
}
