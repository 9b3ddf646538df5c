//! `:history`: this session's query runs, newest first, with their state, data scanned and cost;
//! Enter shows a run, `n` runs it again, `e` edits its SQL first.

use crate::action::Action;
use crate::context::Ctx;
use crate::keymap::Command;
use crate::screens::queries::QueryViewState;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Row, Table, TableState};
use ratatui::Frame;
use silo_core::format::{age, fit};
use silo_core::queries::run::bytes_label;
use silo_core::role::Role;

pub const HINTS: [(Command, &str); 5] = [
    (Command::Open, "show"),
    (Command::Rerun, "run again"),
    (Command::EditSql, "edit SQL"),
    (Command::Back, "back"),
    (Command::Help, "help"),
];

/// Run numbers, newest first.
fn runs(ctx: &Ctx) -> Vec<u64> {
    ctx.store.queries.keys().rev().copied().collect()
}

pub fn handle(state: &mut QueryViewState, ctx: &Ctx, command: Command) -> Option<Action> {
    let runs = runs(ctx);
    let last = runs.len().saturating_sub(1);
    let selected = runs.get(state.history.min(last)).copied();
    match command {
        Command::Down => state.history = (state.history + 1).min(last),
        Command::Up => state.history = state.history.saturating_sub(1),
        Command::Top => state.history = 0,
        Command::Bottom => state.history = last,
        Command::Open => return selected.map(Action::OpenRun),
        Command::Rerun => {
            let request = selected.and_then(|r| ctx.store.queries.get(&r)).map(|r| r.request.clone());
            return request.map(Action::RunQuery);
        }
        Command::EditSql => {
            let run = selected.and_then(|r| ctx.store.queries.get(&r))?;
            return Some(Action::OpenSqlEditor(run.request.sql.clone(), run.request.parameters.clone()));
        }
        Command::Back => return Some(Action::Back),
        _ => {}
    }
    None
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &QueryViewState) {
    let t = ctx.theme;
    let runs = runs(ctx);
    let selected = state.history.min(runs.len().saturating_sub(1));
    let range = crate::widgets::list::window(runs.len(), selected, area.height.saturating_sub(2) as usize);
    crate::widgets::list::note_rows(ctx, area, 1, &range, selected);
    let rows = runs[range.clone()].iter().filter_map(|r| ctx.store.queries.get(r)).map(|run| {
        let scanned = run.status.as_ref().map(|s| bytes_label(s.data_scanned_bytes)).unwrap_or_default();
        let role = if run.state_label() == "SUCCEEDED" {
            Role::Ok
        } else if run.is_running() {
            Role::Warning
        } else {
            Role::Error
        };
        Row::new(vec![
            Span::styled(format!("#{}", run.run), t.style(Role::Muted)),
            Span::styled(fit(&run.request.name, 34), t.style(Role::Text)),
            Span::styled(fit(run.request.tenant.as_deref().unwrap_or("-"), 20), t.style(Role::Text)),
            Span::styled(run.state_label(), t.style(role)),
            Span::styled(format!("{} ago", age(run.started, ctx.now)), t.style(Role::Muted)),
            Span::styled(scanned, t.style(Role::Text)),
            Span::styled(format!("${}", run.cost()), t.style(Role::Text)),
            Span::styled(run.rows.len().to_string(), t.style(Role::Text)),
        ])
    });
    let total: rust_decimal::Decimal = ctx.store.queries.values().map(|r| r.cost()).sum();
    let title = format!(" Query runs of this session ({}, est. ${total} in all) ", runs.len());
    let widths = [4, 34, 20, 11, 9, 10, 11, 8].map(Constraint::Length);
    let table = Table::new(rows, widths)
        .header(
            Row::new(["RUN", "QUERY", "TENANT", "STATE", "STARTED", "SCANNED", "COST", "ROWS"])
                .style(t.style(Role::Header)),
        )
        .block(crate::widgets::list::top_block(ctx, Span::styled(title, t.style(Role::Title))))
        .row_highlight_style(t.style(Role::Selected));
    let mut state = TableState::default().with_selected((!runs.is_empty()).then_some(selected - range.start));
    frame.render_stateful_widget(table, area, &mut state);
}
