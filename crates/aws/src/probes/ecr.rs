//! ECR (the registry's account, the releases role): the repository's images, as `:releases`
//! reads them (one image of one page).

use super::Probe;
use crate::errors::classify;
use aws_sdk_ecr::Client;
use silo_core::model::AwsService;

pub async fn read(client: &Client, registry: &str, repository: &str) -> Vec<Probe> {
    let images = client.describe_images().registry_id(registry).repository_name(repository).max_results(1).send().await;
    vec![Probe::of("ecr:DescribeImages", images.map_err(|e| classify(AwsService::Ecr, e)), |o| {
        format!("{} image(s) on the first page", o.image_details().len())
    })
    .not_enabled_if_absent(&format!("no repository {repository:?} in {registry}"))]
}
