use super::*;
use proptest::prelude::*;

/// The plain way: sort, take the value at the nearest rank.
fn nearest_rank(values: &[f64], p: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len() as f64;
    let rank = (p / 100.0 * n).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn percentiles_are_the_nearest_rank(values in prop::collection::vec(-1e6f64..1e6, 1..200), p in 1.0f64..100.0) {
        prop_assert_eq!(percentile(&values, p), Some(nearest_rank(&values, p)));
    }

    #[test]
    fn a_change_beyond_the_tolerance_is_worse_and_within_it_is_not(
        base in 1.0f64..1000.0, factor in 0.2f64..3.0, tolerance in 0.0f64..100.0
    ) {
        let before = vec![base; 10];
        let after = vec![base * factor; 10];
        let row = Row::new("t", "1").judge(&before, &after, tolerance, false);
        let change = row.change_percent.unwrap();
        prop_assert!((change - (factor - 1.0) * 100.0).abs() < 1e-6);
        prop_assert_eq!(row.worse, change > tolerance);
    }
}

#[test]
fn medians_and_p95_of_known_values() {
    let values: Vec<f64> = (1..=20).map(f64::from).collect();
    let s = side(&values).unwrap();
    assert_eq!((s.median, s.p95, s.points), (10.0, 19.0, 20));
    assert_eq!(side(&[]), None);
    assert_eq!(change_percent(0.0, 5.0), None, "no base to scale by");
}

#[test]
fn a_spike_in_the_tail_is_worse_by_its_p95_even_when_the_median_holds() {
    let before = vec![1.0; 100];
    let mut after = vec![1.0; 100];
    after[90..].iter_mut().for_each(|v| *v = 3.0);
    let row = Row::new("t", "1").judge(&before, &after, 20.0, false);
    assert_eq!((row.change_percent, row.worse), (Some(0.0), true));
}

#[test]
fn worse_rows_come_first_then_the_larger_change_then_those_without_figures() {
    let row = |name: &str, before: f64, after: f64| Row::new(name, "1").judge(&[before], &[after], 20.0, false);
    let mut rows = vec![Row::new("never-moved", "9"), row("a", 1.0, 1.1), row("b", 1.0, 1.4), row("c", 1.0, 2.0)];
    worst_first(&mut rows);
    let names: Vec<&str> = rows.iter().map(|r| r.tenant.as_str()).collect();
    assert_eq!(names, ["c", "b", "a", "never-moved"]);
}

#[test]
fn metrics_go_by_short_name_or_panel_id_and_an_unknown_one_lists_the_names() {
    assert_eq!(metric("5xx").map(|m| m.id), Ok("alb_5xx"));
    assert_eq!(metric("alb_latency_p99").map(|m| m.id), Ok("alb_latency_p99"));
    let why = metric("errors").unwrap_err();
    assert!(why.contains("5xx, p99, latency, cpu"), "{why}");
}

#[test]
fn the_move_is_the_newest_finished_deployment_to_the_version() {
    let now = chrono::Utc::now();
    let deployment = |image: &str, status: &str, days: i64| crate::deploy::Deployment {
        image: Some(format!("registry/app:{image}")),
        status: status.into(),
        started_at: Some(now - Duration::days(days)),
        finished_at: Some(now - Duration::days(days) + Duration::minutes(9)),
        ..crate::deploy::tests::deployment(1, status)
    };
    let mut status = crate::deploy::tests::status();
    status.deployments = vec![
        deployment("1.5.0", "IN_PROGRESS", 0),
        deployment("1.5.0", "SUCCESSFUL", 2),
        deployment("1.4.2", "SUCCESSFUL", 9),
    ];
    let moved = move_to(&status, "1.5.0").expect("moved");
    assert_eq!(moved.started, now - Duration::days(2));
    assert!(move_to(&status, "1.6.0").is_none());
    let (before, after) = spans(&moved, Duration::hours(6));
    assert_eq!((before.1, after.0), (moved.started, moved.finished), "the rollout is in neither");
}
