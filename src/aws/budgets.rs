//! Month-to-date spend per tenant from AWS Budgets in the billing account. A budget belongs to a
//! tenant when its LinkedAccount filter names exactly that account; a MONTHLY COST budget wins.

use super::errors::classify;
use crate::fetch_error::{ErrorKind, FetchError};
use crate::model::{AwsService, Spend};
use aws_sdk_budgets::types::{Budget, BudgetType, Dimension, TimeUnit};
use aws_sdk_budgets::Client;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;

const SERVICE: AwsService = AwsService::Budgets;

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let conf = aws_sdk_budgets::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!("budgets-{account_id}")))
        .build();
    Client::from_conf(conf)
}

/// The spend of each tenant that has a budget, by account id. A budget whose money fields are
/// unreadable is reported as an error on that tenant, never as zero spend.
pub async fn spend_by_account(
    client: &Client,
    billing_account: &str,
) -> Result<HashMap<String, Result<Spend, FetchError>>, FetchError> {
    let budgets: Vec<Budget> = client
        .describe_budgets()
        .account_id(billing_account)
        .max_results(1000)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| classify(SERVICE, e))?;
    Ok(assign(&budgets))
}

fn assign(budgets: &[Budget]) -> HashMap<String, Result<Spend, FetchError>> {
    let mut best: HashMap<String, &Budget> = HashMap::new();
    for budget in budgets {
        let Some(account) = single_linked_account(budget) else { continue };
        let keep = best.get(&account).is_some_and(|current| rank(current) >= rank(budget));
        if !keep {
            best.insert(account, budget);
        }
    }
    best.into_iter().map(|(account, budget)| (account, to_spend(budget))).collect()
}

/// Preference among several budgets of one tenant: MONTHLY COST first.
fn rank(budget: &Budget) -> u8 {
    let monthly = *budget.time_unit() == TimeUnit::Monthly;
    let cost = *budget.budget_type() == BudgetType::Cost;
    u8::from(monthly) * 2 + u8::from(cost)
}

/// The account a budget is filtered to, when it names exactly one.
#[allow(deprecated)] // CostFilters is deprecated but still what most budgets use.
fn single_linked_account(budget: &Budget) -> Option<String> {
    if let Some(values) = budget.cost_filters().and_then(|f| f.get("LinkedAccount")) {
        return match values.as_slice() {
            [one] => Some(one.trim().to_string()),
            _ => None,
        };
    }
    let dims = budget.filter_expression()?.dimensions()?;
    match (dims.key(), dims.values()) {
        (Dimension::LinkedAccount, [one]) => Some(one.trim().to_string()),
        _ => None,
    }
}

fn to_spend(budget: &Budget) -> Result<Spend, FetchError> {
    let name = crate::sanitize::clean(budget.budget_name());
    let limit = budget.budget_limit().ok_or_else(|| bad(&name, "has no limit"))?;
    let calculated = budget.calculated_spend();
    let actual = calculated.and_then(|c| c.actual_spend()).ok_or_else(|| bad(&name, "has no actual spend yet"))?;
    let forecast = calculated.and_then(|c| c.forecasted_spend()).map(|f| money(&name, f.amount())).transpose()?;
    let unit = limit.unit().trim();
    if unit.is_empty() || unit != actual.unit().trim() {
        return Err(bad(&name, &format!("mixes units {:?} and {:?}", limit.unit(), actual.unit())));
    }
    Ok(Spend {
        budget: name.clone(),
        actual: money(&name, actual.amount())?,
        limit: money(&name, limit.amount())?,
        forecast,
        unit: crate::sanitize::clean(unit),
    })
}

fn money(budget: &str, amount: &str) -> Result<Decimal, FetchError> {
    Decimal::from_str(amount.trim()).map_err(|_| bad(budget, &format!("has a non-numeric amount {amount:?}")))
}

fn bad(budget: &str, what: &str) -> FetchError {
    FetchError::new(SERVICE, ErrorKind::Other, format!("budget {budget:?} {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_budgets::types::{CalculatedSpend, Spend as AwsSpend};

    #[allow(deprecated)]
    fn budget(name: &str, accounts: &[&str], unit: TimeUnit, limit: &str, actual: &str) -> Budget {
        let money = |a: &str| AwsSpend::builder().amount(a).unit("USD").build().unwrap();
        Budget::builder()
            .budget_name(name)
            .budget_type(BudgetType::Cost)
            .time_unit(unit)
            .budget_limit(money(limit))
            .calculated_spend(CalculatedSpend::builder().actual_spend(money(actual)).build())
            .cost_filters("LinkedAccount", accounts.iter().map(|a| a.to_string()).collect())
            .build()
            .unwrap()
    }

    #[test]
    fn monthly_budget_wins_and_multi_account_filters_are_ignored() {
        let budgets = vec![
            budget("q", &["111111111111"], TimeUnit::Quarterly, "3000", "10"),
            budget("m", &["111111111111"], TimeUnit::Monthly, "1000", "250.10"),
            budget("shared", &["111111111111", "222222222222"], TimeUnit::Monthly, "1", "1"),
        ];
        let spend = assign(&budgets);
        assert_eq!(spend.len(), 1);
        let s = spend["111111111111"].as_ref().unwrap();
        assert_eq!((s.budget.as_str(), s.actual.to_string().as_str()), ("m", "250.10"));
    }

    #[test]
    fn non_numeric_amount_is_an_error_not_zero() {
        let spend = assign(&[budget("bad", &["111111111111"], TimeUnit::Monthly, "lots", "1")]);
        let err = spend["111111111111"].as_ref().unwrap_err();
        assert!(err.message.contains("non-numeric amount \"lots\""), "{}", err.message);
    }
}
