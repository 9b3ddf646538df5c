//! One query run: its state while Athena works (elapsed, data scanned, estimated cost; Esc or
//! Ctrl-C cancels it in Athena), then its results: a scrollable table with column types, sort by
//! column, search, copy (OSC 52), export; more pages are read as the selection nears the end.

use crate::action::{Action, Request};
use crate::context::Ctx;
use crate::keymap::Command;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};
use ratatui::Frame;
use silo_core::format::fit;
use silo_core::queries::run::{bytes_label, QueryRun, QueryState};
use silo_core::role::Role;

/// Rows left below the selection when the next page is asked for.
pub const PREFETCH: usize = 100;
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

/// Keys on a run's results. The app reads the next page when the selection nears the end.
pub fn handle(state: &mut ResultsState, ctx: &Ctx, command: Command, run_id: u64) -> Option<Action> {
    let run = ctx.store.queries.get(&run_id)?;
    let shown = state.order(run).len();
    let columns = run.columns.len();
    let running = run.is_running();
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
        Command::Filter => return Some(Action::EditFilter),
        Command::Copy => return copy_row(state, run, None),
        Command::CopyCell => return copy_row(state, run, Some(state.col)),
        Command::ExportCsv | Command::ExportJson => return Some(export(run, run_id, command == Command::ExportJson)),
        Command::EditSql => {
            return Some(Action::OpenSqlEditor(run.request.sql.clone(), run.request.parameters.clone()));
        }
        Command::Rerun => return Some(Action::RunQuery(run.request.clone())),
        _ => {}
    }
    None
}

/// Copies the selected row, or one cell of it, through OSC 52.
fn copy_row(state: &ResultsState, run: &QueryRun, cell: Option<usize>) -> Option<Action> {
    let order = state.order(run);
    let row = order.get(state.row).and_then(|i| run.rows.get(*i))?;
    let (text, what) = match cell {
        Some(c) => (row.get(c).cloned().flatten().unwrap_or_default(), "cell"),
        None => (silo_core::queries::export::row_text(row), "row"),
    };
    let status = format!("copied the {what} ({} characters) to the clipboard", text.chars().count());
    Some(Action::Many(vec![Action::Status(status, Role::Ok), Action::Request(Request::Copy(text))]))
}

fn export(run: &QueryRun, run_id: u64, json: bool) -> Action {
    if !run.is_running() && !run.columns.is_empty() {
        Action::Request(Request::Export { run: run_id, json })
    } else {
        Action::Status("nothing to export yet: the query has no results".into(), Role::Error)
    }
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &ResultsState, run_id: u64) {
    let Some(run) = ctx.store.queries.get(&run_id) else {
        let text = Span::styled(format!(" run {run_id} is not in this session"), ctx.theme.style(Role::Error));
        frame.render_widget(Paragraph::new(text), area);
        return;
    };
    let [head, body] = Layout::vertical([Constraint::Length(4), Constraint::Min(1)]).areas(area);
    frame.render_widget(Paragraph::new(status_lines(ctx, run)), head);
    render_table(frame, body, ctx, state, run);
}

/// The workgroup's scan cutoff after the execution id; a warning when there is none.
fn scan_limit(ctx: &Ctx) -> Span<'static> {
    match ctx.store.scan_limit.value().map(|l| l.describe()) {
        Some((text, false)) => Span::styled(format!(" · {text}"), ctx.theme.style(Role::Muted)),
        Some((text, true)) => Span::styled(format!(" · {text}"), ctx.theme.style(Role::Warning)),
        None => Span::raw(""),
    }
}

fn status_lines(ctx: &Ctx, run: &QueryRun) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let status = run.status.as_ref();
    let role = match run.state() {
        Some(QueryState::Succeeded) => Role::Ok,
        Some(QueryState::Failed | QueryState::Cancelled) => Role::Error,
        _ => Role::Warning,
    };
    let seconds = run.elapsed(ctx.now).num_milliseconds() as f64 / 1000.0;
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
        Line::from(vec![
            Span::styled(format!(" {}", run.execution_id.as_deref().unwrap_or("(starting)")), t.style(Role::Muted)),
            scan_limit(ctx),
        ]),
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

fn render_table(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &ResultsState, run: &QueryRun) {
    let t = ctx.theme;
    let order = state.order(run);
    let selected = state.row.min(order.len().saturating_sub(1));
    let range = crate::widgets::list::window(order.len(), selected, area.height.saturating_sub(3) as usize);
    crate::widgets::list::note_rows(ctx, area, 2, &range, selected);
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
        .block(crate::widgets::list::top_block(ctx, Span::styled(title, t.style(Role::Title))))
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
