//! AWS Health's organizational view (us-east-1): the events, and for the first one its affected
//! accounts and resources.

use super::Probe;
use crate::errors::classify;
use aws_sdk_health::types::EntityAccountFilter;
use aws_sdk_health::Client;
use silo_core::model::AwsService;

const SERVICE: AwsService = AwsService::Health;

pub async fn read(client: &Client) -> Vec<Probe> {
    let events = client.describe_events_for_organization().max_results(10).send().await;
    let events = events.map_err(|e| classify(SERVICE, e));
    let first = events.as_ref().ok().and_then(|o| o.events().first()?.arn().map(String::from));
    let mut probes = vec![Probe::of("health:DescribeEventsForOrganization", events, |o| {
        format!("{} event(s) on the first page", o.events().len())
    })
    .not_enabled_if_absent("the organizational view of AWS Health is not enabled")];
    let Some(event) = first else { return probes };
    let accounts = client.describe_affected_accounts_for_organization().event_arn(&event).send().await;
    let accounts = accounts.map_err(|e| classify(SERVICE, e));
    let account = accounts.as_ref().ok().and_then(|o| o.affected_accounts().first().cloned());
    probes.push(Probe::of("health:DescribeAffectedAccountsForOrganization", accounts, |o| {
        format!("{} account(s)", o.affected_accounts().len())
    }));
    let Some(account) = account else { return probes };
    let filter = EntityAccountFilter::builder().event_arn(&event).aws_account_id(account).build();
    if let Ok(filter) = filter {
        let entities = client
            .describe_affected_entities_for_organization()
            .organization_entity_account_filters(filter)
            .send()
            .await;
        probes.push(Probe::of(
            "health:DescribeAffectedEntitiesForOrganization",
            entities.map_err(|e| classify(SERVICE, e)),
            |o| format!("{} resource(s)", o.entities().len()),
        ));
    }
    probes
}
