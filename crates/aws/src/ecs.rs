//! The tenant's ECS service: desired/running/pending tasks, task definition and rollout state.

use super::errors::classify;
use aws_sdk_ecs::types::Service;
use aws_sdk_ecs::Client;
use silo_core::error::FetchError;
use silo_core::model::{AwsService, Rollout, ServiceSummary, Tenant};

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let conf = aws_sdk_ecs::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!("ecs-{account_id}")))
        .build();
    Client::from_conf(conf)
}

/// The tenant's service, or None when the cluster or the service does not exist.
pub async fn service(client: &Client, tenant: &Tenant) -> Result<Option<ServiceSummary>, FetchError> {
    let out = client.describe_services().cluster(&tenant.ecs_cluster).services(&tenant.ecs_service).send().await;
    let out = match out {
        Ok(out) => out,
        Err(e) => {
            let err = classify(AwsService::Ecs, e);
            return if err.kind == silo_core::error::ErrorKind::NotFound { Ok(None) } else { Err(err) };
        }
    };
    let live = out.services().iter().find(|s| s.status() != Some("INACTIVE"));
    Ok(live.map(|s| summarize(s, tenant)))
}

fn summarize(service: &Service, tenant: &Tenant) -> ServiceSummary {
    let primary = service.deployments().iter().find(|d| d.status() == Some("PRIMARY"));
    let rollout =
        primary.and_then(|d| d.rollout_state()).map(|r| Rollout::parse(r.as_str())).unwrap_or(Rollout::Unknown);
    let task_definition = service.task_definition().or_else(|| primary.and_then(|d| d.task_definition()));
    ServiceSummary {
        cluster: tenant.ecs_cluster.clone(),
        name: silo_core::sanitize::clean(service.service_name().unwrap_or(&tenant.ecs_service)),
        desired: service.desired_count(),
        running: service.running_count(),
        pending: service.pending_count(),
        task_definition: task_definition.map(family_revision).unwrap_or_default(),
        rollout,
        image: None,
        version: None,
    }
}

/// The image of a task definition's essential container (ECS treats a container without the
/// flag as essential); the first container when none is.
pub fn essential_image(td: &aws_sdk_ecs::types::TaskDefinition) -> Option<String> {
    let containers = td.container_definitions();
    let essential = containers.iter().find(|c| c.essential().unwrap_or(true)).or(containers.first());
    essential.and_then(|c| c.image()).map(silo_core::sanitize::clean)
}

/// The essential image of `family:revision` in the tenant's account.
pub async fn image_of(client: &Client, task_definition: &str) -> Result<Option<String>, FetchError> {
    let out = client
        .describe_task_definition()
        .task_definition(task_definition)
        .send()
        .await
        .map_err(|e| classify(AwsService::Ecs, e))?;
    Ok(out.task_definition().and_then(essential_image))
}

/// `arn:aws:ecs:region:acct:task-definition/app:42` → `app:42`.
pub use silo_core::deploy::family_revision;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_revision_from_arn_or_plain() {
        assert_eq!(family_revision("arn:aws:ecs:sa-east-1:111122223333:task-definition/app:42"), "app:42");
        assert_eq!(family_revision("app:7"), "app:7");
    }
}
