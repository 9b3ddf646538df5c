//! A tenant's deployment changes as AWS calls: the one write each makes (ECS or CodePipeline,
//! with the operator configuration, never retried) and, after an error or a timeout, the re-read
//! that says what is true now.

use super::{codepipeline, ecs, ecs_deploy};
use aws_config::SdkConfig;
use silo_core::deploy::PipelineStage;
use silo_core::error::FetchError;
use silo_core::plan::deploy::DeployChange;
use silo_core::plan::reread::Seen;
use silo_core::plan::ActionOutcome;

/// The one call a deployment change makes; its request id.
pub(crate) async fn write(sdk: &SdkConfig, account: &str, change: &DeployChange) -> Result<Option<String>, FetchError> {
    let ecs_client = || ecs::client(sdk, account);
    match change {
        DeployChange::StopRollback { deployment_arn } => ecs_deploy::stop_rollback(&ecs_client(), deployment_arn).await,
        DeployChange::ContinueHook { deployment_arn, hook_id, action } => {
            ecs_deploy::continue_hook(&ecs_client(), deployment_arn, hook_id, action).await
        }
        DeployChange::UpdateService { cluster, service, from, to } => {
            ecs_deploy::update_to(&ecs_client(), (cluster, service), from, to).await
        }
        DeployChange::Freeze { pipeline, stage, reason } => {
            codepipeline::set_frozen(&codepipeline::client(sdk, account), pipeline, stage, Some(reason)).await
        }
        DeployChange::Unfreeze { pipeline, stage, frozen_at } => {
            let client = codepipeline::client(sdk, account);
            let seen =
                PipelineStage { account_id: account.to_string(), pipeline: pipeline.clone(), stage: stage.clone() };
            codepipeline::still_frozen_as_planned(&client, &seen, *frozen_at).await?;
            codepipeline::set_frozen(&client, pipeline, stage, None).await
        }
    }
}

/// What is true now of the state `change` was meant to make, read with the read role.
pub(crate) async fn reread(sdk: &SdkConfig, account: &str, change: &DeployChange) -> Result<Seen, FetchError> {
    let ecs_client = || ecs::client(sdk, account);
    let stage = |pipeline: &str, stage: &str| PipelineStage {
        account_id: account.to_string(),
        pipeline: pipeline.to_string(),
        stage: stage.to_string(),
    };
    match change {
        DeployChange::StopRollback { deployment_arn } => {
            ecs_deploy::seen_deployment(&ecs_client(), deployment_arn, None).await
        }
        DeployChange::ContinueHook { deployment_arn, hook_id, .. } => {
            ecs_deploy::seen_deployment(&ecs_client(), deployment_arn, Some(hook_id)).await
        }
        DeployChange::UpdateService { cluster, service, .. } => {
            ecs_deploy::seen_service(&ecs_client(), cluster, service).await
        }
        DeployChange::Freeze { pipeline, stage: name, .. } | DeployChange::Unfreeze { pipeline, stage: name, .. } => {
            codepipeline::seen_transition(&codepipeline::client(sdk, account), &stage(pipeline, name)).await
        }
    }
}

/// A write that answered with an error (or none in time) may still have run: a re-read that
/// shows the change in place makes it done; otherwise the error stands, with what is true now.
pub(crate) fn after_write_error(
    change: &DeployChange,
    error: FetchError,
    seen: Result<Seen, FetchError>,
) -> Result<ActionOutcome, FetchError> {
    let message = match seen.map(|seen| change.reread(&seen)) {
        Ok(reread) if reread.took_effect => {
            let why = format!("the call answered {:?}, but a re-read shows {}", error.to_string(), reread.now);
            return Ok(ActionOutcome { verified_after_error: Some(why), ..ActionOutcome::one(None) });
        }
        Ok(reread) => format!("{}; re-read now: {}, so the change is not in place", error.message, reread.now),
        Err(e) => format!("{}; the re-read failed too ({e}): look at the tenant before trying again", error.message),
    };
    Err(FetchError { message, ..error })
}
