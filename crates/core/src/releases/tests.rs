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
