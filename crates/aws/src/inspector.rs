//! Amazon Inspector's enhanced scanning of the central repository (`[releases] inspector`), in
//! the registry's account: ListFindingAggregations by ECR image (each image's open findings by
//! severity) and ListCoverage (which images Inspector monitors and when it last scanned each).
//! Two paged reads for the whole repository, where ECR's DescribeImageScanFindings would take
//! one call per image. Requests follow the Inspector2 API model (botocore `inspector2`
//! 2020-06-08): `StringFilterList` and `CoverageStringFilterList` hold 1 to 10 filters,
//! `ListFindingAggregationsMaxResults` is 1 to 100, `ListCoverageMaxResults` 1 to 200.

use super::errors::classify;
use super::paging::{next_token, PageTokens};
use super::time::to_chrono;
use aws_sdk_inspector2::types::{
    AggregationRequest, AggregationResponse, AggregationType, AwsEcrContainerAggregation, AwsEcrContainerSortBy,
    CoverageFilterCriteria, CoverageStringComparison, CoverageStringFilter, CoveredResource, ScanStatusCode,
    SeverityCounts, SortOrder, StringComparison, StringFilter,
};
use aws_sdk_inspector2::Client;
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::AwsService;
use silo_core::releases::{Scan, ScanSource, Severities};
use silo_core::sanitize::clean_truncated;
use std::collections::HashMap;

const SERVICE: AwsService = AwsService::Inspector;
const AGGREGATION_PAGE: i32 = 100;
const COVERAGE_PAGE: i32 = 200;
/// 50 pages: 5,000 images with findings, 10,000 covered; more is read as a runaway listing.
const MAX_PAGES: usize = 50;
/// `CoverageResourceType` for one image (the repository itself is `AWS_ECR_REPOSITORY`).
const IMAGE: &str = "AWS_ECR_CONTAINER_IMAGE";

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let partition = format!("inspector2-{account_id}");
    let conf = aws_sdk_inspector2::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(partition))
        .build();
    Client::from_conf(conf)
}

/// Inspector's scan of each image of `repository` it monitors or holds findings for, by digest.
pub async fn scans(client: &Client, registry: &str, repository: &str) -> Result<HashMap<String, Scan>, FetchError> {
    let counts = aggregations(client, registry, repository).await?;
    let covered = coverage(client, registry, repository).await?;
    Ok(joined(counts, covered))
}

/// Coverage says whether and when; the aggregation says what was found. A monitored image with
/// no aggregation has no open finding.
fn joined(mut counts: HashMap<String, Severities>, covered: Vec<(String, Scan)>) -> HashMap<String, Scan> {
    let mut scans: HashMap<String, Scan> = HashMap::new();
    for (digest, mut scan) in covered {
        let monitored = scan.status.as_deref() == Some(ScanStatusCode::Active.as_str());
        scan.findings = counts.remove(&digest).or(monitored.then(Severities::default));
        scans.insert(digest, scan);
    }
    for (digest, findings) in counts {
        let scan = Scan { status: Some("ACTIVE".into()), findings: Some(findings), ..inspector_scan() };
        scans.insert(digest, scan);
    }
    scans
}

fn inspector_scan() -> Scan {
    Scan { source: ScanSource::Inspector, ..Scan::default() }
}

fn equals(value: &str) -> Result<StringFilter, FetchError> {
    StringFilter::builder().comparison(StringComparison::Equals).value(value).build().map_err(invalid)
}

fn coverage_equals(value: &str) -> Result<CoverageStringFilter, FetchError> {
    let filter = CoverageStringFilter::builder().comparison(CoverageStringComparison::Equals).value(value);
    filter.build().map_err(invalid)
}

fn invalid(e: aws_sdk_inspector2::error::BuildError) -> FetchError {
    FetchError::new(SERVICE, ErrorKind::Other, format!("request not built: {e}"))
}

/// Open findings by severity of each image in the repository, in the registry's account (public
/// for the model check of tests/model_unserved.rs).
pub async fn aggregations(
    client: &Client,
    registry: &str,
    repository: &str,
) -> Result<HashMap<String, Severities>, FetchError> {
    let filter = AwsEcrContainerAggregation::builder()
        .repositories(equals(repository)?)
        .sort_by(AwsEcrContainerSortBy::Critical)
        .sort_order(SortOrder::Desc)
        .build();
    let request = AggregationRequest::AwsEcrContainerAggregation(filter);
    let mut counts = HashMap::new();
    let (mut token, mut tokens) = (None::<String>, PageTokens::default());
    for _ in 0..MAX_PAGES {
        let page = client
            .list_finding_aggregations()
            .aggregation_type(AggregationType::AwsEcrContainer)
            .aggregation_request(request.clone())
            .account_ids(equals(registry)?)
            .max_results(AGGREGATION_PAGE)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| classify(SERVICE, e))?;
        counts.extend(page.responses().iter().filter_map(image_counts));
        token = next_token(SERVICE, &mut tokens, page.next_token())?;
        if token.is_none() {
            return Ok(counts);
        }
    }
    Err(runaway("finding aggregations", repository))
}

fn runaway(what: &str, repository: &str) -> FetchError {
    let message = format!("more than {MAX_PAGES} pages of Inspector {what} for {repository}; stopped reading");
    FetchError::new(SERVICE, ErrorKind::Other, message)
}

fn image_counts(response: &AggregationResponse) -> Option<(String, Severities)> {
    let image = response.as_aws_ecr_container_aggregation().ok()?;
    let digest = clean_truncated(image.image_sha()?, 100);
    Some((digest, severities(image.severity_counts())))
}

fn severities(counts: Option<&SeverityCounts>) -> Severities {
    let count = |n: Option<i64>| u32::try_from(n.unwrap_or(0).max(0)).unwrap_or(u32::MAX);
    let Some(c) = counts else { return Severities::default() };
    Severities {
        critical: count(c.critical()),
        high: count(c.high()),
        medium: count(c.medium()),
        low: count(c.low()),
        other: count(c.informational()).saturating_add(count(c.untriaged())),
    }
}

/// Every image of the repository Inspector covers: monitored or not (and why), last scanned when
/// (public for the model check of tests/model_unserved.rs).
pub async fn coverage(client: &Client, registry: &str, repository: &str) -> Result<Vec<(String, Scan)>, FetchError> {
    let criteria = CoverageFilterCriteria::builder()
        .resource_type(coverage_equals(IMAGE)?)
        .ecr_repository_name(coverage_equals(repository)?)
        .account_id(coverage_equals(registry)?)
        .build();
    let mut covered = Vec::new();
    let (mut token, mut tokens) = (None::<String>, PageTokens::default());
    for _ in 0..MAX_PAGES {
        let page = client
            .list_coverage()
            .filter_criteria(criteria.clone())
            .max_results(COVERAGE_PAGE)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| classify(SERVICE, e))?;
        covered.extend(page.covered_resources().iter().filter_map(covered_image));
        token = next_token(SERVICE, &mut tokens, page.next_token())?;
        if token.is_none() {
            return Ok(covered);
        }
    }
    Err(runaway("coverage", repository))
}

/// An image's coverage: its digest is the end of its resource id, which the Inspector API
/// reference's `CoveredResource.resourceId` pattern gives as
/// `arn:…:ecr:…:ACCOUNT:repository/NAME(/sha256:<64 hex>)?` (moto does not serve it to check).
fn covered_image(resource: &CoveredResource) -> Option<(String, Scan)> {
    let digest = resource.resource_id().rsplit('/').next().filter(|d| d.starts_with("sha256:"))?;
    let status = resource.scan_status().map(|s| match s.status_code() {
        ScanStatusCode::Active => "ACTIVE".to_string(),
        _ => clean_truncated(s.reason().as_str(), 64),
    });
    let scan = Scan { status, completed_at: resource.last_scanned_at().and_then(to_chrono), ..inspector_scan() };
    Some((clean_truncated(digest, 100), scan))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covered(status: Option<&str>) -> Scan {
        Scan { status: status.map(str::to_string), ..inspector_scan() }
    }

    #[test]
    fn a_monitored_image_without_an_aggregation_has_no_open_finding() {
        let scans = joined(HashMap::new(), vec![("sha256:a".into(), covered(Some("ACTIVE")))]);
        assert_eq!(scans["sha256:a"].findings, Some(Severities::default()));
    }

    #[test]
    fn an_image_inspector_stopped_monitoring_has_no_counts_and_says_why() {
        let scans = joined(HashMap::new(), vec![("sha256:a".into(), covered(Some("SCAN_ELIGIBILITY_EXPIRED")))]);
        assert_eq!(scans["sha256:a"].findings, None);
        assert_eq!(scans["sha256:a"].status.as_deref(), Some("SCAN_ELIGIBILITY_EXPIRED"));
    }

    #[test]
    fn counts_without_coverage_still_count() {
        let counts = HashMap::from([("sha256:b".to_string(), Severities { critical: 2, ..Severities::default() })]);
        let scans = joined(counts, Vec::new());
        assert_eq!(scans["sha256:b"].findings.map(|f| f.critical), Some(2));
        assert_eq!(scans["sha256:b"].source, ScanSource::Inspector);
    }
}
