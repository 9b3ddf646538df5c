//! The tenant dashboard: one sparkline per metric with its last value, minimum and maximum, the
//! range and period on top. Panels whose resource the tenant lacks say so instead of drawing.

use crate::context::Ctx;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline};
use ratatui::Frame;
use silo_core::metrics::{Dashboard, Series, SeriesStatus};
use silo_core::role::Role;
use silo_core::store::Loadable;

const LABEL: u16 = 20;
const FIGURES: u16 = 36;

/// Rows the dashboard needs: a title, one per series, one per missing resource.
pub fn height(ctx: &Ctx, account_id: &str) -> u16 {
    match ctx.store.dashboards.get(account_id).and_then(|d| d.value()) {
        Some(d) => 1 + d.series.len() as u16 + d.missing.len() as u16 + u16::from(d.note.is_some()),
        None => 2,
    }
}

/// "12.3%", "1.2 GB", "0.35 s", "6.6k" (`format::metric_value`, which `silo compare` shares).
pub fn format_value(v: f64, unit: &str) -> String {
    silo_core::format::metric_value(v, unit)
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, account_id: &str) {
    let theme = ctx.theme;
    let slot = ctx.store.dashboards.get(account_id);
    let title = |extra: String| {
        Line::from(vec![
            Span::styled(format!(" Dashboard · {} ", super::charts::window_words(ctx)), theme.style(Role::Header)),
            Span::styled(extra, theme.style(Role::Muted)),
        ])
    };
    let Some(d) = slot.and_then(|s| s.value()) else {
        let text = match slot {
            Some(Loadable::Failed { error, .. }) => {
                Line::from(Span::styled(format!(" metrics: {error}"), theme.style(Role::Error)))
            }
            _ if ctx.offline => Line::from(Span::styled(" metrics are not kept offline", theme.style(Role::Muted))),
            _ => Line::from(Span::styled(" loading metrics…", theme.style(Role::Muted))),
        };
        frame.render_widget(Paragraph::new(vec![title(String::new()), text]), area);
        return;
    };
    let loading = if slot.is_some_and(|s| s.is_loading()) { " · loading…" } else { "" };
    let rows = Layout::vertical(vec![Constraint::Length(1); height(ctx, account_id) as usize]).split(area);
    let mut row = rows.iter();
    let extra = format!("{}-second points{loading} · R: range", d.period_seconds);
    if let Some(r) = row.next() {
        frame.render_widget(Paragraph::new(title(extra)), *r);
    }
    if let (Some(note), Some(r)) = (&d.note, rows.get(1)) {
        frame.render_widget(Paragraph::new(Span::styled(format!(" {note}"), theme.style(Role::Warning))), *r);
        row.next();
    }
    for s in &d.series {
        if let Some(r) = row.next() {
            render_series(frame, *r, ctx, s);
        }
    }
    render_missing(frame, &mut row, ctx, d);
}

fn render_series(frame: &mut Frame, area: Rect, ctx: &Ctx, s: &Series) {
    let theme = ctx.theme;
    let [label, chart, figures] =
        Layout::horizontal([Constraint::Length(LABEL), Constraint::Min(4), Constraint::Length(FIGURES)]).areas(area);
    frame.render_widget(Paragraph::new(Span::styled(format!(" {}", s.label), theme.style(Role::Text))), label);
    // Sparklines take integers from zero: scale each series between its own minimum and maximum,
    // so a change of a few percent is visible, with one step kept for the minimum itself.
    let (lo, hi) = s.min_max().unwrap_or((0.0, 0.0));
    let scale = |v: f64| if hi > lo { ((v - lo) / (hi - lo) * 1000.0) as u64 + 1 } else { 500 };
    let values: Vec<f64> = s.values().collect();
    let data: Vec<u64> = fit_width(&values, chart.width as usize).into_iter().map(scale).collect();
    frame.render_widget(Sparkline::default().data(&data).style(theme.style(Role::Gauge)), chart);
    let text = match (&s.status, s.min_max()) {
        (SeriesStatus::Forbidden, _) => (format!(" forbidden: {}", s.message.clone().unwrap_or_default()), Role::Error),
        (_, None) => (" no data in this range".to_string(), Role::Muted),
        (status, Some((lo, hi))) => {
            let last = s.last().map(|v| format_value(v, &s.unit)).unwrap_or_default();
            let partial = if *status == SeriesStatus::PartialData { " (partial)" } else { "" };
            (format!(" {last:>9}  {}–{}{partial}", format_value(lo, &s.unit), format_value(hi, &s.unit)), Role::Text)
        }
    };
    frame.render_widget(Paragraph::new(Span::styled(text.0, theme.style(text.1))), figures);
}

fn render_missing<'a>(frame: &mut Frame, rows: &mut impl Iterator<Item = &'a Rect>, ctx: &Ctx, d: &Dashboard) {
    for kind in &d.missing {
        if let Some(r) = rows.next() {
            let text = format!(" {}: none found for this tenant, so no panel", kind.label());
            frame.render_widget(Paragraph::new(Span::styled(text, ctx.theme.style(Role::Muted))), *r);
        }
    }
}

/// The whole range in `width` columns: each column shows the largest value of its share of the
/// points, so a spike is never averaged away.
pub fn fit_width(values: &[f64], width: usize) -> Vec<f64> {
    if width == 0 || values.len() <= width {
        return values.to_vec();
    }
    (0..width)
        .map(|c| {
            let (start, end) =
                (c * values.len() / width, ((c + 1) * values.len() / width).max(c * values.len() / width + 1));
            values[start..end.min(values.len())].iter().copied().fold(f64::MIN, f64::max)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{fit_width, format_value};

    #[test]
    fn the_whole_range_fits_and_spikes_survive() {
        let mut values = vec![1.0; 180];
        values[7] = 50.0;
        let fitted = fit_width(&values, 24);
        assert_eq!(fitted.len(), 24);
        assert_eq!(fitted.iter().filter(|v| **v == 50.0).count(), 1);
        assert_eq!(fit_width(&[1.0, 2.0], 10), vec![1.0, 2.0]);
    }

    #[test]
    fn values_read_in_their_unit() {
        assert_eq!(format_value(12.345, "Percent"), "12.3%");
        assert_eq!(format_value(112_600_000_000.0, "Bytes"), "112.6 GB");
        assert_eq!(format_value(0.354, "Seconds"), "0.35 s");
        assert_eq!(format_value(2220.0, "Seconds"), "2220 s");
        assert_eq!(format_value(6587.0, "Count"), "6.6k");
    }
}
