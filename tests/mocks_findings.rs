//! Finding counts through paths moto cannot exercise, covered with aws-smithy-mocks:
//! - GuardDuty: moto lacks ListFindings/GetFindings entirely;
//! - Security Hub: moto ignores GetFindings filters, so we assert the filters silo sends here.
//!
//! Each rule's matcher asserts the exact request (criteria, page size, tokens, batch sizes).

use aws_sdk_guardduty::operation::get_findings::GetFindingsOutput as GdGetOutput;
use aws_sdk_guardduty::operation::list_detectors::ListDetectorsOutput;
use aws_sdk_guardduty::operation::list_findings::ListFindingsOutput;
use aws_sdk_guardduty::types::{Finding, Service};
use aws_sdk_securityhub::operation::get_findings::GetFindingsOutput as ShGetOutput;
use aws_sdk_securityhub::types::{
    AwsSecurityFinding, RecordState, Severity, SeverityLabel, StringFilterComparison, Workflow, WorkflowStatus,
};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use silo_core::findings::{FindingCounts, FindingsAsk, Keeper};

const TENANT: &str = "111111111111";
const OTHER: &str = "999999999999";

fn gd_finding(id: &str) -> Finding {
    let n: usize = id.trim_start_matches('f').parse().unwrap_or(0);
    let account = if n.is_multiple_of(4) { OTHER } else { TENANT };
    let severity = [2.0, 5.5, 7.2, 9.1][n % 4];
    Finding::builder()
        .id(id)
        .account_id(account)
        .arn(format!("arn:aws:guardduty:us-east-1:{account}:detector/d1/finding/{id}"))
        .created_at("2026-11-01T00:00:00Z")
        .updated_at("2026-11-01T00:00:00Z")
        .partition("aws")
        .region("us-east-1")
        .schema_version("2.0")
        .r#type("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS")
        .severity(severity)
        .service(Service::builder().archived(n == 7).build())
        .build()
}

fn archived_false(req: &aws_sdk_guardduty::operation::list_findings::ListFindingsInput) -> bool {
    let criterion = req.finding_criteria().and_then(|c| c.criterion()).and_then(|c| c.get("service.archived"));
    criterion.map(|c| c.equals() == ["false".to_string()]).unwrap_or(false)
}

#[tokio::test]
async fn guardduty_pages_list_findings_and_gets_them_in_batches_of_50() {
    let detectors = mock!(aws_sdk_guardduty::Client::list_detectors)
        .then_output(|| ListDetectorsOutput::builder().detector_ids("d1").build());
    let page1 = mock!(aws_sdk_guardduty::Client::list_findings)
        .match_requests(|r| {
            r.detector_id() == Some("d1")
                && r.next_token().is_none()
                && r.max_results() == Some(50)
                && archived_false(r)
        })
        .then_output(|| {
            ListFindingsOutput::builder()
                .set_finding_ids(Some((1..=60).map(|i| format!("f{i}")).collect()))
                .next_token("p2")
                .build()
        });
    let page2 = mock!(aws_sdk_guardduty::Client::list_findings)
        .match_requests(|r| r.next_token() == Some("p2") && archived_false(r))
        .then_output(|| {
            ListFindingsOutput::builder().set_finding_ids(Some((61..=75).map(|i| format!("f{i}")).collect())).build()
        });
    let get = mock!(aws_sdk_guardduty::Client::get_findings)
        .match_requests(|r| r.detector_id() == Some("d1") && !r.finding_ids().is_empty() && r.finding_ids().len() <= 50)
        .then_compute_output(|r| {
            GdGetOutput::builder().set_findings(Some(r.finding_ids().iter().map(|id| gd_finding(id)).collect())).build()
        });
    let client = mock_client!(aws_sdk_guardduty, RuleMode::MatchAny, [&detectors, &page1, &page2, &get]);

    let ask = FindingsAsk::open();
    let list =
        silo_aws::guardduty::findings(&client, &ask, Keeper::new(500)).await.expect("findings").expect("detector");
    let counts = silo_core::findings::counts(&list);

    assert_eq!((page1.num_calls(), page2.num_calls()), (1, 1), "ListFindings paged by NextToken to the end");
    assert_eq!(get.num_calls(), 2, "75 ids fetched as 50 + 25");
    // ids 1..=75, n%4==0 belong to another account; f7 (n%4==3 → 9.1 critical) is archived.
    let mut expected = FindingCounts::default();
    for n in (1..=75).filter(|n| n % 4 != 0 && *n != 7) {
        expected.add_label(["LOW", "MEDIUM", "HIGH", "CRITICAL"][n % 4]);
    }
    assert_eq!(counts.get(TENANT), Some(&expected));
    // Every fourth id belongs to another account (severity 2.0: LOW); it stays that account's.
    assert_eq!(counts.get(OTHER), Some(&FindingCounts { critical: 0, high: 0, medium: 0, low: 18 }));
}

#[tokio::test]
async fn guardduty_without_detector_is_not_configured() {
    let detectors = mock!(aws_sdk_guardduty::Client::list_detectors)
        .then_output(|| ListDetectorsOutput::builder().set_detector_ids(Some(vec![])).build());
    let client = mock_client!(aws_sdk_guardduty, [&detectors]);
    let list = silo_aws::guardduty::findings(&client, &FindingsAsk::open(), Keeper::new(500)).await.expect("ok");
    assert_eq!(list, None);
}

fn sh_finding(account: &str, label: SeverityLabel, record: RecordState, status: WorkflowStatus) -> AwsSecurityFinding {
    AwsSecurityFinding::builder()
        .aws_account_id(account)
        .severity(Severity::builder().label(label).build())
        .record_state(record)
        .workflow(Workflow::builder().status(status).build())
        .build()
}

fn open_filters_sent(r: &aws_sdk_securityhub::operation::get_findings::GetFindingsInput) -> bool {
    let Some(f) = r.filters() else { return false };
    let values = |fs: &[aws_sdk_securityhub::types::StringFilter]| -> Vec<(String, String)> {
        fs.iter()
            .map(|s| {
                (
                    s.value().unwrap_or("").to_string(),
                    s.comparison().map(|c| c.as_str().to_string()).unwrap_or_default(),
                )
            })
            .collect()
    };
    let eq = StringFilterComparison::Equals.as_str().to_string();
    values(f.record_state()) == vec![("ACTIVE".to_string(), eq.clone())]
        && values(f.workflow_status()) == vec![("NEW".to_string(), eq.clone()), ("NOTIFIED".to_string(), eq)]
        && r.max_results() == Some(100)
}

#[tokio::test]
async fn securityhub_sends_open_filters_and_rechecks_what_comes_back() {
    let page1 = mock!(aws_sdk_securityhub::Client::get_findings)
        .match_requests(|r| open_filters_sent(r) && r.next_token().is_none())
        .then_output(|| {
            ShGetOutput::builder()
                .findings(sh_finding(TENANT, SeverityLabel::Critical, RecordState::Active, WorkflowStatus::New))
                // A server ignoring the filters would send these; they must not count.
                .findings(sh_finding(TENANT, SeverityLabel::Critical, RecordState::Archived, WorkflowStatus::New))
                .findings(sh_finding(TENANT, SeverityLabel::High, RecordState::Active, WorkflowStatus::Resolved))
                .next_token("t2")
                .build()
        });
    let page2 = mock!(aws_sdk_securityhub::Client::get_findings)
        .match_requests(|r| open_filters_sent(r) && r.next_token() == Some("t2"))
        .then_output(|| {
            ShGetOutput::builder()
                .findings(sh_finding(TENANT, SeverityLabel::High, RecordState::Active, WorkflowStatus::Notified))
                .findings(sh_finding(OTHER, SeverityLabel::Critical, RecordState::Active, WorkflowStatus::New))
                .build()
        });
    let client = mock_client!(aws_sdk_securityhub, RuleMode::MatchAny, [&page1, &page2]);
    let query = FindingsAsk::open();
    let list = silo_aws::securityhub::findings(&client, &query, Keeper::new(500)).await.expect("findings");
    let counts = silo_core::findings::counts(&list);
    assert_eq!((page1.num_calls(), page2.num_calls()), (1, 1));
    assert_eq!(counts.get(TENANT), Some(&FindingCounts { critical: 1, high: 1, medium: 0, low: 0 }));
    assert_eq!(counts.get(OTHER).map(|c| c.critical), Some(1), "listed under its own account, never a tenant's");
    assert_eq!(list.len(), 3, "the archived and resolved findings the server sent anyway are dropped");
}

/// The timeline asks for one account's findings changed since its range began: those go to the
/// server as ListFindings criteria (`accountId`, `updatedAt` in epoch milliseconds), closed ones
/// included, never the whole organization's.
#[tokio::test]
async fn guardduty_reads_only_the_timelines_account_and_range() {
    let since = chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z").expect("time").with_timezone(&chrono::Utc);
    let detectors = mock!(aws_sdk_guardduty::Client::list_detectors)
        .then_output(|| ListDetectorsOutput::builder().detector_ids("d1").build());
    let list = mock!(aws_sdk_guardduty::Client::list_findings)
        .match_requests(move |r| {
            let Some(c) = r.finding_criteria().and_then(|c| c.criterion()) else { return false };
            c.len() == 2
                && c.get("accountId").map(|a| a.equals()) == Some(&[TENANT.to_string()][..])
                && c.get("updatedAt").and_then(|u| u.greater_than_or_equal()) == Some(since.timestamp_millis())
        })
        .then_output(|| ListFindingsOutput::builder().finding_ids("f1").finding_ids("f7").build());
    let get = mock!(aws_sdk_guardduty::Client::get_findings)
        .match_requests(|r| r.finding_ids() == ["f1".to_string(), "f7".to_string()])
        .then_compute_output(|r| {
            GdGetOutput::builder().set_findings(Some(r.finding_ids().iter().map(|id| gd_finding(id)).collect())).build()
        });
    let client = mock_client!(aws_sdk_guardduty, RuleMode::MatchAny, [&detectors, &list, &get]);
    let ask = FindingsAsk::changed_in(TENANT, since);
    let found = silo_aws::guardduty::findings(&client, &ask, Keeper::new(500)).await.expect("read").expect("detector");
    assert_eq!((list.num_calls(), get.num_calls()), (1, 1));
    let ids: Vec<&str> = found.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["f1", "f7"], "the archived f7 is a change too");
}

/// An update reads the findings it changes, by id, and nothing else: no ListFindings.
#[tokio::test]
async fn guardduty_update_reads_only_its_findings() {
    let detectors = mock!(aws_sdk_guardduty::Client::list_detectors)
        .then_output(|| ListDetectorsOutput::builder().detector_ids("d1").build());
    let list = mock!(aws_sdk_guardduty::Client::list_findings).then_output(|| ListFindingsOutput::builder().build());
    let get = mock!(aws_sdk_guardduty::Client::get_findings)
        .match_requests(|r| r.finding_ids() == ["f3".to_string()])
        .then_compute_output(|r| {
            GdGetOutput::builder().set_findings(Some(r.finding_ids().iter().map(|id| gd_finding(id)).collect())).build()
        });
    let client = mock_client!(aws_sdk_guardduty, RuleMode::MatchAny, [&detectors, &list, &get]);
    let ask = FindingsAsk::these(vec!["f3".into()]);
    let found = silo_aws::guardduty::findings(&client, &ask, ask.keeper(500)).await.expect("read").expect("detector");
    assert_eq!((list.num_calls(), get.num_calls()), (0, 1));
    assert_eq!(found.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), ["f3"]);
}

/// A tenant with more findings than the cap: the most severe are kept, the rest counted exactly
/// as the pages pass, and the fleet's counts include them.
#[tokio::test]
async fn securityhub_keeps_the_cap_per_tenant_and_counts_the_rest_exactly() {
    let page = mock!(aws_sdk_securityhub::Client::get_findings).then_output(|| {
        let labels = [SeverityLabel::Low, SeverityLabel::Critical, SeverityLabel::Medium, SeverityLabel::High];
        let mut out = ShGetOutput::builder();
        for (i, label) in labels.iter().cycle().take(12).enumerate() {
            let mut f = sh_finding(TENANT, label.clone(), RecordState::Active, WorkflowStatus::New);
            f.id = Some(format!("sh-{i}"));
            out = out.findings(f);
        }
        out.findings(sh_finding(OTHER, SeverityLabel::Low, RecordState::Active, WorkflowStatus::New)).build()
    });
    let client = mock_client!(aws_sdk_securityhub, RuleMode::MatchAny, [&page]);
    let query = FindingsAsk::open();
    let list = silo_aws::securityhub::findings(&client, &query, Keeper::new(3)).await.expect("findings");
    let kept: Vec<&str> = list.iter().filter(|f| f.account_id == TENANT).map(|f| f.severity.label()).collect();
    assert_eq!(kept, ["CRITICAL", "CRITICAL", "CRITICAL"], "the three criticals of twelve");
    assert_eq!(list.beyond[TENANT].total, 9);
    let counts = silo_core::findings::counts(&list);
    assert_eq!(counts.get(TENANT), Some(&FindingCounts { critical: 3, high: 3, medium: 3, low: 3 }), "exact");
    assert_eq!(counts.get(OTHER).map(|c| c.low), Some(1), "another tenant is not crowded out");
}
