//! `silo findings` and `silo findings update` against findings imported into moto's Security Hub.
//! (moto has no BatchUpdateFindings: the update itself is covered in crates/aws/src/mock_tests/finding_actions.rs;
//! here the refusals and the dry run, which must change nothing, are checked end to end.)

mod support;

use aws_sdk_securityhub::types::{RecordState as R, SeverityLabel as S, WorkflowStatus as W};
use serde_json::Value;
use support::seed::{self, finding};

async fn seeded() -> (seed::Org, String, tempfile::TempDir, std::path::PathBuf) {
    let org = seed::organization().await;
    let alpha = org.account("alpha-prod", &org.tenants_ou, Some("alpha")).await;
    let outsider = support::fresh_account_id();
    seed::import_findings(
        &org,
        vec![
            finding("f-open", &alpha, S::Critical, R::Active, W::New),
            finding("f-notified", &alpha, S::High, R::Active, W::Notified),
            finding("f-resolved", &alpha, S::High, R::Active, W::Resolved),
            finding("f-archived", &alpha, S::Critical, R::Archived, W::New),
            finding("f-outsider", &outsider, S::Medium, R::Active, W::New),
        ],
    )
    .await;
    let home = tempfile::tempdir().expect("tempdir");
    let config = support::write_config(home.path(), &format!(
        "region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"Tenants\"\n[audit]\naccount_id = \"{}\"\nfindings_api = \"v1\"\n[fetch]\nmax_attempts = 1\n",
        org.audit_id
    ));
    (org, alpha, home, config)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_findings_are_listed_with_their_tenant_or_none() {
    let (org, alpha, home, config) = seeded().await;
    let config = config.to_str().unwrap();
    let out = support::run_silo(&["findings", "--format", "json", "--config", config], &org.management, home.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json");
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["f-open", "f-notified", "f-outsider"], "severity order; resolved and archived are not open");
    assert_eq!((rows[0]["tenant"].as_str(), rows[0]["account_id"].as_str()), (Some("alpha"), Some(alpha.as_str())));
    assert_eq!(rows[0]["severity"], "CRITICAL");
    assert_eq!(rows[0]["source"], "securityhub");
    assert_eq!(rows[2]["tenant"], Value::Null, "a non-tenant account is never attributed");

    let high = support::run_silo(
        &["findings", "--severity", "high", "--tenant", "alpha", "--format", "csv", "--config", config],
        &org.management,
        home.path(),
    );
    let csv = String::from_utf8_lossy(&high.stdout);
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.lines().nth(1).unwrap().starts_with("f-notified,securityhub,alpha,"));

    let all = support::run_silo(
        &["findings", "--status", "all", "--format", "json", "--config", config],
        &org.management,
        home.path(),
    );
    let rows: Vec<Value> = serde_json::from_slice(&all.stdout).expect("json");
    assert_eq!(rows.len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_are_refused_without_confirmation_or_in_read_only_and_dry_runs_change_nothing() {
    let (org, _alpha, home, config) = seeded().await;
    let config = config.to_str().unwrap();
    let journal = home.path().join("state/silo/audit.jsonl");
    let update =
        ["findings", "update", "--id", "f-open", "--status", "RESOLVED", "--note", "patched", "--config", config];

    let no_tty = support::run_silo(&update, &org.management, home.path());
    assert_eq!(no_tty.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_tty.stderr).contains("refused: no terminal to confirm on; pass --yes"));
    assert!(journal.exists(), "the unconfirmed attempt is journaled as refused");

    let mut read_only = update.to_vec();
    read_only.extend(["--yes", "--read-only"]);
    let refused = support::run_silo(&read_only, &org.management, home.path());
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("refused: silo runs read-only"));
    let plan = String::from_utf8_lossy(&refused.stdout);
    assert!(plan.contains("securityhub:BatchUpdateFindings") && plan.contains("\"Status\": \"RESOLVED\""), "{plan}");

    let mut dry = update.to_vec();
    dry.push("--dry-run");
    let dry_run = support::run_silo(&dry, &org.management, home.path());
    assert!(dry_run.status.success(), "{}", String::from_utf8_lossy(&dry_run.stderr));

    let lines: Vec<Value> =
        std::fs::read_to_string(&journal).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let modes: Vec<&str> = lines.iter().map(|l| l["mode"].as_str().unwrap()).collect();
    assert_eq!(modes, vec!["refused", "refused", "dry-run"]);
    assert!(lines[0]["result"].as_str().unwrap().starts_with("not confirmed: no terminal"));
    assert_eq!(lines[1]["result"], "read-only");
    assert_eq!(lines[0]["ids"], serde_json::json!(["f-open"]));
    assert!(
        lines[0]["identity"].as_str().unwrap().contains(&org.management_id),
        "the caller's ARN: {}",
        lines[0]["identity"]
    );

    let still = support::run_silo(&["findings", "--format", "json", "--config", config], &org.management, home.path());
    let rows: Vec<Value> = serde_json::from_slice(&still.stdout).expect("json");
    assert!(rows.iter().any(|r| r["id"] == "f-open" && r["status"] == "NEW"), "the finding is unchanged");

    let unknown = support::run_silo(
        &["findings", "update", "--id", "nope", "--status", "RESOLVED", "--note", "x", "--yes", "--config", config],
        &org.management,
        home.path(),
    );
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no such finding: nope"));
}
