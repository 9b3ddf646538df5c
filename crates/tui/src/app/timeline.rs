//! The timeline screen's requests: opening it on a tenant (or on the alarm shown), reading it
//! again for another range or on `r`.

use super::{Action, App, Request, Screen};
use crate::screens::timeline::TimelineState;
use silo_core::role::Role;

/// Opens `account_id`'s timeline, around `alarm` when given, and reads it.
pub fn open(app: &mut App, account_id: String, alarm: Option<String>) -> Option<Action> {
    app.views.timeline = TimelineState::new(&account_id, alarm);
    app.screens.push(Screen::Timeline(account_id));
    request(app);
    None
}

/// `T`: the timeline of what is on screen: the alarm shown (with its suspects), else the tenant
/// shown or selected.
pub fn open_here(app: &mut App) -> Option<Action> {
    let here = match app.screen().clone() {
        Screen::AlarmDetail(account, alarm) => Some((account, Some(alarm))),
        Screen::Alarms => app.selected_alarm().map(|(account, alarm)| (account, Some(alarm))),
        Screen::Deployments => app.selected_deployment().map(|account| (account, None)),
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

/// `R` on the timeline: the next range, read again.
pub fn next_range(app: &mut App) -> Option<Action> {
    app.views.timeline.next_range();
    request(app);
    None
}

/// Reads the open timeline (its tenant, alarm and range) again.
pub fn request(app: &mut App) {
    app.store.timeline.start_loading();
    let state = &app.views.timeline;
    let request =
        Request::Timeline { account_id: state.account_id.clone(), alarm: state.alarm.clone(), hours: state.hours };
    app.outbox.push(request);
}
