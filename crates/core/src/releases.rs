//! The start of the release chain: every version in the central registry (ECR `DescribeImages`:
//! tags, digest, push time, size, basic scan summary) and the pipeline runs that built them
//! (CodePipeline executions: status, source commit, trigger, the failing stage and action).
//! `rollouts::releases` joins them with the fleet: certified by how many customers, scheduled for
//! how many tenants, running on how many. This module stays below the store and the plans (the
//! plans check a version's scan, `scans`). Serialized names are the contract of `silo releases` (docs/cli.md).

pub mod link;
pub mod scans;

use crate::model::AwsService;
use crate::reads::Read;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The registry and its builds, read when `:releases` opens (and on `r` there). The limit counts
/// the worst case: a page of images, one of executions, each execution read, the failed ones'
/// action executions.
pub const RELEASES: Read<Option<Releases>> = Read::new("releases", AwsService::Ecr, 80);

/// Newest pipeline runs read per pipeline: the ones that built the versions still deployable.
pub const EXECUTIONS_READ: i32 = 25;

/// What `[releases]` points at, as read.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Releases {
    /// The registry's account and region, and the repository.
    pub registry: String,
    pub region: String,
    pub repository: String,
    pub images: Vec<Image>,
    pub builds: Vec<Build>,
    /// Why Inspector's read failed, when `[releases] inspector` is on and it did: the images show
    /// ECR's basic scans instead (added field).
    #[serde(default)]
    pub inspector_error: Option<String>,
}

/// One image of the repository (an untagged one has no version and is left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    pub tags: Vec<String>,
    pub digest: String,
    pub pushed_at: Option<DateTime<Utc>>,
    pub size_bytes: Option<i64>,
    pub scan: Scan,
}

/// The scan of an image: Amazon Inspector's enhanced scanning when `[releases] inspector` is on
/// and Inspector covers the image, else ECR's basic scan (`imageScanStatus`,
/// `imageScanFindingsSummary`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Scan {
    /// ECR: COMPLETE, IN_PROGRESS, FAILED, UNSUPPORTED_IMAGE, ACTIVE, PENDING,
    /// SCAN_ELIGIBILITY_EXPIRED, FINDINGS_UNAVAILABLE, LIMIT_EXCEEDED. Inspector: ACTIVE
    /// (monitored), or the reason it is not (its coverage's `scanStatus.reason`, e.g.
    /// SCAN_ELIGIBILITY_EXPIRED, UNSUPPORTED_OS). None: never scanned.
    pub status: Option<String>,
    pub completed_at: Option<DateTime<Utc>>,
    /// Findings by severity, when the scan completed.
    pub findings: Option<Severities>,
    /// Who scanned: `ecr_basic` or `inspector` (added field; older snapshots read as ECR's).
    #[serde(default)]
    pub source: ScanSource,
}

/// Where a scan's counts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanSource {
    /// ECR basic scanning (`DescribeImages`' summary).
    #[default]
    EcrBasic,
    /// Amazon Inspector enhanced scanning (`ListFindingAggregations`, `ListCoverage`).
    Inspector,
}

impl ScanSource {
    /// How a plan or a card names it.
    pub fn label(self) -> &'static str {
        match self {
            ScanSource::EcrBasic => "ECR scan",
            ScanSource::Inspector => "Inspector scan",
        }
    }
}

impl Scan {
    /// Whole days since the scan completed (None: no completed scan).
    pub fn age_days(&self, now: DateTime<Utc>) -> Option<i64> {
        self.completed_at.map(|t| (now - t).num_days().max(0))
    }

    /// A completed scan older than `max_days` (0: never old): its counts miss newer CVEs.
    pub fn stale(&self, now: DateTime<Utc>, max_days: u32) -> bool {
        max_days > 0 && self.age_days(now).is_some_and(|d| d > i64::from(max_days))
    }
}

/// Vulnerabilities by severity (ECR's CRITICAL, HIGH, MEDIUM, LOW; the rest as `other`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Severities {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
    pub other: u32,
}

impl Severities {
    /// Adds `count` findings of ECR's severity `label`.
    pub fn add(&mut self, label: &str, count: u32) {
        let slot = match label.to_ascii_uppercase().as_str() {
            "CRITICAL" => &mut self.critical,
            "HIGH" => &mut self.high,
            "MEDIUM" => &mut self.medium,
            "LOW" => &mut self.low,
            _ => &mut self.other,
        };
        *slot = slot.saturating_add(count);
    }
}

/// One pipeline run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Build {
    pub pipeline: String,
    pub execution_id: String,
    /// CodePipeline's status: Cancelled, InProgress, Stopped, Stopping, Succeeded, Superseded, Failed.
    pub status: String,
    pub started: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    /// The first source revision (a commit id) and its summary (the commit message).
    pub commit: Option<String>,
    pub commit_summary: Option<String>,
    /// How it started: `Webhook`, `StartPipelineExecution`, `CloudWatchEvent`… and by what.
    pub trigger: Option<String>,
    /// Values of the run's pipeline variables (a tag it pushed is how a version names its build).
    pub variables: Vec<String>,
    /// Where it failed, when it did.
    pub failure: Option<Failure>,
}

/// The action a failed run stopped at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub stage: String,
    pub action: String,
    pub summary: Option<String>,
    /// The action's own page (a CodeBuild build's console URL).
    pub url: Option<String>,
}

impl Build {
    pub fn failed(&self) -> bool {
        self.status == "Failed"
    }
}

/// Puts Inspector's scans (by image digest) on the images: Inspector's wins when it has counts,
/// or when ECR's basic scan has none either (its status then says why Inspector does not scan
/// the image); otherwise ECR's completed basic scan stays, the fallback.
pub fn prefer_inspector(images: &mut [Image], inspector: &std::collections::HashMap<String, Scan>) {
    for image in images {
        if let Some(scan) = inspector.get(&image.digest) {
            if scan.findings.is_some() || image.scan.findings.is_none() {
                image.scan = scan.clone();
            }
        }
    }
}

/// Runs of several pipelines in one list, newest first (each pipeline answers newest first).
pub fn newest_first(builds: &mut [Build]) {
    builds.sort_by_key(|b| std::cmp::Reverse(b.started));
}

#[cfg(test)]
mod tests;
