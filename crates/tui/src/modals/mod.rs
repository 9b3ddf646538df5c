//! Popups, stacked over the screen: the top one gets the keys first. Each file holds one popup's
//! state, key handling and rendering; a popup returns an action, never changes the app.

pub mod command;
pub mod confirm;
pub mod cost_confirm;
pub mod filter;
pub mod help;
mod outcome;
pub mod query_form;
pub mod quit;
pub mod reason;
pub mod revision_picker;
pub mod schedule_form;
pub mod sql_editor;
pub mod triage;

pub use outcome::ModalOutcome;

use crate::keymap::Keymap;
use crossterm::event::KeyEvent;

/// Popups, stacked: the last one is on top and gets the keys.
#[derive(Debug, Clone, PartialEq)]
pub enum Modal {
    Help(help::HelpState),
    Filter(filter::FilterState),
    Command(command::CommandState),
    CostConfirm(cost_confirm::CostConfirm),
    Triage(triage::TriageState),
    Confirm(confirm::ConfirmState),
    Reason(reason::ReasonState),
    RevisionPicker(revision_picker::PickerState),
    ScheduleForm(schedule_form::ScheduleForm),
    QueryForm(query_form::FormState),
    SqlEditor(sql_editor::EditorState),
    Quit(quit::QuitState),
}

impl Modal {
    /// `filter` is the filter text of the screen under the popup.
    pub fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap, filter: &mut String) -> ModalOutcome {
        match self {
            Modal::Help(state) => help::handle_key(state, key, keymap),
            Modal::Filter(state) => filter::handle_key(state, key, filter),
            Modal::Command(state) => command::handle_key(state, key),
            Modal::CostConfirm(_) => cost_confirm::handle_key(key),
            Modal::Triage(state) => triage::handle_key(state, key),
            Modal::Confirm(state) => confirm::handle_key(state, key),
            Modal::Reason(state) => reason::handle_key(state, key),
            Modal::RevisionPicker(state) => revision_picker::handle_key(state, key),
            Modal::ScheduleForm(state) => schedule_form::handle_key(state, key),
            Modal::QueryForm(state) => query_form::handle_key(state, key),
            Modal::SqlEditor(state) => sql_editor::handle_key(state, key),
            Modal::Quit(_) => quit::handle_key(key),
        }
    }
}
