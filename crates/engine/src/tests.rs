//! The fan-out with a scripted source: one tenant hangs, one is throttled, the rest answer.

use super::*;
use futures::future::BoxFuture;
use futures::FutureExt;
use silo_core::alarms::AlarmSummary;
use silo_core::error::ErrorKind;
use silo_core::model::ServiceSummary;
use silo_core::store::Store;
use std::time::Duration;

/// The rails these tests act under, all stated: open unless a test says otherwise.
fn rails(read_only: bool) -> silo_core::actions::Rails {
    silo_core::actions::Rails { read_only, offline: false, protected: Default::default(), max_plan_age: None }
}

/// A source without VPN connections (all but `Counting`).
macro_rules! no_vpn {
    () => {
        fn vpn(
            self: Arc<Self>,
            _t: Tenant,
            _w: silo_core::vpn::VpnWindow,
        ) -> BoxFuture<'static, Result<Option<silo_core::vpn::VpnStatus>, FetchError>> {
            async move { Ok(None) }.boxed()
        }
    };
}

/// The source methods these tests never call, the same for every scripted source.
macro_rules! unused_by_these_tests {
    () => {
        fn scheduled(
            self: Arc<Self>,
            _t: Tenant,
        ) -> BoxFuture<'static, Result<Vec<silo_core::terms::schedule::ScheduledUpdate>, FetchError>> {
            async move { Ok(Vec::new()) }.boxed()
        }

        fn aws_health(
            self: Arc<Self>,
        ) -> BoxFuture<'static, Result<Option<Vec<silo_core::aws_health::HealthEvent>>, FetchError>> {
            async move { Ok(None) }.boxed()
        }

        fn spend_history(
            self: Arc<Self>,
            _t: Tenant,
            _b: String,
        ) -> BoxFuture<'static, Result<Vec<silo_core::cost::MonthSpend>, FetchError>> {
            async move { Ok(Vec::new()) }.boxed()
        }

        fn findings(
            self: Arc<Self>,
            _s: silo_core::findings::FindingSource,
            _o: silo_core::findings::FindingsAsk,
        ) -> BoxFuture<'static, Result<Option<silo_core::findings::FindingList>, FetchError>> {
            async move { Ok(None) }.boxed()
        }

        fn dashboard(
            self: Arc<Self>,
            _t: Tenant,
            _r: silo_core::metrics::Range,
            _e: Option<chrono::DateTime<chrono::Utc>>,
        ) -> BoxFuture<'static, Result<silo_core::metrics::Dashboard, FetchError>> {
            async move { Err(FetchError::new(AwsService::Cloudwatch, ErrorKind::Other, "unused")) }.boxed()
        }

        fn alarm_history(
            self: Arc<Self>,
            _t: Tenant,
            _a: String,
        ) -> BoxFuture<'static, Result<Vec<silo_core::alarms::AlarmHistoryItem>, FetchError>> {
            async move { Ok(Vec::new()) }.boxed()
        }

        fn identity(self: Arc<Self>) -> BoxFuture<'static, String> {
            async move { "test".to_string() }.boxed()
        }

        fn query_start(
            self: Arc<Self>,
            _r: silo_core::queries::run::QueryRequest,
        ) -> BoxFuture<'static, Result<String, FetchError>> {
            async move { Err(FetchError::new(AwsService::Athena, ErrorKind::Other, "unused")) }.boxed()
        }

        fn query_status(
            self: Arc<Self>,
            _i: String,
        ) -> BoxFuture<'static, Result<silo_core::queries::run::QueryStatus, FetchError>> {
            async move { Err(FetchError::new(AwsService::Athena, ErrorKind::Other, "unused")) }.boxed()
        }

        fn query_stop(self: Arc<Self>, _i: String) -> BoxFuture<'static, Result<(), FetchError>> {
            async move { Ok(()) }.boxed()
        }

        fn query_page(
            self: Arc<Self>,
            _i: String,
            _t: Option<String>,
            _d: bool,
        ) -> BoxFuture<'static, Result<silo_core::queries::run::ResultPage, FetchError>> {
            async move { Ok(Default::default()) }.boxed()
        }

        fn deploy_status(
            self: Arc<Self>,
            _t: Tenant,
        ) -> BoxFuture<'static, Result<silo_core::deploy::DeployStatus, FetchError>> {
            async move { Err(FetchError::new(AwsService::Ecs, ErrorKind::Other, "unused")) }.boxed()
        }

        fn cost_explorer(
            self: Arc<Self>,
            _a: Vec<String>,
        ) -> BoxFuture<'static, Result<silo_core::cost::CostReport, FetchError>> {
            async move { Ok(Default::default()) }.boxed()
        }
    };
}

/// The write half of the sources whose actions these tests do not look at.
macro_rules! executes_nothing {
    () => {
        fn execute(
            self: Arc<Self>,
            _p: silo_core::plan::ActionPlan,
            _permit: silo_core::source::WritePermit,
        ) -> BoxFuture<'static, Result<silo_core::plan::ActionOutcome, FetchError>> {
            async move { Ok(Default::default()) }.boxed()
        }
    };
}

struct Scripted {
    tenants: Vec<Tenant>,
}

fn tenant(n: u32) -> Tenant {
    Tenant {
        name: format!("t{n}"),
        account_id: format!("{:012}", n),
        region: "us-east-1".into(),
        ecs_cluster: "c".into(),
        ecs_service: "s".into(),
        terms: Default::default(),
    }
}

impl FleetSource for Scripted {
    fn list_tenants(self: Arc<Self>) -> BoxFuture<'static, Result<Vec<Tenant>, FetchError>> {
        async move { Ok(self.tenants.clone()) }.boxed()
    }

    fn service(self: Arc<Self>, tenant: Tenant) -> BoxFuture<'static, Result<Option<ServiceSummary>, FetchError>> {
        async move {
            match tenant.name.as_str() {
                "t1" => std::future::pending().await,
                "t2" => Err(FetchError::new(AwsService::Ecs, ErrorKind::Throttled, "Rate exceeded")),
                _ => Ok(None),
            }
        }
        .boxed()
    }

    fn alarms(self: Arc<Self>, _tenant: Tenant) -> BoxFuture<'static, Result<AlarmSummary, FetchError>> {
        async move { Ok(AlarmSummary::of(vec![silo_core::alarms::Alarm::test("a", silo_core::alarms::AlarmState::Ok)])) }
            .boxed()
    }

    fn org_wide(self: Arc<Self>, _slot: Slot, _accounts: HashSet<String>) -> BoxFuture<'static, OrgWide> {
        async move { OrgWide::NotConfigured }.boxed()
    }

    executes_nothing!();
    unused_by_these_tests!();
    no_vpn!();

    fn org_account(&self, slot: Slot) -> (AwsService, String) {
        (if slot == Slot::Spend { AwsService::Budgets } else { AwsService::Securityhub }, "audit".into())
    }

    fn label(&self) -> String {
        "scripted".into()
    }
}

#[tokio::test(start_paused = true)]
async fn one_hanging_and_one_throttled_tenant_never_hide_the_others() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let source = Arc::new(Scripted { tenants: (0..6).map(tenant).collect() });
    let fetcher = Fetcher::new(source, Arc::new(Limiter::new(4, 2, Duration::from_secs(3))), tx);
    fetcher.refresh().await;
    let mut store = Store::default();
    while let Ok(event) = rx.try_recv() {
        store.apply(event);
    }
    assert!(!store.is_refreshing(), "the refresh finished despite the hanging tenant");
    assert_eq!(store.loaded_count(), 6);
    let hung = &store.tenants["000000000001"];
    assert_eq!(hung.service.error().map(|e| e.kind), Some(ErrorKind::TimedOut));
    assert_eq!(hung.alarms.value().map(|a| a.total()), Some(1), "its other source still loaded");
    let throttled = &store.tenants["000000000002"];
    assert_eq!(throttled.service.error().map(|e| (e.service, e.kind)), Some((AwsService::Ecs, ErrorKind::Throttled)));
    for healthy in ["000000000000", "000000000003", "000000000004", "000000000005"] {
        assert!(store.tenants[healthy].errors().is_empty(), "{healthy} has no error");
        assert_eq!(store.tenants[healthy].service.value(), Some(&None));
    }
}

#[tokio::test]
async fn a_failed_org_wide_read_marks_every_tenant() {
    let accounts: HashSet<String> = ["1".to_string(), "2".to_string()].into();
    let err = FetchError::new(AwsService::Budgets, ErrorKind::Denied, "AccessDenied");
    let per_tenant = OrgWide::Failed(err.clone()).per_tenant(Slot::Spend, AwsService::Budgets, accounts);
    assert_eq!(per_tenant.len(), 2);
    assert!(per_tenant.iter().all(|(_, r)| r.as_ref().err() == Some(&err)));
}

const VPN: Slot = Slot::Column(silo_core::vpn::COLUMN.name);

/// Counts org-wide reads, to see what the cache saves.
struct Counting {
    spend_reads: std::sync::atomic::AtomicUsize,
    vpn_reads: std::sync::atomic::AtomicUsize,
}

impl FleetSource for Counting {
    fn list_tenants(self: Arc<Self>) -> BoxFuture<'static, Result<Vec<Tenant>, FetchError>> {
        async move { Ok(vec![tenant(1), tenant(2)]) }.boxed()
    }
    fn service(self: Arc<Self>, _t: Tenant) -> BoxFuture<'static, Result<Option<ServiceSummary>, FetchError>> {
        async move { Ok(None) }.boxed()
    }
    fn alarms(self: Arc<Self>, _t: Tenant) -> BoxFuture<'static, Result<AlarmSummary, FetchError>> {
        async move { Ok(AlarmSummary::default()) }.boxed()
    }
    fn org_wide(self: Arc<Self>, slot: Slot, _accounts: HashSet<String>) -> BoxFuture<'static, OrgWide> {
        if slot == Slot::Spend {
            self.spend_reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        async move { OrgWide::NotConfigured }.boxed()
    }
    fn vpn(
        self: Arc<Self>,
        _t: Tenant,
        _w: silo_core::vpn::VpnWindow,
    ) -> BoxFuture<'static, Result<Option<silo_core::vpn::VpnStatus>, FetchError>> {
        async move { Ok(None) }.boxed()
    }
    fn columns(&self) -> Vec<silo_core::column::ColumnSpec> {
        vec![silo_core::vpn::COLUMN]
    }
    fn column(
        self: Arc<Self>,
        _t: Tenant,
        name: &'static str,
    ) -> BoxFuture<'static, Result<Option<silo_core::column::ColumnValue>, FetchError>> {
        assert_eq!(name, silo_core::vpn::COLUMN.name);
        self.vpn_reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        async move { Ok(None) }.boxed()
    }
    executes_nothing!();
    unused_by_these_tests!();

    fn org_account(&self, _slot: Slot) -> (AwsService, String) {
        (AwsService::Budgets, "billing".into())
    }
    fn label(&self) -> String {
        "counting".into()
    }
}

/// Refreshes twice, then once forced: the reads of `slot` after each, and the times its answers
/// carried after the first two.
async fn reads_around_reuse(slot: Slot) -> ([usize; 3], Vec<chrono::DateTime<Utc>>, Vec<chrono::DateTime<Utc>>) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let source = Arc::new(Counting { spend_reads: Default::default(), vpn_reads: Default::default() });
    let fetcher = Fetcher::new(source.clone(), Arc::new(Limiter::new(4, 2, Duration::from_secs(3))), tx);
    let reads = || {
        let counter = if slot == VPN { &source.vpn_reads } else { &source.spend_reads };
        counter.load(std::sync::atomic::Ordering::SeqCst)
    };
    fetcher.spawn_refresh(false).await.unwrap();
    let (first_reads, first_at) = (reads(), slot_times(&mut rx, slot));
    fetcher.spawn_refresh(false).await.unwrap();
    let (second_reads, second_at) = (reads(), slot_times(&mut rx, slot));
    fetcher.spawn_refresh(true).await.unwrap();
    ([first_reads, second_reads, reads()], first_at, second_at)
}

#[tokio::test]
async fn budgets_are_reused_for_15_minutes_unless_forced_with_their_own_age() {
    let (reads, first_at, second_at) = reads_around_reuse(Slot::Spend).await;
    assert_eq!(reads, [1, 1, 2], "the second automatic refresh reuses the answer; `r` reads again");
    assert_eq!((first_at.len(), first_at), (2, second_at), "reused data keeps the time it was fetched");
}

#[tokio::test]
async fn vpn_tunnels_are_reused_for_a_metric_period_unless_forced_with_their_own_age() {
    let (reads, first_at, second_at) = reads_around_reuse(VPN).await;
    assert_eq!(reads, [2, 2, 4], "one read per tenant, none on the next refresh; `r` reads again");
    assert_eq!((first_at.len(), first_at), (2, second_at), "reused answers keep the time they were read");
}

fn slot_times(rx: &mut tokio::sync::mpsc::UnboundedReceiver<FetchEvent>, wanted: Slot) -> Vec<chrono::DateTime<Utc>> {
    let mut times = Vec::new();
    while let Ok(event) = rx.try_recv() {
        if let FetchEvent::Slot { slot, at, .. } = event {
            if slot == wanted {
                times.push(at);
            }
        }
    }
    times.sort();
    times
}

/// Panics in one tenant's alarm read (a bug), answers everywhere else.
struct Panicky;

impl FleetSource for Panicky {
    fn list_tenants(self: Arc<Self>) -> BoxFuture<'static, Result<Vec<Tenant>, FetchError>> {
        async move { Ok(vec![tenant(0), tenant(1)]) }.boxed()
    }

    fn service(self: Arc<Self>, _tenant: Tenant) -> BoxFuture<'static, Result<Option<ServiceSummary>, FetchError>> {
        async move { Ok(None) }.boxed()
    }

    fn alarms(self: Arc<Self>, tenant: Tenant) -> BoxFuture<'static, Result<AlarmSummary, FetchError>> {
        async move {
            if tenant.name == "t1" {
                panic!("index out of bounds in a hypothetical parser");
            }
            Ok(AlarmSummary::default())
        }
        .boxed()
    }

    fn org_wide(self: Arc<Self>, _slot: Slot, _accounts: HashSet<String>) -> BoxFuture<'static, OrgWide> {
        async move { OrgWide::NotConfigured }.boxed()
    }

    executes_nothing!();
    unused_by_these_tests!();
    no_vpn!();

    fn org_account(&self, _slot: Slot) -> (AwsService, String) {
        (AwsService::Securityhub, "audit".into())
    }

    fn label(&self) -> String {
        "panicky".into()
    }
}

#[tokio::test]
async fn a_read_that_panics_is_that_tenants_error_and_the_refresh_ends() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let fetcher = Fetcher::new(Arc::new(Panicky), Arc::new(Limiter::new(4, 2, Duration::from_secs(3))), tx);
    fetcher.refresh().await;
    let mut store = Store::default();
    while let Ok(event) = rx.try_recv() {
        store.apply(event);
    }
    assert!(!store.is_refreshing(), "the refresh finished");
    let broken = &store.tenants["000000000001"];
    let error = broken.alarms.error().expect("the panic is this read's error");
    assert!(error.message.contains("panicked (index out of bounds in a hypothetical parser)"), "{error}");
    assert_eq!(broken.service.value(), Some(&None), "its other read still loaded");
    assert!(store.tenants["000000000000"].errors().is_empty());
}

/// Carries an action out, but the journal breaks during the call (the file turned into a
/// directory): what happened must still be reported as done.
struct BreaksJournal {
    journal: std::path::PathBuf,
}

impl FleetSource for BreaksJournal {
    fn list_tenants(self: Arc<Self>) -> BoxFuture<'static, Result<Vec<Tenant>, FetchError>> {
        async move { Ok(vec![tenant(0)]) }.boxed()
    }

    fn service(self: Arc<Self>, _tenant: Tenant) -> BoxFuture<'static, Result<Option<ServiceSummary>, FetchError>> {
        async move { Ok(None) }.boxed()
    }

    fn alarms(self: Arc<Self>, _tenant: Tenant) -> BoxFuture<'static, Result<AlarmSummary, FetchError>> {
        async move { Ok(AlarmSummary::default()) }.boxed()
    }

    fn org_wide(self: Arc<Self>, _slot: Slot, _accounts: HashSet<String>) -> BoxFuture<'static, OrgWide> {
        async move { OrgWide::NotConfigured }.boxed()
    }

    fn execute(
        self: Arc<Self>,
        _p: silo_core::plan::ActionPlan,
        _permit: silo_core::source::WritePermit,
    ) -> BoxFuture<'static, Result<silo_core::plan::ActionOutcome, FetchError>> {
        async move {
            std::fs::remove_file(&self.journal).expect("the journal was started");
            std::fs::create_dir(&self.journal).expect("a directory where the journal was");
            Ok(silo_core::plan::ActionOutcome { succeeded: 1, request_ids: vec!["req-1".into()], ..Default::default() })
        }
        .boxed()
    }

    unused_by_these_tests!();
    no_vpn!();

    fn org_account(&self, _slot: Slot) -> (AwsService, String) {
        (AwsService::Securityhub, "audit".into())
    }

    fn label(&self) -> String {
        "breaks the journal".into()
    }
}

#[tokio::test]
async fn an_action_that_ran_but_was_not_journaled_is_reported_done_and_followed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let source = Arc::new(BreaksJournal { journal: path.clone() });
    let actions = silo_core::actions::Actions::new(source.clone(), silo_core::journal::Journal::at(path), rails(false));
    let f =
        silo_core::findings::tests_support::finding("f-1", "000000000000", silo_core::findings::Severity::High, true);
    let plan = silo_core::plan::ActionPlan::finding_status(&[&f], "RESOLVED", "fixed", ("1", "r"), "me").unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let fetcher = Fetcher::new(source, Arc::new(Limiter::new(4, 2, Duration::from_secs(3))), tx);
    fetcher.spawn_action(actions, plan).await.unwrap();
    let Ok(FetchEvent::ActionFinished { ok, message, .. }) = rx.try_recv() else { panic!("the action ended") };
    assert!(ok, "it ran: the screen keeps following it");
    assert!(
        message.starts_with("securityhub:BatchUpdateFindings: done (request ids req-1), not journaled: "),
        "{message}"
    );
    assert!(!message.contains("nothing was changed"), "{message}");
}

/// A blocking task that panics (an export, the journal read) is reported as that task's
/// failure; it does not end silently and nothing else is affected.
#[tokio::test]
async fn a_blocking_task_that_panics_is_reported_as_its_own_failure() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let source = Arc::new(BreaksJournal { journal: "unused".into() });
    let fetcher = Fetcher::new(source, Arc::new(Limiter::new(4, 2, Duration::from_secs(3))), tx);
    let boom = || -> FetchEvent { panic!("index out of range") };
    let failed = |why: String| FetchEvent::Notice { message: format!("cannot write out.csv: {why}"), ok: false };
    fetcher.spawn_blocking_event(boom, failed).await.expect("the task itself ends normally");
    let Ok(FetchEvent::Notice { message, ok: false }) = rx.try_recv() else { panic!("the failure is heard") };
    assert_eq!(message, "cannot write out.csv: silo bug: this task panicked (index out of range)");
}

/// `:rollouts` asks for a tenant's schedules: the schedules the journal says silo made come back
/// with their outcome after the listing, and a read the outcome needed that failed is said in it.
#[tokio::test]
async fn the_schedules_silo_made_come_back_with_what_became_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("audit.jsonl");
    let at = (Utc::now() - chrono::Duration::hours(1)).format("%Y-%m-%dT%H:%M:00").to_string();
    let created = (Utc::now() - chrono::Duration::hours(3)).to_rfc3339();
    let line = serde_json::json!({
        "time": created, "identity": "arn:aws:sts::111111111111:assumed-role/Ops/ana", "tenants": ["t3"],
        "account": "000000000003", "region": "us-east-1", "api": "scheduler:CreateSchedule",
        "parameters": { "Name": "silo-000000000003-r7-x", "ScheduleExpression": format!("at({at})"),
            "ScheduleExpressionTimezone": "UTC",
            "Target": { "Input": "{\"Cluster\":\"c\",\"Service\":\"s\",\"TaskDefinition\":\"app:7\"}",
                "RetryPolicy": { "MaximumEventAgeInSeconds": 900, "MaximumRetryAttempts": 15 } } },
        "ids": [], "mode": "confirmed", "result": "ok: 1 updated", "request_ids": []
    });
    std::fs::write(&journal, format!("{line}\n")).unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let source = Arc::new(Scripted { tenants: vec![tenant(3)] });
    let fetcher = Fetcher::new(source, Arc::new(Limiter::new(4, 2, Duration::from_secs(3))), tx);
    fetcher.spawn_scheduled(vec![tenant(3)], journal).await.unwrap();
    let mut events = Vec::new();
    while let Ok(e) = rx.try_recv() {
        events.push(e);
    }
    let tracked = events.iter().find_map(|e| match e {
        FetchEvent::Outcomes { account_id, tracked, .. } if account_id == "000000000003" => Some(tracked),
        _ => None,
    });
    let tracked = tracked.expect("the outcomes of t3's schedules");
    assert_eq!(tracked.len(), 1);
    assert_eq!(tracked[0].planned.name, "silo-000000000003-r7-x");
    assert_eq!(
        tracked[0].outcome.describe(),
        "not run: the schedule is gone and the deployments could not be read (ecs error: unused); \
         Scheduler's metrics not read (cloudwatch error: this source does not read Scheduler's metrics)"
    );
    assert!(events.iter().any(|e| matches!(e, FetchEvent::Deploy { result: Err(_), .. })), "the deployments it read");
    assert!(events.iter().any(|e| matches!(e, FetchEvent::Scheduled { result: Ok(_), .. })));
}

/// Runs one on-demand read and returns its event's key and result.
async fn one_read(
    key: silo_core::reads::ReadKey,
    tenant: Option<Tenant>,
) -> (silo_core::reads::ReadKey, Result<silo_core::reads::ReadValue, FetchError>) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let source = Arc::new(silo_demo::DemoOrg::frozen(0));
    let fetcher = Fetcher::new(source, Arc::new(Limiter::new(4, 2, Duration::from_secs(3))), tx);
    fetcher.spawn_read(key, tenant, Vec::new()).await.unwrap();
    match rx.try_recv() {
        Ok(FetchEvent::Read { key, result, .. }) => (key, result),
        other => panic!("expected a read's answer, got {other:?}"),
    }
}

#[tokio::test]
async fn an_on_demand_read_answers_under_its_key_with_its_type() {
    let tenant = silo_demo::DemoOrg::frozen(0).tenants().into_iter().next().expect("a demo tenant");
    let key = silo_core::alarms::HISTORY.of_tenant(&tenant.account_id, "alb-5xx");
    let (answered, result) = one_read(key.clone(), Some(tenant)).await;
    assert_eq!(answered, key);
    let value = result.expect("the demo answers");
    assert!(value.get::<Vec<silo_core::alarms::AlarmHistoryItem>>().is_some(), "the handle's type");
    let events = silo_core::aws_health::EVENTS.of_org();
    let (_, result) = one_read(events, None).await;
    assert!(result.expect("the demo answers").get::<Option<Vec<silo_core::aws_health::HealthEvent>>>().is_some());
}

#[tokio::test]
async fn an_unknown_read_or_a_tenant_read_without_its_tenant_is_an_error_under_its_key() {
    let unknown = silo_core::reads::ReadKey { read: "no_such_read", account_id: None, arg: String::new() };
    let (key, result) = one_read(unknown.clone(), None).await;
    assert_eq!((key, result.err().map(|e| e.kind)), (unknown, Some(ErrorKind::NotFound)));
    let orphan = silo_core::alarms::HISTORY.of_tenant("000000000000", "a");
    let (_, result) = one_read(orphan, None).await;
    assert!(result.err().is_some_and(|e| e.message.contains("needs a tenant")));
}

/// An action whose call panics (a silo bug in the write half).
struct PanicsInTheCall;

impl FleetSource for PanicsInTheCall {
    fn list_tenants(self: Arc<Self>) -> BoxFuture<'static, Result<Vec<Tenant>, FetchError>> {
        async move { Ok(vec![tenant(0)]) }.boxed()
    }

    fn service(self: Arc<Self>, _tenant: Tenant) -> BoxFuture<'static, Result<Option<ServiceSummary>, FetchError>> {
        async move { Ok(None) }.boxed()
    }

    fn alarms(self: Arc<Self>, _tenant: Tenant) -> BoxFuture<'static, Result<AlarmSummary, FetchError>> {
        async move { Ok(AlarmSummary::default()) }.boxed()
    }

    fn org_wide(self: Arc<Self>, _slot: Slot, _accounts: HashSet<String>) -> BoxFuture<'static, OrgWide> {
        async move { OrgWide::NotConfigured }.boxed()
    }

    fn execute(
        self: Arc<Self>,
        _p: silo_core::plan::ActionPlan,
        _permit: silo_core::source::WritePermit,
    ) -> BoxFuture<'static, Result<silo_core::plan::ActionOutcome, FetchError>> {
        async move { panic!("unexpected shape in the answer") }.boxed()
    }

    unused_by_these_tests!();
    no_vpn!();

    fn org_account(&self, _slot: Slot) -> (AwsService, String) {
        (AwsService::Securityhub, "audit".into())
    }

    fn label(&self) -> String {
        "panics in the call".into()
    }
}

/// A panic inside an action's call ends that action as failed, journaled with its outcome, and
/// the end is heard (the screen's count of actions in flight goes down; quitting can finish).
#[tokio::test]
async fn an_action_whose_call_panics_is_journaled_as_failed_and_its_end_is_heard() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let source = Arc::new(PanicsInTheCall);
    let journal = silo_core::journal::Journal::at(path.clone());
    let actions = silo_core::actions::Actions::new(source.clone(), journal, rails(false));
    let f =
        silo_core::findings::tests_support::finding("f-1", "000000000000", silo_core::findings::Severity::High, true);
    let plan = silo_core::plan::ActionPlan::finding_status(&[&f], "RESOLVED", "fixed", ("1", "r"), "me").unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let fetcher = Fetcher::new(source, Arc::new(Limiter::new(4, 2, Duration::from_secs(3))), tx);
    fetcher.spawn_action(actions, plan).await.expect("the task itself ends normally");
    let Ok(FetchEvent::ActionFinished { ok, message, .. }) = rx.try_recv() else { panic!("the end is heard") };
    assert!(!ok);
    assert!(message.contains("silo bug: the call panicked (unexpected shape in the answer)"), "{message}");
    let entries = silo_core::journal::Journal::at(path).read().expect("the journal");
    let results: Vec<&str> = entries.iter().map(|e| e.result.as_str()).collect();
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0], "started");
    assert!(
        results[1].starts_with("error: ") && results[1].contains("whether AWS took it is not known"),
        "{results:?}"
    );
}

/// `:audit` shows the entries of a journal with a damaged line and says it skipped it, as
/// `silo audit` does, instead of showing nothing.
#[tokio::test]
async fn the_audit_screen_reads_around_a_damaged_line_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let journal = silo_core::journal::Journal::at(path.clone());
    let source = Arc::new(PanicsInTheCall);
    let actions = silo_core::actions::Actions::new(source.clone(), journal, rails(false));
    let f =
        silo_core::findings::tests_support::finding("f-1", "000000000000", silo_core::findings::Severity::High, true);
    let plan = silo_core::plan::ActionPlan::finding_status(&[&f], "RESOLVED", "fixed", ("1", "r"), "me").unwrap();
    actions.dry_run(&plan).await.unwrap();
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("{not an entry\n");
    std::fs::write(&path, text).unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let fetcher = Fetcher::new(source, Arc::new(Limiter::new(4, 2, Duration::from_secs(3))), tx);
    fetcher.spawn_audit_load(path).await.unwrap();
    let Ok(FetchEvent::Notice { message, ok: false }) = rx.try_recv() else { panic!("the skipped line is said") };
    assert!(message.starts_with("skipped 1 journal line(s) that are not entries, first "), "{message}");
    let Ok(FetchEvent::AuditJournal(Ok(entries))) = rx.try_recv() else { panic!("the entries are shown") };
    assert_eq!(entries.len(), 1);
}
