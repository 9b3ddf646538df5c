//! The plan of an action and its typed confirmation. It holds the exact `ActionPlan`s it will
//! dispatch; only typing the expected text (the tenant's name, or the count) and Enter runs them.
//! Esc, the default, cancels. Several plans (a fleet-wide rollback) run in order.

use super::outcome::ModalOutcome;
use crate::action::Action;
use crate::context::Ctx;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;
use silo_core::plan::ActionPlan;
use silo_core::role::Role;

#[derive(Debug, Clone, PartialEq)]
pub struct ConfirmState {
    /// One plan, or several to run in order.
    pub plans: Vec<ActionPlan>,
    pub input: String,
    pub error: Option<String>,
    /// What must be typed: the plan's own text (a tenant whose name another account carries by
    /// its account id), or the count of a batch.
    expected: String,
}

impl ConfirmState {
    pub fn new(plan: ActionPlan, shared: &silo_core::tenant_lookup::SharedNames) -> Self {
        let expected = plan.confirmation(shared);
        ConfirmState { plans: vec![plan], input: String::new(), error: None, expected }
    }

    pub fn batch(plans: Vec<ActionPlan>) -> Self {
        let expected = silo_core::plan::batch_confirmation(&plans);
        ConfirmState { plans, input: String::new(), error: None, expected }
    }

    /// What must be typed.
    pub fn expected(&self) -> String {
        self.expected.clone()
    }

    fn dispatch(&self) -> Action {
        match self.plans.as_slice() {
            [one] => Action::Execute(Box::new(one.clone())),
            many => Action::ExecuteSequence(many.to_vec()),
        }
    }

    fn describe(&self) -> Vec<String> {
        match self.plans.as_slice() {
            [one] => one.describe(),
            many => {
                let mut lines =
                    vec![format!("{} tenants, in this order; the first failure stops the rest:", many.len())];
                for (i, plan) in many.iter().enumerate() {
                    let tenant = plan.tenants().into_iter().flatten().next().unwrap_or_default();
                    lines.push(format!("{:>3}. {tenant}: {} ({})", i + 1, plan.summary, plan.api));
                }
                lines
            }
        }
    }
}

pub fn handle_key(state: &mut ConfirmState, key: KeyEvent) -> ModalOutcome {
    state.error = None;
    if crate::widgets::popup::edit_text(&mut state.input, &key) {
        return ModalOutcome::Stay;
    }
    match key.code {
        KeyCode::Esc => ModalOutcome::Close,
        KeyCode::Enter if state.input == state.expected() => ModalOutcome::Dispatch(Box::new(state.dispatch())),
        KeyCode::Enter => {
            state.error = Some(format!("type {:?} exactly to confirm, or Esc to cancel", state.expected()));
            ModalOutcome::Stay
        }
        _ => ModalOutcome::Stay,
    }
}

/// The plan on top (cut when the terminal is short), the prompt always visible below it.
pub fn render(frame: &mut Frame, ctx: &Ctx, state: &ConfirmState) {
    let theme = ctx.theme;
    let plan: Vec<Line> =
        state.describe().into_iter().map(|l| Line::from(Span::styled(l, theme.style(Role::Text)))).collect();
    let prompt = prompt_lines(ctx, state);
    let area = frame.area();
    let width = 100.min(area.width);
    let plan_height = wrapped_height(&plan, width.saturating_sub(2));
    let height = (plan_height + prompt.len() as u16 + 3).min(area.height);
    let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(row);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Confirm action ", theme.style(Role::Title)))
        .border_style(theme.style(Role::Warning));
    frame.render_widget(Clear, popup);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [top, bottom] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(prompt.len() as u16 + 1)]).areas(inner);
    frame.render_widget(Paragraph::new(plan).wrap(Wrap { trim: false }), top);
    let mut below = vec![Line::default()];
    below.extend(prompt);
    frame.render_widget(Paragraph::new(below).wrap(Wrap { trim: false }), bottom);
}

use crate::widgets::popup::wrapped_height;

/// How old the data behind the plans is, and a warning when the data layer will refuse them.
fn data_age(ctx: &Ctx, state: &ConfirmState) -> Option<Line<'static>> {
    let oldest = state.plans.iter().filter_map(|p| p.read_at).min()?;
    let stale = state.plans.iter().find_map(|p| p.too_old(ctx.now, ctx.max_plan_age));
    Some(match stale {
        Some(why) => Line::from(Span::styled(format!("STALE: {why}."), ctx.theme.style(Role::Critical))),
        None => {
            let text = format!("built from data read {} ago", silo_core::format::age(oldest, ctx.now));
            Line::from(Span::styled(text, ctx.theme.style(Role::Muted)))
        }
    })
}

fn prompt_lines(ctx: &Ctx, state: &ConfirmState) -> Vec<Line<'static>> {
    let theme = ctx.theme;
    let mut lines = Vec::new();
    let mut production: Vec<String> = state
        .plans
        .iter()
        .flat_map(|p| p.targets.iter())
        .filter(|t| ctx.banner.production.contains(&t.account_id))
        .map(|t| t.tenant.clone().unwrap_or_else(|| t.account_id.clone()))
        .collect();
    production.dedup();
    if !production.is_empty() {
        let text = format!("PRODUCTION: {}", production.join(", "));
        lines.push(Line::from(Span::styled(text, theme.style(Role::Critical))));
    }
    lines.extend(data_age(ctx, state));
    if ctx.banner.read_only {
        lines.push(Line::from(Span::styled("READ-ONLY: silo will refuse this action.", theme.style(Role::Badge))));
    }
    lines.push(Line::from(vec![
        Span::styled("Type ", theme.style(Role::Muted)),
        Span::styled(state.expected(), theme.style(Role::Key)),
        Span::styled(" and Enter to run it; Esc cancels.", theme.style(Role::Muted)),
    ]));
    lines.push(crate::widgets::popup::input_line(ctx, &state.input));
    if let Some(e) = &state.error {
        lines.push(Line::from(Span::styled(e.clone(), theme.style(Role::Error))));
    }
    lines
}
