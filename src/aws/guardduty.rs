//! Open (not archived) GuardDuty findings per account, read from the audit account's detector.

use super::errors::classify;
use crate::fetch_error::FetchError;
use crate::model::{AwsService, FindingCounts};
use aws_sdk_guardduty::types::{Condition, FindingCriteria};
use aws_sdk_guardduty::Client;
use std::collections::{HashMap, HashSet};

const SERVICE: AwsService = AwsService::Guardduty;
/// GetFindings accepts at most 50 ids per call.
const GET_BATCH: usize = 50;

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let conf = aws_sdk_guardduty::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!("guardduty-{account_id}")))
        .build();
    Client::from_conf(conf)
}

pub fn open_criteria() -> FindingCriteria {
    FindingCriteria::builder().criterion("service.archived", Condition::builder().equals("false").build()).build()
}

/// Counts per tenant account; None when the audit account has no detector in this region.
pub async fn open_counts(
    client: &Client,
    tenants: &HashSet<String>,
) -> Result<Option<HashMap<String, FindingCounts>>, FetchError> {
    let detectors: Vec<String> = client
        .list_detectors()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| classify(SERVICE, e))?;
    let Some(detector) = detectors.first() else { return Ok(None) };
    let ids: Vec<String> = client
        .list_findings()
        .detector_id(detector)
        .finding_criteria(open_criteria())
        .max_results(50)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| classify(SERVICE, e))?;
    let mut counts: HashMap<String, FindingCounts> =
        tenants.iter().map(|t| (t.clone(), FindingCounts::default())).collect();
    for batch in ids.chunks(GET_BATCH) {
        let out = client
            .get_findings()
            .detector_id(detector)
            .set_finding_ids(Some(batch.to_vec()))
            .send()
            .await
            .map_err(|e| classify(SERVICE, e))?;
        for f in out.findings() {
            let archived = f.service().and_then(|s| s.archived()).unwrap_or(false);
            let Some(entry) = f.account_id().and_then(|a| counts.get_mut(a)) else { continue };
            if !archived {
                entry.add_label(severity_label(f.severity().unwrap_or(0.0)));
            }
        }
    }
    Ok(Some(counts))
}

/// GuardDuty's numeric severity bands: Low 1.0–3.9, Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0.
pub fn severity_label(score: f64) -> &'static str {
    if score >= 9.0 {
        "CRITICAL"
    } else if score >= 7.0 {
        "HIGH"
    } else if score >= 4.0 {
        "MEDIUM"
    } else if score >= 1.0 {
        "LOW"
    } else {
        "INFORMATIONAL"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_bands_match_guardduty_documentation() {
        assert_eq!(severity_label(3.9), "LOW");
        assert_eq!(severity_label(4.0), "MEDIUM");
        assert_eq!(severity_label(6.9), "MEDIUM");
        assert_eq!(severity_label(7.0), "HIGH");
        assert_eq!(severity_label(8.9), "HIGH");
        assert_eq!(severity_label(9.0), "CRITICAL");
        assert_eq!(severity_label(10.0), "CRITICAL");
    }
}
