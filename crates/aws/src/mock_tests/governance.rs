//! Control Tower's governance reads, exact requests (moto does not serve Control Tower):
//! ListLandingZones (the model's only page size, 1), GetLandingZone by the listed ARN,
//! ListEnabledBaselines with the children (the accounts) and the largest page of 100, and
//! ListEnabledControls once per tenant OU (its ARN as the target, the largest page of 200).

use aws_sdk_controltower::operation::get_landing_zone::GetLandingZoneOutput;
use aws_sdk_controltower::operation::list_enabled_baselines::ListEnabledBaselinesOutput;
use aws_sdk_controltower::operation::list_enabled_controls::ListEnabledControlsOutput;
use aws_sdk_controltower::operation::list_landing_zones::ListLandingZonesOutput;
use aws_sdk_controltower::types::{
    DriftStatus, DriftStatusSummary, EnabledBaselineDriftStatus, EnabledBaselineDriftStatusSummary,
    EnabledBaselineDriftTypes, EnabledBaselineInheritanceDrift, EnabledBaselineSummary, EnabledControlSummary,
    EnablementStatus, EnablementStatusSummary, LandingZoneDetail, LandingZoneDriftStatus,
    LandingZoneDriftStatusSummary, LandingZoneStatus, LandingZoneSummary,
};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use silo_core::governance::State;
use std::collections::HashSet;

const ZONE: &str = "arn:aws:controltower:sa-east-1:111122223333:landingzone/1A2B3C4D5E6F7G8H";
const OU: &str = "arn:aws:organizations::111122223333:ou/o-exampleorgid/ou-ab12-tenants";
const OU_BASELINE: &str = "arn:aws:controltower:sa-east-1:111122223333:enabledbaseline/XOUBASELINE00001";
const CT_BASELINE: &str = "arn:aws:controltower:sa-east-1::baseline/17BSJV3IGJ2QSGA2";

fn account(id: &str) -> String {
    format!("arn:aws:organizations::111122223333:account/o-exampleorgid/{id}")
}

fn baseline(
    arn: &str,
    target: &str,
    parent: Option<&str>,
    drift: EnabledBaselineDriftStatus,
) -> EnabledBaselineSummary {
    let inheritance = EnabledBaselineInheritanceDrift::builder().status(drift).build();
    let types = EnabledBaselineDriftTypes::builder().inheritance(inheritance).build();
    EnabledBaselineSummary::builder()
        .arn(arn)
        .baseline_identifier(CT_BASELINE)
        .baseline_version("4.0")
        .target_identifier(target)
        .set_parent_identifier(parent.map(str::to_string))
        .status_summary(EnablementStatusSummary::builder().status(EnablementStatus::Succeeded).build())
        .drift_status_summary(EnabledBaselineDriftStatusSummary::builder().types(types).build())
        .build()
        .expect("required members set")
}

fn control(name: &str, drift: DriftStatus) -> EnabledControlSummary {
    EnabledControlSummary::builder()
        .control_identifier(format!("arn:aws:controltower:sa-east-1::control/{name}"))
        .target_identifier(OU)
        .status_summary(EnablementStatusSummary::builder().status(EnablementStatus::Succeeded).build())
        .drift_status_summary(DriftStatusSummary::builder().drift_status(drift).build())
        .build()
}

fn landing_zone() -> LandingZoneDetail {
    LandingZoneDetail::builder()
        .version("3.3")
        .latest_available_version("3.3")
        .arn(ZONE)
        .status(LandingZoneStatus::Active)
        .drift_status(LandingZoneDriftStatusSummary::builder().status(LandingZoneDriftStatus::InSync).build())
        .manifest(aws_smithy_types::Document::Object(Default::default()))
        .build()
        .expect("version and manifest set")
}

#[tokio::test]
async fn each_account_gets_its_enrolment_the_controls_of_its_ou_and_what_drifted() {
    let zones = mock!(aws_sdk_controltower::Client::list_landing_zones)
        .match_requests(|r| r.max_results() == Some(1))
        .then_output(|| {
            let zone = LandingZoneSummary::builder().arn(ZONE).build();
            ListLandingZonesOutput::builder().landing_zones(zone).build().expect("list set")
        });
    let zone = mock!(aws_sdk_controltower::Client::get_landing_zone)
        .match_requests(|r| r.landing_zone_identifier() == Some(ZONE))
        .then_output(|| GetLandingZoneOutput::builder().landing_zone(landing_zone()).build());
    let baselines = mock!(aws_sdk_controltower::Client::list_enabled_baselines)
        .match_requests(|r| r.include_children() == Some(true) && r.max_results() == Some(100) && r.filter().is_none())
        .then_output(|| {
            let in_sync = EnabledBaselineDriftStatus::InSync;
            ListEnabledBaselinesOutput::builder()
                .enabled_baselines(baseline(OU_BASELINE, OU, None, in_sync.clone()))
                .enabled_baselines(baseline(
                    "arn:aws:controltower:sa-east-1:111122223333:enabledbaseline/XACCOUNT00000001",
                    &account("210000000000"),
                    Some(OU_BASELINE),
                    in_sync,
                ))
                .enabled_baselines(baseline(
                    "arn:aws:controltower:sa-east-1:111122223333:enabledbaseline/XACCOUNT00000002",
                    &account("210007919301"),
                    Some(OU_BASELINE),
                    EnabledBaselineDriftStatus::Drifted,
                ))
                .build()
                .expect("list set")
        });
    let controls = mock!(aws_sdk_controltower::Client::list_enabled_controls)
        .match_requests(|r| r.target_identifier() == Some(OU) && r.max_results() == Some(200))
        .then_output(|| {
            ListEnabledControlsOutput::builder()
                .enabled_controls(control("AWS-GR_RESTRICT_ROOT_USER", DriftStatus::InSync))
                .enabled_controls(control("AWS-GR_REGION_DENY", DriftStatus::Drifted))
                .build()
                .expect("list set")
        });
    let client = mock_client!(aws_sdk_controltower, RuleMode::Sequential, [&zones, &zone, &baselines, &controls]);
    let asked: HashSet<String> = ["210000000000", "210007919301", "210015838602"].map(String::from).into();
    let found = crate::controltower::governance(&client, &asked).await.expect("read");
    assert_eq!(controls.num_calls(), 1, "one read per OU, not per tenant");
    let of = |id: &str| found[id].as_ref().expect("read").clone();
    let in_sync = of("210000000000");
    assert_eq!((in_sync.state(), in_sync.ou.as_deref()), (State::Drifted, Some("ou-ab12-tenants")));
    assert_eq!(in_sync.drift(), ["control AWS-GR_REGION_DENY"], "the OU's drifted control is the account's too");
    let drifted = of("210007919301");
    assert_eq!(drifted.drift(), ["baseline AWSControlTowerBaseline", "control AWS-GR_REGION_DENY"]);
    assert_eq!(of("210015838602").state(), State::NotEnrolled, "no baseline targets it");
    assert_eq!(in_sync.landing_zone.map(|z| z.version), Some("3.3".to_string()));
}

#[tokio::test]
async fn an_organization_without_a_landing_zone_reads_nothing_else() {
    let zones = mock!(aws_sdk_controltower::Client::list_landing_zones)
        .match_requests(|r| r.max_results() == Some(1))
        .then_output(|| ListLandingZonesOutput::builder().set_landing_zones(Some(Vec::new())).build().expect("set"));
    let client = mock_client!(aws_sdk_controltower, RuleMode::Sequential, [&zones]);
    let asked: HashSet<String> = ["210000000000".to_string()].into();
    let found = crate::controltower::governance(&client, &asked).await.expect("read");
    let governance = found["210000000000"].as_ref().expect("read");
    assert_eq!(governance.state(), State::NoLandingZone);
}
