//! Open Security Hub findings (ASFF) per account, read from the audit account (the delegated
//! administrator). Filters go to the server and are checked again on what comes back, so a server
//! that ignores a filter cannot inflate the counts.

use super::errors::classify;
use crate::fetch_error::FetchError;
use crate::model::{AwsService, FindingCounts};
use aws_sdk_securityhub::types::{
    AwsSecurityFinding, AwsSecurityFindingFilters, RecordState, SeverityLabel, StringFilter, StringFilterComparison,
    WorkflowStatus,
};
use aws_sdk_securityhub::Client;
use std::collections::{HashMap, HashSet};

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

/// Open findings counted per account, for the accounts in `tenants` only.
pub async fn open_counts(
    client: &Client,
    tenants: &HashSet<String>,
) -> Result<HashMap<String, FindingCounts>, FetchError> {
    let findings: Vec<AwsSecurityFinding> = client
        .get_findings()
        .filters(open_filter())
        .max_results(100)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| classify(AwsService::Securityhub, e))?;
    Ok(count(&findings, tenants))
}

fn count(findings: &[AwsSecurityFinding], tenants: &HashSet<String>) -> HashMap<String, FindingCounts> {
    let mut counts: HashMap<String, FindingCounts> =
        tenants.iter().map(|t| (t.clone(), FindingCounts::default())).collect();
    for f in findings.iter().filter(|f| is_open(f)) {
        let Some(entry) = f.aws_account_id().and_then(|a| counts.get_mut(a)) else { continue };
        entry.add_label(severity_label(f));
    }
    counts
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
    fn counts_only_open_findings_of_tenants() {
        let tenants: HashSet<String> = ["111111111111".to_string()].into();
        let findings = vec![
            finding("111111111111", SeverityLabel::Critical, RecordState::Active, WorkflowStatus::New),
            finding("111111111111", SeverityLabel::High, RecordState::Active, WorkflowStatus::Notified),
            finding("111111111111", SeverityLabel::High, RecordState::Active, WorkflowStatus::Resolved),
            finding("111111111111", SeverityLabel::Critical, RecordState::Archived, WorkflowStatus::New),
            finding("999999999999", SeverityLabel::Critical, RecordState::Active, WorkflowStatus::New),
        ];
        let counts = count(&findings, &tenants);
        assert_eq!(counts.len(), 1);
        assert_eq!(counts["111111111111"], FindingCounts { critical: 1, high: 1, medium: 0, low: 0 });
    }

    #[test]
    fn normalized_score_maps_to_label() {
        assert_eq!(label_of_score(95), "CRITICAL");
        assert_eq!(label_of_score(70), "HIGH");
        assert_eq!(label_of_score(39), "LOW");
        assert_eq!(label_of_score(0), "INFORMATIONAL");
    }
}
