//! The demo's release chain: the train's versions in the registry (`123456789012`, sa-east-1,
//! `opsfactor/app`), each built by a run of the `opsfactor-app` pipeline. 1.5.1's build failed at
//! its image build (no image); 1.4.0 carries a critical vulnerability that two customers
//! certified anyway, found by ECR's basic scan when it was pushed (an old scan); 1.3.8 was pushed
//! before scanning was on (never scanned). Inspector's enhanced scanning, turned on since,
//! monitors 1.4.1 and newer and rescans them as advisories appear.

use super::deployments::VERSIONS;
use chrono::{DateTime, Duration, Utc};
use silo_core::hash::hash;
use silo_core::releases::{Build, Failure, Image, Releases, Scan, ScanSource, Severities};

pub const REGISTRY: &str = "123456789012";
pub const REPOSITORY: &str = "opsfactor/app";
const PIPELINE: &str = "opsfactor-app";

/// Days before now each version was pushed (the train's order, oldest first).
const PUSHED_DAYS_AGO: [i64; 5] = [62, 47, 33, 19, 6];

pub fn releases(now: DateTime<Utc>) -> Releases {
    let mut builds: Vec<Build> =
        VERSIONS.iter().zip(PUSHED_DAYS_AGO).map(|(v, d)| build(v, now - Duration::days(d))).collect();
    builds.push(failed_build(now - Duration::hours(20)));
    silo_core::releases::newest_first(&mut builds);
    Releases {
        registry: REGISTRY.into(),
        region: "sa-east-1".into(),
        repository: REPOSITORY.into(),
        images: VERSIONS.iter().zip(PUSHED_DAYS_AGO).map(|(v, d)| image(v, now - Duration::days(d), now)).collect(),
        builds,
        inspector_error: None,
    }
}

/// 64 hexadecimal characters that stay the same for `text`.
fn hex(text: &str, length: usize) -> String {
    (0..4).map(|salt| format!("{:016x}", hash(text, salt))).collect::<String>().chars().take(length).collect()
}

fn image(version: &str, pushed: DateTime<Utc>, now: DateTime<Utc>) -> Image {
    let commit = hex(version, 40);
    Image {
        tags: vec![version.to_string(), commit[..7].to_string()],
        digest: format!("sha256:{}", hex(&format!("image {version}"), 64)),
        pushed_at: Some(pushed),
        size_bytes: Some(148_000_000 + (hash(version, 9) % 9_000_000) as i64),
        scan: scan(version, pushed, now),
    }
}

fn scan(version: &str, pushed: DateTime<Utc>, now: DateTime<Utc>) -> Scan {
    let counts: [(&str, u32); 4] = match version {
        "1.3.8" => return Scan::default(),
        "1.4.0" => [("CRITICAL", 1), ("HIGH", 4), ("MEDIUM", 7), ("LOW", 12)],
        "1.4.1" => [("CRITICAL", 0), ("HIGH", 2), ("MEDIUM", 6), ("LOW", 9)],
        "1.4.2" => [("CRITICAL", 0), ("HIGH", 0), ("MEDIUM", 3), ("LOW", 8)],
        _ => [("CRITICAL", 0), ("HIGH", 0), ("MEDIUM", 1), ("LOW", 4)],
    };
    let mut findings = Severities::default();
    counts.iter().for_each(|(label, n)| findings.add(label, *n));
    if version == "1.4.0" {
        let completed = Some(pushed + Duration::minutes(4));
        return Scan {
            status: Some("COMPLETE".into()),
            completed_at: completed,
            findings: Some(findings),
            source: ScanSource::EcrBasic,
        };
    }
    // Inspector rescans a monitored image when its advisories change: hours ago, not at push.
    let rescanned = now - Duration::hours(3 + (hash(version, 3) % 20) as i64);
    Scan {
        status: Some("ACTIVE".into()),
        completed_at: Some(rescanned),
        findings: Some(findings),
        source: ScanSource::Inspector,
    }
}

/// The run that built `version` (its `IMAGE_TAG` variable names the tag it pushed).
fn build(version: &str, pushed: DateTime<Utc>) -> Build {
    let started = pushed - Duration::minutes(14);
    Build {
        pipeline: PIPELINE.into(),
        execution_id: execution_id(version),
        status: "Succeeded".into(),
        started: Some(started),
        updated: Some(pushed + Duration::minutes(2)),
        commit: Some(hex(version, 40)),
        commit_summary: Some(format!("Release {version}")),
        trigger: Some("Webhook (push to main)".into()),
        variables: vec![version.to_string()],
        failure: None,
    }
}

/// 1.5.1: its unit tests passed, its image build failed (a base image pull timed out).
fn failed_build(started: DateTime<Utc>) -> Build {
    let id = execution_id("1.5.1");
    Build {
        status: "Failed".into(),
        updated: Some(started + Duration::minutes(9)),
        commit_summary: Some("Release 1.5.1: retry policy for the batch queue".into()),
        failure: Some(Failure {
            stage: "Build".into(),
            action: "BuildImage".into(),
            summary: Some("Build failed: pull access to public.ecr.aws/docker/library/debian timed out".into()),
            url: Some(format!(
                "https://console.aws.amazon.com/codesuite/codebuild/{REGISTRY}/projects/opsfactor-app-image/build/opsfactor-app-image%3A{id}/?region=sa-east-1"
            )),
        }),
        ..build("1.5.1", started + Duration::minutes(14))
    }
}

/// A UUID-shaped id that stays the same for `version` (CodePipeline's `PipelineExecutionId`).
fn execution_id(version: &str) -> String {
    let h = hex(&format!("run {version}"), 32);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}
