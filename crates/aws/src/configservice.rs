//! AWS Config compliance of every account, from the organization's aggregator in the
//! `[compliance]` account: GetAggregateConfigRuleComplianceSummary grouped by account (the rule
//! counts) and DescribeAggregateComplianceByConfigRules filtered to NON_COMPLIANT (which rules).
//! Both are org-wide: a fixed number of calls per refresh (plus pages), not one per tenant.

use super::errors::classify;
use super::paging::next_token;
use aws_sdk_config::types::{ComplianceType, ConfigRuleComplianceFilters, ConfigRuleComplianceSummaryGroupKey};
use aws_sdk_config::Client;
use silo_core::compliance::{Count, RuleCompliance, TenantCompliance};
use silo_core::error::FetchError;
use silo_core::model::AwsService;
use silo_core::sanitize::clean;
use std::collections::{HashMap, HashSet};

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let conf = aws_sdk_config::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!("config-{account_id}")))
        .build();
    Client::from_conf(conf)
}

/// Each of `accounts` the aggregator knows, with its counts and non-compliant rules.
pub async fn compliance(
    client: &Client,
    aggregator: &str,
    accounts: &HashSet<String>,
) -> Result<HashMap<String, TenantCompliance>, FetchError> {
    let counts = summary(client, aggregator).await?;
    let mut rules = noncompliant_rules(client, aggregator).await?;
    Ok(counts
        .into_iter()
        .filter(|(account, _)| accounts.contains(account))
        .map(|(account, (bad, good))| {
            let listed = rules.remove(&account).unwrap_or_default();
            (account, TenantCompliance::new(bad, good, listed))
        })
        .collect())
}

/// Non-compliant and compliant rule counts per account.
async fn summary(client: &Client, aggregator: &str) -> Result<HashMap<String, (Count, Count)>, FetchError> {
    let mut token: Option<String> = None;
    let mut tokens = super::paging::PageTokens::default();
    let mut counts = HashMap::new();
    loop {
        let out = client
            .get_aggregate_config_rule_compliance_summary()
            .configuration_aggregator_name(aggregator)
            .group_by_key(ConfigRuleComplianceSummaryGroupKey::AccountId)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| classify(AwsService::Config, e))?;
        for group in out.aggregate_compliance_counts() {
            let summary = group.compliance_summary();
            // CappedCount stops at Config's cap; CapExceeded says the real count is larger
            // (AWS Config API reference, ComplianceContributorCount).
            let count = |c: Option<&aws_sdk_config::types::ComplianceContributorCount>| Count {
                count: c.map(|c| c.capped_count().max(0) as u32).unwrap_or(0),
                capped: c.is_some_and(|c| c.cap_exceeded()),
            };
            let bad = count(summary.and_then(|s| s.non_compliant_resource_count()));
            let good = count(summary.and_then(|s| s.compliant_resource_count()));
            counts.insert(clean(group.group_name().unwrap_or("")), (bad, good));
        }
        match next_token(AwsService::Config, &mut tokens, out.next_token())? {
            Some(next) => token = Some(next),
            None => return Ok(counts),
        }
    }
}

async fn noncompliant_rules(
    client: &Client,
    aggregator: &str,
) -> Result<HashMap<String, Vec<RuleCompliance>>, FetchError> {
    let filter = ConfigRuleComplianceFilters::builder().compliance_type(ComplianceType::NonCompliant).build();
    let mut token: Option<String> = None;
    let mut tokens = super::paging::PageTokens::default();
    let mut rules: HashMap<String, Vec<RuleCompliance>> = HashMap::new();
    loop {
        let out = client
            .describe_aggregate_compliance_by_config_rules()
            .configuration_aggregator_name(aggregator)
            .filters(filter.clone())
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| classify(AwsService::Config, e))?;
        for r in out.aggregate_compliance_by_config_rules() {
            let compliance = r.compliance().and_then(|c| c.compliance_type()).map(|c| c.as_str()).unwrap_or("");
            let rule = RuleCompliance {
                name: clean(r.config_rule_name().unwrap_or("?")),
                compliance: clean(compliance),
                region: clean(r.aws_region().unwrap_or("")),
            };
            rules.entry(clean(r.account_id().unwrap_or(""))).or_default().push(rule);
        }
        match next_token(AwsService::Config, &mut tokens, out.next_token())? {
            Some(next) => token = Some(next),
            None => return Ok(rules),
        }
    }
}

/// The fleet's COMPLIANCE column (`silo_core::compliance::COLUMN`): the accounts the aggregator
/// knows; the others show "no data".
pub fn column(
    call: crate::column_call::OrgCall<'_>,
) -> futures::future::BoxFuture<'static, silo_core::source::OrgWide> {
    use silo_core::source::{OrgValue, OrgWide};
    let aggregator = call.config.compliance.as_ref().map(|c| c.aggregator.clone()).unwrap_or_default();
    let (sdk, account_id, accounts) = (call.sdk, call.account_id, call.accounts);
    Box::pin(async move {
        match compliance(&client(&sdk, &account_id), &aggregator, &accounts).await {
            Ok(found) => {
                let value = |v| Ok(OrgValue::Column(silo_core::column::ColumnValue::new(v)));
                OrgWide::PerAccount(found.into_iter().map(|(account, v)| (account, value(v))).collect())
            }
            Err(e) => OrgWide::Failed(e),
        }
    })
}
