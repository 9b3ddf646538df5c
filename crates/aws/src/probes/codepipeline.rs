//! CodePipeline (the pipeline account, read and operator roles): the stage's state, which the
//! freeze reads before and after it changes a transition.

use super::Probe;
use crate::errors::classify;
use aws_sdk_codepipeline::Client;
use silo_core::model::AwsService;

pub async fn read(client: &Client, pipeline: &str) -> Vec<Probe> {
    let state = client.get_pipeline_state().name(pipeline).send().await;
    vec![Probe::of("codepipeline:GetPipelineState", state.map_err(|e| classify(AwsService::Codepipeline, e)), |o| {
        format!("{} stage(s)", o.stage_states().len())
    })
    .allowed_if_absent("no such pipeline")]
}
