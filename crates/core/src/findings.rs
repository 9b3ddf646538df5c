//! Security findings as silo shows them: one model for Security Hub (ASFF and OCSF) and
//! GuardDuty, attribution to tenants by account id, the open/closed rule, filters and the
//! headless JSON/CSV contract of `silo findings`.

use crate::text::safe_text;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

mod list;

pub use list::{add_beyond, merge_open, Beyond, FindingList, FindingsAsk, Keeper, DEFAULT_PER_ACCOUNT};

/// Open findings of one tenant by severity label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FindingCounts {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

impl FindingCounts {
    pub fn add(&mut self, other: FindingCounts) {
        self.critical += other.critical;
        self.high += other.high;
        self.medium += other.medium;
        self.low += other.low;
    }

    pub fn add_label(&mut self, label: &str) {
        match label {
            "CRITICAL" => self.critical += 1,
            "HIGH" => self.high += 1,
            "MEDIUM" => self.medium += 1,
            "LOW" => self.low += 1,
            _ => {}
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingSource {
    Securityhub,
    Guardduty,
}

impl FindingSource {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingSource::Securityhub => "securityhub",
            FindingSource::Guardduty => "guardduty",
        }
    }

    pub fn parse(text: &str) -> Option<FindingSource> {
        match text.trim().to_ascii_lowercase().as_str() {
            "securityhub" => Some(FindingSource::Securityhub),
            "guardduty" => Some(FindingSource::Guardduty),
            _ => None,
        }
    }
}

/// Ordered from least to most severe, so sorting descending puts CRITICAL first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    Informational,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] =
        [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Informational];

    pub fn label(self) -> &'static str {
        match self {
            Severity::Critical => "CRITICAL",
            Severity::High => "HIGH",
            Severity::Medium => "MEDIUM",
            Severity::Low => "LOW",
            Severity::Informational => "INFORMATIONAL",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.label().eq_ignore_ascii_case(text.trim()))
    }
}

/// One finding. Text fields are sanitized when the finding is built (they are attacker-influenced:
/// resource names, tags, titles), and capped so a 1 MB description cannot bloat the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub id: String,
    pub source: FindingSource,
    /// Security Hub product ARN (needed to update the finding); GuardDuty detector id.
    pub product: String,
    pub account_id: String,
    /// Filled by `attribute`: None for accounts that are not tenants.
    pub tenant: Option<String>,
    pub region: String,
    pub severity: Severity,
    pub title: String,
    pub description: String,
    /// Security Hub workflow status (NEW, NOTIFIED, RESOLVED, SUPPRESSED) or ARCHIVED/ACTIVE.
    pub status: String,
    /// Whether the finding counts as open (Security Hub ACTIVE + NEW/NOTIFIED; GuardDuty not archived).
    pub open: bool,
    pub resource: String,
    pub resource_type: String,
    pub kind: String,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    pub remediation: String,
    pub remediation_url: String,
    /// The finding as JSON, pretty-printed, for the detail pane (sanitized, capped).
    pub raw: String,
}

/// Longest text kept from one field of a finding.
pub const MAX_FIELD: usize = 4_000;
/// Longest JSON kept for the detail pane.
pub const MAX_RAW: usize = 64_000;

pub fn text(value: Option<&str>) -> String {
    crate::sanitize::clean_truncated(value.unwrap_or(""), MAX_FIELD)
}

/// Pretty JSON, size capped. serde escapes only C0 controls: every line also goes through the
/// sanitizer, so C1 controls, bidi overrides and zero-width characters never reach the terminal.
pub fn raw_json(value: &serde_json::Value) -> String {
    let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
    let pretty: String = pretty.lines().map(crate::sanitize::clean).collect::<Vec<_>>().join("\n");
    if pretty.len() <= MAX_RAW {
        return pretty;
    }
    let cut: String = pretty.chars().take(MAX_RAW).collect();
    format!("{cut}\n… (truncated, {} bytes in all)", pretty.len())
}

pub fn parse_time(value: Option<&str>) -> Option<DateTime<Utc>> {
    value.and_then(|v| DateTime::parse_from_rfc3339(v.trim()).ok()).map(|t| t.with_timezone(&Utc))
}

/// Sets `tenant` from the account id; accounts that are not tenants keep None.
pub fn attribute(findings: &mut [Finding], tenants: &HashMap<String, String>) {
    for f in findings {
        f.tenant = tenants.get(&f.account_id).cloned();
    }
}

/// Open findings per account, for the fleet's counts: the kept ones and those counted beyond
/// the cap.
pub fn counts(list: &FindingList) -> HashMap<String, FindingCounts> {
    let mut out: HashMap<String, FindingCounts> = HashMap::new();
    for f in list.iter().filter(|f| f.open) {
        out.entry(f.account_id.clone()).or_default().add_label(f.severity.label());
    }
    for (account, beyond) in &list.beyond {
        out.entry(account.clone()).or_default().add(beyond.open);
    }
    out
}

/// What `silo findings` and the `:findings` filters select.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub tenant: Option<String>,
    pub severities: Vec<Severity>,
    pub source: Option<FindingSource>,
    pub open_only: bool,
}

impl Selection {
    pub fn matches(&self, f: &Finding) -> bool {
        (!self.open_only || f.open)
            && (self.severities.is_empty() || self.severities.contains(&f.severity))
            && self.source.is_none_or(|s| s == f.source)
            && self.tenant.as_ref().is_none_or(|t| f.tenant.as_deref() == Some(t.as_str()) || &f.account_id == t)
    }
}

/// The JSON contract of `silo findings` (docs/cli.md): add fields, never rename.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingRow {
    pub id: String,
    pub source: FindingSource,
    pub tenant: Option<String>,
    pub account_id: String,
    pub severity: Severity,
    pub title: String,
    pub status: String,
    pub resource: String,
    pub updated_at: Option<String>,
    /// Added fields.
    pub region: String,
    pub kind: String,
}

impl From<&Finding> for FindingRow {
    fn from(f: &Finding) -> Self {
        FindingRow {
            id: f.id.clone(),
            source: f.source,
            tenant: f.tenant.clone(),
            account_id: f.account_id.clone(),
            severity: f.severity,
            title: f.title.clone(),
            status: f.status.clone(),
            resource: f.resource.clone(),
            updated_at: f.updated_at.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
            region: f.region.clone(),
            kind: f.kind.clone(),
        }
    }
}

pub const CSV_COLUMNS: [&str; 11] =
    ["id", "source", "tenant", "account_id", "severity", "title", "status", "resource", "updated_at", "region", "kind"];

/// RFC 4180 CSV for security reviews: stable columns, formula injection defused.
pub fn to_csv(rows: &[FindingRow]) -> Result<String, csv::Error> {
    let mut writer = crate::text::csv_writer();
    writer.write_record(CSV_COLUMNS)?;
    for r in rows {
        writer.write_record([
            safe_text(&r.id),
            r.source.as_str().to_string(),
            safe_text(r.tenant.as_deref().unwrap_or("")),
            safe_text(&r.account_id),
            r.severity.label().to_string(),
            safe_text(&r.title),
            safe_text(&r.status),
            safe_text(&r.resource),
            safe_text(r.updated_at.as_deref().unwrap_or_default()),
            safe_text(&r.region),
            safe_text(&r.kind),
        ])?;
    }
    crate::text::csv_text(writer)
}

pub fn to_table(rows: &[FindingRow]) -> String {
    let titles = ["SEVERITY", "TENANT", "SOURCE", "STATUS", "TITLE", "RESOURCE", "UPDATED"].map(String::from);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.severity.label().to_string(),
                r.tenant.clone().unwrap_or_else(|| format!("({})", r.account_id)),
                r.source.as_str().to_string(),
                r.status.clone(),
                crate::format::fit(&r.title, 60),
                crate::format::fit(&r.resource, 50),
                safe_text(r.updated_at.as_deref().unwrap_or_default()),
            ]
        })
        .collect();
    crate::text::aligned(&titles, &cells)
}

/// Severity first, then most recently updated.
pub fn sort_for_review(rows: &mut [&Finding]) {
    rows.sort_by(|a, b| b.severity.cmp(&a.severity).then(b.updated_at.cmp(&a.updated_at)).then(a.id.cmp(&b.id)));
}

/// GuardDuty's numeric severity bands: Low 1.0–3.9, Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0.
pub fn severity_label(score: f64) -> &'static str {
    if score >= 9.0 {
        "CRITICAL"
    } else if score >= 7.0 {
        "HIGH"
    } else if score >= 4.0 {
        "MEDIUM"
    } else if score >= 1.0 {
        "LOW"
    } else {
        "INFORMATIONAL"
    }
}

/// Findings read through GetFindingsV2 (OCSF) carry this prefix on their product; they are changed
/// with BatchUpdateFindingsV2, whatever product raised them (GuardDuty's included).
pub const OCSF_PRODUCT_PREFIX: &str = "ocsf:";

impl Finding {
    /// Read through Security Hub v2 (OCSF).
    pub fn is_ocsf(&self) -> bool {
        self.product.starts_with(OCSF_PRODUCT_PREFIX)
    }
}

/// OCSF status_id for a Security Hub workflow status.
pub fn ocsf_status_id(workflow: &str) -> Option<i32> {
    match workflow {
        "NOTIFIED" => Some(2),
        "SUPPRESSED" => Some(3),
        "RESOLVED" => Some(4),
        _ => None,
    }
}

/// Open findings as known, after silo's own workflow change went through for `processed`: those
/// take `status` and leave the list when it closes them (RESOLVED, SUPPRESSED). Security Hub's
/// BatchUpdateFindings leaves `UpdatedAt` as it was (API reference), so a read of what changed
/// since would never bring them back: the change is applied here, at once. What was counted
/// beyond the cap stays counted (silo acts on findings it shows, which are kept ones).
pub fn after_own_triage(
    known: &FindingList,
    processed: &std::collections::HashSet<String>,
    status: &str,
) -> FindingList {
    let still_open = matches!(status, "NEW" | "NOTIFIED");
    let findings = known
        .iter()
        .filter(|f| still_open || !processed.contains(&f.id))
        .map(|f| match processed.contains(&f.id) {
            true => Finding { status: status.to_string(), ..f.clone() },
            false => f.clone(),
        })
        .collect();
    FindingList { findings, beyond: known.beyond.clone() }
}

#[cfg(test)]
mod tests;

/// A plain open or closed Security Hub finding, for the tests of every crate.
#[doc(hidden)]
pub mod tests_support {
    use super::*;

    pub fn finding(id: &str, account: &str, severity: Severity, open: bool) -> Finding {
        Finding {
            id: id.into(),
            source: FindingSource::Securityhub,
            product: "arn:aws:securityhub:us-east-1::product/aws/securityhub".into(),
            account_id: account.into(),
            tenant: None,
            region: "us-east-1".into(),
            severity,
            title: format!("title {id}"),
            description: String::new(),
            status: if open { "NEW".into() } else { "RESOLVED".into() },
            open,
            resource: "arn:aws:rds:us-east-1:1:db:app".into(),
            resource_type: "AwsRdsDbInstance".into(),
            kind: "RDS.3".into(),
            first_seen: None,
            last_seen: None,
            updated_at: None,
            remediation: String::new(),
            remediation_url: String::new(),
            raw: String::new(),
        }
    }
}
