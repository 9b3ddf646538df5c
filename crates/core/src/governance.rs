//! AWS Control Tower's governance of each tenant account: the landing zone (its version and
//! drift), the account's enrolment (the baselines enabled on it, their status and drift) and the
//! controls enabled on its organizational unit (with their drift). The fleet's GOVERNANCE column,
//! the card's section and the `silo governance` contract (docs/cli.md). Pure: the aws and demo
//! layers fill `TenantGovernance`.

use crate::role::Role;
use serde::{Deserialize, Serialize};

mod column;
mod report;
pub use column::{GovernanceSummary, COLUMN};
pub use report::{row, to_csv, to_table, GovernanceRow};

/// Control Tower's `LandingZoneDriftStatus` / `EnabledBaselineDriftStatus` / `DriftStatus` value
/// for drift (API model `controltower` 2018-05-10).
pub const DRIFTED: &str = "DRIFTED";
/// `EnablementStatus` values.
pub const FAILED: &str = "FAILED";
pub const UNDER_CHANGE: &str = "UNDER_CHANGE";

/// The organization's landing zone (`GetLandingZone`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LandingZone {
    pub version: String,
    /// The newest version Control Tower offers (an update is due when it differs).
    pub latest_version: Option<String>,
    /// ACTIVE, PROCESSING or FAILED.
    pub status: Option<String>,
    /// DRIFTED or IN_SYNC.
    pub drift: Option<String>,
}

/// A baseline enabled on the account (`ListEnabledBaselines` with its children): enrolment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// The baseline's name (AWSControlTowerBaseline…) or, unknown, its id.
    pub baseline: String,
    pub version: Option<String>,
    /// SUCCEEDED, FAILED or UNDER_CHANGE.
    pub status: String,
    /// The inheritance drift from its OU's baseline: DRIFTED or IN_SYNC.
    pub drift: Option<String>,
}

/// A control enabled on the account's organizational unit (`ListEnabledControls`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Control {
    /// The control's name: the end of its identifier (`AWS-GR_RESTRICT_ROOT_USER`, or a Control
    /// Catalog id).
    pub control: String,
    /// SUCCEEDED, FAILED or UNDER_CHANGE.
    pub status: Option<String>,
    /// DRIFTED, IN_SYNC, NOT_CHECKING or UNKNOWN.
    pub drift: Option<String>,
}

/// Everything Control Tower says of one tenant account.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TenantGovernance {
    /// None: the organization has no landing zone.
    pub landing_zone: Option<LandingZone>,
    /// The organizational unit it is enrolled through (its ARN's id, `ou-…`).
    pub ou: Option<String>,
    /// Empty: not enrolled.
    pub baselines: Vec<Enrolment>,
    /// Drifted first, then by name.
    pub controls: Vec<Control>,
}

/// Where a tenant stands, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    NotEnrolled,
    Failed,
    Drifted,
    Changing,
    NoLandingZone,
    Enrolled,
}

impl State {
    /// The fleet cell's words and meaning.
    pub fn cell(self) -> (&'static str, Role) {
        match self {
            State::NotEnrolled => ("not enrolled", Role::Warning),
            State::Failed => ("enrolment failed", Role::Error),
            State::Drifted => ("drifted", Role::Warning),
            State::Changing => ("changing", Role::Muted),
            State::NoLandingZone => ("no landing zone", Role::Muted),
            State::Enrolled => ("enrolled", Role::Ok),
        }
    }
}

fn drifted(drift: Option<&String>) -> bool {
    drift.is_some_and(|d| d == DRIFTED)
}

impl TenantGovernance {
    /// Orders the controls: drifted first, then by name.
    pub fn new(
        landing_zone: Option<LandingZone>,
        ou: Option<String>,
        baselines: Vec<Enrolment>,
        mut controls: Vec<Control>,
    ) -> Self {
        controls
            .sort_by(|a, b| drifted(b.drift.as_ref()).cmp(&drifted(a.drift.as_ref())).then(a.control.cmp(&b.control)));
        TenantGovernance { landing_zone, ou, baselines, controls }
    }

    pub fn state(&self) -> State {
        if self.landing_zone.is_none() {
            return State::NoLandingZone;
        }
        if self.baselines.is_empty() {
            return State::NotEnrolled;
        }
        if self.baselines.iter().any(|b| b.status == FAILED) {
            return State::Failed;
        }
        if !self.drift().is_empty() {
            return State::Drifted;
        }
        match self.baselines.iter().any(|b| b.status == UNDER_CHANGE) {
            true => State::Changing,
            false => State::Enrolled,
        }
    }

    /// What drifted: the landing zone, a baseline of the account, a control of its OU.
    pub fn drift(&self) -> Vec<String> {
        let zone = self.landing_zone.iter().filter(|z| drifted(z.drift.as_ref())).map(|_| "landing zone".to_string());
        let baselines =
            self.baselines.iter().filter(|b| drifted(b.drift.as_ref())).map(|b| format!("baseline {}", b.baseline));
        let controls = self.drifted_controls().map(|c| format!("control {}", c.control));
        zone.chain(baselines).chain(controls).collect()
    }

    pub fn drifted_controls(&self) -> impl Iterator<Item = &Control> {
        self.controls.iter().filter(|c| drifted(c.drift.as_ref()))
    }

    /// The account's enrolment status (the worst of its baselines'), None when not enrolled.
    pub fn enrolment_status(&self) -> Option<&str> {
        let rank = |s: &str| match s {
            FAILED => 0,
            UNDER_CHANGE => 1,
            _ => 2,
        };
        self.baselines.iter().map(|b| b.status.as_str()).min_by_key(|s| rank(s))
    }
}

/// The last part of a Control Tower or Organizations ARN (`…/ou-ab12-cdef3456` → `ou-ab12-cdef3456`).
pub fn arn_tail(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// A baseline's name from its ARN (`arn:aws:controltower:REGION::baseline/ID`): the two ids the
/// Control Tower user guide's "Examples for baseline API usage" names, else the id (GetBaseline
/// would name the rest, one call each, for a label).
pub fn baseline_name(arn: &str) -> String {
    match arn_tail(arn) {
        "17BSJV3IGJ2QSGA2" => "AWSControlTowerBaseline".into(),
        "LN25R72TTG6IGPTQ" => "IdentityCenterBaseline".into(),
        id => id.to_string(),
    }
}

#[cfg(test)]
mod tests;
