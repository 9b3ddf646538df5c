//! AWS Control Tower's governance of the tenant accounts (`[governance]`: the management account,
//! the landing zone's home region): ListLandingZones + GetLandingZone (version and drift),
//! ListEnabledBaselines with their children (each account's enrolment, the OU it is enrolled
//! through, their drift), and ListEnabledControls on each tenant OU (the controls and their
//! drift). Org-wide: a fixed number of calls per refresh (plus pages and one per OU), not one per
//! tenant. Requests follow the API model (botocore `controltower` 2018-05-10):
//! `ListLandingZonesMaxResults` is exactly 1, `ListEnabledBaselinesMaxResults` 5 to 100,
//! `MaxResults` (controls) 1 to 200; `targetIdentifier` is an ARN
//! (`arn:aws[0-9a-zA-Z_\-:\/]+`, 20 to 2048 characters).

use super::errors::classify;
use super::paging::{next_token, PageTokens};
use aws_sdk_controltower::types::{EnabledBaselineSummary, EnabledControlSummary, LandingZoneDetail};
use aws_sdk_controltower::Client;
use silo_core::error::{ErrorKind, FetchError};
use silo_core::governance::{arn_tail, baseline_name, Control, Enrolment, LandingZone, TenantGovernance};
use silo_core::model::AwsService;
use silo_core::sanitize::clean_truncated;
use std::collections::{HashMap, HashSet};

const SERVICE: AwsService = AwsService::ControlTower;
const BASELINE_PAGE: i32 = 100;
const CONTROL_PAGE: i32 = 200;
/// 100 pages: 10,000 enabled baselines, 20,000 controls on one OU; more is a runaway listing.
const MAX_PAGES: usize = 100;

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let partition = format!("controltower-{account_id}");
    let conf = aws_sdk_controltower::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(partition))
        .build();
    Client::from_conf(conf)
}

/// Each of `accounts` as Control Tower sees it; an account whose OU's controls could not be read
/// carries that error alone.
pub async fn governance(
    client: &Client,
    accounts: &HashSet<String>,
) -> Result<HashMap<String, Result<TenantGovernance, FetchError>>, FetchError> {
    let Some(zone) = landing_zone(client).await? else {
        return Ok(accounts.iter().map(|a| (a.clone(), Ok(TenantGovernance::default()))).collect());
    };
    let enrolled = enrolments(client).await?;
    let ous: std::collections::BTreeSet<String> =
        accounts.iter().filter_map(|a| enrolled.get(a)).filter_map(|e| e.ou.clone()).collect();
    let mut controls: HashMap<String, Result<Vec<Control>, FetchError>> = HashMap::new();
    for ou in ous {
        let read = enabled_controls(client, &ou).await;
        controls.insert(ou, read);
    }
    Ok(accounts.iter().map(|a| (a.clone(), tenant(&zone, enrolled.get(a), &controls))).collect())
}

fn tenant(
    zone: &LandingZone,
    enrolled: Option<&Account>,
    controls: &HashMap<String, Result<Vec<Control>, FetchError>>,
) -> Result<TenantGovernance, FetchError> {
    let Some(account) = enrolled else {
        return Ok(TenantGovernance::new(Some(zone.clone()), None, Vec::new(), Vec::new()));
    };
    let on_ou = match account.ou.as_ref().and_then(|ou| controls.get(ou)) {
        Some(Err(e)) => return Err(e.clone()),
        Some(Ok(list)) => list.clone(),
        None => Vec::new(),
    };
    let ou = account.ou.as_deref().map(|arn| arn_tail(arn).to_string());
    Ok(TenantGovernance::new(Some(zone.clone()), ou, account.baselines.clone(), on_ou))
}

/// The organization's landing zone (one per organization), None when there is none.
async fn landing_zone(client: &Client) -> Result<Option<LandingZone>, FetchError> {
    let listed = client.list_landing_zones().max_results(1).send().await.map_err(|e| classify(SERVICE, e))?;
    let Some(arn) = listed.landing_zones().iter().find_map(|z| z.arn()) else { return Ok(None) };
    landing_zone_at(client, arn).await
}

/// The landing zone `arn` names (public for the model check of tests/model_unserved.rs).
pub async fn landing_zone_at(client: &Client, arn: &str) -> Result<Option<LandingZone>, FetchError> {
    let got = client.get_landing_zone().landing_zone_identifier(arn).send().await.map_err(|e| classify(SERVICE, e))?;
    Ok(got.landing_zone().map(zone))
}

fn zone(detail: &LandingZoneDetail) -> LandingZone {
    LandingZone {
        version: clean_truncated(detail.version(), 20),
        latest_version: detail.latest_available_version().map(|v| clean_truncated(v, 20)),
        status: detail.status().map(|s| s.as_str().to_string()),
        drift: detail.drift_status().and_then(|d| d.status()).map(|s| s.as_str().to_string()),
    }
}

/// One account's enabled baselines and the OU (its ARN) they are inherited from.
#[derive(Debug, Default)]
struct Account {
    ou: Option<String>,
    baselines: Vec<Enrolment>,
}

/// Every account with an enabled baseline: the children of the OUs' baselines. The API reference
/// (ListEnabledBaselines) says `includeChildren` "can be set to include the child enabled baselines
/// in responses" (default false); a child's `parentIdentifier` is "an ARN that represents an object
/// returned by ListEnabledBaseline" (its OU's enabled baseline), whose target is the OU.
async fn enrolments(client: &Client) -> Result<HashMap<String, Account>, FetchError> {
    let summaries = enabled_baselines(client).await?;
    let targets: HashMap<&str, &str> = summaries.iter().map(|s| (s.arn(), s.target_identifier())).collect();
    let mut accounts: HashMap<String, Account> = HashMap::new();
    for summary in summaries.iter().filter(|s| s.target_identifier().contains(":account/")) {
        let entry = accounts.entry(clean_truncated(arn_tail(summary.target_identifier()), 12)).or_default();
        let parent_target = summary.parent_identifier().and_then(|p| targets.get(p));
        entry.ou = entry.ou.take().or(parent_target.map(|t| t.to_string()));
        entry.baselines.push(enrolment(summary));
    }
    Ok(accounts)
}

fn enrolment(summary: &EnabledBaselineSummary) -> Enrolment {
    let drift = summary.drift_status_summary().and_then(|d| d.types()).and_then(|t| t.inheritance());
    Enrolment {
        baseline: clean_truncated(&baseline_name(summary.baseline_identifier()), 64),
        version: summary.baseline_version().map(|v| clean_truncated(v, 20)),
        status: summary.status_summary().and_then(|s| s.status()).map(|s| s.as_str().to_string()).unwrap_or_default(),
        drift: drift.and_then(|d| d.status()).map(|s| s.as_str().to_string()),
    }
}

/// Every enabled baseline with its children (public for the model check of tests/model_unserved.rs).
pub async fn enabled_baselines(client: &Client) -> Result<Vec<EnabledBaselineSummary>, FetchError> {
    let mut all = Vec::new();
    let (mut token, mut tokens) = (None::<String>, PageTokens::default());
    for _ in 0..MAX_PAGES {
        let page = client
            .list_enabled_baselines()
            .include_children(true)
            .max_results(BASELINE_PAGE)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| classify(SERVICE, e))?;
        all.extend(page.enabled_baselines().iter().cloned());
        token = next_token(SERVICE, &mut tokens, page.next_token())?;
        if token.is_none() {
            return Ok(all);
        }
    }
    Err(runaway("enabled baselines"))
}

fn runaway(what: &str) -> FetchError {
    FetchError::new(SERVICE, ErrorKind::Other, format!("more than {MAX_PAGES} pages of {what}; stopped reading"))
}

/// The controls enabled on the OU `ou` (its ARN; public for the model check of tests/model_unserved.rs).
pub async fn enabled_controls(client: &Client, ou: &str) -> Result<Vec<Control>, FetchError> {
    let mut controls = Vec::new();
    let (mut token, mut tokens) = (None::<String>, PageTokens::default());
    for _ in 0..MAX_PAGES {
        let page = client
            .list_enabled_controls()
            .target_identifier(ou)
            .max_results(CONTROL_PAGE)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| classify(SERVICE, e))?;
        controls.extend(page.enabled_controls().iter().map(control));
        token = next_token(SERVICE, &mut tokens, page.next_token())?;
        if token.is_none() {
            return Ok(controls);
        }
    }
    Err(runaway("enabled controls"))
}

fn control(summary: &EnabledControlSummary) -> Control {
    Control {
        control: clean_truncated(arn_tail(summary.control_identifier().unwrap_or("?")), 128),
        status: summary.status_summary().and_then(|s| s.status()).map(|s| s.as_str().to_string()),
        drift: summary.drift_status_summary().and_then(|d| d.drift_status()).map(|s| s.as_str().to_string()),
    }
}

/// The fleet's GOVERNANCE column (`silo_core::governance::COLUMN`).
pub fn column(
    call: crate::column_call::OrgCall<'_>,
) -> futures::future::BoxFuture<'static, silo_core::source::OrgWide> {
    use silo_core::source::{OrgValue, OrgWide};
    let (sdk, account_id, accounts) = (call.sdk, call.account_id, call.accounts);
    Box::pin(async move {
        match governance(&client(&sdk, &account_id), &accounts).await {
            Ok(found) => {
                let value = |v: Result<TenantGovernance, FetchError>| {
                    v.map(|g| OrgValue::Column(silo_core::column::ColumnValue::new(g)))
                };
                OrgWide::PerAccount(found.into_iter().map(|(account, v)| (account, value(v))).collect())
            }
            Err(e) => OrgWide::Failed(e),
        }
    })
}
