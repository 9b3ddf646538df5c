use super::*;
use aws_sdk_budgets::types::{CalculatedSpend, NotificationType, Spend as AwsSpend};
use chrono::TimeZone;

#[allow(deprecated)]
fn budget(name: &str, accounts: &[&str], unit: TimeUnit, limit: &str, actual: &str, currency: &str) -> Budget {
    let money = |a: &str| AwsSpend::builder().amount(a).unit(currency).build().unwrap();
    Budget::builder()
        .budget_name(name)
        .budget_type(BudgetType::Cost)
        .time_unit(unit)
        .budget_limit(money(limit))
        .calculated_spend(CalculatedSpend::builder().actual_spend(money(actual)).build())
        .cost_filters("LinkedAccount", accounts.iter().map(|a| a.to_string()).collect())
        .build()
        .unwrap()
}

fn tenants(ids: &[&str]) -> HashSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[test]
fn monthly_budget_wins_over_quarterly() {
    let budgets = vec![
        budget("q", &["111111111111"], TimeUnit::Quarterly, "3000", "10", "USD"),
        budget("m", &["111111111111"], TimeUnit::Monthly, "1000", "250.10", "USD"),
    ];
    let spend = assign(&budgets, &tenants(&["111111111111"]));
    let s = spend["111111111111"].as_ref().unwrap();
    assert_eq!((s.budget.as_str(), s.actual.to_string().as_str()), ("m", "250.10"));
}

#[test]
fn a_shared_budget_is_reported_not_counted() {
    let budgets = vec![budget("shared", &["111111111111", "222222222222"], TimeUnit::Monthly, "1", "1", "USD")];
    let spend = assign(&budgets, &tenants(&["111111111111", "222222222222"]));
    let err = spend["111111111111"].as_ref().unwrap_err();
    assert!(err.message.contains("\"shared\" filters several linked accounts"), "{}", err.message);
}

#[test]
fn own_budget_beats_a_shared_one_and_non_tenants_are_ignored() {
    let budgets = vec![
        budget("shared", &["111111111111", "222222222222"], TimeUnit::Monthly, "1", "1", "USD"),
        budget("own", &["111111111111"], TimeUnit::Monthly, "10", "1", "USD"),
        budget("orphan", &["999999999999"], TimeUnit::Monthly, "10", "1", "USD"),
    ];
    let spend = assign(&budgets, &tenants(&["111111111111"]));
    assert_eq!(spend.len(), 1);
    assert_eq!(spend["111111111111"].as_ref().map(|s| s.budget.clone()), Ok("own".to_string()));
}

#[test]
fn non_numeric_amount_and_unknown_unit_are_errors_naming_the_budget() {
    let spend =
        assign(&[budget("bad", &["111111111111"], TimeUnit::Monthly, "lots", "1", "USD")], &tenants(&["111111111111"]));
    assert!(spend["111111111111"]
        .as_ref()
        .unwrap_err()
        .message
        .contains("budget \"bad\" has a non-numeric amount \"lots\""));
    let spend =
        assign(&[budget("gb", &["111111111111"], TimeUnit::Monthly, "10", "1", "GB")], &tenants(&["111111111111"]));
    assert!(spend["111111111111"]
        .as_ref()
        .unwrap_err()
        .message
        .contains("budget \"gb\" has the unit \"GB\", not a currency code"));
}

#[test]
fn only_notifications_in_alarm_are_breaches() {
    let note = |kind: NotificationType, threshold: f64, state: NotificationState| {
        Notification::builder()
            .notification_type(kind)
            .comparison_operator(ComparisonOperator::GreaterThan)
            .threshold(threshold)
            .threshold_type(ThresholdType::Percentage)
            .notification_state(state)
            .build()
            .unwrap()
    };
    let notes = vec![
        note(NotificationType::Actual, 80.0, NotificationState::Alarm),
        note(NotificationType::Actual, 100.0, NotificationState::Ok),
        note(NotificationType::Forecasted, 100.0, NotificationState::Alarm),
    ];
    let labels: Vec<String> = crossed(&notes).iter().map(|b| b.label("USD")).collect();
    assert_eq!(labels, vec!["ACTUAL > 80%", "FORECASTED > 100%"]);
}

#[test]
fn first_of_month_goes_back_across_years() {
    let now = Utc.with_ymd_and_hms(2026, 3, 14, 9, 0, 0).unwrap();
    assert_eq!(first_of_month(now, 11), Utc.with_ymd_and_hms(2025, 4, 1, 0, 0, 0).unwrap());
    assert_eq!(first_of_month(now, 0), Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap());
}
