//! One query run: its state while Athena works (elapsed, data scanned, estimated cost; Esc or
//! Ctrl-C cancels it in Athena), then its results: a scrollable table with column types, sort by
//! column, search, copy (OSC 52), export; more pages are read as the selection nears the end.

use crate::app::{Action, App, Request};
use crate::keymap::Command;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};
use ratatui::Frame;
use silo_core::format::fit;
use silo_core::queries::run::{bytes_label, QueryRun, QueryState};
use silo_core::role::Role;

/// Rows left below the selection when the next page is asked for.
const PREFETCH: usize = 100;
/// Rows a run keeps in the TUI (a few hundred bytes each: about 200 MB at most); `silo query`
/// reads every page.
pub const MAX_ROWS_KEPT: usize = 500_000;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultsState {
    /// Position of the selection in the shown order.
    pub row: usize,
    pub col: usize,
    /// (column, descending).
    pub sort: Option<(usize, bool)>,
    pub filter: String,
    /// The shown order, kept until the rows, sort or search change.
    cache: super::result_order::OrderCache,
}

pub const HINTS: [(Command, &str); 9] = [
    (Command::Back, "back/cancel"),
    (Command::SortNext, "sort by column"),
    (Command::Filter, "search"),
    (Command::Copy, "copy row"),
    (Command::ExportCsv, "CSV"),
    (Command::ExportJson, "JSON"),
    (Command::EditSql, "edit SQL"),
    (Command::Rerun, "run again"),
    (Command::Help, "help"),
];

impl ResultsState {
    pub fn reset(&mut self) {
        *self = ResultsState::default();
    }

    /// Row indexes in display order: filtered by the search text, sorted by the chosen column.
    pub fn order(&self, run: &QueryRun) -> std::rc::Rc<Vec<usize>> {
        self.cache.order(run, self.sort, &self.filter)
    }
}

pub fn handle(app: &mut App, command: Command, run_id: u64) -> Option<Action> {
    let run = app.store.queries.get(&run_id)?;
    let shown = app.query.results.order(run).len();
    let columns = run.columns.len();
    let running = run.is_running();
    let state = &mut app.query.results;
    let last = shown.saturating_sub(1);
    match command {
        Command::Back if !state.filter.is_empty() => state.filter.clear(),
        Command::Back if running => return Some(Action::CancelQuery(run_id)),
        Command::Back => return Some(Action::Back),
        Command::Down => state.row = (state.row + 1).min(last),
        Command::Up => state.row = state.row.saturating_sub(1),
        Command::PageDown => state.row = (state.row + 20).min(last),
        Command::PageUp => state.row = state.row.saturating_sub(20),
        Command::Top => state.row = 0,
        Command::Bottom => state.row = last,
        Command::Left => state.col = state.col.saturating_sub(1),
        Command::Right => state.col = (state.col + 1).min(columns.saturating_sub(1)),
        Command::SortNext => {
            let numeric = run.columns.get(state.col).is_some_and(|c| c.is_numeric());
            state.sort = Some((state.col, numeric));
        }
        Command::SortReverse => state.sort = state.sort.map(|(c, d)| (c, !d)),
        Command::Filter => {
            app.modals.push(super::Modal::Filter(super::filter::FilterState::new(state.filter.clone())));
        }
        Command::Copy => copy_row(app, run_id, None),
        Command::CopyCell => {
            let col = app.query.results.col;
            copy_row(app, run_id, Some(col));
        }
        Command::ExportCsv | Command::ExportJson => export(app, run_id, command == Command::ExportJson),
        Command::EditSql => {
            let editor = super::sql_editor::EditorState::new(&run.request.sql, run.request.parameters.clone());
            app.modals.push(super::Modal::SqlEditor(editor));
        }
        Command::Rerun => return Some(Action::RunQuery(run.request.clone())),
        _ => {}
    }
    fetch_more_if_near_end(app, run_id);
    None
}

/// Copies the selected row, or one cell of it, through OSC 52.
fn copy_row(app: &mut App, run_id: u64, cell: Option<usize>) {
    let Some(run) = app.store.queries.get(&run_id) else { return };
    let order = app.query.results.order(run);
    let Some(row) = order.get(app.query.results.row).and_then(|i| run.rows.get(*i)) else { return };
    let (text, what) = match cell {
        Some(c) => (row.get(c).cloned().flatten().unwrap_or_default(), "cell"),
        None => (silo_core::queries::export::row_text(row), "row"),
    };
    app.status = Some((format!("copied the {what} ({} characters) to the clipboard", text.chars().count()), Role::Ok));
    app.outbox.push(Request::Copy(text));
}

fn export(app: &mut App, run_id: u64, json: bool) {
    let done = app.store.queries.get(&run_id).is_some_and(|r| !r.is_running() && !r.columns.is_empty());
    if done {
        app.outbox.push(Request::Export { run: run_id, json });
    } else {
        app.status = Some(("nothing to export yet: the query has no results".into(), Role::Error));
    }
}

/// Asks for the next page once the selection is within `PREFETCH` rows of the end.
pub fn fetch_more_if_near_end(app: &mut App, run_id: u64) {
    let row = app.query.results.row;
    let Some(run) = app.store.queries.get_mut(&run_id) else { return };
    let near_end = row + PREFETCH >= run.rows.len() && run.rows.len() < MAX_ROWS_KEPT;
    if let (true, false, Some(token), Some(id)) =
        (near_end, run.page_loading, run.next_token.clone(), run.execution_id.clone())
    {
        run.page_loading = true;
        app.outbox.push(Request::QueryPage(run_id, id, token));
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, run_id: u64) {
    let Some(run) = app.store.queries.get(&run_id) else {
        let text = Span::styled(format!(" run {run_id} is not in this session"), app.theme.style(Role::Error));
        frame.render_widget(Paragraph::new(text), area);
        return;
    };
    let [head, body] = Layout::vertical([Constraint::Length(4), Constraint::Min(1)]).areas(area);
    frame.render_widget(Paragraph::new(status_lines(app, run)), head);
    render_table(frame, body, app, run);
}

fn status_lines(app: &App, run: &QueryRun) -> Vec<Line<'static>> {
    let t = &app.theme;
    let status = run.status.as_ref();
    let role = match run.state() {
        Some(QueryState::Succeeded) => Role::Ok,
        Some(QueryState::Failed | QueryState::Cancelled) => Role::Error,
        _ => Role::Warning,
    };
    let seconds = run.elapsed(app.now).num_milliseconds() as f64 / 1000.0;
    let scanned = bytes_label(status.map(|s| s.data_scanned_bytes).unwrap_or(0));
    let reused = if status.is_some_and(|s| s.reused) { " (reused result)" } else { "" };
    let tenant = run.request.tenant.as_deref().map(|t| format!(" · {t}")).unwrap_or_default();
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!(" {}{tenant} ", run.request.name), t.style(Role::Title)),
            Span::styled(format!(" {} ", run.state_label()), t.style(role)),
            Span::styled(
                format!(" {seconds:.1}s · {scanned} scanned{reused} · est. ${}", run.cost()),
                t.style(Role::Text),
            ),
        ]),
        Line::from(Span::styled(
            format!(" {}", run.execution_id.as_deref().unwrap_or("(starting)")),
            t.style(Role::Muted),
        )),
    ];
    let note = match (run.state(), status.and_then(|s| s.reason.clone()), &run.error) {
        (_, _, Some(e)) => Some((e.to_string(), Role::Error)),
        (Some(QueryState::Failed | QueryState::Cancelled), Some(reason), _) => Some((reason, Role::Error)),
        (_, _, _) if run.is_running() => Some(("Esc or Ctrl-C cancels the query in Athena".to_string(), Role::Muted)),
        _ => None,
    };
    if let Some((text, role)) = note {
        lines.push(Line::from(Span::styled(format!(" {text}"), t.style(role))));
    }
    lines
}

fn render_table(frame: &mut Frame, area: Rect, app: &App, run: &QueryRun) {
    let t = &app.theme;
    let state = &app.query.results;
    let order = state.order(run);
    let selected = state.row.min(order.len().saturating_sub(1));
    let range = super::list::window(order.len(), selected, area.height.saturating_sub(3) as usize);
    super::list::note_rows(app, area, 2, &range, selected);
    let shown: Vec<&Vec<Option<String>>> = order[range.clone()].iter().filter_map(|i| run.rows.get(*i)).collect();
    let widths: Vec<u16> = (0..run.columns.len()).map(|c| column_width(run, c, &shown)).collect();
    let first = first_column(&widths, state.col, area.width);
    let cols: Vec<usize> = (first..run.columns.len()).collect();
    let header = cols.iter().map(|c| {
        let column = &run.columns[*c];
        let arrow = match state.sort {
            Some((s, true)) if s == *c => " ▼",
            Some((s, false)) if s == *c => " ▲",
            _ => "",
        };
        let role = if *c == state.col { Role::Key } else { Role::Header };
        let label = format!("{}{arrow}\n{}", column.name, column.kind);
        ratatui::text::Text::styled(label, t.style(role))
    });
    let rows = shown.iter().map(|row| {
        Row::new(cols.iter().map(|c| {
            let (text, role) = match row.get(*c).cloned().flatten() {
                Some(v) => (v, Role::Text),
                None => ("NULL".to_string(), Role::Muted),
            };
            Span::styled(fit(&text, widths[*c] as usize), t.style(role))
        }))
    });
    let more = match (run.next_token.is_some(), run.page_loading) {
        (_, true) => " · reading more…",
        (true, false) if run.rows.len() >= MAX_ROWS_KEPT => {
            " · the first 500,000 rows kept: `silo query` reads them all"
        }
        (true, false) => " · more pages in Athena",
        _ => "",
    };
    let search = if state.filter.is_empty() { String::new() } else { format!(" · search: {}", state.filter) };
    let title = format!(" {} rows ({} shown){more}{search} ", run.rows.len(), order.len());
    let constraints: Vec<Constraint> = cols.iter().map(|c| Constraint::Length(widths[*c])).collect();
    let table = Table::new(rows, constraints)
        .header(Row::new(header).height(2))
        .block(super::list::top_block(app, Span::styled(title, t.style(Role::Title))))
        .row_highlight_style(t.style(Role::Selected));
    let mut table_state = TableState::default().with_selected((!order.is_empty()).then_some(selected - range.start));
    frame.render_stateful_widget(table, area, &mut table_state);
}

/// The widest of the name, the type and the shown cells, between 4 and 40 columns.
fn column_width(run: &QueryRun, c: usize, shown: &[&Vec<Option<String>>]) -> u16 {
    let column = &run.columns[c];
    let cells = shown.iter().filter_map(|r| r.get(c).cloned().flatten()).map(|v| v.chars().count());
    let widest = cells.chain([column.name.chars().count() + 2, column.kind.chars().count()]).max().unwrap_or(4);
    widest.clamp(4, 40) as u16
}

/// The first column to draw so that the selected one fits in `width`.
fn first_column(widths: &[u16], selected: usize, width: u16) -> usize {
    let mut first = selected.min(widths.len().saturating_sub(1));
    let mut used = widths.get(first).copied().unwrap_or(0) + 1;
    while first > 0 && used + widths[first - 1] < width {
        first -= 1;
        used += widths[first] + 1;
    }
    first
}
