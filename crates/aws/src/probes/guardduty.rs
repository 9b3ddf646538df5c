//! GuardDuty in the audit account: its detector, one page of findings and one finding.

use super::{Probe, Seen};
use crate::errors::classify;
use aws_sdk_guardduty::Client;
use silo_core::model::AwsService;

const SERVICE: AwsService = AwsService::Guardduty;

pub async fn read(client: &Client) -> Vec<Probe> {
    let detectors = client.list_detectors().send().await.map_err(|e| classify(SERVICE, e));
    let detector = detectors.as_ref().ok().and_then(|o| o.detector_ids().first().cloned());
    let mut probes =
        vec![Probe::of("guardduty:ListDetectors", detectors, |o| format!("{} detector(s)", o.detector_ids().len()))];
    let Some(detector) = detector else {
        let off = Seen::NotEnabled("no GuardDuty detector in this account and region".into());
        probes.push(Probe { action: "guardduty:ListFindings", seen: Ok(off) });
        return probes;
    };
    let listed = client.list_findings().detector_id(&detector).max_results(1).send().await;
    let listed = listed.map_err(|e| classify(SERVICE, e));
    let id = listed.as_ref().ok().and_then(|o| o.finding_ids().first().cloned());
    probes
        .push(Probe::of("guardduty:ListFindings", listed, |o| format!("{} finding(s) listed", o.finding_ids().len())));
    // A made-up id answers with no finding: the permission is what is asked.
    let id = id.unwrap_or_else(|| "0".repeat(32));
    let got = client.get_findings().detector_id(&detector).finding_ids(id).send().await;
    probes.push(Probe::of("guardduty:GetFindings", got.map_err(|e| classify(SERVICE, e)), |o| {
        format!("{} read", o.findings().len())
    }));
    probes
}
