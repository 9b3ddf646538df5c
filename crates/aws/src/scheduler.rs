//! A tenant's scheduled updates: EventBridge Scheduler in the tenant account, read with the read
//! role. ListSchedules in the `silo-rollouts` group (names prefixed `silo-`), then
//! GetSchedule of each for its expression, zone and target input. A tenant without the group
//! has no schedules. The write half creates and deletes them with the operator configuration.

use super::errors::classify;
use super::paging::next_token;
use aws_sdk_scheduler::Client;
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::AwsService;
use silo_core::plan::schedule::{ScheduleSpec, SeenSchedule};
use silo_core::sanitize::clean;
use silo_core::terms::schedule::{self, ScheduledUpdate, GROUP};

const SERVICE: AwsService = AwsService::Scheduler;

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let conf = aws_sdk_scheduler::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!("scheduler-{account_id}")))
        .build();
    Client::from_conf(conf)
}

/// A scheduled update and the task definition its input names (`family:N` or its ARN), so the
/// caller can read that revision's image without asking ECS which family the service runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Scheduled {
    pub update: ScheduledUpdate,
    pub task_definition: String,
}

/// The tenant's scheduled updates, soonest first (`to_version` left for the caller to fill).
pub async fn scheduled(client: &Client) -> Result<Vec<Scheduled>, FetchError> {
    let mut updates = Vec::new();
    for name in names(client).await? {
        if let Some(update) = one(client, &name).await? {
            updates.push(update);
        }
    }
    updates.sort_by_key(|s| s.update.at);
    Ok(updates)
}

async fn names(client: &Client) -> Result<Vec<String>, FetchError> {
    let mut token: Option<String> = None;
    let mut tokens = super::paging::PageTokens::default();
    let mut names = Vec::new();
    loop {
        let sent = client
            .list_schedules()
            .group_name(GROUP)
            .name_prefix(schedule::NAME_PREFIX)
            .set_next_token(token.clone())
            .send()
            .await;
        let out = match sent.map_err(|e| classify(SERVICE, e)) {
            Ok(out) => out,
            Err(e) if e.kind == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        names.extend(out.schedules().iter().filter_map(|s| s.name()).map(clean));
        match next_token(SERVICE, &mut tokens, out.next_token())? {
            Some(next) => token = Some(next),
            None => return Ok(names),
        }
    }
}

/// One schedule; None when it is gone (fired and deleted since the listing) or is not an update
/// silo can read (another expression or input).
async fn one(client: &Client, name: &str) -> Result<Option<Scheduled>, FetchError> {
    let out = match client.get_schedule().name(name).group_name(GROUP).send().await.map_err(|e| classify(SERVICE, e)) {
        Ok(out) => out,
        Err(e) if e.kind == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let zone = clean(out.schedule_expression_timezone().unwrap_or(""));
    let at = schedule::parse_at(out.schedule_expression().unwrap_or(""), &zone);
    let task_definition = out.target().and_then(|t| t.input()).and_then(schedule::task_definition_of_input);
    let revision = task_definition.as_deref().and_then(silo_core::deploy::revision_number);
    Ok(match (at, revision, task_definition) {
        (Ok(at), Some(to_revision), Some(task_definition)) => {
            let update = ScheduledUpdate { name: name.to_string(), at, zone, to_revision, to_version: None };
            Some(Scheduled { update, task_definition: clean(&task_definition) })
        }
        _ => None,
    })
}

/// The write half (operator configuration, one attempt): the group when missing, then the
/// schedule exactly as planned; its request id.
pub(crate) async fn create(client: &Client, spec: &ScheduleSpec) -> Result<Option<String>, FetchError> {
    use aws_sdk_scheduler::types::{
        ActionAfterCompletion, FlexibleTimeWindow, FlexibleTimeWindowMode, RetryPolicy, Target,
    };
    use aws_types::request_id::RequestId as _;
    ensure_group(client, &spec.group).await?;
    let retry = RetryPolicy::builder()
        .maximum_event_age_in_seconds(i32::try_from(spec.retry.max_event_age_secs).unwrap_or(86_400))
        .maximum_retry_attempts(i32::try_from(spec.retry.max_attempts).unwrap_or(0))
        .build();
    let target =
        Target::builder().arn(&spec.target_arn).role_arn(&spec.role_arn).input(&spec.input).retry_policy(retry).build();
    let window = FlexibleTimeWindow::builder().mode(FlexibleTimeWindowMode::Off).build();
    let call = client
        .create_schedule()
        .name(&spec.name)
        .group_name(&spec.group)
        .schedule_expression(&spec.expression)
        .schedule_expression_timezone(&spec.zone)
        .flexible_time_window(window.map_err(|e| invalid(e.to_string()))?)
        .action_after_completion(ActionAfterCompletion::Delete)
        .client_token(&spec.client_token)
        .target(target.map_err(|e| invalid(e.to_string()))?);
    let out = call.send().await.map_err(|e| classify(SERVICE, e))?;
    Ok(out.request_id().map(str::to_string))
}

/// Creates the group unless it exists: asked first, since creating an existing group is an
/// error (and moto empties it).
async fn ensure_group(client: &Client, group: &str) -> Result<(), FetchError> {
    match client.get_schedule_group().name(group).send().await.map_err(|e| classify(SERVICE, e)) {
        Ok(_) => Ok(()),
        Err(e) if e.kind == ErrorKind::NotFound => {
            let created = client.create_schedule_group().name(group).send().await;
            created.map(|_| ()).map_err(|e| classify(SERVICE, e))
        }
        Err(e) => Err(e),
    }
}

pub(crate) async fn delete(client: &Client, name: &str, group: &str) -> Result<Option<String>, FetchError> {
    use aws_types::request_id::RequestId as _;
    let out = client.delete_schedule().name(name).group_name(group).send().await;
    Ok(out.map_err(|e| classify(SERVICE, e))?.request_id().map(str::to_string))
}

/// After a write that failed: the schedule as it is now, None when it does not exist
/// (GetSchedule, read role).
pub(crate) async fn seen(client: &Client, name: &str, group: &str) -> Result<Option<SeenSchedule>, FetchError> {
    match client.get_schedule().name(name).group_name(group).send().await.map_err(|e| classify(SERVICE, e)) {
        Ok(out) => Ok(Some(SeenSchedule {
            expression: clean(out.schedule_expression().unwrap_or_default()),
            zone: clean(out.schedule_expression_timezone().unwrap_or_default()),
            input: out.target().and_then(|t| t.input()).map(clean).unwrap_or_default(),
        })),
        Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn invalid(message: String) -> FetchError {
    FetchError::new(SERVICE, ErrorKind::Other, message)
}
