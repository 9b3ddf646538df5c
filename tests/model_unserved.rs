//! The calls moto does not serve (Amazon Inspector, AWS Control Tower), sent through the model
//! check anyway: the check reads each request against the service's official model before moto
//! answers (with an error, as it does for a service it lacks), so a request AWS would refuse fails
//! here. What they answer is asserted with exact requests in crates/aws/src/mock_tests/.

mod support;

use std::collections::HashSet;

/// Whatever moto answers, it is not the model check's refusal.
fn not_refused<T: std::fmt::Debug>(call: &str, result: Result<T, silo_core::error::FetchError>) {
    if let Err(e) = result {
        assert!(!e.message.contains("model check"), "{call}: {e}");
    }
}

#[tokio::test]
async fn inspectors_reads_are_what_its_model_takes() {
    let sdk = support::sdk(support::root_credentials()).await;
    let client = silo_aws::inspector::client(&sdk, "123456789012");
    not_refused(
        "ListFindingAggregations",
        silo_aws::inspector::aggregations(&client, "123456789012", "opsfactor/app").await,
    );
    not_refused("ListCoverage", silo_aws::inspector::coverage(&client, "123456789012", "opsfactor/app").await);
}

#[tokio::test]
async fn control_towers_reads_are_what_its_model_takes() {
    let sdk = support::sdk(support::root_credentials()).await;
    let client = silo_aws::controltower::client(&sdk, "111122223333");
    let accounts: HashSet<String> = ["210000000000".to_string()].into();
    not_refused("ListLandingZones", silo_aws::controltower::governance(&client, &accounts).await);
    let zone = "arn:aws:controltower:us-east-1:111122223333:landingzone/1A2B3C4D5E6F7G8H";
    not_refused("GetLandingZone", silo_aws::controltower::landing_zone_at(&client, zone).await);
    not_refused("ListEnabledBaselines", silo_aws::controltower::enabled_baselines(&client).await);
    let ou = "arn:aws:organizations::111122223333:ou/o-exampleorgid/ou-ab12-tenants";
    not_refused("ListEnabledControls", silo_aws::controltower::enabled_controls(&client, ou).await);
}
