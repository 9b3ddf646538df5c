//! Cost Explorer (which moto does not serve for GetCostAndUsage pages), covered with
//! aws-smithy-mocks: the exact request shape, NextPageToken paging, summing days per account, and
//! the request count that the UI turns into dollars.

use aws_sdk_costexplorer::operation::get_cost_and_usage::{GetCostAndUsageInput, GetCostAndUsageOutput};
use aws_sdk_costexplorer::types::{Dimension, Granularity, Group, GroupDefinitionType, MetricValue, ResultByTime};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use chrono::NaiveDate;

fn day(account: &str, amount: &str) -> ResultByTime {
    let group = Group::builder()
        .keys(account)
        .metrics("UnblendedCost", MetricValue::builder().amount(amount).unit("USD").build())
        .build();
    ResultByTime::builder().groups(group).build()
}

fn shape_is_right(r: &GetCostAndUsageInput) -> bool {
    let period = r.time_period();
    let group = r.group_by().first();
    let accounts = r.filter().and_then(|f| f.dimensions());
    period.map(|p| (p.start(), p.end())) == Some(("2026-11-01", "2026-11-30"))
        && r.granularity() == Some(&Granularity::Daily)
        && r.metrics() == ["UnblendedCost".to_string()]
        && group.map(|g| (g.r#type(), g.key())) == Some((Some(&GroupDefinitionType::Dimension), Some("LINKED_ACCOUNT")))
        && accounts.map(|d| (d.key(), d.values().to_vec()))
            == Some((Some(&Dimension::LinkedAccount), vec!["111111111111".to_string(), "222222222222".to_string()]))
}

#[tokio::test]
async fn month_to_date_cost_is_summed_across_days_and_pages() {
    let page1 = mock!(aws_sdk_costexplorer::Client::get_cost_and_usage)
        .match_requests(|r| shape_is_right(r) && r.next_page_token().is_none())
        .then_output(|| {
            GetCostAndUsageOutput::builder()
                .results_by_time(day("111111111111", "10.25"))
                .results_by_time(day("222222222222", "3.00"))
                .next_page_token("p2")
                .build()
        });
    let page2 = mock!(aws_sdk_costexplorer::Client::get_cost_and_usage)
        .match_requests(|r| shape_is_right(r) && r.next_page_token() == Some("p2"))
        .then_output(|| GetCostAndUsageOutput::builder().results_by_time(day("111111111111", "4.75")).build());
    let client = mock_client!(aws_sdk_costexplorer, RuleMode::MatchAny, [&page1, &page2]);
    let accounts = vec!["111111111111".to_string(), "222222222222".to_string()];
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
    let report = silo_aws::costexplorer::cost(&client, &accounts, today).await.expect("report");
    assert_eq!(report.requests, 2, "every billed request is counted");
    assert_eq!(report.per_account["111111111111"].actual.to_string(), "15.00");
    assert_eq!(report.per_account["222222222222"].actual.to_string(), "3.00");
    assert_eq!(report.per_account["111111111111"].since, "2026-11-01");
}

/// moto does not serve these pages; a service that hands back the token it was given must not
/// make silo request (and pay for) the same page forever.
#[tokio::test]
async fn a_repeated_page_token_stops_the_reads_with_an_error() {
    let first = mock!(aws_sdk_costexplorer::Client::get_cost_and_usage)
        .match_requests(|r| r.next_page_token().is_none())
        .then_output(|| {
            GetCostAndUsageOutput::builder().results_by_time(day("111111111111", "1")).next_page_token("p2").build()
        });
    let again = mock!(aws_sdk_costexplorer::Client::get_cost_and_usage)
        .match_requests(|r| r.next_page_token() == Some("p2"))
        .then_output(|| {
            GetCostAndUsageOutput::builder().results_by_time(day("111111111111", "1")).next_page_token("p2").build()
        });
    let client = mock_client!(aws_sdk_costexplorer, RuleMode::MatchAny, [&first, &again]);
    let accounts = vec!["111111111111".to_string()];
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
    let err = silo_aws::costexplorer::cost(&client, &accounts, today).await.unwrap_err();
    assert!(err.message.contains("a page token it had returned before"), "{err}");
    assert_eq!((first.num_calls(), again.num_calls()), (1, 1), "two requests, not an endless loop");
}
