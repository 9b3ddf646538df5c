//! One metric as a chart: a braille line over a value axis in the metric's unit and a time axis in
//! the operator's zone, the alarm's threshold as a dashed row, the alarm's ALARM period marked on
//! the top row, the range's changes as vertical marks (a suspect of the open timeline heavier), and
//! a cursor column with the value under it. Marks are characters, not colours, so the chart reads
//! the same with NO_COLOR and the high-contrast theme. The points are thinned to two per column
//! before drawing (`chart::thin`), so 10,080 points cost what 200 do.

use crate::context::Ctx;
use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{Canvas, Line as Segment};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use silo_core::chart::{thin, value_at, value_axis, x_of, Threshold, ValueAxis, XY};
use silo_core::metrics::Series;
use silo_core::role::Role;
use silo_core::timeline::Event;

/// Everything one chart shows.
pub struct Panel<'a> {
    pub series: &'a Series,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub threshold: Option<Threshold>,
    pub marks: &'a [Event],
    pub alarm_spans: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// The cursor's place, 0.0 (the range's start) to 1.0 (its end), when shown.
    pub cursor: Option<f64>,
    pub selected: bool,
    /// A value axis shared with other charts (one metric across tenants), else the chart's own.
    pub axis: Option<ValueAxis>,
    /// Whose chart it is, when charts of several tenants sit together.
    pub name: Option<String>,
}

impl Panel<'_> {
    fn span(&self) -> f64 {
        (self.to - self.from).num_seconds().max(1) as f64
    }

    /// The series as (seconds since `from`, value), in time order: the extremes of four runs a
    /// column kept first (`keep_by_index`), so only those timestamps are parsed.
    fn points(&self, columns: usize) -> Vec<XY> {
        let parse = |t: &str| DateTime::parse_from_rfc3339(t).ok().map(|t| t.with_timezone(&Utc));
        let at =
            |p: &silo_core::metrics::Point| parse(&p.t).and_then(|t| x_of(t, self.from, self.to)).map(|x| (x, p.v));
        let values: Vec<f64> = self.series.values().collect();
        let kept = silo_core::chart::keep_by_index(&values, columns * 2);
        kept.into_iter().filter_map(|i| self.series.points.get(i)).filter_map(at).collect()
    }
}

/// The chart in `area`, framed, its title naming the metric, the last value and the threshold.
pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, panel: &Panel) {
    let border = if panel.selected { Role::Selected } else { Role::Border };
    let points = panel.points(usize::from(area.width));
    let block =
        Block::default().borders(Borders::ALL).border_style(ctx.theme.style(border)).title(title(ctx, panel, &points));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 3 || inner.width < 12 {
        return;
    }
    if points.is_empty() {
        let text = Span::styled(" no data in this range", ctx.theme.style(Role::Muted));
        frame.render_widget(Paragraph::new(text), inner);
        return;
    }
    draw(frame, inner, ctx, panel, &points);
}

fn title(ctx: &Ctx, panel: &Panel, points: &[XY]) -> Line<'static> {
    let unit = &panel.series.unit;
    let last = points.last().map(|p| silo_core::format::metric_value(p.1, unit)).unwrap_or_default();
    let heading = panel.name.clone().unwrap_or_else(|| panel.series.label.clone());
    let mut spans = vec![
        Span::styled(format!(" {heading} "), ctx.theme.style(Role::Title)),
        Span::styled(format!("{last} "), ctx.theme.style(Role::Text)),
    ];
    if let Some(t) = &panel.threshold {
        spans.push(Span::styled(format!("╌ alarm {} ", t.label()), ctx.theme.style(Role::Warning)));
    }
    if let Some(cursor) = panel.cursor.and_then(|c| value_at(points, c * panel.span())) {
        let at = panel.from + chrono::Duration::seconds(cursor.0 as i64);
        let value = silo_core::format::metric_value(cursor.1, unit);
        spans.push(Span::styled(format!("┊ {} {value} ", local(ctx, at, "%H:%M")), ctx.theme.style(Role::Key)));
    }
    Line::from(spans)
}

/// The axes' labels, the line, then the marks over the cells the line left blank.
fn draw(frame: &mut Frame, inner: Rect, ctx: &Ctx, panel: &Panel, points: &[XY]) {
    let own =
        || value_axis(points.iter().map(|p| p.1), panel.threshold.as_ref().map(|t| t.value), ticks_for(inner.height));
    let axis = panel.axis.clone().unwrap_or_else(own);
    let labels: Vec<String> =
        axis.ticks.iter().map(|v| silo_core::format::metric_value(*v, &panel.series.unit)).collect();
    let label_width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1) as u16 + 1;
    let graph = Rect {
        x: inner.x + label_width,
        width: inner.width.saturating_sub(label_width),
        height: inner.height - 1,
        ..inner
    };
    let thinned = thin(points, panel.span(), graph.width as usize);
    let color = ctx.theme.style(Role::Gauge).fg.unwrap_or(Color::Reset);
    let canvas =
        Canvas::default().x_bounds([0.0, panel.span()]).y_bounds([axis.low, axis.high]).marker(Marker::Braille);
    frame.render_widget(
        canvas.paint(|c| thinned.windows(2).for_each(|w| c.draw(&Segment::new(w[0].0, w[0].1, w[1].0, w[1].1, color)))),
        graph,
    );
    let buf = frame.buffer_mut();
    value_labels(buf, ctx, inner, graph, &axis, &labels);
    time_labels(buf, ctx, panel, graph);
    overlay(buf, ctx, panel, graph, &axis);
}

/// About one label every two rows, at most five.
fn ticks_for(height: u16) -> usize {
    usize::from(height / 2).clamp(1, 5)
}

/// The row of `value` in `graph` (the top row is the axis' high end).
fn row_of(graph: Rect, axis: &ValueAxis, value: f64) -> Option<u16> {
    let span = axis.high - axis.low;
    if span <= 0.0 || value < axis.low || value > axis.high {
        return None;
    }
    let from_top = ((axis.high - value) / span * f64::from(graph.height.saturating_sub(1))).round() as u16;
    Some(graph.y + from_top.min(graph.height.saturating_sub(1)))
}

/// The column of `x` seconds into the range.
fn column_of(graph: Rect, span: f64, x: f64) -> u16 {
    let column = (x / span * f64::from(graph.width.saturating_sub(1))).round() as u16;
    graph.x + column.min(graph.width.saturating_sub(1))
}

fn value_labels(buf: &mut Buffer, ctx: &Ctx, inner: Rect, graph: Rect, axis: &ValueAxis, labels: &[String]) {
    let style = ctx.theme.style(Role::Muted);
    for (value, label) in axis.ticks.iter().zip(labels) {
        if let Some(row) = row_of(graph, axis, *value) {
            let width = graph.x - inner.x;
            buf.set_stringn(
                inner.x,
                row,
                format!("{label:>w$}", w = usize::from(width - 1)),
                usize::from(width),
                style,
            );
        }
    }
}

/// Times under the graph, one about every 14 columns, in the operator's zone (named at the end).
fn time_labels(buf: &mut Buffer, ctx: &Ctx, panel: &Panel, graph: Rect) {
    let style = ctx.theme.style(Role::Muted);
    let row = graph.y + graph.height;
    let count = usize::from(graph.width / 14).clamp(2, 8);
    let format = if panel.span() > 2.0 * 86_400.0 { "%d %b" } else { "%H:%M" };
    for t in silo_core::chart::time_ticks(panel.from, panel.to, count) {
        let text = local(ctx, t, format);
        let x = x_of(t, panel.from, panel.to).map(|x| column_of(graph, panel.span(), x)).unwrap_or(graph.x);
        let start = x.saturating_sub(text.chars().count() as u16 / 2).max(graph.x);
        let room = usize::from((graph.x + graph.width).saturating_sub(start));
        buf.set_stringn(start, row, &text, room, style);
    }
    let zone = silo_core::terms::window::zone_label(&panel.to.with_timezone(&ctx.zone));
    let x = (graph.x + graph.width).saturating_sub(zone.chars().count() as u16);
    buf.set_stringn(x, row, &zone, zone.chars().count(), style);
}

/// `t` in the operator's zone.
fn local(ctx: &Ctx, t: DateTime<Utc>, format: &str) -> String {
    t.with_timezone(&ctx.zone).format(format).to_string()
}

/// Threshold, ALARM periods, changes and cursor, each only where the line left the cell blank.
fn overlay(buf: &mut Buffer, ctx: &Ctx, panel: &Panel, graph: Rect, axis: &ValueAxis) {
    if let Some(row) = panel.threshold.as_ref().and_then(|t| row_of(graph, axis, t.value)) {
        (graph.x..graph.x + graph.width).for_each(|x| put(buf, x, row, "╌", ctx.theme.style(Role::Warning)));
    }
    for (start, end) in &panel.alarm_spans {
        let (a, b) = (x_of(*start, panel.from, panel.to), x_of(*end, panel.from, panel.to));
        let (Some(a), Some(b)) = (a, b) else { continue };
        let columns = column_of(graph, panel.span(), a)..=column_of(graph, panel.span(), b);
        columns.for_each(|x| put(buf, x, graph.y, "▀", ctx.theme.style(Role::Critical)));
    }
    for mark in panel.marks {
        let Some(x) = x_of(mark.at, panel.from, panel.to).map(|x| column_of(graph, panel.span(), x)) else { continue };
        let (line, head, role) = if mark.suspect { ("┃", "S", Role::Critical) } else { ("│", "d", Role::Key) };
        let head = if !mark.suspect && mark.source == silo_core::timeline::Source::Action { "a" } else { head };
        (graph.y + 1..graph.y + graph.height).for_each(|y| put(buf, x, y, line, ctx.theme.style(role)));
        force(buf, x, graph.y, head, ctx.theme.style(role));
    }
    if let Some(cursor) = panel.cursor {
        let x = column_of(graph, panel.span(), cursor * panel.span());
        (graph.y..graph.y + graph.height).for_each(|y| put(buf, x, y, "┊", ctx.theme.style(Role::Key)));
    }
}

/// Writes `symbol` where the cell is blank (a space or an empty braille pattern).
fn put(buf: &mut Buffer, x: u16, y: u16, symbol: &str, style: ratatui::style::Style) {
    if let Some(cell) = buf.cell_mut((x, y)) {
        if matches!(cell.symbol(), " " | "\u{2800}") {
            cell.set_symbol(symbol).set_style(style);
        }
    }
}

/// Writes `symbol` whatever the cell holds (a mark's head must show).
fn force(buf: &mut Buffer, x: u16, y: u16, symbol: &str, style: ratatui::style::Style) {
    if let Some(cell) = buf.cell_mut((x, y)) {
        cell.set_symbol(symbol).set_style(style);
    }
}
