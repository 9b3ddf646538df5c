//! Roll back a completed deployment: pick the revision to go to. The last good revision (of the
//! last successful deployment before the current one) is preselected, since the previous
//! revision may itself be a bad build. Enter goes on to the plan and its confirmation.

use super::outcome::ModalOutcome;
use crate::action::{Action, DeployOp};
use crate::context::Ctx;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::text::{Line, Span};
use ratatui::Frame;
use silo_core::deploy::{image_tag, DeployStatus};
use silo_core::role::Role;

#[derive(Debug, Clone, PartialEq)]
pub struct PickerState {
    pub account_id: String,
    /// Revision numbers, newest first, as listed.
    pub numbers: Vec<u32>,
    pub selected: usize,
}

impl PickerState {
    pub fn new(account_id: &str, status: &DeployStatus) -> Self {
        let numbers: Vec<u32> = status.revisions.iter().map(|r| r.number).collect();
        let good = status.last_good_revision().map(|r| r.number);
        let selected = numbers.iter().position(|n| Some(*n) == good).unwrap_or(0);
        PickerState { account_id: account_id.to_string(), numbers, selected }
    }
}

pub fn handle_key(state: &mut PickerState, key: KeyEvent) -> ModalOutcome {
    let last = state.numbers.len().saturating_sub(1);
    match key.code {
        KeyCode::Esc => ModalOutcome::Close,
        KeyCode::Up | KeyCode::Char('k') => {
            state.selected = state.selected.saturating_sub(1);
            ModalOutcome::Stay
        }
        KeyCode::Down | KeyCode::Char('j') => {
            state.selected = (state.selected + 1).min(last);
            ModalOutcome::Stay
        }
        KeyCode::Enter => match state.numbers.get(state.selected) {
            Some(n) => ModalOutcome::Dispatch(Box::new(Action::PlanDeploy(
                state.account_id.clone(),
                DeployOp::Rollback { to: Some(*n) },
            ))),
            None => ModalOutcome::Close,
        },
        _ => ModalOutcome::Stay,
    }
}

pub fn render(frame: &mut Frame, ctx: &Ctx, state: &PickerState) {
    let theme = ctx.theme;
    let status = ctx.store.deployments.get(&state.account_id).and_then(|l| l.value());
    let Some(status) = status else { return };
    let good = status.last_good_revision().map(|r| r.number);
    let mut lines = vec![Line::from(Span::styled(
        format!("{} runs {} now. Roll back to:", status.tenant, status.task_definition),
        theme.style(Role::Text),
    ))];
    for (i, r) in status.revisions.iter().enumerate() {
        let mark = match r.number {
            n if Some(n) == status.current_number() => "current",
            n if Some(n) == good => "last good",
            _ => "",
        };
        let when = r.created_at.map(|c| c.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
        let text = format!(" {:<22} {:<18} {when:<17} {mark}", r.task_definition, image_tag(&r.image));
        let role = if i == state.selected { Role::Selected } else { Role::Text };
        lines.push(Line::from(Span::styled(text, theme.style(role))));
    }
    lines.push(Line::from(Span::styled("↑/↓ pick · Enter: show the plan · Esc: cancel", theme.style(Role::Muted))));
    crate::widgets::popup::centered(frame, ctx, "Roll back to a revision", lines, 76, Role::Border);
}
