//! `:errors`: every read that failed, fleet-wide (tenant, AWS service, kind, what AWS said),
//! access denied first: what silo cannot see and why, without opening each grey row. Enter opens
//! the tenant's card.

use super::alarms::Fixed;
use crate::action::Action;
use crate::context::Ctx;
use crate::keymap::Command;
use crate::widgets::list::{ListOutcome, ListState};
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Row, Table, TableState};
use ratatui::Frame;
use silo_core::error::ErrorKind;
use silo_core::format::fit;
use silo_core::read_errors::{rows, summary, ReadErrorRow};
use silo_core::role::Role;

pub const HINTS: [(Command, &str); 6] = [
    (Command::Down, "move"),
    (Command::Open, "tenant"),
    (Command::Filter, "filter"),
    (Command::Refresh, "refresh"),
    (Command::Back, "back"),
    (Command::Quit, "quit"),
];

/// The list keeps the urgency order of the read model; the state is selection and filter.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorsState {
    pub list: ListState<Fixed>,
}

impl Default for ErrorsState {
    fn default() -> Self {
        ErrorsState { list: ListState::new(Fixed) }
    }
}

/// The failed reads the filter lets through (it matches tenant, account, service, kind, message).
pub fn visible(ctx: &Ctx, state: &ErrorsState) -> Vec<ReadErrorRow> {
    let needle = state.list.filter.to_lowercase();
    rows(ctx.store).into_iter().filter(|r| needle.is_empty() || haystack(r).contains(&needle)).collect()
}

fn haystack(r: &ReadErrorRow) -> String {
    let e = &r.error;
    format!("{} {} {} {} {}", r.tenant, r.account_id, e.source, e.kind.label(), e.message).to_lowercase()
}

fn key(r: &ReadErrorRow) -> String {
    format!("{}/{}", r.account_id, r.error.source)
}

/// The tenant of the selected row (account id).
pub fn selected_account(state: &ErrorsState, ctx: &Ctx) -> Option<String> {
    let rows = visible(ctx, state);
    let keys: Vec<String> = rows.iter().map(key).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    rows.get(state.list.selected_index(&keys)).map(|r| r.account_id.clone())
}

pub fn handle(state: &mut ErrorsState, ctx: &Ctx, command: Command) -> Option<Action> {
    if command == Command::Back && state.list.filter.is_empty() {
        return Some(Action::Back);
    }
    let rows = visible(ctx, state);
    let keys: Vec<String> = rows.iter().map(key).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    match state.list.handle(command, &keys) {
        ListOutcome::Open(key) => key.split_once('/').map(|(account, _)| Action::OpenTenant(account.to_string())),
        ListOutcome::EditFilter => Some(Action::EditFilter),
        ListOutcome::None => None,
    }
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &ErrorsState) {
    let rows = visible(ctx, state);
    let block = crate::widgets::list::top_block(ctx, title(ctx, state, &rows));
    if rows.is_empty() {
        let text = if ctx.store.tenants.is_empty() { " loading…" } else { " every read answered" };
        let role = if ctx.store.tenants.is_empty() { Role::Muted } else { Role::Ok };
        frame.render_widget(Paragraph::new(Span::styled(text, ctx.theme.style(role))).block(block), area);
        return;
    }
    let keys: Vec<String> = rows.iter().map(key).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let selected = state.list.selected_index(&keys);
    let range = crate::widgets::list::window(rows.len(), selected, area.height.saturating_sub(2) as usize);
    crate::widgets::list::note_rows(ctx, area, 1, &range, selected);
    let message_width = area.width.saturating_sub(18 + 14 + 16 + 12 + 4) as usize;
    let body = rows[range.clone()].iter().map(|r| row(ctx, r, message_width));
    let widths = [18, 14, 16, 12].map(Constraint::Length);
    let table = Table::new(body, [&widths[..], &[Constraint::Min(10)]].concat())
        .header(Row::new(["TENANT", "ACCOUNT", "SOURCE", "KIND", "MESSAGE"]).style(ctx.theme.style(Role::Header)))
        .block(block)
        .row_highlight_style(ctx.theme.style(Role::Selected));
    let mut table_state = TableState::default().with_selected(Some(selected - range.start));
    frame.render_stateful_widget(table, area, &mut table_state);
}

fn title(ctx: &Ctx, state: &ErrorsState, rows: &[ReadErrorRow]) -> Vec<Span<'static>> {
    let tenants: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.account_id.as_str()).collect();
    let counts = if rows.is_empty() { String::new() } else { format!(": {}", summary(rows)) };
    let text = format!(" Read errors · {} of {} tenants{counts} ", tenants.len(), ctx.store.tenants.len());
    let mut title = vec![Span::styled(text, ctx.theme.style(Role::Title))];
    if !state.list.filter.is_empty() {
        title.push(Span::styled(format!("filter: {} ", state.list.filter), ctx.theme.style(Role::Key)));
    }
    title
}

fn row(ctx: &Ctx, r: &ReadErrorRow, message_width: usize) -> Row<'static> {
    let theme = ctx.theme;
    let role = match r.error.kind {
        ErrorKind::Denied | ErrorKind::Unreachable => Role::Error,
        ErrorKind::TimedOut | ErrorKind::Throttled => Role::Warning,
        ErrorKind::NotFound | ErrorKind::Other => Role::Muted,
    };
    Row::new(vec![
        Span::styled(fit(&r.tenant, 18), theme.style(Role::Text)),
        Span::styled(r.account_id.clone(), theme.style(Role::Muted)),
        Span::styled(fit(r.error.source, 16), theme.style(Role::Text)),
        Span::styled(r.error.kind.label(), theme.style(role)),
        Span::styled(fit(&r.error.message, message_width), theme.style(Role::Muted)),
    ])
}
