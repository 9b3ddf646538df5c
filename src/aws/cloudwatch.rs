//! The tenant's CloudWatch alarms (metric and composite): totals and the ones firing.

use super::errors::classify;
use crate::fetch_error::FetchError;
use crate::model::{Alarm, AlarmState, AlarmSummary, AwsService};
use aws_sdk_cloudwatch::types::{AlarmType, StateValue};
use aws_sdk_cloudwatch::Client;
use chrono::{DateTime, Utc};

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let conf = aws_sdk_cloudwatch::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!("cloudwatch-{account_id}")))
        .build();
    Client::from_conf(conf)
}

/// Every alarm of the account. DescribeAlarms shares the account's quota with ECS's own
/// deployment alarm checks, so pages are asked at most one a second.
pub async fn alarms(client: &Client) -> Result<AlarmSummary, FetchError> {
    let mut pacer = super::securityhub::Pacer::new(std::time::Duration::from_secs(1), 1);
    let mut alarms = Vec::new();
    let mut token: Option<String> = None;
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
        alarms.extend(
            page.metric_alarms()
                .iter()
                .map(|a| alarm(a.alarm_name(), a.state_value(), a.state_reason(), a.state_updated_timestamp(), false)),
        );
        alarms.extend(
            page.composite_alarms()
                .iter()
                .map(|a| alarm(a.alarm_name(), a.state_value(), a.state_reason(), a.state_updated_timestamp(), true)),
        );
        token = page.next_token().filter(|t| !t.is_empty()).map(str::to_string);
        if token.is_none() {
            return Ok(AlarmSummary::of(alarms));
        }
    }
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
        name: crate::sanitize::clean(name.unwrap_or_default()),
        state,
        reason: crate::sanitize::clean_truncated(reason.unwrap_or_default(), 300),
        since: since.and_then(to_chrono),
        composite,
    }
}

pub fn to_chrono(t: &aws_smithy_types::DateTime) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}
