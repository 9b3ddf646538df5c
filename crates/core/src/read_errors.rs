//! `:errors` and `silo errors`: every read that failed, fleet-wide: which tenant, which AWS
//! service, what kind of failure and what AWS said. The fleet shows a failed read on its tenant's
//! row; this answers "what can silo not see, and why?" in one list, access denied first (it needs
//! an IAM fix, the others mostly pass). Serialized field names are the contract in docs/cli.md.

use crate::error::{ErrorKind, FetchError};
use crate::store::{Store, TenantRecord};
use crate::text::{aligned, safe_text};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

/// One failed read of one tenant (also the `errors` of a tenant in `silo fleet`'s JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorReport {
    pub source: &'static str,
    pub message: String,
    /// denied, throttled, timed_out, not_found, unreachable, other (added field).
    pub kind: ErrorKind,
}

/// Every failed read of a tenant, and a service that was read and is not there: a script must be
/// able to tell "no service" from "not read yet" (the fleet's `service` field is null for both).
pub fn of_tenant(r: &TenantRecord) -> Vec<ErrorReport> {
    let mut out: Vec<ErrorReport> = r.errors().into_iter().map(report).collect();
    if matches!(r.service.value(), Some(None)) {
        let t = &r.tenant;
        let message = format!("ECS service {} not found in cluster {}", t.ecs_service, t.ecs_cluster);
        out.push(ErrorReport { source: "ecs", message, kind: ErrorKind::NotFound });
    }
    out
}

fn report(e: &FetchError) -> ErrorReport {
    ErrorReport { source: e.service.as_str(), message: e.message.clone(), kind: e.kind }
}

/// A failed read with the tenant it belongs to: a row of `:errors`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadErrorRow {
    pub tenant: String,
    pub account_id: String,
    #[serde(flatten)]
    pub error: ErrorReport,
}

/// `silo errors --format json`.
#[derive(Debug, Serialize)]
pub struct ErrorsReport {
    pub generated_at: String,
    /// Tenants listed, and how many of them had a read fail.
    pub tenants: usize,
    pub tenants_with_errors: usize,
    pub errors: Vec<ReadErrorRow>,
}

/// Every failed read of the fleet: denied first, then by tenant and service.
pub fn rows(store: &Store) -> Vec<ReadErrorRow> {
    let mut out: Vec<ReadErrorRow> = store.tenants.values().flat_map(tenant_rows).collect();
    out.sort_by(|a, b| {
        (rank(a.error.kind), &a.tenant, &a.account_id, a.error.source).cmp(&(
            rank(b.error.kind),
            &b.tenant,
            &b.account_id,
            b.error.source,
        ))
    });
    out
}

fn tenant_rows(r: &TenantRecord) -> impl Iterator<Item = ReadErrorRow> + '_ {
    let tenant = &r.tenant;
    of_tenant(r).into_iter().map(|error| ReadErrorRow {
        tenant: tenant.name.clone(),
        account_id: tenant.account_id.clone(),
        error,
    })
}

/// What to fix first: a denied read stays failed until someone changes IAM; an unreachable or
/// timed-out one points at the network; throttling and the rest mostly pass on the next refresh.
pub fn rank(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::Denied => 0,
        ErrorKind::Unreachable => 1,
        ErrorKind::TimedOut => 2,
        ErrorKind::Throttled => 3,
        ErrorKind::NotFound => 4,
        ErrorKind::Other => 5,
    }
}

impl ErrorsReport {
    pub fn from_store(store: &Store, now: DateTime<Utc>) -> ErrorsReport {
        let errors = rows(store);
        let mut accounts: Vec<&str> = errors.iter().map(|e| e.account_id.as_str()).collect();
        accounts.sort_unstable();
        accounts.dedup();
        ErrorsReport {
            generated_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
            tenants: store.tenants.len(),
            tenants_with_errors: accounts.len(),
            errors,
        }
    }
}

/// "2 denied, 1 timed out": the failures of `rows` by kind, most urgent first.
pub fn summary(rows: &[ReadErrorRow]) -> String {
    let mut kinds: Vec<ErrorKind> = rows.iter().map(|r| r.error.kind).collect();
    kinds.sort_by_key(|k| rank(*k));
    let mut parts: Vec<(ErrorKind, usize)> = Vec::new();
    for kind in kinds {
        match parts.last_mut() {
            Some((last, n)) if *last == kind => *n += 1,
            _ => parts.push((kind, 1)),
        }
    }
    parts.iter().map(|(kind, n)| format!("{n} {}", kind.label())).collect::<Vec<_>>().join(", ")
}

pub const CSV_COLUMNS: [&str; 5] = ["tenant", "account_id", "source", "kind", "message"];

pub fn to_csv(rows: &[ReadErrorRow]) -> Result<String, csv::Error> {
    let mut writer = crate::text::csv_writer();
    writer.write_record(CSV_COLUMNS)?;
    for r in rows {
        writer.write_record([
            safe_text(&r.tenant),
            safe_text(&r.account_id),
            r.error.source.to_string(),
            r.error.kind.label().to_string(),
            safe_text(&r.error.message),
        ])?;
    }
    crate::text::csv_text(writer)
}

pub fn to_table(rows: &[ReadErrorRow]) -> String {
    if rows.is_empty() {
        return "every read answered\n".to_string();
    }
    let titles = ["TENANT", "ACCOUNT", "SOURCE", "KIND", "MESSAGE"].map(String::from);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let kind = r.error.kind.label().to_string();
            vec![r.tenant.clone(), r.account_id.clone(), r.error.source.to_string(), kind, r.error.message.clone()]
        })
        .collect();
    aligned(&titles, &cells)
}
