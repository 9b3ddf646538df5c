//! `M` on the fleet (or `:rollouts`): one metric across the tenants shown there (the first 12 of
//! the filtered list, from the selected one), a small chart per tenant on one shared value axis so
//! the charts compare at a glance, each with the tenant's deployments marked. ←/→ change the
//! metric, +/- the range, Enter opens the selected tenant's charts.

use super::charts::marks;
use crate::action::{Action, Screen};
use crate::context::Ctx;
use crate::keymap::Command;
use crate::widgets::chart::{self, Panel};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use silo_core::chart::{value_axis, Threshold};
use silo_core::compare::METRICS;
use silo_core::metrics::Series;
use silo_core::role::Role;
use silo_core::timeline::Event;

pub const HINTS: [(Command, &str); 8] = [
    (Command::Down, "move"),
    (Command::Right, "metric"),
    (Command::ZoomIn, "zoom in"),
    (Command::ZoomOut, "zoom out"),
    (Command::Open, "tenant's charts"),
    (Command::Refresh, "refresh"),
    (Command::Back, "back"),
    (Command::Quit, "quit"),
];

/// Tenants on one screen: each chart keeps room for its axes.
pub const MAX_TENANTS: usize = 12;

/// The metric (index into `compare::METRICS`) and the selected tenant's chart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AcrossState {
    pub metric: usize,
    pub selected: usize,
}

/// The panel id of the chosen metric.
fn metric_id(state: &AcrossState) -> &'static str {
    METRICS.get(state.metric).map_or("alb_5xx", |(_, id)| *id)
}

pub fn handle(state: &mut AcrossState, ctx: &Ctx, accounts: &[String], command: Command) -> Option<Action> {
    let last = accounts.len().saturating_sub(1);
    match command {
        Command::Back => return Some(Action::Back),
        Command::Open => return accounts.get(state.selected).map(|a| Action::Navigate(Screen::Charts(a.clone()))),
        Command::Right => state.metric = (state.metric + 1) % METRICS.len(),
        Command::Left => state.metric = (state.metric + METRICS.len() - 1) % METRICS.len(),
        Command::ZoomIn => return Some(Action::SetRanges(accounts.to_vec(), ctx.range.narrower())),
        Command::ZoomOut => return Some(Action::SetRanges(accounts.to_vec(), ctx.range.wider())),
        Command::NextRange => return Some(Action::SetRanges(accounts.to_vec(), ctx.range.next())),
        Command::PanBack | Command::PanForward => {
            return Some(Action::Pan(accounts.to_vec(), command == Command::PanBack))
        }
        Command::Down => state.selected = (state.selected + 1).min(last),
        Command::Up => state.selected = state.selected.saturating_sub(1),
        _ => {}
    }
    None
}

/// One tenant's series of the metric, its name, and its marks.
struct Tenant<'a> {
    name: String,
    series: Option<&'a Series>,
    marks: Vec<Event>,
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &AcrossState, accounts: &[String]) {
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let to = ctx.range_end.unwrap_or(ctx.now);
    let from = to - chrono::Duration::seconds(ctx.range.seconds());
    let id = metric_id(state);
    let tenants: Vec<Tenant> = accounts.iter().map(|a| tenant(ctx, a, id, from, to)).collect();
    let label = silo_core::metrics::PANELS.iter().find(|p| p.id == id).map_or(id, |p| p.label);
    let loaded = tenants.iter().filter(|t| t.series.is_some()).count();
    let window = super::charts::window_words(ctx);
    let text = format!(" {label} across {} tenants · {window} · one scale · {loaded} loaded ", accounts.len());
    let legend = "· │d deployment";
    let title = Line::from(vec![
        Span::styled(text, ctx.theme.style(Role::Title)),
        Span::styled(legend, ctx.theme.style(Role::Muted)),
    ]);
    frame.render_widget(Paragraph::new(title), head);
    let shared = value_axis(tenants.iter().flat_map(|t| t.series.into_iter().flat_map(Series::values)), None, 4);
    let panels: Vec<(Panel, String)> = tenants
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let series = t.series?;
            let panel = Panel {
                series,
                from,
                to,
                threshold: None::<Threshold>,
                marks: &t.marks,
                alarm_spans: Vec::new(),
                cursor: None,
                selected: i == state.selected,
                axis: Some(shared.clone()),
                name: Some(t.name.clone()),
            };
            Some((panel, t.name.clone()))
        })
        .collect();
    if panels.is_empty() {
        let text = Span::styled(" loading the tenants' metrics…", ctx.theme.style(Role::Muted));
        frame.render_widget(Paragraph::new(text), body);
        return;
    }
    grid(frame, body, ctx, &panels);
}

fn tenant<'a>(
    ctx: &Ctx<'a>,
    account: &str,
    id: &str,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> Tenant<'a> {
    let name = ctx.store.tenants.get(account).map_or(account.to_string(), |r| r.tenant.name.clone());
    let series =
        ctx.store.dashboards.get(account).and_then(|d| d.value()).and_then(|d| d.series.iter().find(|s| s.id == id));
    Tenant { name, series, marks: marks(ctx.store, account, from, to) }
}

/// Small multiples: columns by width, rows sharing the height.
fn grid(frame: &mut Frame, area: Rect, ctx: &Ctx, panels: &[(Panel, String)]) {
    let columns = usize::from(area.width / 50).clamp(1, 4);
    let rows = panels.len().div_ceil(columns).max(1);
    let height = (area.height / rows as u16).max(6);
    for (r, row) in panels.chunks(columns).enumerate() {
        let y = area.y + r as u16 * height;
        if y + 3 > area.y + area.height {
            break;
        }
        let line = Rect { y, height: height.min(area.y + area.height - y), ..area };
        let cells = Layout::horizontal(vec![Constraint::Ratio(1, columns as u32); columns]).split(line);
        for ((panel, _), cell) in row.iter().zip(cells.iter()) {
            chart::render(frame, *cell, ctx, panel);
        }
    }
}
