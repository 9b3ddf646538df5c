//! The fleet's GOVERNANCE column: Control Tower's view of the tenant account, shown beside the
//! health (drift says where to look, not that the tenant is down).

use super::{State, TenantGovernance};
use crate::column::{decode_as, field, line, CardLine, ColumnData, ColumnSpec, Scope};
use crate::model::AwsService;
use crate::role::Role;
use chrono::{DateTime, Utc};
use serde::Serialize;

pub const COLUMN: ColumnSpec = ColumnSpec {
    name: "governance",
    title: "GOVERNANCE",
    width: 16,
    priority: 6,
    service: AwsService::ControlTower,
    scope: Scope::OrgWide,
    reuse_for: None,
    section: "Control Tower",
    absent: ("governance", "no data ([governance] unset)"),
    json: "governance",
    csv: &["governance_state", "governance_drifted"],
    decode: decode_as::<TenantGovernance>,
};

/// The fleet report's `governance` field (docs/cli.md).
#[derive(Debug, Serialize)]
pub struct GovernanceSummary {
    pub state: State,
    /// What drifted: `landing zone`, `baseline …`, `control …`.
    pub drifted: Vec<String>,
    pub ou: Option<String>,
    pub landing_zone_version: Option<String>,
    pub enabled_controls: usize,
}

impl TenantGovernance {
    /// `enrolled`, `drifted (2)`, `not enrolled`…
    pub fn fleet_cell(&self) -> (String, Role) {
        let state = self.state();
        let (text, role) = state.cell();
        match state {
            State::Drifted => (format!("{text} ({})", self.drift().len()), role),
            _ => (text.to_string(), role),
        }
    }
}

impl ColumnData for TenantGovernance {
    fn cell(&self) -> (String, Role) {
        self.fleet_cell()
    }

    fn sort_key(&self) -> i64 {
        let worst_first = State::Enrolled as i64 - self.state() as i64;
        worst_first * 1000 + self.drift().len() as i64
    }

    fn report(&self) -> serde_json::Value {
        let summary = GovernanceSummary {
            state: self.state(),
            drifted: self.drift(),
            ou: self.ou.clone(),
            landing_zone_version: self.landing_zone.as_ref().map(|z| z.version.clone()),
            enabled_controls: self.controls.len(),
        };
        serde_json::to_value(summary).unwrap_or_default()
    }

    fn csv(&self) -> Vec<String> {
        vec![self.state().cell().0.to_string(), self.drift().len().to_string()]
    }

    /// The state, the landing zone, the enrolment, then what drifted.
    fn card(&self, _now: DateTime<Utc>) -> Vec<CardLine> {
        let (text, role) = self.fleet_cell();
        let mut lines = vec![field("governance", text, role)];
        if let Some(zone) = &self.landing_zone {
            lines.push(field("landing zone", zone_text(zone), zone_role(zone)));
        }
        if let Some(status) = self.enrolment_status() {
            let ou = self.ou.as_deref().unwrap_or("?");
            lines.push(field("enrolment", format!("{status} through {ou}"), status_role(status)));
        }
        let in_sync = self.controls.len() - self.drifted_controls().count();
        if !self.controls.is_empty() {
            lines.push(field(
                "controls",
                format!("{} enabled on the OU, {in_sync} in sync", self.controls.len()),
                Role::Text,
            ));
        }
        lines.extend(self.drift().into_iter().map(|d| line(format!("{d} drifted"), Role::Warning)));
        lines
    }

    fn encode(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// `3.3 (3.4 available), ACTIVE, DRIFTED`.
fn zone_text(zone: &super::LandingZone) -> String {
    let newer = zone.latest_version.as_ref().filter(|v| **v != zone.version);
    let mut text = zone.version.clone();
    if let Some(v) = newer {
        text.push_str(&format!(" ({v} available)"));
    }
    for part in [&zone.status, &zone.drift].into_iter().flatten() {
        text.push_str(&format!(", {part}"));
    }
    text
}

fn zone_role(zone: &super::LandingZone) -> Role {
    match (zone.status.as_deref(), zone.drift.as_deref()) {
        (Some(super::FAILED), _) => Role::Error,
        (_, Some(super::DRIFTED)) => Role::Warning,
        _ => Role::Ok,
    }
}

fn status_role(status: &str) -> Role {
    match status {
        super::FAILED => Role::Error,
        super::UNDER_CHANGE => Role::Muted,
        _ => Role::Ok,
    }
}
