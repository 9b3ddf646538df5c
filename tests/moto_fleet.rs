//! `silo fleet --format json` against a multi-account organization seeded in moto.

mod support;

use aws_sdk_securityhub::types::{RecordState as R, SeverityLabel as S, WorkflowStatus as W};
use serde_json::Value;
use support::seed::{self, finding};

fn tenant<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["tenants"]
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["name"] == name))
        .unwrap_or_else(|| panic!("tenant {name} missing from {report:#}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fleet_json_matches_the_seeded_organization() {
    let org = seed::organization().await;
    let orgs = org.orgs().await;
    let latam = seed::create_ou(&orgs, &org.tenants_ou, "LATAM").await;
    let sandbox = seed::create_ou(&orgs, &org.root_id, "Sandbox").await;

    let alpha = org.account("alpha-prod", &org.tenants_ou, Some("alpha")).await;
    let beta = org.account("Beta Account", &org.tenants_ou, None).await;
    let gamma = org.account("gamma-prod", &latam, Some("gamma")).await;
    let epsilon = org.account("epsilon-prod", &org.tenants_ou, Some("epsilon")).await;
    let suspended = org.account("delta-prod", &org.tenants_ou, Some("delta")).await;
    let sandbox_acct = org.account("playground", &sandbox, Some("playground")).await;
    orgs.close_account().account_id(&suspended).send().await.expect("close account");

    seed::ecs_service(&org.inside(&alpha).await, "alpha", 2).await;
    seed::alarms(&org.inside(&alpha).await, 3, 1).await;
    seed::ecs_service(&org.inside(&beta).await, "Beta Account", 2).await;
    seed::alarms(&org.inside(&beta).await, 2, 0).await;
    seed::ecs_service(&org.inside(&gamma).await, "gamma", 3).await;
    seed::alarms(&org.inside(&gamma).await, 4, 2).await;
    // epsilon: no ECS cluster or service at all (tenant being onboarded).

    seed::budget(&org, "alpha-monthly", &[&alpha], "1000", "250").await;
    seed::budget(&org, "gamma-monthly", &[&gamma], "200.00", "230.50").await;
    seed::budget(&org, "shared", &[&alpha, &gamma], "5", "5").await;
    seed::budget(&org, "orphan", &["999999999999"], "10", "1").await;

    seed::import_findings(
        &org,
        vec![
            finding("f1", &alpha, S::Critical, R::Active, W::New),
            finding("f2", &alpha, S::High, R::Active, W::Notified),
            finding("f3", &alpha, S::High, R::Active, W::Resolved),
            finding("f4", &alpha, S::Critical, R::Archived, W::New),
            finding("f5", &alpha, S::Critical, R::Active, W::Suppressed),
            finding("f6", &gamma, S::Medium, R::Active, W::New),
            finding("f7", &sandbox_acct, S::Critical, R::Active, W::New),
        ],
    )
    .await;

    let home = tempfile::tempdir().expect("tempdir");
    let config = support::write_config(
        home.path(),
        &format!(
            "region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"Tenants\"\n\
         [audit]\naccount_id = \"{}\"\n[billing]\naccount_id = \"{}\"\n[fetch]\nmax_attempts = 1\ntimeout_secs = 20\n",
            org.audit_id, org.management_id
        ),
    );
    let out = support::run_silo(
        &["fleet", "--format", "json", "--config", config.to_str().unwrap()],
        &org.management,
        home.path(),
    );
    assert!(out.status.success(), "silo failed: {}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("fleet JSON");

    let mut names: Vec<&str> =
        report["tenants"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    names.sort();
    assert_eq!(
        names,
        vec!["Beta Account", "alpha", "epsilon", "gamma"],
        "suspended and non-tenant accounts excluded, nested OU included"
    );

    let a = tenant(&report, "alpha");
    assert_eq!(a["account_id"], alpha.as_str());
    assert_eq!(a["region"], "us-east-1");
    assert_eq!(a["alarms"], serde_json::json!({"total": 3, "in_alarm": 1}));
    assert_eq!(a["service"]["cluster"], "alpha");
    assert_eq!(a["service"]["name"], "app");
    assert_eq!((a["service"]["desired"].as_i64(), a["service"]["running"].as_i64()), (Some(2), Some(2)));
    assert_eq!(a["service"]["task_definition"], "app:1");
    assert_eq!(a["service"]["rollout"], "COMPLETED");
    assert_eq!(
        a["findings"],
        serde_json::json!({"critical": 1, "high": 1, "medium": 0, "low": 0}),
        "resolved, archived and suppressed findings do not count"
    );
    assert_eq!(a["spend"]["actual"].as_f64(), Some(250.0));
    assert_eq!(a["spend"]["limit"].as_f64(), Some(1000.0));
    assert_eq!(a["spend"]["percent"].as_f64(), Some(25.0));
    assert_eq!(a["spend"]["unit"], "USD");
    assert_eq!(a["health"], "critical", "an alarm fires and a critical finding is open");
    assert_eq!(a["errors"], serde_json::json!([]));

    let b = tenant(&report, "Beta Account");
    assert_eq!(b["alarms"], serde_json::json!({"total": 2, "in_alarm": 0}));
    assert_eq!(b["spend"], Value::Null, "no budget for beta");
    assert_eq!(b["findings"], serde_json::json!({"critical": 0, "high": 0, "medium": 0, "low": 0}));
    assert_eq!(b["health"], "ok");

    let g = tenant(&report, "gamma");
    assert_eq!(
        (g["service"]["desired"].as_i64(), g["service"]["running"].as_i64(), g["service"]["pending"].as_i64()),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(g["service"]["rollout"], "IN_PROGRESS");
    assert_eq!(g["alarms"]["in_alarm"], 2);
    assert_eq!(g["spend"]["percent"].as_f64(), Some(115.3));
    assert_eq!(g["findings"]["medium"], 1);

    let e = tenant(&report, "epsilon");
    assert_eq!(e["account_id"], epsilon.as_str());
    assert_eq!(e["service"], Value::Null, "no ECS service in epsilon");
    assert_eq!(e["errors"][0]["source"], "ecs", "read and missing, not unread: {e:#}");
    assert_eq!(e["errors"][0]["kind"], "not_found");
    assert_eq!(e["errors"][0]["message"], "ECS service app not found in cluster epsilon");
    assert_eq!(e["alarms"], serde_json::json!({"total": 0, "in_alarm": 0}));
    assert_eq!(e["health"], "critical");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_ou_fails_with_a_clear_message_and_nonzero_exit() {
    let org = seed::organization().await;
    let home = tempfile::tempdir().expect("tempdir");
    let config = support::write_config(home.path(), "region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"Customers\"\n[fetch]\nmax_attempts = 1\n");
    let out = support::run_silo(
        &["fleet", "--format", "json", "--config", config.to_str().unwrap()],
        &org.management,
        home.path(),
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("could not list the fleet") && stderr.contains("no organizational unit named \"Customers\""),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "nothing is printed on stdout when the fleet cannot be listed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_tenants_with_a_missing_cluster_are_listed_with_null_service() {
    let org = seed::organization().await;
    let tenant_id = support::fresh_account_id();
    seed::alarms(&org.inside(&tenant_id).await, 1, 1).await;
    let home = tempfile::tempdir().expect("tempdir");
    let config = support::write_config(
        home.path(),
        &format!(
            "region = \"us-east-1\"\n[tenants]\nsource = \"static\"\necs_cluster = \"{{tenant}}-ecs\"\n\
         [[tenants.static]]\nname = \"solo\"\naccount_id = \"{tenant_id}\"\n[fetch]\nmax_attempts = 1\n"
        ),
    );
    let out = support::run_silo(
        &["fleet", "--format", "json", "--config", config.to_str().unwrap()],
        &org.management,
        home.path(),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let t = tenant(&report, "solo");
    assert_eq!(t["alarms"], serde_json::json!({"total": 1, "in_alarm": 1}));
    assert_eq!(t["service"], Value::Null);
    assert_eq!(t["findings"], Value::Null, "no [audit] configured");
    assert_eq!(t["spend"], Value::Null, "no [billing] configured");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alarms_per_tenant_and_state_match_what_was_seeded() {
    let org = seed::organization().await;
    let north = org.account("north", &org.tenants_ou, Some("north")).await;
    let south = org.account("south", &org.tenants_ou, Some("south")).await;
    seed::alarms(&org.inside(&north).await, 3, 1).await;
    seed::alarms(&org.inside(&south).await, 2, 2).await;
    let home = tempfile::tempdir().expect("tempdir");
    let config = support::write_config(
        home.path(),
        "region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"Tenants\"\n[fetch]\nmax_attempts = 1\n",
    );
    let config = config.to_str().unwrap();
    let run = |args: &[&str]| {
        let out = support::run_silo(args, &org.management, home.path());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<Vec<Value>>(&out.stdout).expect("alarms JSON")
    };
    let firing = run(&["alarms", "--state", "ALARM", "--format", "json", "--config", config]);
    let mut got: Vec<(String, String)> =
        firing.iter().map(|a| (a["tenant"].as_str().unwrap().into(), a["name"].as_str().unwrap().into())).collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("north".into(), "alarm-0".into()),
            ("south".into(), "alarm-0".into()),
            ("south".into(), "alarm-1".into())
        ]
    );
    assert!(firing.iter().all(|a| a["state"] == "ALARM" && a["reason"] == "seeded by test"));
    assert_eq!(firing.iter().find(|a| a["tenant"] == "north").unwrap()["account_id"], north.as_str());
    let all_north = run(&["alarms", "--tenant", "north", "--format", "json", "--config", config]);
    let states: Vec<&str> = all_north.iter().map(|a| a["state"].as_str().unwrap()).collect();
    assert_eq!(states, vec!["ALARM", "OK", "OK"], "firing first");
    let ok = run(&["alarms", "--state", "ok", "--format", "json", "--config", config]);
    assert_eq!(ok.len(), 2);
}

/// Two accounts tagged with one name: both listed and marked, the name refused wherever a tenant
/// is chosen (naming both accounts), each reachable by its account id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_two_accounts_carry_is_marked_and_refused_and_account_ids_still_work() {
    let org = seed::organization().await;
    let first = org.account("twin-eu", &org.tenants_ou, Some("twin")).await;
    let second = org.account("twin-us", &org.tenants_ou, Some("twin")).await;
    let home = tempfile::tempdir().expect("tempdir");
    let config = support::write_config(
        home.path(),
        "region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"Tenants\"\n[fetch]\nmax_attempts = 1\n",
    );
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--config", config.to_str().unwrap()]);
        support::run_silo(&all, &org.management, home.path())
    };
    let out = run(&["fleet", "--format", "json"]);
    assert!(out.status.success(), "silo failed: {}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("fleet JSON");
    let rows = report["tenants"].as_array().expect("tenants");
    let twins: Vec<(&str, bool)> =
        rows.iter().map(|t| (t["account_id"].as_str().unwrap_or_default(), t["name_shared"] == true)).collect();
    let mut expected = vec![(first.as_str(), true), (second.as_str(), true)];
    expected.sort();
    assert_eq!(twins, expected, "both listed, both marked");

    let refused = run(&["alarms", "--tenant", "twin", "--format", "json"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    let (low, high) = if first < second { (&first, &second) } else { (&second, &first) };
    assert!(
        stderr.contains(&format!(
            "2 accounts are named \"twin\": twin ({low}), twin ({high}); name one by its account id"
        )),
        "{stderr}"
    );
    let by_id = run(&["alarms", "--tenant", &second, "--format", "json"]);
    assert!(by_id.status.success(), "an account id names one: {}", String::from_utf8_lossy(&by_id.stderr));
}
