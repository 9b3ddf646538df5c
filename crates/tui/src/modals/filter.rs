//! The `/` filter prompt: typing filters the fleet live; Enter keeps the filter, Esc restores the
//! one there was before.

use super::outcome::ModalOutcome;
use crate::context::Ctx;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;
use silo_core::role::Role;

#[derive(Debug, Clone, PartialEq)]
pub struct FilterState {
    pub input: String,
    previous: String,
}

impl FilterState {
    pub fn new(previous: String) -> Self {
        FilterState { input: previous.clone(), previous }
    }
}

pub fn handle_key(state: &mut FilterState, key: KeyEvent, filter: &mut String) -> ModalOutcome {
    match key.code {
        KeyCode::Enter => return ModalOutcome::Close,
        KeyCode::Esc => {
            filter.clone_from(&state.previous);
            return ModalOutcome::Close;
        }
        KeyCode::Backspace => {
            state.input.pop();
        }
        KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => state.input.clear(),
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) && !c.is_control() => state.input.push(c),
        _ => return ModalOutcome::Stay,
    }
    filter.clone_from(&state.input);
    ModalOutcome::Stay
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &FilterState) {
    let line = Line::from(vec![
        Span::styled(" filter: ", ctx.theme.style(Role::Key)),
        Span::styled(state.input.clone(), ctx.theme.style(Role::Text)),
        Span::styled("█", ctx.theme.style(Role::Key)),
        Span::styled("   Enter keep · Esc cancel", ctx.theme.style(Role::Muted)),
    ]);
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(line), area);
}
