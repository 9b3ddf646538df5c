//! The release chain's reads, exact requests: DescribeImages (the registry's account, the
//! repository, tagged images only, the largest page) with its scan summary, and a failed pipeline
//! run: ListPipelineExecutions (one page of the newest), GetPipelineExecution (its variables) and
//! ListActionExecutions filtered to that run (moto serves no action executions and only
//! succeeded runs).

use aws_sdk_codepipeline::operation::get_pipeline_execution::GetPipelineExecutionOutput;
use aws_sdk_codepipeline::operation::list_action_executions::ListActionExecutionsOutput;
use aws_sdk_codepipeline::operation::list_pipeline_executions::ListPipelineExecutionsOutput;
use aws_sdk_codepipeline::types::{
    ActionExecutionDetail, ActionExecutionOutput, ActionExecutionResult, ActionExecutionStatus, ExecutionTrigger,
    PipelineExecution, PipelineExecutionStatus, PipelineExecutionSummary, ResolvedPipelineVariable, SourceRevision,
    TriggerType,
};
use aws_sdk_ecr::operation::describe_images::DescribeImagesOutput;
use aws_sdk_ecr::types::{
    FindingSeverity, ImageDetail, ImageScanFindingsSummary, ImageScanStatus, ScanStatus, TagStatus,
};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_types::DateTime;

const RUN: &str = "3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b";

#[tokio::test]
async fn images_are_read_tagged_only_from_the_registrys_account_with_their_scan_counts() {
    let describe = mock!(aws_sdk_ecr::Client::describe_images)
        .match_requests(|r| {
            r.registry_id() == Some("123456789012")
                && r.repository_name() == Some("opsfactor/app")
                && r.filter().and_then(|f| f.tag_status()) == Some(&TagStatus::Tagged)
                && r.max_results() == Some(1000)
        })
        .then_output(|| {
            let summary = ImageScanFindingsSummary::builder()
                .finding_severity_counts(FindingSeverity::Critical, 1)
                .finding_severity_counts(FindingSeverity::High, 3)
                .finding_severity_counts(FindingSeverity::Informational, 2)
                .image_scan_completed_at(DateTime::from_secs(1_764_000_000))
                .build();
            let image = ImageDetail::builder()
                .image_digest("sha256:abc")
                .image_tags("1.4.0")
                .image_tags("\u{1b}[31mlatest")
                .image_pushed_at(DateTime::from_secs(1_763_990_000))
                .image_size_in_bytes(150_000_000)
                .image_scan_status(ImageScanStatus::builder().status(ScanStatus::Complete).build())
                .image_scan_findings_summary(summary)
                .build();
            DescribeImagesOutput::builder().image_details(image).build()
        });
    let client = mock_client!(aws_sdk_ecr, RuleMode::Sequential, [&describe]);
    let images = crate::ecr::images(&client, "123456789012", "opsfactor/app").await.expect("read");
    assert_eq!(describe.num_calls(), 1, "one page: no next token");
    let image = &images[0];
    assert_eq!(image.tags, ["1.4.0", "latest"], "a tag's escape sequence never reaches the terminal");
    let findings = image.scan.findings.expect("a completed scan");
    assert_eq!((findings.critical, findings.high, findings.other), (1, 3, 2));
    assert_eq!(image.scan.status.as_deref(), Some("COMPLETE"));
}

fn failed_summary() -> PipelineExecutionSummary {
    PipelineExecutionSummary::builder()
        .pipeline_execution_id(RUN)
        .status(PipelineExecutionStatus::Failed)
        .start_time(DateTime::from_secs(1_764_000_000))
        .source_revisions(
            SourceRevision::builder()
                .action_name("Source")
                .revision_id("4b1d9e0c2f")
                .revision_summary("Release 1.5.1")
                .build()
                .expect("action name set"),
        )
        .trigger(ExecutionTrigger::builder().trigger_type(TriggerType::Webhook).build())
        .build()
}

fn failed_action() -> ActionExecutionDetail {
    let result = ActionExecutionResult::builder()
        .external_execution_summary("Build failed: exit status 2")
        .external_execution_url("https://console.aws.amazon.com/codesuite/codebuild/projects/app-image/build/1")
        .build();
    ActionExecutionDetail::builder()
        .pipeline_execution_id(RUN)
        .stage_name("Build")
        .action_name("BuildImage")
        .status(ActionExecutionStatus::Failed)
        .output(ActionExecutionOutput::builder().execution_result(result).build())
        .build()
}

#[tokio::test]
async fn a_failed_run_names_its_stage_action_and_build_page_and_carries_its_variables() {
    let list = mock!(aws_sdk_codepipeline::Client::list_pipeline_executions)
        .match_requests(|r| {
            r.pipeline_name() == Some("app-build") && r.max_results() == Some(25) && r.next_token().is_none()
        })
        .then_output(|| ListPipelineExecutionsOutput::builder().pipeline_execution_summaries(failed_summary()).build());
    let get = mock!(aws_sdk_codepipeline::Client::get_pipeline_execution)
        .match_requests(|r| r.pipeline_name() == Some("app-build") && r.pipeline_execution_id() == Some(RUN))
        .then_output(|| {
            let variable = ResolvedPipelineVariable::builder().name("IMAGE_TAG").resolved_value("1.5.1").build();
            let execution = PipelineExecution::builder().pipeline_execution_id(RUN).variables(variable).build();
            GetPipelineExecutionOutput::builder().pipeline_execution(execution).build()
        });
    let actions = mock!(aws_sdk_codepipeline::Client::list_action_executions)
        .match_requests(|r| {
            r.pipeline_name() == Some("app-build") && r.filter().and_then(|f| f.pipeline_execution_id()) == Some(RUN)
        })
        .then_output(|| ListActionExecutionsOutput::builder().action_execution_details(failed_action()).build());
    let client = mock_client!(aws_sdk_codepipeline, RuleMode::Sequential, [&list, &get, &actions]);
    let builds = crate::pipeline_runs::builds(&client, "app-build").await.expect("read");
    assert_eq!((list.num_calls(), get.num_calls(), actions.num_calls()), (1, 1, 1));
    let build = &builds[0];
    assert_eq!(build.variables, ["1.5.1"]);
    assert_eq!((build.commit.as_deref(), build.trigger.as_deref()), (Some("4b1d9e0c2f"), Some("Webhook")));
    let failure = build.failure.as_ref().expect("where it failed");
    assert_eq!((failure.stage.as_str(), failure.action.as_str()), ("Build", "BuildImage"));
    assert_eq!(failure.summary.as_deref(), Some("Build failed: exit status 2"));
    assert!(failure.url.as_deref().is_some_and(|u| u.contains("codebuild")));
}
