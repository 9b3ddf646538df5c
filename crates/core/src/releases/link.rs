//! Which version an image is and which pipeline run built it. ECR and CodePipeline do not link
//! the two: a run's pipeline variables (V2 pipelines resolve them per run, `GetPipelineExecution`)
//! or its source commit name the tag the build pushed, so an image's build is the run whose
//! variables hold one of its tags, else whose commit starts with one of them (a commit-id tag).

use super::{Build, Image, Releases};

/// A tag reads as a version when it starts with a digit (or `v` and a digit) and has a dot:
/// `1.5.0`, `v2.0.1-rc1`; `latest` or a commit id do not.
pub fn looks_like_version(tag: &str) -> bool {
    let rest = tag.strip_prefix('v').unwrap_or(tag);
    rest.chars().next().is_some_and(|c| c.is_ascii_digit()) && rest.contains('.')
}

/// The version an image stands for: its first tag that reads as a version, else its first tag
/// other than `latest`, else its first tag; None when untagged.
pub fn version_of(image: &Image) -> Option<&str> {
    let tags = || image.tags.iter().map(String::as_str);
    tags().find(|t| looks_like_version(t)).or_else(|| tags().find(|t| *t != "latest")).or_else(|| tags().next())
}

/// A commit-id tag: 7 to 40 hexadecimal characters.
fn commit_tag(tag: &str) -> bool {
    (7..=40).contains(&tag.len()) && tag.chars().all(|c| c.is_ascii_hexdigit())
}

/// Whether `build` built `image`.
pub fn built(build: &Build, image: &Image) -> bool {
    let by_variable = image.tags.iter().any(|t| build.variables.iter().any(|v| v == t));
    let commit = build.commit.as_deref().unwrap_or_default();
    let by_commit = image.tags.iter().any(|t| commit_tag(t) && commit.starts_with(t.as_str()));
    by_variable || by_commit
}

/// The run that built `image`: the newest succeeded one that names it, else the newest that does.
pub fn build_of<'a>(image: &Image, builds: &'a [Build]) -> Option<&'a Build> {
    let mut naming: Vec<&Build> = builds.iter().filter(|b| built(b, image)).collect();
    naming.sort_by_key(|b| std::cmp::Reverse(b.started));
    naming.iter().find(|b| b.status == "Succeeded").or(naming.first()).copied()
}

/// Runs that built no image of the repository: failed, stopped or still running.
pub fn without_image(releases: &Releases) -> Vec<&Build> {
    releases.builds.iter().filter(|b| !releases.images.iter().any(|i| built(b, i))).collect()
}

/// The version a run without an image was building: a variable that reads as a version.
pub fn version_of_build(build: &Build) -> Option<&str> {
    build.variables.iter().map(String::as_str).find(|v| looks_like_version(v))
}
