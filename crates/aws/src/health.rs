//! AWS Health's organizational view, read in the `[health]` account (the management account or
//! its delegated administrator): DescribeEventsForOrganization for events updated in the last
//! week, DescribeAffectedAccountsForOrganization per event, and, for current events,
//! DescribeAffectedEntitiesForOrganization (ten event/account pairs per call). The API answers
//! in us-east-1 only (the global endpoint), whatever the tenants' regions.

use super::errors::classify;
use super::paging::next_token;
use super::time::to_chrono;
use aws_sdk_health::types::{DateTimeRange, EntityAccountFilter, OrganizationEvent, OrganizationEventFilter};
use aws_sdk_health::Client;
use chrono::{DateTime, Utc};
use silo_core::aws_health::{Affected, HealthEvent};
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::AwsService;
use silo_core::sanitize::clean;
use std::collections::HashMap;

/// The only region the Health API answers in.
pub const HEALTH_REGION: &str = "us-east-1";
/// How far back closed events are kept: the timeline's longest range.
pub const RECENT_DAYS: i64 = 7;
/// DescribeAffectedEntitiesForOrganization takes at most this many event/account filters.
const ENTITY_FILTERS: usize = 10;

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let conf = aws_sdk_health::config::Builder::from(sdk)
        .region(aws_types::region::Region::new(HEALTH_REGION))
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!("health-{account_id}")))
        .build();
    Client::from_conf(conf)
}

/// Open, upcoming and recently updated events of the organization, with their accounts and,
/// for current events, their affected resources.
pub async fn events(client: &Client, now: DateTime<Utc>) -> Result<Vec<HealthEvent>, FetchError> {
    let mut events = Vec::new();
    for e in organization_events(client, now).await? {
        let accounts = affected_accounts(client, &e.arn).await?;
        events.push(HealthEvent {
            affected: accounts.into_iter().map(|a| Affected { account_id: a, entities: vec![] }).collect(),
            ..e
        });
    }
    attach_entities(client, &mut events).await?;
    silo_core::aws_health::sort(&mut events);
    Ok(events)
}

async fn organization_events(client: &Client, now: DateTime<Utc>) -> Result<Vec<HealthEvent>, FetchError> {
    let since = aws_smithy_types::DateTime::from_secs((now - chrono::Duration::days(RECENT_DAYS)).timestamp());
    let filter =
        OrganizationEventFilter::builder().last_updated_time(DateTimeRange::builder().from(since).build()).build();
    let mut token: Option<String> = None;
    let mut tokens = super::paging::PageTokens::default();
    let mut events = Vec::new();
    loop {
        let out = client
            .describe_events_for_organization()
            .filter(filter.clone())
            .max_results(100)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| explain(classify(AwsService::Health, e)))?;
        events.extend(out.events().iter().map(event));
        match next_token(AwsService::Health, &mut tokens, out.next_token())? {
            Some(next) => token = Some(next),
            None => return Ok(events),
        }
    }
}

/// Says what to do about the two errors every new setup meets.
fn explain(mut error: FetchError) -> FetchError {
    if error.message.contains("SubscriptionRequired") {
        error.message.push_str(" (the AWS Health API needs a Business, Enterprise On-Ramp or Enterprise Support plan)");
    } else if error.kind == ErrorKind::Denied || error.message.to_lowercase().contains("organization") {
        error.message.push_str(
            " (the organizational view must be enabled once, from the management account: \
             EnableHealthServiceAccessForOrganization in us-east-1, `aws health enable-health-service-access-for-organization`; \
             a delegated administrator also needs RegisterOrganizationalViewDelegatedAdministrator)",
        );
    }
    error
}

fn event(e: &OrganizationEvent) -> HealthEvent {
    let text = |v: Option<&str>| clean(v.unwrap_or(""));
    HealthEvent {
        arn: text(e.arn()),
        service: text(e.service()),
        event_type: text(e.event_type_code()),
        category: e.event_type_category().map(|c| clean(c.as_str())).unwrap_or_default(),
        region: text(e.region()),
        status: e.status_code().map(|s| clean(s.as_str())).unwrap_or_default(),
        // The field, not `start_time()`: tests/iam_policies.rs reads `.start_*()` as a call.
        start: e.start_time.as_ref().and_then(to_chrono),
        end: e.end_time().and_then(to_chrono),
        last_updated: e.last_updated_time().and_then(to_chrono),
        affected: Vec::new(),
    }
}

async fn affected_accounts(client: &Client, arn: &str) -> Result<Vec<String>, FetchError> {
    let mut token: Option<String> = None;
    let mut tokens = super::paging::PageTokens::default();
    let mut accounts = Vec::new();
    loop {
        let out = client
            .describe_affected_accounts_for_organization()
            .event_arn(arn)
            .max_results(50)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| classify(AwsService::Health, e))?;
        accounts.extend(out.affected_accounts().iter().map(|a| clean(a)));
        match next_token(AwsService::Health, &mut tokens, out.next_token())? {
            Some(next) => token = Some(next),
            None => return Ok(accounts),
        }
    }
}

/// Fills the affected resources of current events' accounts, ten pairs per call.
async fn attach_entities(client: &Client, events: &mut [HealthEvent]) -> Result<(), FetchError> {
    let pairs: Vec<(String, String)> = events
        .iter()
        .filter(|e| e.is_current())
        .flat_map(|e| e.affected.iter().map(|a| (e.arn.clone(), a.account_id.clone())))
        .collect();
    let mut found: HashMap<(String, String), Vec<String>> = HashMap::new();
    for batch in pairs.chunks(ENTITY_FILTERS) {
        for (key, entity) in entities(client, batch).await? {
            found.entry(key).or_default().push(entity);
        }
    }
    for e in events.iter_mut() {
        for a in &mut e.affected {
            a.entities = found.remove(&(e.arn.clone(), a.account_id.clone())).unwrap_or_default();
        }
    }
    Ok(())
}

async fn entities(client: &Client, pairs: &[(String, String)]) -> Result<Vec<((String, String), String)>, FetchError> {
    let filters: Vec<EntityAccountFilter> = pairs
        .iter()
        .filter_map(|(arn, account)| EntityAccountFilter::builder().event_arn(arn).aws_account_id(account).build().ok())
        .collect();
    let mut token: Option<String> = None;
    let mut tokens = super::paging::PageTokens::default();
    let mut out_list = Vec::new();
    loop {
        let out = client
            .describe_affected_entities_for_organization()
            .set_organization_entity_account_filters(Some(filters.clone()))
            .max_results(100)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| classify(AwsService::Health, e))?;
        out_list.extend(out.entities().iter().map(|e| {
            let key = (clean(e.event_arn().unwrap_or("")), clean(e.aws_account_id().unwrap_or("")));
            (key, clean(e.entity_value().or(e.entity_arn()).unwrap_or("?")))
        }));
        match next_token(AwsService::Health, &mut tokens, out.next_token())? {
            Some(next) => token = Some(next),
            None => return Ok(out_list),
        }
    }
}

/// The fleet's AWS column (`silo_core::aws_health::COLUMN`): each tenant's events of the week,
/// from one organizational read.
pub fn column(
    call: crate::column_call::OrgCall<'_>,
) -> futures::future::BoxFuture<'static, silo_core::source::OrgWide> {
    let (sdk, account_id, accounts) = (call.sdk, call.account_id, call.accounts);
    Box::pin(async move {
        let found = events(&client(&sdk, &account_id), Utc::now()).await;
        let shares = found.map(|events| Some(silo_core::aws_health::per_account(&events)));
        silo_core::source::OrgWide::each_account(shares, &accounts)
    })
}
