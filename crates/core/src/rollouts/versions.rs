//! The `silo versions` contract: one row per tenant with the version it runs, its window, its
//! certification and its scheduled updates.

use crate::error::FetchError;
use crate::store::TenantRecord;
use crate::terms::schedule::ScheduledUpdate;
use crate::terms::standing;
use crate::text::{aligned, safe_text};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionRow {
    pub tenant: String,
    pub account_id: String,
    /// `family:revision` of the task definition the service runs.
    pub revision: Option<String>,
    pub image: Option<String>,
    pub version: Option<String>,
    /// The window as stated (tag or config), even when it could not be read.
    pub window: Option<String>,
    pub window_open: Option<bool>,
    pub next_window_start: Option<String>,
    /// The certified versions; null when the customer certifies nothing.
    pub certified: Option<Vec<String>>,
    /// Whether `version` is certified; null without a certification list.
    pub certified_ok: Option<bool>,
    pub scheduled: Vec<ScheduledRow>,
    /// The tenant's Service Catalog products; null when `[tenants] service_catalog` is off (or
    /// they could not be read: then `error` says why).
    pub provisioned: Option<Vec<crate::catalog::Provisioned>>,
    /// What could not be read or understood for this tenant (null when everything was).
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduledRow {
    pub name: String,
    pub at: String,
    pub to_revision: u32,
    pub to_version: Option<String>,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn row(r: &TenantRecord, scheduled: Result<&[ScheduledUpdate], &FetchError>, now: DateTime<Utc>) -> VersionRow {
    let s = standing(&r.tenant);
    let service = r.service.value().and_then(|s| s.as_ref());
    let version = service.and_then(|s| s.version.clone());
    let window = s.window.as_ref().and_then(|w| w.as_ref().ok());
    let mut problems = s.problems();
    problems.extend(r.service.error().map(|e| format!("service: {e}")));
    problems.extend(scheduled.err().map(|e| format!("schedules: {e}")));
    VersionRow {
        tenant: r.tenant.name.clone(),
        account_id: r.tenant.account_id.clone(),
        revision: service.map(|s| s.task_definition.clone()).filter(|t| !t.is_empty()),
        image: service.and_then(|s| s.image.clone()),
        certified_ok: s.certified_ok(version.as_deref()),
        version,
        window: r.tenant.terms.window.clone(),
        window_open: window.map(|w| w.open_at(now).is_some()),
        next_window_start: window.and_then(|w| w.next_after(now)).map(|o| rfc3339(o.start)),
        certified: s.certified.as_ref().and_then(|c| c.as_ref().ok()).map(|c| c.patterns.clone()),
        scheduled: scheduled.unwrap_or_default().iter().map(scheduled_row).collect(),
        provisioned: None,
        error: (!problems.is_empty()).then(|| problems.join("; ")),
    }
}

impl VersionRow {
    /// The row with the tenant's Service Catalog products (None: not read by this source); a
    /// failed read joins the row's error.
    pub fn with_provisioned(
        mut self,
        provisioned: Result<Option<&[crate::catalog::Provisioned]>, &FetchError>,
    ) -> VersionRow {
        match provisioned {
            Ok(products) => self.provisioned = products.map(<[_]>::to_vec),
            Err(e) => {
                let problem = format!("service catalog: {e}");
                self.error = Some(match self.error.take() {
                    Some(before) => format!("{before}; {problem}"),
                    None => problem,
                });
            }
        }
        self
    }
}

fn scheduled_row(u: &ScheduledUpdate) -> ScheduledRow {
    ScheduledRow {
        name: u.name.clone(),
        at: rfc3339(u.at),
        to_revision: u.to_revision,
        to_version: u.to_version.clone(),
    }
}

pub const CSV_COLUMNS: [&str; 13] = [
    "tenant",
    "account_id",
    "revision",
    "image",
    "version",
    "window",
    "window_open",
    "next_window_start",
    "certified",
    "certified_ok",
    "scheduled",
    "error",
    "provisioned",
];

/// One line per tenant; lists joined by spaces, schedules as `at→r<N>`.
pub fn to_csv(rows: &[VersionRow]) -> Result<String, csv::Error> {
    let text = |v: &Option<String>| safe_text(v.as_deref().unwrap_or(""));
    let flag = |b: Option<bool>| b.map(|b| b.to_string()).unwrap_or_default();
    let mut writer = crate::text::csv_writer();
    writer.write_record(CSV_COLUMNS)?;
    for r in rows {
        let scheduled: Vec<String> = r.scheduled.iter().map(|s| format!("{}→r{}", s.at, s.to_revision)).collect();
        writer.write_record([
            safe_text(&r.tenant),
            safe_text(&r.account_id),
            text(&r.revision),
            text(&r.image),
            text(&r.version),
            text(&r.window),
            flag(r.window_open),
            text(&r.next_window_start),
            safe_text(&r.certified.as_ref().map(|c| c.join(" ")).unwrap_or_default()),
            flag(r.certified_ok),
            scheduled.join(" "),
            text(&r.error),
            safe_text(&r.provisioned.as_deref().map(|p| crate::catalog::cell(p).0).unwrap_or_default()),
        ])?;
    }
    crate::text::csv_text(writer)
}

pub fn to_table(rows: &[VersionRow], now: DateTime<Utc>) -> String {
    let catalog = rows.iter().any(|r| r.provisioned.is_some());
    let mut titles = ["TENANT", "VERSION", "REVISION", "WINDOW", "CERTIFIED", "SCHEDULED"].map(String::from).to_vec();
    if catalog {
        titles.push("CATALOG".into());
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let window = match (&r.window_open, &r.next_window_start) {
                (Some(true), _) => "open now".to_string(),
                (_, Some(next)) => format!("next {next}"),
                _ => r.window.clone().map(|_| "✗ unreadable".to_string()).unwrap_or_else(|| "—".into()),
            };
            let certified = match r.certified_ok {
                Some(true) => "certified",
                Some(false) => "NOT certified",
                None => "—",
            };
            let scheduled: Vec<String> = r
                .scheduled
                .iter()
                .map(|s| {
                    format!("r{} {} in {}", s.to_revision, s.to_version.as_deref().unwrap_or("?"), due(&s.at, now))
                })
                .collect();
            let version =
                r.version.clone().unwrap_or_else(|| if r.error.is_some() { "✗".into() } else { String::new() });
            let mut cells = vec![
                r.tenant.clone(),
                version,
                r.revision.clone().unwrap_or_default(),
                window,
                certified.into(),
                scheduled.join(", "),
            ];
            if catalog {
                cells.push(r.provisioned.as_deref().map(|p| crate::catalog::cell(p).0).unwrap_or_default());
            }
            cells
        })
        .collect();
    let mut out = aligned(&titles, &cells);
    let errors: Vec<String> =
        rows.iter().filter_map(|r| r.error.as_ref().map(|e| format!("{}: {e}\n", r.tenant))).collect();
    if !errors.is_empty() {
        out.push('\n');
        out.extend(errors);
    }
    out
}

fn due(at: &str, now: DateTime<Utc>) -> String {
    DateTime::parse_from_rfc3339(at)
        .map(|t| crate::terms::window::span(t.with_timezone(&Utc) - now))
        .unwrap_or_default()
}

/// A row of `silo rollout list`: a schedule listed now or made by silo in the look-back
/// (`schedule_outcome`), with what became of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListRow {
    pub tenant: String,
    pub account_id: String,
    pub name: String,
    pub at: String,
    pub to_revision: u32,
    pub to_version: Option<String>,
    /// scheduled, due, landed, failed, not_run or cancelled.
    pub outcome: String,
    /// The outcome in words: Scheduler's error counts, why it did not run, when it landed.
    pub outcome_detail: String,
    /// When the deployment of the planned revision started (landed only).
    pub landed_at: Option<String>,
}

pub fn list_row(t: &crate::schedule_outcome::Tracked, to_version: Option<String>) -> ListRow {
    use crate::schedule_outcome::Outcome;
    let p = &t.planned;
    ListRow {
        tenant: p.tenant.clone(),
        account_id: p.account_id.clone(),
        name: p.name.clone(),
        at: rfc3339(p.at),
        to_revision: p.to_revision,
        to_version,
        outcome: t.outcome.name().to_string(),
        outcome_detail: t.outcome.describe(),
        landed_at: match t.outcome {
            Outcome::Landed { started_at } => started_at.map(rfc3339),
            _ => None,
        },
    }
}

pub fn list_csv(rows: &[ListRow]) -> Result<String, csv::Error> {
    let mut writer = crate::text::csv_writer();
    let titles = ["tenant", "account_id", "name", "at", "to_revision", "to_version", "outcome", "outcome_detail"];
    writer.write_record(titles.iter().chain(&["landed_at"]))?;
    for r in rows {
        writer.write_record([
            safe_text(&r.tenant),
            safe_text(&r.account_id),
            safe_text(&r.name),
            r.at.clone(),
            r.to_revision.to_string(),
            safe_text(r.to_version.as_deref().unwrap_or("")),
            r.outcome.clone(),
            safe_text(&r.outcome_detail),
            r.landed_at.clone().unwrap_or_default(),
        ])?;
    }
    crate::text::csv_text(writer)
}

pub fn list_table(rows: &[ListRow]) -> String {
    let titles = ["AT", "TENANT", "TO", "OUTCOME", "SCHEDULE"].map(String::from);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let to = format!("r{} {}", r.to_revision, r.to_version.as_deref().unwrap_or("?"));
            let outcome = match &r.landed_at {
                Some(at) => format!("landed {at}"),
                None => r.outcome.replace('_', " "),
            };
            vec![r.at.clone(), r.tenant.clone(), to, outcome, r.name.clone()]
        })
        .collect();
    let mut out = aligned(&titles, &cells);
    // Why a schedule failed or did not run is a sentence: under the table, not in a cell.
    let why: Vec<String> = rows
        .iter()
        .filter(|r| matches!(r.outcome.as_str(), "failed" | "not_run" | "due"))
        .map(|r| format!("{} {}: {}\n", r.tenant, r.name, r.outcome_detail))
        .collect();
    if !why.is_empty() {
        out.push('\n');
        out.extend(why);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Rollout, ServiceSummary, Tenant, Terms};
    use crate::store::{Slot, SlotValue};
    use chrono::TimeZone;

    fn record(window: &str, certified: Option<&str>, version: &str) -> TenantRecord {
        let tenant = Tenant {
            name: "acme".into(),
            account_id: "111111111111".into(),
            region: "sa-east-1".into(),
            ecs_cluster: "acme".into(),
            ecs_service: "app".into(),
            terms: Terms { window: Some(window.into()), certified: certified.map(String::from) },
        };
        let mut r = TenantRecord::new(tenant);
        let service = ServiceSummary {
            cluster: "acme".into(),
            name: "app".into(),
            desired: 2,
            running: 2,
            pending: 0,
            task_definition: "acme-app:57".into(),
            rollout: Rollout::Completed,
            image: Some(format!("repo/app:{version}")),
            version: Some(version.into()),
        };
        r.apply(Slot::Service, Ok(SlotValue::Service(Some(service))), Utc::now());
        r
    }

    fn thursday() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap()
    }

    #[test]
    fn a_row_says_version_window_certification_and_schedules() {
        let update = ScheduledUpdate {
            name: "silo-acme-r58-20261206T0200".into(),
            at: Utc.with_ymd_and_hms(2026, 12, 6, 5, 0, 0).unwrap(),
            zone: "America/Sao_Paulo".into(),
            to_revision: 58,
            to_version: Some("1.5.0".into()),
        };
        let r = record("sun 02:00-04:00 America/Sao_Paulo", Some("1.4.x"), "1.5.0");
        let row = row(&r, Ok(std::slice::from_ref(&update)), thursday());
        assert_eq!((row.revision.as_deref(), row.version.as_deref()), (Some("acme-app:57"), Some("1.5.0")));
        assert_eq!((row.window_open, row.next_window_start.as_deref()), (Some(false), Some("2026-12-06T05:00:00Z")));
        assert_eq!((row.certified, row.certified_ok), (Some(vec!["1.4.x".to_string()]), Some(false)));
        assert_eq!(row.scheduled[0].at, "2026-12-06T05:00:00Z");
        assert_eq!(row.error, None);
    }

    #[test]
    fn an_unreadable_window_and_a_failed_schedule_read_are_the_tenants_error() {
        let r = record("every sunday", None, "1.4.2");
        let denied =
            FetchError::new(crate::model::AwsService::Scheduler, crate::error::ErrorKind::Denied, "AccessDenied");
        let row = row(&r, Err(&denied), thursday());
        assert_eq!((row.window.as_deref(), row.window_open, row.certified_ok), (Some("every sunday"), None, None));
        let error = row.error.unwrap_or_default();
        assert!(
            error.starts_with("maintenance window tag: \"every sunday\"") && error.contains("schedules:"),
            "{error}"
        );
    }
}

#[cfg(test)]
mod catalog_tests {
    use super::tests_support::plain_row;
    use crate::catalog::Provisioned;
    use crate::error::{ErrorKind, FetchError};

    #[test]
    fn provisioned_products_are_null_when_not_read_and_a_failed_read_is_the_tenants_error() {
        let env = Provisioned { product: "tenant-env".into(), artifact: "v1.5.0".into(), status: "TAINTED".into() };
        let read = plain_row().with_provisioned(Ok(Some(std::slice::from_ref(&env))));
        assert_eq!(read.provisioned.as_deref(), Some(std::slice::from_ref(&env)));
        let csv = super::to_csv(std::slice::from_ref(&read)).unwrap();
        assert!(csv.lines().nth(1).unwrap().ends_with(",tenant-env v1.5.0 (TAINTED)"), "{csv}");
        let table = super::to_table(std::slice::from_ref(&read), chrono::Utc::now());
        assert!(table.starts_with("TENANT") && table.lines().next().unwrap().ends_with("CATALOG"), "{table}");
        let off = plain_row().with_provisioned(Ok(None));
        assert_eq!((off.provisioned, off.error), (None, None));
        assert!(!super::to_table(&[plain_row()], chrono::Utc::now()).contains("CATALOG"), "no column when not read");
        let denied = FetchError::new(crate::model::AwsService::ServiceCatalog, ErrorKind::Denied, "AccessDenied");
        let failed = plain_row().with_provisioned(Err(&denied));
        assert_eq!(failed.provisioned, None);
        assert!(failed.error.unwrap_or_default().starts_with("service catalog: "));
    }
}

#[cfg(test)]
mod tests_support {
    use super::VersionRow;

    /// A row with nothing read beyond the tenant.
    pub fn plain_row() -> VersionRow {
        VersionRow {
            tenant: "acme".into(),
            account_id: "111111111111".into(),
            revision: None,
            image: None,
            version: None,
            window: None,
            window_open: None,
            next_window_start: None,
            certified: None,
            certified_ok: None,
            scheduled: Vec::new(),
            provisioned: None,
            error: None,
        }
    }
}
