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

/// ECR's basic scan of an image (`imageScanStatus`, `imageScanFindingsSummary`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Scan {
    /// COMPLETE, IN_PROGRESS, FAILED, UNSUPPORTED_IMAGE, ACTIVE, PENDING, SCAN_ELIGIBILITY_EXPIRED,
    /// FINDINGS_UNAVAILABLE, LIMIT_EXCEEDED; None: never scanned.
    pub status: Option<String>,
    pub completed_at: Option<DateTime<Utc>>,
    /// Findings by severity, when the scan completed.
    pub findings: Option<Severities>,
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

/// Runs of several pipelines in one list, newest first (each pipeline answers newest first).
pub fn newest_first(builds: &mut [Build]) {
    builds.sort_by_key(|b| std::cmp::Reverse(b.started));
}

#[cfg(test)]
mod tests;
