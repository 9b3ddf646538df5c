//! ECS service events of a tenant's service: DescribeServices `events[]` (the same call as the
//! service read, with the read role), newest first, for the tenant card.

use super::ecs::client;
use super::errors::classify;
use super::time::to_chrono;
use aws_config::SdkConfig;
use futures::future::BoxFuture;
use futures::FutureExt;
use silo_core::detail::DetailValue;
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::{AwsService, Tenant};
use silo_core::service_events::{ServiceEvent, ServiceEvents};

/// The detail reader registered in `lib.rs`.
pub fn read(sdk: SdkConfig, tenant: Tenant) -> BoxFuture<'static, Result<DetailValue, FetchError>> {
    async move { events(&client(&sdk, &tenant.account_id), &tenant).await.map(DetailValue::new) }.boxed()
}

pub async fn events(client: &aws_sdk_ecs::Client, tenant: &Tenant) -> Result<ServiceEvents, FetchError> {
    let out =
        client.describe_services().cluster(&tenant.ecs_cluster).services(&tenant.ecs_service).send().await.map_err(
            |e| match classify(AwsService::Ecs, e) {
                // No cluster: said like a missing service, naming both.
                err if err.kind == ErrorKind::NotFound => not_found(tenant),
                err => err,
            },
        )?;
    let Some(service) = out.services().iter().find(|s| s.status() != Some("INACTIVE")) else {
        return Err(not_found(tenant));
    };
    Ok(ServiceEvents::new(service.events().iter().map(event).collect()))
}

/// One DescribeServices event, as AWS sent it (sanitized by `ServiceEvents`/`cleaned`).
pub(crate) fn event(e: &aws_sdk_ecs::types::ServiceEvent) -> ServiceEvent {
    ServiceEvent { at: e.created_at().and_then(to_chrono), message: e.message().unwrap_or("").into() }
}

fn not_found(tenant: &Tenant) -> FetchError {
    let message = format!("ECS service {} not found in cluster {}", tenant.ecs_service, tenant.ecs_cluster);
    FetchError::new(AwsService::Ecs, ErrorKind::NotFound, message)
}
