//! Quitting while actions are in flight: wait for them, or let the call in progress finish and
//! start nothing more. Esc stays.

use super::outcome::ModalOutcome;
use crate::action::Action;
use crate::context::Ctx;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::text::{Line, Span};
use ratatui::Frame;
use silo_core::role::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuitState {
    pub in_flight: usize,
}

/// `w` waits for every action, `a` aborts after the current call; anything else stays.
pub fn handle_key(key: KeyEvent) -> ModalOutcome {
    match key.code {
        KeyCode::Char('w') => ModalOutcome::Dispatch(Box::new(Action::QuitWhenDone { abort: false })),
        KeyCode::Char('a') => ModalOutcome::Dispatch(Box::new(Action::QuitWhenDone { abort: true })),
        _ => ModalOutcome::Close,
    }
}

pub fn render(frame: &mut Frame, ctx: &Ctx, state: &QuitState) {
    let theme = ctx.theme;
    let key = |k: &'static str, what: &'static str| {
        Line::from(vec![Span::styled(k, theme.style(Role::Key)), Span::styled(what, theme.style(Role::Text))])
    };
    let text = vec![
        Line::from(Span::styled(
            format!("{} action(s) still running. Quitting now would leave them half-done.", state.in_flight),
            theme.style(Role::Warning),
        )),
        Line::default(),
        key(" w ", " wait for every action to end, then quit"),
        key(" a ", " abort: the call in progress finishes, nothing more starts (journaled aborted), quit"),
        key(" any other key ", " stay"),
    ];
    crate::widgets::popup::centered(frame, ctx, "Quit?", text, 96, Role::Warning);
}
