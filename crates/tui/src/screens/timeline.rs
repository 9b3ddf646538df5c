//! `T`: what changed. One tenant's alarms, deployments, findings and silo's own actions on one
//! time line, newest first; opened on an alarm, the changes in the window before it fired are
//! suspects, marked and named in the header. `R` widens the range, Enter pivots to the row's screen.

use crate::action::{Action, Screen};
use crate::context::Ctx;
use crate::keymap::Command;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};
use ratatui::Frame;
use silo_core::format::fit;
use silo_core::role::Role;
use silo_core::timeline::{Event, Source, Timeline};

/// The saved query `C` runs for the timeline's tenant and range.
pub const CLOUDTRAIL_QUERY: &str = "cloudtrail-write-events";

pub const HINTS: [(Command, &str); 6] = [
    (Command::Open, "go to"),
    (Command::CloudTrail, "CloudTrail"),
    (Command::NextRange, "range"),
    (Command::Refresh, "reload"),
    (Command::Back, "back"),
    (Command::Quit, "quit"),
];

/// The ranges `R` steps through, in hours.
pub const RANGES: [i64; 4] = [6, 24, 168, 1];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineState {
    pub account_id: String,
    /// The alarm it was opened on: its last firing decides the suspects.
    pub alarm: Option<String>,
    pub hours: i64,
    pub selected: usize,
}

impl TimelineState {
    pub fn new(account_id: &str, alarm: Option<String>) -> TimelineState {
        TimelineState { account_id: account_id.to_string(), alarm, hours: RANGES[0], selected: 0 }
    }

    /// The next range after the current one.
    pub fn next_range(&mut self) {
        let at = RANGES.iter().position(|h| *h == self.hours).unwrap_or(0);
        self.hours = RANGES[(at + 1) % RANGES.len()];
        self.selected = 0;
    }
}

/// Keys on the timeline: moving, `R` (the app re-reads), Enter pivots, Esc goes back.
pub fn handle(state: &mut TimelineState, ctx: &Ctx, command: Command) -> Option<Action> {
    let events = ctx.store.timeline.value().map(|t| t.events.as_slice()).unwrap_or_default();
    let last = events.len().saturating_sub(1);
    match command {
        Command::Down => state.selected = (state.selected + 1).min(last),
        Command::Up => state.selected = state.selected.saturating_sub(1),
        Command::Top => state.selected = 0,
        Command::Bottom => state.selected = last,
        Command::Back => return Some(Action::Back),
        Command::Open => return events.get(state.selected).and_then(|e| pivot(&state.account_id, e)),
        Command::CloudTrail => return ctx.store.timeline.value().map(cloudtrail),
        _ => {}
    }
    None
}

/// The CloudTrail query's form for exactly this timeline's range (the tenant is the selected one).
fn cloudtrail(timeline: &Timeline) -> Action {
    let time = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (from, to) = (time(timeline.from), time(timeline.to));
    let values = [("from_day", &from), ("to_day", &to), ("from", &from), ("to", &to)];
    let values = values.into_iter().map(|(param, value)| (param.to_string(), value.clone())).collect();
    Action::OpenQueryWith(CLOUDTRAIL_QUERY.to_string(), values)
}

/// The screen a row leads to: the deployment, the finding or the alarm it is about.
fn pivot(account_id: &str, event: &Event) -> Option<Action> {
    match event.source {
        Source::Deployment => Some(Action::OpenDeploy(account_id.to_string())),
        Source::Finding => Some(Action::OpenFinding(event.reference.clone())),
        Source::Alarm => Some(Action::OpenAlarm(account_id.to_string(), event.reference.clone())),
        Source::Action => Some(Action::Navigate(Screen::Audit)),
        Source::Health => Some(Action::Navigate(Screen::Health)),
        Source::Vpn => Some(Action::Navigate(Screen::Tenant(account_id.to_string()))),
    }
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &TimelineState) {
    let timeline = ctx.store.timeline.value().filter(|t| t.account_id == state.account_id);
    let head_height = 2 + timeline.map(|t| t.errors.len() as u16).unwrap_or(0);
    let [head, body] = Layout::vertical([Constraint::Length(head_height), Constraint::Min(1)]).areas(area);
    frame.render_widget(Paragraph::new(head_lines(ctx, state, timeline)), head);
    match timeline {
        Some(t) if !t.events.is_empty() => render_events(frame, body, ctx, state, &t.events),
        Some(_) => {
            frame.render_widget(Span::styled(" nothing happened in this range", ctx.theme.style(Role::Muted)), body)
        }
        None => frame.render_widget(Span::styled(" reading every source…", ctx.theme.style(Role::Muted)), body),
    }
}

/// The title (tenant, range, alarm), the suspects line and one line per source that failed.
fn head_lines(ctx: &Ctx, state: &TimelineState, timeline: Option<&Timeline>) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let tenant = ctx.store.tenants.get(&state.account_id).map(|r| r.tenant.name.clone()).unwrap_or_default();
    let around = state.alarm.as_deref().map(|a| format!(" · around {a}")).unwrap_or_default();
    let loading = if ctx.store.timeline.is_loading() { " · reading…" } else { "" };
    let mut lines = vec![Line::from(Span::styled(
        format!(" Timeline of {tenant} · last {}{around}{loading}", range_label(state.hours)),
        t.style(Role::Title),
    ))];
    let suspects = timeline.and_then(|t| t.suspects.clone());
    let role = if timeline.is_some_and(|t| t.events.iter().any(|e| e.suspect)) { Role::Warning } else { Role::Muted };
    lines.push(Line::from(Span::styled(format!(" {}", suspects.unwrap_or_default()), t.style(role))));
    for e in timeline.map(|t| t.errors.as_slice()).unwrap_or_default() {
        let text = format!(" {} not read ({}): {}", e.source.label(), e.kind, e.message);
        lines.push(Line::from(Span::styled(text, t.style(Role::Error))));
    }
    lines
}

fn render_events(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &TimelineState, events: &[Event]) {
    let theme = ctx.theme;
    let detail = (area.width as usize).saturating_sub(1 + 14 + 11 + 18 + 36 + 5).max(10);
    let widths = [1, 14, 11, 18, 36, detail];
    let header = Row::new(["", "TIME", "SOURCE", "EVENT", "WHAT", "DETAIL"]).style(theme.style(Role::Header));
    let range = crate::widgets::list::window(events.len(), state.selected, area.height.saturating_sub(1) as usize);
    crate::widgets::list::note_rows(ctx, area, 1, &range, state.selected);
    let rows = events[range.clone()].iter().map(|e| {
        let cells = [
            if e.suspect { "*".to_string() } else { String::new() },
            e.at.format("%m-%d %H:%M:%S").to_string(),
            e.source.label().to_string(),
            e.kind.clone(),
            e.title.clone(),
            e.detail.clone(),
        ];
        let role = if e.suspect { Role::Warning } else { Role::Text };
        Row::new(cells.into_iter().zip(widths).map(|(c, w)| fit(&c, w))).style(theme.style(role))
    });
    let mut table_state = TableState::default().with_selected(Some(state.selected.saturating_sub(range.start)));
    let table = Table::new(rows, widths.map(|w| Constraint::Length(w as u16)))
        .header(header)
        .row_highlight_style(theme.style(Role::Selected));
    frame.render_stateful_widget(table, area, &mut table_state);
}

fn range_label(hours: i64) -> String {
    match hours {
        1 => "hour".into(),
        24 => "day".into(),
        h if h % 24 == 0 => format!("{} days", h / 24),
        h => format!("{h} hours"),
    }
}
