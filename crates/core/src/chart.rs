//! What a chart needs besides its points, in pure arithmetic: the series thinned to what the
//! width can show (the extremes of each column kept, so a spike is never averaged away), a value
//! axis on round numbers in the metric's unit, time labels, the alarm's threshold for the metric
//! and where the range's events fall. The TUI draws these; tests check them against
//! straightforward implementations.

use chrono::{DateTime, Utc};

/// A point on a chart: seconds since the range's start, and the value.
pub type XY = (f64, f64);

/// At most `2 * columns` points: for each column's share of the range, its minimum and its
/// maximum in time order. Points arrive in time order; fewer than that are kept as they are.
pub fn thin(points: &[XY], span: f64, columns: usize) -> Vec<XY> {
    if columns == 0 || points.len() <= columns * 2 || span <= 0.0 {
        return points.to_vec();
    }
    let column_of = |x: f64| ((x / span * columns as f64).floor().max(0.0) as usize).min(columns - 1);
    let mut out = Vec::with_capacity(columns * 2);
    let mut start = 0;
    while start < points.len() {
        let column = column_of(points[start].0);
        let end = points[start..].iter().position(|p| column_of(p.0) != column).map_or(points.len(), |n| start + n);
        out.extend(extremes(&points[start..end]));
        start = end;
    }
    out
}

/// Which of `values` (in time order) to keep before their times are even read: the lowest and
/// the highest of each of `buckets` equal runs, in order. Parsing 10,080 timestamps a frame costs
/// more than drawing; `thin` then places the kept ones by their times.
pub fn keep_by_index(values: &[f64], buckets: usize) -> Vec<usize> {
    if buckets == 0 || values.len() <= buckets * 2 {
        return (0..values.len()).collect();
    }
    let mut kept = Vec::with_capacity(buckets * 2);
    for b in 0..buckets {
        let (start, end) = (b * values.len() / buckets, (b + 1) * values.len() / buckets);
        let run = start..end.max(start + 1).min(values.len());
        let lo = run.clone().min_by(|i, j| values[*i].total_cmp(&values[*j]));
        let hi = run.max_by(|i, j| values[*i].total_cmp(&values[*j]));
        let (Some(lo), Some(hi)) = (lo, hi) else { continue };
        kept.extend(if lo == hi { vec![lo] } else { vec![lo.min(hi), lo.max(hi)] });
    }
    kept
}

/// The lowest and the highest point of a run, in time order (one point when they are the same).
fn extremes(run: &[XY]) -> Vec<XY> {
    let by_value = |a: &&XY, b: &&XY| a.1.total_cmp(&b.1);
    let (Some(lo), Some(hi)) = (run.iter().min_by(by_value), run.iter().max_by(by_value)) else { return Vec::new() };
    match lo.0.total_cmp(&hi.0) {
        std::cmp::Ordering::Less => vec![*lo, *hi],
        std::cmp::Ordering::Greater => vec![*hi, *lo],
        std::cmp::Ordering::Equal => vec![*lo],
    }
}

/// A value axis: its bounds and the round values labelled on it.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueAxis {
    pub low: f64,
    pub high: f64,
    pub ticks: Vec<f64>,
}

/// Bounds on round steps (1, 2 or 5 times a power of ten) that hold every value and the
/// threshold, starting at zero for metrics that never go below it, with at most `max_ticks` + 1
/// labels.
pub fn value_axis(values: impl Iterator<Item = f64>, threshold: Option<f64>, max_ticks: usize) -> ValueAxis {
    let (lo, hi) = values
        .chain(threshold)
        .filter(|v| v.is_finite())
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = if lo > hi { (0.0, 1.0) } else { (lo.min(0.0), hi) };
    let hi = if hi <= lo { lo + 1.0 } else { hi };
    let step = nice_step((hi - lo) / max_ticks.max(1) as f64);
    let low = (lo / step).floor() * step;
    let high = (hi / step).ceil() * step;
    let count = ((high - low) / step).round() as usize;
    let ticks = (0..=count).map(|i| low + step * i as f64).collect();
    ValueAxis { low, high, ticks }
}

/// The smallest of 1, 2, 5 × 10ⁿ at least `raw`.
pub fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| *s >= raw * (1.0 - 1e-9)).unwrap_or(10.0 * power)
}

/// Where `t` falls on the chart (seconds since `from`), when it is inside the range.
pub fn x_of(t: DateTime<Utc>, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<f64> {
    (t >= from && t <= to).then(|| (t - from).num_milliseconds() as f64 / 1000.0)
}

/// `count` evenly spaced times from `from` to `to`, both ends included.
pub fn time_ticks(from: DateTime<Utc>, to: DateTime<Utc>, count: usize) -> Vec<DateTime<Utc>> {
    let span = (to - from).num_seconds();
    let count = count.max(2);
    (0..count).map(|i| from + chrono::Duration::seconds(span * i as i64 / (count as i64 - 1))).collect()
}

/// An alarm's threshold on a panel's metric, and whether it fires above or below it (the
/// `threshold` of `silo metrics`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Threshold {
    pub value: f64,
    /// CloudWatch's `ComparisonOperator` (GreaterThanThreshold…).
    pub comparison: String,
    pub alarm: String,
}

impl Threshold {
    /// The threshold of an alarm watching `namespace`/`metric` among `alarms`: one in ALARM first.
    pub fn of(alarms: &[crate::alarms::Alarm], namespace: &str, metric: &str) -> Option<Threshold> {
        let watching = |a: &&crate::alarms::Alarm| {
            a.watch.as_ref().is_some_and(|w| w.namespace == namespace && w.metric == metric)
        };
        let firing = |a: &&crate::alarms::Alarm| a.state == crate::alarms::AlarmState::Alarm;
        let alarm = alarms.iter().filter(watching).max_by_key(firing)?;
        let watch = alarm.watch.as_ref()?;
        Some(Threshold { value: watch.threshold.0, comparison: watch.comparison.clone(), alarm: alarm.name.clone() })
    }

    /// `> 10`, `≤ 2`: the comparison as a sign.
    pub fn label(&self) -> String {
        let sign = match self.comparison.as_str() {
            "GreaterThanThreshold" => ">",
            "GreaterThanOrEqualToThreshold" => "≥",
            "LessThanThreshold" => "<",
            "LessThanOrEqualToThreshold" => "≤",
            _ => "≶",
        };
        format!("{sign} {}", self.value)
    }
}

/// The periods the threshold's alarm was in ALARM within the range: from its history (the
/// StateUpdate items, `from OK to ALARM` … `from ALARM to OK`) when it was read, else from when it
/// entered its current ALARM state to the end.
pub fn alarm_spans(
    alarms: &[crate::alarms::Alarm],
    threshold: Option<&Threshold>,
    history: Option<&[crate::alarms::AlarmHistoryItem]>,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let Some(alarm) = threshold.and_then(|t| alarms.iter().find(|a| a.name == t.alarm)) else { return Vec::new() };
    let firing = alarm.state == crate::alarms::AlarmState::Alarm;
    let spans = match history {
        Some(items) => spans_of_history(items, firing, to),
        None => alarm.since.filter(|_| firing).map(|since| vec![(since, to)]).unwrap_or_default(),
    };
    spans.into_iter().filter(|(a, b)| *b >= from && *a <= to).map(|(a, b)| (a.max(from), b.min(to))).collect()
}

/// ALARM periods from state changes: each `… to ALARM` opens one, the next change closes it; one
/// whose first change leaves ALARM was open before the history begins; one still open ends at
/// `to` when the alarm is in ALARM now (a history cut short cannot say).
fn spans_of_history(
    items: &[crate::alarms::AlarmHistoryItem],
    firing_now: bool,
    to: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut changes: Vec<(DateTime<Utc>, &str, &str)> = items
        .iter()
        .filter(|h| h.kind == "StateUpdate")
        .filter_map(|h| {
            let (before, after) = h.summary.rsplit_once(" to ")?;
            Some((h.time?, before.rsplit(" from ").next().unwrap_or("").trim(), after.trim()))
        })
        .collect();
    changes.sort_by_key(|c| c.0);
    let mut open = changes.first().filter(|c| c.1 == "ALARM").map(|_| DateTime::<Utc>::MIN_UTC);
    let mut spans = Vec::new();
    for (at, _, state) in changes {
        match (state == "ALARM", open) {
            (true, None) => open = Some(at),
            (false, Some(start)) => {
                spans.push((start, at));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(start) = open.filter(|_| firing_now) {
        spans.push((start, to));
    }
    spans
}

/// The value the cursor's column shows: the point nearest to `x`.
pub fn value_at(points: &[XY], x: f64) -> Option<XY> {
    points.iter().min_by(|a, b| (a.0 - x).abs().total_cmp(&(b.0 - x).abs())).copied()
}

#[cfg(test)]
mod tests;
