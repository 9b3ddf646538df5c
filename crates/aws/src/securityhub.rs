//! Open Security Hub findings (ASFF) per account, read from the audit account (the delegated
//! administrator). Filters go to the server and are checked again on what comes back, so a server
//! that ignores a filter cannot inflate the counts.

use super::errors::classify;
use super::pacer::Pacer;
use aws_sdk_securityhub::types::{
    AwsSecurityFinding, AwsSecurityFindingFilters, RecordState, SeverityLabel, StringFilter, StringFilterComparison,
    WorkflowStatus,
};
use aws_sdk_securityhub::Client;
use silo_core::error::FetchError;
use silo_core::findings::{parse_time, raw_json, text, Finding, FindingList, FindingSource, FindingsAsk, Keeper};
use silo_core::model::AwsService;

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let conf = aws_sdk_securityhub::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!("securityhub-{account_id}")))
        .build();
    Client::from_conf(conf)
}

fn equals(value: &str) -> StringFilter {
    StringFilter::builder().comparison(StringFilterComparison::Equals).value(value).build()
}

/// The server-side filter for open findings: ACTIVE records in workflow NEW or NOTIFIED.
pub fn open_filter() -> AwsSecurityFindingFilters {
    AwsSecurityFindingFilters::builder()
        .record_state(equals("ACTIVE"))
        .workflow_status(equals("NEW"))
        .workflow_status(equals("NOTIFIED"))
        .build()
}

/// The findings `ask` names, all pages, into `keeper` (at most its cap of each account kept, the
/// rest counted as they pass). The ask goes to the server as filters (RecordState,
/// WorkflowStatus, AwsAccountId and Id in chunks of 20, UpdatedAt) and is checked again on the
/// answer (a server that ignores a filter must not widen it).
pub async fn findings(client: &Client, ask: &FindingsAsk, mut keeper: Keeper) -> Result<FindingList, FetchError> {
    let mut pacer = Pacer::get_findings();
    for filters in filters(ask) {
        let mut token: Option<String> = None;
        let mut tokens = super::paging::PageTokens::default();
        loop {
            pacer.wait().await;
            let request = client.get_findings().filters(filters.clone()).max_results(100).set_next_token(token.clone());
            let page = request.send().await.map_err(|e| classify(AwsService::Securityhub, e))?;
            page.findings().iter().map(to_finding).filter(|f| ask.accepts(f)).for_each(|f| keeper.offer(f));
            token = super::paging::next_token(AwsService::Securityhub, &mut tokens, page.next_token())?;
            if token.is_none() {
                break;
            }
        }
    }
    Ok(keeper.finish())
}

/// Security Hub takes at most 20 values in one string filter list (API reference,
/// AwsSecurityFindingFilters: "You can specify up to 20 values" per filter).
const FILTER_VALUES: usize = 20;

type FiltersBuilder = aws_sdk_securityhub::types::builders::AwsSecurityFindingFiltersBuilder;

/// One filter per chunk of accounts and chunk of ids (each list at most 20 values).
fn filters(ask: &FindingsAsk) -> Vec<AwsSecurityFindingFilters> {
    let by_account: Vec<FiltersBuilder> = match &ask.accounts {
        None => vec![base_filter(ask)],
        Some(accounts) => accounts
            .chunks(FILTER_VALUES)
            .map(|chunk| chunk.iter().fold(base_filter(ask), |b, a| b.aws_account_id(equals(a))))
            .collect(),
    };
    let Some(ids) = &ask.ids else { return by_account.into_iter().map(|b| b.build()).collect() };
    let by_id = |b: &FiltersBuilder| {
        ids.chunks(FILTER_VALUES)
            .map(|chunk| chunk.iter().fold(b.clone(), |b, id| b.id(equals(id))).build())
            .collect::<Vec<_>>()
    };
    by_account.iter().flat_map(by_id).collect()
}

/// The filters every chunk shares: open (ACTIVE, NEW or NOTIFIED) and updated since.
fn base_filter(ask: &FindingsAsk) -> FiltersBuilder {
    let mut b = AwsSecurityFindingFilters::builder();
    if ask.open_only {
        b = b.record_state(equals("ACTIVE")).workflow_status(equals("NEW")).workflow_status(equals("NOTIFIED"));
    }
    if let Some(since) = ask.updated_since {
        let range = aws_sdk_securityhub::types::DateFilter::builder()
            .start(since.to_rfc3339())
            .end("2100-01-01T00:00:00Z")
            .build();
        b = b.updated_at(range);
    }
    b
}

fn to_finding(f: &AwsSecurityFinding) -> Finding {
    let resource = f.resources().first();
    let recommendation = f.remediation().and_then(|r| r.recommendation());
    let status = f
        .workflow()
        .and_then(|w| w.status())
        .map(|s| silo_core::sanitize::clean(s.as_str()))
        .unwrap_or_else(|| "NEW".into());
    Finding {
        id: text(f.id()),
        source: FindingSource::Securityhub,
        product: text(f.product_arn()),
        account_id: text(f.aws_account_id()),
        tenant: None,
        region: text(f.region()),
        severity: silo_core::findings::Severity::parse(severity_label(f))
            .unwrap_or(silo_core::findings::Severity::Informational),
        title: text(f.title()),
        description: text(f.description()),
        status,
        open: is_open(f),
        resource: text(resource.and_then(|r| r.id())),
        resource_type: text(resource.and_then(|r| r.r#type())),
        kind: text(f.generator_id().map(|g| g.rsplit('/').next().unwrap_or(g))),
        first_seen: parse_time(f.first_observed_at().or(f.created_at())),
        last_seen: parse_time(f.last_observed_at()),
        updated_at: parse_time(f.updated_at()),
        remediation: text(recommendation.and_then(|r| r.text())),
        remediation_url: text(recommendation.and_then(|r| r.url())),
        raw: raw_json(&asff_json(f)),
    }
}

/// The finding's ASFF fields as JSON for the detail pane.
fn asff_json(f: &AwsSecurityFinding) -> serde_json::Value {
    let recommendation = f.remediation().and_then(|r| r.recommendation());
    serde_json::json!({
        "SchemaVersion": f.schema_version(),
        "Id": f.id(),
        "ProductArn": f.product_arn(),
        "ProductName": f.product_name(),
        "CompanyName": f.company_name(),
        "GeneratorId": f.generator_id(),
        "AwsAccountId": f.aws_account_id(),
        "Region": f.region(),
        "Types": f.types(),
        "FirstObservedAt": f.first_observed_at(),
        "LastObservedAt": f.last_observed_at(),
        "CreatedAt": f.created_at(),
        "UpdatedAt": f.updated_at(),
        "Severity": { "Label": f.severity().and_then(|s| s.label()).map(|l| l.as_str()), "Normalized": f.severity().and_then(|s| s.normalized()) },
        "Title": f.title(),
        "Description": f.description(),
        "Remediation": { "Recommendation": { "Text": recommendation.and_then(|r| r.text()), "Url": recommendation.and_then(|r| r.url()) } },
        "ProductFields": f.product_fields(),
        "Resources": f.resources().iter().map(|r| serde_json::json!({ "Type": r.r#type(), "Id": r.id(), "Region": r.region() })).collect::<Vec<_>>(),
        "Compliance": { "Status": f.compliance().and_then(|c| c.status()).map(|s| s.as_str()) },
        "Workflow": { "Status": f.workflow().and_then(|w| w.status()).map(|s| s.as_str()) },
        "RecordState": f.record_state().map(|s| s.as_str()),
    })
}

pub fn is_open(f: &AwsSecurityFinding) -> bool {
    let active = f.record_state() == Some(&RecordState::Active);
    let status = f.workflow().and_then(|w| w.status());
    let open = matches!(status, None | Some(WorkflowStatus::New) | Some(WorkflowStatus::Notified));
    active && open
}

/// The finding's severity label, derived from the normalized score when the label is absent.
pub fn severity_label(f: &AwsSecurityFinding) -> &'static str {
    let Some(sev) = f.severity() else { return "INFORMATIONAL" };
    match sev.label() {
        Some(SeverityLabel::Critical) => "CRITICAL",
        Some(SeverityLabel::High) => "HIGH",
        Some(SeverityLabel::Medium) => "MEDIUM",
        Some(SeverityLabel::Low) => "LOW",
        Some(_) => "INFORMATIONAL",
        None => label_of_score(sev.normalized().unwrap_or(0)),
    }
}

fn label_of_score(normalized: i32) -> &'static str {
    match normalized {
        90.. => "CRITICAL",
        70..=89 => "HIGH",
        40..=69 => "MEDIUM",
        1..=39 => "LOW",
        _ => "INFORMATIONAL",
    }
}

/// Sets the workflow status (with a note) of findings, 100 per BatchUpdateFindings call, and
/// reports what Security Hub did not process.
pub(crate) async fn update_workflow(
    client: &Client,
    targets: &[silo_core::plan::Target],
    status: &str,
    note: &str,
) -> Result<silo_core::plan::ActionOutcome, FetchError> {
    let mut outcome = silo_core::plan::ActionOutcome::default();
    for batch in targets.chunks(silo_core::plan::SECURITYHUB_BATCH) {
        let ids = batch.iter().map(|t| t.id.clone()).collect();
        match update_batch(client, batch, status, note).await {
            Ok((unprocessed, request_id)) => outcome.batch_done(ids, unprocessed, request_id),
            Err(e) => outcome.batch_failed(ids, e.to_string()),
        }
    }
    Ok(outcome)
}

/// One BatchUpdateFindings call: the findings it did not process (id, why) and its request id.
async fn update_batch(
    client: &Client,
    batch: &[silo_core::plan::Target],
    status: &str,
    note: &str,
) -> Result<(Vec<(String, String)>, Option<String>), FetchError> {
    use aws_sdk_securityhub::types::{AwsSecurityFindingIdentifier, NoteUpdate, WorkflowUpdate};
    let ids: Vec<AwsSecurityFindingIdentifier> = batch
        .iter()
        .map(|t| AwsSecurityFindingIdentifier::builder().id(&t.id).product_arn(&t.product).build())
        .collect();
    let out = client
        .batch_update_findings()
        .set_finding_identifiers(Some(ids))
        .workflow(WorkflowUpdate::builder().status(WorkflowStatus::from(status)).build())
        .note(NoteUpdate::builder().text(note).updated_by(silo_core::identity::session_name()).build())
        .send()
        .await
        .map_err(|e| classify(AwsService::Securityhub, e))?;
    let unprocessed = out.unprocessed_findings().iter().map(|u| {
        let id = u.finding_identifier().and_then(|f| f.id()).unwrap_or_default();
        let why = format!("{}: {}", u.error_code().unwrap_or(""), u.error_message().unwrap_or(""));
        (silo_core::sanitize::clean(id), silo_core::sanitize::clean(&why))
    });
    let request_id = aws_types::request_id::RequestId::request_id(&out).map(str::to_string);
    Ok((unprocessed.collect(), request_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_securityhub::types::{Severity, Workflow};

    fn finding(account: &str, label: SeverityLabel, state: RecordState, wf: WorkflowStatus) -> AwsSecurityFinding {
        AwsSecurityFinding::builder()
            .aws_account_id(account)
            .severity(Severity::builder().label(label).build())
            .record_state(state)
            .workflow(Workflow::builder().status(wf).build())
            .build()
    }

    #[test]
    fn query_rechecks_what_a_filter_ignoring_server_sends() {
        let ask = FindingsAsk { accounts: Some(vec!["111111111111".into()]), ..FindingsAsk::open() };
        let accepts =
            |account, label, state, workflow| ask.accepts(&to_finding(&finding(account, label, state, workflow)));
        assert!(accepts("111111111111", SeverityLabel::Critical, RecordState::Active, WorkflowStatus::New));
        assert!(!accepts("111111111111", SeverityLabel::High, RecordState::Active, WorkflowStatus::Resolved));
        assert!(!accepts("111111111111", SeverityLabel::Critical, RecordState::Archived, WorkflowStatus::New));
        assert!(!accepts("999999999999", SeverityLabel::Critical, RecordState::Active, WorkflowStatus::New));
    }

    #[tokio::test(start_paused = true)]
    async fn pacer_allows_a_burst_of_six_then_three_a_second() {
        let mut pacer = Pacer::get_findings();
        let start = tokio::time::Instant::now();
        for _ in 0..6 {
            pacer.wait().await;
        }
        assert!(start.elapsed() < std::time::Duration::from_millis(1), "the burst is free");
        for _ in 0..3 {
            pacer.wait().await;
        }
        let waited = start.elapsed().as_millis();
        assert!((990..=1010).contains(&waited), "three more take about a second, took {waited} ms");
    }

    #[test]
    fn accounts_are_sent_in_chunks_of_twenty() {
        let accounts: Vec<String> = (0..45).map(|i| format!("{i:012}")).collect();
        let ask = FindingsAsk { accounts: Some(accounts), ..FindingsAsk::all() };
        let sizes: Vec<usize> = filters(&ask).iter().map(|f| f.aws_account_id().len()).collect();
        assert_eq!(sizes, vec![20, 20, 5]);
    }

    #[test]
    fn ids_are_sent_in_chunks_of_twenty_for_every_chunk_of_accounts() {
        let ids: Vec<String> = (0..25).map(|i| format!("finding-{i}")).collect();
        let accounts: Vec<String> = (0..21).map(|i| format!("{i:012}")).collect();
        let ask = FindingsAsk { accounts: Some(accounts), ..FindingsAsk::these(ids) };
        let shapes: Vec<(usize, usize)> =
            filters(&ask).iter().map(|f| (f.aws_account_id().len(), f.id().len())).collect();
        assert_eq!(shapes, vec![(20, 20), (20, 5), (1, 20), (1, 5)]);
        let only = FindingsAsk::these(vec!["a".into()]);
        let other = finding("111111111111", SeverityLabel::Low, RecordState::Active, WorkflowStatus::New);
        assert!(!only.accepts(&to_finding(&other)));
    }

    #[test]
    fn asff_maps_to_a_sanitized_finding() {
        let mut f = finding("111111111111", SeverityLabel::High, RecordState::Active, WorkflowStatus::Notified);
        f.title = Some("bad\u{1b}]0;title\u{7}name".into());
        let mapped = to_finding(&f);
        assert_eq!(mapped.title, "badname");
        assert_eq!((mapped.status.as_str(), mapped.open), ("NOTIFIED", true));
        assert!(mapped.raw.contains("\"AwsAccountId\": \"111111111111\""));
    }

    #[test]
    fn normalized_score_maps_to_label() {
        assert_eq!(label_of_score(95), "CRITICAL");
        assert_eq!(label_of_score(70), "HIGH");
        assert_eq!(label_of_score(39), "LOW");
        assert_eq!(label_of_score(0), "INFORMATIONAL");
    }
}
