//! Inspector's enhanced scans of the repository, exact requests (moto serves neither call):
//! ListFindingAggregations by ECR image (the repository and the registry's account as EQUALS
//! filters, critical first, the model's largest page of 100) over two pages, and ListCoverage
//! (images of the repository in that account, the largest page of 200).

use aws_sdk_inspector2::operation::list_coverage::ListCoverageOutput;
use aws_sdk_inspector2::operation::list_finding_aggregations::ListFindingAggregationsOutput;
use aws_sdk_inspector2::types::{
    AggregationRequest, AggregationResponse, AggregationType, AwsEcrContainerAggregationResponse,
    AwsEcrContainerSortBy, CoverageResourceType, CoverageStringComparison, CoveredResource, ScanStatus, ScanStatusCode,
    ScanStatusReason, ScanType, SeverityCounts, SortOrder, StringComparison,
};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_types::DateTime;
use silo_core::releases::ScanSource;

const REGISTRY: &str = "123456789012";
const REPOSITORY: &str = "opsfactor/app";

fn equals_one(filters: &[aws_sdk_inspector2::types::StringFilter], value: &str) -> bool {
    matches!(filters, [f] if f.comparison() == &StringComparison::Equals && f.value() == value)
}

fn coverage_equals_one(filters: &[aws_sdk_inspector2::types::CoverageStringFilter], value: &str) -> bool {
    matches!(filters, [f] if f.comparison() == &CoverageStringComparison::Equals && f.value() == value)
}

fn aggregation_asked(
    r: &aws_sdk_inspector2::operation::list_finding_aggregations::ListFindingAggregationsInput,
) -> bool {
    let Some(AggregationRequest::AwsEcrContainerAggregation(ecr)) = r.aggregation_request() else { return false };
    r.aggregation_type() == Some(&AggregationType::AwsEcrContainer)
        && equals_one(ecr.repositories(), REPOSITORY)
        && ecr.sort_by() == Some(&AwsEcrContainerSortBy::Critical)
        && ecr.sort_order() == Some(&SortOrder::Desc)
        && equals_one(r.account_ids(), REGISTRY)
        && r.max_results() == Some(100)
}

fn image(digest: &str, critical: i64) -> AggregationResponse {
    let counts = SeverityCounts::builder().critical(critical).high(3).medium(1).low(0).informational(2).build();
    let image = AwsEcrContainerAggregationResponse::builder()
        .resource_id(format!("arn:aws:ecr:sa-east-1:{REGISTRY}:repository/{REPOSITORY}/{digest}"))
        .image_sha(digest)
        .repository(REPOSITORY)
        .severity_counts(counts)
        .build()
        .expect("resource id set");
    AggregationResponse::AwsEcrContainerAggregation(image)
}

fn covered(digest: &str, code: ScanStatusCode, reason: ScanStatusReason) -> CoveredResource {
    let status = ScanStatus::builder().status_code(code).reason(reason).build().expect("code and reason set");
    CoveredResource::builder()
        .resource_type(CoverageResourceType::AwsEcrContainerImage)
        .resource_id(format!("arn:aws:ecr:sa-east-1:{REGISTRY}:repository/{REPOSITORY}/{digest}"))
        .account_id(REGISTRY)
        .scan_type(ScanType::Package)
        .scan_status(status)
        .last_scanned_at(DateTime::from_secs(1_764_900_000))
        .build()
        .expect("required members set")
}

#[tokio::test]
async fn severity_counts_page_by_token_and_coverage_says_when_and_whether_inspector_scans() {
    let first = mock!(aws_sdk_inspector2::Client::list_finding_aggregations)
        .match_requests(|r| aggregation_asked(r) && r.next_token().is_none())
        .then_output(|| {
            let out = ListFindingAggregationsOutput::builder().aggregation_type(AggregationType::AwsEcrContainer);
            out.responses(image("sha256:aaa", 2)).next_token("page-2").build().expect("type set")
        });
    let second = mock!(aws_sdk_inspector2::Client::list_finding_aggregations)
        .match_requests(|r| aggregation_asked(r) && r.next_token() == Some("page-2"))
        .then_output(|| {
            let out = ListFindingAggregationsOutput::builder().aggregation_type(AggregationType::AwsEcrContainer);
            out.responses(image("sha256:bbb", 0)).build().expect("type set")
        });
    let coverage = mock!(aws_sdk_inspector2::Client::list_coverage)
        .match_requests(|r| {
            let Some(c) = r.filter_criteria() else { return false };
            coverage_equals_one(c.resource_type(), "AWS_ECR_CONTAINER_IMAGE")
                && coverage_equals_one(c.ecr_repository_name(), REPOSITORY)
                && coverage_equals_one(c.account_id(), REGISTRY)
                && r.max_results() == Some(200)
        })
        .then_output(|| {
            ListCoverageOutput::builder()
                .covered_resources(covered("sha256:aaa", ScanStatusCode::Active, ScanStatusReason::Successful))
                .covered_resources(covered("sha256:ccc", ScanStatusCode::Active, ScanStatusReason::Successful))
                .covered_resources(covered(
                    "sha256:ddd",
                    ScanStatusCode::Inactive,
                    ScanStatusReason::ScanEligibilityExpired,
                ))
                .build()
        });
    let client = mock_client!(aws_sdk_inspector2, RuleMode::Sequential, [&first, &second, &coverage]);
    let scans = crate::inspector::scans(&client, REGISTRY, REPOSITORY).await.expect("read");
    assert_eq!((first.num_calls(), second.num_calls(), coverage.num_calls()), (1, 1, 1));
    let aaa = &scans["sha256:aaa"];
    assert_eq!(aaa.findings.map(|f| (f.critical, f.high, f.other)), Some((2, 3, 2)));
    assert_eq!((aaa.status.as_deref(), aaa.source), (Some("ACTIVE"), ScanSource::Inspector));
    assert!(aaa.completed_at.is_some(), "lastScannedAt is the scan's age");
    assert_eq!(scans["sha256:bbb"].findings.map(|f| f.critical), Some(0), "counts without coverage still count");
    assert_eq!(scans["sha256:ccc"].findings.map(|f| f.high), Some(0), "monitored with no finding: none found");
    let expired = &scans["sha256:ddd"];
    assert_eq!((expired.status.as_deref(), expired.findings), (Some("SCAN_ELIGIBILITY_EXPIRED"), None));
}

#[tokio::test]
async fn a_page_token_given_twice_ends_the_listing_as_an_error() {
    let looping = mock!(aws_sdk_inspector2::Client::list_finding_aggregations)
        .match_requests(aggregation_asked)
        .then_output(|| {
            let out = ListFindingAggregationsOutput::builder().aggregation_type(AggregationType::AwsEcrContainer);
            out.next_token("same").build().expect("type set")
        });
    let client = mock_client!(aws_sdk_inspector2, RuleMode::MatchAny, [&looping]);
    let error = crate::inspector::scans(&client, REGISTRY, REPOSITORY).await.expect_err("a loop");
    assert!(error.to_string().contains("token"), "{error}");
    assert_eq!(looping.num_calls(), 2, "A, A: the second same token stops it");
}
