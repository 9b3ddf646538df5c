//! `:releases`: every version of the registry, newest first: when it was pushed, the pipeline run
//! that built it (and where a failed one stopped), its commit, its image scan, and where it stands
//! in the fleet (customers who certified it, tenants it is scheduled for, tenants running it).
//! Enter shows the version on the release train (`:rollouts` filtered to it); `y` copies the
//! image digest, `o` opens the build's page.

use crate::action::Action;
use crate::context::Ctx;
use crate::keymap::Command;
use crate::screen::Screen;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};
use ratatui::Frame;
use silo_core::format::{age, fit};
use silo_core::releases::{Releases, RELEASES};
use silo_core::role::Role;
use silo_core::rollouts::releases::{
    build_cell, facts, order, row, vulnerabilities_cell, Entry, ReleaseRow, ScanClock,
};
use silo_core::store::Loadable;

pub const HINTS: [(Command, &str); 8] = [
    (Command::Down, "move"),
    (Command::Open, "on the train"),
    (Command::Charts, "before/after"),
    (Command::Copy, "copy digest"),
    (Command::OpenConsole, "build page"),
    (Command::Refresh, "refresh"),
    (Command::Back, "back"),
    (Command::Quit, "quit"),
];

/// The selected version.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReleasesState {
    pub selected: Option<String>,
}

/// The registry as last read (`:releases` asks for it when it opens and on `r`).
fn answer<'a>(ctx: &Ctx<'a>) -> Loadable<&'a Option<Releases>> {
    ctx.store.answer(&RELEASES, &RELEASES.of_org())
}

/// The registry as read, when it is set up and answered.
fn releases<'a>(ctx: &Ctx<'a>) -> Option<&'a Releases> {
    answer(ctx).value().copied().and_then(Option::as_ref)
}

/// The versions in display order (newest first), not yet joined with the fleet.
fn versions(ctx: &Ctx) -> Vec<String> {
    releases(ctx).map(|r| order(r).iter().map(Entry::version).collect()).unwrap_or_default()
}

fn selected_index(state: &ReleasesState, versions: &[String]) -> usize {
    versions.iter().position(|v| Some(v) == state.selected.as_ref()).unwrap_or(0)
}

/// The selected version's row, joined with the fleet.
pub fn selected(state: &ReleasesState, ctx: &Ctx) -> Option<ReleaseRow> {
    let releases = releases(ctx)?;
    let entries = order(releases);
    let versions: Vec<String> = entries.iter().map(Entry::version).collect();
    let entry = *entries.get(selected_index(state, &versions))?;
    Some(row(releases, entry, &facts(ctx.store), clock(ctx)))
}

/// Now, and how old a scan may be before it is marked.
fn clock(ctx: &Ctx) -> ScanClock {
    ScanClock { now: ctx.now, stale_scan_days: ctx.stale_scan_days }
}

pub fn handle(state: &mut ReleasesState, ctx: &Ctx, command: Command) -> Option<Action> {
    let versions = versions(ctx);
    let current = selected_index(state, &versions);
    let last = versions.len().saturating_sub(1);
    let target = match command {
        Command::Back => return Some(Action::Back),
        Command::Open => return versions.get(current).map(|v| Action::OpenTrain(v.clone())),
        Command::Charts => return versions.get(current).map(|v| Action::Navigate(Screen::Compare(v.clone()))),
        Command::Down => (current + 1).min(last),
        Command::Up => current.saturating_sub(1),
        Command::Top => 0,
        Command::Bottom => last,
        _ => return None,
    };
    state.selected = versions.get(target).cloned();
    None
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &ReleasesState) {
    let loadable = answer(ctx);
    let entries = releases(ctx).map(order).unwrap_or_default();
    let title = title(ctx, &loadable, entries.len());
    let block = crate::widgets::list::top_block(ctx, title);
    let instead = note(&loadable, entries.is_empty());
    let Some(releases) = releases(ctx).filter(|_| instead.is_none()) else {
        let (text, role) = instead.unwrap_or_else(|| (" loading…".into(), Role::Muted));
        frame.render_widget(Paragraph::new(Span::styled(text, ctx.theme.style(role))).block(block), area);
        return;
    };
    let [list, detail] = Layout::vertical([Constraint::Min(3), Constraint::Length(3)]).areas(area);
    let versions: Vec<String> = entries.iter().map(Entry::version).collect();
    let selected = selected_index(state, &versions);
    // Only the rows on screen are joined with the fleet: 500 versions cost what 50 do.
    let range = crate::widgets::list::window(entries.len(), selected, list.height.saturating_sub(2) as usize);
    let facts = facts(ctx.store);
    let shown: Vec<ReleaseRow> = entries[range.clone()].iter().map(|e| row(releases, *e, &facts, clock(ctx))).collect();
    table(frame, list, ctx, &shown, range.clone(), selected, block);
    if let Some(row) = shown.get(selected - range.start) {
        frame.render_widget(Paragraph::new(detail_lines(ctx, row)), detail);
    }
}

fn title(ctx: &Ctx, loadable: &Loadable<&Option<Releases>>, count: usize) -> Line<'static> {
    let place = match loadable.value() {
        Some(Some(r)) => format!(" · {} in {} ({})", r.repository, r.registry, r.region),
        _ => String::new(),
    };
    let loading = if loadable.is_loading() { " · reading…" } else { "" };
    let title = Span::styled(format!(" Releases{place} · {count} versions{loading} "), ctx.theme.style(Role::Title));
    let inspector = loadable.value().and_then(|r| r.as_ref()).and_then(|r| r.inspector_error.as_ref());
    let warning = inspector.map(|e| format!("✗ Inspector: {e} (ECR's scans shown) "));
    Line::from(vec![title, Span::styled(warning.unwrap_or_default(), ctx.theme.style(Role::Error))])
}

/// What the screen says instead of the table: loading, not set up, the read's error, nothing yet.
fn note(loadable: &Loadable<&Option<Releases>>, empty: bool) -> Option<(String, Role)> {
    match (loadable.value(), loadable.error()) {
        (_, Some(e)) => Some((format!(" ✗ {e}"), Role::Error)),
        (None, None) => Some((" loading…".into(), Role::Muted)),
        (Some(None), None) => Some((
            " not configured: set [releases] account_id, repository and pipelines (see docs/configuration.md)".into(),
            Role::Muted,
        )),
        (Some(Some(_)), None) if empty => Some((" no tagged image and no pipeline run yet".into(), Role::Muted)),
        (Some(Some(_)), None) => None,
    }
}

const WIDTHS: [u16; 8] = [9, 8, 28, 9, 17, 5, 5, 7];

/// The rows on screen (`range` of the whole list), the selected one highlighted.
fn table(
    frame: &mut Frame,
    area: Rect,
    ctx: &Ctx,
    shown: &[ReleaseRow],
    range: std::ops::Range<usize>,
    selected: usize,
    block: ratatui::widgets::Block,
) {
    let header = ["VERSION", "PUSHED", "BUILD", "COMMIT", "VULNS", "CERT", "SCHED", "RUNNING"];
    crate::widgets::list::note_rows(ctx, area, 1, &range, selected);
    let body = shown.iter().map(|r| table_row(ctx, r));
    let table = Table::new(body, WIDTHS.map(Constraint::Length))
        .header(Row::new(header).style(ctx.theme.style(Role::Header)))
        .block(block)
        .row_highlight_style(ctx.theme.style(Role::Selected));
    let mut table_state = TableState::default().with_selected(Some(selected - range.start));
    frame.render_stateful_widget(table, area, &mut table_state);
}

fn table_row(ctx: &Ctx, r: &ReleaseRow) -> Row<'static> {
    let theme = ctx.theme;
    let failed = r.build.as_ref().is_some_and(|b| b.failed());
    let build_role = if failed { Role::Error } else { Role::Text };
    let vulns_role = match (r.critical(), r.scan.as_ref().map(|s| s.status.is_none())) {
        (Some(c), _) if c > 0 => Role::Critical,
        (_, Some(true)) => Role::Warning,
        _ if r.scan_stale => Role::Warning,
        _ => Role::Muted,
    };
    let commit: String =
        r.build.as_ref().and_then(|b| b.commit.as_deref()).unwrap_or_default().chars().take(8).collect();
    let cells = [
        (fit(&r.version, 9), Role::Text),
        (r.pushed_at.map(|t| age(t, ctx.now)).unwrap_or_default(), Role::Muted),
        (fit(&build_cell(r.build.as_ref()), 30), build_role),
        (commit, Role::Muted),
        (vulnerabilities_cell(r), vulns_role),
        (r.certified_by.len().to_string(), Role::Text),
        (r.scheduled_for.len().to_string(), Role::Text),
        (r.running_on.len().to_string(), Role::Text),
    ];
    Row::new(cells.map(|(text, role)| Span::styled(text, theme.style(role))).to_vec())
}

/// Under the table: the selected version's commit message, failure and who certified it.
fn detail_lines(ctx: &Ctx, r: &ReleaseRow) -> Vec<Line<'static>> {
    let muted = ctx.theme.style(Role::Muted);
    let build = r.build.as_ref();
    let summary = build.and_then(|b| b.commit_summary.clone()).unwrap_or_else(|| "no pipeline run found".into());
    let mut lines = vec![Line::from(Span::styled(format!(" {}: {summary}", r.version), ctx.theme.style(Role::Text)))];
    if let Some(failure) = build.and_then(|b| b.failure.as_ref()) {
        let why = failure.summary.clone().unwrap_or_default();
        let text = format!(" failed at {}/{}: {why}", failure.stage, failure.action);
        lines.push(Line::from(Span::styled(text, ctx.theme.style(Role::Error))));
    }
    let certified = if r.certified_by.is_empty() { "nobody".into() } else { r.certified_by.join(", ") };
    let mut last = vec![Span::styled(format!(" certified by {certified}"), muted)];
    last.extend(scan_age(ctx, r));
    lines.push(Line::from(last));
    lines
}

/// Who scanned the image and how long ago: a scan older than `[releases] stale_scan_days`
/// misses the vulnerabilities published since, so it is marked; an image never scanned says so.
fn scan_age(ctx: &Ctx, r: &ReleaseRow) -> Option<Span<'static>> {
    let scan = r.scan.as_ref()?;
    let by = scan.source.label();
    let (text, role) = match scan.completed_at {
        Some(at) if r.scan_stale => (format!(" · {by} {} ago (old)", age(at, ctx.now)), Role::Warning),
        Some(at) => (format!(" · {by} {} ago", age(at, ctx.now)), Role::Muted),
        None if scan.status.is_none() => (" · never scanned".to_string(), Role::Warning),
        None => (String::new(), Role::Muted),
    };
    Some(Span::styled(text, ctx.theme.style(role)))
}
