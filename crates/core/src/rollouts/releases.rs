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
    /// Why Inspector could not be read (`[releases] inspector`): the scans are ECR's basic ones
    /// (added field; null when it was read or is off).
    pub inspector_error: Option<String>,
}

/// When rows are made, and how old a completed scan may be before it is shown as old
/// (`[releases] stale_scan_days`; 0: never).
#[derive(Debug, Clone, Copy)]
pub struct ScanClock {
    pub now: DateTime<Utc>,
    pub stale_scan_days: u32,
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
    /// Whole days since its scan completed (added field; null: no completed scan).
    pub scan_age_days: Option<i64>,
    /// Its scan is older than `[releases] stale_scan_days` (added field).
    pub scan_stale: bool,
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
pub fn row(releases: &Releases, entry: Entry, facts: &[Facts], clock: ScanClock) -> ReleaseRow {
    match entry {
        Entry::Image(image) => image_row(releases, image, facts, clock),
        Entry::Run(build) => build_row(build, facts),
    }
}

/// Every version, newest first: the registry's images and the runs that pushed none.
pub fn rows(releases: &Releases, store: &Store, clock: ScanClock) -> Vec<ReleaseRow> {
    let facts = facts(store);
    order(releases).into_iter().map(|e| row(releases, e, &facts, clock)).collect()
}

fn names(facts: &[Facts], keep: impl Fn(&Facts) -> bool) -> Vec<String> {
    facts.iter().filter(|f| keep(f)).map(|f| f.name.clone()).collect()
}

fn image_row(releases: &Releases, image: &Image, facts: &[Facts], clock: ScanClock) -> ReleaseRow {
    let version = version_of(image).unwrap_or_default().to_string();
    ReleaseRow {
        scan_age_days: image.scan.age_days(clock.now),
        scan_stale: image.scan.stale(clock.now, clock.stale_scan_days),
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
        scan_age_days: None,
        scan_stale: false,
        version,
    }
}

impl ReleasesReport {
    pub fn new(releases: &Releases, store: &Store, clock: ScanClock) -> ReleasesReport {
        ReleasesReport {
            generated_at: clock.now.to_rfc3339_opts(SecondsFormat::Secs, true),
            registry: releases.registry.clone(),
            region: releases.region.clone(),
            repository: releases.repository.clone(),
            releases: rows(releases, store, clock),
            inspector_error: releases.inspector_error.clone(),
        }
    }
}

/// `C1 H4 M7 L12`, `not scanned`, `scanning`, `scan expired`: what the VULNS cell says.
pub fn vulnerabilities(scan: Option<&Scan>) -> String {
    let Some(scan) = scan else { return "no image".into() };
    match (&scan.status, &scan.findings) {
        (None, _) => "not scanned".into(),
        (Some(_), Some(f)) => counts(f),
        (Some(status), None) => scan_state(status).into(),
    }
}

/// A scan's status in a few words: ECR's `ScanStatus` and Inspector's coverage reasons
/// (`ScanStatusReason` in the Inspector2 API model) for an image it does not monitor.
pub fn scan_state(status: &str) -> &'static str {
    match status {
        "IN_PROGRESS" | "PENDING" | "ACTIVE" | "PENDING_INITIAL_SCAN" => "scanning",
        "UNSUPPORTED_OS" | "UNSUPPORTED_MEDIA_TYPE" | "UNSUPPORTED_CONFIG_FILE" => "unsupported",
        "STALE_INVENTORY" | "PENDING_DISABLE" => "not monitored",
        "ACCESS_DENIED" | "ACCESS_DENIED_TO_ENCRYPTION_KEY" | "INTERNAL_ERROR" => "scan failed",
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

pub const CSV_COLUMNS: [&str; 18] = [
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
    // Added columns go last: a script reading the first fifteen by position keeps working.
    "scan_source",
    "scan_age_days",
    "scan_stale",
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
        r.scan.as_ref().map(|s| source_name(s.source)).unwrap_or_default(),
        r.scan_age_days.map(|d| d.to_string()).unwrap_or_default(),
        r.scan_stale.to_string(),
    ]
}

/// The JSON's spelling of a scan's source (its serde name), for the CSV cell.
fn source_name(source: crate::releases::ScanSource) -> String {
    serde_json::to_value(source).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// `C1 H4 M7 L12, old` when the scan is older than `stale_scan_days`.
pub fn vulnerabilities_cell(r: &ReleaseRow) -> String {
    let text = vulnerabilities(r.scan.as_ref());
    if r.scan_stale {
        format!("{text}, old")
    } else {
        text
    }
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
                vulnerabilities_cell(r),
                r.certified_by.len().to_string(),
                r.scheduled_for.len().to_string(),
                r.running_on.len().to_string(),
            ]
        })
        .collect();
    aligned(&titles, &cells)
}
