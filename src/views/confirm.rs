//! The plan of an action and its typed confirmation. It holds the exact `ActionPlan` it will
//! dispatch; only typing the expected text (the tenant's name, or the count) and Enter runs it.
//! Esc, the default, cancels.

use super::ModalOutcome;
use crate::actions::ActionPlan;
use crate::app::{Action, App};
use crate::theme::Role;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

#[derive(Debug, Clone, PartialEq)]
pub struct ConfirmState {
    pub plan: ActionPlan,
    pub input: String,
    pub error: Option<String>,
}

impl ConfirmState {
    pub fn new(plan: ActionPlan) -> Self {
        ConfirmState { plan, input: String::new(), error: None }
    }
}

pub fn handle_key(state: &mut ConfirmState, key: KeyEvent) -> ModalOutcome {
    state.error = None;
    match key.code {
        KeyCode::Esc => ModalOutcome::Close,
        KeyCode::Backspace => {
            state.input.pop();
            ModalOutcome::Stay
        }
        KeyCode::Char(c) if !c.is_control() => {
            state.input.push(c);
            ModalOutcome::Stay
        }
        KeyCode::Enter if state.input == state.plan.confirmation() => {
            ModalOutcome::Dispatch(Box::new(Action::Execute(state.plan.clone())))
        }
        KeyCode::Enter => {
            state.error = Some(format!("type {:?} exactly to confirm, or Esc to cancel", state.plan.confirmation()));
            ModalOutcome::Stay
        }
        _ => ModalOutcome::Stay,
    }
}

pub fn render(frame: &mut Frame, app: &App, state: &ConfirmState) {
    let theme = &app.theme;
    let mut lines: Vec<Line> =
        state.plan.describe().into_iter().map(|l| Line::from(Span::styled(l, theme.style(Role::Text)))).collect();
    lines.push(Line::default());
    if app.banner.read_only {
        lines.push(Line::from(Span::styled("READ-ONLY: silo will refuse this action.", theme.style(Role::Badge))));
    }
    lines.push(Line::from(vec![
        Span::styled("Type ", theme.style(Role::Muted)),
        Span::styled(state.plan.confirmation(), theme.style(Role::Key)),
        Span::styled(" and Enter to run it; Esc cancels.", theme.style(Role::Muted)),
    ]));
    lines.push(Line::from(vec![
        Span::styled("> ", theme.style(Role::Key)),
        Span::styled(state.input.clone(), theme.style(Role::Text)),
        Span::styled("█", theme.style(Role::Key)),
    ]));
    if let Some(e) = &state.error {
        lines.push(Line::from(Span::styled(e.clone(), theme.style(Role::Error))));
    }
    let area = frame.area();
    let height = (lines.len() as u16 + 2).min(area.height);
    let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(100.min(area.width))]).flex(Flex::Center).areas(row);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Confirm action ", theme.style(Role::Title)))
        .border_style(theme.style(Role::Warning));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), popup);
}
