//! The timeline screen's requests: opening it on a tenant (or on the alarm shown), reading it
//! again for another range or on `r`.

use super::{Action, App, Request, Screen};
use crate::screens::timeline::TimelineState;
use silo_core::role::Role;

/// Opens `account_id`'s timeline, around `alarm` when given, and reads it.
pub fn open(app: &mut App, account_id: String, alarm: Option<String>) -> Option<Action> {
    app.timeline = TimelineState::new(&account_id, alarm);
    app.screens.push(Screen::Timeline(account_id));
    request(app);
    None
}

/// `T`: the timeline of what is on screen: the alarm shown (with its suspects), else the tenant
/// shown or selected.
pub fn open_here(app: &mut App) -> Option<Action> {
    let here = match app.screen().clone() {
        Screen::AlarmDetail(account, alarm) => Some((account, Some(alarm))),
        Screen::Alarms => selected_alarm(app).map(|(account, alarm)| (account, Some(alarm))),
        Screen::Deployments => selected_deployment(app).map(|account| (account, None)),
        Screen::FindingDetail(id) => {
            app.store.all_findings().find(|f| f.id == id).map(|f| (f.account_id.clone(), None))
        }
        _ => app.selected_account().map(|account| (account, None)),
    };
    match here.filter(|(account, _)| app.store.tenants.contains_key(account)) {
        Some((account, alarm)) => Some(Action::OpenTimeline(account, alarm)),
        None => Some(Action::Status("select a tenant first: its timeline opens on T".into(), Role::Warning)),
    }
}

/// The alarm selected in `:alarms` (account id, name).
fn selected_alarm(app: &App) -> Option<(String, String)> {
    let ctx = app.ctx();
    let rows = crate::screens::alarms::visible(&ctx, &app.alarms);
    let keys: Vec<String> = rows.iter().map(|r| format!("{}/{}", r.account_id, r.name)).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    rows.get(app.alarms.list.selected_index(&keys)).map(|r| (r.account_id.clone(), r.name.clone()))
}

/// The tenant selected in `:deployments` (account id).
fn selected_deployment(app: &App) -> Option<String> {
    let ctx = app.ctx();
    let rows = crate::screens::deploy::visible(&ctx, &app.deploy);
    let keys: Vec<&str> = rows.iter().map(|r| r.account_id).collect();
    rows.get(app.deploy.list.selected_index(&keys)).map(|r| r.account_id.to_string())
}

/// `R` on the timeline: the next range, read again.
pub fn next_range(app: &mut App) -> Option<Action> {
    app.timeline.next_range();
    request(app);
    None
}

/// Reads the open timeline (its tenant, alarm and range) again.
pub fn request(app: &mut App) {
    app.store.timeline.start_loading();
    let state = &app.timeline;
    let request =
        Request::Timeline { account_id: state.account_id.clone(), alarm: state.alarm.clone(), hours: state.hours };
    app.outbox.push(request);
}
