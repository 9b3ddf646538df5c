//! CodePipeline: the stage's state, which the freeze reads before and after it changes a
//! transition (the pipeline account, read and operator roles); the runs `:releases` reads (the
//! registry's account, the releases role).

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

/// A pipeline execution id in CodePipeline's pattern (`PipelineExecutionId`: a UUID) that no run has.
const ABSENT_RUN: &str = "00000000-0000-4000-8000-000000000000";

/// The releases role's reads of `pipeline`: its newest run, a run's variables, a run's actions.
pub async fn releases(client: &Client, pipeline: &str) -> Vec<Probe> {
    let service = AwsService::Codepipeline;
    let runs = client.list_pipeline_executions().pipeline_name(pipeline).max_results(1).send().await;
    let run = client.get_pipeline_execution().pipeline_name(pipeline).pipeline_execution_id(ABSENT_RUN).send().await;
    let filter =
        aws_sdk_codepipeline::types::ActionExecutionFilter::builder().pipeline_execution_id(ABSENT_RUN).build();
    let actions = client.list_action_executions().pipeline_name(pipeline).filter(filter).max_results(1).send().await;
    let absent = format!("no pipeline {pipeline:?}");
    vec![
        Probe::of("codepipeline:ListPipelineExecutions", runs.map_err(|e| classify(service, e)), |o| {
            format!("{} run(s) on the first page", o.pipeline_execution_summaries().len())
        })
        .not_enabled_if_absent(&absent),
        Probe::of("codepipeline:GetPipelineExecution", run.map_err(|e| classify(service, e)), |_| "answered".into())
            .allowed_if_absent("no such run, asked on purpose"),
        Probe::of("codepipeline:ListActionExecutions", actions.map_err(|e| classify(service, e)), |o| {
            format!("{} action execution(s)", o.action_execution_details().len())
        })
        .allowed_if_absent("no such run, asked on purpose"),
    ]
}
