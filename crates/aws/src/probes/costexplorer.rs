//! Cost Explorer (billing account), only when `[billing] cost_explorer` is on: each request is
//! billed ($0.01), so the probe asks for one day of one account's cost.

use super::Probe;
use crate::errors::classify;
use aws_sdk_costexplorer::types::{DateInterval, Granularity};
use aws_sdk_costexplorer::Client;
use silo_core::model::AwsService;

pub async fn read(client: &Client, today: chrono::NaiveDate) -> Vec<Probe> {
    let yesterday = today.pred_opt().unwrap_or(today);
    let period = DateInterval::builder().start(yesterday.to_string()).end(today.to_string()).build();
    let asked = match period {
        Ok(period) => client
            .get_cost_and_usage()
            .time_period(period)
            .granularity(Granularity::Daily)
            .metrics("UnblendedCost")
            .send()
            .await
            .map_err(|e| classify(AwsService::Budgets, e)),
        Err(e) => Err(silo_core::error::FetchError::new(
            AwsService::Budgets,
            silo_core::error::ErrorKind::Other,
            e.to_string(),
        )),
    };
    vec![Probe::of("ce:GetCostAndUsage", asked, |o| format!("{} period(s) ($0.01 billed)", o.results_by_time().len()))]
}
