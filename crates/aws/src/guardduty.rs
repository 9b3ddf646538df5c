//! Open (not archived) GuardDuty findings per account, read from the audit account's detector.

use super::errors::classify;
use aws_sdk_guardduty::types::{Condition, FindingCriteria};
use aws_sdk_guardduty::Client;
use aws_types::request_id::RequestId;
use silo_core::error::FetchError;
use silo_core::findings::severity_label;
use silo_core::findings::{
    parse_time, raw_json, text, Finding, FindingList, FindingSource, FindingsAsk, Keeper, Severity,
};
use silo_core::model::AwsService;

const SERVICE: AwsService = AwsService::Guardduty;
/// GetFindings accepts at most 50 ids per call.
const GET_BATCH: usize = 50;

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let conf = aws_sdk_guardduty::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!("guardduty-{account_id}")))
        .build();
    Client::from_conf(conf)
}

/// The audit account's detector in this region, if GuardDuty is enabled there.
pub async fn detector(client: &Client) -> Result<Option<String>, FetchError> {
    let pages = client.list_detectors().into_paginator().send();
    let pages = pages.collect::<Result<Vec<_>, _>>().await.map_err(|e| classify(SERVICE, e))?;
    Ok(pages.iter().flat_map(|p| p.detector_ids()).next().cloned())
}

/// The findings of the detector that `ask` names, into `keeper` (at most its cap of each account
/// kept, the rest counted as each batch arrives); None without detector. Ids asked for are read
/// at once (GetFindings); otherwise ListFindings with the ask as criteria, then GetFindings.
pub async fn findings(
    client: &Client,
    ask: &FindingsAsk,
    mut keeper: Keeper,
) -> Result<Option<FindingList>, FetchError> {
    let Some(detector) = detector(client).await? else { return Ok(None) };
    let ids = match &ask.ids {
        Some(ids) => ids.clone(),
        None => listed(client, &detector, ask).await?,
    };
    for batch in ids.chunks(GET_BATCH) {
        let got = client.get_findings().detector_id(&detector).set_finding_ids(Some(batch.to_vec())).send().await;
        let got = got.map_err(|e| classify(SERVICE, e))?;
        got.findings()
            .iter()
            .map(|f| to_finding(f, &detector))
            .filter(|f| ask.accepts(f))
            .for_each(|f| keeper.offer(f));
    }
    Ok(Some(keeper.finish()))
}

/// The ids ListFindings gives for `ask`, every page (ids only: 50 a page, a few dozen bytes each).
async fn listed(client: &Client, detector: &str, ask: &FindingsAsk) -> Result<Vec<String>, FetchError> {
    let list = client.list_findings().detector_id(detector).max_results(50).set_finding_criteria(criteria(ask));
    let pages = list.into_paginator().send().collect::<Result<Vec<_>, _>>().await.map_err(|e| classify(SERVICE, e))?;
    Ok(pages.iter().flat_map(|p| p.finding_ids().iter().cloned()).collect())
}

/// The ask as FindingCriteria: `service.archived`, `accountId` and `updatedAt` are criteria
/// ListFindings takes (GuardDuty API reference and model, ListFindings `FindingCriteria`:
/// "updatedAt – Type: Timestamp in Unix Epoch millisecond format: 1486685375000"; "service.archived
/// … set to 'false', only unarchived findings are listed"), compared with the long-typed
/// `greaterThanOrEqual`.
pub fn criteria(ask: &FindingsAsk) -> Option<FindingCriteria> {
    let mut c = FindingCriteria::builder();
    if ask.open_only {
        c = c.criterion("service.archived", Condition::builder().equals("false").build());
    }
    if let Some(accounts) = &ask.accounts {
        c = c.criterion("accountId", Condition::builder().set_equals(Some(accounts.clone())).build());
    }
    if let Some(since) = ask.updated_since {
        c = c.criterion("updatedAt", Condition::builder().greater_than_or_equal(since.timestamp_millis()).build());
    }
    let built = c.build();
    built.criterion().is_some_and(|m| !m.is_empty()).then_some(built)
}

fn to_finding(f: &aws_sdk_guardduty::types::Finding, detector: &str) -> Finding {
    let archived = f.service().and_then(|s| s.archived()).unwrap_or(false);
    let resource = f.resource();
    let resource_id = resource.and_then(|r| {
        r.instance_details()
            .and_then(|i| i.instance_id())
            .or_else(|| r.access_key_details().and_then(|a| a.user_name()))
            .or_else(|| r.ecs_cluster_details().and_then(|e| e.name()))
    });
    let score = f.severity().unwrap_or(0.0);
    Finding {
        id: text(f.id()),
        source: FindingSource::Guardduty,
        product: detector.to_string(),
        account_id: text(f.account_id()),
        tenant: None,
        region: text(f.region()),
        severity: Severity::parse(severity_label(score)).unwrap_or(Severity::Informational),
        title: text(f.title()),
        description: text(f.description()),
        status: if archived { "ARCHIVED".into() } else { "ACTIVE".into() },
        open: !archived,
        resource: text(resource_id),
        resource_type: text(resource.and_then(|r| r.resource_type())),
        kind: text(f.r#type()),
        first_seen: parse_time(f.service().and_then(|s| s.event_first_seen()).or(f.created_at())),
        last_seen: parse_time(f.service().and_then(|s| s.event_last_seen())),
        updated_at: parse_time(f.updated_at()),
        remediation: String::new(),
        remediation_url: format!(
            "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-active.html#{}",
            text(f.r#type()).to_lowercase()
        ),
        raw: raw_json(&serde_json::json!({
            "Id": f.id(), "Arn": f.arn(), "AccountId": f.account_id(), "Region": f.region(), "Type": f.r#type(),
            "Severity": f.severity(), "Title": f.title(), "Description": f.description(), "CreatedAt": f.created_at(),
            "UpdatedAt": f.updated_at(), "Resource": { "ResourceType": resource.and_then(|r| r.resource_type()), "Id": resource_id },
            "Service": { "Archived": archived, "Count": f.service().and_then(|s| s.count()), "DetectorId": detector,
                         "EventFirstSeen": f.service().and_then(|s| s.event_first_seen()), "EventLastSeen": f.service().and_then(|s| s.event_last_seen()) },
        })),
    }
}

/// Archives (or unarchives) findings; GuardDuty allows it only to the administrator account.
pub(crate) async fn set_archived(
    client: &Client,
    detector: &str,
    ids: &[String],
    archive: bool,
) -> Result<silo_core::plan::ActionOutcome, FetchError> {
    let mut outcome = silo_core::plan::ActionOutcome::default();
    for batch in ids.chunks(silo_core::plan::GUARDDUTY_BATCH) {
        match archive_batch(client, detector, batch.to_vec(), archive).await {
            Ok(request_id) => outcome.batch_done(batch.to_vec(), Vec::new(), request_id),
            Err(e) => outcome.batch_failed(batch.to_vec(), e.to_string()),
        }
    }
    Ok(outcome)
}

/// One ArchiveFindings or UnarchiveFindings call; its request id.
async fn archive_batch(
    client: &Client,
    detector: &str,
    ids: Vec<String>,
    archive: bool,
) -> Result<Option<String>, FetchError> {
    let ids = Some(ids);
    if archive {
        let out = client.archive_findings().detector_id(detector).set_finding_ids(ids).send().await;
        Ok(out.map_err(|e| classify(SERVICE, e))?.request_id().map(str::to_string))
    } else {
        let out = client.unarchive_findings().detector_id(detector).set_finding_ids(ids).send().await;
        Ok(out.map_err(|e| classify(SERVICE, e))?.request_id().map(str::to_string))
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
