//! Scheduled updates read with the SDK from EventBridge Scheduler in each tenant account of an
//! organization seeded in moto (which stores schedules per account and never fires them): the
//! expression is read in its zone, the revision from the UpdateService input, and one tenant never
//! sees another's schedules. Every request passes the model check on its way (scripts/test), and
//! every schedule created here is fired the way Scheduler would (support::scheduler_bed): its
//! role assumed under the documented trust policy, UpdateService called with its input.

mod support;

use aws_sdk_scheduler::types::{ActionAfterCompletion, FlexibleTimeWindow, FlexibleTimeWindowMode, Target};
use chrono::{Datelike, TimeZone};
use support::seed;

async fn schedule(sdk: &aws_config::SdkConfig, account: &str, name: &str, expression: &str, revision: u32) {
    let scheduler = aws_sdk_scheduler::Client::new(sdk);
    let input = silo_core::terms::schedule::update_service_input("alpha", "app", &format!("app:{revision}"));
    let target = Target::builder()
        .arn("arn:aws:scheduler:::aws-sdk:ecs:updateService")
        .role_arn(format!("arn:aws:iam::{account}:role/SiloScheduler"))
        .input(input)
        .build()
        .expect("target");
    scheduler
        .create_schedule()
        .name(name)
        .group_name("silo-rollouts")
        .schedule_expression(expression)
        .schedule_expression_timezone("America/Sao_Paulo")
        .flexible_time_window(FlexibleTimeWindow::builder().mode(FlexibleTimeWindowMode::Off).build().expect("window"))
        .action_after_completion(ActionAfterCompletion::Delete)
        .target(target)
        .send()
        .await
        .expect("schedule created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenants_scheduled_updates_are_read_in_its_account_soonest_first() {
    let org = seed::organization().await;
    let alpha = org.account("alpha-rollouts", &org.tenants_ou, Some("alpha")).await;
    let beta = org.account("beta-rollouts", &org.tenants_ou, Some("beta")).await;
    let inside_alpha = org.inside(&alpha).await;
    seed::ecs_service(&inside_alpha, "alpha", 1).await;
    for _ in 2..=3 {
        register_app(&inside_alpha, "1.5.0").await;
    }
    // Once: moto 5.2.5 empties a group that is created again (AWS refuses with a ConflictException).
    let group =
        aws_sdk_scheduler::Client::new(&inside_alpha).create_schedule_group().name("silo-rollouts").send().await;
    group.expect("group created");
    // One named by the account id (this release), one by the tenant's name (earlier releases).
    let current = format!("silo-{alpha}-r3-20261213T0200");
    schedule(&inside_alpha, &alpha, &current, "at(2026-12-13T02:00:00)", 3).await;
    schedule(&inside_alpha, &alpha, "silo-alpha-r2-20261206T0200", "at(2026-12-06T02:00:00)", 2).await;
    schedule(&inside_alpha, &alpha, "someone-elses-schedule", "at(2026-12-07T02:00:00)", 1).await;

    let client = silo_aws::scheduler::client(&inside_alpha, &alpha);

    let read = silo_aws::scheduler::scheduled(&client).await.expect("alpha's schedules");
    let seen: Vec<(&str, u32)> = read.iter().map(|s| (s.update.name.as_str(), s.update.to_revision)).collect();
    assert_eq!(seen, [("silo-alpha-r2-20261206T0200", 2), (current.as_str(), 3)], "silo's, soonest first");
    assert_eq!(read[0].update.at, chrono::Utc.with_ymd_and_hms(2026, 12, 6, 5, 0, 0).unwrap(), "02:00 in São Paulo");

    let inside_beta = org.inside(&beta).await;
    let none = silo_aws::scheduler::scheduled(&silo_aws::scheduler::client(&inside_beta, &beta)).await;
    assert!(none.expect("beta has no group: no schedules").is_empty());

    // Their times come: each fires, in order, and the service ends on the last one's revision.
    let keys = org.inside_credentials(&alpha).await;
    support::scheduler_bed::install_documented_role(&keys);
    for name in ["silo-alpha-r2-20261206T0200", "someone-elses-schedule", current.as_str()] {
        let fired = support::scheduler_bed::fire(&keys, "silo-rollouts", name).expect("Scheduler runs it");
        assert_eq!(fired["operation"], "ecs:UpdateService");
    }
    assert_eq!(running(&inside_alpha, "alpha").await, "app:3");
    let left = silo_aws::scheduler::scheduled(&client).await.expect("alpha's schedules");
    assert!(left.is_empty(), "each deleted after its run (ActionAfterCompletion DELETE): {left:?}");
}

async fn register_app(inside: &aws_config::SdkConfig, version: &str) {
    let image = format!("example/app:{version}");
    let container = aws_sdk_ecs::types::ContainerDefinition::builder().name("app").image(image).memory(512).build();
    let ecs = aws_sdk_ecs::Client::new(inside);
    ecs.register_task_definition().family("app").container_definitions(container).send().await.expect("registered");
}

/// The `family:revision` the service runs.
async fn running(inside: &aws_config::SdkConfig, cluster: &str) -> String {
    let ecs = aws_sdk_ecs::Client::new(inside);
    let out = ecs.describe_services().cluster(cluster).services("app").send().await.expect("described");
    let arn = out.services().first().and_then(|s| s.task_definition()).expect("a task definition").to_string();
    arn.rsplit('/').next().unwrap_or_default().to_string()
}

/// `silo ARGS --config CONFIG` as the organization's management identity.
fn silo_with(org: &seed::Org, home: &std::path::Path, config: &str, args: &[&str]) -> std::process::Output {
    let mut all = args.to_vec();
    all.extend(["--config", config]);
    support::run_silo(&all, &org.management, home)
}

/// Tenant alpha runs app:1 (1.4.2) and has app:2 (1.5.0) registered; its window is Sundays
/// 02:00-04:00 in São Paulo and its customer certified 1.5.x.
async fn scheduling_tenant(org: &seed::Org) -> (String, tempfile::TempDir, String) {
    let alpha = org.account("alpha-scheduling", &org.tenants_ou, Some("alpha")).await;
    let orgs = org.orgs().await;
    for (key, value) in [("maintenance-window", "sun 02:00-04:00 America/Sao_Paulo"), ("certified-versions", "1.5.x")] {
        let tag = aws_sdk_organizations::types::Tag::builder().key(key).value(value).build().expect("tag");
        orgs.tag_resource().resource_id(&alpha).tags(tag).send().await.expect("terms tag");
    }
    let inside = org.inside(&alpha).await;
    seed::ecs_service(&inside, "alpha", 1).await;
    register_app(&inside, "1.5.0").await;
    let home = tempfile::tempdir().expect("tempdir");
    let text =
        "region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"Tenants\"\n[fetch]\nmax_attempts = 1\n";
    let config = support::write_config(home.path(), text).to_str().expect("utf-8 path").to_string();
    (alpha, home, config)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_update_is_created_exactly_as_planned_and_cancelled_in_the_tenant_account() {
    let org = seed::organization().await;
    let (alpha, home, config) = scheduling_tenant(&org).await;
    let silo = |args: &[&str]| silo_with(&org, home.path(), &config, args);
    let schedule = ["rollout", "schedule", "--tenant", "alpha", "--to-revision", "2"];
    // A Sunday 02:00 in São Paulo (05:00 UTC, no DST there since 2019) a week or more ahead, and
    // the Monday noon after it.
    let today = chrono::Utc::now().date_naive();
    let sunday = (7..14).map(|d| today + chrono::Duration::days(d)).find(|d| d.weekday() == chrono::Weekday::Sun);
    let sunday = sunday.expect("a Sunday within two weeks");
    let (inside_at, outside_at) =
        (format!("{sunday}T05:00:00Z"), format!("{}T15:00:00Z", sunday.succ_opt().expect("monday")));
    let scheduler = aws_sdk_scheduler::Client::new(&org.inside(&alpha).await);

    // A Monday noon is outside the window: refused, nothing created (not even the group).
    let outside = silo(&[&schedule[..], &["--at", &outside_at, "--yes"]].concat());
    assert_eq!(outside.status.code(), Some(1));
    let why = String::from_utf8_lossy(&outside.stderr);
    assert!(why.contains("is outside the maintenance window") && why.contains("--outside-window"), "{why}");
    let read_only = silo(&[&schedule[..], &["--at", &inside_at, "--yes", "--read-only"]].concat());
    assert_eq!(read_only.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&read_only.stderr).contains("refused: silo runs read-only"));
    let group = scheduler.get_schedule_group().name("silo-rollouts").send().await;
    assert!(group.is_err(), "nothing was created");

    let created = silo(&[&schedule[..], &["--at", &inside_at, "--yes"]].concat());
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let name = format!("silo-{alpha}-r2-{}T0200", sunday.format("%Y%m%d"));
    let name = name.as_str();
    let got = scheduler.get_schedule().name(name).group_name("silo-rollouts").send().await.expect("created");
    assert_eq!(got.schedule_expression(), Some(format!("at({sunday}T02:00:00)").as_str()));
    assert_eq!(got.schedule_expression_timezone(), Some("America/Sao_Paulo"));
    assert_eq!(got.group_name(), Some("silo-rollouts"));
    assert_eq!(got.flexible_time_window().map(|w| w.mode().as_str()), Some("OFF"));
    assert_eq!(got.action_after_completion().map(|a| a.as_str()), Some("DELETE"));
    let target = got.target().expect("target");
    assert_eq!(target.arn(), "arn:aws:scheduler:::aws-sdk:ecs:updateService");
    assert_eq!(target.role_arn(), format!("arn:aws:iam::{alpha}:role/SiloScheduler"));
    assert_eq!(target.input(), Some(r#"{"Cluster":"alpha","Service":"app","TaskDefinition":"app:2"}"#));
    // Retries end with the window (02:00-04:00): two hours, one attempt a minute.
    let retry = target.retry_policy().expect("a retry policy");
    assert_eq!((retry.maximum_event_age_in_seconds(), retry.maximum_retry_attempts()), (Some(7200), Some(120)));

    let again = silo(&[&schedule[..], &["--at", &inside_at, "--yes"]].concat());
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains(&format!("already has a schedule at {inside_at}: {name}")));

    let listed = silo(&["rollout", "list", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("json");
    assert_eq!(rows[0]["name"], name);
    assert_eq!(rows[0]["to_version"], "1.5.0");

    let cancelled = silo(&["rollout", "cancel", "--tenant", "alpha", "--name", name, "--yes"]);
    assert!(cancelled.status.success(), "{}", String::from_utf8_lossy(&cancelled.stderr));
    let gone = scheduler.get_schedule().name(name).group_name("silo-rollouts").send().await;
    assert!(gone.is_err(), "deleted");

    // Planned again, its time comes: Scheduler assumes the documented role and the service
    // moves to the planned revision; the schedule is gone after its run.
    let created = silo(&[&schedule[..], &["--at", &inside_at, "--yes"]].concat());
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let keys = org.inside_credentials(&alpha).await;
    support::scheduler_bed::install_documented_role(&keys);
    let fired = support::scheduler_bed::fire(&keys, "silo-rollouts", name).expect("Scheduler runs it");
    assert_eq!(
        fired["request"],
        serde_json::json!({ "cluster": "alpha", "service": "app", "taskDefinition": "app:2" })
    );
    assert_eq!(running(&org.inside(&alpha).await, "alpha").await, "app:2");
    // The schedule is gone; the journal and the deployment say it landed.
    let listed = silo(&["rollout", "list", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("json");
    let rows = rows.as_array().expect("rows");
    let outcomes: Vec<(&str, &str)> =
        rows.iter().map(|r| (r["name"].as_str().unwrap_or(""), r["outcome"].as_str().unwrap_or(""))).collect();
    assert_eq!(outcomes, [(name, "cancelled"), (name, "landed")], "{rows:?}");
    // moto's UpdateService changes the service's task definition without recording a
    // deployment of it (AWS does: the start time then comes from it, see the core tests).
    assert_eq!(rows[1]["landed_at"], serde_json::Value::Null);
    assert!(rows[1]["outcome_detail"].as_str().unwrap_or_default().contains("the service runs the planned revision"));

    let journal = std::fs::read_to_string(home.path().join("state/silo/audit.jsonl")).expect("journal");
    let apis: Vec<String> = journal
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("line"))
        .filter(|l| l["result"] != "started")
        .map(|l| l["api"].as_str().unwrap_or_default().to_string())
        .collect();
    let create = "scheduler:CreateSchedule";
    assert_eq!(apis, [create, create, "scheduler:DeleteSchedule", create]);
}

/// A schedule whose role Scheduler cannot assume (the trust policy earlier releases documented):
/// Scheduler gives up after the retries, counts the errors and deletes it; silo says it failed
/// and why, from the journal, the deployments and the group's metrics.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schedule_scheduler_could_not_run_is_reported_failed_with_its_error_counts() {
    let org = seed::organization().await;
    let (alpha, home, config) = scheduling_tenant(&org).await;
    let silo = |args: &[&str]| silo_with(&org, home.path(), &config, args);
    let keys = org.inside_credentials(&alpha).await;
    support::scheduler_bed::install_role_with_earlier_trust(&keys);
    let at = next_sunday_window();
    let created = silo(&["rollout", "schedule", "--tenant", "alpha", "--to-revision", "2", "--at", &at, "--yes"]);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let name = silo_list(&silo)[0]["name"].as_str().expect("a name").to_string();

    let refused = support::scheduler_bed::fire(&keys, "silo-rollouts", &name).expect_err("role not assumed");
    assert!(refused.contains("trust policy"), "{refused}");
    let rows = silo_list(&silo);
    assert_eq!(rows[0]["outcome"], "failed", "{rows:?}");
    let detail = rows[0]["outcome_detail"].as_str().unwrap_or_default();
    // 1 + 120 attempts (the window's two hours), then dropped.
    assert!(detail.contains("Scheduler counted 121 target error(s) (TargetErrorCount) and 1 dropped"), "{detail}");
    assert!(detail.contains("no deployment of app:2 started"), "{detail}");
    assert_eq!(running(&org.inside(&alpha).await, "alpha").await, "app:1");
}

fn silo_list(silo: &dyn Fn(&[&str]) -> std::process::Output) -> Vec<serde_json::Value> {
    let listed = silo(&["rollout", "list", "--format", "json"]);
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    serde_json::from_slice::<Vec<serde_json::Value>>(&listed.stdout).expect("json rows")
}

/// 02:00 in São Paulo (05:00 UTC) on a Sunday a week or more ahead, as RFC 3339.
fn next_sunday_window() -> String {
    let today = chrono::Utc::now().date_naive();
    let sunday = (7..14).map(|d| today + chrono::Duration::days(d)).find(|d| d.weekday() == chrono::Weekday::Sun);
    format!("{}T05:00:00Z", sunday.expect("a Sunday within two weeks"))
}

/// What Scheduler would do with what earlier releases made: a trust policy scoped to schedules
/// (the Scheduler guide scopes `aws:SourceArn` to the group) and the ECS API's own spelling.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduler_refuses_a_trust_policy_scoped_to_schedules_and_an_input_in_the_apis_spelling() {
    let org = seed::organization().await;
    let alpha = org.account("alpha-refused", &org.tenants_ou, Some("alpha")).await;
    let inside = org.inside(&alpha).await;
    seed::ecs_service(&inside, "alpha", 1).await;
    let scheduler = aws_sdk_scheduler::Client::new(&inside);
    scheduler.create_schedule_group().name("silo-rollouts").send().await.expect("group");
    schedule(&inside, &alpha, "silo-refused", "at(2026-12-06T02:00:00)", 1).await;
    let keys = org.inside_credentials(&alpha).await;
    support::scheduler_bed::install_role_with_earlier_trust(&keys);

    let refused = support::scheduler_bed::fire(&keys, "silo-rollouts", "silo-refused").expect_err("not assumed");
    assert!(refused.contains("trust policy does not let scheduler.amazonaws.com assume it"), "{refused}");
    assert!(refused.contains("schedule-group/silo-rollouts"), "{refused}");

    // With the documented trust, an input in the ECS API's spelling still fails at the target.
    let iam_free = org.account("alpha-spelling", &org.tenants_ou, None).await;
    let inside = org.inside(&iam_free).await;
    seed::ecs_service(&inside, "alpha", 1).await;
    aws_sdk_scheduler::Client::new(&inside).create_schedule_group().name("silo-rollouts").send().await.expect("group");
    let target = Target::builder()
        .arn("arn:aws:scheduler:::aws-sdk:ecs:updateService")
        .role_arn(format!("arn:aws:iam::{iam_free}:role/SiloScheduler"))
        .input(r#"{"cluster":"alpha","service":"app","taskDefinition":"app:1"}"#)
        .build()
        .expect("target");
    let window = FlexibleTimeWindow::builder().mode(FlexibleTimeWindowMode::Off).build().expect("window");
    let create =
        aws_sdk_scheduler::Client::new(&inside).create_schedule().name("silo-camel").group_name("silo-rollouts");
    let create = create.schedule_expression("at(2026-12-06T02:00:00)").flexible_time_window(window).target(target);
    create.send().await.expect("moto stores it");
    let keys = org.inside_credentials(&iam_free).await;
    support::scheduler_bed::install_documented_role(&keys);
    let failed = support::scheduler_bed::fire(&keys, "silo-rollouts", "silo-camel").expect_err("unknown member");
    assert!(failed.contains("cluster is not a member of UpdateServiceRequest"), "{failed}");
}

/// Runs `silo doctor --schedule-probe TENANT --yes` while playing Scheduler: as soon as the probe
/// schedule exists in the tenant's account, the bed fires it. The command's output and status.
async fn probe_while_firing(
    org: &seed::Org,
    account: &str,
    tenant: &str,
    home: &std::path::Path,
    config: &str,
) -> (serde_json::Value, std::process::ExitStatus) {
    let args = ["doctor", "--schedule-probe", tenant, "--yes", "--format", "json", "--config", config];
    let mut command = support::silo_command(&args, &org.management, home, &support::endpoint());
    let child = command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn();
    let child = child.expect("silo runs");
    let scheduler = aws_sdk_scheduler::Client::new(&org.inside(account).await);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let name = loop {
        let listed = scheduler.list_schedules().group_name("silo-rollouts").name_prefix("silo-probe-").send().await;
        if let Some(name) = listed.ok().and_then(|l| l.schedules().first().and_then(|s| s.name()).map(String::from)) {
            break name;
        }
        assert!(std::time::Instant::now() < deadline, "the probe schedule was never created");
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    };
    let keys = org.inside_credentials(account).await;
    let _ = support::scheduler_bed::fire(&keys, "silo-rollouts", &name);
    let out = tokio::task::spawn_blocking(move || child.wait_with_output()).await.expect("join").expect("silo ends");
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    });
    (doc, out.status)
}

/// `silo doctor --schedule-probe`: a schedule that re-applies what the tenant runs, fired by the
/// bed as Scheduler would. With the documented role Scheduler's call answers and nothing changes;
/// with the trust policy earlier releases documented, the probe fails and says what to fix.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_schedule_probe_says_whether_scheduler_can_call_ecs_with_the_tenants_role() {
    let org = seed::organization().await;
    let (alpha, home, config) = scheduling_tenant(&org).await;
    support::scheduler_bed::install_documented_role(&org.inside_credentials(&alpha).await);
    let (doc, status) = probe_while_firing(&org, &alpha, "alpha", home.path(), &config).await;
    assert!(status.success(), "{doc}");
    let check = &doc["checks"][0];
    assert_eq!((check["check"].as_str(), check["status"].as_str()), (Some("schedule probe"), Some("ok")), "{doc}");
    assert!(
        check["detail"].as_str().unwrap_or_default().contains("assumed SiloScheduler and called ECS UpdateService"),
        "{doc}"
    );
    assert_eq!(running(&org.inside(&alpha).await, "alpha").await, "app:1", "the probe changes nothing");
    let listed =
        support::run_silo(&["rollout", "list", "--format", "json", "--config", &config], &org.management, home.path());
    let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("json");
    assert_eq!(rows, serde_json::json!([]), "a probe is not an update anyone waits for");

    let beta = org.account("beta-probe", &org.tenants_ou, Some("beta")).await;
    seed::ecs_service(&org.inside(&beta).await, "beta", 1).await;
    let keys = org.inside_credentials(&beta).await;
    support::scheduler_bed::install_role_with_earlier_trust(&keys);
    let (doc, status) = probe_while_firing(&org, &beta, "beta", home.path(), &config).await;
    assert_eq!(status.code(), Some(1), "{doc}");
    let check = &doc["checks"][0];
    assert_eq!(check["status"], "fail", "{doc}");
    assert!(
        check["detail"].as_str().unwrap_or_default().contains("its call failed: 1 target error(s), 1 dropped"),
        "{doc}"
    );
    assert!(check["fix"].as_str().unwrap_or_default().contains("schedule-group/silo-rollouts"), "{doc}");
}
