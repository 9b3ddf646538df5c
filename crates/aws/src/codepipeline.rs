//! Deploy freezes: the inbound transition of a tenant's pipeline stage, read with
//! GetPipelineState and changed with Disable/EnableStageTransition.

use super::errors::classify;
use super::time::to_chrono;
use aws_sdk_codepipeline::types::StageTransitionType;
use aws_sdk_codepipeline::Client;
use aws_types::request_id::RequestId;
use silo_core::deploy::{Freeze, PipelineStage};
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::AwsService;
use silo_core::plan::reread::Seen;

const SERVICE: AwsService = AwsService::Codepipeline;

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let partition = format!("codepipeline-{account_id}");
    let conf = aws_sdk_codepipeline::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(partition))
        .build();
    Client::from_conf(conf)
}

/// The freeze on the stage's inbound transition, or None when transitions are enabled.
pub async fn freeze(client: &Client, stage: &PipelineStage) -> Result<Option<Freeze>, FetchError> {
    let out = client.get_pipeline_state().name(&stage.pipeline).send().await.map_err(|e| classify(SERVICE, e))?;
    let found = out.stage_states().iter().find(|s| s.stage_name() == Some(stage.stage.as_str()));
    let Some(found) = found else {
        let message = format!("pipeline {} has no stage {:?}", stage.pipeline, stage.stage);
        return Err(FetchError::new(SERVICE, ErrorKind::NotFound, message));
    };
    let Some(state) = found.inbound_transition_state().filter(|t| !t.enabled()) else { return Ok(None) };
    Ok(Some(Freeze {
        reason: silo_core::sanitize::clean(state.disabled_reason().unwrap_or("")),
        by: state.last_changed_by().map(silo_core::sanitize::clean),
        at: state.last_changed_at().and_then(to_chrono),
    }))
}

/// Right before lifting a freeze: the stage is still frozen by the freeze the plan saw (set at
/// `planned`), else the lift is refused with who froze it, when and why.
pub(crate) async fn still_frozen_as_planned(
    client: &Client,
    stage: &PipelineStage,
    planned: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<(), FetchError> {
    let refused = |why: String| Err(FetchError::new(SERVICE, ErrorKind::Other, why));
    match freeze(client, stage).await? {
        None => refused(format!("refused: {}/{} is not frozen any more; nothing to lift", stage.pipeline, stage.stage)),
        Some(now) if now.at != planned => {
            let at = now.at.map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string()).unwrap_or_else(|| "?".into());
            let by = now.by.as_deref().unwrap_or("someone unknown");
            refused(format!(
                "refused: {}/{} was frozen again since the plan, by {by} at {at}: {:?}; look again and re-plan",
                stage.pipeline, stage.stage, now.reason
            ))
        }
        Some(_) => Ok(()),
    }
}

/// After a failed Disable/EnableStageTransition: whether the inbound transition is enabled now.
pub(crate) async fn seen_transition(client: &Client, stage: &PipelineStage) -> Result<Seen, FetchError> {
    Ok(Seen::Transition { enabled: freeze(client, stage).await?.is_none() })
}

/// Disables (`Some(reason)`) or enables (`None`) the inbound transition; returns the request id.
pub(crate) async fn set_frozen(
    client: &Client,
    pipeline: &str,
    stage: &str,
    reason: Option<&str>,
) -> Result<Option<String>, FetchError> {
    let inbound = StageTransitionType::Inbound;
    let id = match reason {
        Some(reason) => {
            let call = client.disable_stage_transition().pipeline_name(pipeline).stage_name(stage);
            let out = call.transition_type(inbound).reason(reason).send().await;
            out.map_err(|e| classify(SERVICE, e))?.request_id().map(str::to_string)
        }
        None => {
            let call = client.enable_stage_transition().pipeline_name(pipeline).stage_name(stage);
            let out = call.transition_type(inbound).send().await;
            out.map_err(|e| classify(SERVICE, e))?.request_id().map(str::to_string)
        }
    };
    Ok(id)
}
