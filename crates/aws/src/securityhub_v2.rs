//! The new Security Hub (OCSF findings, GetFindingsV2): one feed that already holds GuardDuty,
//! Inspector and CSPM findings. Used when `[audit] findings_api` is "v2", or "auto" and the
//! organization has it enabled.

use super::errors::classify;
use aws_sdk_securityhub::types::{
    AllowedOperators, CompositeFilter, DateFilter, NumberFilter, OcsfDateField, OcsfDateFilter, OcsfFindingFilters,
    OcsfNumberField, OcsfNumberFilter, OcsfStringField, OcsfStringFilter, StringFilter, StringFilterComparison,
};
use aws_sdk_securityhub::Client;
use aws_smithy_types::{Document, Number};
use serde_json::Value;
use silo_core::error::FetchError;
use silo_core::findings::{parse_time, raw_json, Finding, FindingList, FindingSource, FindingsAsk, Keeper, Severity};
use silo_core::model::AwsService;
use silo_core::plan::{ActionOutcome, Target};

/// Marks a finding read through v2, so its status is changed through BatchUpdateFindingsV2.
pub use silo_core::findings::OCSF_PRODUCT_PREFIX as PRODUCT_PREFIX;
const BATCH: usize = 100;
/// Values of one filter type in one composite filter: GetFindingsV2's model (`Filters`) says "You
/// can filter up to 10 composite filters. For each filter type inside of a composite filter, you
/// can provide up to 20 filters." Longer lists of accounts or ids are asked in several calls.
const PER_COMPOSITE: usize = 20;

/// OCSF `status_id`: 1 New, 2 In Progress are open; 3 Suppressed, 4 Resolved, 5 Archived are not.
fn open_filter() -> CompositeFilter {
    let open = OcsfNumberFilter::builder()
        .field_name(OcsfNumberField::StatusId)
        .filter(NumberFilter::builder().gte(1.0).lte(2.0).build())
        .build();
    CompositeFilter::builder().number_filters(open).build()
}

/// Any of `values` in string field `field` (a composite whose filters are ORed).
fn any_of(field: OcsfStringField, values: &[String]) -> CompositeFilter {
    let each = values.iter().map(|v| {
        let equals = StringFilter::builder().comparison(StringFilterComparison::Equals).value(v).build();
        OcsfStringFilter::builder().field_name(field.clone()).filter(equals).build()
    });
    CompositeFilter::builder().set_string_filters(Some(each.collect())).operator(AllowedOperators::Or).build()
}

/// Modified at or after `since` (`finding_info.modified_time_dt`, the time `updated_at` reads).
fn modified_since(since: chrono::DateTime<chrono::Utc>) -> CompositeFilter {
    let range = DateFilter::builder().start(since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)).build();
    let date = OcsfDateFilter::builder().field_name(OcsfDateField::FindingInfoModifiedTimeDt).filter(range).build();
    CompositeFilter::builder().date_filters(date).build()
}

/// The ask as GetFindingsV2 filters, ANDed (open, these accounts, modified since, these ids):
/// one set per chunk of 20 accounts and chunk of 20 ids (at most 4 composites each); None when
/// the ask names nothing.
fn filters(ask: &FindingsAsk) -> Vec<Option<OcsfFindingFilters>> {
    let open = ask.open_only.then(open_filter);
    let since = ask.updated_since.map(modified_since);
    let accounts = chunks_of(OcsfStringField::CloudAccountUid, ask.accounts.as_deref());
    let ids = chunks_of(OcsfStringField::MetadataUid, ask.ids.as_deref());
    let mut sets = Vec::new();
    for (a, i) in accounts.iter().flat_map(|a| ids.iter().map(move |i| (a, i))) {
        let all: Vec<CompositeFilter> = [&open, a, &since, i].into_iter().flatten().cloned().collect();
        sets.push((!all.is_empty()).then(|| {
            OcsfFindingFilters::builder()
                .set_composite_filters(Some(all))
                .composite_operator(AllowedOperators::And)
                .build()
        }));
    }
    sets
}

/// `values` of `field` as composites of at most 20 (`[None]` when the ask names none).
fn chunks_of(field: OcsfStringField, values: Option<&[String]>) -> Vec<Option<CompositeFilter>> {
    match values {
        None => vec![None],
        Some(values) => values.chunks(PER_COMPOSITE).map(|chunk| Some(any_of(field.clone(), chunk))).collect(),
    }
}

/// Whether Security Hub v2 is enabled in the audit account, asked (DescribeSecurityHubV2, `GET
/// /hubv2`, IAM action `securityhub:DescribeSecurityHubV2`): an answer with its `HubV2Arn` is
/// yes; ResourceNotFoundException ("not subscribed to HubV2") is no. Any other error (denied,
/// throttled) reads v1, said in the log: v1 answers for every organization.
pub async fn enabled(client: &Client) -> bool {
    match client.describe_security_hub_v2().send().await {
        Ok(out) => out.hub_v2_arn().is_some_and(|arn| !arn.trim().is_empty()),
        Err(e) => {
            let why = classify(AwsService::Securityhub, e);
            match why.kind {
                silo_core::error::ErrorKind::NotFound => tracing::info!("Security Hub v2 is not enabled: {why}"),
                _ => tracing::warn!("Security Hub v2 unknown, v1 read: {why}"),
            }
            false
        }
    }
}

/// The findings `ask` names, every page, into `keeper` (its cap of each account kept, the rest
/// counted as pages pass). The ask goes to the server as filters and is checked again on what
/// comes back.
pub async fn findings(client: &Client, ask: &FindingsAsk, mut keeper: Keeper) -> Result<FindingList, FetchError> {
    for filters in filters(ask) {
        let mut token: Option<String> = None;
        let mut tokens = super::paging::PageTokens::default();
        loop {
            let request = client.get_findings_v2().max_results(100).set_filters(filters.clone());
            let page =
                request.set_next_token(token.clone()).send().await.map_err(|e| classify(AwsService::Securityhub, e))?;
            let found = page.findings().iter().map(|d| to_finding(&to_json(d))).filter(|f| ask.accepts(f));
            found.for_each(|f| keeper.offer(f));
            token = super::paging::next_token(AwsService::Securityhub, &mut tokens, page.next_token())?;
            if token.is_none() {
                break;
            }
        }
    }
    Ok(keeper.finish())
}

/// A smithy Document as JSON.
pub fn to_json(doc: &Document) -> Value {
    match doc {
        Document::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
        Document::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Document::Number(Number::PosInt(n)) => Value::from(*n),
        Document::Number(Number::NegInt(n)) => Value::from(*n),
        Document::Number(Number::Float(f)) => {
            serde_json::Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null)
        }
        Document::String(s) => Value::String(s.clone()),
        Document::Bool(b) => Value::Bool(*b),
        Document::Null => Value::Null,
    }
}

fn str_at<'a>(v: &'a Value, path: &str) -> Option<&'a str> {
    path.split('.').try_fold(v, |v, key| v.get(key)).and_then(Value::as_str)
}

fn severity(v: &Value) -> Severity {
    match str_at(v, "severity").unwrap_or("").to_ascii_lowercase().as_str() {
        "critical" | "fatal" => Severity::Critical,
        "high" => Severity::High,
        "medium" => Severity::Medium,
        "low" => Severity::Low,
        _ => Severity::Informational,
    }
}

/// An OCSF finding as silo's model; GuardDuty's own findings keep GuardDuty as their source.
pub fn to_finding(v: &Value) -> Finding {
    let text = |path: &str| silo_core::findings::text(str_at(v, path));
    let status_id = v.get("status_id").and_then(Value::as_i64).unwrap_or(1);
    let resource = v.get("resources").and_then(|r| r.get(0)).cloned().unwrap_or(Value::Null);
    let product = text("metadata.product.name");
    let source = if product.to_ascii_lowercase().contains("guardduty") {
        FindingSource::Guardduty
    } else {
        FindingSource::Securityhub
    };
    Finding {
        id: text("metadata.uid"),
        source,
        product: format!("{PRODUCT_PREFIX}{}", text("metadata.product.uid")),
        account_id: text("cloud.account.uid"),
        tenant: None,
        region: text("cloud.region"),
        severity: severity(v),
        title: text("finding_info.title"),
        description: text("finding_info.desc"),
        status: text("status").to_ascii_uppercase().replace(' ', "_"),
        open: (1..=2).contains(&status_id),
        resource: silo_core::findings::text(str_at(&resource, "uid")),
        resource_type: silo_core::findings::text(str_at(&resource, "type")),
        kind: silo_core::findings::text(
            v.get("finding_info").and_then(|f| f.get("types")).and_then(|t| t.get(0)).and_then(Value::as_str),
        ),
        first_seen: parse_time(str_at(v, "finding_info.first_seen_time_dt")),
        last_seen: parse_time(str_at(v, "finding_info.last_seen_time_dt")),
        updated_at: parse_time(str_at(v, "finding_info.modified_time_dt")),
        remediation: text("remediation.desc"),
        remediation_url: silo_core::findings::text(
            v.get("remediation").and_then(|r| r.get("references")).and_then(|r| r.get(0)).and_then(Value::as_str),
        ),
        raw: raw_json(v),
    }
}

/// BatchUpdateFindingsV2 by metadata uid, 100 at a time, with the note as comment.
pub(crate) async fn update_status(
    client: &Client,
    targets: &[Target],
    workflow: &str,
    note: &str,
) -> Result<ActionOutcome, FetchError> {
    let status = silo_core::findings::ocsf_status_id(workflow).ok_or_else(|| {
        FetchError::new(
            AwsService::Securityhub,
            silo_core::error::ErrorKind::Other,
            format!("no OCSF status for {workflow}"),
        )
    })?;
    let mut outcome = ActionOutcome::default();
    for batch in targets.chunks(BATCH) {
        let uids: Vec<String> = batch.iter().map(|t| t.id.clone()).collect();
        match update_batch(client, uids.clone(), status, note).await {
            Ok((unprocessed, request_id)) => outcome.batch_done(uids, unprocessed, request_id),
            Err(e) => outcome.batch_failed(uids, e.to_string()),
        }
    }
    Ok(outcome)
}

/// One BatchUpdateFindingsV2 call: the findings it did not process (uid, why) and its request id.
async fn update_batch(
    client: &Client,
    uids: Vec<String>,
    status: i32,
    note: &str,
) -> Result<(Vec<(String, String)>, Option<String>), FetchError> {
    let call = client.batch_update_findings_v2().set_metadata_uids(Some(uids)).status_id(status).comment(note);
    let out = call.send().await.map_err(|e| classify(AwsService::Securityhub, e))?;
    let unprocessed = out.unprocessed_findings().iter().map(|u| {
        let code = u.error_code().map(|c| silo_core::sanitize::clean(c.as_str())).unwrap_or_default();
        let why = format!("{code}: {}", u.error_message().unwrap_or(""));
        (silo_core::sanitize::clean(u.metadata_uid().unwrap_or("")), silo_core::sanitize::clean(&why))
    });
    let request_id = aws_types::request_id::RequestId::request_id(&out).map(str::to_string);
    Ok((unprocessed.collect(), request_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ocsf_guardduty_finding_maps_with_its_source_and_open_state() {
        let v = serde_json::json!({
            "metadata": { "uid": "m-1", "product": { "name": "GuardDuty", "uid": "arn:aws:guardduty" } },
            "cloud": { "account": { "uid": "111111111111" }, "region": "sa-east-1" },
            "severity": "High", "status": "In Progress", "status_id": 2,
            "finding_info": { "title": "Recon\u{1b}[2J probe", "types": ["Recon:EC2/PortProbeUnprotectedPort"], "modified_time_dt": "2026-11-01T10:00:00Z" },
            "resources": [{ "uid": "i-0abc", "type": "AwsEc2Instance" }]
        });
        let f = to_finding(&v);
        assert_eq!(
            (f.id.as_str(), f.source, f.severity, f.open),
            ("m-1", FindingSource::Guardduty, Severity::High, true)
        );
        assert_eq!(
            (f.status.as_str(), f.title.as_str(), f.resource.as_str()),
            ("IN_PROGRESS", "Recon probe", "i-0abc")
        );
        assert!(f.product.starts_with(PRODUCT_PREFIX));
        let resolved = to_finding(&serde_json::json!({ "status_id": 4, "severity": "Critical" }));
        assert!(!resolved.open);
    }

    #[test]
    fn documents_convert_to_json() {
        let doc = Document::Object(
            [("a".to_string(), Document::Array(vec![Document::Number(Number::PosInt(3)), Document::Null]))].into(),
        );
        assert_eq!(to_json(&doc), serde_json::json!({ "a": [3, null] }));
    }

    #[test]
    fn accounts_and_ids_go_twenty_to_a_composite_as_the_model_allows() {
        let accounts: Vec<String> = (0..21).map(|i| format!("{i:012}")).collect();
        let ids: Vec<String> = (0..25).map(|i| format!("uid-{i}")).collect();
        let ask = FindingsAsk { accounts: Some(accounts), ..FindingsAsk::these(ids) };
        let sizes: Vec<Vec<usize>> = filters(&ask)
            .iter()
            .map(|f| f.as_ref().map(|f| f.composite_filters().iter().map(|c| c.string_filters().len()).collect()))
            .map(Option::unwrap_or_default)
            .collect();
        assert_eq!(sizes, vec![vec![20, 20], vec![20, 5], vec![1, 20], vec![1, 5]]);
        assert_eq!(filters(&FindingsAsk::all()), vec![None], "nothing named: no filter at all");
    }
}
