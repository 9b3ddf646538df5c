//! Finding actions and the Security Hub v2 feed, which moto does not implement
//! (BatchUpdateFindings, GetFindingsV2, BatchUpdateFindingsV2, GuardDuty's ArchiveFindings and
//! UnarchiveFindings): covered with aws-smithy-mocks, asserting the exact requests.

use aws_sdk_securityhub::operation::batch_update_findings::BatchUpdateFindingsOutput;
use aws_sdk_securityhub::operation::batch_update_findings_v2::BatchUpdateFindingsV2Output;
use aws_sdk_securityhub::operation::get_findings_v2::GetFindingsV2Output;
use aws_sdk_securityhub::types::{
    AllowedOperators, BatchUpdateFindingsUnprocessedFinding, BatchUpdateFindingsV2ProcessedFinding, OcsfDateField,
    OcsfNumberField, OcsfStringField, WorkflowStatus,
};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_types::Document;
use silo_core::findings::{FindingsAsk, Keeper};
use silo_core::plan::Target;

fn targets(n: usize) -> Vec<Target> {
    (0..n)
        .map(|i| Target {
            id: format!("f-{i}"),
            product: "arn:aws:securityhub:us-east-1::product/aws/securityhub".into(),
            account_id: "111111111111".into(),
            tenant: Some("acme".into()),
        })
        .collect()
}

#[tokio::test]
async fn workflow_updates_go_in_batches_of_100_with_the_note_and_report_unprocessed() {
    let batch = mock!(aws_sdk_securityhub::Client::batch_update_findings)
        .match_requests(|r| {
            let n = r.finding_identifiers().len();
            (1..=100).contains(&n)
                && r.workflow().and_then(|w| w.status()) == Some(&WorkflowStatus::Resolved)
                && r.note().and_then(|n| n.text()) == Some("fixed in v42")
                && r.note().and_then(|n| n.updated_by()).is_some_and(|u| u.starts_with("silo-"))
                && r.finding_identifiers()
                    .iter()
                    .all(|i| i.product_arn() == Some("arn:aws:securityhub:us-east-1::product/aws/securityhub"))
        })
        .then_compute_output(|r| {
            let ids = r.finding_identifiers().to_vec();
            let (gone, processed): (Vec<_>, Vec<_>) = ids.into_iter().partition(|i| i.id() == Some("f-0"));
            let unprocessed = gone
                .into_iter()
                .map(|i| {
                    BatchUpdateFindingsUnprocessedFinding::builder()
                        .finding_identifier(i)
                        .error_code("FindingNotFound")
                        .error_message("gone")
                        .build()
                })
                .collect();
            BatchUpdateFindingsOutput::builder()
                .set_processed_findings(Some(processed))
                .set_unprocessed_findings(Some(unprocessed))
                .build()
        });
    let client = mock_client!(aws_sdk_securityhub, RuleMode::MatchAny, [&batch]);
    let outcome =
        crate::securityhub::update_workflow(&client, &targets(250), "RESOLVED", "fixed in v42").await.expect("update");
    assert_eq!(batch.num_calls(), 3, "250 findings: 100 + 100 + 50");
    assert_eq!(outcome.succeeded, 249);
    assert_eq!(outcome.failed, vec![("f-0".to_string(), "FindingNotFound: gone".to_string())]);
}

fn ocsf(uid: &str, status_id: i64, product: &str) -> Document {
    let json = serde_json::json!({
        "metadata": { "uid": uid, "product": { "name": product, "uid": "p" } },
        "cloud": { "account": { "uid": "111111111111" }, "region": "us-east-1" },
        "severity": "Critical", "status_id": status_id, "status": "New",
        "finding_info": { "title": "t", "uid": uid },
    });
    to_document(&json)
}

fn to_document(v: &serde_json::Value) -> Document {
    match v {
        serde_json::Value::Object(m) => Document::Object(m.iter().map(|(k, v)| (k.clone(), to_document(v))).collect()),
        serde_json::Value::Array(a) => Document::Array(a.iter().map(to_document).collect()),
        serde_json::Value::String(s) => Document::String(s.clone()),
        serde_json::Value::Number(n) => Document::Number(aws_smithy_types::Number::PosInt(n.as_u64().unwrap_or(0))),
        serde_json::Value::Bool(b) => Document::Bool(*b),
        serde_json::Value::Null => Document::Null,
    }
}

#[tokio::test]
async fn v2_asks_for_open_status_ids_pages_and_rechecks() {
    let open_filter = |r: &aws_sdk_securityhub::operation::get_findings_v2::GetFindingsV2Input| {
        let f = r.filters().and_then(|f| f.composite_filters().first()).and_then(|c| c.number_filters().first());
        f.is_some_and(|f| {
            f.field_name() == Some(&OcsfNumberField::StatusId)
                && f.filter().map(|n| (n.gte(), n.lte())) == Some((Some(1.0), Some(2.0)))
        })
    };
    let page1 = mock!(aws_sdk_securityhub::Client::get_findings_v2)
        .match_requests(move |r| open_filter(r) && r.next_token().is_none() && r.max_results() == Some(100))
        .then_output(|| {
            GetFindingsV2Output::builder()
                .findings(ocsf("m-1", 1, "Security Hub"))
                .findings(ocsf("m-2", 4, "GuardDuty"))
                .next_token("t2")
                .build()
        });
    let page2 = mock!(aws_sdk_securityhub::Client::get_findings_v2)
        .match_requests(move |r| open_filter(r) && r.next_token() == Some("t2"))
        .then_output(|| GetFindingsV2Output::builder().findings(ocsf("m-3", 2, "GuardDuty")).build());
    let client = mock_client!(aws_sdk_securityhub, RuleMode::MatchAny, [&page1, &page2]);
    let ask = FindingsAsk::open();
    let list = crate::securityhub_v2::findings(&client, &ask, Keeper::new(500)).await.expect("findings");
    let got: Vec<(&str, &str)> = list.iter().map(|f| (f.id.as_str(), f.source.as_str())).collect();
    assert_eq!(
        got,
        vec![("m-1", "securityhub"), ("m-3", "guardduty")],
        "the resolved one the server sent anyway is dropped"
    );
}

#[tokio::test]
async fn v2_status_change_sends_metadata_uids_status_id_and_comment() {
    let rule = mock!(aws_sdk_securityhub::Client::batch_update_findings_v2)
        .match_requests(|r| {
            r.metadata_uids() == ["f-0".to_string(), "f-1".to_string()]
                && r.status_id() == Some(3)
                && r.comment() == Some("accepted risk")
        })
        .then_output(|| {
            BatchUpdateFindingsV2Output::builder()
                .processed_findings(BatchUpdateFindingsV2ProcessedFinding::builder().metadata_uid("f-0").build())
                .processed_findings(BatchUpdateFindingsV2ProcessedFinding::builder().metadata_uid("f-1").build())
                .build()
        });
    let client = mock_client!(aws_sdk_securityhub, [&rule]);
    let outcome = crate::securityhub_v2::update_status(&client, &targets(2), "SUPPRESSED", "accepted risk")
        .await
        .expect("update");
    assert_eq!(outcome.succeeded, 2);
}

/// A batch that fails as a whole is reported with its ids, and the batches around it still count.
#[tokio::test]
async fn a_failed_batch_is_reported_per_batch_and_the_next_batch_still_runs() {
    let first_ids = |r: &aws_sdk_securityhub::operation::batch_update_findings::BatchUpdateFindingsInput| {
        r.finding_identifiers().first().and_then(|i| i.id()).map(str::to_string)
    };
    let done = mock!(aws_sdk_securityhub::Client::batch_update_findings)
        .match_requests(move |r| first_ids(r).as_deref() != Some("f-100"))
        .then_compute_output(|r| {
            BatchUpdateFindingsOutput::builder()
                .set_processed_findings(Some(r.finding_identifiers().to_vec()))
                .set_unprocessed_findings(Some(Vec::new()))
                .build()
        });
    let throttled = mock!(aws_sdk_securityhub::Client::batch_update_findings)
        .match_requests(move |r| first_ids(r).as_deref() == Some("f-100") && r.finding_identifiers().len() == 100)
        .then_error(|| {
            aws_sdk_securityhub::operation::batch_update_findings::BatchUpdateFindingsError::unhandled("Rate exceeded")
        });
    let client = mock_client!(aws_sdk_securityhub, RuleMode::MatchAny, [&throttled, &done]);
    let outcome = crate::securityhub::update_workflow(&client, &targets(250), "RESOLVED", "x").await.expect("update");
    assert_eq!((done.num_calls(), throttled.num_calls()), (2, 1), "the third batch runs after the second failed");
    assert_eq!(outcome.succeeded, 150);
    assert_eq!(outcome.failed.len(), 100);
    assert_eq!(outcome.failed[0].0, "f-100");
    let results: Vec<(usize, &str)> = outcome
        .batches
        .iter()
        .map(|b| match &b.outcome {
            silo_core::plan::BatchOutcome::Done { .. } => (b.ids.len(), "done"),
            silo_core::plan::BatchOutcome::Failed { .. } => (b.ids.len(), "failed"),
        })
        .collect();
    assert_eq!(results, [(100, "done"), (100, "failed"), (50, "done")]);
}

#[tokio::test]
async fn guardduty_archives_in_batches_of_50_and_a_failed_batch_does_not_stop_the_next() {
    use aws_sdk_guardduty::operation::archive_findings::{ArchiveFindingsError, ArchiveFindingsOutput};
    use aws_sdk_guardduty::operation::unarchive_findings::UnarchiveFindingsOutput;
    let ids: Vec<String> = (0..120).map(|i| format!("gd-{i:03}")).collect();
    // FindingIds takes at most 50 (GuardDuty API model): 50, 50, 20. The second batch fails.
    let first = mock!(aws_sdk_guardduty::Client::archive_findings)
        .match_requests(|r| {
            r.detector_id() == Some("det-1")
                && r.finding_ids().first().map(String::as_str) == Some("gd-000")
                && r.finding_ids().len() == 50
        })
        .then_output(|| ArchiveFindingsOutput::builder().build());
    let second = mock!(aws_sdk_guardduty::Client::archive_findings)
        .match_requests(|r| {
            r.finding_ids().first().map(String::as_str) == Some("gd-050") && r.finding_ids().len() == 50
        })
        .then_error(|| ArchiveFindingsError::unhandled("InternalServerErrorException"));
    let third = mock!(aws_sdk_guardduty::Client::archive_findings)
        .match_requests(|r| {
            r.finding_ids().first().map(String::as_str) == Some("gd-100") && r.finding_ids().len() == 20
        })
        .then_output(|| ArchiveFindingsOutput::builder().build());
    let client = mock_client!(aws_sdk_guardduty, RuleMode::MatchAny, [&first, &second, &third]);
    let outcome = crate::guardduty::set_archived(&client, "det-1", &ids, true).await.expect("ran");
    assert_eq!((first.num_calls(), second.num_calls(), third.num_calls()), (1, 1, 1));
    assert_eq!((outcome.succeeded, outcome.failed.len(), outcome.failed_batches()), (70, 50, 1));
    assert_eq!(outcome.failed[0].0, "gd-050");

    let restore = mock!(aws_sdk_guardduty::Client::unarchive_findings)
        .match_requests(|r| r.detector_id() == Some("det-1") && r.finding_ids() == ["gd-007"])
        .then_output(|| UnarchiveFindingsOutput::builder().build());
    let client = mock_client!(aws_sdk_guardduty, RuleMode::MatchAny, [&restore]);
    let outcome = crate::guardduty::set_archived(&client, "det-1", &ids[7..8], false).await.expect("ran");
    assert_eq!((restore.num_calls(), outcome.succeeded), (1, 1));
}

/// `findings_api = "auto"` asks whether v2 is on (DescribeSecurityHubV2) instead of guessing
/// from a GetFindingsV2 that answered: the mock client has no other rule, so any other call fails.
#[tokio::test]
async fn whether_security_hub_v2_is_on_is_asked_not_guessed() {
    use aws_sdk_securityhub::operation::describe_security_hub_v2::{
        DescribeSecurityHubV2Error, DescribeSecurityHubV2Output,
    };
    use aws_sdk_securityhub::types::error::ResourceNotFoundException;
    let on = mock!(aws_sdk_securityhub::Client::describe_security_hub_v2).then_output(|| {
        DescribeSecurityHubV2Output::builder()
            .hub_v2_arn("arn:aws:securityhub:us-east-1:222222222222:hubv2/1a2b")
            .subscribed_at("2026-07-01T00:00:00Z")
            .build()
    });
    let client = mock_client!(aws_sdk_securityhub, RuleMode::Sequential, [&on]);
    assert!(crate::securityhub_v2::enabled(&client).await);
    assert_eq!(on.num_calls(), 1);

    let off = mock!(aws_sdk_securityhub::Client::describe_security_hub_v2).then_error(|| {
        let not_subscribed = ResourceNotFoundException::builder().message("You are not subscribed to HubV2").build();
        DescribeSecurityHubV2Error::ResourceNotFoundException(not_subscribed)
    });
    let client = mock_client!(aws_sdk_securityhub, RuleMode::Sequential, [&off]);
    assert!(!crate::securityhub_v2::enabled(&client).await, "not subscribed: v1 is read");
}

/// The timeline's ask goes to GetFindingsV2 as filters ANDed together: the account (an OR of
/// one `cloud.account.uid`) and modified since the range began; an update's ids as `metadata.uid`.
#[tokio::test]
async fn v2_sends_the_account_range_and_ids_as_composite_filters() {
    let since = chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z").expect("time").with_timezone(&chrono::Utc);
    let wanted = |r: &aws_sdk_securityhub::operation::get_findings_v2::GetFindingsV2Input| {
        let Some(f) = r.filters() else { return false };
        let composites = f.composite_filters();
        let account = composites.first().map(|c| {
            let s = c.string_filters();
            (
                s.len(),
                s.first().and_then(|s| s.field_name()).cloned(),
                s.first().and_then(|s| s.filter()).and_then(|f| f.value()).map(str::to_string),
                c.operator().cloned(),
            )
        });
        let date = composites
            .get(1)
            .and_then(|c| c.date_filters().first())
            .map(|d| (d.field_name().cloned(), d.filter().and_then(|f| f.start()).map(str::to_string)));
        f.composite_operator() == Some(&AllowedOperators::And)
            && composites.len() == 2
            && account
                == Some((
                    1,
                    Some(OcsfStringField::CloudAccountUid),
                    Some("111111111111".into()),
                    Some(AllowedOperators::Or),
                ))
            && date == Some((Some(OcsfDateField::FindingInfoModifiedTimeDt), Some("2026-11-01T00:00:00Z".into())))
    };
    let page = mock!(aws_sdk_securityhub::Client::get_findings_v2)
        .match_requests(wanted)
        .then_output(|| GetFindingsV2Output::builder().findings(ocsf("m-1", 4, "Security Hub")).build());
    let client = mock_client!(aws_sdk_securityhub, RuleMode::MatchAny, [&page]);
    let ask = FindingsAsk::changed_in("111111111111", since);
    let list = crate::securityhub_v2::findings(&client, &ask, Keeper::new(500)).await.expect("findings");
    assert_eq!(page.num_calls(), 1);
    assert_eq!(list.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), ["m-1"], "a resolved finding is a change too");

    let ids = mock!(aws_sdk_securityhub::Client::get_findings_v2)
        .match_requests(|r| {
            let c = r.filters().map(|f| f.composite_filters()).unwrap_or_default();
            let uids: Vec<&str> = c
                .first()
                .map(|c| c.string_filters().iter().filter_map(|s| s.filter().and_then(|f| f.value())).collect())
                .unwrap_or_default();
            c.len() == 1
                && uids == ["m-1", "m-2"]
                && c[0].string_filters().iter().all(|s| s.field_name() == Some(&OcsfStringField::MetadataUid))
        })
        .then_output(|| GetFindingsV2Output::builder().findings(ocsf("m-1", 1, "Security Hub")).build());
    let client = mock_client!(aws_sdk_securityhub, RuleMode::MatchAny, [&ids]);
    let ask = FindingsAsk::these(vec!["m-1".into(), "m-2".into()]);
    let list = crate::securityhub_v2::findings(&client, &ask, ask.keeper(500)).await.expect("findings");
    assert_eq!((ids.num_calls(), list.len()), (1, 1));
}
