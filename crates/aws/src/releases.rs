//! `[releases]`: the registry's images and the runs of its pipelines, read with the releases
//! role in the registry's account (the pipelines live beside the registry), and Inspector's
//! enhanced scans of its images when `[releases] inspector` is on.

use super::{codepipeline, ecr, inspector, pipeline_runs};
use aws_config::SdkConfig;
use silo_core::config::ReleasesConfig;
use silo_core::error::FetchError;
use silo_core::releases::Releases;

/// Everything `:releases` and `silo releases` show of the chain's start.
pub async fn read(sdk: &SdkConfig, config: &ReleasesConfig, region: &str) -> Result<Releases, FetchError> {
    let account = &config.access.account_id;
    let mut images = ecr::images(&ecr::client(sdk, account), account, &config.repository).await?;
    // Inspector failing leaves ECR's basic scans, said on the screen: the builds and the
    // versions are still worth showing.
    let mut inspector_error = None;
    if config.inspector {
        match inspector::scans(&inspector::client(sdk, account), account, &config.repository).await {
            Ok(scans) => silo_core::releases::prefer_inspector(&mut images, &scans),
            Err(e) => inspector_error = Some(e.to_string()),
        }
    }
    let client = codepipeline::client(sdk, account);
    let mut builds = Vec::new();
    for pipeline in &config.pipelines {
        builds.extend(pipeline_runs::builds(&client, pipeline).await?);
    }
    silo_core::releases::newest_first(&mut builds);
    Ok(Releases {
        registry: account.clone(),
        region: region.to_string(),
        repository: config.repository.clone(),
        images,
        builds,
        inspector_error,
    })
}
