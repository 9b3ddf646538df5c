//! `m`: one tenant's metrics as charts (`widgets::chart`), a grid that reflows with the terminal
//! (one column below 100 columns, up to four), the selected chart full screen on Enter with a
//! cursor (←/→) reading the value under it. `+`/`-` zoom the range (1h to 30d), `R` cycles it.
//! Each chart draws the tenant's alarm threshold on its metric, the alarm's ALARM period, and the
//! range's changes: the deployments, or the open timeline's changes with its suspects.

use crate::action::Action;
use crate::context::Ctx;
use crate::keymap::Command;
use crate::widgets::chart::{self, Panel};
use chrono::{DateTime, Utc};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use silo_core::chart::{alarm_spans, Threshold};
use silo_core::metrics::Dashboard;
use silo_core::role::Role;
use silo_core::store::Loadable;

pub const HINTS: [(Command, &str); 9] = [
    (Command::Down, "move"),
    (Command::Open, "full screen"),
    (Command::ZoomIn, "zoom in"),
    (Command::ZoomOut, "zoom out"),
    (Command::PanBack, "earlier"),
    (Command::NextRange, "range"),
    (Command::Refresh, "refresh"),
    (Command::Back, "back"),
    (Command::Quit, "quit"),
];

/// The selected chart, whether it fills the screen, and the cursor's place (percent of the range).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartsState {
    pub selected: usize,
    pub full: bool,
    pub cursor: Option<u8>,
}

/// Charts side by side: one per 60 columns (at least one, at most four).
pub fn columns_for(width: u16) -> usize {
    usize::from(width / 60).clamp(1, 4)
}

/// Rows of charts on screen and each one's height: every row at least 8 lines (the axes and a
/// few values), the screen's height shared out, and no taller than 16 when every row fits.
fn row_layout(area: Rect, rows: usize) -> (usize, u16) {
    let visible = usize::from(area.height / 8).clamp(1, rows.max(1));
    let height = (area.height / visible as u16).max(8);
    let height = if visible == rows { height.min(16) } else { height };
    (visible, height)
}

fn dashboard<'a>(ctx: &Ctx<'a>, account: &str) -> Option<&'a Loadable<Dashboard>> {
    ctx.store.dashboards.get(account)
}

pub fn handle(state: &mut ChartsState, ctx: &Ctx, account: &str, command: Command) -> Option<Action> {
    let count = dashboard(ctx, account).and_then(|d| d.value()).map_or(0, |d| d.series.len());
    let last = count.saturating_sub(1);
    let step = if state.full { 0 } else { 1 };
    match command {
        Command::Back if state.full => state.full = false,
        Command::Back => return Some(Action::Back),
        Command::Open => state.full = !state.full,
        Command::ZoomIn => return Some(Action::SetRange(account.to_string(), ctx.range.narrower())),
        Command::ZoomOut => return Some(Action::SetRange(account.to_string(), ctx.range.wider())),
        Command::NextRange => return Some(Action::SetRange(account.to_string(), ctx.range.next())),
        Command::PanBack | Command::PanForward => {
            return Some(Action::Pan(vec![account.to_string()], command == Command::PanBack))
        }
        Command::Left | Command::Right if state.full => move_cursor(state, command),
        Command::Right | Command::Down => state.selected = (state.selected + step.max(1)).min(last),
        Command::Left | Command::Up => state.selected = state.selected.saturating_sub(1),
        Command::Top => state.selected = 0,
        Command::Bottom => state.selected = last,
        _ => {}
    }
    None
}

/// ←/→ move the cursor by 2% of the range; it starts at the newest point.
fn move_cursor(state: &mut ChartsState, command: Command) {
    let now = state.cursor.unwrap_or(100);
    state.cursor = Some(match command {
        Command::Left => now.saturating_sub(2),
        _ => (now + 2).min(100),
    });
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &ChartsState, account: &str) {
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let slot = dashboard(ctx, account);
    frame.render_widget(Paragraph::new(title(ctx, account, slot)), head);
    let Some(board) = slot.and_then(|d| d.value()) else {
        let (text, role) = waiting(ctx, slot);
        frame.render_widget(Paragraph::new(Span::styled(text, ctx.theme.style(role))), body);
        return;
    };
    let to = ctx.range_end.unwrap_or(ctx.now);
    let from = to - chrono::Duration::seconds(board.range.seconds());
    let marks = marks(ctx.store, account, from, to);
    let panels = panels(ctx, account, board, state, (&marks, from, to));
    if state.full {
        if let Some(panel) = panels.get(state.selected.min(panels.len().saturating_sub(1))) {
            chart::render(frame, body, ctx, panel);
        }
        return;
    }
    grid(frame, body, ctx, &panels, state.selected);
}

/// `last 6h`, or `6h until 07 Dec 03:10 UTC-3` when panned into the past.
pub fn window_words(ctx: &Ctx) -> String {
    match ctx.range_end {
        None => format!("last {}", ctx.range.label()),
        Some(end) => {
            let local = end.with_timezone(&ctx.zone);
            let zone = silo_core::terms::window::zone_label(&local);
            format!("{} until {} {zone} (] to come back)", ctx.range.label(), local.format("%d %b %H:%M"))
        }
    }
}

fn title(ctx: &Ctx, account: &str, slot: Option<&Loadable<Dashboard>>) -> Line<'static> {
    let name = ctx.store.tenants.get(account).map_or(account.to_string(), |r| r.tenant.name.clone());
    let period = slot.and_then(|d| d.value()).map(|d| format!(" · {}-second points", d.period_seconds));
    let loading = if slot.is_some_and(|s| s.is_loading()) { " · loading…" } else { "" };
    let text = format!(" Charts · {name} · {}{}{loading}", window_words(ctx), period.unwrap_or_default());
    let legend = " · ╌ alarm threshold  ▀ in ALARM  │d deployment  a action  ┃S suspect";
    Line::from(vec![
        Span::styled(text, ctx.theme.style(Role::Title)),
        Span::styled(legend, ctx.theme.style(Role::Muted)),
    ])
}

fn waiting(ctx: &Ctx, slot: Option<&Loadable<Dashboard>>) -> (String, Role) {
    match slot {
        Some(Loadable::Failed { error, .. }) => (format!(" metrics: {error}"), Role::Error),
        _ if ctx.offline => (" metrics are not kept offline".into(), Role::Muted),
        _ => (" loading metrics…".into(), Role::Muted),
    }
}

/// Every series as a chart over the range that ends now, with the tenant's thresholds and marks.
fn panels<'a>(
    ctx: &Ctx<'a>,
    account: &str,
    board: &'a Dashboard,
    state: &ChartsState,
    (marks, from, to): (&'a [silo_core::timeline::Event], DateTime<Utc>, DateTime<Utc>),
) -> Vec<Panel<'a>> {
    let alarms = ctx.store.tenants.get(account).and_then(|r| r.alarms.value()).map(|a| a.alarms.as_slice());
    let alarms = alarms.unwrap_or_default();
    board
        .series
        .iter()
        .enumerate()
        .map(|(i, series)| {
            let threshold = Threshold::of(alarms, &series.namespace, &series.metric);
            let history = threshold.as_ref().and_then(|t| history(ctx, account, &t.alarm));
            let spans = alarm_spans(alarms, threshold.as_ref(), history, (from, to));
            let selected = i == state.selected;
            let cursor = state.cursor.filter(|_| selected && state.full).map(|c| f64::from(c) / 100.0);
            Panel { series, from, to, threshold, marks, alarm_spans: spans, cursor, selected, axis: None, name: None }
        })
        .collect()
}

/// The charts in rows of `columns_for(width)`, scrolled so the selected one is on screen.
fn grid(frame: &mut Frame, area: Rect, ctx: &Ctx, panels: &[Panel], selected: usize) {
    let columns = columns_for(area.width);
    let rows = panels.len().div_ceil(columns);
    let (visible, height) = row_layout(area, rows);
    let first_row = (selected / columns).saturating_sub(visible - 1);
    for (r, row) in panels.chunks(columns).enumerate().skip(first_row).take(visible) {
        let y = area.y + (r - first_row) as u16 * height;
        let line = Rect { y, height: height.min(area.y + area.height - y), ..area };
        let cells = Layout::horizontal(vec![Constraint::Ratio(1, columns as u32); columns]).split(line);
        for (panel, cell) in row.iter().zip(cells.iter()) {
            chart::render(frame, *cell, ctx, panel);
        }
    }
}

/// What happened to the tenant in a chart's range, to mark on it: the changes of its open
/// timeline (with the suspects of the alarm it was opened on), else the starts of its deployments
/// as the card read them.
pub fn marks(
    store: &silo_core::store::Store,
    account_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<silo_core::timeline::Event> {
    let timeline = store.timeline.value().filter(|t| t.account_id == account_id);
    let events: Vec<silo_core::timeline::Event> = match timeline {
        Some(t) => t.events.iter().filter(|e| e.is_change()).cloned().collect(),
        None => {
            let status = store.deployments.get(account_id).and_then(|d| d.value());
            let deployments = status.map(|s| s.deployments.as_slice()).unwrap_or_default();
            silo_core::timeline::deployment_events(deployments).into_iter().filter(|e| e.kind == "started").collect()
        }
    };
    let mut inside: Vec<silo_core::timeline::Event> =
        events.into_iter().filter(|e| e.at >= from && e.at <= to).collect();
    inside.sort_by_key(|e| e.at);
    inside
}

/// An alarm's history when it was read (`alarm_reads` asks for it as the charts open).
fn history<'a>(ctx: &Ctx<'a>, account: &str, alarm: &str) -> Option<&'a [silo_core::alarms::AlarmHistoryItem]> {
    let key = silo_core::alarms::HISTORY.of_tenant(account, alarm);
    ctx.store.answer(&silo_core::alarms::HISTORY, &key).value().map(|h| h.as_slice())
}

/// The histories of the tenant's alarms that watch a charted metric: their earlier ALARM periods.
pub fn alarm_reads(ctx: &Ctx, account: &str) -> Vec<silo_core::reads::ReadKey> {
    let alarms = ctx.store.tenants.get(account).and_then(|r| r.alarms.value());
    let watching = alarms.into_iter().flat_map(|a| a.alarms.iter()).filter(|a| a.watch.is_some());
    watching.map(|a| silo_core::alarms::HISTORY.of_tenant(account, &a.name)).collect()
}
