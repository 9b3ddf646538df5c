//! Schedule updates from `:rollouts`: the revision (one tenant: any registered revision of its
//! family, newest first; several: each one's newest) and the time (each tenant's next window, or a
//! time typed in the tenant's window's zone or as RFC 3339). Enter goes on to the plan.

use super::outcome::ModalOutcome;
use crate::action::{Action, ScheduleAsk};
use crate::context::Ctx;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::text::{Line, Span};
use ratatui::Frame;
use silo_core::role::Role;

#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleForm {
    pub accounts: Vec<String>,
    /// One tenant's registered revisions, newest first (empty: each tenant's newest).
    pub revisions: Vec<u32>,
    pub selected: usize,
    /// A time typed instead of the next window (empty: the next window).
    pub at: String,
    pub error: Option<String>,
}

impl ScheduleForm {
    pub fn new(accounts: Vec<String>, revisions: Vec<u32>) -> Self {
        ScheduleForm { accounts, revisions, selected: 0, at: String::new(), error: None }
    }

    fn ask(&self) -> ScheduleAsk {
        let at = self.at.trim();
        ScheduleAsk {
            accounts: self.accounts.clone(),
            to_revision: self.revisions.get(self.selected).copied(),
            at: (!at.is_empty()).then(|| at.to_string()),
        }
    }
}

pub fn handle_key(state: &mut ScheduleForm, key: KeyEvent) -> ModalOutcome {
    state.error = None;
    let last = state.revisions.len().saturating_sub(1);
    match key.code {
        KeyCode::Esc => return ModalOutcome::Close,
        KeyCode::Up => state.selected = state.selected.saturating_sub(1),
        KeyCode::Down => state.selected = (state.selected + 1).min(last),
        KeyCode::Enter => return enter(state),
        _ => {
            crate::widgets::popup::edit_text(&mut state.at, &key);
        }
    }
    ModalOutcome::Stay
}

/// The plan, unless the typed time is not one (checked for its shape here; the tenant's zone is
/// applied when planning).
fn enter(state: &mut ScheduleForm) -> ModalOutcome {
    let ask = state.ask();
    if let Some(at) = &ask.at {
        if let Err(why) = silo_core::terms::schedule::check_when(at) {
            state.error = Some(why);
            return ModalOutcome::Stay;
        }
    }
    ModalOutcome::Dispatch(Box::new(Action::PlanSchedule(ask, Default::default())))
}

pub fn render(frame: &mut Frame, ctx: &Ctx, state: &ScheduleForm) {
    let theme = ctx.theme;
    let names: Vec<String> =
        state.accounts.iter().filter_map(|a| ctx.store.tenants.get(a).map(|r| r.tenant.name.clone())).collect();
    let mut lines = vec![Line::from(Span::styled(format!("Schedule {}", names.join(", ")), theme.style(Role::Text)))];
    lines.extend(revision_lines(ctx, state));
    let when = if state.at.trim().is_empty() { "the next maintenance window" } else { "at the time typed" };
    lines.push(Line::from(Span::styled(format!("when: {when}"), theme.style(Role::Text))));
    lines.push(Line::from(Span::styled(
        "time: empty for the next window, yyyy-mm-dd hh:mm in the window's zone, or RFC 3339",
        theme.style(Role::Muted),
    )));
    lines.push(crate::widgets::popup::input_line(ctx, &state.at));
    lines.push(Line::from(Span::styled("↑/↓ revision · Enter: show the plan · Esc: cancel", theme.style(Role::Muted))));
    if let Some(e) = &state.error {
        lines.push(Line::from(Span::styled(e.clone(), theme.style(Role::Error))));
    }
    crate::widgets::popup::centered(frame, ctx, "Schedule an update", lines, 84, Role::Border);
}

/// The revisions to choose from, or what each tenant gets without a choice.
fn revision_lines(ctx: &Ctx, state: &ScheduleForm) -> Vec<Line<'static>> {
    let theme = ctx.theme;
    if state.revisions.is_empty() {
        let text = "revision: the newest registered revision of each tenant's family";
        return vec![Line::from(Span::styled(text, theme.style(Role::Text)))];
    }
    let status = state.accounts.first().and_then(|a| ctx.store.deployments.get(a)).and_then(|l| l.value());
    state
        .revisions
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let revision = status.and_then(|s| s.revision(*n));
            let name = revision.map(|r| r.task_definition.clone()).unwrap_or_else(|| format!("revision {n}"));
            let version = revision.and_then(|r| silo_core::terms::certified::version_of(&r.image)).unwrap_or_default();
            let current = if status.and_then(|s| s.current_number()) == Some(*n) { "current" } else { "" };
            let role = if i == state.selected { Role::Selected } else { Role::Text };
            Line::from(Span::styled(format!(" {name:<28} {version:<12} {current}"), theme.style(role)))
        })
        .collect()
}
