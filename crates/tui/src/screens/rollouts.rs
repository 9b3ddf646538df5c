//! `:rollouts`: the release train. One group per version (newest first) with its tenants, each
//! with its customer's window, its certification and its scheduled update; the count line on
//! top; `/` filters (`version:1.4`, or part of a tenant's name); Enter opens the tenant; space
//! marks; `U` schedules the marked tenants (or the selected one): a revision (the newest by
//! default) at a time (each one's next window by default); `X` cancels the selected tenant's
//! soonest schedule (planned, then confirmed by typing the tenant's name, or `schedule N tenants`).

use crate::action::{Action, Screen};
use crate::context::Ctx;
use crate::keymap::Command;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};
use ratatui::Frame;
use silo_core::format::fit;
use silo_core::role::Role;
use silo_core::rollouts::train::{self, Group};
use silo_core::store::TenantRecord;

pub const HINTS: [(Command, &str); 9] = [
    (Command::Down, "move"),
    (Command::Open, "tenant"),
    (Command::Mark, "mark"),
    (Command::ScheduleUpdate, "schedule"),
    (Command::CancelSchedule, "cancel schedule"),
    (Command::Filter, "filter (version:1.4)"),
    (Command::Refresh, "refresh"),
    (Command::Back, "back"),
    (Command::Quit, "quit"),
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RolloutsState {
    /// Account id of the selected tenant.
    pub selected: Option<String>,
    pub filter: String,
    /// Schedules asked for before the tenants' revisions and schedules were read: planned when
    /// they are in.
    pub pending: Option<crate::action::ScheduleAsk>,
    /// Tenants (account ids) whose schedules an action in flight changes: read again when it ends.
    pub changing: Vec<String>,
    /// Tenants (account ids) marked to be scheduled together.
    pub marked: std::collections::BTreeSet<String>,
}

/// The tenants in train order (the order the rows are drawn in).
fn ordered<'a>(groups: &[Group<'a>]) -> Vec<&'a TenantRecord> {
    groups.iter().flat_map(|g| g.tenants.iter().copied()).collect()
}

pub fn handle(state: &mut RolloutsState, ctx: &Ctx, command: Command) -> Option<Action> {
    let groups = train::groups(ctx.store, &state.filter);
    let keys: Vec<&str> = ordered(&groups).iter().map(|r| r.tenant.account_id.as_str()).collect();
    let current = state.selected.as_deref().and_then(|s| keys.iter().position(|k| *k == s)).unwrap_or(0);
    let last = keys.len().saturating_sub(1);
    let target = match command {
        Command::Back if !state.filter.is_empty() => {
            state.filter.clear();
            return None;
        }
        Command::Back => return Some(Action::Back),
        Command::Filter => return Some(Action::EditFilter),
        Command::Open => return keys.get(current).map(|k| Action::Navigate(Screen::Tenant(k.to_string()))),
        Command::Across => {
            let shown = keys.iter().skip(current).take(super::across::MAX_TENANTS).map(|k| k.to_string()).collect();
            return Some(Action::Navigate(Screen::Across(shown)));
        }
        Command::ScheduleUpdate => return schedule(state, keys.get(current).copied()),
        Command::Mark => {
            toggle(&mut state.marked, keys.get(current).copied());
            (current + 1).min(last)
        }
        Command::MarkAll => {
            mark_all(&mut state.marked, &keys);
            current
        }
        Command::CancelSchedule => return keys.get(current).map(|k| Action::PlanCancelSchedule(k.to_string())),
        Command::Down => (current + 1).min(last),
        Command::Up => current.saturating_sub(1),
        Command::Top => 0,
        Command::Bottom => last,
        _ => return None,
    };
    state.selected = keys.get(target).map(|k| k.to_string());
    None
}

/// The marked tenants, or the selected one, to schedule.
fn schedule(state: &RolloutsState, selected: Option<&str>) -> Option<Action> {
    let accounts: Vec<String> = match state.marked.is_empty() {
        true => selected.map(str::to_string).into_iter().collect(),
        false => state.marked.iter().cloned().collect(),
    };
    (!accounts.is_empty()).then_some(Action::AskSchedule(accounts))
}

fn toggle(marked: &mut std::collections::BTreeSet<String>, key: Option<&str>) {
    if let Some(k) = key {
        if !marked.remove(k) {
            marked.insert(k.to_string());
        }
    }
}

/// Marks every tenant shown (the filter decides which), or clears the marks when all are marked.
fn mark_all(marked: &mut std::collections::BTreeSet<String>, keys: &[&str]) {
    if keys.iter().all(|k| marked.contains(*k)) {
        marked.clear();
    } else {
        marked.extend(keys.iter().map(|k| k.to_string()));
    }
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &RolloutsState) {
    let groups = train::groups(ctx.store, &state.filter);
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    let filter = if state.filter.is_empty() { String::new() } else { format!(" · filter: {}", state.filter) };
    let lines = vec![
        Line::from(Span::styled(format!(" Release train{filter}"), ctx.theme.style(Role::Title))),
        Line::from(Span::styled(format!(" {}", train::count_line(&groups)), ctx.theme.style(Role::Text))),
    ];
    frame.render_widget(Paragraph::new(lines), head);
    if groups.is_empty() {
        let text = if ctx.store.tenants.is_empty() { " loading the fleet…" } else { " no tenant matches the filter" };
        frame.render_widget(Span::styled(text, ctx.theme.style(Role::Muted)), body);
        return;
    }
    table(frame, body, ctx, state, &groups);
}

fn table(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &RolloutsState, groups: &[Group]) {
    let theme = ctx.theme;
    let catalog = shows_catalog(ctx);
    let last_run = area.width >= LAST_RUN_FROM_WIDTH;
    let widths = widths(area.width, catalog, last_run);
    let mut titles = vec!["TENANT", "WINDOW", "CERTIFICATION"];
    titles.extend(last_run.then_some("LAST RUN"));
    titles.push("SCHEDULED");
    titles.extend(catalog.then_some("CATALOG"));
    let header = Row::new(titles).style(theme.style(Role::Header));
    let mut rows = Vec::new();
    let mut selected_row = None;
    for g in groups {
        let name = g.version.clone().unwrap_or_else(|| "version unknown".into());
        rows.push(Row::new([format!("{name} · {}", g.tenants.len())]).style(theme.style(Role::Key)));
        for r in &g.tenants {
            if state.selected.as_deref().is_none_or(|s| s == r.tenant.account_id) && selected_row.is_none() {
                selected_row = Some(rows.len());
            }
            let mark = state.marked.contains(&r.tenant.account_id);
            let mut cells = tenant_cells(ctx, r, g.version.as_deref(), mark, last_run);
            cells.extend(catalog.then(|| provisioned(ctx, &r.tenant.account_id)));
            rows.push(Row::new(
                cells
                    .into_iter()
                    .zip(widths.iter().copied())
                    .map(|((text, role), w)| ratatui::text::Text::styled(fit(&text, w), theme.style(role))),
            ));
        }
    }
    let mut table_state = TableState::default().with_selected(selected_row);
    let table = Table::new(rows, widths.iter().map(|w| Constraint::Length(*w as u16)))
        .header(header)
        .row_highlight_style(theme.style(Role::Selected));
    frame.render_stateful_widget(table, area, &mut table_state);
}

/// The last run's column shows from this terminal width; narrower, the tenant card has it.
const LAST_RUN_FROM_WIDTH: u16 = 120;

/// Column widths: the fixed ones, then the rest for the schedule (shared with the Service
/// Catalog products when they are read).
fn widths(width: u16, catalog: bool, last_run: bool) -> Vec<usize> {
    let last = if last_run { 22 } else { 0 };
    let rest = (width as usize).saturating_sub(20 + 38 + 15 + 5 + last).max(12);
    let mut widths = vec![20, 38, 15];
    widths.extend(last_run.then_some(21));
    match catalog {
        true => widths.extend([rest / 2, rest - rest / 2]),
        false => widths.push(rest),
    }
    widths
}

/// Whether any tenant's Service Catalog products were read (`[tenants] service_catalog`).
fn shows_catalog(ctx: &Ctx) -> bool {
    ctx.store.provisioned.values().any(|l| matches!(l.value(), Some(Some(_))))
}

/// The tenant's provisioned products: `tenant-env v1.5.0`, a failed change in the error color.
fn provisioned(ctx: &Ctx, account_id: &str) -> (String, Role) {
    let Some(loadable) = ctx.store.provisioned.get(account_id) else { return (String::new(), Role::Muted) };
    if let Some(e) = loadable.error() {
        return (format!("✗ {}", e.kind.label()), Role::Error);
    }
    match loadable.value() {
        Some(Some(products)) => match silo_core::catalog::cell(products) {
            (text, true) => (text, Role::Error),
            (text, false) => (text, Role::Text),
        },
        Some(None) | None => (String::new(), Role::Muted),
    }
}

/// Tenant, window, certification of its version, its last schedule's outcome (when shown),
/// scheduled update.
fn tenant_cells(ctx: &Ctx, r: &TenantRecord, version: Option<&str>, marked: bool, last: bool) -> Vec<(String, Role)> {
    let standing = silo_core::terms::standing(&r.tenant);
    let window = match &standing.window {
        None => ("no window stated".to_string(), Role::Muted),
        Some(Err(_)) => ("✗ unreadable window tag".to_string(), Role::Error),
        Some(Ok(w)) => (w.label(ctx.now), if w.open_at(ctx.now).is_some() { Role::Ok } else { Role::Text }),
    };
    let name =
        (format!("{} {}", if marked { "•" } else { " " }, r.tenant.name), if marked { Role::Key } else { Role::Text });
    let mut cells = vec![name, window, standing.certification_label(version)];
    cells.extend(last.then(|| last_run(ctx, &r.tenant.account_id)));
    cells.push(scheduled(ctx, &r.tenant.account_id));
    cells
}

/// `6d`, `5h`, `12m`: how long ago, to the largest unit (the card has the exact time).
fn ago(d: chrono::Duration) -> String {
    match (d.num_days(), d.num_hours(), d.num_minutes()) {
        (days, _, _) if days > 0 => format!("{days}d"),
        (_, hours, _) if hours > 0 => format!("{hours}h"),
        (_, _, minutes) => format!("{}m", minutes.max(0)),
    }
}

/// What became of the tenant's latest schedule whose time came: `landed r42 6d ago`,
/// `✗ failed r49 2d ago` (the card and `silo rollout list` say why).
fn last_run(ctx: &Ctx, account_id: &str) -> (String, Role) {
    use silo_core::schedule_outcome::Outcome;
    let Some(loadable) = ctx.store.outcomes.get(account_id) else { return (String::new(), Role::Muted) };
    let last = loadable.value().and_then(|v| v.iter().rev().find(|t| !t.outcome.is_open()));
    let Some(t) = last else {
        return (if loadable.is_loading() { "…" } else { "—" }.into(), Role::Muted);
    };
    let ago = ago(ctx.now - t.planned.at);
    let revision = t.planned.to_revision;
    match &t.outcome {
        Outcome::Landed { .. } => (format!("landed r{revision} {ago} ago"), Role::Ok),
        Outcome::Failed { .. } => (format!("✗ failed r{revision} {ago} ago"), Role::Error),
        Outcome::NotRun { .. } => (format!("✗ not run r{revision} {ago} ago"), Role::Warning),
        Outcome::Cancelled { .. } => (format!("cancelled r{revision}"), Role::Muted),
        Outcome::Scheduled | Outcome::Due { .. } => (String::new(), Role::Muted),
    }
}

/// The tenant's next scheduled update: `r58 → 1.5.0 sun 02:00, in 2d 3h`.
fn scheduled(ctx: &Ctx, account_id: &str) -> (String, Role) {
    let Some(loadable) = ctx.store.scheduled.get(account_id) else { return (String::new(), Role::Muted) };
    if let Some(e) = loadable.error() {
        return (format!("✗ {}", e.kind.label()), Role::Error);
    }
    match loadable.value().and_then(|v| v.first()) {
        Some(u) => {
            let to = u.to_version.as_deref().unwrap_or("?");
            let when = silo_core::terms::window::span(u.at - ctx.now);
            let more = loadable.value().map(|v| v.len()).unwrap_or(0).saturating_sub(1);
            let more = if more > 0 { format!(" (+{more})") } else { String::new() };
            (format!("r{} → {to} in {when}{more}", u.to_revision), Role::Key)
        }
        None if loadable.is_loading() => ("…".into(), Role::Muted),
        None => ("—".into(), Role::Muted),
    }
}
