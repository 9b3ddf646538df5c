//! The calls moto does not serve (Amazon Inspector, AWS Control Tower, GuardDuty's findings,
//! Security Hub's GetFindingsV2), sent through the model check anyway: the check reads each
//! request against the service's official model before moto answers (with an error, as it does
//! for a call it lacks), so a request AWS would refuse fails here. What they answer is asserted with exact requests in crates/aws/src/mock_tests/.

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

/// GuardDuty's findings reads (moto keeps detectors but has no findings): ListFindings with each
/// ask's criteria (open; one account changed since a time), and GetFindings by id.
#[tokio::test]
async fn guardduty_finding_reads_are_what_its_model_takes() {
    use silo_core::findings::FindingsAsk;
    let sdk = support::sdk(support::root_credentials()).await;
    let client = silo_aws::guardduty::client(&sdk, "123456789012");
    // A detector, so the reads go on to ListFindings and GetFindings.
    client.create_detector().enable(true).send().await.expect("moto keeps detectors");
    let since = chrono::Utc::now() - chrono::Duration::hours(6);
    for ask in
        [FindingsAsk::open(), FindingsAsk::changed_in("210000000000", since), FindingsAsk::these(vec!["f1".into()])]
    {
        let read = silo_aws::guardduty::findings(&client, &ask, ask.keeper(500)).await;
        assert!(!matches!(read, Ok(None)), "the detector was found, so the findings were asked for");
        not_refused("ListFindings/GetFindings", read);
    }
}

/// Security Hub v2's GetFindingsV2 (moto does not serve it) with each ask's composite filters.
#[tokio::test]
async fn security_hub_v2_reads_are_what_its_model_takes() {
    use silo_core::findings::{FindingsAsk, Keeper};
    let sdk = support::sdk(support::root_credentials()).await;
    let client = silo_aws::securityhub::client(&sdk, "123456789012");
    let since = chrono::Utc::now() - chrono::Duration::hours(6);
    let ids = (0..25).map(|i| format!("uid-{i}")).collect();
    for ask in [FindingsAsk::open(), FindingsAsk::changed_in("210000000000", since), FindingsAsk::these(ids)] {
        not_refused("GetFindingsV2", silo_aws::securityhub_v2::findings(&client, &ask, Keeper::new(500)).await);
    }
}
