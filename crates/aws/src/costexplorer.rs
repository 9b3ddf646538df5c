//! Month-to-date cost of tenants that have no budget, from Cost Explorer (GetCostAndUsage grouped
//! by LINKED_ACCOUNT, daily). Off by default: every request costs $0.01, so the number of requests
//! is counted and shown.

use super::errors::classify;
use aws_sdk_costexplorer::types::{
    DateInterval, Dimension, DimensionValues, Expression, Granularity, GroupDefinition, GroupDefinitionType,
};
use aws_sdk_costexplorer::Client;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use silo_core::cost::CostExplorerSpend;
use silo_core::cost::CostReport;
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::AwsService;
use silo_core::spend::month_to_date;

use std::str::FromStr;

/// Accounts named in one request's LINKED_ACCOUNT filter.
const ACCOUNTS_PER_FILTER: usize = 100;
const METRIC: &str = "UnblendedCost";

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let conf = aws_sdk_costexplorer::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!("ce-{account_id}")))
        .build();
    Client::from_conf(conf)
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
    let mut tokens = super::paging::PageTokens::default();
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
        token = super::paging::next_token(AwsService::Budgets, &mut tokens, out.next_page_token())?;
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
            unit: silo_core::sanitize::clean(value.unit().unwrap_or("USD")),
            since: since.to_string(),
        });
        entry.actual += amount;
    }
    Ok(())
}

fn build_error(e: aws_sdk_costexplorer::error::BuildError) -> FetchError {
    FetchError::new(AwsService::Budgets, ErrorKind::Other, format!("Cost Explorer request: {e}"))
}
