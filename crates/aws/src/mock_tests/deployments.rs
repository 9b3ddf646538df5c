//! ECS service deployments, service revisions, Stop/ContinueServiceDeployment and CodePipeline
//! stage transitions: moto implements none of them (ListServiceDeployments answers 500) and never
//! creates a second deployment, so these paths run against aws-smithy-mocks with the exact
//! requests asserted.

use aws_sdk_codepipeline::operation::disable_stage_transition::DisableStageTransitionOutput;
use aws_sdk_codepipeline::operation::enable_stage_transition::EnableStageTransitionOutput;
use aws_sdk_codepipeline::operation::get_pipeline_state::GetPipelineStateOutput;
use aws_sdk_codepipeline::types::{StageState, StageTransitionType, TransitionState};
use aws_sdk_ecs::operation::continue_service_deployment::ContinueServiceDeploymentOutput;
use aws_sdk_ecs::operation::describe_service_deployments::DescribeServiceDeploymentsOutput;
use aws_sdk_ecs::operation::describe_service_revisions::DescribeServiceRevisionsOutput;
use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
use aws_sdk_ecs::operation::list_service_deployments::ListServiceDeploymentsOutput;
use aws_sdk_ecs::operation::stop_service_deployment::StopServiceDeploymentOutput;
use aws_sdk_ecs::operation::update_service::UpdateServiceOutput;
use aws_sdk_ecs::types::{
    ContainerImage, DeploymentConfiguration, DeploymentLifecycleHook, DeploymentLifecycleHookAction,
    DeploymentLifecycleHookDetail, DeploymentLifecycleHookStatus, DeploymentLifecycleHookTargetType, Service,
    ServiceDeployment, ServiceDeploymentBrief, ServiceDeploymentStatus, ServiceRevision, ServiceRevisionSummary,
    StopServiceDeploymentStopType,
};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_types::DateTime;
use silo_core::deploy::PipelineStage;
use silo_core::model::Tenant;

const ACCOUNT: &str = "111122223333";

fn tenant() -> Tenant {
    Tenant {
        name: "acme".into(),
        account_id: ACCOUNT.into(),
        region: "sa-east-1".into(),
        ecs_cluster: "acme".into(),
        ecs_service: "app".into(),
        terms: Default::default(),
    }
}

/// DescribeTaskDefinition of `app:N`: its image is `repo/app:vN`.
fn describe_task_definitions() -> aws_smithy_mocks::Rule {
    mock!(aws_sdk_ecs::Client::describe_task_definition).then_compute_output(|r| {
        let arn = r.task_definition().unwrap_or_default().to_string();
        let n = arn.rsplit(':').next().unwrap_or("0").to_string();
        let container = aws_sdk_ecs::types::ContainerDefinition::builder().image(format!("repo/app:v{n}")).build();
        let def = aws_sdk_ecs::types::TaskDefinition::builder()
            .task_definition_arn(arn)
            .container_definitions(container)
            .build();
        aws_sdk_ecs::operation::describe_task_definition::DescribeTaskDefinitionOutput::builder()
            .task_definition(def)
            .build()
    })
}

fn td(n: u32) -> String {
    format!("arn:aws:ecs:sa-east-1:{ACCOUNT}:task-definition/app:{n}")
}

fn sd(n: u32) -> String {
    format!("arn:aws:ecs:sa-east-1:{ACCOUNT}:service-deployment/acme/app/d{n}")
}

fn sr(n: u32) -> String {
    format!("arn:aws:ecs:sa-east-1:{ACCOUNT}:service-revision/acme/app/r{n}")
}

fn service(current: u32) -> Service {
    let pause = DeploymentLifecycleHook::builder().target_type(DeploymentLifecycleHookTargetType::Pause).build();
    Service::builder()
        .service_name("app")
        .service_arn(format!("arn:aws:ecs:sa-east-1:{ACCOUNT}:service/acme/app"))
        .status("ACTIVE")
        .task_definition(td(current))
        .desired_count(4)
        .running_count(4)
        .deployment_configuration(DeploymentConfiguration::builder().lifecycle_hooks(pause).build())
        .build()
}

/// Deployment `n` (created at hour n) to revision r{n}; 25 of them exist, newest d25 waits at its hook.
fn deployment(n: u32) -> ServiceDeployment {
    let status = match n {
        25 => ServiceDeploymentStatus::InProgress,
        24 => ServiceDeploymentStatus::RollbackSuccessful,
        _ => ServiceDeploymentStatus::Successful,
    };
    let mut b = ServiceDeployment::builder()
        .service_deployment_arn(sd(n))
        .status(status)
        .created_at(DateTime::from_secs(1_780_000_000 + i64::from(n) * 3600))
        .target_service_revision(
            ServiceRevisionSummary::builder().arn(sr(n)).requested_task_count(4).running_task_count(2).build(),
        );
    if n == 25 {
        // A hook that already ran comes first: the one to continue is the one awaiting action.
        b = b.lifecycle_hook_details(
            DeploymentLifecycleHookDetail::builder()
                .hook_id("pre-scale-up")
                .target_type(DeploymentLifecycleHookTargetType::Pause)
                .status(DeploymentLifecycleHookStatus::Succeeded)
                .build(),
        );
        b = b.lifecycle_hook_details(
            DeploymentLifecycleHookDetail::builder()
                .hook_id("hold")
                .target_type(DeploymentLifecycleHookTargetType::Pause)
                .status(DeploymentLifecycleHookStatus::AwaitingAction)
                .expires_at(DateTime::from_secs(1_790_000_000))
                .timeout_action(DeploymentLifecycleHookAction::Rollback)
                .build(),
        );
    }
    b.build()
}

fn revision(arn: &str) -> ServiceRevision {
    let n: u32 = arn.rsplit('r').next().and_then(|s| s.parse().ok()).unwrap_or(0);
    ServiceRevision::builder()
        .service_revision_arn(arn)
        .task_definition(td(n))
        .container_images(ContainerImage::builder().image(format!("repo/app:v{n}")).build())
        .created_at(DateTime::from_secs(1_780_000_000 + i64::from(n) * 3600 - 600))
        .build()
}

#[tokio::test]
async fn history_reads_every_page_keeps_the_20_newest_and_describes_in_batches_of_20() {
    let describe_service = mock!(aws_sdk_ecs::Client::describe_services)
        .match_requests(|r| r.cluster() == Some("acme") && r.services() == ["app"])
        .then_output(|| DescribeServicesOutput::builder().services(service(23)).build());
    // Three pages, oldest first (the API promises no order): 1-10, 11-20, 21-25. Every page is
    // read and the 20 newest kept, so d25 (the one waiting at its hook) is not cut off.
    let page = |from: u32, to: u32, token: Option<&str>| {
        let briefs = (from..=to).map(|n| {
            ServiceDeploymentBrief::builder()
                .service_deployment_arn(sd(n))
                .created_at(DateTime::from_secs(1_780_000_000 + i64::from(n) * 3600))
                .build()
        });
        ListServiceDeploymentsOutput::builder()
            .set_service_deployments(Some(briefs.collect()))
            .set_next_token(token.map(str::to_string))
            .build()
    };
    fn asks(
        r: &aws_sdk_ecs::operation::list_service_deployments::ListServiceDeploymentsInput,
        token: Option<&str>,
    ) -> bool {
        r.cluster() == Some("acme")
            && r.service() == Some("app")
            && r.max_results() == Some(100)
            && r.next_token() == token
    }
    let first = mock!(aws_sdk_ecs::Client::list_service_deployments)
        .match_requests(move |r| asks(r, None))
        .then_output(move || page(1, 10, Some("t2")));
    let second = mock!(aws_sdk_ecs::Client::list_service_deployments)
        .match_requests(move |r| asks(r, Some("t2")))
        .then_output(move || page(11, 20, Some("t3")));
    let third = mock!(aws_sdk_ecs::Client::list_service_deployments)
        .match_requests(move |r| asks(r, Some("t3")))
        .then_output(move || page(21, 25, None));
    let describe = mock!(aws_sdk_ecs::Client::describe_service_deployments)
        .match_requests(|r| (1..=20).contains(&r.service_deployment_arns().len()))
        .then_compute_output(|r| {
            let found =
                r.service_deployment_arns().iter().filter_map(|a| a.rsplit('d').next()?.parse().ok()).map(deployment);
            DescribeServiceDeploymentsOutput::builder().set_service_deployments(Some(found.collect())).build()
        });
    let revisions = mock!(aws_sdk_ecs::Client::describe_service_revisions)
        .match_requests(|r| (1..=20).contains(&r.service_revision_arns().len()))
        .then_compute_output(|r| {
            let found = r.service_revision_arns().iter().map(|a| revision(a));
            DescribeServiceRevisionsOutput::builder().set_service_revisions(Some(found.collect())).build()
        });
    // Registered but never deployed: app:26 (the next version) joins the known revisions.
    let family = mock!(aws_sdk_ecs::Client::list_task_definitions)
        .match_requests(|r| r.family_prefix() == Some("app"))
        .then_output(|| {
            aws_sdk_ecs::operation::list_task_definitions::ListTaskDefinitionsOutput::builder()
                .set_task_definition_arns(Some(vec![td(26), td(25)]))
                .build()
        });
    let describe_td = describe_task_definitions();
    let client = mock_client!(
        aws_sdk_ecs,
        RuleMode::MatchAny,
        [&describe_service, &first, &second, &third, &describe, &revisions, &family, &describe_td]
    );
    let status = crate::ecs_deploy::status(&client, &tenant()).await.expect("status");
    assert_eq!(family.num_calls(), 1);
    assert_eq!(describe_td.num_calls(), 1, "app:25 came with the history: only app:26 is described");
    assert_eq!((first.num_calls(), second.num_calls(), third.num_calls()), (1, 1, 1), "every page");
    assert_eq!(describe.num_calls(), 1, "20 ARNs: one DescribeServiceDeployments");
    assert_eq!(revisions.num_calls(), 1, "20 revisions: one DescribeServiceRevisions");
    assert_eq!(status.history_source, "service_deployments");
    assert_eq!(status.deployments.len(), 20);
    assert_eq!(status.deployments[0].id, sd(25), "newest first");
    assert_eq!(status.deployments[19].id, sd(6), "the 20 newest");
    assert!(status.paused() && status.pause_hook);
    let hook = status.waiting_hook().map(|(_, h)| h.clone()).expect("waiting hook");
    assert_eq!((hook.hook_id.as_str(), hook.timeout_action.as_deref()), ("hold", Some("ROLLBACK")));
    assert_eq!(status.deployments[0].task_definition.as_deref(), Some("app:25"));
    assert_eq!((status.deployments[0].running, status.deployments[0].requested), (2, 4));
    assert_eq!(status.image, "repo/app:v23", "the current revision's image");
    assert_eq!(status.revisions.first().map(|r| r.number), Some(26), "registered, never deployed");
    assert_eq!(status.revisions[1].number, 25);
    assert_eq!(status.last_good_revision().map(|r| r.number), Some(22), "24 rolled back, 23 runs now");
}

#[tokio::test]
async fn without_service_deployment_apis_history_falls_back_to_describe_services_and_the_family() {
    let describe_service = mock!(aws_sdk_ecs::Client::describe_services).then_output(|| {
        let primary = aws_sdk_ecs::types::Deployment::builder()
            .id("ecs-svc/1")
            .status("PRIMARY")
            .task_definition(td(3))
            .rollout_state(aws_sdk_ecs::types::DeploymentRolloutState::Completed)
            .build();
        let mut s = service(3);
        s.deployments = Some(vec![primary]);
        DescribeServicesOutput::builder().services(s).build()
    });
    let unavailable = mock!(aws_sdk_ecs::Client::list_service_deployments).then_error(|| {
        aws_sdk_ecs::operation::list_service_deployments::ListServiceDeploymentsError::unhandled(
            "UnknownOperationException",
        )
    });
    // ListTaskDefinitions matches the family as a prefix: app-worker must be left out.
    let family = mock!(aws_sdk_ecs::Client::list_task_definitions)
        .match_requests(|r| r.family_prefix() == Some("app") && r.sort() == Some(&aws_sdk_ecs::types::SortOrder::Desc))
        .then_output(|| {
            let arns =
                vec![td(1), td(3), td(2), "arn:aws:ecs:sa-east-1:111122223333:task-definition/app-worker:9".into()];
            aws_sdk_ecs::operation::list_task_definitions::ListTaskDefinitionsOutput::builder()
                .set_task_definition_arns(Some(arns))
                .build()
        });
    let describe_td = describe_task_definitions();
    let client =
        mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&describe_service, &unavailable, &family, &describe_td]);
    let status = crate::ecs_deploy::status(&client, &tenant()).await.expect("status");
    assert_eq!(status.history_source, "describe_services");
    assert!(status.notes[0].starts_with("ListServiceDeployments unavailable"), "{:?}", status.notes);
    let numbers: Vec<u32> = status.revisions.iter().map(|r| r.number).collect();
    assert_eq!(numbers, vec![3, 2, 1], "newest first, this family only");
    assert_eq!(describe_td.num_calls(), 3);
    assert_eq!(status.image, "repo/app:v3");
    assert_eq!(status.deployments[0].status, "PRIMARY");
    assert!(status.in_flight().is_none());
    // Only the current deployment is known: no earlier one ran, as far as silo can tell.
    assert_eq!(status.last_good_revision().map(|r| r.number), None);
    let refused = silo_core::plan::deploy::rollback(&status, None).unwrap_err().to_string();
    assert!(refused.contains("ListServiceDeployments is unavailable"), "{refused}");
}

#[tokio::test]
async fn stop_and_continue_send_exactly_the_planned_request() {
    let stop = mock!(aws_sdk_ecs::Client::stop_service_deployment)
        .match_requests(|r| {
            r.service_deployment_arn() == Some(sd(25).as_str())
                && r.stop_type() == Some(&StopServiceDeploymentStopType::Rollback)
        })
        .then_output(|| StopServiceDeploymentOutput::builder().service_deployment_arn(sd(25)).build());
    let cont = mock!(aws_sdk_ecs::Client::continue_service_deployment)
        .match_requests(|r| {
            r.service_deployment_arn() == Some(sd(25).as_str())
                && r.hook_id() == Some("hold")
                && r.action() == Some(&DeploymentLifecycleHookAction::Continue)
        })
        .then_output(|| ContinueServiceDeploymentOutput::builder().service_deployment_arn(sd(25)).build());
    let client = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&stop, &cont]);
    crate::ecs_deploy::stop_rollback(&client, &sd(25)).await.expect("stop");
    crate::ecs_deploy::continue_hook(&client, &sd(25), "hold", "CONTINUE").await.expect("continue");
    assert_eq!((stop.num_calls(), cont.num_calls()), (1, 1));
}

#[tokio::test]
async fn update_service_rechecks_the_current_revision_right_before_the_call() {
    let moved_on = mock!(aws_sdk_ecs::Client::describe_services)
        .then_output(|| DescribeServicesOutput::builder().services(service(24)).build());
    let update = mock!(aws_sdk_ecs::Client::update_service).then_output(|| UpdateServiceOutput::builder().build());
    let client = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&moved_on, &update]);
    let err = crate::ecs_deploy::update_to(&client, ("acme", "app"), "app:23", &td(22)).await.unwrap_err();
    assert!(err.message.contains("the service now runs app:24, not app:23"), "{err}");
    assert_eq!(update.num_calls(), 0, "nothing sent when the service changed since the plan");

    let same = mock!(aws_sdk_ecs::Client::describe_services)
        .then_output(|| DescribeServicesOutput::builder().services(service(23)).build());
    let update = mock!(aws_sdk_ecs::Client::update_service)
        .match_requests(|r| {
            r.cluster() == Some("acme") && r.service() == Some("app") && r.task_definition() == Some(td(22).as_str())
        })
        .then_output(|| UpdateServiceOutput::builder().build());
    let client = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&same, &update]);
    crate::ecs_deploy::update_to(&client, ("acme", "app"), "app:23", &td(22)).await.expect("update");
    assert_eq!(update.num_calls(), 1);
}

#[tokio::test]
async fn update_service_is_refused_while_a_deployment_is_in_flight() {
    let busy = mock!(aws_sdk_ecs::Client::describe_services).then_output(|| {
        let d = |id: &str, status: &str| {
            aws_sdk_ecs::types::Deployment::builder().id(id).status(status).task_definition(td(23)).build()
        };
        let mut s = service(23);
        s.deployments = Some(vec![d("ecs-svc/2", "PRIMARY"), d("ecs-svc/1", "ACTIVE")]);
        DescribeServicesOutput::builder().services(s).build()
    });
    let update = mock!(aws_sdk_ecs::Client::update_service).then_output(|| UpdateServiceOutput::builder().build());
    let client = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&busy, &update]);
    let err = crate::ecs_deploy::update_to(&client, ("acme", "app"), "app:23", &td(22)).await.unwrap_err();
    assert!(err.message.contains("is in flight"), "{err}");
    assert_eq!(update.num_calls(), 0);
}

fn stage() -> PipelineStage {
    PipelineStage { account_id: "999988887777".into(), pipeline: "acme-release".into(), stage: "Production".into() }
}

#[tokio::test]
async fn a_freeze_is_read_from_the_stage_inbound_transition() {
    let state = mock!(aws_sdk_codepipeline::Client::get_pipeline_state)
        .match_requests(|r| r.name() == Some("acme-release"))
        .then_output(|| {
            let disabled = TransitionState::builder()
                .enabled(false)
                .disabled_reason("month end\u{1b}[2J close")
                .last_changed_by("arn:aws:sts::1:assumed-role/Release/maria")
                .build();
            let stages = vec![
                StageState::builder().stage_name("Build").build(),
                StageState::builder().stage_name("Production").inbound_transition_state(disabled).build(),
            ];
            GetPipelineStateOutput::builder().set_stage_states(Some(stages)).build()
        });
    let client = mock_client!(aws_sdk_codepipeline, RuleMode::MatchAny, [&state]);
    let freeze = crate::codepipeline::freeze(&client, &stage()).await.expect("state").expect("frozen");
    assert_eq!(freeze.reason, "month end close", "escape sequences stripped");
    assert_eq!(freeze.by.as_deref(), Some("arn:aws:sts::1:assumed-role/Release/maria"));
    let mut other = stage();
    other.stage = "Deploy".into();
    let missing = crate::codepipeline::freeze(&client, &other).await.unwrap_err();
    assert!(missing.message.contains("pipeline acme-release has no stage \"Deploy\""), "{missing}");
}

#[tokio::test]
async fn freeze_and_unfreeze_disable_and_enable_the_inbound_transition() {
    let disable = mock!(aws_sdk_codepipeline::Client::disable_stage_transition)
        .match_requests(|r| {
            r.pipeline_name() == Some("acme-release")
                && r.stage_name() == Some("Production")
                && r.transition_type() == Some(&StageTransitionType::Inbound)
                && r.reason() == Some("customer asked")
        })
        .then_output(|| DisableStageTransitionOutput::builder().build());
    let enable = mock!(aws_sdk_codepipeline::Client::enable_stage_transition)
        .match_requests(|r| {
            r.pipeline_name() == Some("acme-release")
                && r.stage_name() == Some("Production")
                && r.transition_type() == Some(&StageTransitionType::Inbound)
        })
        .then_output(|| EnableStageTransitionOutput::builder().build());
    let client = mock_client!(aws_sdk_codepipeline, RuleMode::MatchAny, [&disable, &enable]);
    crate::codepipeline::set_frozen(&client, "acme-release", "Production", Some("customer asked"))
        .await
        .expect("freeze");
    crate::codepipeline::set_frozen(&client, "acme-release", "Production", None).await.expect("unfreeze");
    assert_eq!((disable.num_calls(), enable.num_calls()), (1, 1));
}

fn stop_answering_500() -> aws_smithy_mocks::Rule {
    mock!(aws_sdk_ecs::Client::stop_service_deployment)
        .match_requests(|r| r.service_deployment_arn() == Some(sd(25).as_str()))
        .then_error(|| {
            aws_sdk_ecs::operation::stop_service_deployment::StopServiceDeploymentError::unhandled(
                "InternalFailure: the connection closed before the answer",
            )
        })
}

fn deployment_now(status: ServiceDeploymentStatus) -> aws_smithy_mocks::Rule {
    mock!(aws_sdk_ecs::Client::describe_service_deployments)
        .match_requests(|r| r.service_deployment_arns() == [sd(25)])
        .then_output(move || {
            let mut d = deployment(25);
            d.status = Some(status.clone());
            DescribeServiceDeploymentsOutput::builder().service_deployments(d).build()
        })
}

/// A stop that answers an error, then the re-read of the deployment, now in `status`: the
/// outcome, after asserting that each call was made exactly once.
async fn stop_erring_then_reread(
    status: ServiceDeploymentStatus,
) -> Result<silo_core::plan::ActionOutcome, silo_core::error::FetchError> {
    let (stop, now) = (stop_answering_500(), deployment_now(status));
    let client = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&stop, &now]);
    let change = silo_core::plan::deploy::DeployChange::StopRollback { deployment_arn: sd(25) };
    let error = crate::ecs_deploy::stop_rollback(&client, &sd(25)).await.expect_err("the mock answers an error");
    let seen = crate::ecs_deploy::seen_deployment(&client, &sd(25), None).await;
    assert_eq!((stop.num_calls(), now.num_calls()), (1, 1));
    crate::deployments::after_write_error(&change, error, seen)
}

/// A write that errs is sent once; the re-read that follows decides: here the stop did run.
#[tokio::test]
async fn a_stop_that_errs_but_ran_is_done_after_the_re_read() {
    let outcome = stop_erring_then_reread(ServiceDeploymentStatus::RollbackInProgress).await.expect("it ran");
    assert_eq!(outcome.succeeded, 1);
    let why = outcome.verified_after_error.unwrap_or_default();
    assert!(why.contains("re-read shows the deployment is ROLLBACK_IN_PROGRESS"), "{why}");
}

#[tokio::test]
async fn a_stop_that_errs_and_did_not_run_fails_with_what_is_true_now() {
    let failed = stop_erring_then_reread(ServiceDeploymentStatus::InProgress).await.expect_err("it did not run");
    assert!(failed.message.contains("re-read now: the deployment is IN_PROGRESS"), "{}", failed.message);
    assert!(failed.message.contains("InternalFailure"), "{}", failed.message);
}

#[tokio::test]
async fn a_continue_is_judged_by_the_hook_it_named() {
    let now = mock!(aws_sdk_ecs::Client::describe_service_deployments).then_output(|| {
        let mut d = deployment(25);
        d.lifecycle_hook_details = Some(vec![DeploymentLifecycleHookDetail::builder()
            .hook_id("hold")
            .status(DeploymentLifecycleHookStatus::Succeeded)
            .build()]);
        DescribeServiceDeploymentsOutput::builder().service_deployments(d).build()
    });
    let client = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&now]);
    let seen = crate::ecs_deploy::seen_deployment(&client, &sd(25), Some("hold")).await.expect("read");
    let other = crate::ecs_deploy::seen_deployment(&client, &sd(25), Some("another")).await.expect("read");
    let change = silo_core::plan::deploy::DeployChange::ContinueHook {
        deployment_arn: sd(25),
        hook_id: "hold".into(),
        action: "CONTINUE".into(),
    };
    assert!(change.took_effect(&seen));
    assert!(!change.took_effect(&other), "a hook the change did not name says nothing: {other:?}");
}

/// Lifting a freeze re-reads the transition first: another operator's newer freeze is shown,
/// with who, when and why, and not lifted.
#[tokio::test]
async fn an_unfreeze_is_refused_when_the_stage_was_frozen_again_since_the_plan() {
    let state = mock!(aws_sdk_codepipeline::Client::get_pipeline_state).then_output(|| {
        let disabled = TransitionState::builder()
            .enabled(false)
            .disabled_reason("incident 4711")
            .last_changed_by("arn:aws:sts::1:assumed-role/Release/joao")
            .last_changed_at(DateTime::from_secs(1_790_000_600))
            .build();
        let stages = vec![StageState::builder().stage_name("Production").inbound_transition_state(disabled).build()];
        GetPipelineStateOutput::builder().set_stage_states(Some(stages)).build()
    });
    let client = mock_client!(aws_sdk_codepipeline, RuleMode::MatchAny, [&state]);
    let planned = chrono::DateTime::from_timestamp(1_790_000_000, 0);
    let refused = crate::codepipeline::still_frozen_as_planned(&client, &stage(), planned).await.unwrap_err();
    assert!(refused.message.contains("frozen again since the plan"), "{}", refused.message);
    assert!(
        refused.message.contains("Release/joao") && refused.message.contains("incident 4711"),
        "{}",
        refused.message
    );
    let same = chrono::DateTime::from_timestamp(1_790_000_600, 0);
    crate::codepipeline::still_frozen_as_planned(&client, &stage(), same).await.expect("the freeze the plan saw");
}

/// An enum value this SDK does not know arrives as AWS sent it: it is sanitized like any text.
#[tokio::test]
async fn an_unknown_enum_value_is_sanitized_before_it_reaches_a_screen() {
    let now = mock!(aws_sdk_ecs::Client::describe_service_deployments).then_output(|| {
        let mut d = deployment(25);
        d.status = Some(ServiceDeploymentStatus::from("NEW_STATE\u{1b}]0;owned\u{7}\u{202e}"));
        DescribeServiceDeploymentsOutput::builder().service_deployments(d).build()
    });
    let client = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&now]);
    let seen = crate::ecs_deploy::seen_deployment(&client, &sd(25), None).await.expect("read");
    assert_eq!(seen, silo_core::plan::reread::Seen::Deployment { status: "NEW_STATE".into(), hook_status: None });
}
