//! `:queries`: the saved Athena queries with their parameters; Enter opens the parameter form,
//! `e` the SQL editor (a blank query, or the selected one's SQL to adapt).

use super::alarms::Fixed;
use crate::action::Action;
use crate::context::Ctx;
use crate::keymap::Command;
use crate::widgets::list::{ListOutcome, ListState};
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Row, Table, TableState};
use ratatui::Frame;
use silo_core::format::fit;
use silo_core::queries::SavedQuery;
use silo_core::role::Role;

#[derive(Debug, Clone, PartialEq)]
pub struct QueryViewState {
    pub list: ListState<Fixed>,
    /// Selected row of `:history` (newest first).
    pub history: usize,
    pub results: super::query_run::ResultsState,
}

impl Default for QueryViewState {
    fn default() -> Self {
        QueryViewState { list: ListState::new(Fixed), history: 0, results: Default::default() }
    }
}

pub const HINTS: [(Command, &str); 6] = [
    (Command::Open, "run"),
    (Command::EditSql, "write SQL"),
    (Command::Filter, "filter"),
    (Command::CommandLine, ":history"),
    (Command::Back, "back"),
    (Command::Help, "help"),
];

pub fn visible<'a>(ctx: &Ctx<'a>, state: &QueryViewState) -> Vec<&'a SavedQuery> {
    let needle = state.list.filter.to_lowercase();
    let matches = |q: &&SavedQuery| {
        needle.is_empty()
            || format!("{} {} {}", q.name, q.description, q.tables.join(" ")).to_lowercase().contains(&needle)
    };
    ctx.library.queries.iter().filter(matches).collect()
}

pub fn handle(state: &mut QueryViewState, ctx: &Ctx, command: Command) -> Option<Action> {
    let keys: Vec<String> = visible(ctx, state).iter().map(|q| q.name.clone()).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let selected = keys.get(state.list.selected_index(&keys)).map(|k| k.to_string());
    match command {
        Command::EditSql => {
            let sql = selected.and_then(|n| ctx.library.get(&n)).map(|q| q.sql.clone()).unwrap_or_default();
            return Some(Action::OpenSqlEditor(sql, Vec::new()));
        }
        Command::Back if state.list.filter.is_empty() => return Some(Action::Back),
        _ => {}
    }
    match state.list.handle(command, &keys) {
        ListOutcome::Open(name) => Some(Action::OpenQuery(name)),
        ListOutcome::EditFilter => Some(Action::EditFilter),
        ListOutcome::None => None,
    }
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &QueryViewState) {
    let theme = ctx.theme;
    let rows = visible(ctx, state);

    let keys: Vec<&str> = rows.iter().map(|q| q.name.as_str()).collect();
    let selected = state.list.selected_index(&keys);
    let range = crate::widgets::list::window(rows.len(), selected, area.height.saturating_sub(2) as usize);
    crate::widgets::list::note_rows(ctx, area, 1, &range, selected);
    // Narrow terminals leave the parameters to the form.
    let params_width: u16 = if area.width >= 120 { 48 } else { 0 };
    let description_width = area.width.saturating_sub(34 + params_width + 2) as usize;
    let body = rows[range.clone()].iter().map(|q| {
        let mut cells = vec![Span::styled(fit(&q.name, 34), theme.style(Role::Text))];
        if params_width > 0 {
            let params = silo_core::queries::params_text(q);
            cells.push(Span::styled(fit(&params, params_width as usize), theme.style(Role::Muted)));
        }
        cells.push(Span::styled(fit(&q.description, description_width), theme.style(Role::Text)));
        Row::new(cells)
    });
    let tenant =
        ctx.selected_tenant().map(|t| format!("tenant: {} ", t.name)).unwrap_or_else(|| "no tenant selected ".into());
    let mut title = vec![
        Span::styled(format!(" Saved queries ({}) ", rows.len()), theme.style(Role::Title)),
        Span::styled(tenant, theme.style(Role::Muted)),
    ];
    if !state.list.filter.is_empty() {
        title.push(Span::styled(format!("filter: {} ", state.list.filter), theme.style(Role::Key)));
    }
    let (widths, titles) = if params_width > 0 {
        (
            vec![Constraint::Length(34), Constraint::Length(params_width), Constraint::Min(10)],
            vec!["QUERY", "PARAMETERS", "DESCRIPTION"],
        )
    } else {
        (vec![Constraint::Length(34), Constraint::Min(10)], vec!["QUERY", "DESCRIPTION"])
    };
    let table = Table::new(body, widths)
        .header(Row::new(titles).style(theme.style(Role::Header)))
        .block(crate::widgets::list::top_block(ctx, title))
        .row_highlight_style(theme.style(Role::Selected));
    let mut state = TableState::default().with_selected((!rows.is_empty()).then_some(selected - range.start));
    frame.render_stateful_widget(table, area, &mut state);
}
