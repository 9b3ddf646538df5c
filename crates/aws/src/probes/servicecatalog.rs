//! Service Catalog (read role, with `[tenants] service_catalog`): the provisioned products.

use super::Probe;
use crate::errors::classify;
use aws_sdk_servicecatalog::types::{AccessLevelFilter, AccessLevelFilterKey};
use aws_sdk_servicecatalog::Client;
use silo_core::model::AwsService;

pub async fn read(client: &Client) -> Vec<Probe> {
    let account = AccessLevelFilter::builder().key(AccessLevelFilterKey::Account).value("self").build();
    let found = client.search_provisioned_products().access_level_filter(account).page_size(1).send().await;
    vec![Probe::of(
        "servicecatalog:SearchProvisionedProducts",
        found.map_err(|e| classify(AwsService::ServiceCatalog, e)),
        |o| format!("{} product(s) on the first page", o.provisioned_products().len()),
    )]
}
