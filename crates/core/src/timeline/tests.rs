use super::*;
use crate::findings::tests_support::finding;
use crate::findings::Severity;
use chrono::TimeZone;

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).single().expect("valid") + Duration::minutes(minute)
}

fn history(minute: i64, from: &str, to: &str) -> AlarmHistoryItem {
    AlarmHistoryItem {
        time: Some(at(minute)),
        kind: "StateUpdate".into(),
        summary: format!("Alarm updated from {from} to {to}"),
    }
}

fn deployment(started: i64, finished: Option<i64>, status: &str) -> Deployment {
    Deployment {
        id: format!("arn:aws:ecs:sa-east-1:1:service-deployment/acme/app/d{started}"),
        status: status.into(),
        status_reason: None,
        rollout_state: None,
        lifecycle_stage: None,
        started_at: Some(at(started)),
        finished_at: finished.map(at),
        task_definition: Some("app:57".into()),
        image: Some("repo/app:2026.11.57".into()),
        running: 2,
        requested: 4,
        circuit_breaker: None,
        alarms: None,
        hook: None,
    }
}

/// An incident: r57 started 12 minutes before app-5xx went to ALARM, a finding appeared 40
/// minutes before (outside the window), and an earlier alarm cycle happened.
fn incident() -> Timeline {
    let mut t = Timeline::new("acme", "111111111111", at(-360), at(0));
    t.add(alarm_events("app-5xx", &[history(-200, "OK", "ALARM"), history(-190, "ALARM", "OK")]));
    t.add(alarm_events("app-5xx", &[history(-2, "OK", "ALARM")]));
    t.add(deployment_events(&[deployment(-14, None, "IN_PROGRESS")]));
    let mut f = finding("f-1", "111111111111", Severity::High, true);
    f.first_seen = Some(at(-42));
    f.updated_at = Some(at(-42));
    t.add(finding_events(&[&f]));
    t
}

#[test]
fn events_from_every_source_are_one_list_newest_first_within_the_range() {
    let t = incident();
    let rows: Vec<(i64, Source, &str)> =
        t.events.iter().map(|e| ((e.at - at(0)).num_minutes(), e.source, e.kind.as_str())).collect();
    assert_eq!(
        rows,
        [
            (-2, Source::Alarm, "ALARM"),
            (-14, Source::Deployment, "started"),
            (-42, Source::Finding, "created"),
            (-190, Source::Alarm, "OK"),
            (-200, Source::Alarm, "ALARM"),
        ]
    );
    let mut narrow = Timeline::new("acme", "1", at(-60), at(0));
    narrow.add(incident().events);
    assert_eq!(narrow.events.len(), 3, "events outside the range are left out");
}

#[test]
fn changes_in_the_window_before_the_alarm_are_suspects_and_the_rest_are_not() {
    let mut t = incident();
    let fired = last_fired(&[history(-200, "OK", "ALARM"), history(-2, "OK", "ALARM")], at(0)).expect("fired");
    assert_eq!(fired, at(-2));
    t.mark_suspects(fired, Duration::minutes(SUSPECT_WINDOW_MINUTES));
    let suspects: Vec<&str> = t.events.iter().filter(|e| e.suspect).map(|e| e.kind.as_str()).collect();
    assert_eq!(suspects, ["started"], "the finding 40 min before is outside the 30-minute window");
    assert_eq!(t.suspects_line(fired).as_deref(), Some("1 suspect: deployment to app:57 started 12 min before"));
}

#[test]
fn a_finished_deployment_has_its_end_and_an_alarm_is_never_its_own_suspect() {
    let events = deployment_events(&[deployment(-30, Some(-10), "ROLLBACK_SUCCESSFUL")]);
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["started", "ROLLBACK_SUCCESSFUL"]);
    let mut t = Timeline::new("acme", "1", at(-60), at(0));
    t.add(alarm_events("cpu", &[history(-5, "OK", "ALARM")]));
    t.mark_suspects(at(-2), Duration::minutes(30));
    assert!(t.events.iter().all(|e| !e.suspect));
    assert_eq!(t.suspects_line(at(-2)), None);
}

#[test]
fn journal_entries_of_the_tenant_are_actions_with_who_and_how_they_ended() {
    let mut f = finding("f-1", "111111111111", Severity::High, true);
    f.tenant = Some("acme".into());
    let plan = crate::plan::ActionPlan::finding_status(&[&f], "RESOLVED", "fixed", ("2", "r"), "me").unwrap();
    let identity = "arn:aws:sts::1:assumed-role/AWSReservedSSO_OnCall_1/maria@opsfactor.io";
    let mut done = JournalEntry::new(&plan, identity, Mode::Confirmed, "ok: 1 updated", Vec::new());
    done.time = at(-20).to_rfc3339();
    let started = JournalEntry { result: "started".into(), ..done.clone() };
    let other =
        JournalEntry { tenants: vec![Some("globex".into())], tenant_accounts: vec!["3".into()], ..done.clone() };
    let events = action_events(&[started, done, other], &tenant("acme", "111111111111"));
    assert_eq!(events.len(), 1, "the `started` line and other tenants' actions are not events");
    assert_eq!(events[0].title, "securityhub:BatchUpdateFindings by maria@opsfactor.io");
    assert_eq!((events[0].kind.as_str(), events[0].detail.as_str()), ("confirmed", "ok: 1 updated"));
}

fn tenant(name: &str, account: &str) -> crate::model::Tenant {
    crate::model::Tenant {
        name: name.into(),
        account_id: account.into(),
        region: "r".into(),
        ecs_cluster: "c".into(),
        ecs_service: "s".into(),
        terms: Default::default(),
    }
}

#[test]
fn another_account_of_the_same_name_does_not_see_the_tenants_actions() {
    let mut f = finding("f-1", "111111111111", Severity::High, true);
    f.tenant = Some("acme".into());
    let plan = crate::plan::ActionPlan::finding_status(&[&f], "RESOLVED", "fixed", ("2", "r"), "me").unwrap();
    let done =
        JournalEntry { time: at(-20).to_rfc3339(), ..JournalEntry::new(&plan, "me", Mode::Confirmed, "ok", vec![]) };
    assert_eq!(done.tenant_accounts, ["111111111111"], "the journal says which account");
    assert_eq!(action_events(std::slice::from_ref(&done), &tenant("acme", "111111111111")).len(), 1);
    assert!(action_events(std::slice::from_ref(&done), &tenant("acme", "999999999999")).is_empty());
    let older = JournalEntry { tenant_accounts: Vec::new(), ..done };
    assert_eq!(action_events(&[older], &tenant("acme", "999999999999")).len(), 1, "older lines match by name");
}

#[test]
fn the_schedulers_messages_are_on_the_line_but_never_suspects() {
    let placement = crate::service_events::ServiceEvent {
        at: Some(at(-5)),
        message: "(service app) was unable to place a task because no container instance met all of its requirements"
            .into(),
    };
    let mut t = Timeline::new("acme", "1", at(-60), at(0));
    t.add(service_events(&[placement, crate::service_events::ServiceEvent { at: None, message: "undated".into() }]));
    t.add(deployment_events(&[deployment(-10, None, "IN_PROGRESS")]));
    t.mark_suspects(at(-1), Duration::minutes(30));
    let rows: Vec<(&str, bool)> = t.events.iter().map(|e| (e.kind.as_str(), e.suspect)).collect();
    assert_eq!(rows, [(SERVICE_EVENT, false), ("started", true)], "an undated message is left out");
}

#[test]
fn each_source_is_labelled_as_the_json_contract_names_it() {
    for source in [Source::Alarm, Source::Deployment, Source::Finding, Source::Action, Source::Health, Source::Vpn] {
        assert_eq!(serde_json::to_value(source).unwrap(), source.label(), "CSV, table and screen say what JSON says");
    }
}

fn health_event(start: i64, end: Option<i64>, accounts: &[&str]) -> crate::aws_health::HealthEvent {
    crate::aws_health::HealthEvent {
        arn: format!("arn:aws:health:sa-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/{start}"),
        service: "EC2".into(),
        event_type: "AWS_EC2_OPERATIONAL_ISSUE".into(),
        category: "issue".into(),
        region: "sa-east-1".into(),
        status: if end.is_some() { "closed" } else { "open" }.into(),
        start: Some(at(start)),
        end: end.map(at),
        last_updated: None,
        affected: accounts
            .iter()
            .map(|a| crate::aws_health::Affected { account_id: a.to_string(), entities: vec!["i-0abc".into()] })
            .collect(),
    }
}

#[test]
fn a_health_event_of_the_tenants_account_is_a_suspect_and_another_accounts_is_not_shown() {
    let mut t = Timeline::new("acme", "111111111111", at(-360), at(0));
    t.add(alarm_events("app-5xx", &[history(-2, "OK", "ALARM")]));
    t.add(health_events(&[health_event(-20, None, &["111111111111"])], "111111111111"));
    t.add(health_events(&[health_event(-10, Some(-5), &["999999999999"])], "111111111111"));
    t.mark_suspects(at(-2), Duration::minutes(30));
    let rows: Vec<(&str, &str, bool)> =
        t.events.iter().map(|e| (e.source.label(), e.kind.as_str(), e.suspect)).collect();
    assert_eq!(rows, [("alarm", "ALARM", false), ("health", "started", true)]);
    assert_eq!(t.events[1].detail, "sa-east-1 · i-0abc");
    assert!(
        t.suspects.as_deref().is_some_and(|s| s.contains("EC2 operational issue started 18 min before")),
        "{:?}",
        t.suspects
    );
}

#[test]
fn every_tunnel_change_is_on_the_line_but_never_a_suspect() {
    use crate::vpn::{TunnelSeries, VpnStatus};
    let series = |ip: &str, points: &[(i64, f64)]| TunnelSeries {
        vpn_id: "vpn-1".into(),
        outside_ip: ip.into(),
        points: points.iter().map(|(m, v)| (at(*m), *v)).collect(),
    };
    // 1.1.1.1 flapped (down at -40, up at -35) and went down at -8; 2.2.2.2 never changed.
    let tunnels = [
        series("1.1.1.1", &[(-45, 1.0), (-40, 0.0), (-35, 1.0), (-13, 1.0), (-8, 0.0), (-3, 0.0)]),
        series("2.2.2.2", &[(-45, 1.0), (-3, 1.0)]),
    ];
    let status = VpnStatus::from_series(&tunnels, at(0)).expect("a connection");
    let mut t = Timeline::new("acme", "111111111111", at(-360), at(0));
    t.add(vpn_events(&status));
    t.mark_suspects(at(-2), Duration::minutes(30));
    let mut rows: Vec<(DateTime<Utc>, &str, &str, &str, bool)> =
        t.events.iter().map(|e| (e.at, e.kind.as_str(), e.title.as_str(), e.detail.as_str(), e.suspect)).collect();
    rows.sort_by_key(|r| r.0);
    assert_eq!(
        rows,
        [
            (at(-40), "DOWN", "tunnel 1.1.1.1", "vpn-1", false),
            (at(-35), "UP", "tunnel 1.1.1.1", "vpn-1", false),
            (at(-8), "DOWN", "tunnel 1.1.1.1", "vpn-1", false),
        ],
        "a tunnel that never changed adds nothing"
    );
}

#[test]
fn a_typed_since_is_a_span_or_a_refusal_never_a_panic() {
    assert_eq!(parse_since("6h"), Ok(chrono::Duration::hours(6)));
    assert_eq!(parse_since(" 30m "), Ok(chrono::Duration::minutes(30)));
    assert!(parse_since("1é").unwrap_err().contains("expected minutes, hours or days"), "a multi-byte unit");
    assert!(parse_since("99999999999999999d").unwrap_err().contains("at most 14 days"), "no overflow");
    assert!(parse_since("15d").is_err() && parse_since("0m").is_err() && parse_since("").is_err());
}
