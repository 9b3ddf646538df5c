//! One tenant's budget: figures, crossed thresholds and the last 12 months against the limit.

use crate::action::Action;
use crate::context::Ctx;
use crate::keymap::Command;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use silo_core::cost::MonthSpend;
use silo_core::role::Role;
use silo_core::spend::{money, SpendEntry};
use silo_core::store::Loadable;

pub const HINTS: [(Command, &str); 3] =
    [(Command::Back, "back"), (Command::Refresh, "refresh"), (Command::Quit, "quit")];

pub fn handle(command: Command) -> Option<Action> {
    (command == Command::Back).then_some(Action::Back)
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, account_id: &str) {
    let Some(record) = ctx.store.tenants.get(account_id) else {
        frame.render_widget(Paragraph::new(" this tenant is no longer in the fleet"), area);
        return;
    };
    let entry = SpendEntry::from_record(record);
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(format!(" {} · spend ", entry.tenant), ctx.theme.style(Role::Title)))
        .border_style(ctx.theme.style(Role::Border));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let summary = summary_lines(ctx, &entry);
    let [top, chart] = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Length(summary.len() as u16 + 1), Constraint::Min(3)])
        .areas(inner);
    frame.render_widget(Paragraph::new(summary), top);
    if entry.budget.is_some() {
        render_history(frame, chart, ctx, account_id);
    }
}

fn summary_lines(ctx: &Ctx, e: &SpendEntry) -> Vec<Line<'static>> {
    let theme = ctx.theme;
    let field = |label: &str, value: String, role: Role| {
        Line::from(vec![
            Span::styled(format!("  {label:<12}"), theme.style(Role::Muted)),
            Span::styled(value, theme.style(role)),
        ])
    };
    let unit = e.unit.clone().unwrap_or_default();
    let Some(budget) = &e.budget else {
        let why = e.error.clone().unwrap_or_else(|| "no budget filters exactly this account".into());
        return vec![field("budget", why, if e.error.is_some() { Role::Error } else { Role::Muted })];
    };
    let pct = |p: Option<rust_decimal::Decimal>| p.map(|p| format!(" ({p}%)")).unwrap_or_default();
    let mut lines = vec![
        field("budget", budget.clone(), Role::Text),
        field("actual", format!("{} {unit}{}", e.actual.map(money).unwrap_or_default(), pct(e.percent)), Role::Text),
        field("limit", format!("{} {unit}", e.limit.map(money).unwrap_or_default()), Role::Text),
        field(
            "forecast",
            format!("{} {unit}{}", e.forecast.map(money).unwrap_or_default(), pct(e.forecast_percent)),
            Role::Text,
        ),
    ];
    let breached = if e.breached.is_empty() { "none".to_string() } else { e.breached.join(", ") };
    lines.push(field("breached", breached, if e.breached.is_empty() { Role::Ok } else { Role::Critical }));
    lines
}

fn render_history(frame: &mut Frame, area: Rect, ctx: &Ctx, account_id: &str) {
    let theme = ctx.theme;
    let key = silo_core::spend::history_key(ctx.store, account_id);
    let history = key.map(|key| ctx.store.answer(&silo_core::spend::HISTORY, &key)).unwrap_or_default();
    let months = match history {
        Loadable::Loaded(l) => l.value,
        Loadable::Failed { error, .. } => {
            frame.render_widget(
                Paragraph::new(Span::styled(format!("  history: {error}"), theme.style(Role::Error))),
                area,
            );
            return;
        }
        _ => {
            frame.render_widget(
                Paragraph::new(Span::styled("  loading 12-month history…", theme.style(Role::Muted))),
                area,
            );
            return;
        }
    };
    if months.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled("  no history for this budget", theme.style(Role::Muted))),
            area,
        );
        return;
    }
    let width = area.width.saturating_sub(46).clamp(10, 60) as usize;
    let mut lines =
        vec![Line::from(Span::styled(" last 12 months: actual against the limit (│)", theme.style(Role::Header)))];
    lines.extend(history_rows(months, width).into_iter().map(|(text, over)| {
        Line::from(Span::styled(text, theme.style(if over { Role::Critical } else { Role::Text })))
    }));
    frame.render_widget(Paragraph::new(lines), area);
}

/// One text row per month: "2026-03 ██████████░░│░░ 1,640.00 / 2,000.00  82%", scaled to the
/// largest amount so months compare at a glance; true when over the limit.
pub fn history_rows(months: &[MonthSpend], width: usize) -> Vec<(String, bool)> {
    let top = months.iter().flat_map(|m| [m.actual, m.limit]).flatten().max().unwrap_or_default();
    let cells = |v: Decimal| -> usize {
        if top.is_zero() {
            return 0;
        }
        (v * Decimal::from(width as u64) / top).round().to_usize().unwrap_or(0).min(width)
    };
    months
        .iter()
        .map(|m| {
            let filled = m.actual.map(cells).unwrap_or(0);
            let marker = m.limit.map(cells);
            let bar: String = (0..width)
                .map(|i| {
                    if Some(i) == marker.map(|c| c.min(width - 1)) {
                        '│'
                    } else if i < filled {
                        '█'
                    } else {
                        '░'
                    }
                })
                .collect();
            let pct = m
                .actual
                .zip(m.limit)
                .filter(|(_, l)| !l.is_zero())
                .map(|(a, l)| format!("{:>4}%", (a * Decimal::ONE_HUNDRED / l).round()));
            let amount = |v: Option<Decimal>| v.map(money).unwrap_or_else(|| "-".into());
            let over = m.actual.zip(m.limit).is_some_and(|(a, l)| a > l);
            (
                format!(
                    " {} {bar} {:>12} / {:>12} {}",
                    m.month,
                    amount(m.actual),
                    amount(m.limit),
                    pct.unwrap_or_default()
                ),
                over,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_rows_scale_to_the_largest_amount_and_flag_overruns() {
        let m = |month: &str, actual: i64, limit: i64| MonthSpend {
            month: month.into(),
            actual: Some(Decimal::from(actual)),
            limit: Some(Decimal::from(limit)),
        };
        let rows = history_rows(&[m("2026-01", 50, 100), m("2026-02", 120, 100)], 12);
        assert_eq!(rows[0].0, " 2026-01 █████░░░░░│░        50.00 /       100.00   50%");
        assert!(!rows[0].1);
        assert_eq!(rows[1].0, " 2026-02 ██████████│█       120.00 /       100.00  120%");
        assert!(rows[1].1);
    }
}
