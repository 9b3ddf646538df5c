//! Timeline benchmark (run with scripts/bench; numbers go to docs/performance.md): one tenant's
//! 7-day timeline of 10,000 events held in the store: one frame, a scroll keystroke to frame,
//! and a range change (`R`, then the 10,000 events of the new range applied and drawn).

use chrono::{Duration as Span, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use silo_core::model::Tenant;
use silo_core::store::FetchEvent;
use silo_core::timeline::{Event, Source, Timeline};
use silo_tui::action::{Action, Banner};
use silo_tui::app::{dispatch, App};
use silo_tui::keymap::Keymap;
use silo_tui::theme::Theme;
use std::time::Duration;

#[path = "../../../benches/measure.rs"]
mod measure;
use measure::{ms, timed};

const EVENTS: usize = 10_000;

fn timeline(now: chrono::DateTime<Utc>) -> Timeline {
    let sources = [Source::Alarm, Source::Deployment, Source::Finding, Source::Action];
    let mut t = Timeline::new("acme", "111111111111", now - Span::days(7), now);
    t.add((0..EVENTS).map(|i| Event {
        at: now - Span::seconds((i as i64 * 60) % (7 * 86_400)),
        source: sources[i % 4],
        kind: ["ALARM", "started", "created", "confirmed"][i % 4].into(),
        title: format!("acme-alarm-{} or deployment to acme-app:{}", i % 40, i % 90),
        detail: format!("Alarm updated from OK to ALARM: threshold crossed by datapoint {i}"),
        suspect: i % 97 == 0,
        reference: format!("ref-{i}"),
    }));
    t.mark_suspects(now, Span::minutes(30));
    t
}

fn main() {
    let now = Utc::now();
    let mut app = App::new(Keymap::default(), Theme::default(), Banner::default(), Duration::from_secs(60), now);
    let tenant = Tenant {
        name: "acme".into(),
        account_id: "111111111111".into(),
        region: "sa-east-1".into(),
        ecs_cluster: "acme".into(),
        ecs_service: "app".into(),
        terms: Default::default(),
    };
    app.store.set_tenants(vec![tenant], now);
    dispatch(&mut app, Action::OpenTimeline("111111111111".into(), Some("acme-alarm-1".into())));
    dispatch(&mut app, Action::Fetch(FetchEvent::Timeline { timeline: Box::new(timeline(now)), at: now }));
    app.take_requests();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("backend");
    let (mean, p99) = timed(100, || {
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!(
        "timeline: frame with {EVENTS} events, 200x60: {:.2} ms mean, {:.2} ms p99 (target < 8 ms)",
        ms(mean),
        ms(p99)
    );
    let key = |code| Action::Key(KeyEvent::new(code, KeyModifiers::NONE));
    let (mean, p99) = timed(100, || {
        dispatch(&mut app, key(KeyCode::Down));
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!("timeline: scroll keystroke to frame: {:.2} ms mean, {:.2} ms p99 (target < 16 ms)", ms(mean), ms(p99));
    // Gathered ahead: what is timed is silo's part (the key, applying the answer, the frame).
    let mut answers: Vec<Timeline> = (0..20).map(|_| timeline(now)).collect();
    let (mean, p99) = timed(20, || {
        dispatch(&mut app, key(KeyCode::Char('R')));
        app.take_requests();
        let next = Box::new(answers.pop().expect("one answer a run"));
        dispatch(&mut app, Action::Fetch(FetchEvent::Timeline { timeline: next, at: now }));
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!(
        "timeline: range change (R, {EVENTS} new events applied, frame): {:.2} ms mean, {:.2} ms p99 (target < 16 ms; the gathering itself is AWS time)",
        ms(mean),
        ms(p99)
    );
}
