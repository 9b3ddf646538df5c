//! Asks why: why a tenant's deployments are frozen (the reason is stored on the pipeline stage,
//! where the release team sees it), or why an action goes past the customer's terms (outside its
//! maintenance window, an uncertified version; the reason is journaled). Enter goes on to the plan
//! and its confirmation.

use super::outcome::ModalOutcome;
use crate::action::{Action, DeployOp};
use crate::context::Ctx;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::text::{Line, Span};
use ratatui::Frame;
use silo_core::plan::terms::Overrides;
use silo_core::plan::Term;
use silo_core::role::Role;

#[derive(Debug, Clone, PartialEq)]
pub struct ReasonState {
    pub account_id: String,
    pub input: String,
    pub error: Option<String>,
    pub purpose: ReasonFor,
}

/// What the reason is for.
#[derive(Debug, Clone, PartialEq)]
pub enum ReasonFor {
    /// Freezing the next deployments at the pipeline stage.
    Freeze,
    /// Going past the customer's terms with `op`: the terms it breaks and each problem in words.
    Override { op: DeployOp, terms: Vec<Term>, problems: Vec<String> },
    /// Scheduling updates that go past their customers' terms.
    ScheduleOverride { ask: crate::action::ScheduleAsk, terms: Vec<Term>, problems: Vec<String> },
}

impl ReasonState {
    pub fn new(account_id: &str) -> Self {
        ReasonState::with_purpose(account_id, ReasonFor::Freeze)
    }

    pub fn with_purpose(account_id: &str, purpose: ReasonFor) -> Self {
        ReasonState { account_id: account_id.to_string(), input: String::new(), error: None, purpose }
    }

    /// The plan to ask for once the reason is given.
    fn next(&self) -> Action {
        let account_id = self.account_id.clone();
        match &self.purpose {
            ReasonFor::Freeze => Action::PlanDeploy(account_id, DeployOp::Pause { reason: self.input.clone() }),
            ReasonFor::Override { op, terms, .. } => {
                Action::PlanDeployOverriding(account_id, op.clone(), Overrides::for_terms(terms, &self.input))
            }
            ReasonFor::ScheduleOverride { ask, terms, .. } => {
                Action::PlanSchedule(ask.clone(), Overrides::for_terms(terms, &self.input))
            }
        }
    }

    fn required(&self) -> &'static str {
        match self.purpose {
            ReasonFor::Freeze => "a reason is required: it is shown on the pipeline stage",
            ReasonFor::Override { .. } | ReasonFor::ScheduleOverride { .. } => {
                "a reason is required: it is journaled with the action"
            }
        }
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
            state.error = Some(state.required().into());
            ModalOutcome::Stay
        }
        KeyCode::Enter => ModalOutcome::Dispatch(Box::new(state.next())),
        _ => ModalOutcome::Stay,
    }
}

pub fn render(frame: &mut Frame, ctx: &Ctx, state: &ReasonState) {
    let theme = ctx.theme;
    let tenant = ctx.store.tenants.get(&state.account_id).map(|r| r.tenant.name.clone()).unwrap_or_default();
    let (title, mut lines) = match &state.purpose {
        ReasonFor::Freeze => (
            "Pause deployments",
            vec![
                Line::from(Span::styled(format!("Freeze the next deployments of {tenant}."), theme.style(Role::Text))),
                Line::from(Span::styled("Why? (shown on the pipeline stage)", theme.style(Role::Muted))),
            ],
        ),
        ReasonFor::Override { problems, .. } | ReasonFor::ScheduleOverride { problems, .. } => {
            let mut lines: Vec<Line> =
                problems.iter().map(|p| Line::from(Span::styled(p.clone(), theme.style(Role::Warning)))).collect();
            lines.push(Line::from(Span::styled(
                "Why go ahead anyway? (journaled with the action)",
                theme.style(Role::Muted),
            )));
            ("Outside the customer's terms", lines)
        }
    };
    lines.push(crate::widgets::popup::input_line(ctx, &state.input));
    lines.push(Line::from(Span::styled("Enter: show the plan · Esc: cancel", theme.style(Role::Muted))));
    if let Some(e) = &state.error {
        lines.push(Line::from(Span::styled(e.clone(), theme.style(Role::Error))));
    }
    crate::widgets::popup::centered(frame, ctx, title, lines, 70, Role::Border);
}
