//! `:findings`: every open finding of every account, Security Hub and GuardDuty merged. Filter with
//! `/` (free text, or `sev:critical tenant:acme source:guardduty status:new`), mark with Space,
//! act on the marked ones (workflow status, archive) through a plan and a typed confirmation.

use crate::action::Action;
use crate::context::Ctx;
use crate::keymap::Command;
use crate::widgets::list::{ListOutcome, ListState, SortColumn};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState};
use ratatui::Frame;
use silo_core::findings::{Finding, Severity};
use silo_core::plan::ActionPlan;

use silo_core::format::{age, fit};
use silo_core::role::Role;
use std::cell::RefCell;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Severity,
    Tenant,
    Source,
    Title,
    Resource,
    Status,
    Age,
}

impl Column {
    const ALL: [Column; 7] = [
        Column::Severity,
        Column::Tenant,
        Column::Source,
        Column::Title,
        Column::Resource,
        Column::Status,
        Column::Age,
    ];

    fn title(self) -> &'static str {
        match self {
            Column::Severity => "SEVERITY",
            Column::Tenant => "TENANT",
            Column::Source => "SOURCE",
            Column::Title => "TITLE",
            Column::Resource => "RESOURCE",
            Column::Status => "STATUS",
            Column::Age => "AGE",
        }
    }

    fn width(self, total: u16) -> u16 {
        match self {
            Column::Severity => 10,
            Column::Tenant => 18,
            Column::Source => 11,
            Column::Status => 9,
            Column::Age => 4,
            Column::Resource => (total / 4).clamp(12, 48),
            Column::Title => total.saturating_sub(60 + (total / 4).clamp(12, 48)).max(20),
        }
    }

    fn fitting(width: u16) -> Vec<Column> {
        if width >= 110 {
            Column::ALL.to_vec()
        } else {
            vec![Column::Severity, Column::Tenant, Column::Title, Column::Age]
        }
    }
}

impl SortColumn for Column {
    fn next(self) -> Column {
        let i = Column::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Column::ALL[(i + 1) % Column::ALL.len()]
    }

    fn descending_by_default(self) -> bool {
        matches!(self, Column::Severity | Column::Age)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FindingsState {
    pub list: ListState<Column>,
    /// Marked finding ids, for actions on several at once.
    pub marked: BTreeSet<String>,
    /// The sorted order of all open findings, kept while the data and the sort stay the same, so
    /// a keystroke in the filter costs one pass, not a sort of 100,000 findings.
    order: RefCell<Option<Order>>,
}

/// Positions in `Store::all_findings()` in display order, each with its lower-case search text.
#[derive(Debug, Clone, PartialEq)]
struct Order {
    key: (u64, Column, bool),
    rows: Vec<(usize, String)>,
}

impl Default for FindingsState {
    fn default() -> Self {
        FindingsState { list: ListState::new(Column::Severity), marked: BTreeSet::new(), order: RefCell::new(None) }
    }
}

pub const HINTS: [(Command, &str); 8] = [
    (Command::Open, "detail"),
    (Command::Mark, "mark"),
    (Command::SetStatus, "status"),
    (Command::Archive, "archive"),
    (Command::Filter, "filter"),
    (Command::SortNext, "sort"),
    (Command::Back, "back"),
    (Command::Quit, "quit"),
];

/// A parsed filter: `field:value` terms and free text, all of which must match.
struct Terms {
    fields: Vec<(String, String)>,
    free: Vec<String>,
}

fn parse_filter(filter: &str) -> Terms {
    let mut terms = Terms { fields: Vec::new(), free: Vec::new() };
    for word in filter.split_whitespace().map(str::to_lowercase) {
        match word.split_once(':') {
            Some((k, v)) if ["sev", "severity", "tenant", "source", "status", "account"].contains(&k) => {
                terms.fields.push((k.to_string(), v.to_string()))
            }
            _ => terms.free.push(word),
        }
    }
    terms
}

#[cfg(test)]
fn matches(f: &Finding, terms: &Terms) -> bool {
    let text = search_text(f);
    field_match(f, terms) && terms.free.iter().all(|w| text.contains(w.as_str()))
}

fn field_match(f: &Finding, terms: &Terms) -> bool {
    if terms.fields.is_empty() {
        return true;
    }
    let tenant = f.tenant.as_deref().unwrap_or("").to_lowercase();
    terms.fields.iter().all(|(k, v)| match k.as_str() {
        "sev" | "severity" => f.severity.label().eq_ignore_ascii_case(v),
        "tenant" => tenant.contains(v.as_str()) || (v == "none" && f.tenant.is_none()),
        "source" => f.source.as_str().contains(v.as_str()),
        "status" => f.status.eq_ignore_ascii_case(v),
        _ => f.account_id.contains(v.as_str()),
    })
}

fn sort_key(f: &Finding, column: Column) -> (i64, String) {
    match column {
        Column::Severity => (f.severity as i64, String::new()),
        Column::Tenant => (0, f.tenant.clone().unwrap_or_else(|| format!("~{}", f.account_id))),
        Column::Source => (0, f.source.as_str().into()),
        Column::Title => (0, f.title.to_lowercase()),
        Column::Resource => (0, f.resource.to_lowercase()),
        Column::Status => (0, f.status.clone()),
        // Older first when descending: an earlier first sighting is a larger key.
        Column::Age => (f.first_seen.map(|t| -t.timestamp()).unwrap_or(i64::MIN), String::new()),
    }
}

pub fn visible<'a>(ctx: &Ctx<'a>, state: &FindingsState) -> Vec<&'a Finding> {
    let all: Vec<&Finding> = ctx.store.all_findings().collect();
    let key = (ctx.store.findings_generation(), state.list.sort, state.list.descending);
    let mut cache = state.order.borrow_mut();
    if cache.as_ref().is_none_or(|o| o.key != key) {
        *cache = Some(Order { key, rows: sorted_open(&all, state.list.sort, state.list.descending) });
    }
    let terms = parse_filter(&state.list.filter);
    let rows = cache.as_ref().map(|o| o.rows.as_slice()).unwrap_or(&[]);
    rows.iter()
        .filter(|(i, text)| {
            terms.free.iter().all(|w| text.contains(w.as_str())) && all.get(*i).is_some_and(|f| field_match(f, &terms))
        })
        .filter_map(|(i, _)| all.get(*i).copied())
        .collect()
}

/// Open findings by the chosen column; within equal keys the newest first (by first sighting, the
/// AGE column), then by id, so the order is the same after every refresh.
fn sorted_open(all: &[&Finding], sort: Column, descending: bool) -> Vec<(usize, String)> {
    let mut keyed: Vec<((i64, String), usize)> =
        all.iter().enumerate().filter(|(_, f)| f.open).map(|(i, f)| (sort_key(f, sort), i)).collect();
    keyed.sort_by(|(ka, a), (kb, b)| {
        let order = if descending { kb.cmp(ka) } else { ka.cmp(kb) };
        order.then_with(|| all[*b].first_seen.cmp(&all[*a].first_seen)).then_with(|| all[*a].id.cmp(&all[*b].id))
    });
    keyed.into_iter().map(|(_, i)| (i, search_text(all[i]))).collect()
}

fn search_text(f: &Finding) -> String {
    let tenant = f.tenant.as_deref().unwrap_or("");
    format!("{} {} {} {} {} {} {}", f.title, f.resource, f.kind, tenant, f.account_id, f.status, f.severity.label())
        .to_lowercase()
}

pub fn handle(state: &mut FindingsState, ctx: &Ctx, command: Command) -> Option<Action> {
    if command == Command::Back && state.list.filter.is_empty() && state.marked.is_empty() {
        return Some(Action::Back);
    }
    let rows = visible(ctx, state);
    let keys: Vec<String> = rows.iter().map(|f| f.id.clone()).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    match command {
        Command::Mark => {
            state.list.toggle_mark(&mut state.marked, &keys);
            return None;
        }
        Command::MarkAll => {
            crate::widgets::list::toggle_mark_all(&mut state.marked, &keys);
            return None;
        }
        Command::SetStatus | Command::Archive => return act(ctx, command, chosen(state, &keys)),
        Command::Back if !state.marked.is_empty() && state.list.filter.is_empty() => {
            state.marked.clear();
            return None;
        }
        _ => {}
    }
    match state.list.handle(command, &keys) {
        ListOutcome::Open(id) => Some(Action::OpenFinding(id)),
        ListOutcome::EditFilter => Some(Action::EditFilter),
        ListOutcome::None => None,
    }
}

/// The marked findings, or the selected one when none is marked (ids).
fn chosen(state: &FindingsState, keys: &[&str]) -> Vec<String> {
    if state.marked.is_empty() {
        keys.get(state.list.selected_index(keys)).map(|k| vec![k.to_string()]).unwrap_or_default()
    } else {
        state.marked.iter().cloned().collect()
    }
}

/// `s` asks for the status and the note (then the plan), `a` plans the GuardDuty archive; nothing
/// here calls AWS.
pub fn act(ctx: &Ctx, command: Command, ids: Vec<String>) -> Option<Action> {
    let findings: Vec<&Finding> = ctx.store.all_findings().filter(|f| ids.contains(&f.id)).collect();
    if findings.is_empty() {
        return None;
    }
    if command != Command::Archive {
        return Some(Action::Triage(findings.iter().map(|f| f.id.clone()).collect()));
    }
    Some(match ActionPlan::guardduty_archive(&findings, true, ctx.audit_target()) {
        Ok(plan) => Action::Confirm(Box::new(plan)),
        Err(e) => Action::Status(format!("cannot act: {e}"), Role::Error),
    })
}

pub fn severity_role(s: Severity) -> Role {
    match s {
        Severity::Critical => Role::Critical,
        Severity::High => Role::Warning,
        Severity::Medium => Role::Text,
        Severity::Low | Severity::Informational => Role::Muted,
    }
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &FindingsState) {
    let rows = visible(ctx, state);
    let [counts_area, table_area, status_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(1)]).areas(area);
    frame.render_widget(Paragraph::new(counts_line(ctx, &rows)), counts_area);
    let columns = Column::fitting(table_area.width);
    let width = table_area.width;
    let header = Row::new(columns.iter().map(|c| header_label(state, *c))).style(ctx.theme.style(Role::Header));
    // Only the rows on screen become table rows: 100,000 findings must not cost 100,000 rows.
    let keys: Vec<&str> = rows.iter().map(|f| f.id.as_str()).collect();
    let selected = state.list.selected_index(&keys);
    let range = crate::widgets::list::window(rows.len(), selected, table_area.height.saturating_sub(2) as usize);
    crate::widgets::list::note_rows(ctx, table_area, 1, &range, selected);
    let body: Vec<Row> = rows[range.clone()].iter().map(|f| row(ctx, state, f, &columns, width)).collect();
    let mut table_state = TableState::default().with_selected((!rows.is_empty()).then_some(selected - range.start));
    let table = Table::new(body, columns.iter().map(|c| Constraint::Length(c.width(width))))
        .header(header)
        .block(
            Block::default()
                .borders(Borders::TOP)
                .title(title(ctx, state, rows.len()))
                .border_style(ctx.theme.style(Role::Border)),
        )
        .row_highlight_style(ctx.theme.style(Role::Selected));
    frame.render_stateful_widget(table, table_area, &mut table_state);
    frame.render_widget(Paragraph::new(source_status(ctx)), status_area);
}

fn row<'a>(ctx: &Ctx, state: &FindingsState, f: &Finding, columns: &[Column], width: u16) -> Row<'a> {
    let marked = state.marked.contains(&f.id);
    let cell = |c: Column| -> Span<'static> {
        let (text, role) = match c {
            Column::Severity => {
                (format!("{}{}", if marked { "● " } else { "  " }, f.severity.label()), severity_role(f.severity))
            }
            Column::Tenant => match &f.tenant {
                Some(t) => (t.clone(), Role::Text),
                None => (format!("({})", f.account_id), Role::Muted),
            },
            Column::Source => (f.source.as_str().to_string(), Role::Muted),
            Column::Title => (f.title.clone(), Role::Text),
            Column::Resource => (f.resource.clone(), Role::Muted),
            Column::Status => (f.status.clone(), Role::Muted),
            Column::Age => (f.first_seen.map(|t| age(t, ctx.now)).unwrap_or_default(), Role::Muted),
        };
        Span::styled(fit(&text, c.width(width) as usize), ctx.theme.style(role))
    };
    Row::new(columns.iter().map(|c| cell(*c)))
}

fn header_label(state: &FindingsState, column: Column) -> String {
    let arrow = if state.list.descending { "↓" } else { "↑" };
    if column == state.list.sort {
        format!("{}{arrow}", column.title())
    } else {
        column.title().into()
    }
}

fn title(ctx: &Ctx, state: &FindingsState, shown: usize) -> Line<'static> {
    // The sorted order `visible` just refreshed holds every open finding: no second pass.
    let total = state.order.borrow().as_ref().map_or(0, |o| o.rows.len());
    let mut spans = vec![Span::styled(format!(" Findings, open ({shown}/{total}) "), ctx.theme.style(Role::Title))];
    if !state.marked.is_empty() {
        spans.push(Span::styled(format!("{} marked ", state.marked.len()), ctx.theme.style(Role::Badge)));
        spans.push(Span::raw(" "));
    }
    if !state.list.filter.is_empty() {
        spans.push(Span::styled(format!("filter: {} ", state.list.filter), ctx.theme.style(Role::Key)));
    }
    Line::from(spans)
}

/// "CRITICAL 3 · HIGH 12 · …" over the rows shown.
fn counts_line(ctx: &Ctx, rows: &[&Finding]) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    for s in Severity::ALL {
        let n = rows.iter().filter(|f| f.severity == s).count();
        spans.push(Span::styled(format!("{} {n}", s.label()), ctx.theme.style(severity_role(s))));
        spans.push(Span::styled("  ", ctx.theme.style(Role::Muted)));
    }
    Line::from(spans)
}

/// How fresh each source is, or why it is missing.
fn source_status(ctx: &Ctx) -> Line<'static> {
    let theme = ctx.theme;
    let mut spans = Vec::new();
    for (name, slot) in
        [("Security Hub", &ctx.store.securityhub_findings), ("GuardDuty", &ctx.store.guardduty_findings)]
    {
        let (text, role) = match slot {
            silo_core::store::Loadable::Idle | silo_core::store::Loadable::Loading { previous: None } => {
                (format!(" {name}: loading…"), Role::Muted)
            }
            silo_core::store::Loadable::Failed { error, .. } => (format!(" {name}: {error}"), Role::Error),
            _ => match slot.value() {
                Some(None) => (format!(" {name}: not configured"), Role::Muted),
                _ => (
                    format!(" {name}: {} ago", slot.last().map(|l| age(l.at, ctx.now)).unwrap_or_default()),
                    Role::Muted,
                ),
            },
        };
        spans.push(Span::styled(text, theme.style(role)));
    }
    spans.extend(beyond_span(ctx));
    Line::from(spans)
}

/// Findings read beyond the per-tenant cap: not listed, but counted (in the fleet's FINDINGS).
fn beyond_span(ctx: &Ctx) -> Option<Span<'static>> {
    let beyond = ctx.store.findings_beyond();
    let total: usize = beyond.values().map(|b| b.total).sum();
    let text = match beyond.len() {
        0 => return None,
        1 => format!(
            "  +{total} more of {} not listed (per-tenant cap; counted in the fleet)",
            tenant_name(ctx, &beyond)
        ),
        n => format!("  +{total} more of {n} tenants not listed (per-tenant cap; counted in the fleet)"),
    };
    Some(Span::styled(text, ctx.theme.style(Role::Warning)))
}

fn tenant_name(ctx: &Ctx, beyond: &std::collections::BTreeMap<String, silo_core::findings::Beyond>) -> String {
    let account = beyond.keys().next().cloned().unwrap_or_default();
    ctx.store.tenants.get(&account).map(|r| r.tenant.name.clone()).unwrap_or(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_terms_select_fields_and_free_text() {
        let mut f = silo_core::findings::tests_support::finding("a", "111111111111", Severity::Critical, true);
        f.tenant = Some("acme".into());
        assert!(matches(&f, &parse_filter("sev:critical tenant:acm")));
        assert!(!matches(&f, &parse_filter("sev:high")));
        assert!(matches(&f, &parse_filter("RDS.3 app")), "free text over kind and resource");
        assert!(!matches(&f, &parse_filter("tenant:none")));
        assert!(matches(&f, &parse_filter("source:securityhub status:new")));
    }

    #[test]
    fn within_a_severity_the_newest_come_first_whatever_was_updated_last() {
        use silo_core::findings::tests_support::finding;
        let now = chrono::Utc::now();
        let make = |id: &str, seen_hours: i64, updated_hours: i64| {
            let mut f = finding(id, "111111111111", Severity::Medium, true);
            f.first_seen = Some(now - chrono::Duration::hours(seen_hours));
            f.updated_at = Some(now - chrono::Duration::hours(updated_hours));
            f
        };
        let list = [make("old-but-touched", 72, 1), make("new", 3, 3), make("middle", 13, 13)];
        let all: Vec<&Finding> = list.iter().collect();
        let order: Vec<&str> =
            sorted_open(&all, Column::Severity, true).iter().map(|(i, _)| all[*i].id.as_str()).collect();
        assert_eq!(order, ["new", "middle", "old-but-touched"]);
    }
}
