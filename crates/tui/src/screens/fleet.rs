//! The fleet overview: one row per tenant, sortable by any column, filterable on any column.

use crate::action::Action;
use crate::context::Ctx;
use crate::keymap::Command;
use crate::widgets::list::{self, ListOutcome, ListState};
use chrono::{DateTime, Utc};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};
use ratatui::Frame;
use silo_core::fleet::{cells, sort_key, Cell};
use silo_core::format::{age, fit};
use silo_core::role::Role;
use silo_core::store::{Loadable, TenantRecord};

pub use silo_core::fleet::Column;

impl crate::widgets::list::SortColumn for Column {
    /// The typed columns' cycle; `handle` cycles through the source's registry columns too
    /// (`Column::next_in`), which only the store knows.
    fn next(self) -> Column {
        self.next_in(&Column::all(&[]))
    }

    /// Problems first: worst health, most alarms, highest spend, oldest data.
    fn descending_by_default(self) -> bool {
        !matches!(self, Column::Tenant | Column::Account | Column::Region | Column::TaskDef)
    }
}

pub type FleetState = ListState<Column>;

impl Default for FleetState {
    fn default() -> Self {
        ListState::new(Column::Health)
    }
}

pub const HINTS: [(Command, &str); 7] = [
    (Command::Open, "open"),
    (Command::Filter, "filter"),
    (Command::SortNext, "sort"),
    (Command::CommandLine, "views"),
    (Command::Refresh, "refresh"),
    (Command::Help, "help"),
    (Command::Quit, "quit"),
];

/// Tenants as shown: filtered on any column (case-insensitive substring), then sorted.
pub fn visible_rows<'a>(ctx: &Ctx<'a>, state: &FleetState) -> Vec<&'a TenantRecord> {
    let needle = state.filter.to_lowercase();
    // Each row's sort key is computed once (health walks every source), not per comparison.
    let mut keyed: Vec<_> = ctx
        .store
        .tenants
        .values()
        .filter(|r| needle.is_empty() || matches_filter(r, &columns(ctx), &needle, ctx.now))
        .map(|r| (sort_key(r, state.sort, ctx.now), r))
        .collect();
    keyed.sort_by(|(ka, a), (kb, b)| {
        let order = if state.descending { kb.cmp(ka) } else { ka.cmp(kb) };
        order.then_with(|| a.tenant.name.cmp(&b.tenant.name))
    });
    keyed.into_iter().map(|(_, r)| r).collect()
}

fn matches_filter(record: &TenantRecord, columns: &[Column], needle: &str, now: DateTime<Utc>) -> bool {
    cells(record, columns, now).iter().any(|c| c.text.to_lowercase().contains(needle))
}

/// Every column of the fleet: the typed ones and the source's registry columns.
fn columns(ctx: &Ctx) -> Vec<Column> {
    Column::all(&ctx.store.columns)
}

fn keys<'a>(rows: &[&'a TenantRecord]) -> Vec<&'a str> {
    rows.iter().map(|r| r.tenant.account_id.as_str()).collect()
}

pub fn handle(state: &mut FleetState, ctx: &Ctx, command: Command) -> Option<Action> {
    let rows = visible_rows(ctx, state);
    let keys = keys(&rows);
    if command == Command::Deployments {
        let selected = keys.get(state.selected_index(&keys)).map(|k| k.to_string());
        return selected.map(Action::OpenDeploy);
    }
    if command == Command::Across {
        let from = state.selected_index(&keys);
        let shown = keys.iter().skip(from).take(super::across::MAX_TENANTS).map(|k| k.to_string()).collect();
        return Some(Action::Navigate(crate::screen::Screen::Across(shown)));
    }
    if command == Command::SortNext {
        state.sort = state.sort.next_in(&columns(ctx));
        state.descending = crate::widgets::list::SortColumn::descending_by_default(state.sort);
        return None;
    }
    match state.handle(command, &keys) {
        ListOutcome::Open(account_id) => Some(Action::OpenTenant(account_id)),
        ListOutcome::EditFilter => Some(Action::EditFilter),
        ListOutcome::None => None,
    }
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &FleetState) {
    let rows = visible_rows(ctx, state);
    let [table_area, detail_area] = Layout::vertical([Constraint::Min(3), Constraint::Length(2)]).areas(area);
    let columns = Column::fitting(&columns(ctx), table_area.width.saturating_sub(2));
    let selected = state.selected_index(&keys(&rows));
    let header = Row::new(columns.iter().map(|c| header_label(state, *c))).style(ctx.theme.style(Role::Header));
    let range = list::window(rows.len(), selected, table_area.height.saturating_sub(2) as usize);
    list::note_rows(ctx, table_area, 1, &range, selected);
    let body: Vec<Row> = rows[range.clone()].iter().map(|r| table_row(ctx, r, &columns)).collect();
    let widths: Vec<Constraint> = columns.iter().map(|c| Constraint::Length(c.width())).collect();
    let title = table_title(ctx, state, rows.len());
    let table = Table::new(body, widths)
        .header(header)
        .block(list::top_block(ctx, title))
        .row_highlight_style(ctx.theme.style(Role::Selected))
        .column_spacing(1);
    let mut table_state = TableState::default().with_selected((!rows.is_empty()).then_some(selected - range.start));
    frame.render_stateful_widget(table, table_area, &mut table_state);
    render_detail(frame, detail_area, ctx, rows.get(selected).copied());
    if rows.is_empty() {
        render_empty(frame, table_area, ctx, state);
    }
}

fn header_label(state: &FleetState, column: Column) -> String {
    if column == state.sort {
        format!("{}{}", column.title(), if state.descending { "↓" } else { "↑" })
    } else {
        column.title().to_string()
    }
}

fn table_title(ctx: &Ctx, state: &FleetState, shown: usize) -> Line<'static> {
    let total = ctx.store.tenants.len();
    let mut spans = vec![Span::styled(format!(" Fleet ({shown}/{total}) "), ctx.theme.style(Role::Title))];
    if !state.filter.is_empty() {
        spans.push(Span::styled(format!("filter: {} ", state.filter), ctx.theme.style(Role::Key)));
    }
    Line::from(spans)
}

fn table_row<'a>(ctx: &Ctx, record: &TenantRecord, columns: &[Column]) -> Row<'a> {
    let shown = cells(record, columns, ctx.now);
    let row: Vec<Span> = columns
        .iter()
        .zip(shown)
        .map(|(c, cell): (&Column, Cell)| Span::styled(fit(&cell.text, c.width() as usize), ctx.theme.style(cell.role)))
        .collect();
    Row::new(row)
}

fn render_detail(frame: &mut Frame, area: Rect, ctx: &Ctx, record: Option<&TenantRecord>) {
    let theme = ctx.theme;
    let lines: Vec<Line> = match record {
        None => vec![],
        Some(r) => {
            let errors = r.errors();
            let mut lines: Vec<Line> = errors
                .iter()
                .take(area.height as usize)
                .map(|e| Line::from(Span::styled(format!(" {}: {}", r.tenant.name, e), theme.style(Role::Error))))
                .collect();
            if lines.is_empty() {
                lines.push(Line::from(Span::styled(summary(r, ctx.now), theme.style(Role::Muted))));
            }
            lines
        }
    };
    frame.render_widget(Paragraph::new(lines), area);
}

fn summary(r: &TenantRecord, now: DateTime<Utc>) -> String {
    let t = &r.tenant;
    let data = r.oldest_data().map(|at| format!("data {} old", age(at, now))).unwrap_or_else(|| "no data yet".into());
    let service = match &r.service {
        Loadable::Loaded(l) if l.value.is_none() => {
            format!(" · ECS service {} not found in cluster {}", t.ecs_service, t.ecs_cluster)
        }
        _ => String::new(),
    };
    format!(" {} · {} · {} · {}/{}{} · {}", t.name, t.account_id, t.region, t.ecs_cluster, t.ecs_service, service, data)
}

fn render_empty(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &FleetState) {
    let text = if ctx.store.tenant_list.is_loading() && ctx.store.tenants.is_empty() {
        "listing tenants…"
    } else if !state.filter.is_empty() {
        "no tenant matches the filter (Esc clears it)"
    } else {
        "no tenants"
    };
    let inner = Rect { y: area.y + 2, height: area.height.saturating_sub(2), ..area };
    frame.render_widget(Paragraph::new(Span::styled(format!("  {text}"), ctx.theme.style(Role::Muted))), inner);
}
