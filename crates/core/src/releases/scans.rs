//! The image term of a plan: moving a tenant to a version whose image has critical
//! vulnerabilities (at or above `[releases] critical_threshold`) or was never scanned needs an
//! override with a reason, like an uncertified version. What the registry said is `Scans`.

use super::{Image, Releases};
use chrono::SecondsFormat;

/// What is known of the registry's scans when a plan is built.
#[derive(Debug, Clone, Copy)]
pub enum Scans<'a> {
    /// No `[releases]`: the term does not apply.
    Off,
    /// `[releases]` is set up but its read has not answered, or failed (why): no version can be
    /// cleared, so a change moving forward needs the override.
    Unknown(&'a str),
    /// The registry as read, and the number of critical findings that blocks (0: none does).
    Read { releases: &'a Releases, critical_threshold: u32 },
}

impl Scans<'_> {
    /// Why moving to `version` goes past the image term; None when its image is clear.
    pub fn problem(&self, version: Option<&str>) -> Option<String> {
        let v = version.unwrap_or("the version");
        match self {
            Scans::Off => None,
            Scans::Unknown(why) => Some(format!("the registry's scan of {v} is not known ({why})")),
            Scans::Read { releases, critical_threshold } => match image(releases, version) {
                None => Some(format!("{v} is not an image of {} in {}", releases.repository, releases.registry)),
                Some(i) => image_problem(v, i, *critical_threshold),
            },
        }
    }

    /// The plan's line about the version's image (None without `[releases]`).
    pub fn line(&self, version: Option<&str>) -> Option<String> {
        if let Some(problem) = self.problem(version) {
            return Some(problem);
        }
        let Scans::Read { releases, .. } = self else { return None };
        let image = image(releases, version)?;
        let findings = image.scan.findings.unwrap_or_default();
        let when = image.scan.completed_at.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)).unwrap_or_default();
        Some(format!(
            "{} {} {when}: {} critical, {} high, {} medium, {} low",
            version.unwrap_or_default(),
            image.scan.source.label(),
            findings.critical,
            findings.high,
            findings.medium,
            findings.low
        ))
    }
}

/// The repository's image tagged `version`.
fn image<'a>(releases: &'a Releases, version: Option<&str>) -> Option<&'a Image> {
    let version = version?;
    releases.images.iter().find(|i| i.tags.iter().any(|t| t == version))
}

fn image_problem(version: &str, image: &Image, threshold: u32) -> Option<String> {
    let scan = &image.scan;
    let Some(status) = &scan.status else { return Some(format!("{version}'s image was never scanned")) };
    let Some(findings) = scan.findings else {
        return Some(format!("{version}'s image has no completed scan ({status})"));
    };
    let when = scan.completed_at.map(|t| t.format(" of %Y-%m-%d").to_string()).unwrap_or_default();
    let plural = if findings.critical == 1 { "vulnerability" } else { "vulnerabilities" };
    (threshold > 0 && findings.critical >= threshold).then(|| {
        format!(
            "{version}'s image has {} critical {plural} ({}{when}; the limit is {threshold})",
            findings.critical,
            scan.source.label()
        )
    })
}
