//! A full refresh of the demo organization through the fetcher. Moved from the demo crate's unit
//! tests (the demo does not depend on the engine).

use silo_core::error::ErrorKind;
use silo_core::model::AwsService;
use silo_core::store::Store;
use silo_demo::{DemoOrg, DEMO_TENANTS};
use silo_engine::{Fetcher, Limiter};
use std::sync::Arc;
use std::time::Duration;

/// The rails these tests act under, all stated: open unless a test says otherwise.
fn rails(read_only: bool) -> silo_core::actions::Rails {
    silo_core::actions::Rails { read_only, offline: false, protected: Default::default(), max_plan_age: None }
}

#[tokio::test]
async fn full_refresh_fills_every_tenant_and_denied_role_shows_as_error() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let limiter = Arc::new(Limiter::new(8, 2, Duration::from_secs(5)));
    let fetcher = Fetcher::new(Arc::new(DemoOrg::frozen(0)), limiter, tx);
    fetcher.refresh().await;
    let mut store = Store::default();
    while let Ok(event) = rx.try_recv() {
        store.apply(event);
    }
    assert_eq!(store.tenants.len(), DEMO_TENANTS.len());
    assert_eq!(store.loaded_count(), DEMO_TENANTS.len());
    let denied = store.tenant_by_name("kestrel-motors").unwrap();
    let errors = denied.errors();
    assert_eq!(errors.len(), 1, "same STS error on both slots is reported once");
    assert_eq!((errors[0].service, errors[0].kind), (AwsService::Sts, ErrorKind::Denied));
    let compromised = store.tenant_by_name("fjord-logistics").unwrap();
    assert!(compromised.findings().unwrap().critical >= 3);
    assert_eq!(store.tenant_by_name("jade-beverages").unwrap().spend.value(), Some(&None));
}

/// The read path refuses a statement that changes data; as a confirmed action it runs and is
/// journaled, and read-only refuses it in the data layer.
#[tokio::test]
async fn a_statement_runs_only_through_actions_and_never_read_only() {
    use silo_core::store::FetchEvent;
    let dir = tempfile::tempdir().unwrap();
    let journal = silo_core::journal::Journal::at(dir.path().join("audit.jsonl"));
    let demo: Arc<dyn silo_core::source::FleetSource> = Arc::new(DemoOrg::frozen(0));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let fetcher = Fetcher::new(demo.clone(), Arc::new(Limiter::new(4, 2, Duration::from_secs(5))), tx);
    let request = silo_core::queries::run::QueryRequest {
        name: "ad-hoc".into(),
        sql: "DROP TABLE alb_logs".into(),
        parameters: vec![],
        tenant: None,
    };
    fetcher.spawn_query(1, request.clone()).await.unwrap();
    let Some(FetchEvent::QueryStarted { result: Err(e), .. }) = rx.recv().await else { panic!("refused") };
    assert!(e.message.starts_with("refused: DROP changes data"), "{}", e.message);
    let statement = silo_core::queries::statement::classify(&request.sql).unwrap();
    let target = silo_core::plan::AthenaTarget { workgroup: "primary".into(), ..Default::default() };
    let plan = silo_core::plan::ActionPlan::athena_statement(&request, &statement, &target);
    let read_only = silo_core::actions::Actions::new(demo.clone(), journal.clone(), rails(true));
    fetcher.spawn_statement(read_only, 2, plan.clone()).await.unwrap();
    let Some(FetchEvent::QueryStarted { run: 2, result: Err(e), .. }) = rx.recv().await else { panic!("refused") };
    assert!(e.message.contains("read-only"), "{}", e.message);
    let actions = silo_core::actions::Actions::new(demo, journal.clone(), rails(false));
    fetcher.spawn_statement(actions, 3, plan).await.unwrap();
    let Some(FetchEvent::QueryStarted { run: 3, result: Ok(id), .. }) = rx.recv().await else { panic!("started") };
    let results: Vec<String> = journal.read().unwrap().iter().map(|e| e.result.clone()).collect();
    assert_eq!(results, ["read-only", "started", &format!("ok: started query execution {id}")]);
}

/// The demo's incident: delta-aero's deployment started minutes before its running-tasks alarm
/// fired, so the timeline opened on that alarm names it as the one suspect; every source is read.
#[tokio::test]
async fn the_timeline_of_the_demo_incident_names_the_deployment_as_the_suspect() {
    use silo_core::timeline::Source;
    let demo: Arc<dyn silo_core::source::FleetSource> = Arc::new(DemoOrg::frozen(0));
    let tenant = demo.clone().list_tenants().await.unwrap().into_iter().find(|t| t.name == "delta-aero").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let now = chrono::Utc::now();
    let request = silo_engine::timeline::TimelineRequest {
        tenant,
        from: now - chrono::Duration::hours(6),
        to: now,
        around_alarm: Some("delta-aero-ecs-running-tasks".into()),
        suspect_window: chrono::Duration::minutes(30),
        journal: dir.path().join("audit.jsonl"),
    };
    let limiter = Arc::new(Limiter::new(8, 4, Duration::from_secs(5)));
    let timeline = silo_engine::timeline::gather(demo, limiter, request).await;
    assert!(timeline.errors.is_empty(), "{:?}", timeline.errors);
    let sources: std::collections::BTreeSet<Source> = timeline.events.iter().map(|e| e.source).collect();
    assert!(sources.contains(&Source::Alarm) && sources.contains(&Source::Deployment), "{sources:?}");
    let suspects: Vec<(Source, &str)> =
        timeline.events.iter().filter(|e| e.suspect).map(|e| (e.source, e.kind.as_str())).collect();
    assert_eq!(suspects, [(Source::Deployment, "started")]);
    let line = timeline.suspects.unwrap_or_default();
    assert!(line.starts_with("1 suspect: deployment to delta-aero-app:"), "{line}");
    assert!(timeline.events.windows(2).all(|w| w[0].at >= w[1].at), "newest first");
}

/// `:compare` and `silo compare` over the demo: 1.5.0 made ember-textiles' p99 about 40% worse
/// (24 hours on each side, so the daily traffic shape is the same before and after); the denied
/// tenant is a row with its error, the others that never moved say so.
#[tokio::test]
async fn comparing_a_version_finds_the_tenant_it_made_worse_first() {
    use silo_core::compare::Ask;
    let source: Arc<dyn silo_core::source::FleetSource> = Arc::new(DemoOrg::frozen(0));
    let limiter = Arc::new(Limiter::new(8, 2, Duration::from_secs(5)));
    let tenants = source.clone().list_tenants().await.expect("tenants");
    let ask = Ask::parse("1.5.0", "p99", "24h", 20.0).expect("ask");
    let (method, rows) = silo_engine::compare::gather(source, limiter, tenants, &ask, chrono::Utc::now()).await;
    assert_eq!((method.window_seconds, method.period_seconds), (86_400, 60));
    let worst = &rows[0];
    assert_eq!((worst.tenant.as_str(), worst.worse), ("ember-textiles", true));
    let change = worst.change_percent.expect("both sides");
    assert!((35.0..45.0).contains(&change), "about 40%: {change}");
    assert!(rows.iter().filter(|r| r.tenant != "ember-textiles").all(|r| !r.worse || r.incomplete), "{rows:?}");
    let denied = rows.iter().find(|r| r.tenant == "kestrel-motors").expect("every tenant has a row");
    assert!(denied.error.as_deref().is_some_and(|e| e.contains("denied")), "{denied:?}");
}
