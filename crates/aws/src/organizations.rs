//! The tenant list from AWS Organizations: ACTIVE accounts under the tenants OU, recursively,
//! named by an account tag or the account name. Read with the base credentials.

use super::errors::classify;
use aws_sdk_organizations::types::{Account, AccountState, AccountStatus};
use aws_sdk_organizations::Client;
use futures::{stream, StreamExt, TryStreamExt};
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::{AwsService, Terms};
use std::collections::HashMap;

const SERVICE: AwsService = AwsService::Organizations;

/// A tenant account as Organizations knows it, before config patterns are applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAccount {
    pub account_id: String,
    pub name: String,
    /// Why `name` is the account name and not the tag: its tags could not be read.
    pub naming: Option<FetchError>,
    /// The window and certified versions its tags state (from the same ListTagsForResource).
    pub terms: Terms,
}

/// The account tag keys silo reads: the tenant's name and its update terms.
#[derive(Debug, Clone, Copy)]
pub struct TagKeys<'a> {
    pub name: &'a str,
    pub window: &'a str,
    pub certified: &'a str,
}

pub fn client(sdk: &aws_config::SdkConfig) -> Client {
    let conf = aws_sdk_organizations::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new("organizations"))
        .build();
    Client::from_conf(conf)
}

/// Lists the tenant accounts under `ou` (a name or an `ou-`/`r-` id), tagged names first.
pub async fn tenant_accounts(
    client: &Client,
    ou: &str,
    keys: TagKeys<'_>,
    parallel: usize,
) -> Result<Vec<OrgAccount>, FetchError> {
    let ou_id = resolve_ou(client, ou).await?;
    let accounts = accounts_under(client, &ou_id).await?;
    let active: Vec<Account> = accounts.into_iter().filter(is_active).collect();
    stream::iter(active).map(|account| named(client, account, keys)).buffered(parallel.max(1)).try_collect().await
}

/// `State` replaces the deprecated `Status`; organizations (and emulators) may send either.
#[allow(deprecated)]
fn is_active(account: &Account) -> bool {
    match (account.state(), account.status()) {
        (Some(state), _) => *state == AccountState::Active,
        (None, Some(status)) => *status == AccountStatus::Active,
        (None, None) => false,
    }
}

/// The account named by its `name_tag`, else by its account name. One account whose tags cannot
/// be read (throttled, denied) is named by its account name with the error, never failing the
/// whole list.
async fn named(client: &Client, account: Account, keys: TagKeys<'_>) -> Result<OrgAccount, FetchError> {
    let account_id = account.id().unwrap_or_default().to_string();
    let by_account = || account.name().unwrap_or(&account_id).to_string();
    let (tags, naming) = match tags(client, &account_id).await {
        Ok(tags) => (tags, None),
        Err(e) => {
            let message = format!("named after the account: its tag {:?} could not be read ({})", keys.name, e.message);
            (HashMap::new(), Some(FetchError { message, ..e }))
        }
    };
    let value = |key: &str| tags.get(key).map(|v| silo_core::sanitize::clean(v.trim())).filter(|v| !v.is_empty());
    let name = value(keys.name).unwrap_or_else(by_account);
    let terms = Terms { window: value(keys.window), certified: value(keys.certified) };
    Ok(OrgAccount { account_id, name: silo_core::sanitize::clean(&name), naming, terms })
}

/// Every tag of the account (one call, paged): the name and the terms come from this answer.
async fn tags(client: &Client, account_id: &str) -> Result<HashMap<String, String>, FetchError> {
    let pages = client.list_tags_for_resource().resource_id(account_id).into_paginator().send();
    let pages = pages.collect::<Result<Vec<_>, _>>().await.map_err(|e| classify(SERVICE, e))?;
    Ok(pages.iter().flat_map(|p| p.tags().iter()).map(|t| (t.key().to_string(), t.value().to_string())).collect())
}

async fn resolve_ou(client: &Client, ou: &str) -> Result<String, FetchError> {
    if ou.starts_with("ou-") || ou.starts_with("r-") {
        return Ok(ou.to_string());
    }
    let pages = client.list_roots().into_paginator().send();
    let pages = pages.collect::<Result<Vec<_>, _>>().await.map_err(|e| classify(SERVICE, e))?;
    let mut queue: Vec<String> =
        pages.iter().flat_map(|p| p.roots()).filter_map(|r| r.id().map(str::to_string)).collect();
    while !queue.is_empty() {
        let mut next = Vec::new();
        for parent in &queue {
            for child in child_ous(client, parent).await? {
                if child.1 == ou {
                    return Ok(child.0);
                }
                next.push(child.0);
            }
        }
        queue = next;
    }
    Err(FetchError::new(
        SERVICE,
        ErrorKind::NotFound,
        format!("no organizational unit named {ou:?} in the organization"),
    ))
}

/// (id, name) of the OUs directly under `parent`.
async fn child_ous(client: &Client, parent: &str) -> Result<Vec<(String, String)>, FetchError> {
    let pages = client.list_organizational_units_for_parent().parent_id(parent).into_paginator().send();
    let pages = pages.collect::<Result<Vec<_>, _>>().await.map_err(|e| classify(SERVICE, e))?;
    Ok(pages
        .iter()
        .flat_map(|p| p.organizational_units())
        .map(|o| (o.id().unwrap_or_default().to_string(), o.name().unwrap_or_default().to_string()))
        .collect())
}

/// Every account under `ou_id` and its nested OUs, in breadth-first order.
async fn accounts_under(client: &Client, ou_id: &str) -> Result<Vec<Account>, FetchError> {
    let mut accounts = Vec::new();
    let mut queue = vec![ou_id.to_string()];
    while let Some(parent) = queue.pop() {
        let pages = client.list_accounts_for_parent().parent_id(&parent).into_paginator().send();
        let pages = pages.collect::<Result<Vec<_>, _>>().await.map_err(|e| classify(SERVICE, e))?;
        accounts.extend(pages.iter().flat_map(|p| p.accounts().iter().cloned()));
        queue.extend(child_ous(client, &parent).await?.into_iter().map(|(id, _)| id));
    }
    Ok(accounts)
}
