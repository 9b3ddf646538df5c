//! `:compare` (`m` on a version in `:releases`): did the version make any tenant worse? For each
//! tenant that moved to it, one metric over the same window before its deployment started and
//! after it finished: median and p95 of the period values, the change, WORSE beyond the tolerance;
//! worst first, the method on screen. ←/→ change the metric, +/- the window, Enter opens the
//! tenant's charts.

use crate::action::{Action, Screen};
use crate::context::Ctx;
use crate::keymap::Command;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Row as TableRow, Table, TableState};
use ratatui::Frame;
use silo_core::compare::{signed, Ask, Comparison, Row, COMPARE, METRICS, WINDOWS};
use silo_core::format::metric_value;
use silo_core::role::Role;
use silo_core::store::Loadable;

pub const HINTS: [(Command, &str); 8] = [
    (Command::Down, "move"),
    (Command::Right, "metric"),
    (Command::ZoomOut, "longer window"),
    (Command::ZoomIn, "shorter"),
    (Command::Open, "charts"),
    (Command::Refresh, "refresh"),
    (Command::Back, "back"),
    (Command::Quit, "quit"),
];

/// The tolerance `:compare` judges by (`silo compare --tolerance` sets its own).
pub const TOLERANCE_PERCENT: f64 = 20.0;

/// Which metric and window (indexes into `METRICS` and `WINDOWS`), and the selected tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareState {
    pub metric: usize,
    pub window: usize,
    pub selected: Option<String>,
}

impl Default for CompareState {
    fn default() -> CompareState {
        CompareState { metric: 0, window: 1, selected: None }
    }
}

/// The question the screen asks for `version`.
pub fn ask(state: &CompareState, version: &str) -> Option<Ask> {
    let metric = METRICS.get(state.metric)?.0;
    Ask::parse(version, metric, WINDOWS.get(state.window)?, TOLERANCE_PERCENT).ok()
}

fn answer<'a>(ctx: &Ctx<'a>, ask: &Ask) -> Loadable<&'a Comparison> {
    ctx.store.answer(&COMPARE, &ask.key())
}

fn rows<'a>(ctx: &Ctx<'a>, state: &CompareState, version: &str) -> &'a [Row] {
    let rows = ask(state, version).and_then(|a| answer(ctx, &a).value().copied());
    rows.map(|c| c.rows.as_slice()).unwrap_or_default()
}

fn selected_index(state: &CompareState, rows: &[Row]) -> usize {
    rows.iter().position(|r| Some(&r.account_id) == state.selected.as_ref()).unwrap_or(0)
}

pub fn handle(state: &mut CompareState, ctx: &Ctx, version: &str, command: Command) -> Option<Action> {
    let rows = rows(ctx, state, version);
    let current = selected_index(state, rows);
    let last = rows.len().saturating_sub(1);
    let step = |i: usize, up: bool, len: usize| if up { (i + 1) % len } else { (i + len - 1) % len };
    let target = match command {
        Command::Back => return Some(Action::Back),
        Command::Open => return rows.get(current).map(|r| Action::Navigate(Screen::Charts(r.account_id.clone()))),
        Command::Right | Command::Left => {
            state.metric = step(state.metric, command == Command::Right, METRICS.len());
            return Some(Action::Reload);
        }
        Command::ZoomOut | Command::ZoomIn => {
            let wider = command == Command::ZoomOut;
            state.window =
                if wider { (state.window + 1).min(WINDOWS.len() - 1) } else { state.window.saturating_sub(1) };
            return Some(Action::Reload);
        }
        Command::Down => (current + 1).min(last),
        Command::Up => current.saturating_sub(1),
        Command::Top => 0,
        Command::Bottom => last,
        _ => return None,
    };
    state.selected = rows.get(target).map(|r| r.account_id.clone());
    None
}

/// The selected tenant's account id (what `y` and `o` act on).
pub fn selected(state: &CompareState, ctx: &Ctx, version: &str) -> Option<String> {
    let rows = rows(ctx, state, version);
    rows.get(selected_index(state, rows)).map(|r| r.account_id.clone())
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &CompareState, version: &str) {
    let Some(ask) = ask(state, version) else { return };
    let loadable = answer(ctx, &ask);
    let [head, method, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let loading = if loadable.is_loading() { " · reading…" } else { "" };
    let window = WINDOWS.get(state.window).copied().unwrap_or_default();
    let title = format!(" Compare · {version} · {} · {window} each side{loading} ", ask.metric.label);
    frame.render_widget(Paragraph::new(Span::styled(title, ctx.theme.style(Role::Title))), head);
    let Some(comparison) = loadable.value().copied() else {
        let (text, role) = match loadable.error() {
            Some(e) => (format!(" ✗ {e}"), Role::Error),
            None => (" reading every tenant's deployments, then the metric around each move…".into(), Role::Muted),
        };
        frame.render_widget(Paragraph::new(Span::styled(text, ctx.theme.style(role))), method);
        return;
    };
    let line = format!(" {}", comparison.method.line());
    frame.render_widget(Paragraph::new(Span::styled(line, ctx.theme.style(Role::Muted))), method);
    table(frame, body, ctx, &comparison.rows, selected_index(state, &comparison.rows), ask.metric.unit);
}

/// The note takes what is left.
const WIDTHS: [Constraint; 6] = [
    Constraint::Length(18),
    Constraint::Length(8),
    Constraint::Length(11),
    Constraint::Length(16),
    Constraint::Length(16),
    Constraint::Fill(1),
];

fn table(frame: &mut Frame, area: Rect, ctx: &Ctx, rows: &[Row], selected: usize, unit: &str) {
    let header = ["TENANT", "CHANGE", "P95 CHANGE", "BEFORE (MEDIAN)", "AFTER (MEDIAN)", "NOTE"];
    let body = rows.iter().map(|r| table_row(ctx, r, unit));
    let table = Table::new(body, WIDTHS)
        .header(TableRow::new(header).style(ctx.theme.style(Role::Header)))
        .row_highlight_style(ctx.theme.style(Role::Selected));
    let mut state = TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(table, area, &mut state);
}

fn table_row(ctx: &Ctx, r: &Row, unit: &str) -> TableRow<'static> {
    let value = |s: Option<silo_core::compare::Side>| s.map(|s| metric_value(s.median, unit)).unwrap_or("-".into());
    let (note, role) = match (&r.error, r.moved.is_none(), r.worse, r.incomplete) {
        (Some(e), ..) => (format!("✗ {e}"), Role::Error),
        (None, true, ..) => ("not moved to this version".to_string(), Role::Muted),
        (None, false, true, incomplete) => {
            (format!("WORSE{}", if incomplete { ", after still running" } else { "" }), Role::Critical)
        }
        (None, false, false, true) => ("after: still running".to_string(), Role::Muted),
        _ => (String::new(), Role::Text),
    };
    let change_role = if r.worse { Role::Critical } else { Role::Text };
    let cells = [
        (r.tenant.clone(), Role::Text),
        (signed(r.change_percent), change_role),
        (signed(r.p95_change_percent), change_role),
        (value(r.before), Role::Muted),
        (value(r.after), Role::Text),
        (note, role),
    ];
    TableRow::new(cells.map(|(text, role)| Span::styled(text, ctx.theme.style(role))).to_vec())
}
