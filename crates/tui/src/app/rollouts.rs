//! Scheduled updates from `:rollouts`: the marked tenants (or the selected one) to the newest
//! revision of their family at their next window, or cancelling the selected tenant's soonest
//! schedule, planned from what the store holds and shown for the typed confirmation like every
//! action; plans past the customers' terms ask for one reason first.

use super::{Action, App};
use crate::action::ScheduleAsk;
use crate::modals::confirm::ConfirmState;
use crate::modals::reason::{ReasonFor, ReasonState};
use crate::modals::schedule_form::ScheduleForm;
use crate::modals::Modal;
use silo_core::plan::schedule::{self, Request, When};
use silo_core::plan::terms::Overrides;
use silo_core::plan::{ActionPlan, PlanError, Term};
use silo_core::role::Role;
use silo_core::terms::schedule::parse_when;

/// What planning the tenants gave: plans, the terms they need overridden, what refused.
#[derive(Default)]
struct Planned {
    plans: Vec<ActionPlan>,
    terms: Vec<Term>,
    overrides_needed: Vec<String>,
    refused: Vec<String>,
    reading: bool,
}

/// Asks which revision and when; reads what the plan will need meanwhile.
pub fn ask(app: &mut App, accounts: Vec<String>) -> Option<Action> {
    let unread: Vec<silo_core::model::Tenant> = accounts
        .iter()
        .filter_map(|a| app.store.tenants.get(a).map(|r| r.tenant.clone()))
        .filter(|t| read(app, t).ok().flatten().is_none())
        .collect();
    for tenant in &unread {
        read_first(app, tenant);
    }
    let revisions = match accounts.as_slice() {
        [one] => app.store.deployments.get(one).and_then(|l| l.value()).map(newest_first).unwrap_or_default(),
        _ => Vec::new(),
    };
    app.modals.push(Modal::ScheduleForm(ScheduleForm::new(accounts, revisions)));
    None
}

/// A schedule form opened before its tenant's revisions were read offers them once they are.
pub fn fill_form(app: &mut App) {
    let Some(Modal::ScheduleForm(form)) = app.modals.last() else { return };
    let [account] = form.accounts.as_slice() else { return };
    if !form.revisions.is_empty() {
        return;
    }
    let revisions = app.store.deployments.get(account).and_then(|l| l.value()).map(newest_first);
    if let (Some(revisions), Some(Modal::ScheduleForm(form))) = (revisions, app.modals.last_mut()) {
        form.revisions = revisions;
    }
}

/// The family's registered revisions, newest first.
fn newest_first(status: &silo_core::deploy::DeployStatus) -> Vec<u32> {
    let mut numbers: Vec<u32> = status.revisions.iter().map(|r| r.number).collect();
    numbers.sort_by(|a, b| b.cmp(a));
    numbers
}

/// Plans each tenant's update as asked: a revision (or the newest), at a time (or the next window).
pub fn plan_schedules(app: &mut App, ask: ScheduleAsk, given: Overrides) -> Option<Action> {
    let planned = plan_each(app, &ask, &given);
    if planned.reading {
        app.views.rollouts.pending = Some(ask);
        app.status = Some(("reading the revisions and schedules; the plan follows".into(), Role::Muted));
    } else if !planned.refused.is_empty() {
        app.status = Some((format!("cannot schedule: {}", planned.refused.join("; ")), Role::Error));
    } else if !planned.terms.is_empty() {
        let first = ask.accounts.first().cloned().unwrap_or_default();
        let purpose = ReasonFor::ScheduleOverride { ask, terms: planned.terms, problems: planned.overrides_needed };
        app.modals.push(Modal::Reason(ReasonState::with_purpose(&first, purpose)));
    } else {
        confirm(app, planned.plans);
    }
    None
}

fn plan_each(app: &mut App, ask: &ScheduleAsk, given: &Overrides) -> Planned {
    let mut planned = Planned::default();
    for account_id in &ask.accounts {
        match schedule_plan(app, account_id, ask, given) {
            Ok(Some(plan)) => planned.plans.push(plan),
            Ok(None) => planned.reading = true,
            Err(PlanError::NeedsOverride { tenant, problems, terms }) => {
                planned.terms.extend(terms);
                planned.overrides_needed.extend(problems.iter().map(|p| format!("{tenant}: {p}")));
            }
            Err(e) => planned.refused.push(e.to_string()),
        }
    }
    planned.terms.sort_by_key(|t| t.flag());
    planned.terms.dedup();
    planned
}

fn confirm(app: &mut App, plans: Vec<ActionPlan>) {
    match plans.len() {
        0 => {}
        1 => app
            .modals
            .extend(plans.into_iter().map(|p| Modal::Confirm(ConfirmState::new(p, &app.store.shared_names())))),
        _ => app.modals.push(Modal::Confirm(ConfirmState::batch(plans))),
    }
}

/// The plan, or None while what it needs is read (it follows then).
fn schedule_plan(
    app: &mut App,
    account_id: &str,
    ask: &ScheduleAsk,
    given: &Overrides,
) -> Result<Option<ActionPlan>, PlanError> {
    let Some(tenant) = app.store.tenants.get(account_id).map(|r| r.tenant.clone()) else {
        return Err(PlanError::Invalid("no tenant selected".into()));
    };
    let Some((status, read_at, existing)) = read(app, &tenant)? else {
        read_first(app, &tenant);
        return Ok(None);
    };
    let Some(to_revision) = ask.to_revision.or_else(|| status.revisions.iter().map(|r| r.number).max()) else {
        return Err(PlanError::Invalid(format!("{} has no registered revision to move to", tenant.name)));
    };
    let when = match &ask.at {
        Some(text) => When::At(parse_when(text, schedule::zone(&tenant)).map_err(PlanError::Invalid)?),
        None => When::NextWindow,
    };
    let role = app.session.scheduler_role.clone();
    let request = Request {
        tenant: &tenant,
        status: &status,
        existing: &existing,
        to_revision,
        when,
        overrides: given,
        role: &role,
        now: app.now,
        scans: app.scans(),
    };
    Ok(Some(schedule::create(&request)?.read_at(read_at)))
}

type Read =
    (silo_core::deploy::DeployStatus, chrono::DateTime<chrono::Utc>, Vec<silo_core::terms::schedule::ScheduledUpdate>);

/// The tenant's deployments (with when they were read) and schedules; None until both are read;
/// Err when a read failed with nothing read before it.
fn read(app: &App, tenant: &silo_core::model::Tenant) -> Result<Option<Read>, PlanError> {
    let deployments = app.store.deployments.get(&tenant.account_id);
    if let Some(e) = deployments.filter(|l| l.last().is_none()).and_then(|l| l.error()) {
        return Err(PlanError::Invalid(format!("{}'s deployments cannot be read: {}", tenant.name, e.message)));
    }
    let schedules = app.store.scheduled.get(&tenant.account_id);
    if let Some(e) = schedules.filter(|l| l.value().is_none()).and_then(|l| l.error()) {
        return Err(PlanError::Invalid(format!("{}'s schedules cannot be read: {}", tenant.name, e.message)));
    }
    let status = deployments.and_then(|l| l.last()).map(|l| (l.value.clone(), l.at));
    let existing = schedules.and_then(|l| l.value()).cloned();
    Ok(status.zip(existing).map(|((status, at), existing)| (status, at, existing)))
}

/// Reads what the plan needs (the revisions, the schedules); the plan follows once they are in.
fn read_first(app: &mut App, tenant: &silo_core::model::Tenant) {
    if !app.store.deployments.get(&tenant.account_id).is_some_and(|l| l.is_loading()) {
        app.request_deployments(Some(&tenant.account_id));
    }
    if !app.store.scheduled.get(&tenant.account_id).is_some_and(|l| l.is_loading()) {
        app.request_scheduled_of(&tenant.account_id);
    }
}

/// The plans asked for before their data was read, once it is in (or failed).
pub fn pending_ready(app: &mut App) -> Option<Action> {
    let accounts = app.views.rollouts.pending.as_ref()?.accounts.clone();
    let loading = |l: Option<bool>| l.unwrap_or(true);
    let waiting = accounts.iter().any(|a| {
        loading(app.store.deployments.get(a).map(|l| l.is_loading()))
            || loading(app.store.scheduled.get(a).map(|l| l.is_loading()))
    });
    if waiting {
        return None;
    }
    Some(Action::PlanSchedule(app.views.rollouts.pending.take()?, Overrides::default()))
}

/// After a schedule action: its tenants' schedules are read again (`:rollouts`, the card).
pub fn reread_changed(app: &mut App) {
    for account_id in std::mem::take(&mut app.views.rollouts.changing) {
        app.request_scheduled_of(&account_id);
    }
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
        Ok(plan) => app.modals.push(Modal::Confirm(ConfirmState::new(plan, &app.store.shared_names()))),
        Err(e) => app.status = Some((format!("cannot cancel: {e}"), Role::Error)),
    }
    None
}
