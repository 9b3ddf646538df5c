//! Alarms across the organization: the rows of `:alarms` and of `silo alarms`, read from the
//! store (every tenant's DescribeAlarms), firing first and longest-firing first.

use crate::model::{Alarm, AlarmState};
use crate::store::Store;
use crate::text::safe_text;
use chrono::SecondsFormat;
use serde::Serialize;

/// One alarm's history (DescribeAlarmHistory, newest first), read when its detail opens; the
/// argument is the alarm's name.
pub const HISTORY: crate::reads::Read<Vec<crate::model::AlarmHistoryItem>> =
    crate::reads::Read::new("alarm_history", crate::model::AwsService::Cloudwatch, 2);

/// One alarm of one tenant. JSON field names are the `silo alarms` contract (docs/cli.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlarmRow {
    pub tenant: String,
    pub account_id: String,
    pub name: String,
    pub state: AlarmState,
    pub reason: String,
    pub updated_at: Option<String>,
    /// Added field: a composite alarm.
    pub composite: bool,
    #[serde(skip)]
    pub since: Option<chrono::DateTime<chrono::Utc>>,
}

impl AlarmRow {
    fn new(tenant: &crate::model::Tenant, a: &Alarm) -> AlarmRow {
        AlarmRow {
            tenant: tenant.name.clone(),
            account_id: tenant.account_id.clone(),
            name: a.name.clone(),
            state: a.state,
            reason: a.reason.clone(),
            updated_at: a.since.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
            composite: a.composite,
            since: a.since,
        }
    }
}

/// Every known alarm (optionally only one state), ALARM first, then the oldest state change.
pub fn rows(store: &Store, state: Option<AlarmState>) -> Vec<AlarmRow> {
    let mut out: Vec<AlarmRow> = store
        .tenants
        .values()
        .flat_map(|r| {
            r.alarms.value().into_iter().flat_map(move |s| s.alarms.iter().map(move |a| AlarmRow::new(&r.tenant, a)))
        })
        .filter(|row| state.is_none_or(|s| row.state == s))
        .collect();
    out.sort_by(|a, b| {
        a.state.cmp(&b.state).then(a.since.cmp(&b.since)).then(a.tenant.cmp(&b.tenant)).then(a.name.cmp(&b.name))
    });
    out
}

pub const CSV_COLUMNS: [&str; 7] = ["tenant", "account_id", "name", "state", "reason", "updated_at", "composite"];

pub fn to_csv(rows: &[AlarmRow]) -> Result<String, csv::Error> {
    let mut writer = crate::text::csv_writer();
    writer.write_record(CSV_COLUMNS)?;
    for r in rows {
        writer.write_record([
            safe_text(&r.tenant),
            safe_text(&r.account_id),
            safe_text(&r.name),
            r.state.label().to_string(),
            safe_text(&r.reason),
            safe_text(r.updated_at.as_deref().unwrap_or_default()),
            r.composite.to_string(),
        ])?;
    }
    let bytes = writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub fn to_table(rows: &[AlarmRow], now: chrono::DateTime<chrono::Utc>) -> String {
    let titles = ["TENANT", "ALARM", "STATE", "FOR", "REASON"].map(String::from);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let age = r.since.map(|t| crate::format::age(t, now)).unwrap_or_default();
            vec![r.tenant.clone(), r.name.clone(), r.state.label().into(), age, crate::format::fit(&r.reason, 90)]
        })
        .collect();
    crate::text::aligned(&titles, &cells)
}
