//! Month-to-date cost of tenants that have no budget, from Cost Explorer (GetCostAndUsage grouped
//! by LINKED_ACCOUNT, daily). Off by default: every request costs $0.01, so the number of requests
//! is counted and shown.

use super::errors::classify;
use crate::fetch_error::{ErrorKind, FetchError};
use crate::model::{AwsService, CostExplorerSpend};
use aws_sdk_costexplorer::types::{
    DateInterval, Dimension, DimensionValues, Expression, Granularity, GroupDefinition, GroupDefinitionType,
};
use aws_sdk_costexplorer::Client;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;

/// Price of one Cost Explorer API request, in USD.
pub const USD_PER_REQUEST: Decimal = Decimal::from_parts(1, 0, 0, false, 2);
/// Accounts named in one request's LINKED_ACCOUNT filter.
const ACCOUNTS_PER_FILTER: usize = 100;
const METRIC: &str = "UnblendedCost";

/// What one Cost Explorer read found, and what it cost.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CostReport {
    pub per_account: HashMap<String, CostExplorerSpend>,
    pub requests: u32,
}

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let conf = aws_sdk_costexplorer::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!("ce-{account_id}")))
        .build();
    Client::from_conf(conf)
}

/// The first of `today`'s month up to and including `today` (Cost Explorer's end is exclusive).
pub fn month_to_date(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let start = today.with_day(1).unwrap_or(today);
    (start, today.succ_opt().unwrap_or(today))
}

pub async fn cost(client: &Client, accounts: &[String], today: NaiveDate) -> Result<CostReport, FetchError> {
    let mut report = CostReport::default();
    for chunk in accounts.chunks(ACCOUNTS_PER_FILTER) {
        read_chunk(client, chunk, today, &mut report).await?;
    }
    Ok(report)
}

async fn read_chunk(
    client: &Client,
    accounts: &[String],
    today: NaiveDate,
    report: &mut CostReport,
) -> Result<(), FetchError> {
    let (start, end) = month_to_date(today);
    let period = DateInterval::builder().start(start.to_string()).end(end.to_string()).build().map_err(build_error)?;
    let filter = Expression::builder()
        .dimensions(
            DimensionValues::builder().key(Dimension::LinkedAccount).set_values(Some(accounts.to_vec())).build(),
        )
        .build();
    let group = GroupDefinition::builder().r#type(GroupDefinitionType::Dimension).key("LINKED_ACCOUNT").build();
    let mut token: Option<String> = None;
    loop {
        let out = client
            .get_cost_and_usage()
            .time_period(period.clone())
            .granularity(Granularity::Daily)
            .metrics(METRIC)
            .group_by(group.clone())
            .filter(filter.clone())
            .set_next_page_token(token.clone())
            .send()
            .await
            .map_err(|e| classify(AwsService::Budgets, e))?;
        report.requests += 1;
        add_groups(report, out.results_by_time(), &start.to_string())?;
        token = out.next_page_token().map(str::to_string).filter(|t| !t.is_empty());
        if token.is_none() {
            return Ok(());
        }
    }
}

fn add_groups(
    report: &mut CostReport,
    results: &[aws_sdk_costexplorer::types::ResultByTime],
    since: &str,
) -> Result<(), FetchError> {
    for group in results.iter().flat_map(|r| r.groups()) {
        let (Some(account), Some(value)) = (group.keys().first(), group.metrics().and_then(|m| m.get(METRIC))) else {
            continue;
        };
        let amount = value.amount().unwrap_or("0");
        let amount = Decimal::from_str(amount.trim()).map_err(|_| {
            FetchError::new(
                AwsService::Budgets,
                ErrorKind::Other,
                format!("Cost Explorer sent a non-numeric amount {amount:?} for {account}"),
            )
        })?;
        let entry = report.per_account.entry(account.clone()).or_insert_with(|| CostExplorerSpend {
            actual: Decimal::ZERO,
            unit: value.unit().unwrap_or("USD").to_string(),
            since: since.to_string(),
        });
        entry.actual += amount;
    }
    Ok(())
}

fn build_error(e: aws_sdk_costexplorer::error::BuildError) -> FetchError {
    FetchError::new(AwsService::Budgets, ErrorKind::Other, format!("Cost Explorer request: {e}"))
}

#[cfg(test)]
mod tests {
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
