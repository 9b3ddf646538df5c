//! `silo doctor` against moto, with the fault proxy denying one tenant's role: every check is
//! reported with what to fix, and only essential failures make it exit non-zero.

mod support;

use serde_json::Value;
use support::fault_proxy::{FaultProxy, Rules};
use support::seed;

fn find<'a>(checks: &'a [Value], check: &str, tenant: Option<&str>) -> &'a Value {
    checks
        .iter()
        .find(|c| c["check"] == check && c["tenant"].as_str() == tenant)
        .unwrap_or_else(|| panic!("no {check} check for {tenant:?} in {checks:#?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_reports_each_check_with_its_fix_and_fails_only_on_essentials() {
    let org = seed::organization().await;
    let alpha = org.account("alpha-prod", &org.tenants_ou, Some("alpha")).await;
    let beta = org.account("beta-prod", &org.tenants_ou, Some("beta")).await;
    let gamma = org.account("gamma-prod", &org.tenants_ou, Some("gamma")).await;
    seed::ecs_service(&org.inside(&alpha).await, "alpha", 2).await;
    let proxy = FaultProxy::start(&support::unchecked_endpoint()).await;
    proxy.set(Rules { denied_accounts: [beta.clone()].into(), ..Rules::default() });
    let home = tempfile::tempdir().expect("tempdir");
    let logs = support::fresh_account_id();
    let config = support::write_config(
        home.path(),
        &format!("region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"Tenants\"\n[logs]\naccount_id = \"{logs}\"\n[billing]\naccount_id = \"{}\"\n[fetch]\nmax_attempts = 1\n", org.management_id),
    );
    let config = config.to_str().unwrap().to_string();
    let out = support::run_silo_via(
        &["doctor", "--format", "json", "--config", &config],
        &org.management,
        home.path(),
        &proxy.url,
    );
    assert!(out.status.success(), "nothing essential failed: {}", String::from_utf8_lossy(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["ok"], true);
    let checks = doc["checks"].as_array().expect("checks").clone();
    assert_eq!(find(&checks, "base identity", None)["status"], "ok");
    assert!(find(&checks, "base identity", None)["detail"].as_str().unwrap().contains(&org.management_id));
    assert_eq!(find(&checks, "tenant list", None)["detail"], "3 tenants");
    let alpha = find(&checks, "read role", Some("alpha"));
    assert_eq!(alpha["status"], "ok", "{alpha}");
    assert_eq!(find(&checks, "ecs service", Some("alpha"))["status"], "ok");
    let denied = find(&checks, "read role", Some("beta"));
    assert_eq!(denied["status"], "fail");
    assert!(
        denied["fix"]
            .as_str()
            .unwrap()
            .contains(&format!("arn:aws:iam::{beta}:role/SiloReadOnly trusting the base identity")),
        "{denied}"
    );
    // silo sets SourceIdentity on every AssumeRole: the fix names the permission that needs.
    assert!(denied["fix"].as_str().unwrap().contains("sts:SetSourceIdentity"), "{denied}");
    let missing = find(&checks, "ecs service", Some("gamma"));
    assert_eq!(missing["status"], "warn");
    assert!(missing["fix"].as_str().unwrap().contains("[tenants] ecs_cluster"), "{missing}");
    assert_eq!(find(&checks, "operator role", Some("alpha"))["status"], "ok");
    assert!(find(&checks, "operator role", Some("alpha"))["detail"].as_str().unwrap().contains("nothing done"));
    let workgroup = find(&checks, "logs workgroup", None);
    assert_eq!(workgroup["status"], "fail");
    assert!(workgroup["fix"].as_str().unwrap().starts_with("create workgroup silo"), "{workgroup}");
    assert_eq!(find(&checks, "audit account", None)["status"], "warn", "not configured");
    assert_eq!(find(&checks, "budgets", None)["status"], "ok");
    let _ = gamma;

    let table = support::run_silo_via(&["doctor", "--config", &config], &org.management, home.path(), &proxy.url);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("To fix:") && text.contains("- read role (beta):"), "{text}");

    let wrong_ou = support::write_config(
        home.path(),
        "region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"Nope\"\n[fetch]\nmax_attempts = 1\n",
    );
    let failed = support::run_silo(
        &["doctor", "--format", "json", "--config", wrong_ou.to_str().unwrap()],
        &org.management,
        home.path(),
    );
    assert_eq!(failed.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&failed.stdout).expect("json");
    assert_eq!(doc["ok"], false);
    let list = find(doc["checks"].as_array().unwrap(), "tenant list", None);
    assert_eq!(list["status"], "fail");
    assert!(String::from_utf8_lossy(&failed.stderr).contains("silo cannot work with this setup yet"));
}

/// `--deep`: one harmless call per IAM action with each configured role. Against moto (behind
/// the fault proxy, which denies one ECS read as IAM would): what moto serves answers, the
/// denied action is named with the role, account and policy file that should grant it, and
/// the logs workgroup runs a `SELECT 1` to its end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deep_doctor_names_each_denied_action_with_its_role_and_policy() {
    let org = seed::organization().await;
    let alpha = org.account("alpha-deep", &org.tenants_ou, Some("alpha")).await;
    seed::ecs_service(&org.inside(&alpha).await, "alpha", 2).await;
    let proxy = FaultProxy::start(&support::unchecked_endpoint()).await;
    let mut rules = Rules::default();
    rules.by_operation.insert("ListTaskDefinitions".into(), support::fault_proxy::Fault::Denied);
    proxy.set(rules);
    let home = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"Tenants\"\nread_role = \"SiloReadOnly\"\n[audit]\naccount_id = \"{}\"\n[fetch]\nmax_attempts = 1\n",
        org.audit_id
    );
    let config = support::write_config(home.path(), &text);
    let config = config.to_str().unwrap().to_string();
    let args = ["doctor", "--deep", "--tenant", "alpha", "--format", "json", "--config", config.as_str()];
    let out = support::run_silo_via(&args, &org.management, home.path(), &proxy.url);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let checks = doc["checks"].as_array().expect("checks").clone();
    let denied = find(&checks, "read ecs:ListTaskDefinitions", Some("alpha"));
    assert_eq!(denied["status"], "fail", "{denied}");
    assert_eq!(
        denied["fix"],
        format!("grant ecs:ListTaskDefinitions to SiloReadOnly in {alpha} (docs/iam/silo-read.json)"),
        "{denied}"
    );
    for served in [
        "read ecs:DescribeServices",
        "read cloudwatch:DescribeAlarms",
        "read cloudwatch:GetMetricData",
        "read ecs:DescribeTaskDefinition",
        "operator ecs:DescribeServices",
    ] {
        assert_eq!(find(&checks, served, Some("alpha"))["status"], "ok", "{served}");
    }
    // A schedule that does not exist answers "not found": the permission is what was asked.
    let get = find(&checks, "read scheduler:GetSchedule", Some("alpha"));
    assert_eq!(
        (get["status"].as_str(), get["detail"].as_str()),
        (Some("ok"), Some("allowed (asked for a schedule that does not exist)"))
    );
    let group = find(&checks, "operator scheduler:GetScheduleGroup", Some("alpha"));
    assert_eq!(group["status"], "ok", "{group}");
    assert_eq!(find(&checks, "audit guardduty:ListDetectors", None)["status"], "ok");
    let no_detector = find(&checks, "audit guardduty:ListFindings", None);
    assert_eq!(
        (no_detector["status"].as_str(), no_detector["detail"].as_str()),
        (Some("warn"), Some("not enabled: no GuardDuty detector in this account and region"))
    );

    // Again past no proxy but the model check: every probe's request is one AWS would take
    // (the made-up names and ARNs included); scripts/test fails on any violation.
    let checked = support::run_silo(&args, &org.management, home.path());
    let doc: Value = serde_json::from_slice(&checked.stdout).expect("json");
    let checks = doc["checks"].as_array().expect("checks").clone();
    assert_eq!(find(&checks, "read ecs:ListTaskDefinitions", Some("alpha"))["status"], "ok");
    let refused: Vec<&Value> =
        checks.iter().filter(|c| c["detail"].as_str().is_some_and(|d| d.contains("model check"))).collect();
    assert!(refused.is_empty(), "{refused:#?}");
}
