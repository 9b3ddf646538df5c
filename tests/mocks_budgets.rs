//! Budgets paths moto does not implement, covered with aws-smithy-mocks (requests asserted):
//! DescribeBudgetNotificationsForAccount (with the per-budget fallback) and
//! DescribeBudgetPerformanceHistory.

use aws_sdk_budgets::operation::describe_budget_notifications_for_account::DescribeBudgetNotificationsForAccountOutput;
use aws_sdk_budgets::operation::describe_budget_performance_history::DescribeBudgetPerformanceHistoryOutput;
use aws_sdk_budgets::operation::describe_notifications_for_budget::DescribeNotificationsForBudgetOutput;
use aws_sdk_budgets::types::{
    BudgetNotificationsForAccount, BudgetPerformanceHistory, BudgetedAndActualAmounts, ComparisonOperator,
    Notification, NotificationState, NotificationType, Spend, ThresholdType, TimePeriod,
};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use chrono::TimeZone;
use std::collections::HashSet;

const BILLING: &str = "111111111111";

fn note(kind: NotificationType, threshold: f64, state: NotificationState) -> Notification {
    Notification::builder()
        .notification_type(kind)
        .comparison_operator(ComparisonOperator::GreaterThan)
        .threshold(threshold)
        .threshold_type(ThresholdType::Percentage)
        .notification_state(state)
        .build()
        .expect("notification")
}

fn wanted(names: &[&str]) -> HashSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

#[tokio::test]
async fn breaches_come_from_one_account_wide_walk_across_pages() {
    let page1 = mock!(aws_sdk_budgets::Client::describe_budget_notifications_for_account)
        .match_requests(|r| r.account_id() == Some(BILLING) && r.next_token().is_none() && r.max_results() == Some(100))
        .then_output(|| {
            DescribeBudgetNotificationsForAccountOutput::builder()
                .budget_notifications_for_account(
                    BudgetNotificationsForAccount::builder()
                        .budget_name("acme-monthly")
                        .notifications(note(NotificationType::Actual, 80.0, NotificationState::Alarm))
                        .notifications(note(NotificationType::Actual, 100.0, NotificationState::Ok))
                        .build(),
                )
                .next_token("n2")
                .build()
        });
    let page2 = mock!(aws_sdk_budgets::Client::describe_budget_notifications_for_account)
        .match_requests(|r| r.next_token() == Some("n2"))
        .then_output(|| {
            DescribeBudgetNotificationsForAccountOutput::builder()
                .budget_notifications_for_account(
                    BudgetNotificationsForAccount::builder()
                        .budget_name("globex-monthly")
                        .notifications(note(NotificationType::Forecasted, 100.0, NotificationState::Alarm))
                        .build(),
                )
                .build()
        });
    let client = mock_client!(aws_sdk_budgets, RuleMode::MatchAny, [&page1, &page2]);
    let found = silo_aws::budgets::breaches(&client, BILLING, &wanted(&["acme-monthly", "globex-monthly"])).await;
    let labels = |b: &str| found[b].iter().map(|x| x.label("USD")).collect::<Vec<_>>();
    assert_eq!(labels("acme-monthly"), vec!["ACTUAL > 80%"]);
    assert_eq!(labels("globex-monthly"), vec!["FORECASTED > 100%"]);
    assert_eq!((page1.num_calls(), page2.num_calls()), (1, 1));
}

#[tokio::test]
async fn without_the_account_wide_api_each_budget_is_asked() {
    let denied = mock!(aws_sdk_budgets::Client::describe_budget_notifications_for_account).then_error(|| {
        aws_sdk_budgets::operation::describe_budget_notifications_for_account::DescribeBudgetNotificationsForAccountError::AccessDeniedException(
            aws_sdk_budgets::types::error::AccessDeniedException::builder().message("denied").build(),
        )
    });
    let per_budget = mock!(aws_sdk_budgets::Client::describe_notifications_for_budget)
        .match_requests(|r| r.account_id() == Some(BILLING) && r.budget_name() == Some("acme-monthly"))
        .then_output(|| {
            DescribeNotificationsForBudgetOutput::builder()
                .notifications(note(NotificationType::Actual, 90.0, NotificationState::Alarm))
                .build()
        });
    let client = mock_client!(aws_sdk_budgets, RuleMode::MatchAny, [&denied, &per_budget]);
    let found = silo_aws::budgets::breaches(&client, BILLING, &wanted(&["acme-monthly"])).await;
    assert_eq!(found["acme-monthly"].iter().map(|b| b.label("USD")).collect::<Vec<_>>(), vec!["ACTUAL > 90%"]);
    assert_eq!(per_budget.num_calls(), 1);
}

#[tokio::test]
async fn history_asks_for_twelve_months_and_sorts_them() {
    let now = chrono::Utc.with_ymd_and_hms(2026, 3, 14, 9, 0, 0).single().expect("time");
    let start = chrono::Utc.with_ymd_and_hms(2025, 4, 1, 0, 0, 0).single().expect("time").timestamp();
    let month = |y: i32, m: u32, actual: &str| {
        let t = chrono::Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0).single().expect("time").timestamp();
        BudgetedAndActualAmounts::builder()
            .budgeted_amount(Spend::builder().amount("1000").unit("USD").build().expect("spend"))
            .actual_amount(Spend::builder().amount(actual).unit("USD").build().expect("spend"))
            .time_period(TimePeriod::builder().start(aws_smithy_types::DateTime::from_secs(t)).build())
            .build()
    };
    let rule = mock!(aws_sdk_budgets::Client::describe_budget_performance_history)
        .match_requests(move |r| {
            let period = r.time_period();
            r.account_id() == Some(BILLING)
                && r.budget_name() == Some("acme-monthly")
                && period.and_then(|p| p.start()).map(|s| s.secs()) == Some(start)
                && period.and_then(|p| p.end()).map(|e| e.secs()) == Some(now.timestamp())
        })
        .then_output(move || {
            DescribeBudgetPerformanceHistoryOutput::builder()
                .budget_performance_history(
                    BudgetPerformanceHistory::builder()
                        .budgeted_and_actual_amounts_list(month(2026, 2, "1100.5"))
                        .budgeted_and_actual_amounts_list(month(2025, 4, "700"))
                        .build(),
                )
                .build()
        });
    let client = mock_client!(aws_sdk_budgets, [&rule]);
    let months = silo_aws::budgets::history(&client, BILLING, "acme-monthly", now).await.expect("history");
    let got: Vec<(String, String)> =
        months.iter().map(|m| (m.month.clone(), m.actual.map(|a| a.to_string()).unwrap_or_default())).collect();
    assert_eq!(got, vec![("2025-04".to_string(), "700".to_string()), ("2026-02".to_string(), "1100.5".to_string())]);
}
