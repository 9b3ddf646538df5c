//! `:spend`: month-to-date spend of every tenant against its budget, org totals on top, tenants
//! without a budget at the bottom.

use crate::action::Action;
use crate::context::Ctx;
use crate::keymap::Command;
use crate::widgets::list::{ListOutcome, ListState, SortColumn};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};
use ratatui::Frame;
use rust_decimal::Decimal;
use silo_core::format::fit;
use silo_core::role::Role;
use silo_core::spend::{entries, money, totals, SpendEntry};
use silo_core::store::Loadable;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Tenant,
    Budget,
    Actual,
    Limit,
    Used,
    Forecast,
    ForecastPercent,
    Breached,
}

impl Column {
    const ALL: [Column; 8] = [
        Column::Tenant,
        Column::Budget,
        Column::Actual,
        Column::Limit,
        Column::Used,
        Column::Forecast,
        Column::ForecastPercent,
        Column::Breached,
    ];

    fn title(self) -> &'static str {
        match self {
            Column::Tenant => "TENANT",
            Column::Budget => "BUDGET",
            Column::Actual => "ACTUAL",
            Column::Limit => "LIMIT",
            Column::Used => "USED",
            Column::Forecast => "FORECAST",
            Column::ForecastPercent => "FCST",
            Column::Breached => "BREACHED",
        }
    }

    fn width(self) -> u16 {
        match self {
            Column::Tenant => 18,
            Column::Budget => 20,
            Column::Actual | Column::Limit | Column::Forecast => 13,
            Column::Used => 16,
            Column::ForecastPercent => 7,
            Column::Breached => 30,
        }
    }

    /// Narrow terminals drop Budget, then Limit, then Forecast.
    fn fitting(width: u16) -> Vec<Column> {
        let drop_order = [Column::Budget, Column::Limit, Column::Forecast, Column::Breached];
        let mut cols = Column::ALL.to_vec();
        let total = |cols: &[Column]| cols.iter().map(|c| c.width() + 1).sum::<u16>();
        for d in drop_order {
            if total(&cols) <= width {
                break;
            }
            cols.retain(|c| *c != d);
        }
        cols
    }
}

impl SortColumn for Column {
    fn next(self) -> Column {
        let i = Column::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Column::ALL[(i + 1) % Column::ALL.len()]
    }

    fn descending_by_default(self) -> bool {
        !matches!(self, Column::Tenant | Column::Budget)
    }
}

pub type SpendState = ListState<Column>;

impl Default for SpendState {
    fn default() -> Self {
        ListState::new(Column::Used)
    }
}

pub const HINTS: [(Command, &str); 8] = [
    (Command::Open, "history"),
    (Command::CostExplorer, "cost explorer"),
    (Command::Filter, "filter"),
    (Command::SortNext, "sort"),
    (Command::Back, "back"),
    (Command::CommandLine, "views"),
    (Command::Refresh, "refresh"),
    (Command::Quit, "quit"),
];

/// Sortable key of an entry; tenants without a budget always sort after those with one.
fn sort_key(e: &SpendEntry, column: Column) -> (Option<Decimal>, String) {
    let text = |s: &str| (None, s.to_lowercase());
    match column {
        Column::Tenant => text(&e.tenant),
        Column::Budget => text(e.budget.as_deref().unwrap_or("")),
        Column::Actual => (e.actual, String::new()),
        Column::Limit => (e.limit, String::new()),
        Column::Used => (e.percent, String::new()),
        Column::Forecast => (e.forecast, String::new()),
        Column::ForecastPercent => (e.forecast_percent, String::new()),
        Column::Breached => (Some(Decimal::from(e.breached.len())), String::new()),
    }
}

pub fn visible(ctx: &Ctx, state: &SpendState) -> Vec<SpendEntry> {
    visible_of(state, entries(ctx.store))
}

/// The entries shown: filtered on any cell, budgets first, then by the sort column.
fn visible_of(state: &SpendState, all: Vec<SpendEntry>) -> Vec<SpendEntry> {
    let needle = state.filter.to_lowercase();
    let mut rows: Vec<SpendEntry> = all
        .into_iter()
        .filter(|e| needle.is_empty() || cells(e).iter().any(|(c, _)| c.to_lowercase().contains(&needle)))
        .collect();
    rows.sort_by(|a, b| {
        let order = sort_key(a, state.sort).cmp(&sort_key(b, state.sort));
        let order = if state.descending { order.reverse() } else { order };
        b.has_budget().cmp(&a.has_budget()).then(order).then_with(|| a.tenant.cmp(&b.tenant))
    });
    rows
}

pub fn handle(state: &mut SpendState, ctx: &Ctx, command: Command) -> Option<Action> {
    if command == Command::CostExplorer {
        return cost_explorer(ctx);
    }
    if command == Command::Back && state.filter.is_empty() {
        return Some(Action::Back);
    }
    let rows = visible(ctx, state);
    let keys: Vec<&str> = rows.iter().map(|e| e.account_id.as_str()).collect();
    match state.handle(command, &keys) {
        ListOutcome::Open(account_id) => Some(Action::OpenSpendDetail(account_id)),
        ListOutcome::EditFilter => Some(Action::EditFilter),
        ListOutcome::None => None,
    }
}

/// `c`: asks first (the reads are billed) unless accepted or configured already.
fn cost_explorer(ctx: &Ctx) -> Option<Action> {
    if ctx.cost_explorer {
        return Some(Action::EnableCostExplorer);
    }
    let tenants = ctx.store.tenants.values().filter(|r| matches!(r.spend.value(), Some(None))).count();
    if tenants > 0 {
        return Some(Action::AskCostExplorer(tenants));
    }
    None
}

fn pct(p: Option<Decimal>) -> String {
    p.map(|p| format!("{}%", p.round())).unwrap_or_default()
}

fn over(p: Option<Decimal>) -> bool {
    p.is_some_and(|p| p > Decimal::ONE_HUNDRED)
}

/// A bar of `width` cells filled to `percent` (capped at 100), then the percentage.
fn bar(percent: Option<Decimal>, width: usize) -> String {
    let Some(p) = percent else { return String::new() };
    let filled = (p.min(Decimal::ONE_HUNDRED) * Decimal::from(width as u64) / Decimal::ONE_HUNDRED).round();
    let filled = usize::try_from(filled.mantissa()).unwrap_or(0).min(width);
    format!("{}{} {}", "█".repeat(filled), "░".repeat(width - filled), pct(Some(p)))
}

/// Cell text and role for every column.
fn cells(e: &SpendEntry) -> Vec<(String, Role)> {
    let amount = |v: Option<Decimal>| v.map(money).unwrap_or_default();
    let budget = match (&e.budget, &e.error) {
        (Some(b), _) => (b.clone(), Role::Text),
        (None, Some(err)) => (format!("✗ {err}"), Role::Error),
        (None, None) if e.loading => ("…".into(), Role::Muted),
        (None, None) => ("no budget".into(), Role::Muted),
    };
    let used_role = if over(e.percent) {
        Role::Critical
    } else if over(e.forecast_percent) {
        Role::Warning
    } else {
        Role::Ok
    };
    let fcst_role = if over(e.forecast_percent) { Role::Warning } else { Role::Muted };
    let actual = match (&e.budget, &e.error) {
        (Some(_), _) => (amount(e.actual), Role::Text),
        (None, None) if e.loading => ("…".to_string(), Role::Muted),
        (None, Some(_)) => ("✗ unreadable".to_string(), Role::Error),
        (None, None) => match &e.cost_explorer {
            Some(ce) => (format!("≈{} CE", money(ce.actual)), Role::Warning),
            None => ("no budget".to_string(), Role::Muted),
        },
    };
    vec![
        (e.tenant.clone(), Role::Text),
        budget,
        actual,
        (amount(e.limit), Role::Muted),
        (bar(e.percent, 8), used_role),
        (amount(e.forecast), Role::Text),
        (format!("{}{}", pct(e.forecast_percent), if over(e.forecast_percent) { "!" } else { "" }), fcst_role),
        (e.breached.join(", "), if e.breached.is_empty() { Role::Muted } else { Role::Critical }),
    ]
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &SpendState) {
    // One read of the store per frame: totals over every tenant, rows after the filter.
    let all = entries(ctx.store);
    let sums = totals(&all);
    let rows = visible_of(state, all.clone());
    let heights = [Constraint::Length(sums.len().max(1) as u16), Constraint::Length(1), Constraint::Min(3)];
    let [totals_area, ce_area, table_area] = Layout::vertical(heights).areas(area);
    render_totals(frame, totals_area, ctx, &sums);
    frame.render_widget(Paragraph::new(cost_explorer_line(ctx, &all)), ce_area);
    let columns = Column::fitting(table_area.width);
    let header = Row::new(columns.iter().map(|c| header_label(state, *c))).style(ctx.theme.style(Role::Header));
    // Only the rows on screen become table rows, and where they were drawn is noted for clicks.
    let keys: Vec<&str> = rows.iter().map(|e| e.account_id.as_str()).collect();
    let selected = state.selected_index(&keys);
    let range = crate::widgets::list::window(rows.len(), selected, table_area.height.saturating_sub(2) as usize);
    crate::widgets::list::note_rows(ctx, table_area, 1, &range, selected);
    let body: Vec<Row> = rows[range.clone()]
        .iter()
        .map(|e| {
            let cells = cells(e);
            Row::new(columns.iter().map(|c| {
                let (text, role) = &cells[Column::ALL.iter().position(|x| x == c).unwrap_or(0)];
                Span::styled(fit(text, c.width() as usize), ctx.theme.style(*role))
            }))
        })
        .collect();
    let mut table_state = TableState::default().with_selected((!rows.is_empty()).then_some(selected - range.start));
    let title = title(ctx, state, rows.len(), all.len());
    let table = Table::new(body, columns.iter().map(|c| Constraint::Length(c.width())))
        .header(header)
        .block(crate::widgets::list::top_block(ctx, title))
        .row_highlight_style(ctx.theme.style(Role::Selected));
    frame.render_stateful_widget(table, table_area, &mut table_state);
}

fn header_label(state: &SpendState, column: Column) -> String {
    let arrow = if state.descending { "↓" } else { "↑" };
    if column == state.sort {
        format!("{}{arrow}", column.title())
    } else {
        column.title().to_string()
    }
}

fn title(ctx: &Ctx, state: &SpendState, shown: usize, total: usize) -> Line<'static> {
    let mut spans =
        vec![Span::styled(format!(" Spend, month to date ({shown}/{total}) "), ctx.theme.style(Role::Title))];
    if !state.filter.is_empty() {
        spans.push(Span::styled(format!("filter: {} ", state.filter), ctx.theme.style(Role::Key)));
    }
    Line::from(spans)
}

/// What Cost Explorer knows or would cost, for tenants without a budget.
fn cost_explorer_line(ctx: &Ctx, all: &[SpendEntry]) -> Line<'static> {
    let theme = ctx.theme;
    let without = all.iter().filter(|e| !e.has_budget() && !e.loading && e.error.is_none()).count();
    let (text, role) = match &ctx.store.cost_explorer {
        Loadable::Idle if without == 0 => return Line::default(),
        Loadable::Idle => {
            let key = ctx.keymap.first_key_label(Command::CostExplorer);
            (format!(" {without} tenant(s) without a budget · {key}: read their cost from Cost Explorer ($0.01 per request)"), Role::Muted)
        }
        Loadable::Loading { .. } => (" Cost Explorer: reading…".to_string(), Role::Muted),
        Loadable::Failed { error, .. } => (format!(" Cost Explorer: {error}"), Role::Error),
        Loadable::Loaded(l) => {
            let sum: Decimal = l.value.per_account.values().map(|c| c.actual).sum();
            let requests = ctx.store.cost_explorer_requests;
            let cost = Decimal::from(requests) * silo_core::spend::USD_PER_REQUEST;
            let count = l.value.per_account.len();
            let text = format!(" Cost Explorer: ≈{} month to date for {count} tenant(s) without a budget · {requests} request(s), ${cost} this session", money(sum));
            (text, Role::Warning)
        }
    };
    Line::from(Span::styled(text, theme.style(role)))
}

fn render_totals(
    frame: &mut Frame,
    area: Rect,
    ctx: &Ctx,
    sums: &std::collections::BTreeMap<String, silo_core::spend::Totals>,
) {
    let theme = ctx.theme;
    let mut lines: Vec<Line> = sums
        .iter()
        .map(|(unit, t)| {
            let used = silo_core::cost::Spend {
                budget: String::new(),
                actual: t.actual,
                limit: t.limit,
                forecast: Some(t.forecast),
                unit: unit.clone(),
                breached: vec![],
            };
            Line::from(vec![
                Span::styled(format!(" Total {unit} "), theme.style(Role::Header)),
                Span::styled(
                    format!("actual {} of {} ({})", money(t.actual), money(t.limit), pct(used.percent())),
                    theme.style(Role::Text),
                ),
                Span::styled(
                    format!(" · forecast {} ({})", money(t.forecast), pct(used.forecast_percent())),
                    theme.style(if over(used.forecast_percent()) { Role::Warning } else { Role::Muted }),
                ),
                Span::styled(format!(" · {} budgets", t.budgets), theme.style(Role::Muted)),
            ])
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(" no budget loaded yet", theme.style(Role::Muted))));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_fills_proportionally_and_caps_at_full() {
        assert_eq!(bar(Some(Decimal::from(50)), 8), "████░░░░ 50%");
        assert_eq!(bar(Some(Decimal::from(130)), 4), "████ 130%");
        assert_eq!(bar(None, 4), "");
    }
}
