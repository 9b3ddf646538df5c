//! Deterministic fleet data for unit and snapshot tests (compiled for tests only).

use crate::app::{App, Banner};
use crate::fetch_error::{ErrorKind, FetchError};
use crate::findings::{Finding, FindingSource, Severity};
use crate::keymap::Keymap;
use crate::model::*;
use crate::store::{Slot, SlotValue, Store};
use crate::theme::Theme;
use chrono::{DateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use std::time::Duration;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 14, 9, 30, 0).single().unwrap_or_default()
}

pub fn tenant(name: &str, n: u64) -> Tenant {
    Tenant {
        name: name.into(),
        account_id: format!("{:012}", 100_000_000_000 + n),
        region: "sa-east-1".into(),
        ecs_cluster: name.into(),
        ecs_service: "app".into(),
    }
}

fn service(name: &str, desired: i32, running: i32, rollout: Rollout) -> SlotValue {
    SlotValue::Service(Some(ServiceSummary {
        cluster: name.into(),
        name: "app".into(),
        desired,
        running,
        pending: 0,
        task_definition: format!("{name}-app:12"),
        rollout,
    }))
}

fn alarms(total: u32, in_alarm: u32) -> SlotValue {
    let list = (0..total)
        .map(|i| Alarm {
            name: format!("alb-5xx-{i}"),
            state: if i < in_alarm { AlarmState::Alarm } else { AlarmState::Ok },
            reason: if i < in_alarm { "Threshold Crossed: 27 > 10".into() } else { "Threshold Crossed: 2 < 10".into() },
            since: Some(now() - chrono::Duration::minutes(7 + i64::from(i) * 60)),
            composite: false,
            config: vec![("metric".into(), "AWS/ApplicationELB HTTPCode_Target_5XX_Count".into())],
        })
        .collect();
    SlotValue::Alarms(AlarmSummary::of(list))
}

fn spend(actual: i64, limit: i64) -> SlotValue {
    SlotValue::Spend(Some(Spend {
        budget: "monthly".into(),
        actual: Decimal::from(actual),
        limit: Decimal::from(limit),
        forecast: Some(Decimal::from(actual * 3 / 2)),
        unit: "USD".into(),
        breached: Vec::new(),
    }))
}

fn findings(critical: u32, high: u32) -> SlotValue {
    SlotValue::SecurityHub(Some(FindingCounts { critical, high, medium: 1, low: 2 }))
}

/// Six tenants covering ok, firing alarms, failed rollout, denied role, still loading, no service.
pub fn store() -> Store {
    let names = ["acme", "globex", "initech", "umbrella", "hooli", "stark"];
    let mut store = Store::default();
    store.refresh_slots = Slot::ALL.to_vec();
    let tenants: Vec<Tenant> = names.iter().enumerate().map(|(i, n)| tenant(n, i as u64)).collect();
    store.set_tenants(tenants.clone(), now());
    let at = now() - chrono::Duration::seconds(30);
    let denied =
        FetchError::new(AwsService::Sts, ErrorKind::Denied, "cannot assume role: AccessDenied on SiloReadOnly");
    for (i, t) in tenants.iter().enumerate() {
        let r = store.tenants.get_mut(&t.account_id).expect("just inserted");
        Slot::ALL.into_iter().for_each(|s| r.start_loading(s));
        if names[i] == "hooli" {
            r.apply(Slot::Alarms, Ok(alarms(3, 0)), at);
            continue;
        }
        let (svc, al, sp) = match names[i] {
            "globex" => (service("globex", 4, 4, Rollout::Completed), alarms(8, 2), spend(1200, 1000)),
            "initech" => (service("initech", 3, 1, Rollout::Failed), alarms(5, 1), spend(300, 1000)),
            "stark" => (SlotValue::Service(None), alarms(2, 0), SlotValue::Spend(None)),
            other => (service(other, 2, 2, Rollout::Completed), alarms(6, 0), spend(450, 1000)),
        };
        if names[i] == "umbrella" {
            r.apply(Slot::Service, Err(denied.clone()), at);
            r.apply(Slot::Alarms, Err(denied.clone()), at);
        } else {
            r.apply(Slot::Service, Ok(svc), at);
            r.apply(Slot::Alarms, Ok(al), at);
        }
        let critical = u32::from(names[i] == "globex") * 2;
        r.apply(Slot::SecurityHub, Ok(findings(critical, i as u32 % 3)), at);
        r.apply(Slot::GuardDuty, Ok(SlotValue::GuardDuty(None)), at);
        r.apply(Slot::Spend, Ok(sp), at);
    }
    let findings = fixture_findings(&store);
    store.apply(crate::fetch::FetchEvent::Findings {
        source: FindingSource::Securityhub,
        result: Ok(Some(findings)),
        at,
    });
    store.apply(crate::fetch::FetchEvent::Findings { source: FindingSource::Guardduty, result: Ok(None), at });
    store.refresh_started = Some(at - chrono::Duration::seconds(2));
    store.refresh_finished = Some(at);
    add_deployments(&mut store, &tenants, at);
    store
}

/// Puts the fixture deployments back (after a screen marked them loading).
pub fn reload_deployments(store: &mut Store) {
    let tenants: Vec<Tenant> = store.tenants.values().map(|r| r.tenant.clone()).collect();
    add_deployments(store, &tenants, now());
}

/// globex waits at a PAUSE hook, initech's last deployment failed, acme rolls out; umbrella is
/// denied, hooli still loading, stark has no service.
fn add_deployments(store: &mut Store, tenants: &[Tenant], at: DateTime<Utc>) {
    use crate::demo::Profile;
    for t in tenants {
        let profile = match t.name.as_str() {
            "globex" => Profile::DeployPaused,
            "initech" => Profile::DeployFailed,
            "acme" => Profile::Deploying,
            "umbrella" | "hooli" | "stark" => continue,
            _ => Profile::Healthy,
        };
        let status = crate::demo::deployments_at(t, profile, 3, now());
        store.apply(crate::fetch::FetchEvent::Deploy {
            account_id: t.account_id.clone(),
            result: Ok(Box::new(status)),
            at,
        });
    }
    let denied =
        FetchError::new(AwsService::Sts, ErrorKind::Denied, "cannot assume role: AccessDenied on SiloReadOnly");
    let not_found = FetchError::new(AwsService::Ecs, ErrorKind::NotFound, "service app not found in cluster stark");
    for (name, error) in [("umbrella", denied), ("stark", not_found)] {
        let account_id = tenants.iter().find(|t| t.name == name).map(|t| t.account_id.clone()).unwrap_or_default();
        store.apply(crate::fetch::FetchEvent::Deploy { account_id, result: Err(error), at });
    }
}

/// Security Hub findings: two critical on globex, one high on acme, one on a non-tenant account.
fn fixture_findings(store: &Store) -> Vec<Finding> {
    let account = |name: &str| store.tenant_by_name(name).map(|r| r.tenant.account_id.clone()).unwrap_or_default();
    let make = |id: &str, acct: String, severity: Severity, title: &str, hours: i64| {
        let mut f = crate::findings::tests_support::finding(id, &acct, severity, true);
        f.title = title.into();
        f.description = "The security group allows 0.0.0.0/0 on port 22.".into();
        f.remediation = "Restrict the ingress rule to known addresses.".into();
        f.first_seen = Some(now() - chrono::Duration::hours(hours));
        f.updated_at = f.first_seen;
        f.raw = crate::findings::raw_json(&serde_json::json!({ "Id": id, "AwsAccountId": acct }));
        f
    };
    vec![
        make(
            "sh-1",
            account("globex"),
            Severity::Critical,
            "Security groups should not allow unrestricted access to ports with high risk",
            30,
        ),
        make("sh-2", account("globex"), Severity::Critical, "Hardware MFA should be enabled for the root user", 50),
        make("sh-3", account("acme"), Severity::High, "S3 general purpose buckets should block public access", 5),
        make("sh-4", "999999999999".into(), Severity::Medium, "Amazon SQS queues should be encrypted at rest", 2),
    ]
}

pub fn app(store: Store) -> App {
    let production = ["globex".to_string()].into_iter().collect();
    let banner = Banner { source: "demo".into(), read_only: false, identity: None, organization: None, production };
    let mut app = App::new(Keymap::default(), Theme::default(), banner, Duration::from_secs(60), now());
    app.audit = ("222222222222".into(), "us-east-1".into());
    app.user = "silo-oncall".into();
    app.store = store;
    app
}

/// Twelve months of a 1,000 budget, spend growing 50 a month.
pub fn twelve_months() -> Vec<MonthSpend> {
    (1..=12)
        .map(|m| MonthSpend {
            month: format!("2025-{m:02}"),
            actual: Some(Decimal::from(600 + m * 50)),
            limit: Some(Decimal::from(1000)),
        })
        .collect()
}

pub fn query_request(name: &str) -> crate::queries::run::QueryRequest {
    crate::queries::run::QueryRequest { name: name.into(), sql: "SELECT 1".into(), parameters: vec![], tenant: None }
}

/// Starts `request` in `app` (as the user would) and has Athena accept it as `q-1`; its run number.
pub fn start_query(app: &mut App, request: crate::queries::run::QueryRequest) -> u64 {
    let run = app.next_run;
    crate::app::dispatch(app, crate::app::Action::RunQuery(request));
    let started = crate::fetch::FetchEvent::QueryStarted { run, result: Ok("q-1".into()), at: now() };
    crate::app::dispatch(app, crate::app::Action::Fetch(started));
    run
}

pub fn query_status(state: crate::queries::run::QueryState, bytes: i64) -> crate::queries::run::QueryStatus {
    crate::queries::run::QueryStatus {
        state,
        reason: None,
        data_scanned_bytes: bytes,
        engine_ms: 4200,
        reused: false,
        statement_type: Some("DML".into()),
    }
}

/// Athena says run `run` succeeded and sends `page`.
pub fn finish_query(app: &mut App, run: u64, bytes: i64, page: crate::queries::run::ResultPage) {
    let (done, at) = (query_status(crate::queries::run::QueryState::Succeeded, bytes), app.now);
    crate::app::dispatch(
        app,
        crate::app::Action::Fetch(crate::fetch::FetchEvent::QueryProgress { run, result: Ok(done), at }),
    );
    crate::app::dispatch(
        app,
        crate::app::Action::Fetch(crate::fetch::FetchEvent::QueryPage { run, result: Ok(page), at }),
    );
}

/// A page of alb-5xx-by-path results: `rows` rows over four paths.
pub fn alb_5xx_page(rows: usize, next_token: Option<&str>) -> crate::queries::run::ResultPage {
    use crate::queries::run::Column;
    let names = [
        ("path", "varchar"),
        ("target_ip", "varchar"),
        ("elb_status_code", "integer"),
        ("target_status_code", "varchar"),
        ("requests", "bigint"),
    ];
    let columns = names.iter().map(|(n, k)| Column { name: (*n).into(), kind: (*k).into() }).collect();
    let rows = (0..rows)
        .map(|i| {
            vec![
                Some(["/api/orders", "/api/plans", "/health", "/api/forecast"][i % 4].into()),
                Some(format!("10.0.{}.{}", i % 3, 10 + i)),
                Some([502, 503, 500, 504][i % 4].to_string()),
                (i % 4 == 2).then(|| "500".to_string()),
                Some((900 - i * 17).to_string()),
            ]
        })
        .collect();
    crate::queries::run::ResultPage { columns, rows, next_token: next_token.map(str::to_string) }
}
