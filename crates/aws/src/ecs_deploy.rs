//! A tenant's deployments from ECS: the service, its service deployments and revisions
//! (ListServiceDeployments, DescribeServiceDeployments, DescribeServiceRevisions), falling back
//! to DescribeServices deployments and the task definition family where those are unavailable.

use super::ecs::family_revision;
use super::errors::classify;
use super::time::to_chrono;
use aws_sdk_ecs::types::{Service, ServiceDeployment, ServiceRevision, SortOrder};
use aws_sdk_ecs::Client;
use silo_core::deploy::{DeployStatus, Deployment, HookWait, Revision};
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::{AwsService, Tenant};
use silo_core::plan::reread::Seen;
use silo_core::sanitize::clean;
use std::collections::HashMap;

const SERVICE: AwsService = AwsService::Ecs;
/// DescribeServiceDeployments and DescribeServiceRevisions take at most 20 ARNs a call.
pub const DESCRIBE_BATCH: usize = 20;
/// History kept: the newest deployments only (of every page of ListServiceDeployments).
pub const HISTORY: usize = 20;
/// ListServiceDeployments `maxResults`: "between 1 and 100" (ECS API reference); 20 when omitted.
const LIST_PAGE: i32 = 100;
/// Family revisions listed in the fallback (each needs a DescribeTaskDefinition for its image).
pub const FAMILY_REVISIONS: i32 = 10;

/// The service as DescribeServices sees it; NotFound when it does not exist.
pub async fn describe_service(client: &Client, cluster: &str, service: &str) -> Result<Service, FetchError> {
    let out = client.describe_services().cluster(cluster).services(service).send().await;
    let out = out.map_err(|e| classify(SERVICE, e))?;
    let live = out.services().iter().find(|s| s.status() != Some("INACTIVE")).cloned();
    live.ok_or_else(|| {
        let message = format!("service {service} not found in cluster {cluster}");
        FetchError::new(SERVICE, ErrorKind::NotFound, message)
    })
}

/// Everything about the tenant's deployments except the pipeline freeze (the caller adds it).
pub async fn status(client: &Client, tenant: &Tenant) -> Result<DeployStatus, FetchError> {
    let service = describe_service(client, &tenant.ecs_cluster, &tenant.ecs_service).await?;
    let mut status = base_status(&service, tenant);
    match service_deployments(client, &status).await {
        Ok((deployments, revisions)) => {
            status.deployments = deployments;
            let known: Vec<u32> = revisions.iter().map(|r| r.number).collect();
            let registered = family_revisions(client, &status.task_definition, &known).await;
            status.revisions = with_registered(revisions, registered, &mut status.notes);
            status.history_source = "service_deployments".into();
        }
        Err(e) => {
            status
                .notes
                .push(format!("ListServiceDeployments unavailable ({}): history from DescribeServices", e.message));
            status.deployments = service.deployments().iter().map(fallback_deployment).collect();
            status.revisions = family_revisions(client, &status.task_definition, &[]).await?;
        }
    }
    fill_images(client, &mut status).await;
    Ok(status)
}

fn base_status(service: &Service, tenant: &Tenant) -> DeployStatus {
    let arn = service.task_definition().unwrap_or_default();
    let hooks = service.deployment_configuration().map(|c| c.lifecycle_hooks()).unwrap_or_default();
    DeployStatus {
        tenant: tenant.name.clone(),
        account_id: tenant.account_id.clone(),
        region: tenant.region.clone(),
        cluster: tenant.ecs_cluster.clone(),
        service: clean(service.service_name().unwrap_or(&tenant.ecs_service)),
        service_arn: clean(service.service_arn().unwrap_or_default()),
        task_definition: family_revision(arn),
        task_definition_arn: clean(arn),
        image: String::new(),
        desired: service.desired_count(),
        running: service.running_count(),
        pending: service.pending_count(),
        deployments: Vec::new(),
        revisions: Vec::new(),
        freeze: None,
        pipeline: None,
        pause_hook: hooks.iter().any(|h| h.target_type().is_some_and(|t| t.as_str() == "PAUSE")),
        history_source: "describe_services".into(),
        notes: Vec::new(),
        service_events: silo_core::service_events::cleaned(
            service.events().iter().map(super::ecs_events::event).collect(),
        ),
    }
}

/// The newest deployments with their revisions, through the service-deployment APIs.
async fn service_deployments(
    client: &Client,
    status: &DeployStatus,
) -> Result<(Vec<Deployment>, Vec<Revision>), FetchError> {
    let arns = list_deployments(client, status).await?;
    let mut found = Vec::new();
    for batch in arns.chunks(DESCRIBE_BATCH) {
        let call = client.describe_service_deployments().set_service_deployment_arns(Some(batch.to_vec()));
        let out = call.send().await.map_err(|e| classify(SERVICE, e))?;
        found.extend(out.service_deployments().iter().cloned());
    }
    found.sort_by_key(|d| std::cmp::Reverse(d.created_at().map(|t| (t.secs(), t.subsec_nanos()))));
    let revision_arns = revision_arns(&found);
    let revisions = describe_revisions(client, &revision_arns).await?;
    let deployments = found.iter().map(|d| deployment(d, &revisions)).collect();
    Ok((deployments, unique_revisions(revisions.into_values().collect())))
}

/// The `HISTORY` newest deployments' ARNs. ListServiceDeployments has no paginator and its
/// API reference promises no order, so every page is read (`maxResults` 100, the most it
/// takes) and the list sorted by `createdAt` before it is cut: "last good" must not be missed.
async fn list_deployments(client: &Client, status: &DeployStatus) -> Result<Vec<String>, FetchError> {
    let mut briefs: Vec<(Option<(i64, u32)>, String)> = Vec::new();
    let mut token: Option<String> = None;
    let mut tokens = super::paging::PageTokens::default();
    loop {
        let call = client.list_service_deployments().cluster(&status.cluster).service(&status.service);
        let call = call.max_results(LIST_PAGE).set_next_token(token.clone());
        let out = call.send().await.map_err(|e| classify(SERVICE, e))?;
        briefs.extend(out.service_deployments().iter().filter_map(|d| {
            let arn = d.service_deployment_arn()?.to_string();
            Some((d.created_at().map(|t| (t.secs(), t.subsec_nanos())), arn))
        }));
        token = super::paging::next_token(SERVICE, &mut tokens, out.next_token())?;
        if token.is_none() {
            break;
        }
    }
    Ok(newest(briefs))
}

/// Newest first by creation time (ties by ARN, unknown times last), cut to `HISTORY`.
fn newest(mut briefs: Vec<(Option<(i64, u32)>, String)>) -> Vec<String> {
    briefs.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    briefs.into_iter().take(HISTORY).map(|(_, arn)| arn).collect()
}

fn revision_arns(deployments: &[ServiceDeployment]) -> Vec<String> {
    let mut arns: Vec<String> = deployments
        .iter()
        .flat_map(|d| d.target_service_revision().into_iter().chain(d.source_service_revisions()))
        .filter_map(|r| r.arn().map(str::to_string))
        .collect();
    arns.sort();
    arns.dedup();
    arns
}

async fn describe_revisions(client: &Client, arns: &[String]) -> Result<HashMap<String, Revision>, FetchError> {
    let mut out = HashMap::new();
    for batch in arns.chunks(DESCRIBE_BATCH) {
        let call = client.describe_service_revisions().set_service_revision_arns(Some(batch.to_vec()));
        let answer = call.send().await.map_err(|e| classify(SERVICE, e))?;
        for r in answer.service_revisions() {
            if let (Some(arn), Some(revision)) = (r.service_revision_arn(), revision_of(r)) {
                out.insert(arn.to_string(), revision);
            }
        }
    }
    Ok(out)
}

fn revision_of(r: &ServiceRevision) -> Option<Revision> {
    let arn = r.task_definition()?;
    let task_definition = family_revision(arn);
    Some(Revision {
        number: silo_core::deploy::revision_number(&task_definition)?,
        task_definition,
        task_definition_arn: clean(arn),
        image: r.container_images().first().and_then(|c| c.image()).map(clean).unwrap_or_default(),
        created_at: r.created_at().and_then(to_chrono),
    })
}

/// The revisions deployments ran, with those registered in the family but never deployed (the
/// next version a tenant can be scheduled to); without those, a note says what is missing.
fn with_registered(
    deployed: Vec<Revision>,
    registered: Result<Vec<Revision>, FetchError>,
    notes: &mut Vec<String>,
) -> Vec<Revision> {
    match registered {
        Ok(registered) => unique_revisions(deployed.into_iter().chain(registered).collect()),
        Err(e) => {
            notes.push(format!("registered revisions not read ({}): only deployed ones are known", e.message));
            deployed
        }
    }
}

/// One entry per task definition revision, newest revision first.
fn unique_revisions(mut revisions: Vec<Revision>) -> Vec<Revision> {
    revisions.sort_by(|a, b| b.number.cmp(&a.number).then(b.created_at.cmp(&a.created_at)));
    revisions.dedup_by_key(|r| r.number);
    revisions
}

fn deployment(d: &ServiceDeployment, revisions: &HashMap<String, Revision>) -> Deployment {
    let target = d.target_service_revision();
    let revision = target.and_then(|t| t.arn()).and_then(|a| revisions.get(a));
    Deployment {
        id: clean(d.service_deployment_arn().unwrap_or_default()),
        status: d.status().map(|s| clean(s.as_str())).unwrap_or_default(),
        status_reason: d.status_reason().map(clean),
        rollout_state: None,
        lifecycle_stage: d.lifecycle_stage().map(|s| clean(s.as_str())),
        started_at: d.started_at().or(d.created_at()).and_then(to_chrono),
        finished_at: d.finished_at().or(d.stopped_at()).and_then(to_chrono),
        task_definition: revision.map(|r| r.task_definition.clone()),
        image: revision.map(|r| r.image.clone()),
        running: target.map(|t| t.running_task_count()).unwrap_or_default(),
        requested: target.map(|t| t.requested_task_count()).unwrap_or_default(),
        circuit_breaker: d.deployment_circuit_breaker().and_then(|c| {
            c.status().map(|s| format!("{} ({}/{} failures)", clean(s.as_str()), c.failure_count(), c.threshold()))
        }),
        alarms: d.alarms().and_then(|a| {
            let triggered = a.triggered_alarm_names().join(", ");
            a.status().map(|s| {
                if triggered.is_empty() {
                    clean(s.as_str())
                } else {
                    format!("{}: {}", clean(s.as_str()), clean(&triggered))
                }
            })
        }),
        hook: waiting_hook(d.lifecycle_hook_details()),
    }
}

/// The hook to continue: the one `AWAITING_ACTION` (ContinueServiceDeployment takes only that
/// one), else the first with an id, to show.
fn waiting_hook(hooks: &[aws_sdk_ecs::types::DeploymentLifecycleHookDetail]) -> Option<HookWait> {
    use aws_sdk_ecs::types::DeploymentLifecycleHookStatus;
    let awaiting = hooks.iter().filter(|h| h.status() == Some(&DeploymentLifecycleHookStatus::AwaitingAction));
    awaiting.chain(hooks.iter()).find_map(hook_wait)
}

fn hook_wait(h: &aws_sdk_ecs::types::DeploymentLifecycleHookDetail) -> Option<HookWait> {
    Some(HookWait {
        hook_id: clean(h.hook_id()?),
        target_type: h.target_type().map(|t| clean(t.as_str())).unwrap_or_default(),
        status: h.status().map(|s| clean(s.as_str())).unwrap_or_default(),
        expires_at: h.expires_at().and_then(to_chrono),
        timeout_action: h.timeout_action().map(|a| clean(a.as_str())),
    })
}

/// A DescribeServices deployment (PRIMARY/ACTIVE with a rollout state) for the fallback.
fn fallback_deployment(d: &aws_sdk_ecs::types::Deployment) -> Deployment {
    Deployment {
        id: clean(d.id().unwrap_or_default()),
        status: clean(d.status().unwrap_or_default()),
        status_reason: d.rollout_state_reason().map(clean),
        rollout_state: d.rollout_state().map(|r| clean(r.as_str())),
        lifecycle_stage: None,
        started_at: d.created_at().and_then(to_chrono),
        finished_at: None,
        task_definition: d.task_definition().map(family_revision),
        image: None,
        running: d.running_count(),
        requested: d.desired_count(),
        circuit_breaker: None,
        alarms: None,
        hook: None,
    }
}

/// The newest revisions of the service's task definition family (ListTaskDefinitions), each
/// described for its image and date, except those in `known` (already read with the history).
async fn family_revisions(client: &Client, current: &str, known: &[u32]) -> Result<Vec<Revision>, FetchError> {
    let family = current.rsplit_once(':').map(|(f, _)| f).unwrap_or(current);
    let call = client.list_task_definitions().family_prefix(family).sort(SortOrder::Desc);
    let out = call.max_results(100).send().await.map_err(|e| classify(SERVICE, e))?;
    // familyPrefix also matches longer family names: keep this family only.
    let mut numbers: Vec<(u32, String)> = out
        .task_definition_arns()
        .iter()
        .filter(|arn| family_revision(arn).rsplit_once(':').map(|(f, _)| f) == Some(family))
        .filter_map(|arn| silo_core::deploy::revision_number(arn).map(|n| (n, arn.clone())))
        .collect();
    numbers.sort_by_key(|n| std::cmp::Reverse(n.0));
    numbers.truncate(FAMILY_REVISIONS as usize);
    let mut revisions = Vec::new();
    for (_, arn) in numbers.into_iter().filter(|(n, _)| !known.contains(n)) {
        revisions.push(task_definition(client, &arn).await?);
    }
    Ok(revisions)
}

async fn task_definition(client: &Client, arn: &str) -> Result<Revision, FetchError> {
    let out = client.describe_task_definition().task_definition(arn).send().await.map_err(|e| classify(SERVICE, e))?;
    let td = out.task_definition();
    let image = td.and_then(super::ecs::essential_image);
    let task_definition = family_revision(arn);
    Ok(Revision {
        number: silo_core::deploy::revision_number(&task_definition).unwrap_or_default(),
        task_definition,
        task_definition_arn: clean(td.and_then(|t| t.task_definition_arn()).unwrap_or(arn)),
        image: image.unwrap_or_default(),
        created_at: td.and_then(|t| t.registered_at()).and_then(to_chrono),
    })
}

/// The image of the current revision (and of fallback deployments), from the revisions known or
/// one DescribeTaskDefinition.
async fn fill_images(client: &Client, status: &mut DeployStatus) {
    let by_number: HashMap<u32, String> = status.revisions.iter().map(|r| (r.number, r.image.clone())).collect();
    let image_of = |td: &str| silo_core::deploy::revision_number(td).and_then(|n| by_number.get(&n).cloned());
    for d in status.deployments.iter_mut().filter(|d| d.image.is_none()) {
        d.image = d.task_definition.as_deref().and_then(image_of);
    }
    status.image = match image_of(&status.task_definition) {
        Some(image) => image,
        None => match task_definition(client, &status.task_definition_arn).await {
            Ok(r) => r.image,
            Err(e) => {
                status.notes.push(format!("image unknown: {}", e.message));
                String::new()
            }
        },
    };
}

/// After a failed write to a deployment: its status and the status of hook `hook_id`.
pub(crate) async fn seen_deployment(client: &Client, arn: &str, hook_id: Option<&str>) -> Result<Seen, FetchError> {
    let out = client.describe_service_deployments().service_deployment_arns(arn).send().await;
    let out = out.map_err(|e| classify(SERVICE, e))?;
    let Some(found) = out.service_deployments().first() else {
        return Err(FetchError::new(SERVICE, ErrorKind::NotFound, format!("service deployment {arn} not found")));
    };
    let hook = found.lifecycle_hook_details().iter().find(|h| h.hook_id().is_some() && h.hook_id() == hook_id);
    Ok(Seen::Deployment {
        status: found.status().map(|s| clean(s.as_str())).unwrap_or_default(),
        hook_status: hook.and_then(|h| h.status()).map(|s| clean(s.as_str())),
    })
}

/// After a failed UpdateService: the task definition the service runs now.
pub(crate) async fn seen_service(client: &Client, cluster: &str, service: &str) -> Result<Seen, FetchError> {
    let found = describe_service(client, cluster, service).await?;
    Ok(Seen::Service { task_definition: family_revision(found.task_definition().unwrap_or_default()) })
}

/// The result of a write: its request id.
pub type RequestId = Option<String>;

pub(crate) async fn stop_rollback(client: &Client, deployment_arn: &str) -> Result<RequestId, FetchError> {
    use aws_sdk_ecs::types::StopServiceDeploymentStopType;
    use aws_types::request_id::RequestId as _;
    let call = client.stop_service_deployment().service_deployment_arn(deployment_arn);
    let out = call.stop_type(StopServiceDeploymentStopType::Rollback).send().await;
    Ok(out.map_err(|e| classify(SERVICE, e))?.request_id().map(str::to_string))
}

pub(crate) async fn continue_hook(
    client: &Client,
    deployment_arn: &str,
    hook_id: &str,
    action: &str,
) -> Result<RequestId, FetchError> {
    use aws_sdk_ecs::types::DeploymentLifecycleHookAction;
    use aws_types::request_id::RequestId as _;
    let call = client.continue_service_deployment().service_deployment_arn(deployment_arn).hook_id(hook_id);
    let out = call.action(DeploymentLifecycleHookAction::from(action)).send().await;
    Ok(out.map_err(|e| classify(SERVICE, e))?.request_id().map(str::to_string))
}

/// UpdateService to `to`, after checking right before the call that the service still runs
/// `from` and that no deployment is in flight (the plan was made on what was seen then).
pub(crate) async fn update_to(
    client: &Client,
    (cluster, service_name): (&str, &str),
    from: &str,
    to: &str,
) -> Result<RequestId, FetchError> {
    use aws_types::request_id::RequestId as _;
    let service = describe_service(client, cluster, service_name).await?;
    let now = family_revision(service.task_definition().unwrap_or_default());
    if now != family_revision(from) {
        let message = format!("refused: the service now runs {now}, not {from} as planned; look again and re-plan");
        return Err(FetchError::new(SERVICE, ErrorKind::Other, message));
    }
    // More than one deployment on the service means one is still replacing the other.
    let busy = service.deployments().iter().map(fallback_deployment).find(Deployment::in_flight);
    let busy =
        busy.or_else(|| (service.deployments().len() > 1).then(|| fallback_deployment(&service.deployments()[0])));
    if let Some(d) = busy {
        let message = format!("refused: deployment {} is in flight; roll it back or wait for it to end", d.id);
        return Err(FetchError::new(SERVICE, ErrorKind::Other, message));
    }
    let call = client.update_service().cluster(cluster).service(service_name);
    let out = call.task_definition(to).send().await;
    Ok(out.map_err(|e| classify(SERVICE, e))?.request_id().map(str::to_string))
}
