use super::*;
use crate::journal::JournalEntry;
use chrono::TimeZone;

/// A journal line as `Actions` writes it for a schedule made on Tuesday 2026-12-01 14:00 UTC,
/// to run Sunday 02:00 in São Paulo (05:00 UTC) with retries until the window's end (04:00).
fn create_line(mode: &str, result: &str) -> JournalEntry {
    let line = serde_json::json!({
        "time": "2026-12-01T14:00:00.000Z", "identity": "arn:aws:sts::111111111111:assumed-role/Ops/ana",
        "tenants": ["acme"], "account": "210987654321", "region": "sa-east-1", "api": "scheduler:CreateSchedule",
        "parameters": {
            "Name": "silo-210987654321-r58-20261206T0200", "GroupName": "silo-rollouts",
            "ScheduleExpression": "at(2026-12-06T02:00:00)", "ScheduleExpressionTimezone": "America/Sao_Paulo",
            "Target": {
                "Input": "{\"Cluster\":\"acme\",\"Service\":\"app\",\"TaskDefinition\":\"acme-app:58\"}",
                "RetryPolicy": { "MaximumEventAgeInSeconds": 7200, "MaximumRetryAttempts": 120 }
            }
        },
        "ids": [], "mode": mode, "result": result, "request_ids": []
    });
    serde_json::from_value(line).expect("a journal line")
}

fn delete_line(time: &str) -> JournalEntry {
    let mut line = create_line("confirmed", "ok: 1 updated");
    line.api = "scheduler:DeleteSchedule".into();
    line.time = time.into();
    line.parameters =
        serde_json::json!({ "Name": "silo-210987654321-r58-20261206T0200", "GroupName": "silo-rollouts" });
    line
}

fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, d, h, m, 0).unwrap()
}

fn planned() -> PlannedSchedule {
    let entries = [create_line("confirmed", "started"), create_line("confirmed", "ok: 1 updated")];
    from_journal(&entries, utc(1, 0, 0)).remove(0)
}

fn deployment(task_definition: &str, started_at: DateTime<Utc>) -> Deployment {
    let arn = format!("arn:aws:ecs:sa-east-1:210987654321:task-definition/{task_definition}");
    serde_json::from_value(serde_json::json!({
        "id": "ecs-svc/1", "status": "PRIMARY", "status_reason": null, "rollout_state": "COMPLETED",
        "lifecycle_stage": null, "started_at": started_at, "finished_at": null, "task_definition": arn,
        "image": null, "running": 2, "requested": 2, "circuit_breaker": null, "alarms": null, "hook": null
    }))
    .expect("a deployment")
}

fn listed(p: &PlannedSchedule) -> ScheduledUpdate {
    ScheduledUpdate { name: p.name.clone(), at: p.at, zone: p.zone.clone(), to_revision: 58, to_version: None }
}

fn evidence<'a>(
    listed: &'a [ScheduledUpdate],
    deployments: &'a [Deployment],
    errors: SchedulerErrors,
    now: DateTime<Utc>,
) -> Evidence<'a> {
    Evidence { listed, deployments: Ok(deployments), running: Some("acme-app:57"), errors: Ok(errors), now }
}

#[test]
fn the_journal_gives_what_was_scheduled_and_only_what_was_made() {
    let p = planned();
    assert_eq!(p.name, "silo-210987654321-r58-20261206T0200");
    assert_eq!((p.account_id.as_str(), p.tenant.as_str()), ("210987654321", "acme"));
    assert_eq!((p.created, p.at, p.retry_until), (utc(1, 14, 0), utc(6, 5, 0), utc(6, 7, 0)));
    assert_eq!((p.task_definition.as_str(), p.to_revision), ("acme-app:58", 58));
    let not_made = [create_line("refused", "read-only"), create_line("confirmed", "error: AccessDenied")];
    assert!(from_journal(&not_made, utc(1, 0, 0)).is_empty());
    assert!(from_journal(&[create_line("confirmed", "ok: 1 updated")], utc(2, 0, 0)).is_empty(), "older than asked");
    let cancelled = [create_line("confirmed", "ok: 1 updated"), delete_line("2026-12-02T09:30:00.000Z")];
    assert_eq!(from_journal(&cancelled, utc(1, 0, 0))[0].cancelled, Some(utc(2, 9, 30)));
}

#[test]
fn a_listed_schedule_is_scheduled_then_due_then_not_run() {
    let p = planned();
    let still = [listed(&p)];
    let at = |now| outcome(&p, &evidence(&still, &[], SchedulerErrors::default(), now));
    assert_eq!(at(utc(5, 12, 0)), Outcome::Scheduled);
    assert_eq!(at(utc(6, 5, 30)), Outcome::Due { until: utc(6, 7, 0) });
    let late = at(utc(6, 7, 1));
    assert_eq!(late.describe(), "not run: the schedule is still there after 2026-12-06T07:00:00Z");
}

#[test]
fn gone_with_a_deployment_of_the_planned_revision_after_it_was_made_is_landed() {
    let p = planned();
    let rolled =
        [deployment("acme-app:58", utc(6, 5, 0) + Duration::seconds(41)), deployment("acme-app:57", utc(6, 6, 0))];
    let e = evidence(&[], &rolled, SchedulerErrors::default(), utc(6, 9, 0));
    assert_eq!(
        outcome(&p, &e),
        Outcome::Landed { started_at: Some(Utc.with_ymd_and_hms(2026, 12, 6, 5, 0, 41).unwrap()) }
    );
    assert_eq!(outcome(&p, &e).describe(), "landed: deployment started 2026-12-06T05:00:41Z");
}

#[test]
fn a_service_running_the_planned_revision_without_a_deployment_record_of_it_has_landed() {
    let p = planned();
    let mut e = evidence(&[], &[], SchedulerErrors::default(), utc(6, 9, 0));
    e.running = Some("arn:aws:ecs:sa-east-1:210987654321:task-definition/acme-app:58");
    assert_eq!(outcome(&p, &e), Outcome::Landed { started_at: None });
    e.running = Some("acme-app:580");
    assert_eq!(outcome(&p, &e).name(), "not_run", "another revision");
}

#[test]
fn a_deployment_of_that_revision_before_the_schedule_was_made_or_after_its_retries_is_not_its_landing() {
    let p = planned();
    let unrelated = [deployment("acme-app:58", utc(1, 13, 59)), deployment("acme-app:58", utc(6, 7, 11))];
    let e = evidence(&[], &unrelated, SchedulerErrors::default(), utc(6, 9, 0));
    assert_eq!(outcome(&p, &e).name(), "not_run");
}

#[test]
fn gone_without_a_landing_is_failed_when_scheduler_counted_errors_and_not_run_otherwise() {
    let p = planned();
    let errors = SchedulerErrors { attempts: 3, target_errors: 3, dropped: 1 };
    let failed = outcome(&p, &evidence(&[], &[], errors, utc(6, 9, 0)));
    assert_eq!(
        failed.describe(),
        "failed: Scheduler counted 3 target error(s) (TargetErrorCount) and 1 dropped invocation(s) \
         (InvocationDroppedCount) in group silo-rollouts since 2026-12-01T14:00:00Z; no deployment of acme-app:58 started"
    );
    let quiet = outcome(&p, &evidence(&[], &[], SchedulerErrors::default(), utc(6, 9, 0)));
    assert_eq!(quiet.name(), "not_run");
    assert!(quiet.describe().contains("deleted outside silo?"), "{}", quiet.describe());
    let unread = Evidence {
        listed: &[],
        deployments: Err("AccessDenied"),
        running: None,
        errors: Err("throttled"),
        now: utc(6, 9, 0),
    };
    assert_eq!(
        outcome(&p, &unread).describe(),
        "not run: the schedule is gone and the deployments could not be read (AccessDenied); \
         Scheduler's metrics not read (throttled)"
    );
}

#[test]
fn a_cancelled_schedule_stays_cancelled_and_needs_no_reads() {
    let cancelled = from_journal(
        &[create_line("confirmed", "ok: 1 updated"), delete_line("2026-12-02T09:30:00.000Z")],
        utc(1, 0, 0),
    );
    let e = evidence(&[], &[], SchedulerErrors { attempts: 9, target_errors: 9, dropped: 0 }, utc(6, 9, 0));
    assert_eq!(outcome(&cancelled[0], &e), Outcome::Cancelled { at: utc(2, 9, 30) });
    assert!(!needs_deployments(&cancelled, &[]));
    assert_eq!(errors_since(&cancelled, &[], Some(&[]), None), None);
}

#[test]
fn metrics_are_read_only_for_a_schedule_gone_without_a_landing() {
    let p = vec![planned()];
    assert!(!needs_deployments(&p, &[listed(&p[0])]), "still listed: the listing answers");
    assert!(needs_deployments(&p, &[]));
    let landed = [deployment("acme-app:58", utc(6, 5, 1))];
    assert_eq!(errors_since(&p, &[], Some(&landed), None), None);
    assert_eq!(errors_since(&p, &[], Some(&[]), Some("acme-app:58")), None, "runs it");
    assert_eq!(errors_since(&p, &[], Some(&[]), Some("acme-app:57")), Some(utc(1, 14, 0)));
}

#[test]
fn a_listed_schedule_the_journal_does_not_know_is_tracked_too() {
    let tenant = crate::model::Tenant {
        name: "acme".into(),
        account_id: "210987654321".into(),
        region: "sa-east-1".into(),
        ecs_cluster: "acme".into(),
        ecs_service: "app".into(),
        terms: Default::default(),
    };
    let other = ScheduledUpdate {
        name: "silo-acme-r57-20261213T0200".into(),
        at: utc(13, 5, 0),
        zone: "America/Sao_Paulo".into(),
        to_revision: 57,
        to_version: None,
    };
    let p = planned();
    let listing = [other.clone(), listed(&p)];
    let tracked = track(&tenant, vec![p], &evidence(&listing, &[], SchedulerErrors::default(), utc(3, 0, 0)));
    let names: Vec<(&str, &str)> = tracked.iter().map(|t| (t.planned.name.as_str(), t.outcome.name())).collect();
    assert_eq!(
        names,
        [("silo-210987654321-r58-20261206T0200", "scheduled"), ("silo-acme-r57-20261213T0200", "scheduled")]
    );
    assert_eq!(tracked[1].planned.account_id, "210987654321");
}

#[test]
fn a_doctors_schedule_probe_is_not_tracked() {
    let mut probe = create_line("confirmed", "ok: 1 updated");
    probe.parameters["Name"] = serde_json::json!("silo-probe-210987654321-20261201T120300");
    assert!(from_journal(&[probe], utc(1, 0, 0)).is_empty());
}
