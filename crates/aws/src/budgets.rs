//! Month-to-date spend per tenant from AWS Budgets (usually in the management account). A budget
//! belongs to a tenant when its LinkedAccount filter names exactly that account; among several, a
//! MONTHLY COST budget wins. Crossed notification thresholds and 12 months of history come along.

use super::errors::classify;
use aws_sdk_budgets::types::{
    Budget, BudgetType, ComparisonOperator, Dimension, Notification, NotificationState, ThresholdType, TimePeriod,
    TimeUnit,
};
use aws_sdk_budgets::Client;
use chrono::{DateTime, Utc};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use silo_core::cost::{Breach, MonthSpend, Spend};
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::AwsService;
use silo_core::spend::first_of_month;
use std::collections::{HashMap, HashSet};
use std::str::FromStr;

const SERVICE: AwsService = AwsService::Budgets;

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let conf = aws_sdk_budgets::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!("budgets-{account_id}")))
        .build();
    Client::from_conf(conf)
}

/// Every budget of `account`, all pages (up to 1,000 a page).
pub async fn describe(client: &Client, account: &str) -> Result<Vec<Budget>, FetchError> {
    let pages = client.describe_budgets().account_id(account).max_results(1000).into_paginator().send();
    let pages = pages.collect::<Result<Vec<_>, _>>().await.map_err(|e| classify(SERVICE, e))?;
    Ok(pages.iter().flat_map(|p| p.budgets().iter().cloned()).collect())
}

/// The spend of each tenant in `tenants` that has a budget here. A budget whose money fields are
/// unreadable, or that covers several accounts, is an error on that tenant, never zero spend.
pub fn assign(budgets: &[Budget], tenants: &HashSet<String>) -> HashMap<String, Result<Spend, FetchError>> {
    let mut best: HashMap<String, &Budget> = HashMap::new();
    let mut shared: HashMap<String, &Budget> = HashMap::new();
    for budget in budgets {
        let accounts = linked_accounts(budget);
        for account in accounts.iter().filter(|a| tenants.contains(*a)) {
            if accounts.len() > 1 {
                shared.entry(account.clone()).or_insert(budget);
            } else if best.get(account).is_none_or(|current| rank(current) < rank(budget)) {
                best.insert(account.clone(), budget);
            }
        }
    }
    let mut out: HashMap<String, Result<Spend, FetchError>> =
        best.into_iter().map(|(account, budget)| (account, to_spend(budget))).collect();
    for (account, budget) in shared {
        out.entry(account).or_insert_with(|| {
            Err(bad(budget.budget_name(), "filters several linked accounts, so it is not this tenant's budget"))
        });
    }
    out
}

/// Preference among several budgets of one tenant: MONTHLY first, then COST.
fn rank(budget: &Budget) -> u8 {
    let monthly = *budget.time_unit() == TimeUnit::Monthly;
    let cost = *budget.budget_type() == BudgetType::Cost;
    u8::from(monthly) * 2 + u8::from(cost)
}

/// The accounts a budget is filtered to (CostFilters, or a top-level FilterExpression).
#[allow(deprecated)] // CostFilters is deprecated but still what most budgets use.
fn linked_accounts(budget: &Budget) -> Vec<String> {
    if let Some(values) = budget.cost_filters().and_then(|f| f.get("LinkedAccount")) {
        return values.iter().map(|v| v.trim().to_string()).collect();
    }
    let Some(dims) = budget.filter_expression().and_then(|e| e.dimensions()) else { return Vec::new() };
    if *dims.key() == Dimension::LinkedAccount {
        dims.values().iter().map(|v| v.trim().to_string()).collect()
    } else {
        Vec::new()
    }
}

fn to_spend(budget: &Budget) -> Result<Spend, FetchError> {
    let name = budget.budget_name();
    let limit = budget.budget_limit().ok_or_else(|| bad(name, "has no limit"))?;
    let calculated = budget.calculated_spend();
    let actual = calculated.and_then(|c| c.actual_spend()).ok_or_else(|| bad(name, "has no actual spend yet"))?;
    let forecast = calculated.and_then(|c| c.forecasted_spend()).map(|f| money(name, f.amount())).transpose()?;
    let unit = limit.unit().trim();
    if !is_currency(unit) {
        return Err(bad(name, &format!("has the unit {unit:?}, not a currency code")));
    }
    if unit != actual.unit().trim() {
        return Err(bad(name, &format!("mixes units {:?} and {:?}", limit.unit(), actual.unit())));
    }
    Ok(Spend {
        budget: silo_core::sanitize::clean(name),
        actual: money(name, actual.amount())?,
        limit: money(name, limit.amount())?,
        forecast,
        unit: unit.to_string(),
        breached: Vec::new(),
    })
}

/// ISO 4217 style: three upper-case letters (USD, EUR, BRL...).
fn is_currency(unit: &str) -> bool {
    unit.len() == 3 && unit.bytes().all(|b| b.is_ascii_uppercase())
}

fn money(budget: &str, amount: &str) -> Result<Decimal, FetchError> {
    Decimal::from_str(amount.trim()).map_err(|_| bad(budget, &format!("has a non-numeric amount {amount:?}")))
}

fn bad(budget: &str, what: &str) -> FetchError {
    FetchError::new(SERVICE, ErrorKind::Other, format!("budget {:?} {what}", silo_core::sanitize::clean(budget)))
}

/// Crossed thresholds per budget name. One DescribeBudgetNotificationsForAccount walk when the
/// account allows it; otherwise DescribeNotificationsForBudget for each wanted budget.
pub async fn breaches(client: &Client, account: &str, wanted: &HashSet<String>) -> HashMap<String, Vec<Breach>> {
    match for_account(client, account).await {
        Ok(map) => map.into_iter().filter(|(b, _)| wanted.contains(b)).collect(),
        Err(e) => {
            tracing::debug!("account-wide budget notifications unavailable ({e}); asking per budget");
            per_budget(client, account, wanted).await
        }
    }
}

async fn for_account(client: &Client, account: &str) -> Result<HashMap<String, Vec<Breach>>, FetchError> {
    let pages =
        client.describe_budget_notifications_for_account().account_id(account).max_results(100).into_paginator().send();
    let pages = pages.collect::<Result<Vec<_>, _>>().await.map_err(|e| classify(SERVICE, e))?;
    let entries = pages.iter().flat_map(|p| p.budget_notifications_for_account().iter());
    Ok(entries.map(|e| (e.budget_name().unwrap_or_default().to_string(), crossed(e.notifications()))).collect())
}

async fn per_budget(client: &Client, account: &str, wanted: &HashSet<String>) -> HashMap<String, Vec<Breach>> {
    let mut out = HashMap::new();
    for name in wanted {
        let pages =
            client.describe_notifications_for_budget().account_id(account).budget_name(name).into_paginator().send();
        match pages.collect::<Result<Vec<_>, _>>().await {
            Ok(pages) => {
                let notes: Vec<Notification> = pages.iter().flat_map(|p| p.notifications().iter().cloned()).collect();
                out.insert(name.clone(), crossed(&notes));
            }
            Err(e) => tracing::warn!("notifications of budget {name}: {}", classify(SERVICE, e)),
        }
    }
    out
}

fn crossed(notifications: &[Notification]) -> Vec<Breach> {
    notifications.iter().filter(|n| n.notification_state() == Some(&NotificationState::Alarm)).map(breach).collect()
}

fn breach(n: &Notification) -> Breach {
    let comparison = match n.comparison_operator() {
        ComparisonOperator::GreaterThan => ">",
        ComparisonOperator::LessThan => "<",
        _ => "=",
    };
    Breach {
        kind: n.notification_type().as_str().to_string(),
        comparison: comparison.into(),
        threshold: Decimal::from_f64(n.threshold()).unwrap_or_default().round_dp(2),
        percentage: n.threshold_type() != Some(&ThresholdType::AbsoluteValue),
    }
}

/// The last 12 months (this one included) of actual vs budgeted for one budget.
pub async fn history(
    client: &Client,
    account: &str,
    budget: &str,
    now: DateTime<Utc>,
) -> Result<Vec<MonthSpend>, FetchError> {
    let start = first_of_month(now, 11);
    let period = TimePeriod::builder()
        .start(aws_smithy_types::DateTime::from_secs(start.timestamp()))
        .end(aws_smithy_types::DateTime::from_secs(now.timestamp()))
        .build();
    let pages = client
        .describe_budget_performance_history()
        .account_id(account)
        .budget_name(budget)
        .time_period(period)
        .into_paginator()
        .send();
    let pages = pages.collect::<Result<Vec<_>, _>>().await.map_err(|e| classify(SERVICE, e))?;
    let amounts = pages
        .iter()
        .filter_map(|p| p.budget_performance_history())
        .flat_map(|h| h.budgeted_and_actual_amounts_list().iter());
    let mut months: Vec<MonthSpend> = amounts
        .map(|a| MonthSpend {
            month: a
                .time_period()
                .and_then(|t| t.start())
                .and_then(super::time::to_chrono)
                .map(|d| d.format("%Y-%m").to_string())
                .unwrap_or_default(),
            actual: a.actual_amount().and_then(|s| Decimal::from_str(s.amount().trim()).ok()),
            limit: a.budgeted_amount().and_then(|s| Decimal::from_str(s.amount().trim()).ok()),
        })
        .collect();
    months.sort_by(|a, b| a.month.cmp(&b.month));
    Ok(months)
}

#[cfg(test)]
mod tests;
