use super::*;
use chrono::TimeZone;

pub fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, h, 0, 0).unwrap()
}

pub fn deployment(n: u32, status: &str) -> Deployment {
    Deployment {
        id: format!("arn:aws:ecs:sa-east-1:111122223333:service-deployment/c/app/{n}"),
        status: status.into(),
        status_reason: None,
        rollout_state: None,
        lifecycle_stage: None,
        started_at: Some(at(n % 24)),
        finished_at: None,
        task_definition: Some(format!("app:{n}")),
        image: Some(format!("repo/app:v{n}")),
        running: 1,
        requested: 4,
        circuit_breaker: None,
        alarms: None,
        hook: None,
    }
}

pub fn revision(n: u32) -> Revision {
    Revision {
        task_definition: format!("app:{n}"),
        task_definition_arn: format!("arn:aws:ecs:sa-east-1:111122223333:task-definition/app:{n}"),
        number: n,
        image: format!("repo/app:v{n}"),
        created_at: Some(at(n % 24)),
    }
}

/// acme runs app:12 (deployed after 11 failed and 10 succeeded), revisions 9–12.
pub fn status() -> DeployStatus {
    DeployStatus {
        tenant: "acme".into(),
        account_id: "111122223333".into(),
        region: "sa-east-1".into(),
        cluster: "acme".into(),
        service: "app".into(),
        service_arn: "arn:aws:ecs:sa-east-1:111122223333:service/acme/app".into(),
        task_definition: "app:12".into(),
        task_definition_arn: "arn:aws:ecs:sa-east-1:111122223333:task-definition/app:12".into(),
        image: "repo/app:v12".into(),
        desired: 4,
        running: 4,
        pending: 0,
        deployments: vec![
            deployment(12, "SUCCESSFUL"),
            deployment(11, "ROLLBACK_SUCCESSFUL"),
            deployment(10, "SUCCESSFUL"),
        ],
        revisions: (9..=12).rev().map(revision).collect(),
        freeze: None,
        pipeline: None,
        pause_hook: true,
        history_source: "service_deployments".into(),
        service_events: Vec::new(),
        notes: Vec::new(),
    }
}

pub fn paused() -> DeployStatus {
    let mut s = status();
    let mut d = deployment(13, "IN_PROGRESS");
    d.hook = Some(HookWait {
        hook_id: "hold".into(),
        target_type: "PAUSE".into(),
        status: "AWAITING_ACTION".into(),
        expires_at: Some(at(20)),
        timeout_action: Some("ROLLBACK".into()),
    });
    s.deployments.insert(0, d);
    s
}

#[test]
fn last_good_revision_skips_the_failed_build_and_the_current_one() {
    // app:11 is the previous revision, but its deployment rolled back: app:10 is the last good.
    assert_eq!(status().last_good_revision().map(|r| r.number), Some(10));
}

#[test]
fn without_a_successful_deployment_no_earlier_revision_is_guessed() {
    let mut s = status();
    s.deployments.clear();
    assert_eq!(s.last_good_revision().map(|r| r.number), None, "app:11 may be a build that never ran");
}

#[test]
fn a_deployment_waiting_at_a_pause_hook_is_paused_and_in_flight() {
    let s = paused();
    assert_eq!(s.in_flight().map(|d| d.task_definition.as_deref()), Some(Some("app:13")));
    assert_eq!(s.waiting_hook().map(|(_, h)| h.hook_id.as_str()), Some("hold"));
    assert_eq!(s.state_label(), "PAUSED");
}

#[test]
fn lambda_hooks_and_finished_hooks_are_not_pauses() {
    let mut s = paused();
    if let Some(h) = s.deployments[0].hook.as_mut() {
        h.target_type = "AWS_LAMBDA".into();
    }
    assert!(s.waiting_hook().is_none());
    assert_eq!(s.state_label(), "DEPLOYING 25%");
}

#[test]
fn fallback_deployments_are_in_flight_by_rollout_state() {
    let mut d = deployment(5, "PRIMARY");
    d.rollout_state = Some("IN_PROGRESS".into());
    assert!(d.in_flight());
    d.rollout_state = Some("COMPLETED".into());
    assert!(!d.in_flight() && d.succeeded());
    d.rollout_state = Some("FAILED".into());
    assert!(d.failed());
}

#[test]
fn revision_numbers_and_image_tags_are_read_from_references() {
    assert_eq!(revision_number("arn:aws:ecs:r:1:task-definition/app:42"), Some(42));
    assert_eq!(revision_number("app"), None);
    assert_eq!(with_revision("app:42", 7), "app:7");
    assert_eq!(image_tag("123.dkr.ecr.r.amazonaws.com/team/app:2026.11.3"), "2026.11.3");
    assert_eq!(image_tag("localhost:5000/app"), "app");
    assert_eq!(image_tag("repo/app@sha256:abc"), "sha256:abc");
}
