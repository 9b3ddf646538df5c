//! AWS Control Tower (the management account, the governance role): the landing zone, the
//! enabled baselines and controls, one page of the smallest size each (ListEnabledBaselines
//! takes at least 5, by its model).

use super::Probe;
use crate::errors::classify;
use aws_sdk_controltower::Client;
use silo_core::model::AwsService;

const SERVICE: AwsService = AwsService::ControlTower;
/// An ARN in the landing zone's form that names none: GetLandingZone answers not found when allowed.
const ABSENT_ZONE: &str = "arn:aws:controltower:us-east-1:000000000000:landingzone/SILODOCTORPROBE0";

pub async fn read(client: &Client) -> Vec<Probe> {
    let zones = client.list_landing_zones().max_results(1).send().await.map_err(|e| classify(SERVICE, e));
    let listed = zones.as_ref().ok().and_then(|o| o.landing_zones().iter().find_map(|z| z.arn().map(str::to_string)));
    let zone = listed.as_deref().unwrap_or(ABSENT_ZONE);
    let got = client.get_landing_zone().landing_zone_identifier(zone).send().await.map_err(|e| classify(SERVICE, e));
    let baselines = client.list_enabled_baselines().max_results(5).send().await.map_err(|e| classify(SERVICE, e));
    let controls = client.list_enabled_controls().max_results(1).send().await.map_err(|e| classify(SERVICE, e));
    vec![
        Probe::of("controltower:ListLandingZones", zones, |o| format!("{} landing zone(s)", o.landing_zones().len())),
        Probe::of("controltower:GetLandingZone", got, |o| {
            format!("version {}", o.landing_zone().map(|z| z.version()).unwrap_or("?"))
        })
        .allowed_if_absent("no landing zone"),
        Probe::of("controltower:ListEnabledBaselines", baselines, |o| {
            format!("{} enabled baseline(s) on the first page", o.enabled_baselines().len())
        }),
        Probe::of("controltower:ListEnabledControls", controls, |o| {
            format!("{} enabled control(s) on the first page", o.enabled_controls().len())
        }),
    ]
}
