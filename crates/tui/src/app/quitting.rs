//! Quitting never abandons an action half-done: silo counts the actions it sent to the data
//! layer until each reports its end. `q` with actions in flight asks (wait for them, or let the
//! call in progress finish and start nothing more); a signal does the latter without asking.

use super::{Action, App, Request};
use crate::modals::quit::QuitState;
use crate::modals::Modal;
use silo_core::role::Role;

/// `q`: leave now when nothing is in flight, else ask how.
pub fn quit(app: &mut App) -> Option<Action> {
    match app.actions_in_flight {
        0 => app.should_quit = true,
        n => app.modals.push(Modal::Quit(QuitState { in_flight: n })),
    }
    None
}

/// Leave once every action in flight has ended; `abort`: start nothing more (the call in
/// progress finishes and is journaled; what was not started is journaled `aborted`).
pub fn quit_when_done(app: &mut App, abort: bool) -> Option<Action> {
    app.quitting = true;
    if abort {
        app.outbox.push(Request::AbortActions);
    }
    let what = if abort { "the call in progress" } else { "the actions in flight" };
    let text = format!("quitting once {what} ends ({} in flight)…", app.actions_in_flight);
    app.status = Some((text, Role::Warning));
    leave_if_idle(app);
    None
}

/// An action was handed to the data layer.
pub fn action_sent(app: &mut App) {
    app.actions_in_flight += 1;
}

/// An action reported its end (done, failed, refused or aborted).
pub fn action_ended(app: &mut App) {
    app.actions_in_flight = app.actions_in_flight.saturating_sub(1);
    leave_if_idle(app);
}

/// A run started (or could not): for a confirmed statement, its action has ended.
pub fn run_started(app: &mut App, run: u64) {
    if app.statement_runs.remove(&run) {
        action_ended(app);
    }
}

/// Requests dropped before reaching the data layer (offline): their actions will never report
/// an end, so they are no longer in flight.
pub fn never_sent(app: &mut App, dropped: &[Request]) {
    for request in dropped {
        match request {
            Request::Execute(_) | Request::ExecuteSequence(_) => action_ended(app),
            Request::RunStatement(run, _) => run_started(app, *run),
            Request::Refresh { .. }
            | Request::CostExplorer(_)
            | Request::DeployStatus(_)
            | Request::Scheduled(_)
            | Request::RunQuery(..)
            | Request::ScanLimit
            | Request::Timeline { .. }
            | Request::AbortActions
            | Request::QueryPage { .. }
            | Request::StopQuery(..)
            | Request::Export { .. }
            | Request::Copy(_)
            | Request::OpenUrl(..)
            | Request::Identity
            | Request::ExternalEdit(..)
            | Request::LoadAudit
            | Request::Read(_)
            | Request::Dashboard(..)
            | Request::Details(_)
            | Request::SaveSnapshot => {}
        }
    }
}

fn leave_if_idle(app: &mut App) {
    if app.quitting && app.actions_in_flight == 0 {
        app.should_quit = true;
    }
}
