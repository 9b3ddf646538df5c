//! A tenant's Service Catalog products (where tenants get their environment versions that way),
//! read with the read role: SearchProvisionedProducts over the whole account (AccessLevelFilter
//! Account/self; the default level sees only the caller's own products), page by page.

use super::errors::classify;
use super::paging::next_token;
use aws_sdk_servicecatalog::types::{AccessLevelFilter, AccessLevelFilterKey, ProvisionedProductAttribute};
use aws_sdk_servicecatalog::Client;
use silo_core::catalog::Provisioned;
use silo_core::error::FetchError;
use silo_core::model::AwsService;
use silo_core::sanitize::clean;

const SERVICE: AwsService = AwsService::ServiceCatalog;
/// The largest page SearchProvisionedProducts returns.
const PAGE_SIZE: i32 = 100;

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let conf = aws_sdk_servicecatalog::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!(
            "servicecatalog-{account_id}"
        )))
        .build();
    Client::from_conf(conf)
}

/// Every product provisioned in the account, by product name.
pub async fn provisioned(client: &Client) -> Result<Vec<Provisioned>, FetchError> {
    let whole_account = AccessLevelFilter::builder().key(AccessLevelFilterKey::Account).value("self").build();
    let mut token: Option<String> = None;
    let mut tokens = super::paging::PageTokens::default();
    let mut found = Vec::new();
    loop {
        let call = client
            .search_provisioned_products()
            .access_level_filter(whole_account.clone())
            .page_size(PAGE_SIZE)
            .set_page_token(token.clone());
        let out = call.send().await.map_err(|e| classify(SERVICE, e))?;
        found.extend(out.provisioned_products().iter().map(product));
        match next_token(SERVICE, &mut tokens, out.next_page_token())? {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    found.sort_by(|a, b| a.product.cmp(&b.product));
    Ok(found)
}

fn product(p: &ProvisionedProductAttribute) -> Provisioned {
    Provisioned {
        product: clean(p.product_name().or(p.name()).unwrap_or_default()),
        artifact: clean(p.provisioning_artifact_name().or(p.provisioning_artifact_id()).unwrap_or_default()),
        status: p.status().map(|s| clean(s.as_str())).unwrap_or_default(),
    }
}
