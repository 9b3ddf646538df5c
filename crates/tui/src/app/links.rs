//! What is selected, as an id to copy (`y`) and an AWS console URL to show or open (`o`): the
//! tenant's service, a finding, an alarm, a deployment, a query run, a budget.

use super::App;
use crate::action::{Request, Screen};
use crate::keymap::Command;
use crate::screens::registry;
use crate::screens::selection::Selected;
use silo_core::role::Role;

/// `y` copies the selection's id, `o` shows its console URL (and opens it with `opener`).
/// Returns false when the screen has nothing to copy or open (the key then means its own thing).
pub fn handle(app: &mut App, command: Command) -> bool {
    if !matches!(command, Command::Copy | Command::OpenConsole)
        || matches!(app.screen(), Screen::QueryRun(_)) && command == Command::Copy
    {
        return false;
    }
    let Some(selected) = selected(app) else { return false };
    if command == Command::Copy {
        app.status = Some((format!("copied the {} {} to the clipboard", selected.what, selected.id), Role::Ok));
        app.outbox.push(Request::Copy(selected.id));
        return true;
    }
    show_url(app, selected.url);
    true
}

/// The URL in the footer, opened with `opener` when one is set (`o`, and Detective's `D`).
pub fn show_url(app: &mut App, url: String) -> Option<crate::action::Action> {
    let text = match &app.session.opener {
        Some(opener) => {
            app.outbox.push(Request::OpenUrl(opener.clone(), url.clone()));
            format!("opening {url} with {opener}")
        }
        None => format!("{url} (set opener = \"xdg-open\" in the config to open it)"),
    };
    app.status = Some((text, Role::Key));
    None
}

/// The selection of the current screen (see `screens::registry::selected`).
pub fn selected(app: &App) -> Option<Selected> {
    registry::selected(&app.views, &app.ctx(), app.screen())
}
