//! Asks why a tenant's deployments are frozen: the reason is stored on the pipeline stage, where
//! the release team sees it. Enter goes on to the plan and its confirmation.

use super::ModalOutcome;
use crate::action::{Action, DeployOp};
use crate::context::Ctx;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::text::{Line, Span};
use ratatui::Frame;
use silo_core::role::Role;

#[derive(Debug, Clone, PartialEq)]
pub struct ReasonState {
    pub account_id: String,
    pub input: String,
    pub error: Option<String>,
}

impl ReasonState {
    pub fn new(account_id: &str) -> Self {
        ReasonState { account_id: account_id.to_string(), input: String::new(), error: None }
    }
}

pub fn handle_key(state: &mut ReasonState, key: KeyEvent) -> ModalOutcome {
    state.error = None;
    if crate::widgets::popup::edit_text(&mut state.input, &key) {
        return ModalOutcome::Stay;
    }
    match key.code {
        KeyCode::Esc => ModalOutcome::Close,
        KeyCode::Enter if state.input.trim().is_empty() => {
            state.error = Some("a reason is required: it is shown on the pipeline stage".into());
            ModalOutcome::Stay
        }
        KeyCode::Enter => ModalOutcome::Dispatch(Box::new(Action::PlanDeploy(
            state.account_id.clone(),
            DeployOp::Pause { reason: state.input.clone() },
        ))),
        _ => ModalOutcome::Stay,
    }
}

pub fn render(frame: &mut Frame, ctx: &Ctx, state: &ReasonState) {
    let theme = ctx.theme;
    let tenant = ctx.store.tenants.get(&state.account_id).map(|r| r.tenant.name.clone()).unwrap_or_default();
    let mut lines = vec![
        Line::from(Span::styled(format!("Freeze the next deployments of {tenant}."), theme.style(Role::Text))),
        Line::from(Span::styled("Why? (shown on the pipeline stage)", theme.style(Role::Muted))),
        crate::widgets::popup::input_line(ctx, &state.input),
        Line::from(Span::styled("Enter: show the plan · Esc: cancel", theme.style(Role::Muted))),
    ];
    if let Some(e) = &state.error {
        lines.push(Line::from(Span::styled(e.clone(), theme.style(Role::Error))));
    }
    crate::widgets::popup::centered(frame, ctx, "Pause deployments", lines, 70, Role::Border);
}
