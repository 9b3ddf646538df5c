//! AWS Config compliance of each tenant account, as the organization's aggregator sees it: the
//! fleet's COMPLIANCE column, the card's rules and the `silo compliance` contract. Pure: the aws
//! and demo layers fill `TenantCompliance`.

use crate::role::Role;
use serde::{Deserialize, Serialize};

/// One account's rules: the counts of `GetAggregateConfigRuleComplianceSummary` and the rules of
/// `DescribeAggregateComplianceByConfigRules`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TenantCompliance {
    pub noncompliant_rules: u32,
    pub compliant_rules: u32,
    /// Non-compliant rules first, then by name.
    pub rules: Vec<RuleCompliance>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCompliance {
    pub name: String,
    /// `COMPLIANT`, `NON_COMPLIANT`, `NOT_APPLICABLE` or `INSUFFICIENT_DATA`.
    pub compliance: String,
    /// Where the rule runs (an account's rules can run in several regions).
    pub region: String,
}

pub const NON_COMPLIANT: &str = "NON_COMPLIANT";

impl TenantCompliance {
    /// Orders the rules: non-compliant first, then by name and region.
    pub fn new(noncompliant_rules: u32, compliant_rules: u32, mut rules: Vec<RuleCompliance>) -> Self {
        rules.sort_by(|a, b| {
            let rank = |r: &RuleCompliance| r.compliance != NON_COMPLIANT;
            rank(a).cmp(&rank(b)).then(a.name.cmp(&b.name)).then(a.region.cmp(&b.region))
        });
        TenantCompliance { noncompliant_rules, compliant_rules, rules }
    }

    /// The fleet cell: `3 rules non-compliant` (warning) or `12 compliant`.
    pub fn cell(&self) -> (String, Role) {
        match self.noncompliant_rules {
            0 => (format!("{} compliant", self.compliant_rules), Role::Ok),
            1 => ("1 rule non-compliant".into(), Role::Warning),
            n => (format!("{n} rules non-compliant"), Role::Warning),
        }
    }

    pub fn noncompliant(&self) -> impl Iterator<Item = &RuleCompliance> {
        self.rules.iter().filter(|r| r.compliance == NON_COMPLIANT)
    }
}

/// A row of `silo compliance`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComplianceRow {
    pub tenant: String,
    pub account_id: String,
    pub noncompliant_rules: Option<u32>,
    pub compliant_rules: Option<u32>,
    pub rules: Vec<RuleRow>,
    /// Why this tenant's compliance could not be read (null when it was).
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleRow {
    pub name: String,
    pub compliance: String,
    pub region: String,
}

pub fn row(tenant: &str, account_id: &str, value: Result<Option<&TenantCompliance>, String>) -> ComplianceRow {
    let (known, error) = match value {
        Ok(known) => (known, None),
        Err(why) => (None, Some(why)),
    };
    let rules = known.iter().flat_map(|c| c.rules.iter()).map(|r| RuleRow {
        name: r.name.clone(),
        compliance: r.compliance.clone(),
        region: r.region.clone(),
    });
    ComplianceRow {
        tenant: tenant.into(),
        account_id: account_id.into(),
        noncompliant_rules: known.map(|c| c.noncompliant_rules),
        compliant_rules: known.map(|c| c.compliant_rules),
        rules: rules.collect(),
        error,
    }
}

/// One CSV row per tenant; its non-compliant rules joined by spaces.
pub fn to_csv(rows: &[ComplianceRow]) -> Result<String, csv::Error> {
    let safe = crate::text::safe_text;
    let num = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    let mut writer = crate::text::csv_writer();
    writer.write_record(["tenant", "account_id", "noncompliant_rules", "compliant_rules", "rules", "error"])?;
    for r in rows {
        let rules: Vec<&str> = r.rules.iter().map(|r| r.name.as_str()).collect();
        writer.write_record([
            safe(&r.tenant),
            safe(&r.account_id),
            num(r.noncompliant_rules),
            num(r.compliant_rules),
            safe(&rules.join(" ")),
            safe(r.error.as_deref().unwrap_or("")),
        ])?;
    }
    let bytes = writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub fn to_table(rows: &[ComplianceRow]) -> String {
    let titles = ["TENANT", "ACCOUNT", "NON-COMPLIANT", "COMPLIANT", "RULES"].map(String::from);
    let num = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let rules: Vec<&str> = r.rules.iter().map(|r| r.name.as_str()).collect();
            let last = r.error.clone().map(|e| format!("✗ {e}")).unwrap_or_else(|| rules.join(", "));
            vec![r.tenant.clone(), r.account_id.clone(), num(r.noncompliant_rules), num(r.compliant_rules), last]
        })
        .collect();
    crate::text::aligned(&titles, &cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(name: &str, compliance: &str) -> RuleCompliance {
        RuleCompliance { name: name.into(), compliance: compliance.into(), region: "sa-east-1".into() }
    }

    #[test]
    fn non_compliant_rules_come_first_then_by_name() {
        let c = TenantCompliance::new(
            1,
            2,
            vec![rule("b-ok", "COMPLIANT"), rule("z-bad", NON_COMPLIANT), rule("a-ok", "COMPLIANT")],
        );
        let names: Vec<&str> = c.rules.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["z-bad", "a-ok", "b-ok"]);
        assert_eq!(c.noncompliant().count(), 1);
    }

    #[test]
    fn the_cell_counts_non_compliant_rules_as_a_warning() {
        assert_eq!(TenantCompliance::new(3, 9, vec![]).cell(), ("3 rules non-compliant".to_string(), Role::Warning));
        assert_eq!(TenantCompliance::new(1, 9, vec![]).cell(), ("1 rule non-compliant".to_string(), Role::Warning));
        assert_eq!(TenantCompliance::new(0, 9, vec![]).cell(), ("9 compliant".to_string(), Role::Ok));
    }

    #[test]
    fn a_failed_tenant_row_has_no_counts_and_says_why() {
        let row = row("acme", "1", Err("denied".into()));
        assert_eq!((row.noncompliant_rules, row.error.as_deref()), (None, Some("denied")));
    }
}
