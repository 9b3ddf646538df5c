//! `silo deploy` against a tenant account seeded in moto. moto has DescribeServices,
//! ListTaskDefinitions and UpdateService (it stores the given `family:revision`) but no service
//! deployments, so silo reads the fallback history here; the newer APIs, Stop/Continue and the
//! CodePipeline freeze are covered in crates/aws/src/mock_tests/deployments.rs.

mod support;

use aws_sdk_ecs::types::ContainerDefinition;
use serde_json::Value;
use support::seed;

struct Seeded {
    org: seed::Org,
    alpha: String,
    home: tempfile::TempDir,
    config: String,
}

/// Tenant alpha runs app:3 (image example/app:3.0.0); app:1 and app:2 exist before it.
async fn seeded(extra_tenants_keys: &str) -> Seeded {
    let org = seed::organization().await;
    let alpha = org.account("alpha-prod", &org.tenants_ou, Some("alpha")).await;
    let inside = org.inside(&alpha).await;
    seed::ecs_service(&inside, "alpha", 2).await;
    let ecs = aws_sdk_ecs::Client::new(&inside);
    for version in ["2.0.0", "3.0.0"] {
        let container =
            ContainerDefinition::builder().name("app").image(format!("example/app:{version}")).memory(512).build();
        ecs.register_task_definition().family("app").container_definitions(container).send().await.expect("task def");
    }
    ecs.update_service().cluster("alpha").service("app").task_definition("app:3").send().await.expect("update");
    let home = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"Tenants\"\n{extra_tenants_keys}[fetch]\nmax_attempts = 1\n"
    );
    let config = support::write_config(home.path(), &text).to_str().expect("utf-8 path").to_string();
    Seeded { org, alpha, home, config }
}

impl Seeded {
    fn silo(&self, args: &[&str]) -> std::process::Output {
        let mut all = args.to_vec();
        all.extend(["--config", self.config.as_str()]);
        support::run_silo(&all, &self.org.management, self.home.path())
    }

    /// The service's task definition, read back from moto with the tenant's own role.
    async fn running(&self) -> String {
        let ecs = aws_sdk_ecs::Client::new(&self.org.inside(&self.alpha).await);
        let out = ecs.describe_services().cluster("alpha").services("app").send().await.expect("describe");
        out.services()[0].task_definition().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_string()
    }

    fn journal(&self) -> Vec<Value> {
        let path = self.home.path().join("state/silo/audit.jsonl");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        text.lines().map(|l| serde_json::from_str(l).expect("journal line")).collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_reads_the_service_its_revisions_and_images() {
    let s = seeded("").await;
    let out = s.silo(&["deploy", "status", "--tenant", "alpha", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let status: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(status["tenant"], "alpha");
    assert_eq!(status["account_id"], s.alpha.as_str());
    assert_eq!((status["cluster"].as_str(), status["service"].as_str()), (Some("alpha"), Some("app")));
    assert_eq!(status["task_definition"], "app:3");
    assert_eq!(status["image"], "example/app:3.0.0");
    assert_eq!((status["desired"].as_i64(), status["running"].as_i64()), (Some(2), Some(2)));
    assert_eq!((status["paused"].as_bool(), status["frozen"].as_bool()), (Some(false), Some(false)));
    assert_eq!(status["history_source"], "describe_services", "moto has no ListServiceDeployments");
    let revisions: Vec<(&str, &str)> = status["revisions"]
        .as_array()
        .expect("revisions")
        .iter()
        .map(|r| (r["task_definition"].as_str().unwrap(), r["image"].as_str().unwrap()))
        .collect();
    assert_eq!(
        revisions,
        vec![("app:3", "example/app:3.0.0"), ("app:2", "example/app:2.0.0"), ("app:1", "example/app:1.4.2")]
    );
    assert!(status["deployments"].as_array().is_some_and(|d| !d.is_empty()));

    let all = s.silo(&["deploy", "status", "--format", "csv"]);
    let csv = String::from_utf8_lossy(&all.stdout);
    assert!(
        csv.lines().any(|l| l.starts_with(&format!("alpha,{},stable,app:3,example/app:3.0.0,2,2,", s.alpha))),
        "{csv}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rollback_to_a_chosen_revision_changes_the_service_only_when_confirmed() {
    let s = seeded("").await;
    let rollback = ["deploy", "rollback", "--tenant", "alpha", "--to-revision", "2"];

    let no_tty = s.silo(&rollback);
    assert_eq!(no_tty.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_tty.stderr).contains("refused: no terminal to confirm on; pass --yes"));
    let plan = String::from_utf8_lossy(&no_tty.stdout);
    assert!(
        plan.contains("API:        ecs:UpdateService") && plan.contains("from:       app:3 (image 3.0.0)"),
        "{plan}"
    );
    assert!(
        plan.contains(&format!("\"taskDefinition\": \"arn:aws:ecs:us-east-1:{}:task-definition/app:2\"", s.alpha)),
        "{plan}"
    );
    assert_eq!(s.running().await, "app:3", "unchanged without --yes");

    let mut read_only = rollback.to_vec();
    read_only.extend(["--yes", "--read-only"]);
    let refused = s.silo(&read_only);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("refused: silo runs read-only"));
    assert_eq!(s.running().await, "app:3", "unchanged in read-only mode");

    let mut dry = rollback.to_vec();
    dry.push("--dry-run");
    assert!(s.silo(&dry).status.success());
    assert_eq!(s.running().await, "app:3", "unchanged by a dry run");

    let mut yes = rollback.to_vec();
    yes.push("--yes");
    let done = s.silo(&yes);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert_eq!(s.running().await, "app:2", "moto stores the revision silo asked for");
    let stdout = String::from_utf8_lossy(&done.stdout);
    assert!(stdout.contains("alpha: ecs:UpdateService done"), "{stdout}");
    assert!(stdout.contains("running app:2 (example/app:2.0.0)"), "followed to its end: {stdout}");

    let journal = s.journal();
    let modes: Vec<(&str, &str)> =
        journal.iter().map(|l| (l["mode"].as_str().unwrap(), l["result"].as_str().unwrap())).collect();
    assert_eq!(modes[0].0, "refused");
    assert!(modes[0].1.starts_with("not confirmed: no terminal"), "{modes:?}");
    assert_eq!(modes[1], ("refused", "read-only"));
    assert_eq!(modes[2], ("dry-run", "not executed"));
    assert_eq!(modes[3], ("confirmed", "started"));
    assert_eq!(modes[4], ("confirmed", "ok: 1 updated"));
    let last = &journal[4];
    assert_eq!(last["api"], "ecs:UpdateService");
    assert_eq!(last["tenants"], serde_json::json!(["alpha"]));
    assert_eq!((last["account"].as_str(), last["region"].as_str()), (Some(s.alpha.as_str()), Some("us-east-1")));
    assert_eq!(last["parameters"]["cluster"], "alpha");
    assert!(last["identity"].as_str().unwrap().contains(&s.org.management_id));
    assert_eq!(last["request_ids"].as_array().map(Vec::len), Some(1), "the AWS request id");
    let raw = std::fs::read_to_string(s.home.path().join("state/silo/audit.jsonl")).unwrap();
    assert!(!raw.contains(s.org.management.secret_access_key()), "no credentials in the journal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_marked_read_only_in_the_config_is_refused_and_unchanged() {
    let s = seeded("read_only = [\"alpha\"]\n").await;
    let out = s.silo(&["deploy", "rollback", "--tenant", "alpha", "--to-revision", "1", "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tenant alpha is read-only in the config"));
    assert_eq!(s.running().await, "app:3");
    assert_eq!(s.journal()[0]["result"], "read-only tenant");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_are_refused_before_anything_is_sent() {
    let s = seeded("").await;
    let same = s.silo(&["deploy", "rollback", "--tenant", "alpha", "--to-revision", "3", "--yes"]);
    assert_eq!(same.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&same.stderr).contains("alpha already runs app:3"));
    let unknown = s.silo(&["deploy", "rollback", "--tenant", "alpha", "--to-revision", "9", "--yes"]);
    assert!(String::from_utf8_lossy(&unknown.stderr)
        .contains("revision 9 is not one alpha can go back to; known revisions: 3, 2, 1"));
    let typo = s.silo(&["deploy", "status", "--tenant", "alpa"]);
    assert!(String::from_utf8_lossy(&typo.stderr).contains("unknown tenant \"alpa\"; did you mean alpha?"));
    let pause = s.silo(&["deploy", "pause", "--tenant", "alpha", "--reason", "x", "--yes"]);
    assert_eq!(pause.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&pause.stderr)
        .contains("cannot pause alpha: its ECS service has no PAUSE lifecycle hook"));
    assert_eq!(s.running().await, "app:3");
    assert!(s.journal().is_empty(), "nothing planned, nothing journaled");
}

/// A `{tenant}` pipeline pattern in one pipeline account, and a second account tagged with the
/// same name: both would freeze `alpha-release`, so neither is offered the freeze, and the
/// status and the pause refusal say why. Each account is still chosen by its id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pipeline_two_accounts_render_alike_is_offered_to_neither() {
    let pipelines = "pipeline = \"{tenant}-release\"\npipeline_stage = \"Prod\"\npipeline_account = \"123456789012\"\n";
    let s = seeded(pipelines).await;
    let twin = s.org.account("alpha-eu", &s.org.tenants_ou, Some("alpha")).await;
    seed::ecs_service(&s.org.inside(&twin).await, "alpha", 1).await;
    let out = s.silo(&["deploy", "status", "--tenant", &s.alpha, "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let status: Value = serde_json::from_slice(&out.stdout).expect("status JSON");
    assert_eq!(status["pipeline"], Value::Null, "{status:#}");
    let why = format!("pipeline alpha-release in 123456789012 is also alpha's ({twin})");
    let notes = status["notes"].as_array().cloned().unwrap_or_default();
    assert!(notes.iter().any(|n| n.as_str().is_some_and(|n| n.starts_with(&why))), "{notes:?}");
    let pause = s.silo(&["deploy", "pause", "--tenant", &s.alpha, "--reason", "x", "--yes"]);
    assert_eq!(pause.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&pause.stderr).contains(&why), "{}", String::from_utf8_lossy(&pause.stderr));
    let by_name = s.silo(&["deploy", "status", "--tenant", "alpha"]);
    assert!(String::from_utf8_lossy(&by_name.stderr).contains("2 accounts are named \"alpha\""));
    assert!(s.journal().is_empty(), "nothing planned, nothing journaled");
}
