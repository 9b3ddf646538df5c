//! What AWS says a tenant spends: its budget against its limit and the thresholds crossed (AWS
//! Budgets), its month-to-date cost (Cost Explorer) and its budget's history. Money stays decimal.
//! Serialized field names are part of the JSON contract in docs/cli.md: add, never rename.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Month-to-date spend of a tenant against its budget. Money stays decimal (no float drift).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spend {
    pub budget: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub actual: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub limit: Decimal,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub forecast: Option<Decimal>,
    pub unit: String,
    /// Budget notifications whose threshold is crossed (state ALARM).
    pub breached: Vec<Breach>,
}

/// A crossed budget notification threshold, e.g. "ACTUAL > 80%".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breach {
    /// ACTUAL or FORECASTED.
    pub kind: String,
    /// ">", "<" or "=".
    pub comparison: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub threshold: Decimal,
    /// true: percent of the limit; false: an absolute amount in the budget's unit.
    pub percentage: bool,
}

impl Breach {
    pub fn label(&self, unit: &str) -> String {
        let amount = if self.percentage {
            format!("{}%", self.threshold.normalize())
        } else {
            format!("{} {unit}", self.threshold.normalize())
        };
        format!("{} {} {amount}", self.kind, self.comparison)
    }
}

/// Month-to-date cost of an account from Cost Explorer (for tenants without a budget).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostExplorerSpend {
    #[serde(with = "rust_decimal::serde::float")]
    pub actual: Decimal,
    pub unit: String,
    /// First day counted, YYYY-MM-DD.
    pub since: String,
}

/// One month of a budget's history: what was spent against what was budgeted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthSpend {
    /// "YYYY-MM".
    pub month: String,
    pub actual: Option<Decimal>,
    pub limit: Option<Decimal>,
}

impl Spend {
    /// Actual spend as a percentage of the limit, rounded to one decimal; None for a zero limit.
    pub fn percent(&self) -> Option<Decimal> {
        percent_of(self.actual, self.limit)
    }

    pub fn forecast_percent(&self) -> Option<Decimal> {
        self.forecast.and_then(|f| percent_of(f, self.limit))
    }
}

fn percent_of(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole.is_zero() {
        return None;
    }
    // Half away from zero, as people round: 115.25 % shows as 115.3 %.
    let exact = part * Decimal::ONE_HUNDRED / whole;
    Some(exact.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
}

/// What one Cost Explorer read found, and what it cost.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CostReport {
    pub per_account: std::collections::HashMap<String, CostExplorerSpend>,
    pub requests: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn spend(actual: &str, limit: &str) -> Spend {
        Spend {
            budget: "b".into(),
            actual: Decimal::from_str(actual).unwrap(),
            limit: Decimal::from_str(limit).unwrap(),
            forecast: None,
            unit: "USD".into(),
            breached: Vec::new(),
        }
    }

    #[test]
    fn breach_labels_read_like_the_console() {
        let b =
            Breach { kind: "ACTUAL".into(), comparison: ">".into(), threshold: Decimal::from(80), percentage: true };
        assert_eq!(b.label("USD"), "ACTUAL > 80%");
        let a = Breach {
            kind: "FORECASTED".into(),
            comparison: ">".into(),
            threshold: Decimal::new(15005, 1),
            percentage: false,
        };
        assert_eq!(a.label("USD"), "FORECASTED > 1500.5 USD");
    }

    #[test]
    fn percent_is_rounded_and_exact() {
        assert_eq!(spend("333.33", "1000").percent(), Some(Decimal::from_str("33.3").unwrap()));
        assert_eq!(spend("1100.10", "1000").percent(), Some(Decimal::from_str("110.0").unwrap()));
        assert_eq!(spend("230.50", "200").percent(), Some(Decimal::from_str("115.3").unwrap()));
    }

    #[test]
    fn zero_limit_has_no_percent() {
        assert_eq!(spend("5", "0").percent(), None);
    }
}
