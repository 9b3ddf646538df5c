//! `:alarms`: every tenant's alarms in ALARM (`t` shows every state), longest-firing first;
//! Enter opens the tenant.

use crate::action::Action;
use crate::context::Ctx;
use crate::keymap::Command;
use crate::widgets::list::{ListOutcome, ListState, SortColumn};
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Row, Table, TableState};
use ratatui::Frame;
use silo_core::alarms::AlarmState;
use silo_core::alarms::{rows, AlarmRow};
use silo_core::format::{age, fit};
use silo_core::role::Role;

/// The alarms list keeps its firing-first order; the list state is for selection and filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fixed;

impl SortColumn for Fixed {
    fn next(self) -> Self {
        self
    }
    fn descending_by_default(self) -> bool {
        false
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlarmsState {
    pub list: ListState<Fixed>,
    /// false: only alarms in ALARM; true: every state.
    pub all_states: bool,
}

impl Default for AlarmsState {
    fn default() -> Self {
        AlarmsState { list: ListState::new(Fixed), all_states: false }
    }
}

pub const HINTS: [(Command, &str); 7] = [
    (Command::Open, "tenant"),
    (Command::Inspect, "alarm detail"),
    (Command::ToggleStates, "all states"),
    (Command::Filter, "filter"),
    (Command::Back, "back"),
    (Command::Refresh, "refresh"),
    (Command::Quit, "quit"),
];

pub fn visible(ctx: &Ctx, state: &AlarmsState) -> Vec<AlarmRow> {
    let wanted = if state.all_states { None } else { Some(AlarmState::Alarm) };
    let needle = state.list.filter.to_lowercase();
    rows(ctx.store.alarm_summaries(), wanted)
        .into_iter()
        .filter(|r| {
            needle.is_empty()
                || format!("{} {} {} {}", r.tenant, r.name, r.state.label(), r.reason).to_lowercase().contains(&needle)
        })
        .collect()
}

pub fn handle(state: &mut AlarmsState, ctx: &Ctx, command: Command) -> Option<Action> {
    if command == Command::Inspect {
        let rows = visible(ctx, state);
        let keys: Vec<String> = rows.iter().map(row_key).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let row = rows.get(state.list.selected_index(&keys))?;
        return Some(Action::OpenAlarm(row.account_id.clone(), row.name.clone()));
    }
    if command == Command::ToggleStates {
        state.all_states = !state.all_states;
        return None;
    }
    if command == Command::Back && state.list.filter.is_empty() {
        return Some(Action::Back);
    }
    let rows = visible(ctx, state);
    let keys: Vec<String> = rows.iter().map(row_key).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    match state.list.handle(command, &keys) {
        ListOutcome::Open(key) => key.split_once('/').map(|(account, _)| Action::OpenTenant(account.to_string())),
        ListOutcome::EditFilter => Some(Action::EditFilter),
        ListOutcome::None => None,
    }
}

fn row_key(r: &AlarmRow) -> String {
    format!("{}/{}", r.account_id, r.name)
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &AlarmsState) {
    let theme = ctx.theme;
    let rows = visible(ctx, state);

    let keys: Vec<String> = rows.iter().map(row_key).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let selected = state.list.selected_index(&keys);
    let range = crate::widgets::list::window(rows.len(), selected, area.height.saturating_sub(2) as usize);
    crate::widgets::list::note_rows(ctx, area, 1, &range, selected);
    let reason_width = area.width.saturating_sub(18 + 30 + 18 + 6 + 4) as usize;
    let body = rows[range.clone()].iter().map(|r| {
        let role = match r.state {
            AlarmState::Alarm => Role::Critical,
            AlarmState::InsufficientData => Role::Warning,
            AlarmState::Ok => Role::Ok,
        };
        let duration = r.since.map(|t| age(t, ctx.now)).unwrap_or_default();
        Row::new(vec![
            Span::styled(fit(&r.tenant, 18), theme.style(Role::Text)),
            Span::styled(fit(&r.name, 30), theme.style(Role::Text)),
            Span::styled(r.state.label(), theme.style(role)),
            Span::styled(duration, theme.style(Role::Muted)),
            Span::styled(fit(&r.reason, reason_width), theme.style(Role::Muted)),
        ])
    });
    let scope = if state.all_states { "all states" } else { "in ALARM" };
    let mut title = vec![Span::styled(format!(" Alarms, {scope} ({}) ", rows.len()), theme.style(Role::Title))];
    if !state.list.filter.is_empty() {
        title.push(Span::styled(format!("filter: {} ", state.list.filter), theme.style(Role::Key)));
    }
    let widths = [
        Constraint::Length(18),
        Constraint::Length(30),
        Constraint::Length(18),
        Constraint::Length(6),
        Constraint::Min(10),
    ];
    let table = Table::new(body, widths)
        .header(Row::new(["TENANT", "ALARM", "STATE", "FOR", "REASON"]).style(theme.style(Role::Header)))
        .block(crate::widgets::list::top_block(ctx, title))
        .row_highlight_style(theme.style(Role::Selected));
    let mut state = TableState::default().with_selected((!rows.is_empty()).then_some(selected - range.start));
    frame.render_stateful_widget(table, area, &mut state);
}
