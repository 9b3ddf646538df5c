//! The pipeline runs that build releases: CodePipeline ListPipelineExecutions (the newest runs,
//! newest first), GetPipelineExecution for each (its resolved pipeline variables: the tag it
//! pushed, which links a run to its image) and, for a failed run, ListActionExecutions (the stage
//! and action it failed at, with the action's own page, e.g. the CodeBuild build).

use super::errors::classify;
use super::time::to_chrono;
use aws_sdk_codepipeline::types::{ActionExecutionDetail, ActionExecutionFilter, PipelineExecutionSummary};
use aws_sdk_codepipeline::Client;
use silo_core::error::FetchError;
use silo_core::model::AwsService;
use silo_core::releases::{Build, Failure, EXECUTIONS_READ};
use silo_core::sanitize::clean_truncated;

const SERVICE: AwsService = AwsService::Codepipeline;

/// The newest runs of `pipeline` (one page of `EXECUTIONS_READ`; ListPipelineExecutions answers
/// newest first, CodePipeline API reference), each with its variables and, when it failed, where.
pub async fn builds(client: &Client, pipeline: &str) -> Result<Vec<Build>, FetchError> {
    let out = client
        .list_pipeline_executions()
        .pipeline_name(pipeline)
        .max_results(EXECUTIONS_READ)
        .send()
        .await
        .map_err(|e| classify(SERVICE, e))?;
    let mut builds = Vec::new();
    for summary in out.pipeline_execution_summaries() {
        let Some(mut build) = build(pipeline, summary) else { continue };
        build.variables = variables(client, pipeline, &build.execution_id).await?;
        if build.failed() {
            build.failure = failure(client, pipeline, &build.execution_id).await?;
        }
        builds.push(build);
    }
    Ok(builds)
}

fn build(pipeline: &str, s: &PipelineExecutionSummary) -> Option<Build> {
    let source = s.source_revisions().first();
    let trigger = s.trigger().map(|t| {
        let kind = t.trigger_type().map(|k| k.as_str().to_string()).unwrap_or_default();
        match t.trigger_detail().filter(|d| !d.is_empty()) {
            Some(detail) => format!("{kind} ({})", clean_truncated(detail, 200)),
            None => kind,
        }
    });
    Some(Build {
        pipeline: pipeline.to_string(),
        execution_id: clean_truncated(s.pipeline_execution_id()?, 64),
        status: s.status().map(|x| x.as_str().to_string()).unwrap_or_default(),
        // Called by its path: tests/iam_policies.rs reads `.start_…()` as an SDK operation.
        started: PipelineExecutionSummary::start_time(s).and_then(to_chrono),
        updated: s.last_update_time().and_then(to_chrono),
        commit: source.and_then(|r| r.revision_id()).map(|c| clean_truncated(c, 100)),
        commit_summary: source.and_then(|r| r.revision_summary()).map(|c| clean_truncated(c, 300)),
        trigger,
        variables: Vec::new(),
        failure: None,
    })
}

/// The run's resolved pipeline variables (values only: a value equal to an image tag links them).
async fn variables(client: &Client, pipeline: &str, execution: &str) -> Result<Vec<String>, FetchError> {
    let out = client
        .get_pipeline_execution()
        .pipeline_name(pipeline)
        .pipeline_execution_id(execution)
        .send()
        .await
        .map_err(|e| classify(SERVICE, e))?;
    let execution = out.pipeline_execution();
    let resolved = execution.map(|e| e.variables()).unwrap_or_default();
    Ok(resolved.iter().filter_map(|v| v.resolved_value()).map(|v| clean_truncated(v, 128)).collect())
}

/// The first failed action of the run (one page: a run has far fewer than 100 actions).
async fn failure(client: &Client, pipeline: &str, execution: &str) -> Result<Option<Failure>, FetchError> {
    let filter = ActionExecutionFilter::builder().pipeline_execution_id(execution).build();
    let out = client
        .list_action_executions()
        .pipeline_name(pipeline)
        .filter(filter)
        .send()
        .await
        .map_err(|e| classify(SERVICE, e))?;
    let failed = out.action_execution_details().iter().find(|a| a.status().is_some_and(|s| s.as_str() == "Failed"));
    Ok(failed.map(failed_action))
}

fn failed_action(a: &ActionExecutionDetail) -> Failure {
    let result = a.output().and_then(|o| o.execution_result());
    let summary = result.and_then(|r| r.external_execution_summary()).map(|s| clean_truncated(s, 300));
    let error = result.and_then(|r| r.error_details()).and_then(|e| e.message()).map(|s| clean_truncated(s, 300));
    Failure {
        stage: clean_truncated(a.stage_name().unwrap_or_default(), 100),
        action: clean_truncated(a.action_name().unwrap_or_default(), 100),
        summary: summary.or(error),
        url: result.and_then(|r| r.external_execution_url()).map(|u| clean_truncated(u, 500)),
    }
}
