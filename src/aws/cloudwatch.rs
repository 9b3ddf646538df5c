//! The tenant's CloudWatch alarms (metric and composite): totals and the ones firing.

use super::errors::classify;
use crate::fetch_error::FetchError;
use crate::model::{AlarmSummary, AwsService, FiringAlarm};
use aws_sdk_cloudwatch::types::{AlarmType, StateValue};
use aws_sdk_cloudwatch::Client;
use chrono::{DateTime, Utc};

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let conf = aws_sdk_cloudwatch::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!("cloudwatch-{account_id}")))
        .build();
    Client::from_conf(conf)
}

/// One state of one alarm, as the summary needs it.
struct AlarmState {
    name: String,
    state: StateValue,
    reason: String,
    since: Option<DateTime<Utc>>,
}

pub async fn alarms(client: &Client) -> Result<AlarmSummary, FetchError> {
    let pages: Vec<_> = client
        .describe_alarms()
        .alarm_types(AlarmType::MetricAlarm)
        .alarm_types(AlarmType::CompositeAlarm)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| classify(AwsService::Cloudwatch, e))?;
    let mut states = Vec::new();
    for page in &pages {
        states.extend(page.metric_alarms().iter().map(|a| AlarmState {
            name: a.alarm_name().unwrap_or_default().to_string(),
            state: a.state_value().cloned().unwrap_or(StateValue::InsufficientData),
            reason: a.state_reason().unwrap_or_default().to_string(),
            since: a.state_updated_timestamp().and_then(to_chrono),
        }));
        states.extend(page.composite_alarms().iter().map(|a| AlarmState {
            name: a.alarm_name().unwrap_or_default().to_string(),
            state: a.state_value().cloned().unwrap_or(StateValue::InsufficientData),
            reason: a.state_reason().unwrap_or_default().to_string(),
            since: a.state_updated_timestamp().and_then(to_chrono),
        }));
    }
    Ok(summarize(states))
}

fn summarize(states: Vec<AlarmState>) -> AlarmSummary {
    let mut summary = AlarmSummary { total: states.len() as u32, ..AlarmSummary::default() };
    for s in states {
        match s.state {
            StateValue::Alarm => {
                summary.in_alarm += 1;
                summary.firing.push(FiringAlarm {
                    name: crate::sanitize::clean(&s.name),
                    reason: crate::sanitize::clean_truncated(&s.reason, 300),
                    since: s.since,
                });
            }
            StateValue::InsufficientData => summary.insufficient_data += 1,
            _ => {}
        }
    }
    summary.firing.sort_by_key(|f| f.since);
    summary
}

pub fn to_chrono(t: &aws_smithy_types::DateTime) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}
