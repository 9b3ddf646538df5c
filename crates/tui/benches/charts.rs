//! Charts benchmark (run with scripts/bench; numbers go to docs/performance.md): one tenant's 12
//! charts of 7 days at 1-minute data (10,080 points each, more than CloudWatch gives a chart, to
//! bound the worst case) on a 250x70 terminal, and one chart full screen with its cursor moving.

use chrono::{Duration as Span, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use silo_core::metrics::{rfc3339, Dashboard, Point, Range, Series, SeriesStatus, PANELS};
use silo_core::model::{Tenant, Terms};
use silo_tui::action::{Action, Banner};
use silo_tui::app::{dispatch, App};
use silo_tui::keymap::Keymap;
use silo_tui::screen::Screen;
use silo_tui::theme::Theme;
use std::time::Duration;

#[path = "../../../benches/measure.rs"]
mod measure;
use measure::{ms, timed};

const POINTS: i64 = 10_080;

fn series(spec: &silo_core::metrics::MetricSpec, now: chrono::DateTime<Utc>) -> Series {
    let points = (0..POINTS)
        .map(|i| {
            let at = now - Span::minutes(POINTS - i);
            Point { t: rfc3339(at), v: 50.0 + 40.0 * ((i as f64) / 97.0).sin() + (i % 13) as f64 }
        })
        .collect();
    Series::of(spec, "bench".into(), points, SeriesStatus::Complete, None)
}

fn main() {
    let now = Utc::now();
    let mut app = App::new(Keymap::default(), Theme::default(), Banner::default(), Duration::from_secs(60), now);
    let tenant = Tenant {
        name: "bench".into(),
        account_id: "200000000000".into(),
        region: "sa-east-1".into(),
        ecs_cluster: "bench".into(),
        ecs_service: "app".into(),
        terms: Terms::default(),
    };
    app.store.set_tenants(vec![tenant.clone()], now);
    let board = Dashboard {
        range: Range::D7,
        period_seconds: 60,
        series: PANELS.iter().take(12).map(|s| series(s, now)).collect(),
        missing: Vec::new(),
        note: None,
    };
    app.store.dashboards.entry(tenant.account_id.clone()).or_default().finish(Ok(board), now);
    app.range = Range::D7;
    dispatch(&mut app, Action::Navigate(Screen::Charts(tenant.account_id.clone())));
    app.take_requests();
    let mut terminal = Terminal::new(TestBackend::new(250, 70)).expect("backend");
    let (mean, p99) = timed(50, || {
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!(
        "charts: frame of 12 charts x {POINTS} points, 250x70: {:.2} ms mean, {:.2} ms p99 (target < 16 ms)",
        ms(mean),
        ms(p99)
    );
    dispatch(&mut app, Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    let key = Action::Key(KeyEvent::new(KeyCode::Left, KeyModifiers::NONE));
    let (mean, p99) = timed(50, || {
        dispatch(&mut app, key.clone());
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!(
        "charts: cursor keystroke to frame, full screen: {:.2} ms mean, {:.2} ms p99 (target < 16 ms)",
        ms(mean),
        ms(p99)
    );
}
