//! AWS Config compliance of each tenant account, as the organization's aggregator sees it: the
//! fleet's COMPLIANCE column, the card's rules and the `silo compliance` contract. Pure: the aws
//! and demo layers fill `TenantCompliance`.

use crate::role::Role;
use serde::{Deserialize, Serialize};

mod column;
pub use column::{ComplianceCounts, COLUMN};

/// One account's rules: the counts of `GetAggregateConfigRuleComplianceSummary` and the rules of
/// `DescribeAggregateComplianceByConfigRules`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TenantCompliance {
    pub noncompliant_rules: u32,
    pub compliant_rules: u32,
    /// Non-compliant rules first, then by name.
    pub rules: Vec<RuleCompliance>,
    /// Config caps each count (`CappedCount`) and says when the real one is larger
    /// (`CapExceeded`): the count is then "at least".
    #[serde(default)]
    pub noncompliant_capped: bool,
    #[serde(default)]
    pub compliant_capped: bool,
}

/// A count as Config gives it: the number, and whether it was capped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Count {
    pub count: u32,
    pub capped: bool,
}

impl Count {
    /// `12`, or `at least 100` when Config capped it.
    pub fn text(self) -> String {
        if self.capped {
            format!("at least {}", self.count)
        } else {
            self.count.to_string()
        }
    }
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
    pub fn new(noncompliant: Count, compliant: Count, mut rules: Vec<RuleCompliance>) -> Self {
        rules.sort_by(|a, b| {
            let rank = |r: &RuleCompliance| r.compliance != NON_COMPLIANT;
            rank(a).cmp(&rank(b)).then(a.name.cmp(&b.name)).then(a.region.cmp(&b.region))
        });
        TenantCompliance {
            noncompliant_rules: noncompliant.count,
            compliant_rules: compliant.count,
            rules,
            noncompliant_capped: noncompliant.capped,
            compliant_capped: compliant.capped,
        }
    }

    pub fn noncompliant_count(&self) -> Count {
        Count { count: self.noncompliant_rules, capped: self.noncompliant_capped }
    }

    pub fn compliant_count(&self) -> Count {
        Count { count: self.compliant_rules, capped: self.compliant_capped }
    }

    /// The fleet cell: `3 rules non-compliant` (warning), `at least 100 rules non-compliant`
    /// when Config capped the count, or `12 compliant`.
    pub fn fleet_cell(&self) -> (String, Role) {
        let bad = self.noncompliant_count();
        match (bad.count, bad.capped) {
            (0, false) => (format!("{} compliant", self.compliant_count().text()), Role::Ok),
            (1, false) => ("1 rule non-compliant".into(), Role::Warning),
            _ => (format!("{} rules non-compliant", bad.text()), Role::Warning),
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
    /// Config capped the count: the real number is larger (added fields).
    pub noncompliant_rules_capped: bool,
    pub compliant_rules_capped: bool,
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
        noncompliant_rules_capped: known.is_some_and(|c| c.noncompliant_capped),
        compliant_rules_capped: known.is_some_and(|c| c.compliant_capped),
    }
}

impl ComplianceRow {
    fn counts(&self) -> (Option<Count>, Option<Count>) {
        let count = |n: Option<u32>, capped| n.map(|count| Count { count, capped });
        (
            count(self.noncompliant_rules, self.noncompliant_rules_capped),
            count(self.compliant_rules, self.compliant_rules_capped),
        )
    }
}

/// One CSV row per tenant; its non-compliant rules joined by spaces.
pub fn to_csv(rows: &[ComplianceRow]) -> Result<String, csv::Error> {
    let safe = crate::text::safe_text;
    let num = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    let mut writer = crate::text::csv_writer();
    let header = ["tenant", "account_id", "noncompliant_rules", "compliant_rules", "rules", "error"];
    // Added columns go last: a script reading the first six by position keeps working.
    writer.write_record(header.iter().chain(&["noncompliant_rules_capped", "compliant_rules_capped"]))?;
    for r in rows {
        let rules: Vec<&str> = r.rules.iter().map(|r| r.name.as_str()).collect();
        writer.write_record([
            safe(&r.tenant),
            safe(&r.account_id),
            num(r.noncompliant_rules),
            num(r.compliant_rules),
            safe(&rules.join(" ")),
            safe(r.error.as_deref().unwrap_or("")),
            r.noncompliant_rules_capped.to_string(),
            r.compliant_rules_capped.to_string(),
        ])?;
    }
    crate::text::csv_text(writer)
}

pub fn to_table(rows: &[ComplianceRow]) -> String {
    let titles = ["TENANT", "ACCOUNT", "NON-COMPLIANT", "COMPLIANT", "RULES"].map(String::from);
    let num = |v: Option<Count>| v.map(Count::text).unwrap_or_else(|| "-".into());
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let rules: Vec<&str> = r.rules.iter().map(|r| r.name.as_str()).collect();
            let last = r.error.clone().map(|e| format!("✗ {e}")).unwrap_or_else(|| rules.join(", "));
            let (bad, good) = r.counts();
            vec![r.tenant.clone(), r.account_id.clone(), num(bad), num(good), last]
        })
        .collect();
    crate::text::aligned(&titles, &cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(count: u32) -> Count {
        Count { count, capped: false }
    }

    fn rule(name: &str, compliance: &str) -> RuleCompliance {
        RuleCompliance { name: name.into(), compliance: compliance.into(), region: "sa-east-1".into() }
    }

    #[test]
    fn non_compliant_rules_come_first_then_by_name() {
        let c = TenantCompliance::new(
            exact(1),
            exact(2),
            vec![rule("b-ok", "COMPLIANT"), rule("z-bad", NON_COMPLIANT), rule("a-ok", "COMPLIANT")],
        );
        let names: Vec<&str> = c.rules.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["z-bad", "a-ok", "b-ok"]);
        assert_eq!(c.noncompliant().count(), 1);
    }

    #[test]
    fn the_cell_counts_non_compliant_rules_as_a_warning() {
        assert_eq!(
            TenantCompliance::new(exact(3), exact(9), vec![]).fleet_cell(),
            ("3 rules non-compliant".to_string(), Role::Warning)
        );
        assert_eq!(
            TenantCompliance::new(exact(1), exact(9), vec![]).fleet_cell(),
            ("1 rule non-compliant".to_string(), Role::Warning)
        );
        assert_eq!(
            TenantCompliance::new(exact(0), exact(9), vec![]).fleet_cell(),
            ("9 compliant".to_string(), Role::Ok)
        );
    }

    #[test]
    fn a_count_config_capped_is_shown_as_at_least() {
        let capped = Count { count: 100, capped: true };
        let many = TenantCompliance::new(capped, exact(4), vec![]);
        assert_eq!(many.fleet_cell(), ("at least 100 rules non-compliant".to_string(), Role::Warning));
        let row = row("acme", "1", Ok(Some(&many)));
        assert!(row.noncompliant_rules_capped && !row.compliant_rules_capped);
        let table = to_table(std::slice::from_ref(&row));
        assert!(table.contains("at least 100"), "{table}");
        let csv = to_csv(&[row]).expect("csv");
        assert!(csv.starts_with("tenant,account_id,noncompliant_rules,compliant_rules,rules,error,noncompliant_rules_capped,compliant_rules_capped\r\n"));
        assert!(csv.contains("acme,1,100,4,,,true,false"), "{csv}");
        let all_good = TenantCompliance::new(exact(0), capped, vec![]);
        assert_eq!(all_good.fleet_cell(), ("at least 100 compliant".to_string(), Role::Ok));
    }

    #[test]
    fn a_failed_tenant_row_has_no_counts_and_says_why() {
        let row = row("acme", "1", Err("denied".into()));
        assert_eq!((row.noncompliant_rules, row.error.as_deref()), (None, Some("denied")));
    }
}
