//! `:releases` and `silo releases`: each version, newest first, with its build, its image and
//! scan, and where it stands in the fleet: the customers who certified it, the tenants it is
//! scheduled for and those running it.

use super::train::compare;
use crate::releases::link::{build_of, version_of, version_of_build, without_image};
use crate::releases::{Build, Failure, Image, Releases, Scan, Severities};
use crate::store::{Store, TenantRecord};
use crate::terms::{standing, Standing};
use crate::text::{aligned, safe_text};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

/// `silo releases --format json`.
#[derive(Debug, Serialize)]
pub struct ReleasesReport {
    pub generated_at: String,
    pub registry: String,
    pub region: String,
    pub repository: String,
    pub releases: Vec<ReleaseRow>,
}

/// One version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReleaseRow {
    pub version: String,
    /// Every tag of its image (none when the build pushed none).
    pub tags: Vec<String>,
    pub digest: Option<String>,
    pub pushed_at: Option<DateTime<Utc>>,
    pub size_bytes: Option<i64>,
    pub scan: Option<Scan>,
    pub build: Option<Build>,
    /// Customers (tenants) whose certified versions include it.
    pub certified_by: Vec<String>,
    /// Tenants with an update to it on their schedule.
    pub scheduled_for: Vec<String>,
    /// Tenants whose service runs this image (by tag or digest).
    pub running_on: Vec<String>,
}

impl ReleaseRow {
    /// Critical findings of its scan; None when not scanned (or not complete).
    pub fn critical(&self) -> Option<u32> {
        self.scan.as_ref()?.findings.map(|f| f.critical)
    }
}

/// What a row needs of one tenant, read once for all versions (a frame of 500 versions and 200
/// tenants would otherwise parse every customer's terms 100,000 times).
pub struct Facts {
    name: String,
    standing: Standing,
    /// The running image as (repository path, tag or digest).
    image: Option<(String, String)>,
    scheduled: Vec<String>,
}

impl Facts {
    fn of(r: &TenantRecord, store: &Store) -> Facts {
        let running = r.service.value().and_then(|s| s.as_ref()).and_then(|s| s.image.as_deref());
        let updates = store.scheduled.get(&r.tenant.account_id).and_then(|l| l.value());
        Facts {
            name: r.tenant.name.clone(),
            standing: standing(&r.tenant),
            image: running.map(split_image),
            scheduled: updates.map(|u| u.iter().filter_map(|s| s.to_version.clone()).collect()).unwrap_or_default(),
        }
    }

    fn certified(&self, version: &str) -> bool {
        self.standing.certified_ok(Some(version)) == Some(true)
    }

    fn scheduled_to(&self, version: &str) -> bool {
        self.scheduled.iter().any(|v| v == version)
    }

    /// Whether it runs `image` of this repository: `…/<repository>:<tag>` with one of its tags,
    /// or `…/<repository>@<digest>`. Another repository's `app:1.5.0` is not this one.
    fn runs(&self, repository: &str, image: &Image) -> bool {
        let Some((path, reference)) = &self.image else { return false };
        path == repository && (reference == &image.digest || image.tags.iter().any(|t| t == reference))
    }
}

/// `registry/opsfactor/app:1.5.0` → (`opsfactor/app`, `1.5.0`); `…@sha256:…` → (path, digest).
fn split_image(running: &str) -> (String, String) {
    let (repository, reference) = match running.split_once('@') {
        Some((repository, digest)) => (repository, digest),
        None => running.rsplit_once(':').filter(|(_, tag)| !tag.contains('/')).unwrap_or((running, "latest")),
    };
    let path = repository.split_once('/').map_or(repository, |(_, path)| path);
    (path.to_string(), reference.to_string())
}

/// A version before it is joined with the fleet: an image, or a run that pushed none.
#[derive(Debug, Clone, Copy)]
pub enum Entry<'a> {
    Image(&'a Image),
    Run(&'a Build),
}

impl Entry<'_> {
    pub fn version(&self) -> String {
        match self {
            Entry::Image(image) => version_of(image).unwrap_or_default().to_string(),
            Entry::Run(build) => run_version(build),
        }
    }

    fn newest(&self) -> Option<DateTime<Utc>> {
        match self {
            Entry::Image(image) => image.pushed_at,
            Entry::Run(build) => build.started,
        }
    }
}

/// The versions, newest first (pushed, or started for a run without an image), without the
/// fleet: cheap enough for every keystroke; `row` joins one with the fleet.
pub fn order(releases: &Releases) -> Vec<Entry<'_>> {
    let images = releases.images.iter().filter(|i| version_of(i).is_some()).map(Entry::Image);
    let runs = without_image(releases).into_iter().map(Entry::Run);
    let mut entries: Vec<(Entry, String)> = images.chain(runs).map(|e| (e, e.version())).collect();
    entries.sort_by(|(a, va), (b, vb)| b.newest().cmp(&a.newest()).then_with(|| compare(vb, va)));
    entries.into_iter().map(|(e, _)| e).collect()
}

/// What the rows need of every tenant, read once per frame or report.
pub fn facts(store: &Store) -> Vec<Facts> {
    store.tenants.values().map(|r| Facts::of(r, store)).collect()
}

/// One version joined with the fleet.
pub fn row(releases: &Releases, entry: Entry, facts: &[Facts]) -> ReleaseRow {
    match entry {
        Entry::Image(image) => image_row(releases, image, facts),
        Entry::Run(build) => build_row(build, facts),
    }
}

/// Every version, newest first: the registry's images and the runs that pushed none.
pub fn rows(releases: &Releases, store: &Store) -> Vec<ReleaseRow> {
    let facts = facts(store);
    order(releases).into_iter().map(|e| row(releases, e, &facts)).collect()
}

fn names(facts: &[Facts], keep: impl Fn(&Facts) -> bool) -> Vec<String> {
    facts.iter().filter(|f| keep(f)).map(|f| f.name.clone()).collect()
}

fn image_row(releases: &Releases, image: &Image, facts: &[Facts]) -> ReleaseRow {
    let version = version_of(image).unwrap_or_default().to_string();
    ReleaseRow {
        tags: image.tags.clone(),
        digest: Some(image.digest.clone()),
        pushed_at: image.pushed_at,
        size_bytes: image.size_bytes,
        scan: Some(image.scan.clone()),
        build: build_of(image, &releases.builds).cloned(),
        certified_by: names(facts, |f| f.certified(&version)),
        scheduled_for: names(facts, |f| f.scheduled_to(&version)),
        running_on: names(facts, |f| f.runs(&releases.repository, image)),
        version,
    }
}

/// A run's version: the one among its variables, else its execution id.
fn run_version(build: &Build) -> String {
    let short: String = build.execution_id.chars().take(8).collect();
    version_of_build(build).map(str::to_string).unwrap_or(format!("run {short}"))
}

/// A run that pushed no image: its version from its variables, else its execution id.
fn build_row(build: &Build, facts: &[Facts]) -> ReleaseRow {
    let version = run_version(build);
    ReleaseRow {
        tags: Vec::new(),
        digest: None,
        pushed_at: None,
        size_bytes: None,
        scan: None,
        build: Some(build.clone()),
        certified_by: names(facts, |f| f.certified(&version)),
        scheduled_for: names(facts, |f| f.scheduled_to(&version)),
        running_on: Vec::new(),
        version,
    }
}

impl ReleasesReport {
    pub fn new(releases: &Releases, store: &Store, now: DateTime<Utc>) -> ReleasesReport {
        ReleasesReport {
            generated_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
            registry: releases.registry.clone(),
            region: releases.region.clone(),
            repository: releases.repository.clone(),
            releases: rows(releases, store),
        }
    }
}

/// `critical 2 · high 5`, `not scanned`, `scan in_progress`: what the VULNS cell says.
pub fn vulnerabilities(scan: Option<&Scan>) -> String {
    let Some(scan) = scan else { return "no image".into() };
    match (&scan.status, &scan.findings) {
        (None, _) => "not scanned".into(),
        (Some(_), Some(f)) => counts(f),
        (Some(status), None) => scan_state(status).into(),
    }
}

/// ECR's scan status in a few words (`ScanStatus` in the ECR API model).
pub fn scan_state(status: &str) -> &'static str {
    match status {
        "IN_PROGRESS" | "PENDING" | "ACTIVE" => "scanning",
        "COMPLETE" => "scanned",
        "FAILED" => "scan failed",
        "UNSUPPORTED_IMAGE" => "unsupported",
        "SCAN_ELIGIBILITY_EXPIRED" => "scan expired",
        "FINDINGS_UNAVAILABLE" => "no findings",
        "LIMIT_EXCEEDED" => "scan limit hit",
        "IMAGE_ARCHIVED" => "archived",
        "IMAGE_SIZE_EXCEEDED" => "too large",
        _ => "scan unknown",
    }
}

fn counts(f: &Severities) -> String {
    if f.critical + f.high + f.medium + f.low + f.other == 0 {
        return "none found".into();
    }
    format!("C{} H{} M{} L{}", f.critical, f.high, f.medium, f.low)
}

/// `Succeeded`, `Failed at Build/BuildImage`: what the BUILD cell says.
pub fn build_cell(build: Option<&Build>) -> String {
    match build {
        None => "no run found".into(),
        Some(Build { failure: Some(Failure { stage, action, .. }), status, .. }) => {
            format!("{status} at {stage}/{action}")
        }
        Some(b) => b.status.clone(),
    }
}

fn time(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)).unwrap_or_default()
}

pub const CSV_COLUMNS: [&str; 15] = [
    "version",
    "tags",
    "digest",
    "pushed_at",
    "size_bytes",
    "scan_status",
    "critical",
    "high",
    "build_status",
    "pipeline",
    "execution_id",
    "commit",
    "certified_by",
    "scheduled_for",
    "running_on",
];

pub fn to_csv(rows: &[ReleaseRow]) -> Result<String, csv::Error> {
    let mut writer = crate::text::csv_writer();
    writer.write_record(CSV_COLUMNS)?;
    for r in rows {
        writer.write_record(csv_cells(r))?;
    }
    crate::text::csv_text(writer)
}

fn csv_cells(r: &ReleaseRow) -> Vec<String> {
    let findings = r.scan.as_ref().and_then(|s| s.findings);
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    let build = r.build.as_ref();
    let text = |v: Option<&String>| v.map(|v| safe_text(v)).unwrap_or_default();
    vec![
        safe_text(&r.version),
        safe_text(&r.tags.join(" ")),
        text(r.digest.as_ref()),
        time(r.pushed_at),
        r.size_bytes.map(|n| n.to_string()).unwrap_or_default(),
        text(r.scan.as_ref().and_then(|s| s.status.as_ref())),
        number(findings.map(|f| f.critical)),
        number(findings.map(|f| f.high)),
        text(build.map(|b| &b.status)),
        text(build.map(|b| &b.pipeline)),
        text(build.map(|b| &b.execution_id)),
        text(build.and_then(|b| b.commit.as_ref())),
        safe_text(&r.certified_by.join(" ")),
        safe_text(&r.scheduled_for.join(" ")),
        safe_text(&r.running_on.join(" ")),
    ]
}

pub fn to_table(rows: &[ReleaseRow]) -> String {
    let titles =
        ["VERSION", "PUSHED", "BUILD", "COMMIT", "VULNS", "CERTIFIED", "SCHEDULED", "RUNNING"].map(String::from);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let commit = r.build.as_ref().and_then(|b| b.commit.as_deref()).unwrap_or_default();
            vec![
                r.version.clone(),
                r.pushed_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
                build_cell(r.build.as_ref()),
                commit.chars().take(8).collect(),
                vulnerabilities(r.scan.as_ref()),
                r.certified_by.len().to_string(),
                r.scheduled_for.len().to_string(),
                r.running_on.len().to_string(),
            ]
        })
        .collect();
    aligned(&titles, &cells)
}
