//! `silo spend` against budgets seeded in moto's management account.

mod support;

use serde_json::Value;
use support::seed;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spend_json_matches_seeded_budgets() {
    let org = seed::organization().await;
    let mut ids = Vec::new();
    for name in ["north", "south", "east", "west", "shared-a", "shared-b"] {
        ids.push(org.account(name, &org.tenants_ou, Some(name)).await);
    }
    let [north, south, east, west, shared_a, shared_b] = ids.as_slice() else { panic!("six accounts") };
    seed::budget(&org, "north-monthly", &[north], "1000", "250.10").await;
    seed::budget(&org, "south-monthly", &[south], "200", "230.50").await;
    seed::budget_aws_would_refuse(&org, "east-monthly", &[east], "lots", "12").await;
    seed::budget(&org, "ab-shared", &[shared_a, shared_b], "500", "100").await;
    seed::budget(&org, "orphan", &["999999999999"], "10", "1").await;
    // west: no budget at all.

    let home = tempfile::tempdir().expect("tempdir");
    let config = support::write_config(home.path(), &format!(
        "region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"Tenants\"\n[billing]\naccount_id = \"{}\"\n[fetch]\nmax_attempts = 1\n",
        org.management_id
    ));
    let out = support::run_silo(
        &["spend", "--format", "json", "--config", config.to_str().unwrap()],
        &org.management,
        home.path(),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).expect("spend JSON");
    let row = |name: &str| rows.iter().find(|r| r["tenant"] == name).unwrap_or_else(|| panic!("{name} missing"));
    assert_eq!(rows.len(), 6);

    let n = row("north");
    assert_eq!(
        (n["budget"].as_str(), n["actual"].as_f64(), n["limit"].as_f64()),
        (Some("north-monthly"), Some(250.1), Some(1000.0))
    );
    assert_eq!((n["unit"].as_str(), n["percent"].as_f64()), (Some("USD"), Some(25.0)));
    assert_eq!(n["breached"], serde_json::json!([]));
    assert_eq!(n["account_id"], north.as_str());
    assert_eq!(row("south")["percent"].as_f64(), Some(115.3));

    let e = row("east");
    assert_eq!(e["actual"], Value::Null, "an unreadable amount is never shown as 0");
    assert!(
        e["error"].as_str().unwrap_or("").contains("budget \"east-monthly\" has a non-numeric amount \"lots\""),
        "{e}"
    );

    for shared in ["shared-a", "shared-b"] {
        let s = row(shared);
        assert_eq!(s["actual"], Value::Null);
        assert!(s["error"].as_str().unwrap_or("").contains("\"ab-shared\" filters several linked accounts"), "{s}");
    }
    let w = row("west");
    assert_eq!((w["budget"].clone(), w["actual"].clone(), w["error"].clone()), (Value::Null, Value::Null, Value::Null));
    assert_eq!(w["account_id"], west.as_str());
    assert_eq!(rows.last().map(|r| r["has_budget"].clone()), Some(Value::Null), "no internal fields leak");

    let one = support::run_silo(
        &["spend", "--tenant", "sout", "--config", config.to_str().unwrap()],
        &org.management,
        home.path(),
    );
    assert_eq!(one.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&one.stderr).contains("unknown tenant \"sout\"; did you mean south?"));
}
