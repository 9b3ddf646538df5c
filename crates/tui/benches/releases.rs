//! `:releases` benchmark (run with scripts/bench; numbers go to docs/performance.md): 500
//! versions (each image with its run) and 200 tenants (each with terms to parse, a running image
//! and a scheduled update) in the store: one frame, and a keystroke to frame.

use chrono::{Duration as Span, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use silo_core::model::{Rollout, ServiceSummary, Tenant, Terms};
use silo_core::reads::ReadValue;
use silo_core::releases::{Build, Image, Releases, Scan, ScanSource, Severities, RELEASES};
use silo_core::store::{FetchEvent, Slot, SlotValue};
use silo_core::terms::schedule::ScheduledUpdate;
use silo_tui::action::{Action, Banner};
use silo_tui::app::{dispatch, App};
use silo_tui::keymap::Keymap;
use silo_tui::screen::Screen;
use silo_tui::theme::Theme;
use std::time::Duration;

#[path = "../../../benches/measure.rs"]
mod measure;
use measure::{ms, timed};

const VERSIONS: usize = 500;
const TENANTS: usize = 200;

fn version(i: usize) -> String {
    format!("{}.{}.{}", 1 + i / 100, (i / 10) % 10, i % 10)
}

fn releases(now: chrono::DateTime<Utc>) -> Releases {
    let image = |i: usize| Image {
        tags: vec![version(i), format!("{:07x}", i * 7919)],
        digest: format!("sha256:{:064x}", i),
        pushed_at: Some(now - Span::hours(i as i64 * 6)),
        size_bytes: Some(150_000_000),
        scan: Scan {
            status: Some("COMPLETE".into()),
            completed_at: Some(now - Span::hours(i as i64 * 6)),
            findings: Some(Severities {
                critical: u32::from(i.is_multiple_of(17)),
                high: 2,
                medium: 5,
                low: 9,
                other: 0,
            }),
            source: if i.is_multiple_of(2) { ScanSource::Inspector } else { ScanSource::EcrBasic },
        },
    };
    let build = |i: usize| Build {
        pipeline: "app-build".into(),
        execution_id: format!("{:08x}-0000-0000-0000-{:012x}", i, i),
        status: if i.is_multiple_of(23) { "Failed".into() } else { "Succeeded".into() },
        started: Some(now - Span::hours(i as i64 * 6) - Span::minutes(15)),
        updated: None,
        commit: Some(format!("{:040x}", i * 7919)),
        commit_summary: Some(format!("Release {}", version(i))),
        trigger: Some("Webhook".into()),
        variables: vec![version(i)],
        failure: None,
    };
    Releases {
        registry: "123456789012".into(),
        region: "sa-east-1".into(),
        repository: "opsfactor/app".into(),
        images: (0..VERSIONS).map(image).collect(),
        builds: (0..VERSIONS).step_by(5).map(build).collect(),
        inspector_error: None,
    }
}

fn tenant(i: usize) -> Tenant {
    Tenant {
        name: format!("tenant-{i:03}"),
        account_id: format!("{:012}", 200_000_000_000u64 + i as u64),
        region: "sa-east-1".into(),
        ecs_cluster: format!("tenant-{i:03}"),
        ecs_service: "app".into(),
        terms: Terms {
            window: Some("sun 02:00-04:00 America/Sao_Paulo".into()),
            certified: Some(format!("{} 1.4.x 2.0.x", version(i % VERSIONS))),
        },
    }
}

fn main() {
    let now = Utc::now();
    let mut app = App::new(Keymap::default(), Theme::default(), Banner::default(), Duration::from_secs(60), now);
    let tenants: Vec<Tenant> = (0..TENANTS).map(tenant).collect();
    app.store.set_tenants(tenants.clone(), now);
    for (i, t) in tenants.iter().enumerate() {
        let image = format!("123456789012.dkr.ecr.sa-east-1.amazonaws.com/opsfactor/app:{}", version(i % 40));
        let service = ServiceSummary {
            cluster: t.ecs_cluster.clone(),
            name: "app".into(),
            desired: 2,
            running: 2,
            pending: 0,
            task_definition: format!("{}-app:3", t.name),
            rollout: Rollout::Completed,
            image: Some(image),
            version: Some(version(i % 40)),
        };
        if let Some(r) = app.store.tenants.get_mut(&t.account_id) {
            r.apply(Slot::Service, Ok(SlotValue::Service(Some(service))), now);
        }
        let update = ScheduledUpdate {
            name: format!("silo-{}-r4", t.account_id),
            at: now + Span::days(2),
            zone: "UTC".into(),
            to_revision: 4,
            to_version: Some(version(0)),
        };
        app.store.scheduled.entry(t.account_id.clone()).or_default().finish(Ok(vec![update]), now);
    }
    let value = ReadValue::new(Some(releases(now)));
    dispatch(&mut app, Action::Navigate(Screen::Releases));
    dispatch(&mut app, Action::Fetch(FetchEvent::Read { key: RELEASES.of_org(), result: Ok(value), at: now }));
    app.take_requests();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("backend");
    let (mean, p99) = timed(100, || {
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!(
        "releases: frame with {VERSIONS} versions and {TENANTS} tenants, 200x60: {:.2} ms mean, {:.2} ms p99 (target < 8 ms)",
        ms(mean),
        ms(p99)
    );
    let key = Action::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
    let (mean, p99) = timed(100, || {
        dispatch(&mut app, key.clone());
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!("releases: keystroke to frame: {:.2} ms mean, {:.2} ms p99 (target < 16 ms)", ms(mean), ms(p99));
}
