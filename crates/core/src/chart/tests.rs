use super::*;
use proptest::prelude::*;

/// The plain way: each column's points, their minimum and maximum.
fn column_extremes(points: &[XY], span: f64, columns: usize) -> Vec<(usize, f64, f64)> {
    let mut out: Vec<(usize, f64, f64)> = Vec::new();
    for (x, y) in points {
        let c = ((x / span * columns as f64).floor() as usize).min(columns - 1);
        match out.iter_mut().find(|(col, ..)| *col == c) {
            Some(entry) => {
                entry.1 = entry.1.min(*y);
                entry.2 = entry.2.max(*y);
            }
            None => out.push((c, *y, *y)),
        }
    }
    out
}

fn sorted_points() -> impl Strategy<Value = Vec<XY>> {
    prop::collection::vec((0.0f64..1000.0, -50.0f64..5000.0), 0..600).prop_map(|mut v| {
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn thinning_keeps_each_columns_extremes_and_never_more_than_two_points_a_column(
        points in sorted_points(), columns in 1usize..80
    ) {
        let thinned = thin(&points, 1000.0, columns);
        prop_assert!(thinned.len() <= (columns * 2).max(points.len().min(columns * 2)));
        if points.len() > columns * 2 {
            let want = column_extremes(&points, 1000.0, columns);
            let got = column_extremes(&thinned, 1000.0, columns);
            prop_assert_eq!(got, want);
        } else {
            prop_assert_eq!(thinned, points);
        }
    }

    #[test]
    fn the_value_axis_holds_every_value_and_the_threshold_on_round_steps(
        values in prop::collection::vec(-100.0f64..1e6, 1..50), threshold in prop::option::of(0.0f64..2e6)
    ) {
        let axis = value_axis(values.iter().copied(), threshold, 4);
        for v in values.iter().chain(threshold.iter()) {
            prop_assert!(axis.low <= *v && *v <= axis.high, "{v} outside {axis:?}");
        }
        prop_assert!(axis.low <= 0.0, "starts at zero or below");
        prop_assert!(axis.ticks.len() >= 2 && axis.ticks.len() <= 12, "{axis:?}");
        let step = axis.ticks[1] - axis.ticks[0];
        let mantissa = step / 10f64.powf(step.log10().floor());
        prop_assert!([1.0, 2.0, 5.0, 10.0].iter().any(|m| (m - mantissa).abs() < 1e-6), "step {step}");
    }
}

proptest! {
    #[test]
    fn keeping_by_index_keeps_every_buckets_extremes_in_order(
        values in prop::collection::vec(-1e3f64..1e3, 0..400), buckets in 1usize..50
    ) {
        let kept = keep_by_index(&values, buckets);
        prop_assert!(kept.windows(2).all(|w| w[0] < w[1]), "in time order");
        prop_assert!(kept.len() <= (buckets * 2).max(values.len().min(buckets * 2)));
        if let (Some(lo), Some(hi)) = (
            values.iter().copied().reduce(f64::min),
            values.iter().copied().reduce(f64::max),
        ) {
            prop_assert!(kept.iter().any(|i| values[*i] == lo) && kept.iter().any(|i| values[*i] == hi));
        }
    }
}

#[test]
fn a_spike_between_two_quiet_columns_survives_thinning() {
    let mut points: Vec<XY> = (0..10_080).map(|i| (i as f64 * 60.0, 1.0)).collect();
    points[5_000].1 = 99.0;
    let thinned = thin(&points, 10_080.0 * 60.0, 100);
    assert!(thinned.len() <= 200);
    assert!(thinned.contains(&(5_000.0 * 60.0, 99.0)));
}

#[test]
fn steps_are_one_two_or_five_and_an_empty_series_still_has_an_axis() {
    assert_eq!(nice_step(0.13), 0.2);
    assert_eq!(nice_step(3.0), 5.0);
    assert_eq!(nice_step(700.0), 1000.0);
    let empty = value_axis(std::iter::empty(), None, 4);
    assert_eq!((empty.low, empty.high), (0.0, 1.0));
    let with_threshold = value_axis([2.0, 4.0].into_iter(), Some(10.0), 4);
    assert_eq!(with_threshold.high, 10.0, "the alarm's line is on the chart");
}

#[test]
fn events_outside_the_range_have_no_place_and_the_cursor_finds_the_nearest_point() {
    let from = DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z").unwrap().with_timezone(&Utc);
    let to = from + chrono::Duration::hours(1);
    assert_eq!(x_of(from + chrono::Duration::minutes(12), from, to), Some(720.0));
    assert_eq!(x_of(from - chrono::Duration::minutes(1), from, to), None);
    assert_eq!(time_ticks(from, to, 3), vec![from, from + chrono::Duration::minutes(30), to]);
    assert_eq!(value_at(&[(0.0, 1.0), (60.0, 5.0), (120.0, 2.0)], 70.0), Some((60.0, 5.0)));
}

#[test]
fn the_threshold_is_the_alarm_watching_the_metric_a_firing_one_first() {
    use crate::alarms::{Alarm, AlarmState, Threshold as Value, Watch};
    let watching = |name: &str, state, value| Alarm {
        watch: Some(Watch {
            namespace: "AWS/ApplicationELB".into(),
            metric: "HTTPCode_Target_5XX_Count".into(),
            comparison: "GreaterThanThreshold".into(),
            threshold: Value(value),
        }),
        ..Alarm::test(name, state)
    };
    let alarms = [watching("quiet", AlarmState::Ok, 50.0), watching("firing", AlarmState::Alarm, 10.0)];
    let threshold = Threshold::of(&alarms, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count").expect("watched");
    assert_eq!((threshold.alarm.as_str(), threshold.label()), ("firing", "> 10".to_string()));
    assert!(Threshold::of(&alarms, "AWS/ECS", "CPUUtilization").is_none());
    let from = DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z").unwrap().with_timezone(&Utc);
    let mut fired = alarms.to_vec();
    fired[1].since = Some(from + chrono::Duration::minutes(40));
    let to = from + chrono::Duration::hours(1);
    let spans = alarm_spans(&fired, Some(&threshold), None, (from, to));
    assert_eq!(spans, vec![(from + chrono::Duration::minutes(40), to)]);
}

proptest! {
    /// The period is the finest standard one that keeps the span within the points and that
    /// CloudWatch keeps for data that old, found by trying each in turn; the note says when age,
    /// not the points, decided it.
    #[test]
    fn the_period_is_the_finest_allowed(seconds in 60i64..40 * 86_400, points in 1u32..2_000, age in 0i64..500) {
        let (period, note) = crate::metrics::period_for(seconds, points, age);
        let fits = |p: &i64| seconds / p <= i64::from(points);
        let kept = |p: &i64| match age { ..=15 => true, 16..=63 => *p >= 300, 64..=455 => *p >= 3_600, _ => *p >= 86_400 };
        let standard = [60i64, 300, 900, 3_600, 86_400, 86_400 * 1_000];
        let finest = standard.into_iter().find(|p| fits(p) && kept(p)).map(|p| p.min(86_400));
        prop_assert_eq!(Some(i64::from(period)), finest);
        let by_points = standard.into_iter().find(fits).map(|p| p.min(86_400)).unwrap_or(86_400);
        prop_assert_eq!(note.is_some(), !kept(&by_points));
    }
}

#[test]
fn alarm_periods_come_from_the_history_when_it_was_read() {
    use crate::alarms::{Alarm, AlarmHistoryItem, AlarmState};
    let from = DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z").unwrap().with_timezone(&Utc);
    let at = |m: i64| from + chrono::Duration::minutes(m);
    let change = |m: i64, summary: &str| AlarmHistoryItem {
        time: Some(at(m)),
        kind: "StateUpdate".into(),
        summary: format!("Alarm updated {summary}"),
    };
    let history = [
        change(50, "from OK to ALARM"),
        change(5, "from ALARM to OK"),
        change(20, "from OK to ALARM"),
        change(30, "from ALARM to OK"),
        AlarmHistoryItem { time: Some(at(25)), kind: "Action".into(), summary: "Published to SNS".into() },
    ];
    let alarm = Alarm { since: Some(at(50)), ..Alarm::test("firing", AlarmState::Alarm) };
    let threshold = Threshold { value: 10.0, comparison: "GreaterThanThreshold".into(), alarm: "firing".into() };
    let spans = alarm_spans(&[alarm], Some(&threshold), Some(&history), (from, at(60)));
    assert_eq!(spans, vec![(from, at(5)), (at(20), at(30)), (at(50), at(60))], "open before, closed, open now");
}
