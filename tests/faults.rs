//! The fault test bed: 200 tenants in moto behind the fault proxy (tests/support/fault_proxy.rs),
//! 20% of their roles denied, 10% throttled on every call, 5% slower than the timeout (2 s: moto on
//! two cores answers a first DescribeTaskDefinition or ListMetrics of an account slowly
//! while 200 tenants refresh; the slow tenants answer after 3 s). Whatever
//! happens to those, every other tenant's data is complete and correct, each faulty tenant shows
//! its own error, the refresh ends, and the terminal UI keeps drawing all along.

mod support;

use futures::StreamExt;
use serde_json::Value;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use support::fault_proxy::{Fault, FaultProxy, Rules};
use support::seed;

const TENANTS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Healthy,
    Denied,
    Throttled,
    Slow,
}

/// Tenant i: 0..40 denied, 40..60 throttled, 60..70 slow, the rest healthy.
fn kind(i: usize) -> Kind {
    match i {
        0..40 => Kind::Denied,
        40..60 => Kind::Throttled,
        60..70 => Kind::Slow,
        _ => Kind::Healthy,
    }
}

struct Fleet {
    org: seed::Org,
    /// Account id → (tenant index, name).
    tenants: HashMap<String, (usize, String)>,
}

/// 200 tenant accounts, each with an ECS service of 1 + i % 4 tasks and 2 alarms (one firing
/// for every third tenant), seeded 16 at a time.
async fn fleet() -> Fleet {
    let org = seed::organization().await;
    let seeded = futures::stream::iter(0..TENANTS)
        .map(|i| {
            let org = &org;
            async move {
                let name = format!("t{i:03}");
                let id = org.account(&format!("{name}-prod"), &org.tenants_ou, Some(&name)).await;
                let inside = org.inside(&id).await;
                seed::ecs_service(&inside, &name, 1 + (i % 4) as i32).await;
                seed::alarms(&inside, 2, usize::from(i % 3 == 0)).await;
                (id, (i, name))
            }
        })
        .buffer_unordered(16)
        .collect::<Vec<_>>()
        .await;
    Fleet { org, tenants: seeded.into_iter().collect() }
}

fn rules(fleet: &Fleet) -> Rules {
    let mut rules = Rules::default();
    for (id, (i, _)) in &fleet.tenants {
        match kind(*i) {
            Kind::Denied => drop(rules.denied_accounts.insert(id.clone())),
            Kind::Throttled => drop(rules.by_account.insert(id.clone(), Fault::Throttle)),
            Kind::Slow => drop(rules.by_account.insert(id.clone(), Fault::Latency(Duration::from_secs(3)))),
            Kind::Healthy => {}
        }
    }
    rules
}

const CONFIG: &str = "region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"Tenants\"\n[fetch]\ntimeout_secs = 2\nmax_attempts = 2\nconcurrency = 32\nper_account_concurrency = 4\n";

fn error_kinds(tenant: &Value) -> Vec<String> {
    let errors = tenant["errors"].as_array().cloned().unwrap_or_default();
    let mut kinds: Vec<String> = errors.iter().filter_map(|e| e["kind"].as_str().map(str::to_string)).collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_healthy_tenant_is_complete_and_every_faulty_one_shows_its_own_error() {
    let fleet = fleet().await;
    let proxy = FaultProxy::start(&support::unchecked_endpoint()).await;
    proxy.set(rules(&fleet));
    let home = tempfile::tempdir().expect("tempdir");
    let config = support::write_config(home.path(), CONFIG);
    let started = Instant::now();
    let out = support::run_silo_via(
        &["fleet", "--format", "json", "--config", config.to_str().unwrap()],
        &fleet.org.management,
        home.path(),
        &proxy.url,
    );
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "the fleet is listed even with faulty tenants: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let tenants = report["tenants"].as_array().expect("tenants");
    assert_eq!(tenants.len(), TENANTS);
    for t in tenants {
        let id = t["account_id"].as_str().unwrap_or_default();
        let (i, name) = fleet.tenants.get(id).unwrap_or_else(|| panic!("unknown tenant {t}"));
        assert_eq!(t["name"], name.as_str());
        let kinds = error_kinds(t);
        match kind(*i) {
            Kind::Healthy => {
                assert!(kinds.is_empty(), "{name} is healthy: {t}");
                assert_eq!(t["service"]["desired"], 1 + (*i % 4) as i64, "{name}");
                assert_eq!(t["alarms"]["total"], 2, "{name}");
                assert_eq!(t["alarms"]["in_alarm"], i64::from(*i % 3 == 0), "{name}");
            }
            Kind::Denied => assert_eq!(kinds, vec!["denied"], "{name}: {t}"),
            Kind::Throttled => assert_eq!(kinds, vec!["throttled"], "{name}: {t}"),
            Kind::Slow => assert_eq!(kinds, vec!["timed_out"], "{name}: {t}"),
        }
        if kind(*i) != Kind::Healthy {
            assert!(t["service"].is_null() && t["alarms"].is_null(), "{name}: nothing stands in for the missing data");
            assert!(
                t["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{name}: the error says what happened"
            );
        }
    }
    // Liveness, not speed: 2 s timeouts with 2 attempts cannot add up to minutes unless something hangs.
    assert!(took < Duration::from_secs(120), "the refresh ended ({took:?})");
    // Throttled tenants were retried within their own limits, not forever.
    let throttled =
        fleet.tenants.iter().find(|(_, (i, _))| kind(*i) == Kind::Throttled).map(|(id, _)| id.clone()).unwrap();
    // Four reads per tenant (ECS service, CloudWatch alarms, the VPN's and the queue's ListMetrics),
    // two attempts each.
    let calls = proxy.count_for(&throttled);
    assert!(calls <= 4 * 2, "four reads of two attempts each: {calls}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn server_errors_resets_and_truncated_bodies_are_errors_on_that_read_only() {
    let org = seed::organization().await;
    let alpha = org.account("alpha-prod", &org.tenants_ou, Some("alpha")).await;
    seed::ecs_service(&org.inside(&alpha).await, "alpha", 2).await;
    seed::alarms(&org.inside(&alpha).await, 2, 1).await;
    let proxy = FaultProxy::start(&support::unchecked_endpoint()).await;
    let home = tempfile::tempdir().expect("tempdir");
    let config = support::write_config(home.path(), CONFIG);
    let run = |proxy: &FaultProxy| {
        let args = ["fleet", "--format", "json", "--config", config.to_str().unwrap()];
        let out = support::run_silo_via(&args, &org.management, home.path(), &proxy.url);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let report: Value = serde_json::from_slice(&out.stdout).expect("json");
        report["tenants"][0].clone()
    };
    for fault in [Fault::Status(503), Fault::Status(500), Fault::Reset, Fault::Truncate] {
        let mut rules = Rules::default();
        rules.by_operation.insert("DescribeServices".into(), fault.clone());
        proxy.set(rules);
        let alpha = run(&proxy);
        assert!(alpha["service"].is_null(), "{fault:?}: {alpha}");
        assert_eq!(alpha["errors"][0]["source"], "ecs", "{fault:?}: {alpha}");
        assert_eq!(alpha["alarms"]["total"], 2, "{fault:?}: the alarms still arrive");
    }
}

/// The terminal UI's loop, in process, through the proxy: frames keep coming while 30% of the
/// fleet fails or hangs, and the refresh ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_ui_keeps_drawing_while_the_faults_run() {
    let fleet = fleet().await;
    let proxy = FaultProxy::start(&support::unchecked_endpoint()).await;
    proxy.set(rules(&fleet));
    let home = tempfile::tempdir().expect("tempdir");
    let config_path = support::write_config(home.path(), CONFIG);
    let config = silo_core::config::Config::load(&config_path).expect("config");
    // The SDK reads the standard environment, as silo does for its users.
    support::use_aws_environment(&proxy.url, &fleet.org.management, home.path());
    let source = std::sync::Arc::new(silo_aws::AwsSource::new(config.clone(), &Default::default()).await);
    let f = &config.fetch;
    let limiter =
        std::sync::Arc::new(silo_engine::Limiter::new(f.concurrency, f.per_account_concurrency, f.request_budget()));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let fetcher = silo_engine::Fetcher::new(source, limiter, tx);
    let mut app = silo_tui::app::App::new(
        silo_tui::keymap::Keymap::default(),
        silo_tui::theme::Theme::default(),
        silo_tui::action::Banner::default(),
        Duration::from_secs(3600),
        chrono::Utc::now(),
    );
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 50)).expect("backend");
    let refresh = fetcher.spawn_refresh(true);
    let mut frames = Vec::new();
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    let deadline = Instant::now() + Duration::from_secs(120);
    while app.store.refresh_finished.is_none() || app.store.is_refreshing() {
        assert!(Instant::now() < deadline, "the refresh never ended");
        tokio::select! {
            Some(event) = rx.recv() => silo_tui::app::dispatch(&mut app, silo_tui::action::Action::Fetch(event)),
            _ = tick.tick() => silo_tui::app::dispatch(&mut app, silo_tui::action::Action::Tick(chrono::Utc::now())),
        }
        while let Ok(event) = rx.try_recv() {
            silo_tui::app::dispatch(&mut app, silo_tui::action::Action::Fetch(event));
        }
        terminal.draw(|frame| silo_tui::frame::render(frame, &app)).expect("draw");
        frames.push(Instant::now());
    }
    refresh.await.expect("refresh task");
    let longest = frames.windows(2).map(|w| w[1] - w[0]).max().unwrap_or_default();
    println!("frames: {}, longest interval between frames: {longest:?}", frames.len());
    // The slow tenants answer after 3 s; a loop that waited on them would show gaps that long.
    assert!(longest < Duration::from_secs(1), "the UI stalled for {longest:?}");
    let errors = app.store.tenants.values().filter(|r| r.service.error().is_some()).count();
    assert_eq!(errors, 70, "denied, throttled and slow tenants each show their error");
    assert_eq!(app.store.tenants.values().filter(|r| r.service.value().is_some_and(|s| s.is_some())).count(), 130);
}
