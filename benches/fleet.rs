//! Fleet benchmarks (run with scripts/bench; numbers go to docs/performance.md):
//! - render: one frame of the fleet table with 1,000 tenants, and a filter keystroke to frame;
//! - fleet: `silo fleet` against N tenants seeded in moto: wall time and API calls, beside the
//!   emulator's own request capacity and a sequential AWS CLI loop doing the same reads.

#[path = "measure.rs"]
mod measure;
#[path = "../tests/support/mod.rs"]
mod support;
use measure::{ms, rss_mb, timed};

use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use futures::StreamExt;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use silo_core::alarms::{Alarm, AlarmState, AlarmSummary};
use silo_core::findings::FindingCounts;
use silo_core::model::{Rollout, ServiceSummary, Tenant};
use silo_core::store::{Slot, SlotValue, Store};
use silo_tui::action::{Action, Banner};
use silo_tui::app::{update, App};
use silo_tui::keymap::Keymap;
use silo_tui::theme::Theme;
use std::time::{Duration, Instant};

fn main() {
    one_tenant_findings();
    demo_scale(1000);
    render_benchmarks();
    findings_benchmarks();
    first_frame();
    dashboard_paint();
    match std::env::var("SILO_TEST_MOTO_ENDPOINT") {
        Ok(_) => tokio::runtime::Runtime::new().expect("runtime").block_on(fleet_benchmark()),
        Err(_) => println!("fleet: skipped (run scripts/bench to start moto)"),
    }
}

fn synthetic_store(n: usize) -> Store {
    let mut store = Store::default();
    let now = Utc::now();
    let tenants: Vec<Tenant> = (0..n)
        .map(|i| Tenant {
            name: format!("tenant-{i:04}"),
            account_id: format!("{:012}", 500_000_000_000u64 + i as u64),
            region: "sa-east-1".into(),
            ecs_cluster: format!("tenant-{i:04}"),
            ecs_service: "app".into(),
            terms: Default::default(),
        })
        .collect();
    store.set_tenants(tenants.clone(), now);
    for (i, t) in tenants.iter().enumerate() {
        let r = store.tenants.get_mut(&t.account_id).expect("inserted");
        let service = ServiceSummary {
            cluster: t.ecs_cluster.clone(),
            name: "app".into(),
            desired: 3,
            running: 3 - (i % 4 == 0) as i32,
            pending: 0,
            task_definition: format!("app:{}", i % 90),
            rollout: if i % 17 == 0 { Rollout::InProgress } else { Rollout::Completed },
            image: Some(format!("registry.local/app:1.4.{}", i % 3)),
            version: Some(format!("1.4.{}", i % 3)),
        };
        r.apply(Slot::Service, Ok(SlotValue::Service(Some(service))), now);
        r.apply(
            Slot::Alarms,
            Ok(SlotValue::Alarms(AlarmSummary::of(
                (0..8)
                    .map(|n| {
                        Alarm::test(
                            &format!("a{n}"),
                            if n == 0 && i % 13 == 0 { AlarmState::Alarm } else { AlarmState::Ok },
                        )
                    })
                    .collect(),
            ))),
            now,
        );
        let counts = FindingCounts { critical: (i % 29 == 0) as u32, high: (i % 5) as u32, medium: 3, low: 7 };
        r.apply(Slot::SecurityHub, Ok(SlotValue::SecurityHub(Some(counts))), now);
        r.apply(Slot::GuardDuty, Ok(SlotValue::GuardDuty(None)), now);
        r.apply(Slot::Spend, Ok(SlotValue::Spend(None)), now);
    }
    store
}

fn render_benchmarks() {
    let mut app = App::new(Keymap::default(), Theme::default(), Banner::default(), Duration::from_secs(60), Utc::now());
    app.store = synthetic_store(1000);
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("backend");
    let (mean, p99) = timed(200, || {
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!("render: 1,000 tenants at 200x60: mean {:.2} ms, p99 {:.2} ms", ms(mean), ms(p99));
    update(&mut app, Action::Key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE)));
    let mut toggle = false;
    let (mean, p99) = timed(200, || {
        toggle = !toggle;
        let key = if toggle { KeyCode::Char('7') } else { KeyCode::Backspace };
        update(&mut app, Action::Key(KeyEvent::new(key, KeyModifiers::NONE)));
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!("render: filter keystroke to frame, 1,000 tenants: mean {:.2} ms, p99 {:.2} ms", ms(mean), ms(p99));
}

/// Start of `silo --demo` in a pseudo-terminal to its first drawn frame (the fleet title).
fn first_frame() {
    use portable_pty::{native_pty_system, CommandBuilder, PtySize};
    use std::io::Read;
    let mut samples = Vec::new();
    for _ in 0..5 {
        let pty =
            native_pty_system().openpty(PtySize { rows: 40, cols: 120, pixel_width: 0, pixel_height: 0 }).expect("pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_silo"));
        cmd.arg("--demo");
        cmd.env("TERM", "xterm-256color");
        let home = tempfile::tempdir().expect("tempdir");
        cmd.env("XDG_STATE_HOME", home.path());
        let start = Instant::now();
        let mut child = pty.slave.spawn_command(cmd).expect("spawn");
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        while !String::from_utf8_lossy(&seen).contains("Fleet (") {
            let n = reader.read(&mut buf).unwrap_or(0);
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
        }
        samples.push(start.elapsed());
        let _ = child.kill();
    }
    samples.sort();
    println!("startup: silo --demo to first frame: median {:.1} ms (of 5)", ms(samples[2]));
}

/// A tenant screen with its 12-panel dashboard at 200x50: the paint after the data arrives.
fn dashboard_paint() {
    let mut app = App::new(Keymap::default(), Theme::default(), Banner::default(), Duration::from_secs(60), Utc::now());
    app.store = synthetic_store(1000);
    let tenant = app.store.tenants.values().next().map(|r| r.tenant.clone()).expect("tenant");
    let board =
        silo_demo::dashboard_at(&tenant, silo_demo::Profile::BatchBacklog, silo_core::metrics::Range::D7, Utc::now());
    app.store.dashboards.entry(tenant.account_id.clone()).or_default().finish(Ok(board), Utc::now());
    app.screens.push(silo_tui::action::Screen::Tenant(tenant.account_id));
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("backend");
    let (mean, p99) = timed(100, || {
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!("dashboard: tenant screen with 12 panels (7d) at 200x50: mean {:.2} ms, p99 {:.2} ms", ms(mean), ms(p99));
}

/// 100,000 findings over 1,000 tenants: memory held, frame time, filter keystroke to frame.
fn findings_benchmarks() {
    use silo_core::findings::{Finding, FindingSource};
    let before = rss_mb();
    let mut app = App::new(Keymap::default(), Theme::default(), Banner::default(), Duration::from_secs(60), Utc::now());
    app.store = synthetic_store(1000);
    let tenants: Vec<Tenant> = app.store.tenants.values().map(|r| r.tenant.clone()).collect();
    let now = Utc::now();
    let list: Vec<Finding> =
        (0..100_000).map(|i| synthetic_finding(i, &tenants[i % tenants.len()].account_id, now)).collect();
    app.store.apply(silo_core::store::FetchEvent::Findings {
        source: FindingSource::Securityhub,
        result: Ok(Some(list.into())),
        at: now,
    });
    println!("findings: 100,000 findings held: +{:.0} MB RSS ({:.0} MB in all)", rss_mb() - before, rss_mb());
    app.screens.push(silo_tui::action::Screen::Findings);
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("backend");
    let (mean, p99) = timed(50, || {
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!("findings: frame with 100,000 findings at 200x60: mean {:.2} ms, p99 {:.2} ms", ms(mean), ms(p99));
    update(&mut app, Action::Key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE)));
    let mut toggle = false;
    let (mean, p99) = timed(50, || {
        toggle = !toggle;
        let key = if toggle { KeyCode::Char('9') } else { KeyCode::Backspace };
        update(&mut app, Action::Key(KeyEvent::new(key, KeyModifiers::NONE)));
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!("findings: filter keystroke to frame, 100,000 findings: mean {:.2} ms, p99 {:.2} ms", ms(mean), ms(p99));
}

/// One synthetic Security Hub finding of `account`, as a read builds it (sanitized text, no JSON).
fn synthetic_finding(i: usize, account: &str, now: chrono::DateTime<Utc>) -> silo_core::findings::Finding {
    use silo_core::findings::{Finding, FindingSource, Severity};
    Finding {
        id: format!("arn:aws:securityhub:sa-east-1:{}:subscription/aws-foundational-security-best-practices/v/1.0.0/RDS.3/finding/{i:016x}", account),
        source: if i.is_multiple_of(5) { FindingSource::Guardduty } else { FindingSource::Securityhub },
        product: "arn:aws:securityhub:sa-east-1::product/aws/securityhub".into(),
        account_id: account.to_string(),
        tenant: None,
        region: "sa-east-1".into(),
        severity: [Severity::Low, Severity::Medium, Severity::High, Severity::Critical][i % 4],
        title: format!("RDS DB instances should have encryption at-rest enabled ({i})"),
        description: "This control checks whether storage encryption is enabled for your Amazon RDS DB instances.".into(),
        status: "NEW".into(),
        open: true,
        resource: format!("arn:aws:rds:sa-east-1:{}:db:app-{i}", account),
        resource_type: "AwsRdsDbInstance".into(),
        kind: "RDS.3".into(),
        first_seen: Some(now - chrono::Duration::minutes(i as i64)),
        last_seen: None,
        updated_at: Some(now - chrono::Duration::minutes(i as i64)),
        remediation: "Enable encryption at rest.".into(),
        remediation_url: "https://docs.aws.amazon.com/console/securityhub/RDS.3/remediation".into(),
        raw: String::new(),
    }
}

/// 100,000 findings of one tenant read as a read keeps them (`Keeper`, the default cap): the
/// memory held stays that of the cap, and the rest is counted exactly.
fn one_tenant_findings() {
    let before = rss_mb();
    let now = Utc::now();
    let mut keeper = silo_core::findings::Keeper::new(silo_core::findings::DEFAULT_PER_ACCOUNT);
    let (kept, took) = {
        let start = std::time::Instant::now();
        (0..100_000).for_each(|i| keeper.offer(synthetic_finding(i, "210000000001", now)));
        (keeper.finish(), start.elapsed())
    };
    let counted = kept.beyond.get("210000000001").map(|b| b.total).unwrap_or(0);
    assert_eq!(kept.len() + counted, 100_000, "every finding kept or counted");
    println!(
        "findings: 100,000 of one tenant read through the cap of {}: {} kept, {counted} counted, +{:.1} MB RSS, {:.0} ms",
        silo_core::findings::DEFAULT_PER_ACCOUNT,
        kept.len(),
        rss_mb() - before,
        ms(took)
    );
}

fn moto_requests() -> usize {
    let path = std::env::var("SILO_BENCH_MOTO_LOG").unwrap_or_default();
    std::fs::read_to_string(path)
        .map(|log| log.lines().filter(|l| l.contains("\" 200 ") || l.contains("HTTP/1.1\" ")).count())
        .unwrap_or(0)
}

async fn fleet_benchmark() {
    let n: usize = std::env::var("SILO_BENCH_TENANTS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let seed_start = Instant::now();
    let org = support::seed::organization().await;
    let ids: Vec<String> = futures::stream::iter(0..n)
        .map(|i| {
            let org = &org;
            async move {
                let name = format!("tenant-{i:04}");
                let id = org.account(&name, &org.tenants_ou, Some(&name)).await;
                let inside = org.inside(&id).await;
                support::seed::ecs_service(&inside, &name, 2).await;
                support::seed::alarms(&inside, 3, usize::from(i % 10 == 0)).await;
                id
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    support::seed::budget(&org, "tenant-0000-monthly", &[&ids[0]], "1000", "120").await;
    println!("fleet: seeded {n} tenants in {:.1} s", seed_start.elapsed().as_secs_f64());

    let home = tempfile::tempdir().expect("tempdir");
    let config = support::write_config(
        home.path(),
        &format!(
            "region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"Tenants\"\n[billing]\naccount_id = \"{}\"\n[fetch]\nmax_attempts = 1\ntimeout_secs = 60\n",
            org.management_id
        ),
    );
    let args = ["fleet", "--format", "json", "--config", config.to_str().expect("utf-8 path")];
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut calls = 0;
    let mut peak_mb: f64 = 0.0;
    for _ in 0..3 {
        let before = moto_requests();
        let (start, cpu_before) = (Instant::now(), children_cpu_secs());
        let (out, peak) = run_watching_memory(&args, &org, home.path());
        times.push(start.elapsed());
        cpu.push(children_cpu_secs() - cpu_before);
        peak_mb = peak_mb.max(peak);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(report["tenants"].as_array().map(Vec::len), Some(n));
        tokio::time::sleep(Duration::from_millis(300)).await;
        calls = moto_requests() - before;
    }
    times.sort();
    cpu.sort_by(f64::total_cmp);
    println!(
        "fleet: silo's own CPU per refresh of {n} tenants (user + system): median {:.2} s (runs {cpu:.2?})",
        cpu[1]
    );
    let median = times[1];
    println!(
        "fleet: silo fleet, {n} tenants: median {:.2} s (runs {:?}), {calls} API calls, {:.0} calls/s, peak RSS {peak_mb:.0} MB",
        median.as_secs_f64(),
        times,
        calls as f64 / median.as_secs_f64()
    );

    let capacity = emulator_capacity(&org, &ids).await;
    println!(
        "fleet: moto capacity (DescribeServices+DescribeAlarms, 32 in flight, assumed creds): {capacity:.0} calls/s"
    );
    println!(
        "fleet: silo reaches {:.0}% of the emulator's capacity",
        100.0 * (calls as f64 / median.as_secs_f64()) / capacity
    );

    // The sequential CLI loop takes about 2.4 s a tenant: at 1,000 tenants it would run 40 minutes.
    if n > 200 {
        println!("fleet: AWS CLI baseline skipped above 200 tenants (see docs/performance.md for 200)");
        return;
    }
    if let Ok(cli) = std::env::var("SILO_BENCH_AWS_CLI") {
        let start = Instant::now();
        let status = std::process::Command::new("bash")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/baseline_cli.sh"))
            .args([&cli, &org.tenants_ou, &org.management_id])
            .env("AWS_ENDPOINT_URL", support::endpoint())
            .env("AWS_REGION", "us-east-1")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", org.management.access_key_id())
            .env("AWS_SECRET_ACCESS_KEY", org.management.secret_access_key())
            .env("AWS_SESSION_TOKEN", org.management.session_token().unwrap_or_default())
            .status()
            .expect("run baseline");
        let cli_time = start.elapsed();
        assert!(status.success(), "the AWS CLI baseline failed ({status}); its numbers would mean nothing");
        println!(
            "fleet: AWS CLI sequential loop, {n} tenants: {:.1} s (exit {status}); silo is {:.1}x faster",
            cli_time.as_secs_f64(),
            cli_time.as_secs_f64() / median.as_secs_f64()
        );
    }
}

/// Requests per second moto itself serves for the per-tenant reads, with credentials already
/// assumed and 32 requests in flight: the ceiling silo is measured against.
async fn emulator_capacity(org: &support::seed::Org, ids: &[String]) -> f64 {
    let mut clients = Vec::new();
    for id in ids {
        let sdk = org.inside(id).await;
        clients.push((aws_sdk_ecs::Client::new(&sdk), aws_sdk_cloudwatch::Client::new(&sdk)));
    }
    let start = Instant::now();
    let done: usize = futures::stream::iter(clients.iter().enumerate())
        .map(|(i, (ecs, cw))| async move {
            let cluster = format!("tenant-{i:04}");
            let a = ecs.describe_services().cluster(cluster).services("app").send().await.is_ok();
            let b = cw.describe_alarms().send().await.is_ok();
            usize::from(a) + usize::from(b)
        })
        .buffer_unordered(32)
        .fold(0, |acc, n| async move { acc + n })
        .await;
    done as f64 / start.elapsed().as_secs_f64()
}

/// Runs `silo args` while sampling its peak resident memory (VmHWM) from /proc.
/// CPU seconds (user + system) of this process's children that have been waited for: the
/// difference around one `silo fleet` is what silo itself spent on it (the SDK's signing and
/// parsing included), whatever the emulator's speed.
fn children_cpu_secs() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

fn run_watching_memory(args: &[&str], org: &support::seed::Org, home: &std::path::Path) -> (std::process::Output, f64) {
    let mut cmd = support::silo_command(args, &org.management, home, &support::endpoint());
    cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let child = cmd.spawn().expect("spawn silo");
    let status = format!("/proc/{}/status", child.id());
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watching = done.clone();
    let watcher = std::thread::spawn(move || {
        let mut peak = 0.0_f64;
        while !watching.load(std::sync::atomic::Ordering::Relaxed) {
            let text = std::fs::read_to_string(&status).unwrap_or_default();
            let kb = text
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok());
            peak = peak.max(kb.unwrap_or(0.0) / 1024.0);
            std::thread::sleep(Duration::from_millis(10));
        }
        peak
    });
    let out = child.wait_with_output().expect("silo ran");
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    (out, watcher.join().unwrap_or(0.0))
}

/// The demo source scaled to `n` tenants, in process: a full refresh, memory, one frame.
fn demo_scale(n: usize) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let before = rss_mb();
    let source = std::sync::Arc::new(silo_demo::DemoOrg::scaled(n));
    let limiter = std::sync::Arc::new(silo_engine::Limiter::new(32, 4, Duration::from_secs(15)));
    let start = Instant::now();
    let store = runtime.block_on(silo::headless::collect_fleet(source, limiter)).expect("demo refresh");
    let took = start.elapsed();
    println!(
        "demo: {n} tenants refreshed in {:.0} ms; store +{:.0} MB RSS ({:.0} MB in all)",
        ms(took),
        rss_mb() - before,
        rss_mb()
    );
    let mut app = App::new(Keymap::default(), Theme::default(), Banner::default(), Duration::from_secs(60), Utc::now());
    app.store = store;
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("backend");
    let (mean, p99) = timed(200, || {
        terminal.draw(|f| silo_tui::frame::render(f, &app)).expect("draw");
    });
    println!("demo: frame with {n} tenants at 200x60: mean {:.2} ms, p99 {:.2} ms", ms(mean), ms(p99));
}
