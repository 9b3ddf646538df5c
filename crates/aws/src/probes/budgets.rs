//! AWS Budgets (billing account, or a tenant account's own budgets with the read role): the
//! budgets, which budgets:ViewBudget authorizes with every Describe* call silo makes.

use super::Probe;
use crate::errors::classify;
use aws_sdk_budgets::Client;
use silo_core::model::AwsService;

pub async fn read(client: &Client, account_id: &str) -> Vec<Probe> {
    let found = client.describe_budgets().account_id(account_id).max_results(1).send().await;
    let found = found.map_err(|e| classify(AwsService::Budgets, e));
    vec![Probe::of("budgets:ViewBudget", found, |o| format!("{} budget(s) on the first page", o.budgets().len()))
        .allowed_if_absent("no budgets in this account")]
}
