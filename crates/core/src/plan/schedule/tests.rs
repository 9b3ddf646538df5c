use super::*;
use crate::deploy::tests::{revision, status};
use crate::error::FetchError;
use crate::releases::scans::Scans;
use crate::terms::tests::tenant;
use chrono::TimeZone;

const WINDOW: &str = "sun 02:00-04:00 America/Sao_Paulo";

/// Tuesday 2026-12-01 12:00 UTC; the next window opens sun 2026-12-06 02:00 -03 (05:00 UTC).
fn tuesday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap()
}

fn sunday_window() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 5, 0, 0).unwrap()
}

/// acme runs app:12 (v12); app:13 (v13) is registered and not yet deployed.
fn registered() -> DeployStatus {
    let mut s = status();
    s.revisions.insert(0, revision(13));
    s
}

fn request<'a>(
    t: &'a Tenant,
    status: &'a DeployStatus,
    existing: &'a [ScheduledUpdate],
    when: When,
    overrides: &'a Overrides,
) -> Request<'a> {
    Request {
        tenant: t,
        status,
        existing,
        to_revision: 13,
        when,
        overrides,
        role: "SiloScheduler",
        now: tuesday(),
        scans: Scans::Off,
    }
}

fn refusal(req: &Request) -> String {
    create(req).expect_err("refused").to_string()
}

#[test]
fn the_next_window_gives_the_exact_create_schedule_in_the_window_zone() {
    let (t, s, none) = (tenant(Some(WINDOW), Some("v12 v13")), registered(), Overrides::default());
    let plan = create(&request(&t, &s, &[], When::NextWindow, &none)).expect("a plan");
    assert_eq!(plan.api, "scheduler:CreateSchedule");
    let mut parameters = plan.parameters.clone();
    let token = parameters.as_object_mut().and_then(|p| p.remove("ClientToken"));
    assert_eq!(
        parameters,
        serde_json::json!({
            "Name": "silo-210987654321-r13-20261206T0200",
            "GroupName": "silo-rollouts",
            "ScheduleExpression": "at(2026-12-06T02:00:00)",
            "ScheduleExpressionTimezone": "America/Sao_Paulo",
            "FlexibleTimeWindow": { "Mode": "OFF" },
            "ActionAfterCompletion": "DELETE",
            "Target": {
                "Arn": "arn:aws:scheduler:::aws-sdk:ecs:updateService",
                "RoleArn": "arn:aws:iam::210987654321:role/SiloScheduler",
                "Input": r#"{"Cluster":"acme","Service":"app","TaskDefinition":"app:13"}"#,
                // The window closes at 04:00, two hours after the update starts.
                "RetryPolicy": { "MaximumEventAgeInSeconds": 7200, "MaximumRetryAttempts": 120 },
            },
        })
    );
    let token = token.and_then(|t| t.as_str().map(str::to_string)).unwrap_or_default();
    assert!(token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()), "{token}");
    assert_eq!(plan.confirmation(&crate::tenant_lookup::SharedNames::none()), "acme");
    let shared = crate::tenant_lookup::SharedNames::of(["acme", "ACME"]);
    assert_eq!(plan.confirmation(&shared), "210987654321", "a name two accounts carry: typed as the account id");
    assert!(plan.overrides.is_empty());
    let text = plan.describe().join("\n");
    assert!(
        text.contains("when:       sun 2026-12-06 02:00 America/Sao_Paulo = 2026-12-06T05:00:00Z, in 4d 17h"),
        "{text}"
    );
    assert!(text.contains("window:     inside the maintenance window"), "{text}");
    assert!(text.contains("version:    v13 is certified by the customer"), "{text}");
}

#[test]
fn a_time_outside_the_window_or_an_uncertified_version_needs_the_override() {
    let (t, s, none) = (tenant(Some(WINDOW), Some("v12")), registered(), Overrides::default());
    let monday = Utc.with_ymd_and_hms(2026, 12, 7, 15, 0, 0).unwrap();
    let why = refusal(&request(&t, &s, &[], When::At(monday), &none));
    assert!(why.starts_with("acme: mon 2026-12-07 12:00 America/Sao_Paulo is outside the maintenance window"), "{why}");
    assert!(why.contains("v13 is NOT certified by the customer (certified: v12)"), "{why}");
    assert!(why.contains("add --outside-window --uncertified --reason TEXT"), "{why}");
    let given = Overrides::for_terms(&[Term::OutsideWindow, Term::Uncertified], "customer signed off by email");
    let plan = create(&request(&t, &s, &[], When::At(monday), &given)).expect("overridden");
    assert_eq!(plan.overrides.len(), 2);
    assert!(plan.describe().iter().any(|l| l == "override:   --uncertified because \"customer signed off by email\""));
    assert_eq!(plan.parameters["ScheduleExpression"], "at(2026-12-07T12:00:00)");
}

#[test]
fn a_time_in_the_past_is_refused() {
    let (t, s, none) = (tenant(None, None), registered(), Overrides::default());
    let why = refusal(&request(&t, &s, &[], When::At(tuesday() - chrono::Duration::minutes(1)), &none));
    assert_eq!(why, "2026-12-01T11:59:00Z is in the past (now 2026-12-01T12:00:00Z)");
}

#[test]
fn a_second_schedule_at_the_same_time_is_refused_naming_the_first() {
    let (t, s, none) = (tenant(Some(WINDOW), None), registered(), Overrides::default());
    let taken = ScheduledUpdate {
        name: "silo-acme-r13-20261206T0200".into(),
        at: sunday_window(),
        zone: "America/Sao_Paulo".into(),
        to_revision: 13,
        to_version: Some("v13".into()),
    };
    let why = refusal(&request(&t, &s, std::slice::from_ref(&taken), When::NextWindow, &none));
    assert!(
        why.starts_with("acme already has a schedule at 2026-12-06T05:00:00Z: silo-acme-r13-20261206T0200"),
        "{why}"
    );
}

#[test]
fn a_revision_that_is_not_registered_or_already_runs_is_refused() {
    let (t, none) = (tenant(None, None), Overrides::default());
    let s = status();
    let why = refusal(&request(&t, &s, &[], When::At(sunday_window()), &none));
    assert_eq!(
        why,
        "revision 13 is not a registered revision of acme's task definition family; revisions: app:12, app:11, app:10, app:9"
    );
    let mut current = request(&t, &s, &[], When::At(sunday_window()), &none);
    current.to_revision = 12;
    assert_eq!(refusal(&current), "acme already runs app:12");
}

#[test]
fn the_next_window_needs_a_window() {
    let (s, none) = (registered(), Overrides::default());
    let t = tenant(None, None);
    let why = refusal(&request(&t, &s, &[], When::NextWindow, &none));
    assert!(why.contains("acme has no maintenance window stated"), "{why}");
    let bad = tenant(Some("sundays"), None);
    assert!(refusal(&request(&bad, &s, &[], When::NextWindow, &none)).contains("maintenance window tag"));
}

#[test]
fn without_a_window_the_time_is_utc_and_nothing_is_overridden() {
    let (t, s, none) = (tenant(None, None), registered(), Overrides::default());
    let plan = create(&request(&t, &s, &[], When::At(sunday_window()), &none)).expect("a plan");
    assert_eq!(plan.parameters["ScheduleExpressionTimezone"], "UTC");
    assert_eq!(plan.parameters["ScheduleExpression"], "at(2026-12-06T05:00:00)");
    assert_eq!(plan.parameters["Name"], "silo-210987654321-r13-20261206T0500");
    assert_eq!(
        plan.parameters["Target"]["RetryPolicy"],
        serde_json::json!({ "MaximumEventAgeInSeconds": 900, "MaximumRetryAttempts": 15 }),
        "no window: a quarter of an hour of retries"
    );
}

#[test]
fn cancelling_names_a_schedule_the_tenant_has() {
    let t = tenant(None, None);
    let existing = [ScheduledUpdate {
        name: "silo-acme-r13-20261206T0200".into(),
        at: sunday_window(),
        zone: String::new(),
        to_revision: 13,
        to_version: None,
    }];
    let plan = cancel(&t, &existing, "silo-acme-r13-20261206T0200").expect("a plan");
    assert_eq!(plan.api, "scheduler:DeleteSchedule");
    assert_eq!(
        plan.parameters,
        serde_json::json!({ "Name": "silo-acme-r13-20261206T0200", "GroupName": "silo-rollouts" })
    );
    let why = cancel(&t, &existing, "silo-acme-r9").unwrap_err().to_string();
    assert_eq!(why, "acme has no schedule \"silo-acme-r9\"; its schedules: silo-acme-r13-20261206T0200");
}

#[test]
fn the_target_is_in_the_partition_of_the_region() {
    let mut t = tenant(None, None);
    t.region = "cn-north-1".into();
    let (s, none) = (registered(), Overrides::default());
    let plan = create(&request(&t, &s, &[], When::At(sunday_window()), &none)).expect("a plan");
    assert_eq!(plan.parameters["Target"]["Arn"], "arn:aws-cn:scheduler:::aws-sdk:ecs:updateService");
    assert_eq!(plan.parameters["Target"]["RoleArn"], "arn:aws-cn:iam::210987654321:role/SiloScheduler");
}

#[test]
fn several_schedules_are_confirmed_by_their_count() {
    let (t, s, none) = (tenant(None, None), registered(), Overrides::default());
    let plan = create(&request(&t, &s, &[], When::At(sunday_window()), &none)).expect("a plan");
    assert_eq!(crate::plan::batch_confirmation(&[plan.clone(), plan]), "schedule 2 tenants");
}

#[test]
fn after_an_error_a_create_counts_only_when_the_schedule_there_is_the_one_planned() {
    let (t, s, none) = (tenant(Some(WINDOW), None), registered(), Overrides::default());
    let plan = create(&request(&t, &s, &[], When::NextWindow, &none)).expect("a plan");
    let ActionKind::Schedule(change) = &plan.kind else { panic!("{:?}", plan.kind) };
    let ScheduleChange::Create(spec) = change else { panic!("{change:?}") };
    let timeout =
        || FetchError::new(crate::model::AwsService::Scheduler, crate::error::ErrorKind::TimedOut, "timed out");
    let planned =
        SeenSchedule { expression: spec.expression.clone(), zone: spec.zone.clone(), input: spec.input.clone() };
    let made = change.after_error(timeout(), Ok(Some(planned.clone()))).expect("the create ran");
    assert!(made
        .verified_after_error
        .unwrap_or_default()
        .contains("a re-read shows silo-210987654321-r13-20261206T0200 exists"));
    let someone_elses = SeenSchedule { input: r#"{"taskDefinition":"app:9"}"#.into(), ..planned };
    let refused = change.after_error(timeout(), Ok(Some(someone_elses))).expect_err("not the schedule planned");
    assert!(refused.message.contains("so the change is not in place"), "{}", refused.message);
    assert!(change.after_error(timeout(), Ok(None)).is_err(), "gone: not made");
    let delete = ScheduleChange::Delete { name: spec.name.clone(), group: GROUP.into() };
    assert!(delete.after_error(timeout(), Ok(None)).is_ok(), "gone: deleted");
}

#[test]
fn retries_end_with_the_window_and_stay_within_the_model_limits() {
    let (t, s) = (tenant(Some(WINDOW), Some("v12 v13")), registered());
    let none = Overrides::default();
    let at = |h: u32, m: u32| When::At(Utc.with_ymd_and_hms(2026, 12, 6, h, m, 0).unwrap());
    let retry =
        |when| create(&request(&t, &s, &[], when, &none)).expect("a plan").parameters["Target"]["RetryPolicy"].clone();
    // 03:30 -03 is 06:30 UTC: half an hour before the window closes at 04:00 -03.
    assert_eq!(retry(at(6, 30)), serde_json::json!({ "MaximumEventAgeInSeconds": 1800, "MaximumRetryAttempts": 30 }));
    // 20 s before the end: AWS's minimum age is 60 s.
    let late = Utc.with_ymd_and_hms(2026, 12, 6, 6, 59, 40).unwrap();
    assert_eq!(retry(When::At(late)), serde_json::json!({ "MaximumEventAgeInSeconds": 60, "MaximumRetryAttempts": 1 }));
    let day = RetryPolicy::until(late, Some(late + chrono::Duration::days(3)));
    assert_eq!((day.max_event_age_secs, day.max_attempts), (86_400, 185), "AWS's maxima");
}

#[test]
fn the_client_token_is_the_same_for_the_same_plan_and_differs_for_another() {
    let (t, s, none) = (tenant(Some(WINDOW), Some("v12 v13")), registered(), Overrides::default());
    let token = |when| create(&request(&t, &s, &[], when, &none)).expect("a plan").parameters["ClientToken"].clone();
    let sunday = When::At(sunday_window());
    assert_eq!(token(sunday), token(sunday));
    assert_ne!(token(sunday), token(When::At(sunday_window() + chrono::Duration::minutes(30))));
    // Cancelled, then planned again a minute later: AWS would answer the first token with the
    // first (deleted) schedule's answer and create nothing.
    let again = Request { now: tuesday() + chrono::Duration::minutes(1), ..request(&t, &s, &[], sunday, &none) };
    let again = create(&again).expect("a plan").parameters["ClientToken"].clone();
    assert_ne!(token(sunday), again);
}

#[test]
fn any_tenant_name_gives_a_schedule_name_aws_takes() {
    let (mut t, s, none) = (tenant(None, None), registered(), Overrides::default());
    t.name = "Açaí & Cia · filial São Paulo (produção) com um nome muito comprido".into();
    t.account_id = "210987654321".into();
    let plan = create(&request(&t, &s, &[], When::At(sunday_window()), &none)).expect("a plan");
    let name = plan.parameters["Name"].as_str().unwrap_or_default().to_string();
    assert_eq!(name, "silo-210987654321-r13-20261206T0500");
    // Scheduler's `Name`: [0-9a-zA-Z-_.]+, 1 to 64 characters.
    assert!(name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)));
}

#[test]
fn the_probe_re_applies_what_the_service_runs_two_to_three_minutes_out_without_retries() {
    let (t, s) = (tenant(Some(WINDOW), Some("v12")), registered());
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 30).unwrap();
    let plan = super::probe::plan_probe(&t, &s, "SiloScheduler", now).expect("a probe");
    let p = &plan.parameters;
    assert_eq!(p["Name"], format!("silo-probe-{}-20261201T120300", t.account_id));
    assert_eq!(p["ScheduleExpression"], "at(2026-12-01T12:03:00)", "2.5 minutes out, on the minute");
    assert_eq!(p["ScheduleExpressionTimezone"], "UTC");
    let input: serde_json::Value =
        serde_json::from_str(p["Target"]["Input"].as_str().unwrap_or_default()).expect("json");
    assert_eq!(input["TaskDefinition"].as_str(), s.task_definition.rsplit('/').next(), "the revision it runs");
    assert_eq!(
        p["Target"]["RetryPolicy"],
        serde_json::json!({ "MaximumEventAgeInSeconds": 60, "MaximumRetryAttempts": 0 })
    );
    assert_eq!(
        plan.confirmation(&crate::tenant_lookup::SharedNames::none()),
        t.name,
        "typed like every action on the tenant"
    );
    assert!(super::probe::is_probe(p["Name"].as_str().unwrap_or_default()));
    let mut none = s.clone();
    none.task_definition.clear();
    assert!(super::probe::plan_probe(&t, &none, "SiloScheduler", now).is_err());
}

#[test]
fn a_schedule_whose_time_passed_while_it_waited_for_its_confirmation_is_not_created() {
    let (t, s, none) = (tenant(Some(WINDOW), Some("v12 v13")), registered(), Overrides::default());
    let plan = create(&request(&t, &s, &[], When::At(sunday_window()), &none)).expect("a plan");
    let ActionKind::Schedule(change) = &plan.kind else { panic!("a schedule plan") };
    assert_eq!(change.still_ahead(sunday_window() - chrono::Duration::seconds(1)), Ok(()));
    let late = change.still_ahead(sunday_window()).expect_err("its time has come");
    assert!(late.contains("which has passed") && late.contains("nothing was created"), "{late}");
    let delete = ScheduleChange::Delete { name: "x".into(), group: GROUP.into() };
    assert_eq!(delete.still_ahead(sunday_window()), Ok(()), "a cancel has no time");
}

#[test]
fn creating_a_schedule_lists_the_group_calls_before_it_and_cancelling_does_not() {
    let (t, s, none) = (tenant(None, None), registered(), Overrides::default());
    let plan = create(&request(&t, &s, &[], When::At(sunday_window()), &none)).expect("a plan");
    let lines = plan.describe();
    assert_eq!(lines[0], "API:        scheduler:CreateSchedule (1 call)");
    assert_eq!(
        lines[1],
        "before:     scheduler:GetScheduleGroup {\"Name\":\"silo-rollouts\"}; scheduler:CreateScheduleGroup {\"Name\":\"silo-rollouts\"} when it is missing"
    );
    let existing = [ScheduledUpdate {
        name: "silo-210987654321-r13-20261206T0500".into(),
        at: sunday_window(),
        zone: "UTC".into(),
        to_revision: 13,
        to_version: None,
    }];
    let cancel = cancel(&t, &existing, "silo-210987654321-r13-20261206T0500").expect("a cancel");
    assert!(cancel.describe().iter().all(|l| !l.starts_with("before:")), "{:?}", cancel.describe());
}

/// A request Scheduler's model would refuse is refused when planned, before any confirmation:
/// a scheduler role whose name the model's RoleArn pattern does not take, named with the member.
#[test]
fn a_request_the_scheduler_model_would_refuse_is_refused_before_it_is_confirmed() {
    let (t, s, none) = (tenant(None, None), registered(), Overrides::default());
    let mut req = request(&t, &s, &[], When::At(sunday_window()), &none);
    req.role = "Silo Scheduler";
    let why = refusal(&req);
    assert!(why.contains("Scheduler would refuse this request's Target.RoleArn"), "{why}");
    assert!(why.contains("nothing was changed"), "{why}");
    req.role = "SiloScheduler";
    let plan = create(&req).expect("the model takes it");
    let ActionKind::Schedule(ScheduleChange::Create(spec)) = &plan.kind else { panic!("{:?}", plan.kind) };
    assert_eq!(spec.model_problem(), None);
    let long = ScheduleSpec { name: "s".repeat(65), ..spec.clone() };
    assert_eq!(long.model_problem().as_deref(), Some("Scheduler would refuse this request's Name"));
    let empty = ScheduleSpec { input: String::new(), zone: "z".repeat(51), ..spec.clone() };
    let both = empty.model_problem().unwrap_or_default();
    assert!(both.contains("ScheduleExpressionTimezone, Target.Input"), "{both}");
}

/// A revision whose image is another repository's same tag (`other/app:v13`, the service runs
/// `repo/app`) is another version: the plan says so and is refused without --other-repository.
#[test]
fn a_revision_of_another_repository_needs_its_override() {
    let (t, none) = (tenant(None, None), Overrides::default());
    let mut s = registered();
    s.revisions[0].image = "other/app:v13".into();
    let why = refusal(&request(&t, &s, &[], When::At(sunday_window()), &none));
    assert!(why.contains("the revision's image is other/app (other/app:v13), not of repo/app"), "{why}");
    assert!(why.contains("add --other-repository --reason TEXT"), "{why}");
    let given = Overrides::from_flags([false, false, false, true], Some("hotfix build from the fork")).unwrap();
    let plan = create(&request(&t, &s, &[], When::At(sunday_window()), &given)).expect("overridden");
    assert_eq!(plan.overrides[0].term, Term::OtherRepository);
}
