//! The tenant's CloudWatch alarms (metric and composite): totals and the ones firing.

use super::errors::classify;
use super::time::to_chrono;
use aws_sdk_cloudwatch::types::{AlarmType, StateValue};
use aws_sdk_cloudwatch::Client;
use silo_core::alarms::{Alarm, AlarmHistoryItem, AlarmState, AlarmSummary};
use silo_core::error::FetchError;
use silo_core::model::AwsService;

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let conf = aws_sdk_cloudwatch::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!("cloudwatch-{account_id}")))
        .build();
    Client::from_conf(conf)
}

/// Every alarm of the account. DescribeAlarms shares the account's quota with ECS's own
/// deployment alarm checks, so pages are asked at most one a second.
pub async fn alarms(client: &Client) -> Result<AlarmSummary, FetchError> {
    let mut pacer = super::pacer::Pacer::new(std::time::Duration::from_secs(1), 1);
    let mut alarms = Vec::new();
    let mut token: Option<String> = None;
    let mut tokens = super::paging::PageTokens::default();
    loop {
        pacer.wait().await;
        let page = client
            .describe_alarms()
            .alarm_types(AlarmType::MetricAlarm)
            .alarm_types(AlarmType::CompositeAlarm)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| classify(AwsService::Cloudwatch, e))?;
        alarms.extend(page.metric_alarms().iter().map(|a| Alarm {
            config: metric_config(a),
            watch: watch(a),
            ..alarm(a.alarm_name(), a.state_value(), a.state_reason(), a.state_updated_timestamp(), false)
        }));
        alarms.extend(page.composite_alarms().iter().map(|a| Alarm {
            config: composite_config(a),
            ..alarm(a.alarm_name(), a.state_value(), a.state_reason(), a.state_updated_timestamp(), true)
        }));
        token = super::paging::next_token(AwsService::Cloudwatch, &mut tokens, page.next_token())?;
        if token.is_none() {
            return Ok(AlarmSummary::of(alarms));
        }
    }
}

fn line(field: &str, value: impl AsRef<str>) -> (String, String) {
    (field.to_string(), silo_core::sanitize::clean_truncated(value.as_ref(), 500))
}

fn actions(enabled: Option<bool>, alarm: &[String], ok: &[String]) -> (String, String) {
    let state = if enabled.unwrap_or(true) { "enabled" } else { "disabled" };
    line("actions", format!("{state}: {} on ALARM, {} on OK", alarm.len(), ok.len()))
}

fn metric_config(a: &aws_sdk_cloudwatch::types::MetricAlarm) -> Vec<(String, String)> {
    let dims: Vec<String> =
        a.dimensions().iter().map(|d| format!("{}={}", d.name().unwrap_or(""), d.value().unwrap_or(""))).collect();
    let stat = a
        .extended_statistic()
        .map(str::to_string)
        .or_else(|| a.statistic().map(|s| silo_core::sanitize::clean(s.as_str())))
        .unwrap_or_else(|| "metric math".into());
    let comparison = a.comparison_operator().map(|c| silo_core::sanitize::clean(c.as_str())).unwrap_or_default();
    let datapoints = a.datapoints_to_alarm().or(a.evaluation_periods()).unwrap_or(1);
    vec![
        line("metric", format!("{} {}", a.namespace().unwrap_or(""), a.metric_name().unwrap_or(""))),
        line("dimensions", dims.join(", ")),
        line("statistic", format!("{stat} over {} s", a.period().unwrap_or(0))),
        line(
            "condition",
            format!(
                "{comparison} {} for {datapoints} of {} periods",
                a.threshold().unwrap_or(0.0),
                a.evaluation_periods().unwrap_or(1)
            ),
        ),
        line("missing data", a.treat_missing_data().unwrap_or("missing")),
        actions(a.actions_enabled(), a.alarm_actions(), a.ok_actions()),
        line("description", a.alarm_description().unwrap_or("")),
    ]
}

fn composite_config(a: &aws_sdk_cloudwatch::types::CompositeAlarm) -> Vec<(String, String)> {
    vec![
        line("rule", a.alarm_rule().unwrap_or("")),
        actions(a.actions_enabled(), a.alarm_actions(), a.ok_actions()),
        line("description", a.alarm_description().unwrap_or("")),
    ]
}

/// The last 100 history entries of one alarm, newest first.
pub async fn history(client: &Client, alarm: &str) -> Result<Vec<AlarmHistoryItem>, FetchError> {
    let out = client
        .describe_alarm_history()
        .alarm_name(alarm)
        .alarm_types(AlarmType::MetricAlarm)
        .alarm_types(AlarmType::CompositeAlarm)
        .max_records(100)
        .scan_by(aws_sdk_cloudwatch::types::ScanBy::TimestampDescending)
        .send()
        .await
        .map_err(|e| classify(AwsService::Cloudwatch, e))?;
    Ok(out
        .alarm_history_items()
        .iter()
        .map(|h| AlarmHistoryItem {
            time: h.timestamp().and_then(to_chrono),
            kind: h.history_item_type().map(|t| silo_core::sanitize::clean(t.as_str())).unwrap_or_default(),
            summary: silo_core::sanitize::clean_truncated(h.history_summary().unwrap_or(""), 500),
        })
        .collect())
}

fn alarm(
    name: Option<&str>,
    state: Option<&StateValue>,
    reason: Option<&str>,
    since: Option<&aws_smithy_types::DateTime>,
    composite: bool,
) -> Alarm {
    let state = match state {
        Some(StateValue::Alarm) => AlarmState::Alarm,
        Some(StateValue::Ok) => AlarmState::Ok,
        _ => AlarmState::InsufficientData,
    };
    Alarm {
        name: silo_core::sanitize::clean(name.unwrap_or_default()),
        state,
        reason: silo_core::sanitize::clean_truncated(reason.unwrap_or_default(), 300),
        since: since.and_then(to_chrono),
        composite,
        config: Vec::new(),
        watch: None,
    }
}

/// What a metric alarm watches, when it names one metric (a metric-math alarm has `Metrics`
/// instead, and no chart to draw its threshold on).
fn watch(a: &aws_sdk_cloudwatch::types::MetricAlarm) -> Option<silo_core::alarms::Watch> {
    let clean = silo_core::sanitize::clean;
    Some(silo_core::alarms::Watch {
        namespace: clean(a.namespace()?),
        metric: clean(a.metric_name()?),
        comparison: clean(a.comparison_operator()?.as_str()),
        threshold: silo_core::alarms::Threshold(a.threshold()?),
    })
}
