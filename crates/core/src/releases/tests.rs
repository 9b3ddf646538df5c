use super::link::{build_of, looks_like_version, version_of, version_of_build, without_image};
use super::*;
use chrono::TimeZone;

fn image(tags: &[&str]) -> Image {
    let tags = tags.iter().map(|t| t.to_string()).collect();
    Image { tags, digest: "sha256:aa".into(), pushed_at: None, size_bytes: None, scan: Scan::default() }
}

fn build(id: &str, status: &str, hour: u32, variables: &[&str], commit: Option<&str>) -> Build {
    Build {
        pipeline: "app-build".into(),
        execution_id: id.into(),
        status: status.into(),
        started: Some(Utc.with_ymd_and_hms(2026, 12, 1, hour, 0, 0).unwrap()),
        updated: None,
        commit: commit.map(str::to_string),
        commit_summary: None,
        trigger: None,
        variables: variables.iter().map(|v| v.to_string()).collect(),
        failure: None,
    }
}

#[test]
fn a_version_is_the_tag_that_reads_as_one() {
    assert_eq!(version_of(&image(&["latest", "3f9c2ab", "1.5.0"])), Some("1.5.0"));
    assert_eq!(version_of(&image(&["latest", "3f9c2ab"])), Some("3f9c2ab"));
    assert_eq!(version_of(&image(&["latest"])), Some("latest"));
    assert_eq!(version_of(&image(&[])), None);
    assert!(looks_like_version("v2.0.1-rc1") && !looks_like_version("v") && !looks_like_version("2024"));
}

#[test]
fn an_images_build_is_the_succeeded_run_naming_its_tag_else_the_newest_naming_it() {
    let builds = [
        build("e1", "Failed", 9, &["1.5.0"], None),
        build("e2", "Succeeded", 8, &["1.5.0"], None),
        build("e3", "Succeeded", 10, &["1.6.0"], None),
        build("e4", "Failed", 11, &[], Some("4b1d9e0c2f")),
    ];
    assert_eq!(build_of(&image(&["1.5.0"]), &builds).map(|b| b.execution_id.as_str()), Some("e2"));
    assert_eq!(build_of(&image(&["4b1d9e0"]), &builds).map(|b| b.execution_id.as_str()), Some("e4"), "commit tag");
    assert_eq!(build_of(&image(&["4b1d"]), &builds), None, "too short to be a commit id");
    assert_eq!(build_of(&image(&["1.4.2"]), &builds), None);
}

#[test]
fn runs_that_pushed_no_image_are_listed_with_the_version_they_were_building() {
    let releases = Releases {
        images: vec![image(&["1.5.0"])],
        builds: vec![build("e1", "Succeeded", 8, &["1.5.0"], None), build("e2", "Failed", 9, &["main", "1.5.1"], None)],
        ..Releases::default()
    };
    let orphans = without_image(&releases);
    assert_eq!(orphans.iter().map(|b| b.execution_id.as_str()).collect::<Vec<_>>(), ["e2"]);
    assert_eq!(version_of_build(orphans[0]), Some("1.5.1"));
}

#[test]
fn severities_count_ecr_labels_and_put_the_rest_in_other() {
    let mut s = Severities::default();
    for (label, n) in [("CRITICAL", 2), ("high", 3), ("MEDIUM", 1), ("LOW", 4), ("INFORMATIONAL", 5), ("UNDEFINED", 1)]
    {
        s.add(label, n);
    }
    assert_eq!((s.critical, s.high, s.medium, s.low, s.other), (2, 3, 1, 4, 6));
}

fn counted(critical: u32, source: ScanSource) -> Scan {
    let findings = Some(Severities { critical, ..Severities::default() });
    Scan { status: Some("COMPLETE".into()), completed_at: None, findings, source }
}

#[test]
fn inspectors_counts_win_and_ecrs_completed_scan_stays_when_inspector_has_none() {
    let mut images = vec![image(&["1.5.0"])];
    images[0].scan = counted(0, ScanSource::EcrBasic);
    let expired =
        Scan { status: Some("SCAN_ELIGIBILITY_EXPIRED".into()), source: ScanSource::Inspector, ..Scan::default() };
    let inspector = std::collections::HashMap::from([("sha256:aa".to_string(), expired.clone())]);
    prefer_inspector(&mut images, &inspector);
    assert_eq!(images[0].scan.source, ScanSource::EcrBasic, "ECR's completed counts are the fallback");
    let found = std::collections::HashMap::from([("sha256:aa".to_string(), counted(3, ScanSource::Inspector))]);
    prefer_inspector(&mut images, &found);
    assert_eq!(images[0].scan.findings.map(|f| f.critical), Some(3));
    let mut never = vec![image(&["1.3.8"])];
    prefer_inspector(&mut never, &inspector);
    assert_eq!(never[0].scan, expired, "no ECR scan either: Inspector says why it has none");
}

#[test]
fn a_scan_is_old_past_the_configured_days_and_never_with_zero() {
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap();
    let scan = Scan { completed_at: Some(now - chrono::Duration::days(31)), ..Scan::default() };
    assert_eq!(scan.age_days(now), Some(31));
    assert!(scan.stale(now, 30) && !scan.stale(now, 31) && !scan.stale(now, 0));
    assert!(!Scan::default().stale(now, 1), "no completed scan has no age");
}
