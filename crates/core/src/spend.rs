//! Spend per tenant, read from the store: the rows of the `:spend` screen and of `silo spend`,
//! org totals per currency, and the headless JSON/CSV/table output.

use crate::cost::{CostExplorerSpend, Spend};
use crate::store::{Store, TenantRecord};
use crate::text::safe_text;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// Twelve months of a tenant's budget, read when its spend detail opens; the argument is the
/// budget's name.
pub const HISTORY: crate::reads::Read<Vec<crate::cost::MonthSpend>> =
    crate::reads::Read::new("spend_history", crate::model::AwsService::Budgets, 4);

/// The key of the history of the tenant's budget; None when it has none (or it is not read yet).
pub fn history_key(store: &Store, account_id: &str) -> Option<crate::reads::ReadKey> {
    let spend = store.tenants.get(account_id)?.spend.value()?.as_ref()?;
    Some(HISTORY.of_tenant(account_id, &spend.budget))
}

/// One tenant's line. Money fields are null for tenants without a budget (or whose budget could
/// not be read: then `error` says why).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpendEntry {
    pub tenant: String,
    pub account_id: String,
    pub budget: Option<String>,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub actual: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub limit: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub forecast: Option<Decimal>,
    pub unit: Option<String>,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub percent: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub forecast_percent: Option<Decimal>,
    pub breached: Vec<String>,
    /// Why there is no spend when the budget could not be read (added field).
    pub error: Option<String>,
    /// Month-to-date cost from Cost Explorer, for a tenant without a budget (added field).
    pub cost_explorer: Option<CostExplorerSpend>,
    /// Nothing known yet: the first read is still under way.
    #[serde(skip)]
    pub loading: bool,
}

impl SpendEntry {
    pub fn from_record(r: &TenantRecord) -> SpendEntry {
        let spend: Option<&Spend> = r.spend.value().and_then(|s| s.as_ref());
        SpendEntry {
            tenant: r.tenant.name.clone(),
            account_id: r.tenant.account_id.clone(),
            budget: spend.map(|s| s.budget.clone()),
            actual: spend.map(|s| s.actual),
            limit: spend.map(|s| s.limit),
            forecast: spend.and_then(|s| s.forecast),
            unit: spend.map(|s| s.unit.clone()),
            percent: spend.and_then(Spend::percent),
            forecast_percent: spend.and_then(Spend::forecast_percent),
            breached: spend.map(|s| s.breached.iter().map(|b| b.label(&s.unit)).collect()).unwrap_or_default(),
            error: r.spend.error().map(|e| e.to_string()),
            cost_explorer: None,
            loading: r.spend.value().is_none() && r.spend.error().is_none(),
        }
    }

    pub fn has_budget(&self) -> bool {
        self.budget.is_some()
    }
}

/// Every tenant, budgets first (by name), tenants without a budget last.
pub fn entries(store: &Store) -> Vec<SpendEntry> {
    let mut all: Vec<SpendEntry> = store.tenants.values().map(SpendEntry::from_record).collect();
    if let Some(report) = store.cost_explorer.value() {
        for e in all.iter_mut().filter(|e| !e.has_budget()) {
            e.cost_explorer = report.per_account.get(&e.account_id).cloned();
        }
    }
    all.sort_by(|a, b| b.has_budget().cmp(&a.has_budget()).then(a.tenant.cmp(&b.tenant)));
    all
}

/// Org totals per currency: sums of actual, limits and forecasts, exact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub actual: Decimal,
    pub limit: Decimal,
    pub forecast: Decimal,
    pub budgets: usize,
}

pub fn totals(entries: &[SpendEntry]) -> BTreeMap<String, Totals> {
    let mut out: BTreeMap<String, Totals> = BTreeMap::new();
    for e in entries {
        let (Some(unit), Some(actual), Some(limit)) = (&e.unit, e.actual, e.limit) else { continue };
        let t = out.entry(unit.clone()).or_default();
        t.actual += actual;
        t.limit += limit;
        t.forecast += e.forecast.unwrap_or(actual);
        t.budgets += 1;
    }
    out
}

/// Money with thousands separators and two decimals: 12,345.60.
pub fn money(amount: Decimal) -> String {
    let rounded = amount.round_dp(2);
    let text = format!("{rounded:.2}");
    let (sign, digits) = text.strip_prefix('-').map(|d| ("-", d)).unwrap_or(("", text.as_str()));
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{frac}")
}

pub const CSV_COLUMNS: [&str; 13] = [
    "tenant",
    "account_id",
    "budget",
    "actual",
    "limit",
    "forecast",
    "unit",
    "percent",
    "forecast_percent",
    "breached",
    "error",
    "cost_explorer_actual",
    "cost_explorer_unit",
];

pub fn to_csv(entries: &[SpendEntry]) -> Result<String, csv::Error> {
    let mut writer = crate::text::csv_writer();
    writer.write_record(CSV_COLUMNS)?;
    let num = |v: Option<Decimal>| v.map(|d| d.to_string()).unwrap_or_default();
    for e in entries {
        writer.write_record([
            safe_text(&e.tenant),
            safe_text(&e.account_id),
            safe_text(e.budget.as_deref().unwrap_or("")),
            num(e.actual),
            num(e.limit),
            num(e.forecast),
            safe_text(e.unit.as_deref().unwrap_or("")),
            num(e.percent),
            num(e.forecast_percent),
            safe_text(&e.breached.join("; ")),
            safe_text(e.error.as_deref().unwrap_or("")),
            num(e.cost_explorer.as_ref().map(|c| c.actual)),
            safe_text(e.cost_explorer.as_ref().map(|c| c.unit.as_str()).unwrap_or("")),
        ])?;
    }
    crate::text::csv_text(writer)
}

pub fn to_table(entries: &[SpendEntry]) -> String {
    let titles = ["TENANT", "BUDGET", "ACTUAL", "LIMIT", "USED", "FORECAST", "FCST", "BREACHED"];
    let pct = |p: Option<Decimal>| p.map(|p| format!("{p}%")).unwrap_or_default();
    let amount = |v: Option<Decimal>, unit: &Option<String>| {
        v.map(|v| format!("{} {}", money(v), unit.as_deref().unwrap_or(""))).unwrap_or_default()
    };
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let budget = match (&e.budget, &e.error) {
                (Some(b), _) => b.clone(),
                (None, Some(_)) => "(unreadable)".into(),
                (None, None) => "(no budget)".into(),
            };
            vec![
                e.tenant.clone(),
                budget,
                amount(e.actual, &e.unit),
                amount(e.limit, &e.unit),
                pct(e.percent),
                amount(e.forecast, &e.unit),
                pct(e.forecast_percent),
                e.breached.join(", "),
            ]
        })
        .collect();
    let mut out = crate::text::aligned(&titles.map(String::from), &rows);
    for (unit, t) in totals(entries) {
        out.push_str(&format!(
            "\ntotal {unit}: actual {} of {} limit, forecast {} ({} budgets)\n",
            money(t.actual),
            money(t.limit),
            money(t.forecast),
            t.budgets
        ));
    }
    for e in entries.iter().filter(|e| e.error.is_some()) {
        out.push_str(&format!("{}: {}\n", e.tenant, e.error.as_deref().unwrap_or("")));
    }
    out
}

/// Price of one Cost Explorer API request, in USD.
pub const USD_PER_REQUEST: Decimal = Decimal::from_parts(1, 0, 0, false, 2);
/// The first of `today`'s month up to and including `today` (Cost Explorer's end is exclusive).
pub fn month_to_date(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let start = today.with_day(1).unwrap_or(today);
    (start, today.succ_opt().unwrap_or(today))
}

/// Midnight UTC on the first day of the month `back` months before `now`'s.
pub fn first_of_month(now: DateTime<Utc>, back: u32) -> DateTime<Utc> {
    let months = now.year() * 12 + now.month0() as i32 - back as i32;
    let (year, month0) = (months.div_euclid(12), months.rem_euclid(12) as u32);
    chrono::NaiveDate::from_ymd_opt(year, month0 + 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn money_groups_thousands() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(money(d("1234567.5")), "1,234,567.50");
        assert_eq!(money(d("999")), "999.00");
        assert_eq!(money(d("-1000.005")), "-1,000.00");
    }
}

#[cfg(test)]
mod cost_explorer_tests {
    use super::*;

    #[test]
    fn month_to_date_ends_the_day_after_today() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(month_to_date(d(2026, 11, 29)), (d(2026, 11, 1), d(2026, 11, 30)));
        assert_eq!(month_to_date(d(2026, 12, 31)), (d(2026, 12, 1), d(2027, 1, 1)));
        assert_eq!(month_to_date(d(2026, 3, 1)), (d(2026, 3, 1), d(2026, 3, 2)));
    }

    #[test]
    fn one_request_costs_a_cent() {
        assert_eq!(USD_PER_REQUEST.to_string(), "0.01");
    }
}
