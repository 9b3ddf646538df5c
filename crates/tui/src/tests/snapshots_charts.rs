//! The charts (`m`): the grid at the smallest and a large terminal, one chart full screen with
//! the alarm's threshold, its ALARM period, the deployment that preceded it and the cursor, and
//! the same picture without colours (the marks are characters).

use super::snapshots::{draw, press};
use crate::action::{Action, Screen};
use crate::app::App;
use crate::fixtures;
use crossterm::event::KeyCode;
use silo_core::metrics::Range;

/// globex as the demo's flapping tenant: its 5xx alarm fired 3 minutes ago, 12 minutes after a
/// deployment started; its dashboard, deployments and alarms as the charts read them.
fn charts_app(range: Range) -> App {
    let mut app = fixtures::app(fixtures::store());
    let tenant = app.store.tenant_by_name("globex").map(|r| r.tenant.clone()).expect("fixture tenant");
    let now = fixtures::now();
    let board = silo_demo::dashboard_at(&tenant, silo_demo::Profile::Flapping, range, now);
    app.store.dashboards.entry(tenant.account_id.clone()).or_default().finish(Ok(board), now);
    let status = silo_demo::deployments_at(&tenant, silo_demo::Profile::Flapping, 0, now);
    app.store.deployments.entry(tenant.account_id.clone()).or_default().finish(Ok(status), now);
    let fired = silo_demo::incident_fired(now);
    let record = app.store.tenants.get_mut(&tenant.account_id).expect("globex");
    let mut summary = record.alarms.value().cloned().expect("globex's alarms");
    summary.alarms.iter_mut().for_each(|a| a.since = Some(fired));
    record.apply(silo_core::store::Slot::Alarms, Ok(silo_core::store::SlotValue::Alarms(summary)), now);
    app.range = range;
    app.screens.push(Screen::Charts(tenant.account_id));
    app
}

fn full_screen_on_5xx(app: &mut App) {
    let index = app
        .store
        .dashboards
        .values()
        .next()
        .and_then(|d| d.value())
        .and_then(|d| d.series.iter().position(|s| s.id == "alb_5xx"));
    app.views.charts.selected = index.expect("a 5xx panel");
    press(app, KeyCode::Enter);
    (0..3).for_each(|_| press(app, KeyCode::Left));
}

#[test]
fn charts_grid_at_80x24() {
    insta::assert_snapshot!(draw(&charts_app(Range::H1), 80, 24).backend());
}

#[test]
fn charts_grid_at_250x70() {
    insta::assert_snapshot!(draw(&charts_app(Range::H6), 250, 70).backend());
}

#[test]
fn chart_of_the_5xx_full_screen_with_threshold_alarm_deployment_and_cursor() {
    let mut app = charts_app(Range::H1);
    full_screen_on_5xx(&mut app);
    insta::assert_snapshot!(draw(&app, 120, 30).backend());
}

/// NO_COLOR and the high-contrast theme: the threshold, the ALARM period, the deployment and the
/// cursor are characters of their own, so the chart says the same without colour.
#[test]
fn without_colours_the_marks_still_say_what_they_are() {
    let mut app = charts_app(Range::H1);
    app.theme = app.theme.without_colors();
    full_screen_on_5xx(&mut app);
    let terminal = draw(&app, 120, 30);
    let text: String = terminal.backend().buffer().content().iter().map(|c| c.symbol()).collect();
    for (mark, meaning) in
        [("╌", "threshold"), ("▀", "ALARM period"), ("d", "deployment"), ("┊", "cursor"), ("> 10", "alarm")]
    {
        assert!(text.contains(mark), "the {meaning} mark {mark:?} is drawn");
    }
    assert!(terminal.backend().buffer().content().iter().all(|c| c.fg == ratatui::style::Color::Reset));
}

#[test]
fn zoom_keys_change_the_range_and_read_the_metrics_again() {
    let mut app = charts_app(Range::H1);
    app.take_requests();
    press(&mut app, KeyCode::Char('-'));
    assert_eq!(app.range, Range::H3);
    press(&mut app, KeyCode::Char('+'));
    press(&mut app, KeyCode::Char('+'));
    assert_eq!(app.range, Range::H1, "1h is the shortest");
    let asked = app.take_requests();
    assert_eq!(asked.iter().filter(|r| matches!(r, crate::action::Request::Dashboard(..))).count(), 2, "{asked:?}");
}

/// `:compare` for 1.5.0 on the p99: the method on screen, the tenant it made worse first.
#[test]
fn compare_lists_the_worse_tenant_first_with_the_method() {
    use silo_core::compare::{Ask, Comparison, Method, Move, Row};
    let mut app = fixtures::app(fixtures::store());
    let now = fixtures::now();
    let moved = |days: i64| {
        Some(Move {
            started: now - chrono::Duration::days(days),
            finished: now - chrono::Duration::days(days),
            task_definition: None,
        })
    };
    let row = |name: &str, days: i64, before: f64, after: f64| {
        let r = Row { moved: moved(days), ..Row::new(name, "1") };
        r.judge(&[before; 360], &[after; 360], 20.0, days == 0)
    };
    let mut rows = vec![
        row("acme", 3, 0.61, 0.63),
        row("globex", 2, 0.61, 0.86),
        row("initech", 0, 0.6, 0.6),
        Row::new("stark", "5"),
    ];
    silo_core::compare::worst_first(&mut rows);
    let comparison = Comparison { method: Method::new(6 * 3600, 60, 20.0), rows };
    app.views.compare.metric = 1;
    let ask = Ask::parse("1.5.0", "p99", "6h", 20.0).expect("ask");
    let value = silo_core::reads::ReadValue::new(comparison);
    app.store.apply(silo_core::store::FetchEvent::Read { key: ask.key(), result: Ok(value), at: now });
    app.screens.push(Screen::Compare("1.5.0".into()));
    insta::assert_snapshot!(draw(&app, 120, 12).backend());
}

#[test]
fn m_on_a_version_opens_its_comparison_and_the_metric_keys_ask_again() {
    let mut app = fixtures::app(fixtures::store());
    fixtures::add_releases(&mut app.store);
    crate::app::dispatch(&mut app, Action::Navigate(Screen::Releases));
    app.take_requests();
    press(&mut app, KeyCode::Char('m'));
    assert_eq!(app.screen(), &Screen::Compare("1.5.1".into()), "the newest version is selected");
    let first = app.take_requests();
    assert!(
        first.iter().any(|r| matches!(r, crate::action::Request::Read(k) if k.arg.starts_with("1.5.1|alb_5xx|360|"))),
        "{first:?}"
    );
    press(&mut app, KeyCode::Right);
    let next = app.take_requests();
    assert!(
        next.iter()
            .any(|r| matches!(r, crate::action::Request::Read(k) if k.arg.starts_with("1.5.1|alb_latency_p99|"))),
        "{next:?}"
    );
}

/// `M` on the fleet: the 5xx of the shown tenants on one scale, globex's incident next to the
/// quiet ones; →: the next metric.
#[test]
fn one_metric_across_the_fleets_tenants_on_one_scale() {
    let mut app = fixtures::app(fixtures::store());
    let now = fixtures::now();
    let tenants: Vec<_> = app.store.tenants.values().map(|r| r.tenant.clone()).collect();
    for t in &tenants {
        let profile = if t.name == "globex" { silo_demo::Profile::Flapping } else { silo_demo::Profile::Healthy };
        let board = silo_demo::dashboard_at(t, profile, Range::H1, now);
        app.store.dashboards.entry(t.account_id.clone()).or_default().finish(Ok(board), now);
    }
    app.range = Range::H1;
    app.views.fleet.selected = app.store.tenant_by_name("globex").map(|r| r.tenant.account_id.clone());
    press(&mut app, KeyCode::Char('M'));
    assert!(matches!(app.screen(), Screen::Across(accounts) if accounts.len() == 6), "{:?}", app.screen());
    let asked = app.take_requests();
    assert_eq!(asked.iter().filter(|r| matches!(r, crate::action::Request::Dashboard(..))).count(), 6, "{asked:?}");
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Left);
    insta::assert_snapshot!(draw(&app, 120, 30).backend());
}

/// `[` moves the charts half a range into the past and reads that window; `]` comes back, and
/// past now the range ends now again.
#[test]
fn panning_reads_the_earlier_window_and_comes_back_to_now() {
    let mut app = charts_app(Range::H6);
    app.take_requests();
    press(&mut app, KeyCode::Char('['));
    let end = app.now - chrono::Duration::hours(3);
    assert_eq!(app.range_end, Some(end));
    let asked = app.take_requests();
    assert!(
        asked.iter().any(|r| matches!(r, crate::action::Request::Dashboard(_, Range::H6, Some(e)) if *e == end)),
        "{asked:?}"
    );
    let title = format!("{:?}", draw(&app, 120, 12).backend());
    assert!(title.contains("6h until"), "the title says the range is in the past");
    press(&mut app, KeyCode::Char(']'));
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.range_end, None, "past now, the range ends now");
}
