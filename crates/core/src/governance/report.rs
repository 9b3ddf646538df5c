//! `silo governance`: one row per tenant with everything Control Tower says of its account (the
//! contract in docs/cli.md: field names are only ever added).

use super::{Control, Enrolment, LandingZone, State, TenantGovernance};
use crate::text::safe_text;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GovernanceRow {
    pub tenant: String,
    pub account_id: String,
    /// null when it could not be read (`error` says why).
    pub state: Option<State>,
    pub ou: Option<String>,
    pub landing_zone: Option<LandingZone>,
    /// The account's enrolment: SUCCEEDED, FAILED or UNDER_CHANGE (null: not enrolled).
    pub enrolment_status: Option<String>,
    pub baselines: Vec<Enrolment>,
    pub controls: Vec<Control>,
    /// What drifted: `landing zone`, `baseline …`, `control …`.
    pub drifted: Vec<String>,
    pub error: Option<String>,
}

pub fn row(tenant: &str, account_id: &str, value: Result<Option<&TenantGovernance>, String>) -> GovernanceRow {
    let (known, error) = match value {
        Ok(known) => (known, None),
        Err(why) => (None, Some(why)),
    };
    GovernanceRow {
        tenant: tenant.into(),
        account_id: account_id.into(),
        state: known.map(TenantGovernance::state),
        ou: known.and_then(|g| g.ou.clone()),
        landing_zone: known.and_then(|g| g.landing_zone.clone()),
        enrolment_status: known.and_then(|g| g.enrolment_status().map(str::to_string)),
        baselines: known.map(|g| g.baselines.clone()).unwrap_or_default(),
        controls: known.map(|g| g.controls.clone()).unwrap_or_default(),
        drifted: known.map(TenantGovernance::drift).unwrap_or_default(),
        error,
    }
}

impl GovernanceRow {
    fn state_text(&self) -> &'static str {
        self.state.map(|s| s.cell().0).unwrap_or("")
    }

    fn drifted_controls(&self) -> usize {
        self.controls.iter().filter(|c| c.drift.as_deref() == Some(super::DRIFTED)).count()
    }
}

pub const CSV_COLUMNS: [&str; 11] = [
    "tenant",
    "account_id",
    "state",
    "ou",
    "landing_zone_version",
    "landing_zone_drift",
    "enrolment_status",
    "enabled_controls",
    "drifted_controls",
    "drifted",
    "error",
];

/// One CSV row per tenant; what drifted joined by `; `.
pub fn to_csv(rows: &[GovernanceRow]) -> Result<String, csv::Error> {
    let mut writer = crate::text::csv_writer();
    writer.write_record(CSV_COLUMNS)?;
    for r in rows {
        let zone = r.landing_zone.as_ref();
        let text = |v: Option<&String>| v.map(|v| safe_text(v)).unwrap_or_default();
        writer.write_record([
            safe_text(&r.tenant),
            safe_text(&r.account_id),
            r.state_text().to_string(),
            text(r.ou.as_ref()),
            text(zone.map(|z| &z.version)),
            text(zone.and_then(|z| z.drift.as_ref())),
            text(r.enrolment_status.as_ref()),
            r.controls.len().to_string(),
            r.drifted_controls().to_string(),
            safe_text(&r.drifted.join("; ")),
            text(r.error.as_ref()),
        ])?;
    }
    crate::text::csv_text(writer)
}

pub fn to_table(rows: &[GovernanceRow]) -> String {
    let titles = ["TENANT", "ACCOUNT", "STATE", "OU", "CONTROLS", "DRIFTED"].map(String::from);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let last = r.error.clone().map(|e| format!("✗ {e}")).unwrap_or_else(|| r.drifted.join(", "));
            let controls = if r.state.is_some() { r.controls.len().to_string() } else { "-".into() };
            let ou = r.ou.clone().unwrap_or_else(|| "-".into());
            vec![r.tenant.clone(), r.account_id.clone(), r.state_text().to_string(), ou, controls, last]
        })
        .collect();
    crate::text::aligned(&titles, &cells)
}
