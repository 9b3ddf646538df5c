//! ECS with the read role: the service, its deployments and revisions, the family's task
//! definitions; with the operator role, the service (what every action reads first).

use super::{Probe, ABSENT};
use crate::errors::classify;
use aws_sdk_ecs::Client;
use silo_core::model::{AwsService, Tenant};

const SERVICE: AwsService = AwsService::Ecs;

pub async fn read(client: &Client, tenant: &Tenant) -> Vec<Probe> {
    let (cluster, service) = (&tenant.ecs_cluster, &tenant.ecs_service);
    let described = client.describe_services().cluster(cluster).services(service).send().await;
    let described = described.map_err(|e| classify(SERVICE, e));
    let task_definition =
        described.as_ref().ok().and_then(|o| o.services().first()?.task_definition().map(String::from));
    let mut probes = vec![Probe::of("ecs:DescribeServices", described, |o| match o.services().first() {
        Some(found) => format!("{cluster}/{service} runs {}", found.task_definition().unwrap_or("?")),
        None if o.failures().is_empty() => format!("{cluster}/{service} not found"),
        None => format!("{cluster}/{service}: {}", o.failures()[0].reason().unwrap_or("missing")),
    })];
    let listed = client.list_service_deployments().cluster(cluster).service(service).max_results(1).send().await;
    let listed = listed.map_err(|e| classify(SERVICE, e));
    let deployment =
        listed.as_ref().ok().and_then(|o| o.service_deployments().first()?.service_deployment_arn().map(String::from));
    probes.push(
        Probe::of("ecs:ListServiceDeployments", listed, |o| {
            format!("{} deployment(s) listed", o.service_deployments().len())
        })
        .allowed_if_absent("no such service"),
    );
    let arn =
        |kind: &str| format!("arn:aws:ecs:{}:{}:{kind}/{cluster}/{service}/{ABSENT}", tenant.region, tenant.account_id);
    let asked = deployment.unwrap_or_else(|| arn("service-deployment"));
    let found = client.describe_service_deployments().service_deployment_arns(asked).send().await;
    probes.push(Probe::of("ecs:DescribeServiceDeployments", found.map_err(|e| classify(SERVICE, e)), |o| {
        format!("{} described", o.service_deployments().len())
    }));
    let revisions = client.describe_service_revisions().service_revision_arns(arn("service-revision")).send().await;
    probes.push(Probe::of("ecs:DescribeServiceRevisions", revisions.map_err(|e| classify(SERVICE, e)), |_| {
        "answered".into()
    }));
    let families = client.list_task_definitions().max_results(1).send().await;
    probes.push(Probe::of("ecs:ListTaskDefinitions", families.map_err(|e| classify(SERVICE, e)), |o| {
        format!("{} listed", o.task_definition_arns().len())
    }));
    if let Some(td) = task_definition {
        let described = client.describe_task_definition().task_definition(&td).send().await;
        probes
            .push(Probe::of("ecs:DescribeTaskDefinition", described.map_err(|e| classify(SERVICE, e)), |_| td.clone()));
    }
    probes
}

/// The operator role reads the service before it changes it.
pub async fn operator(client: &Client, tenant: &Tenant) -> Vec<Probe> {
    let described = client.describe_services().cluster(&tenant.ecs_cluster).services(&tenant.ecs_service).send().await;
    vec![Probe::of("ecs:DescribeServices", described.map_err(|e| classify(SERVICE, e)), |o| {
        format!("{} service(s) described", o.services().len())
    })]
}
