//! The release chain's start read with the SDK from moto: a registry account with the
//! repository's images (pushed by tag, one image carrying two tags) and the pipeline that built
//! them (runs started with the `IMAGE_TAG` variable, as a V2 pipeline's build stage would get it).
//! silo reads the images and the runs inside the registry account, and links each run to
//! the image it pushed. moto runs no action (its runs succeed at once), so the failed run's
//! ListActionExecutions is asserted in crates/aws/src/mock_tests/releases.rs.

mod support;

use aws_sdk_codepipeline::types::{
    ActionCategory, ActionDeclaration, ActionOwner, ActionTypeId, ArtifactStore, ArtifactStoreType,
    PipelineDeclaration, PipelineVariable, StageDeclaration,
};
use silo_core::config::{AccountRole, ReleasesConfig};
use support::{scheduler_bed, seed};

const REPOSITORY: &str = "opsfactor/app";
const PIPELINE: &str = "opsfactor-app";

/// A manifest as `docker push` sends it (moto keys images by it: same manifest, more tags).
fn manifest(layer: &str) -> String {
    serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 7023, "digest": format!("sha256:{}", "c".repeat(64))},
        "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 32654, "digest": format!("sha256:{}", layer.repeat(64))}]
    })
    .to_string()
}

async fn push(ecr: &aws_sdk_ecr::Client, layer: &str, tag: &str) {
    ecr.put_image()
        .repository_name(REPOSITORY)
        .image_manifest(manifest(layer))
        .image_tag(tag)
        .send()
        .await
        .expect("push");
}

fn action(name: &str, category: ActionCategory, provider: &str) -> ActionDeclaration {
    let kind = ActionTypeId::builder().category(category).owner(ActionOwner::Aws).provider(provider).version("1");
    ActionDeclaration::builder().name(name).action_type_id(kind.build().expect("type")).build().expect("action")
}

fn stage(name: &str, action: ActionDeclaration) -> StageDeclaration {
    StageDeclaration::builder().name(name).actions(action).build().expect("stage")
}

/// The pipeline CodePipeline runs with its own role (trusting codepipeline.amazonaws.com).
async fn pipeline(sdk: &aws_config::SdkConfig, account: &str) -> aws_sdk_codepipeline::Client {
    let client = aws_sdk_codepipeline::Client::new(sdk);
    let store = ArtifactStore::builder().r#type(ArtifactStoreType::S3).location("opsfactor-artifacts").build();
    let declaration = PipelineDeclaration::builder()
        .name(PIPELINE)
        .role_arn(format!("arn:aws:iam::{account}:role/CodePipelineRole"))
        .artifact_store(store.expect("store"))
        .stages(stage("Source", action("Source", ActionCategory::Source, "CodeCommit")))
        .stages(stage("Build", action("BuildImage", ActionCategory::Build, "CodeBuild")))
        .build()
        .expect("pipeline");
    client.create_pipeline().pipeline(declaration).send().await.expect("create pipeline");
    client
}

async fn run(client: &aws_sdk_codepipeline::Client, tag: &str) {
    let variable = PipelineVariable::builder().name("IMAGE_TAG").value(tag).build().expect("variable");
    client.start_pipeline_execution().name(PIPELINE).variables(variable).send().await.expect("start");
}

fn codepipeline_trust() -> tempfile::NamedTempFile {
    let trust = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "codepipeline.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), trust.to_string()).expect("write");
    file
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_version_is_read_with_the_run_that_pushed_it() {
    let org = seed::organization().await;
    let registry = org.account("registry", &org.root_id, None).await;
    let credentials = org.inside_credentials(&registry).await;
    let inside = org.inside(&registry).await;
    let trust = codepipeline_trust();
    let policy = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/iam/silo-releases.json");
    scheduler_bed::install_role(&credentials, "CodePipelineRole", trust.path().to_str().expect("utf-8"), policy);
    let ecr = aws_sdk_ecr::Client::new(&inside);
    ecr.create_repository().repository_name(REPOSITORY).send().await.expect("repository");
    let pipelines = pipeline(&inside, &registry).await;
    for (layer, tag) in [("a", "1.4.2"), ("b", "1.5.0")] {
        run(&pipelines, tag).await;
        push(&ecr, layer, tag).await;
    }
    push(&ecr, "b", "latest").await;
    run(&pipelines, "1.5.1").await;

    let access = AccountRole {
        account_id: registry.clone(),
        role: None,
        region: Some("us-east-1".into()),
        operator_role: None,
        findings_api: Default::default(),
        detective: false,
        full_read: silo_core::config::DEFAULT_FULL_READ,
        findings_per_tenant: silo_core::findings::DEFAULT_PER_ACCOUNT,
    };
    let config = ReleasesConfig {
        access,
        repository: REPOSITORY.into(),
        pipelines: vec![PIPELINE.into()],
        critical_threshold: 1,
        inspector: false,
        stale_scan_days: 30,
    };
    let releases = silo_aws::releases::read(&inside, &config, "us-east-1").await.expect("releases read");

    let mut tags: Vec<Vec<String>> = releases.images.iter().map(|i| i.tags.clone()).collect();
    tags.sort();
    assert_eq!(tags, [vec!["1.4.2".to_string()], vec!["1.5.0".to_string(), "latest".to_string()]]);
    assert!(releases.images.iter().all(|i| i.digest.starts_with("sha256:") && i.pushed_at.is_some()));
    assert_eq!(releases.builds.len(), 3, "every run of the pipeline");
    let store = silo_core::store::Store::default();
    let clock = silo_core::rollouts::releases::ScanClock { now: chrono::Utc::now(), stale_scan_days: 30 };
    let rows = silo_core::rollouts::releases::rows(&releases, &store, clock);
    let built: Vec<(&str, Option<&str>)> =
        rows.iter().map(|r| (r.version.as_str(), r.build.as_ref().map(|b| b.status.as_str()))).collect();
    assert!(
        built.contains(&("1.5.0", Some("Succeeded"))) && built.contains(&("1.4.2", Some("Succeeded"))),
        "{built:?}"
    );
    let orphan = rows.iter().find(|r| r.version == "1.5.1").expect("the run that pushed no image");
    assert!(orphan.digest.is_none(), "1.5.1 was run but never pushed");
}
