use super::*;
use crate::deploy::tests::{deployment, paused, status};
use crate::deploy::{Freeze, PipelineStage};

fn stage() -> PipelineStage {
    PipelineStage { account_id: "999988887777".into(), pipeline: "acme-release".into(), stage: "Production".into() }
}

fn change(plan: &ActionPlan) -> &DeployChange {
    match &plan.kind {
        ActionKind::Deploy(c) => c,
        other => panic!("not a deployment plan: {other:?}"),
    }
}

#[test]
fn rollback_of_a_completed_deployment_goes_to_the_last_good_revision() {
    let plan = rollback(&status(), None).unwrap();
    assert_eq!(plan.api, "ecs:UpdateService");
    assert_eq!(
        plan.parameters,
        serde_json::json!({"cluster": "acme", "service": "app",
            "taskDefinition": "arn:aws:ecs:sa-east-1:111122223333:task-definition/app:10"})
    );
    assert_eq!(
        change(&plan),
        &DeployChange::UpdateService {
            cluster: "acme".into(),
            service: "app".into(),
            from: "app:12".into(),
            to: "arn:aws:ecs:sa-east-1:111122223333:task-definition/app:10".into(),
        }
    );
    assert_eq!((plan.account.as_str(), plan.region.as_str()), ("111122223333", "sa-east-1"));
    assert_eq!(plan.confirmation(&crate::tenant_lookup::SharedNames::none()), "acme");
    assert!(plan.describe().iter().any(|l| l.contains("from:       app:12 (image v12)")));
}

#[test]
fn rollback_to_a_chosen_revision_and_refusals() {
    let plan = rollback(&status(), Some(9)).unwrap();
    assert_eq!(plan.parameters["taskDefinition"], "arn:aws:ecs:sa-east-1:111122223333:task-definition/app:9");
    let current = rollback(&status(), Some(12)).unwrap_err().to_string();
    assert_eq!(current, "acme already runs app:12");
    let unknown = rollback(&status(), Some(3)).unwrap_err().to_string();
    assert!(unknown.contains("revision 3 is not one acme can go back to; known revisions: 12, 11, 10, 9"), "{unknown}");
}

#[test]
fn a_deployment_in_flight_is_stopped_with_rollback() {
    let mut s = status();
    s.deployments.insert(0, deployment(13, "IN_PROGRESS"));
    let plan = rollback(&s, None).unwrap();
    assert_eq!(plan.api, "ecs:StopServiceDeployment");
    assert_eq!(
        plan.parameters,
        serde_json::json!({"serviceDeploymentArn": "arn:aws:ecs:sa-east-1:111122223333:service-deployment/c/app/13", "stopType": "ROLLBACK"})
    );
    let chosen = rollback(&s, Some(10)).unwrap_err().to_string();
    assert!(chosen.contains("a deployment is in flight for acme (IN_PROGRESS)"), "{chosen}");
}

#[test]
fn a_deployment_waiting_at_its_hook_is_rolled_back_at_the_hook() {
    let plan = rollback(&paused(), None).unwrap();
    assert_eq!(plan.api, "ecs:ContinueServiceDeployment");
    assert_eq!(plan.parameters["action"], "ROLLBACK");
    assert_eq!(plan.parameters["hookId"], "hold");
}

#[test]
fn a_rollback_already_under_way_is_not_planned_twice() {
    let mut s = status();
    s.deployments.insert(0, deployment(13, "ROLLBACK_IN_PROGRESS"));
    let e = rollback(&s, None).unwrap_err().to_string();
    assert_eq!(e, "acme's deployment is already ROLLBACK_IN_PROGRESS: nothing to do but wait");
}

#[test]
fn fallback_deployments_without_an_arn_cannot_be_stopped() {
    let mut s = status();
    let mut d = deployment(13, "PRIMARY");
    d.id = "ecs-svc/123".into();
    d.rollout_state = Some("IN_PROGRESS".into());
    s.deployments.insert(0, d);
    let e = rollback(&s, None).unwrap_err().to_string();
    assert!(e.contains("no service deployment ARN because ListServiceDeployments is unavailable"), "{e}");
}

#[test]
fn resume_continues_the_hook_or_lifts_the_freeze() {
    let plan = resume(&paused()).unwrap();
    assert_eq!((plan.api.as_str(), &plan.parameters["action"]), ("ecs:ContinueServiceDeployment", &"CONTINUE".into()));
    let mut frozen = status();
    frozen.pipeline = Some(stage());
    frozen.freeze = Some(Freeze { reason: "month end".into(), by: None, at: None });
    let plan = resume(&frozen).unwrap();
    assert_eq!(plan.api, "codepipeline:EnableStageTransition");
    assert_eq!(plan.account, "999988887777", "the call goes to the pipeline's account");
    assert_eq!(
        plan.parameters,
        serde_json::json!({"pipelineName": "acme-release", "stageName": "Production", "transitionType": "Inbound"})
    );
    let nothing = resume(&status()).unwrap_err().to_string();
    assert!(nothing.starts_with("nothing to resume for acme"), "{nothing}");
}

#[test]
fn pause_freezes_the_stage_with_the_reason() {
    let mut s = paused();
    s.pipeline = Some(stage());
    let Planned::Action(plan) = pause(&s, "customer asked to wait").unwrap() else { panic!("a freeze is planned") };
    assert_eq!(plan.api, "codepipeline:DisableStageTransition");
    assert_eq!(plan.parameters["reason"], "customer asked to wait");
    assert!(plan
        .describe()
        .iter()
        .any(|l| l.contains("waits at PAUSE hook hold until 2026-11-29 20:00 UTC, then ECS will ROLLBACK")));
    assert!(pause(&s, "  ").unwrap_err().to_string().contains("a reason is required"));
    assert!(pause(&s, &"x".repeat(301)).unwrap_err().to_string().contains("300 characters"));
}

#[test]
fn pause_says_plainly_when_nothing_is_needed_or_possible() {
    let Planned::Nothing(text) = pause(&paused(), "").unwrap() else { panic!("no call for a waiting hook") };
    assert!(text.contains("waits at PAUSE hook hold") && text.contains("no call needed"), "{text}");
    let mut frozen = status();
    frozen.pipeline = Some(stage());
    frozen.freeze = Some(Freeze { reason: "month end".into(), by: None, at: None });
    let Planned::Nothing(text) = pause(&frozen, "again").unwrap() else { panic!("already frozen") };
    assert!(text.contains("already frozen (\"month end\")"), "{text}");
    let mut bare = status();
    bare.pause_hook = false;
    let e = pause(&bare, "why").unwrap_err().to_string();
    assert!(e.contains("no PAUSE lifecycle hook") && e.contains("no pipeline stage is configured"), "{e}");
}

#[test]
fn a_batch_confirmation_names_the_count() {
    let plans = vec![rollback(&status(), None).unwrap(), rollback(&paused(), None).unwrap()];
    assert_eq!(batch_confirmation(&plans), "roll back 2 tenants");
}

#[test]
fn without_a_known_good_revision_the_target_must_be_named() {
    let mut s = status();
    s.deployments.clear();
    let refused = rollback(&s, None).unwrap_err().to_string();
    assert!(refused.contains("choose the revision: --to-revision N"), "{refused}");
    assert!(refused.contains("revisions: app:12, app:11, app:10"), "{refused}");
    let chosen = rollback(&s, Some(11)).expect("a named revision is planned");
    assert_eq!(chosen.api, "ecs:UpdateService");
}

#[test]
fn a_freeze_reason_aws_would_refuse_is_refused_before_the_confirmation() {
    let refused = |reason: &str| freeze_reason(reason).unwrap_err().to_string();
    assert_eq!(
        freeze_reason("INC-1234 (db failover) at 10.30?").ok().as_deref(),
        Some("INC-1234 (db failover) at 10.30?")
    );
    let why = refused("incident #42: rollback, ver. São Paulo, #43");
    assert!(why.contains("not '#' ':' ',' 'ã'"), "{why}");
    assert!(refused("   ").contains("a reason is required"));
}
