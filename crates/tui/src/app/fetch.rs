//! Applying what the engine reports: every event goes to the store; a few also move the screen
//! (an action ended, the tenant list arrived, a refresh finished). One match, one arm per event.

use super::{deploy, queries, quitting, rollouts, Action, App, Request, Screen};
use crate::screens::audit::AuditState;
use silo_core::role::Role;
use silo_core::store::FetchEvent;
use silo_core::store::Loadable;

pub fn apply(app: &mut App, event: FetchEvent) -> Option<Action> {
    match event {
        FetchEvent::AuditJournal(entries) => {
            app.views.audit_log = AuditState { entries, selected: 0 };
            None
        }
        FetchEvent::ActionFinished { ref message, ok, .. } => {
            action_finished(app, message.clone(), ok);
            store(app, event)
        }
        FetchEvent::Identity(ref arn) => {
            app.banner.identity = Some(silo_core::sanitize::clean(arn));
            store(app, event)
        }
        FetchEvent::Notice { ref message, ok } => {
            app.status = Some((message.clone(), if ok { Role::Ok } else { Role::Error }));
            store(app, event)
        }
        FetchEvent::SequenceFinished { ref results, .. } => {
            deploy::sequence_finished(app, results);
            store(app, event)
        }
        FetchEvent::QueryStarted { run, .. } => {
            quitting::run_started(app, run);
            store(app, event)
        }
        FetchEvent::TenantsListed { result: Ok(_), .. } => {
            store(app, event);
            tenants_listed(app)
        }
        FetchEvent::QueryPage { run, .. } => {
            store(app, event);
            if app.screen() == &Screen::QueryRun(run) {
                queries::fetch_more_if_near_end(app, run);
            }
            None
        }
        FetchEvent::RefreshFinished { .. } => refresh_finished(app, event),
        FetchEvent::Deploy { .. } | FetchEvent::Scheduled { .. } => stored_for_a_plan(app, event),
        FetchEvent::RefreshStarted { .. }
        | FetchEvent::TenantsListed { result: Err(_), .. }
        | FetchEvent::TenantNaming { .. }
        | FetchEvent::ScanLimit { .. }
        | FetchEvent::Timeline { .. }
        | FetchEvent::Slot { .. }
        | FetchEvent::Findings { .. }
        | FetchEvent::Read { .. }
        | FetchEvent::Provisioned { .. }
        | FetchEvent::Outcomes { .. }
        | FetchEvent::Dashboard { .. }
        | FetchEvent::QueryProgress { .. }
        | FetchEvent::QueryStopped { .. }
        | FetchEvent::CostExplorer { .. }
        | FetchEvent::DetailsAsked { .. }
        | FetchEvent::Detail { .. } => store(app, event),
    }
}

/// Deployments and schedules may complete what a plan asked for before it could be made.
fn stored_for_a_plan(app: &mut App, event: FetchEvent) -> Option<Action> {
    app.store.apply(event);
    rollouts::fill_form(app);
    rollouts::pending_ready(app)
}

fn store(app: &mut App, event: FetchEvent) -> Option<Action> {
    app.store.apply(event);
    None
}

/// The footer says how it ended; the fleet is re-read and followed deployments with it.
fn action_finished(app: &mut App, message: String, ok: bool) {
    app.status = Some((message, if ok { Role::Ok } else { Role::Error }));
    app.request_refresh(true);
    if !ok {
        // Nothing changed: following would later report the old state as the end.
        app.views.deploy.following.clear();
    }
    deploy::follow_now(app);
    rollouts::reread_changed(app);
    quitting::action_ended(app);
}

/// The tenants are known: read deployments for a `:deployments` opened before them, and open the
/// tenant named with `--tenant`.
fn tenants_listed(app: &mut App) -> Option<Action> {
    if app.screen() == &Screen::Deployments {
        // Opened before the tenants were known (`--view deployments`): read them now.
        let unread = app.store.tenants.keys().any(|a| !app.store.deployments.contains_key(a));
        if unread {
            app.request_deployments(None);
        }
    }
    let name = app.pending_tenant.take()?;
    Some(Action::OpenTenantNamed(name))
}

/// A complete refresh is kept on disk, and Cost Explorer read when it is on and not read yet.
fn refresh_finished(app: &mut App, event: FetchEvent) -> Option<Action> {
    store(app, event);
    if app.store.tenant_list.error().is_none() {
        app.snapshot_at = None;
        app.outbox.push(Request::SaveSnapshot);
    }
    if app.session.cost_explorer && matches!(app.store.cost_explorer, Loadable::Idle) {
        app.request_cost_explorer();
    }
    None
}
