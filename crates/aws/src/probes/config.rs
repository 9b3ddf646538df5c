//! AWS Config's organization aggregator: compliance per rule and account, and the summary.

use super::Probe;
use crate::errors::classify;
use aws_sdk_config::Client;
use silo_core::model::AwsService;

const SERVICE: AwsService = AwsService::Config;

pub async fn read(client: &Client, aggregator: &str) -> Vec<Probe> {
    let by_rule = client
        .describe_aggregate_compliance_by_config_rules()
        .configuration_aggregator_name(aggregator)
        .limit(1)
        .send()
        .await;
    let summary = client
        .get_aggregate_config_rule_compliance_summary()
        .configuration_aggregator_name(aggregator)
        .limit(1)
        .send()
        .await;
    let absent = format!("no aggregator {aggregator:?} in this account and region");
    vec![
        Probe::of("config:DescribeAggregateComplianceByConfigRules", by_rule.map_err(|e| classify(SERVICE, e)), |o| {
            format!("{} rule(s) on the first page", o.aggregate_compliance_by_config_rules().len())
        })
        .not_enabled_if_absent(&absent),
        Probe::of("config:GetAggregateConfigRuleComplianceSummary", summary.map_err(|e| classify(SERVICE, e)), |o| {
            format!("{} group(s)", o.aggregate_compliance_counts().len())
        })
        .not_enabled_if_absent(&absent),
    ]
}
