//! Config aggregate compliance: moto keeps aggregators but serves no compliance summaries, so both
//! calls are mocked and their exact requests asserted (aggregator, grouping, NON_COMPLIANT filter).

use aws_sdk_config::operation::describe_aggregate_compliance_by_config_rules::DescribeAggregateComplianceByConfigRulesOutput;
use aws_sdk_config::operation::get_aggregate_config_rule_compliance_summary::GetAggregateConfigRuleComplianceSummaryOutput;
use aws_sdk_config::types::{
    AggregateComplianceByConfigRule, AggregateComplianceCount, Compliance, ComplianceContributorCount,
    ComplianceSummary, ComplianceType, ConfigRuleComplianceSummaryGroupKey,
};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use std::collections::HashSet;

fn count(n: i32) -> ComplianceContributorCount {
    ComplianceContributorCount::builder().capped_count(n).cap_exceeded(false).build()
}

fn group(account: &str, bad: i32, good: i32) -> AggregateComplianceCount {
    let summary = ComplianceSummary::builder()
        .non_compliant_resource_count(count(bad))
        .compliant_resource_count(count(good))
        .build();
    AggregateComplianceCount::builder().group_name(account).compliance_summary(summary).build()
}

fn rule(account: &str, name: &str) -> AggregateComplianceByConfigRule {
    AggregateComplianceByConfigRule::builder()
        .account_id(account)
        .aws_region("sa-east-1")
        .config_rule_name(name)
        .compliance(Compliance::builder().compliance_type(ComplianceType::NonCompliant).build())
        .build()
}

#[tokio::test]
async fn counts_per_account_and_the_non_compliant_rules_of_the_tenants_only() {
    let summary = mock!(aws_sdk_config::Client::get_aggregate_config_rule_compliance_summary)
        .match_requests(|r| {
            r.configuration_aggregator_name() == Some("org-aggregator")
                && r.group_by_key() == Some(&ConfigRuleComplianceSummaryGroupKey::AccountId)
        })
        .then_output(|| {
            GetAggregateConfigRuleComplianceSummaryOutput::builder()
                .aggregate_compliance_counts(group("111111111111", 2, 10))
                .aggregate_compliance_counts(group("999999999999", 1, 3))
                .build()
        });
    let rules = mock!(aws_sdk_config::Client::describe_aggregate_compliance_by_config_rules)
        .match_requests(|r| {
            r.configuration_aggregator_name() == Some("org-aggregator")
                && r.filters().and_then(|f| f.compliance_type()) == Some(&ComplianceType::NonCompliant)
        })
        .then_output(|| {
            DescribeAggregateComplianceByConfigRulesOutput::builder()
                .aggregate_compliance_by_config_rules(rule("111111111111", "restricted-ssh"))
                .aggregate_compliance_by_config_rules(rule("111111111111", "encrypted-volumes"))
                .aggregate_compliance_by_config_rules(rule("999999999999", "cloudtrail-enabled"))
                .build()
        });
    let client = mock_client!(aws_sdk_config, RuleMode::MatchAny, [&summary, &rules]);
    let tenants = HashSet::from(["111111111111".to_string()]);
    let found = crate::configservice::compliance(&client, "org-aggregator", &tenants).await.expect("read");
    assert_eq!((summary.num_calls(), rules.num_calls()), (1, 1), "org-wide: one call each, not one per tenant");
    assert_eq!(found.len(), 1, "accounts that are not tenants are left out");
    let acme = &found["111111111111"];
    assert_eq!((acme.noncompliant_rules, acme.compliant_rules), (2, 10));
    let names: Vec<&str> = acme.rules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["encrypted-volumes", "restricted-ssh"]);
}

#[tokio::test]
async fn a_count_config_capped_is_kept_as_at_least() {
    let capped = ComplianceContributorCount::builder().capped_count(100).cap_exceeded(true).build();
    let summary = mock!(aws_sdk_config::Client::get_aggregate_config_rule_compliance_summary).then_output(move || {
        let summary = ComplianceSummary::builder()
            .non_compliant_resource_count(capped.clone())
            .compliant_resource_count(count(3))
            .build();
        let group = AggregateComplianceCount::builder().group_name("111111111111").compliance_summary(summary).build();
        GetAggregateConfigRuleComplianceSummaryOutput::builder().aggregate_compliance_counts(group).build()
    });
    let rules = mock!(aws_sdk_config::Client::describe_aggregate_compliance_by_config_rules)
        .then_output(|| DescribeAggregateComplianceByConfigRulesOutput::builder().build());
    let client = mock_client!(aws_sdk_config, RuleMode::MatchAny, [&summary, &rules]);
    let tenants = HashSet::from(["111111111111".to_string()]);
    let found = crate::configservice::compliance(&client, "org-aggregator", &tenants).await.expect("read");
    let acme = &found["111111111111"];
    assert_eq!((acme.noncompliant_rules, acme.noncompliant_capped, acme.compliant_capped), (100, true, false));
    assert_eq!(acme.fleet_cell().0, "at least 100 rules non-compliant");
}
