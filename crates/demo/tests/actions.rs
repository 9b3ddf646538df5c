//! The action rails (plan, read-only refusal, journal) run against the demo organization. Moved
//! from the core crate, whose unit tests cannot use the demo.

use silo_core::actions::{ActionError, Actions};
use silo_core::findings::tests_support::finding;
use silo_core::findings::Severity;
use silo_core::findings::{Finding, FindingSource};
use silo_core::journal;
use silo_core::plan::*;
use silo_core::source::FleetSource;
use silo_demo::DemoOrg;
use std::sync::Arc;

/// The rails these tests act under, all stated: open unless a test says otherwise.
fn rails(read_only: bool) -> silo_core::actions::Rails {
    silo_core::actions::Rails { read_only, offline: false, protected: Default::default(), max_plan_age: None }
}

const AUDIT: (&str, &str) = ("222222222222", "us-east-1");

fn tenant_finding(id: &str, tenant: Option<&str>, account: &str) -> Finding {
    let mut f = finding(id, account, Severity::High, true);
    f.tenant = tenant.map(str::to_string);
    f
}

#[test]
fn status_plan_names_the_exact_call_and_parameters() {
    let f = tenant_finding("f-1", Some("acme"), "111111111111");
    let plan = ActionPlan::finding_status(&[&f], "resolved", "fixed in v42", AUDIT, "silo-test").unwrap();
    assert_eq!(plan.api, "securityhub:BatchUpdateFindings");
    assert_eq!(plan.parameters["FindingIdentifiers"], serde_json::json!([{ "Id": "f-1", "ProductArn": f.product }]));
    assert_eq!(plan.parameters["Workflow"], serde_json::json!({ "Status": "RESOLVED" }));
    assert_eq!(plan.parameters["Note"]["Text"], "fixed in v42");
    assert_eq!((plan.account.as_str(), plan.region.as_str()), AUDIT);
    assert_eq!(plan.confirmation(&silo_core::tenant_lookup::SharedNames::none()), "acme", "one tenant: type its name");
    assert!(plan.describe()[0].starts_with("API:        securityhub:BatchUpdateFindings (1 call)"));
}

#[test]
fn confirmation_text_depends_on_what_is_touched() {
    let a = tenant_finding("a", Some("acme"), "111111111111");
    let b = tenant_finding("b", Some("globex"), "333333333333");
    let c = tenant_finding("c", None, "999999999999");
    let two = ActionPlan::finding_status(&[&a, &b], "NOTIFIED", "ticket OPS-1", AUDIT, "silo-test").unwrap();
    assert_eq!(two.confirmation(&silo_core::tenant_lookup::SharedNames::none()), "2 findings");
    let other = ActionPlan::finding_status(&[&c], "SUPPRESSED", "accepted risk", AUDIT, "silo-test").unwrap();
    assert_eq!(
        other.confirmation(&silo_core::tenant_lookup::SharedNames::none()),
        "999999999999",
        "a non-tenant account: type its id"
    );
}

#[test]
fn bad_plans_are_refused_before_anything_is_sent() {
    let f = tenant_finding("f", Some("acme"), "111111111111");
    assert_eq!(ActionPlan::finding_status(&[], "RESOLVED", "x", AUDIT, "silo-test"), Err(PlanError::Empty));
    let no_note = ActionPlan::finding_status(&[&f], "RESOLVED", "  ", AUDIT, "silo-test").unwrap_err();
    assert!(no_note.to_string().contains("note is required"));
    let bad = ActionPlan::finding_status(&[&f], "DELETED", "x", AUDIT, "silo-test").unwrap_err();
    assert!(bad.to_string().contains("NOTIFIED, RESOLVED, SUPPRESSED"));
    let mut gd = f.clone();
    gd.source = FindingSource::Guardduty;
    assert!(ActionPlan::finding_status(&[&gd], "RESOLVED", "x", AUDIT, "silo-test")
        .unwrap_err()
        .to_string()
        .contains("archive it instead"));
    assert!(ActionPlan::guardduty_archive(&[&f], true, AUDIT)
        .unwrap_err()
        .to_string()
        .contains("workflow status instead"));
}

/// The demo's open findings of `source`, as the fleet reads them.
async fn open_findings(demo: &Arc<DemoOrg>, source: FindingSource) -> silo_core::findings::FindingList {
    let read = demo.clone().findings(source, silo_core::findings::FindingsAsk::open()).await;
    read.expect("the demo answers").expect("the demo has an audit account")
}

fn journal_in(dir: &tempfile::TempDir) -> journal::Journal {
    journal::Journal::at(dir.path().join("state/audit.jsonl"))
}

#[tokio::test]
async fn read_only_refuses_in_the_data_layer_and_journals_the_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Arc::new(DemoOrg::frozen(0));
    let actions = Actions::new(demo.clone(), journal_in(&dir), rails(true));
    let list = open_findings(&demo, FindingSource::Securityhub).await;
    let target = &list[0];
    let plan = ActionPlan::finding_status(&[target], "RESOLVED", "done", AUDIT, "silo-test").unwrap();
    let err = actions.execute(plan).await.unwrap_err();
    assert!(matches!(err, ActionError::ReadOnly));
    let after = open_findings(&demo, FindingSource::Securityhub).await;
    assert!(after.iter().any(|f| f.id == target.id && f.open), "nothing changed");
    let entries = journal_in(&dir).read().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].mode, entries[0].result.as_str()), (journal::Mode::Refused, "read-only"));
    assert_eq!(entries[0].ids, vec![target.id.clone()]);
}

#[tokio::test]
async fn executed_action_changes_the_demo_and_is_journaled_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Arc::new(DemoOrg::frozen(0));
    let actions = Actions::new(demo.clone(), journal_in(&dir), rails(false));
    let list = open_findings(&demo, FindingSource::Guardduty).await;
    let chosen: Vec<&Finding> = list.iter().take(2).collect();
    let plan = ActionPlan::guardduty_archive(&chosen, true, AUDIT).unwrap();
    let outcome = actions.execute(plan).await.unwrap();
    assert_eq!(outcome.succeeded, 2);
    let after = open_findings(&demo, FindingSource::Guardduty).await;
    assert!(after.iter().filter(|f| f.id == chosen[0].id).all(|f| !f.open && f.status == "ARCHIVED"));
    let entries = journal_in(&dir).read().unwrap();
    let results: Vec<&str> = entries.iter().map(|e| e.result.as_str()).collect();
    assert_eq!(results, vec!["started", "ok: 2 updated"]);
    assert_eq!(entries[1].api, "guardduty:ArchiveFindings");
    let batch = silo_core::plan::BatchResult {
        ids: chosen.iter().map(|f| f.id.clone()).collect(),
        outcome: silo_core::plan::BatchOutcome::Done { request_id: Some("demo-request-1".into()), unprocessed: 0 },
    };
    assert_eq!(entries[1].batches, [batch], "each call is journaled with its ids and request id");
    assert_eq!(entries[1].identity, "arn:aws:sts::100000000001:assumed-role/OnCall/silo-demo");
    let text = std::fs::read_to_string(dir.path().join("state/audit.jsonl")).unwrap();
    assert!(!text.contains("SecretAccessKey") && !text.contains("SessionToken"));
}

#[tokio::test]
async fn dry_run_is_journaled_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Arc::new(DemoOrg::frozen(0));
    let actions = Actions::new(demo.clone(), journal_in(&dir), rails(false));
    let list = open_findings(&demo, FindingSource::Securityhub).await;
    let plan = ActionPlan::finding_status(&[&list[0]], "SUPPRESSED", "noise", AUDIT, "silo-test").unwrap();
    actions.dry_run(&plan).await.unwrap();
    let after = open_findings(&demo, FindingSource::Securityhub).await;
    assert_eq!(after.iter().filter(|f| f.open).count(), list.len());
    assert_eq!(journal_in(&dir).read().unwrap()[0].mode, journal::Mode::DryRun);
}

fn demo_tenant(name: &str) -> (silo_core::model::Tenant, silo_demo::Profile) {
    let demo = DemoOrg::frozen(0);
    let i = silo_demo::DEMO_TENANTS.iter().position(|t| t.name == name).unwrap();
    (demo.tenants()[i].clone(), silo_demo::DEMO_TENANTS[i].profile)
}

#[tokio::test]
async fn a_read_only_tenant_is_refused_in_the_data_layer_and_the_service_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Arc::new(DemoOrg::frozen(0));
    let (tenant, _) = demo_tenant("delta-aero");
    let actions = Actions::new(
        demo.clone(),
        journal_in(&dir),
        silo_core::actions::Rails { protected: [tenant.account_id.clone()].into(), ..rails(false) },
    );
    let before = demo.clone().deploy_status(tenant.clone()).await.unwrap();
    let plan = silo_core::plan::deploy::rollback(&before, None).unwrap();
    let err = actions.execute(plan).await.unwrap_err();
    assert!(matches!(&err, ActionError::TenantReadOnly(t) if t == "delta-aero"), "{err}");
    let after = demo.clone().deploy_status(tenant).await.unwrap();
    assert_eq!(after.task_definition, before.task_definition);
    let entries = journal_in(&dir).read().unwrap();
    assert_eq!((entries[0].mode, entries[0].result.as_str()), (journal::Mode::Refused, "read-only tenant"));
    assert_eq!(entries[0].api, "ecs:UpdateService");
    assert_eq!(entries[0].tenants, vec![Some("delta-aero".to_string())]);
}

#[tokio::test]
async fn a_sequence_stops_at_the_first_failure_and_leaves_the_rest_alone() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Arc::new(DemoOrg::frozen(0));
    // The middle tenant is read-only, so its rollback is refused: the third must not run.
    let onyx = demo_tenant("onyx-packaging").0.account_id;
    let actions = Actions::new(
        demo.clone(),
        journal_in(&dir),
        silo_core::actions::Rails { protected: [onyx].into(), ..rails(false) },
    );
    let mut plans = Vec::new();
    for name in ["delta-aero", "onyx-packaging", "cobalt-mining"] {
        let status = demo.clone().deploy_status(demo_tenant(name).0).await.unwrap();
        plans.push(silo_core::plan::deploy::rollback(&status, None).unwrap());
    }
    let heard = std::sync::Mutex::new(Vec::new());
    let steps =
        actions.execute_in_order(plans, |n, total, s| heard.lock().unwrap().push((n, total, s.tenant.clone()))).await;
    assert_eq!(heard.lock().unwrap()[1], (2, 3, "onyx-packaging".to_string()), "each step is heard as it ends");
    let outcomes: Vec<(&str, &StepOutcome)> = steps.iter().map(|s| (s.tenant.as_str(), &s.outcome)).collect();
    assert_eq!(outcomes[0], ("delta-aero", &StepOutcome::Done("demo-request".into())));
    assert!(matches!(outcomes[1], ("onyx-packaging", StepOutcome::Failed(e)) if e.contains("read-only")));
    assert_eq!(outcomes[2], ("cobalt-mining", &StepOutcome::NotAttempted));
    let cobalt = demo.clone().deploy_status(demo_tenant("cobalt-mining").0).await.unwrap();
    assert_eq!(cobalt.in_flight().map(|d| d.status.as_str()), Some("IN_PROGRESS"), "cobalt untouched");
    let apis: Vec<(String, journal::Mode)> =
        journal_in(&dir).read().unwrap().iter().map(|e| (e.api.clone(), e.mode)).collect();
    assert_eq!(apis.len(), 3, "started + done for delta-aero, refused for onyx: {apis:?}");
}

#[tokio::test]
async fn the_demo_plays_a_rollback_out_over_the_next_steps() {
    let (tenant, profile) = demo_tenant("delta-aero");
    let before = silo_demo::deployments_at(&tenant, profile, 0, chrono::Utc::now());
    let plan = silo_core::plan::deploy::rollback(&before, None).unwrap();
    assert_eq!(
        plan.parameters["taskDefinition"]
            .as_str()
            .map(|t| t.ends_with(&format!("delta-aero-app:{}", before.current_number().unwrap() - 1))),
        Some(true)
    );
    let demo = Arc::new(DemoOrg::frozen(0));
    // Through the rails: nothing else can reach the source's write half.
    let dir = tempfile::tempdir().unwrap();
    Actions::new(demo.clone(), journal_in(&dir), rails(false)).execute(plan).await.unwrap();
    let during = demo.clone().deploy_status(tenant).await.unwrap();
    assert_eq!(during.in_flight().map(|d| d.status.as_str()), Some("IN_PROGRESS"), "a frozen demo stays at the start");
    assert_eq!(during.state_label(), "DEPLOYING 0%");
}

#[tokio::test]
async fn offline_refuses_in_the_data_layer_and_journals_it() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Arc::new(DemoOrg::frozen(0));
    let (tenant, profile) = demo_tenant("delta-aero");
    let status = silo_demo::deployments_at(&tenant, profile, 0, chrono::Utc::now());
    let plan = silo_core::plan::deploy::rollback(&status, None).unwrap();
    let actions =
        Actions::new(demo.clone(), journal_in(&dir), silo_core::actions::Rails { offline: true, ..rails(false) });
    let err = actions.execute(plan).await.unwrap_err();
    assert!(matches!(err, ActionError::Offline), "{err}");
    let entries = journal_in(&dir).read().unwrap();
    let modes: Vec<journal::Mode> = entries.iter().map(|e| e.mode).collect();
    assert_eq!(modes, vec![journal::Mode::Refused]);
    assert_eq!(entries[0].identity, silo_core::actions::OFFLINE_IDENTITY, "offline, STS is not asked who acts");
}

/// Protection follows the account, not the name the finding carries (a renamed tag changes the
/// name), and a global read-only also covers findings of accounts that are no tenant.
#[tokio::test]
async fn protection_follows_the_account_and_read_only_covers_non_tenant_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Arc::new(DemoOrg::frozen(0));
    let list = open_findings(&demo, FindingSource::Securityhub).await;
    let mut renamed = list[0].clone();
    renamed.tenant = Some("renamed-since-start".into());
    let protected = Actions::new(
        demo.clone(),
        journal_in(&dir),
        silo_core::actions::Rails { protected: [renamed.account_id.clone()].into(), ..rails(false) },
    );
    let plan = ActionPlan::finding_status(&[&renamed], "RESOLVED", "x", AUDIT, "silo-test").unwrap();
    let err = protected.execute(plan).await.unwrap_err();
    assert!(matches!(&err, ActionError::TenantReadOnly(t) if t == "renamed-since-start"), "{err}");
    let mut outside = list[0].clone();
    (outside.tenant, outside.account_id) = (None, "999999999999".into());
    let read_only = Actions::new(demo.clone(), journal_in(&dir), rails(true));
    let plan = ActionPlan::finding_status(&[&outside], "RESOLVED", "x", AUDIT, "silo-test").unwrap();
    assert!(matches!(read_only.execute(plan).await.unwrap_err(), ActionError::ReadOnly));
    let after = open_findings(&demo, FindingSource::Securityhub).await;
    assert!(after.iter().any(|f| f.id == list[0].id && f.open), "nothing changed");
}

/// A plan built from data older than the limit (a failed re-read keeps the last good value; a
/// confirmation may wait) is refused in the data layer until refreshed, and journaled.
#[tokio::test]
async fn a_plan_built_from_old_data_is_refused_until_refreshed() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Arc::new(DemoOrg::frozen(0));
    let actions = Actions::new(
        demo.clone(),
        journal_in(&dir),
        silo_core::actions::Rails { max_plan_age: Some(chrono::Duration::seconds(120)), ..rails(false) },
    );
    let (tenant, _) = demo_tenant("delta-aero");
    let before = demo.clone().deploy_status(tenant.clone()).await.unwrap();
    let read = chrono::Utc::now() - chrono::Duration::seconds(300);
    let plan = silo_core::plan::deploy::rollback(&before, None).unwrap().read_at(read);
    let err = actions.execute(plan.clone()).await.unwrap_err();
    assert!(matches!(&err, ActionError::Stale(why) if why.contains("read 5m ago, more than 2m")), "{err}");
    let after = demo.clone().deploy_status(tenant).await.unwrap();
    assert_eq!(after.task_definition, before.task_definition, "nothing changed");
    let results: Vec<String> = journal_in(&dir).read().unwrap().iter().map(|e| e.result.clone()).collect();
    assert_eq!(results, ["stale plan"]);
    let fresh = plan.read_at(chrono::Utc::now());
    assert!(actions.execute(fresh).await.is_ok(), "the same plan on fresh data runs");
}

/// Asked to quit mid fleet-rollback: the step in progress ends and is journaled; the steps after
/// it are not started and are journaled `aborted`.
#[tokio::test]
async fn after_an_abort_the_call_in_progress_ends_and_nothing_more_starts() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Arc::new(DemoOrg::frozen(0));
    let actions = Actions::new(demo.clone(), journal_in(&dir), rails(false));
    let mut plans = Vec::new();
    for name in ["delta-aero", "onyx-packaging", "cobalt-mining"] {
        let status = demo.clone().deploy_status(demo_tenant(name).0).await.unwrap();
        plans.push(silo_core::plan::deploy::rollback(&status, None).unwrap());
    }
    // The quit arrives while the first tenant's call runs: it is heard as that step ends.
    let steps = actions.execute_in_order(plans, |_, _, _| actions.abort_pending()).await;
    let outcomes: Vec<&str> = steps.iter().map(|s| s.outcome.label()).collect();
    assert_eq!(outcomes, ["done", "aborted", "aborted"]);
    let cobalt = demo.clone().deploy_status(demo_tenant("cobalt-mining").0).await.unwrap();
    assert_eq!(cobalt.in_flight().map(|d| d.status.as_str()), Some("IN_PROGRESS"), "cobalt untouched");
    let modes: Vec<(journal::Mode, String)> =
        journal_in(&dir).read().unwrap().iter().map(|e| (e.mode, e.tenants[0].clone().unwrap_or_default())).collect();
    let aborted: Vec<&str> =
        modes.iter().filter(|(m, _)| *m == journal::Mode::Aborted).map(|(_, t)| t.as_str()).collect();
    assert_eq!(aborted, ["onyx-packaging", "cobalt-mining"]);
}

#[tokio::test]
async fn a_head_file_that_cannot_be_written_stops_the_action_and_leaves_no_started_line_without_an_end() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Arc::new(DemoOrg::frozen(0));
    let actions = Actions::new(demo.clone(), journal_in(&dir), rails(false));
    // The head is replaced through `audit.jsonl.head.tmp`: a directory there makes that fail.
    std::fs::create_dir_all(dir.path().join("state/audit.jsonl.head.tmp")).unwrap();
    let list = open_findings(&demo, FindingSource::Guardduty).await;
    let plan = ActionPlan::guardduty_archive(&[&list[0]], true, AUDIT).unwrap();
    let err = actions.execute(plan).await.unwrap_err().to_string();
    assert!(err.starts_with("cannot write the audit journal (the line was written, but not the journal's head file"));
    assert!(err.ends_with("nothing was changed"), "{err}");
    let after = open_findings(&demo, FindingSource::Guardduty).await;
    assert!(after.iter().any(|f| f.id == list[0].id && f.open), "the finding was not archived");
    let entries = journal_in(&dir).read().unwrap();
    let lines: Vec<(journal::Mode, &str)> = entries.iter().map(|e| (e.mode, e.result.as_str())).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0], (journal::Mode::Confirmed, "started"));
    assert_eq!(lines[1].0, journal::Mode::Refused);
    assert!(lines[1].1.starts_with("not run: the line was written, but not the journal's head file"), "{lines:?}");
}

/// Stopping a query is journaled with its exact call, under read-only too (it changes no data);
/// offline refuses it without asking STS.
#[tokio::test]
async fn stopping_a_query_is_journaled_and_read_only_still_lets_it_stop() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Arc::new(DemoOrg::frozen(0));
    let request = silo_core::queries::run::QueryRequest {
        name: "alb-5xx-by-path".into(),
        sql: "SELECT 1".into(),
        parameters: Vec::new(),
        tenant: None,
    };
    let id = demo.clone().query_start(request).await.unwrap();
    let target = AthenaTarget {
        account_id: "333333333333".into(),
        region: "us-east-1".into(),
        workgroup: "silo".into(),
        database: "logs".into(),
    };
    let read_only = Actions::new(demo.clone(), journal_in(&dir), rails(true));
    read_only.stop_query(&id, &target).await.unwrap();
    let entries = journal_in(&dir).read().unwrap();
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(
        (e.api.as_str(), e.mode, e.result.as_str()),
        ("athena:StopQueryExecution", journal::Mode::Confirmed, "ok: stop asked")
    );
    assert_eq!(e.parameters, serde_json::json!({ "QueryExecutionId": id }));
    assert_eq!((e.account.as_str(), e.region.as_str(), e.ids.clone()), ("333333333333", "us-east-1", vec![id.clone()]));
    let unknown = read_only.stop_query("no-such-query", &target).await.unwrap_err();
    assert!(matches!(unknown, ActionError::Aws(_)), "{unknown}");
    assert!(journal_in(&dir).read().unwrap()[1].result.starts_with("error: "), "a failed stop is journaled too");
    let offline =
        Actions::new(demo.clone(), journal_in(&dir), silo_core::actions::Rails { offline: true, ..rails(false) });
    assert!(matches!(offline.stop_query(&id, &target).await, Err(ActionError::Offline)));
    let last = journal_in(&dir).read().unwrap().pop().unwrap();
    assert_eq!((last.mode, last.identity.as_str()), (journal::Mode::Refused, silo_core::actions::OFFLINE_IDENTITY));
}
