//! The fleet's COMPLIANCE column: the account's Config rule counts from the aggregator, shown
//! beside the health (it says where to look, not that the tenant is down).

use super::TenantCompliance;
use crate::column::{decode_as, field, line, CardLine, ColumnData, ColumnSpec, Scope};
use crate::model::AwsService;
use crate::role::Role;
use chrono::{DateTime, Utc};
use serde::Serialize;

pub const COLUMN: ColumnSpec = ColumnSpec {
    name: "compliance",
    title: "COMPLIANCE",
    width: 21,
    priority: 5,
    service: AwsService::Config,
    scope: Scope::OrgWide,
    reuse_for: None,
    section: "Config compliance",
    absent: ("rules", "no data ([compliance] unset or account not aggregated)"),
    json: "compliance",
    csv: &["compliance_noncompliant_rules"],
    decode: decode_as::<TenantCompliance>,
};

/// The fleet report's `compliance` field (docs/cli.md).
#[derive(Debug, Serialize)]
pub struct ComplianceCounts {
    pub noncompliant_rules: u32,
    pub compliant_rules: u32,
    /// Config capped the count: the real number is larger (added fields).
    pub noncompliant_rules_capped: bool,
    pub compliant_rules_capped: bool,
}

impl ColumnData for TenantCompliance {
    fn cell(&self) -> (String, Role) {
        self.fleet_cell()
    }

    fn sort_key(&self) -> i64 {
        i64::from(self.noncompliant_rules)
    }

    fn report(&self) -> serde_json::Value {
        let counts = ComplianceCounts {
            noncompliant_rules: self.noncompliant_rules,
            compliant_rules: self.compliant_rules,
            noncompliant_rules_capped: self.noncompliant_capped,
            compliant_rules_capped: self.compliant_capped,
        };
        serde_json::to_value(counts).unwrap_or_default()
    }

    fn csv(&self) -> Vec<String> {
        vec![self.noncompliant_rules.to_string()]
    }

    /// The counts, then each non-compliant rule where it runs.
    fn card(&self, _now: DateTime<Utc>) -> Vec<CardLine> {
        let (text, role) = self.fleet_cell();
        let rules =
            self.noncompliant().map(|r| line(format!("{} {} ({})", r.name, r.compliance, r.region), Role::Warning));
        std::iter::once(field("rules", text, role)).chain(rules).collect()
    }

    fn encode(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}
