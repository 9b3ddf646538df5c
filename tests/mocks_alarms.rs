//! Alarm paths moto does not serve (composite alarms, alarm history), covered with
//! aws-smithy-mocks and the requests asserted.

use aws_sdk_cloudwatch::operation::describe_alarm_history::DescribeAlarmHistoryOutput;
use aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsOutput;
use aws_sdk_cloudwatch::types::{
    AlarmHistoryItem, AlarmType, CompositeAlarm, HistoryItemType, MetricAlarm, ScanBy, StateValue,
};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use silo_core::alarms::AlarmState;

#[tokio::test]
async fn metric_and_composite_alarms_are_read_across_pages_with_their_configuration() {
    let both_types =
        |types: &[AlarmType]| types.contains(&AlarmType::MetricAlarm) && types.contains(&AlarmType::CompositeAlarm);
    let page1 = mock!(aws_sdk_cloudwatch::Client::describe_alarms)
        .match_requests(move |r| both_types(r.alarm_types()) && r.next_token().is_none())
        .then_output(|| {
            let metric = MetricAlarm::builder()
                .alarm_name("acme-alb-5xx")
                .state_value(StateValue::Ok)
                .namespace("AWS/ApplicationELB")
                .metric_name("HTTPCode_Target_5XX_Count")
                .extended_statistic("p99")
                .period(60)
                .evaluation_periods(3)
                .datapoints_to_alarm(2)
                .threshold(10.0)
                .comparison_operator(aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanThreshold)
                .build();
            DescribeAlarmsOutput::builder().metric_alarms(metric).next_token("p2").build()
        });
    let page2 = mock!(aws_sdk_cloudwatch::Client::describe_alarms)
        .match_requests(move |r| both_types(r.alarm_types()) && r.next_token() == Some("p2"))
        .then_output(|| {
            let composite = CompositeAlarm::builder()
                .alarm_name("acme-health")
                .state_value(StateValue::Alarm)
                .state_reason("acme-alb-5xx transitioned to ALARM")
                .alarm_rule("ALARM(\"acme-alb-5xx\") OR ALARM(\"acme-tasks\")")
                .build();
            DescribeAlarmsOutput::builder().composite_alarms(composite).build()
        });
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&page1, &page2]);
    let summary = silo_aws::cloudwatch::alarms(&client).await.expect("alarms");
    assert_eq!((summary.total(), summary.in_alarm()), (2, 1));
    let composite = &summary.alarms[0];
    assert_eq!(
        (composite.name.as_str(), composite.state, composite.composite),
        ("acme-health", AlarmState::Alarm, true)
    );
    assert_eq!(
        composite.config[0],
        ("rule".to_string(), "ALARM(\"acme-alb-5xx\") OR ALARM(\"acme-tasks\")".to_string())
    );
    let metric = &summary.alarms[1];
    let get = |k: &str| metric.config.iter().find(|(f, _)| f == k).map(|(_, v)| v.as_str());
    assert_eq!(get("statistic"), Some("p99 over 60 s"));
    assert_eq!(get("condition"), Some("GreaterThanThreshold 10 for 2 of 3 periods"));
}

#[tokio::test]
async fn history_asks_for_the_newest_100_entries_of_one_alarm() {
    let rule = mock!(aws_sdk_cloudwatch::Client::describe_alarm_history)
        .match_requests(|r| {
            r.alarm_name() == Some("acme-alb-5xx")
                && r.max_records() == Some(100)
                && r.scan_by() == Some(&ScanBy::TimestampDescending)
        })
        .then_output(|| {
            DescribeAlarmHistoryOutput::builder()
                .alarm_history_items(
                    AlarmHistoryItem::builder()
                        .alarm_name("acme-alb-5xx")
                        .history_item_type(HistoryItemType::StateUpdate)
                        .history_summary("Alarm updated from OK to ALARM\u{1b}[2J")
                        .timestamp(aws_smithy_types::DateTime::from_secs(1_800_000_000))
                        .build(),
                )
                .build()
        });
    let client = mock_client!(aws_sdk_cloudwatch, [&rule]);
    let items = silo_aws::cloudwatch::history(&client, "acme-alb-5xx").await.expect("history");
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].kind.as_str(), items[0].summary.as_str()), ("StateUpdate", "Alarm updated from OK to ALARM"));
}

/// An answer that is not CloudWatch's XML (a proxy's HTML page): the error says the answer could
/// not be read and carries the chain, instead of `cloudwatch error: Unknown`.
#[tokio::test]
async fn an_unreadable_answer_says_so_with_its_cause() {
    let garbage = mock!(aws_sdk_cloudwatch::Client::describe_alarms)
        .sequence()
        .http_status(400, Some("<html><body>Bad gateway of a proxy</body></html>".into()))
        .build();
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&garbage]);
    let err = silo_aws::cloudwatch::alarms(&client).await.unwrap_err();
    assert!(err.message.starts_with("the answer of cloudwatch could not be read: "), "{err}");
    assert_ne!(err.message, "Unknown");
    assert!(err.message.len() > "the answer of cloudwatch could not be read: ".len() + 10, "the cause is kept: {err}");
}
