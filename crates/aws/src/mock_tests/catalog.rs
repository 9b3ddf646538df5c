//! Service Catalog provisioned products through SearchProvisionedProducts: moto has no
//! provisioned products, so the exact requests (the whole account's access level, the page size,
//! the page token) are asserted here against aws-smithy-mocks.

use aws_sdk_servicecatalog::operation::search_provisioned_products::SearchProvisionedProductsOutput;
use aws_sdk_servicecatalog::types::{AccessLevelFilterKey, ProvisionedProductAttribute, ProvisionedProductStatus};
use aws_smithy_mocks::{mock, mock_client, RuleMode};

fn product(name: &str, artifact: &str, status: ProvisionedProductStatus) -> ProvisionedProductAttribute {
    ProvisionedProductAttribute::builder()
        .name(format!("{name}-instance"))
        .product_name(name)
        .provisioning_artifact_name(artifact)
        .status(status)
        .build()
}

#[tokio::test]
async fn every_product_of_the_account_is_read_page_by_page_and_sanitized() {
    let whole_account =
        |r: &aws_sdk_servicecatalog::operation::search_provisioned_products::SearchProvisionedProductsInput| {
            r.access_level_filter()
                .is_some_and(|f| f.key() == Some(&AccessLevelFilterKey::Account) && f.value() == Some("self"))
                && r.page_size() == Some(100)
        };
    let first = mock!(aws_sdk_servicecatalog::Client::search_provisioned_products)
        .match_requests(move |r| whole_account(r) && r.page_token().is_none())
        .then_output(|| {
            SearchProvisionedProductsOutput::builder()
                .provisioned_products(product("tenant-env", "v1.5.0\u{1b}[2J", ProvisionedProductStatus::Tainted))
                .next_page_token("p2")
                .build()
        });
    let second = mock!(aws_sdk_servicecatalog::Client::search_provisioned_products)
        .match_requests(move |r| whole_account(r) && r.page_token() == Some("p2"))
        .then_output(|| {
            SearchProvisionedProductsOutput::builder()
                .provisioned_products(product("sftp-gateway", "v2", ProvisionedProductStatus::Available))
                .build()
        });
    let client = mock_client!(aws_sdk_servicecatalog, RuleMode::Sequential, [&first, &second]);
    let found = crate::servicecatalog::provisioned(&client).await.expect("read");
    assert_eq!((first.num_calls(), second.num_calls()), (1, 1));
    let seen: Vec<(&str, &str, &str)> =
        found.iter().map(|p| (p.product.as_str(), p.artifact.as_str(), p.status.as_str())).collect();
    assert_eq!(seen, [("sftp-gateway", "v2", "AVAILABLE"), ("tenant-env", "v1.5.0", "TAINTED")]);
}

#[tokio::test]
async fn a_denied_search_is_an_error_of_the_tenant() {
    let denied = mock!(aws_sdk_servicecatalog::Client::search_provisioned_products).then_error(|| {
        aws_sdk_servicecatalog::operation::search_provisioned_products::SearchProvisionedProductsError::unhandled(
            "AccessDeniedException",
        )
    });
    let client = mock_client!(aws_sdk_servicecatalog, RuleMode::Sequential, [&denied]);
    let error = crate::servicecatalog::provisioned(&client).await.expect_err("denied");
    assert_eq!(error.service, silo_core::model::AwsService::ServiceCatalog);
}
