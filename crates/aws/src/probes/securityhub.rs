//! Security Hub in the audit account: findings (v1; v2's GetFindingsV2 needs the same
//! permission) and whether v2 is on.

use super::Probe;
use crate::errors::classify;
use aws_sdk_securityhub::Client;
use silo_core::model::AwsService;

const SERVICE: AwsService = AwsService::Securityhub;

pub async fn read(client: &Client) -> Vec<Probe> {
    let findings = client.get_findings().max_results(1).send().await.map_err(|e| classify(SERVICE, e));
    let v2 = client.describe_security_hub_v2().send().await.map_err(|e| classify(SERVICE, e));
    vec![
        Probe::of("securityhub:GetFindings", findings, |o| {
            format!("{} finding(s) on the first page", o.findings().len())
        })
        .not_enabled_if_absent("Security Hub is not enabled in this account and region"),
        Probe::of("securityhub:DescribeSecurityHubV2", v2, |_| "Security Hub v2 is on".into())
            .not_enabled_if_absent("Security Hub v2 is not on: v1 is read"),
    ]
}
