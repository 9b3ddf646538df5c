//! The central registry's images: ECR DescribeImages in the `[releases]` account, every tagged
//! image of the repository with its digest, push time, size and basic scan summary.

use super::errors::classify;
use super::paging::next_token;
use super::time::to_chrono;
use aws_sdk_ecr::types::{DescribeImagesFilter, ImageDetail, TagStatus};
use aws_sdk_ecr::Client;
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::AwsService;
use silo_core::releases::{Image, Scan, ScanSource, Severities};
use silo_core::sanitize::clean_truncated;

const SERVICE: AwsService = AwsService::Ecr;
/// DescribeImages' largest page (ECR API model, `DescribeImagesRequest.maxResults`: 1 to 1000).
const PAGE: i32 = 1000;
/// 20 pages: 20,000 tagged images, far beyond a release history; more is read as a runaway.
const MAX_PAGES: usize = 20;

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let partition = format!("ecr-{account_id}");
    let conf = aws_sdk_ecr::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(partition))
        .build();
    Client::from_conf(conf)
}

/// Every tagged image of `repository` in `registry` (the account id, `registryId`: another
/// account's registry is read only with its repository policy allowing it).
pub async fn images(client: &Client, registry: &str, repository: &str) -> Result<Vec<Image>, FetchError> {
    let mut images = Vec::new();
    let mut token: Option<String> = None;
    let mut tokens = super::paging::PageTokens::default();
    for _ in 0..MAX_PAGES {
        let page = client
            .describe_images()
            .registry_id(registry)
            .repository_name(repository)
            .filter(DescribeImagesFilter::builder().tag_status(TagStatus::Tagged).build())
            .max_results(PAGE)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| classify(SERVICE, e))?;
        images.extend(page.image_details().iter().filter_map(image));
        token = next_token(SERVICE, &mut tokens, page.next_token())?;
        if token.is_none() {
            return Ok(images);
        }
    }
    let message = format!("more than {} pages of images in {repository}; stopped reading", MAX_PAGES);
    Err(FetchError::new(SERVICE, ErrorKind::Other, message))
}

/// One image, its text sanitized (tags and digests come from whoever pushed).
fn image(detail: &ImageDetail) -> Option<Image> {
    let digest = clean_truncated(detail.image_digest()?, 100);
    Some(Image {
        tags: detail.image_tags().iter().map(|t| clean_truncated(t, 128)).collect(),
        digest,
        pushed_at: detail.image_pushed_at().and_then(to_chrono),
        size_bytes: detail.image_size_in_bytes(),
        scan: scan(detail),
    })
}

fn scan(detail: &ImageDetail) -> Scan {
    let status = detail.image_scan_status().and_then(|s| s.status()).map(|s| s.as_str().to_string());
    let summary = detail.image_scan_findings_summary();
    let findings = summary.and_then(|s| s.finding_severity_counts()).map(|counts| {
        let mut severities = Severities::default();
        for (label, count) in counts {
            severities.add(label.as_str(), u32::try_from(*count).unwrap_or(0));
        }
        severities
    });
    let completed_at = summary.and_then(|s| s.image_scan_completed_at()).and_then(to_chrono);
    Scan { status, completed_at, findings, source: ScanSource::EcrBasic }
}
