//! Starting a finding action from the list: pick the status, write the required note, then the
//! plan and its typed confirmation (confirm.rs). Nothing here calls AWS.

use super::outcome::ModalOutcome;
use crate::action::Action;
use crate::context::Ctx;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;
use silo_core::plan::WORKFLOW_STATUSES;
use silo_core::role::Role;

#[derive(Debug, Clone, PartialEq)]
pub struct TriageState {
    /// The findings the action will apply to, by id.
    pub ids: Vec<String>,
    pub status: Option<&'static str>,
    pub note: String,
    pub error: Option<String>,
}

impl TriageState {
    pub fn new(ids: Vec<String>) -> TriageState {
        TriageState { ids, status: None, note: String::new(), error: None }
    }
}

/// Keys 1-3 pick the status; then text is the note; Enter builds the plan.
pub fn handle_key(state: &mut TriageState, key: KeyEvent) -> ModalOutcome {
    state.error = None;
    match (state.status, key.code) {
        (_, KeyCode::Esc) => ModalOutcome::Close,
        (None, KeyCode::Char(c @ '1'..='3')) => {
            state.status = Some(WORKFLOW_STATUSES[(c as u8 - b'1') as usize]);
            ModalOutcome::Stay
        }
        (None, _) => ModalOutcome::Stay,
        (Some(_), KeyCode::Backspace) => {
            state.note.pop();
            ModalOutcome::Stay
        }
        (Some(_), KeyCode::Char(c)) if !c.is_control() => {
            state.note.push(c);
            ModalOutcome::Stay
        }
        (Some(status), KeyCode::Enter) if !state.note.trim().is_empty() => {
            ModalOutcome::Dispatch(Box::new(Action::PlanFindingStatus {
                ids: state.ids.clone(),
                status: status.to_string(),
                note: state.note.clone(),
            }))
        }
        (Some(_), KeyCode::Enter) => {
            state.error = Some("a note is required: say why".into());
            ModalOutcome::Stay
        }
        _ => ModalOutcome::Stay,
    }
}

pub fn render(frame: &mut Frame, ctx: &Ctx, state: &TriageState) {
    let theme = ctx.theme;
    let mut lines = vec![
        Line::from(Span::styled(format!("{} finding(s) selected", state.ids.len()), theme.style(Role::Text))),
        Line::default(),
    ];
    match state.status {
        None => {
            lines.push(Line::from(Span::styled("New workflow status:", theme.style(Role::Header))));
            for (i, s) in WORKFLOW_STATUSES.iter().enumerate() {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {} ", i + 1), theme.style(Role::Key)),
                    Span::styled(*s, theme.style(Role::Text)),
                ]));
            }
        }
        Some(status) => {
            lines.push(Line::from(vec![
                Span::styled("status: ", theme.style(Role::Muted)),
                Span::styled(status, theme.style(Role::Text)),
            ]));
            lines.push(Line::from(vec![
                Span::styled("note:   ", theme.style(Role::Muted)),
                Span::styled(state.note.clone(), theme.style(Role::Text)),
                Span::styled("█", theme.style(Role::Key)),
            ]));
            lines.push(Line::from(Span::styled("Enter: show the plan · Esc: cancel", theme.style(Role::Muted))));
        }
    }
    if let Some(e) = &state.error {
        lines.push(Line::from(Span::styled(e.clone(), theme.style(Role::Error))));
    }
    let [row] = Layout::vertical([Constraint::Length(lines.len() as u16 + 2)]).flex(Flex::Center).areas(frame.area());
    let [area] = Layout::horizontal([Constraint::Length(64)]).flex(Flex::Center).areas(row);
    let block =
        Block::default().borders(Borders::ALL).title(Span::styled(" Set workflow status ", theme.style(Role::Title)));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block.border_style(theme.style(Role::Border))), area);
}
