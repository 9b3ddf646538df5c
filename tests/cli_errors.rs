//! Bad input reaches the user as a clear error before anything else happens.

use std::process::Command;

fn silo(args: &[&str], home: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_silo"))
        .args(args)
        .env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env_remove("SILO_CONFIG")
        .output()
        .expect("run silo")
}

#[test]
fn bad_config_names_file_line_and_key_and_exits_nonzero() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("silo.toml");
    std::fs::write(&path, "[tenants]\nsource = \"organizations\"\nou = \"T\"\necs_cluster = \"{tenat}\"\n").unwrap();
    let out = silo(&["fleet", "--config", path.to_str().unwrap()], home.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{}:4: `tenants.ecs_cluster`", path.display())), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn missing_config_explains_where_it_looked() {
    let home = tempfile::tempdir().unwrap();
    let out = silo(&["fleet"], home.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no config file") && stderr.contains("silo --demo"), "{stderr}");
}

#[test]
fn global_flags_work_after_the_subcommand() {
    let home = tempfile::tempdir().unwrap();
    let out = silo(&["fleet", "--demo", "--format", "csv", "--theme", "light"], home.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8_lossy(&out.stdout);
    let mut lines = csv.lines();
    // The contract of docs/cli.md, spelled out: the registry columns keep their places at the end.
    let header = "name,account_id,region,health,alarms_total,alarms_in_alarm,cluster,service,desired,running,\
        pending,task_definition,rollout,findings_critical,findings_high,findings_medium,findings_low,spend_actual,\
        spend_limit,spend_forecast,spend_unit,spend_percent,errors,vpn_tunnels_up,vpn_tunnels_total,\
        aws_health_events,compliance_noncompliant_rules,queue_visible_messages,queue_oldest_message_age_seconds,\
        governance_state,governance_drifted";
    assert_eq!(lines.next(), Some(header));
    assert_eq!(lines.count(), silo_demo::DEMO_TENANTS.len());
}

#[test]
fn unknown_theme_is_refused_before_the_screen_is_touched() {
    let home = tempfile::tempdir().unwrap();
    let out = silo(&["--demo", "--theme", "solarized"], home.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown theme \"solarized\""));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\u{1b}[?1049h"), "alternate screen never entered");
}

#[test]
fn demo_fleet_json_follows_the_contract() {
    let home = tempfile::tempdir().unwrap();
    let out = silo(&["fleet", "--demo", "--format", "json"], home.path());
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(report["generated_at"].as_str().unwrap()).is_ok());
    let tenants = report["tenants"].as_array().unwrap();
    assert!(tenants.len() >= 24);
    let keys = ["name", "account_id", "region", "health", "alarms", "service", "findings", "spend", "errors"];
    for t in tenants {
        for k in keys {
            assert!(t.get(k).is_some(), "{k} missing in {t}");
        }
    }
    let denied = tenants.iter().find(|t| t["name"] == "kestrel-motors").unwrap();
    assert_eq!(denied["errors"][0]["source"], "sts");
    assert_eq!(denied["alarms"], serde_json::Value::Null);
    let no_budget = tenants.iter().find(|t| t["name"] == "jade-beverages").unwrap();
    assert_eq!(
        (no_budget["spend"].clone(), no_budget["errors"].clone()),
        (serde_json::Value::Null, serde_json::json!([]))
    );
}

/// The demo's twin accounts (one customer, two accounts tagged `willow-cosmetics`): marked in the
/// fleet, refused by name wherever a tenant is chosen, each reachable by its account id; a
/// rollback of one is confirmed by typing its account id.
#[test]
fn demo_twin_names_are_marked_and_refused_and_their_account_ids_choose() {
    let home = tempfile::tempdir().unwrap();
    let out = silo(&["fleet", "--demo", "--format", "json"], home.path());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let twins: Vec<&serde_json::Value> =
        report["tenants"].as_array().unwrap().iter().filter(|t| t["name"] == "willow-cosmetics").collect();
    assert_eq!(twins.len(), 2);
    assert!(twins.iter().all(|t| t["name_shared"] == true));
    let others = report["tenants"].as_array().unwrap().iter().filter(|t| t["name"] != "willow-cosmetics");
    assert!(others.into_iter().all(|t| t["name_shared"] == false));
    for args in [
        &["--demo", "alarms", "--tenant", "willow-cosmetics"][..],
        &["--demo", "deploy", "status", "--tenant", "Willow-Cosmetics"],
    ] {
        let refused = silo(args, home.path());
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("2 accounts are named") && stderr.contains("name one by its account id"), "{stderr}");
    }
    let second = twins[1]["account_id"].as_str().unwrap();
    let pause = silo(&["--demo", "deploy", "pause", "--tenant", second, "--dry-run"], home.path());
    let stderr = String::from_utf8_lossy(&pause.stderr);
    assert_eq!(pause.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("pipeline willow-cosmetics-release in 100000000005 is also willow-cosmetics's"),
        "{stderr}"
    );
    let status = silo(&["--demo", "deploy", "status", "--tenant", second, "--format", "json"], home.path());
    assert!(status.status.success(), "an account id chooses: {}", String::from_utf8_lossy(&status.stderr));
}

#[test]
fn audit_prints_the_journal_and_names_a_damaged_line() {
    let home = tempfile::tempdir().unwrap();
    let journal = home.path().join("state/silo/audit.jsonl");
    std::fs::create_dir_all(journal.parent().unwrap()).unwrap();
    let line = r#"{"time":"2026-11-29T10:00:00.000Z","identity":"arn:aws:sts::1:assumed-role/OnCall/me","tenants":["acme"],"account":"222222222222","region":"us-east-1","api":"securityhub:BatchUpdateFindings","parameters":{"Workflow.Status":"RESOLVED","Note":"fixed"},"ids":["f-1"],"mode":"refused","result":"read-only","request_ids":[]}"#;
    std::fs::write(&journal, format!("{line}\n")).unwrap();
    let out = silo(&["audit", "--format", "json"], home.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let entries: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(entries[0]["mode"], "refused");
    assert_eq!(entries[0]["ids"], serde_json::json!(["f-1"]));
    std::fs::write(&journal, format!("{line}\n{{not json\n")).unwrap();
    let bad = silo(&["audit"], home.path());
    assert!(bad.status.success(), "a damaged line is skipped, not fatal");
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("audit.jsonl:2:"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    assert!(String::from_utf8_lossy(&bad.stdout).contains("securityhub:BatchUpdateFindings"), "the good line is shown");
    let verify = silo(&["audit", "verify"], home.path());
    assert_eq!(verify.status.code(), Some(1), "a line that is not an entry breaks the chain");
    assert!(String::from_utf8_lossy(&verify.stderr).contains("audit.jsonl:2: not an entry"));
}

#[test]
fn audit_verify_passes_on_the_chain_silo_writes() {
    let home = tempfile::tempdir().unwrap();
    let refused = silo(&["--demo", "deploy", "rollback", "--tenant", "delta-aero"], home.path());
    assert_eq!(refused.status.code(), Some(1), "no terminal: refused and journaled");
    let dry = silo(&["--demo", "deploy", "rollback", "--tenant", "delta-aero", "--dry-run"], home.path());
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    let verify = silo(&["--demo", "audit", "verify"], home.path());
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stderr));
    assert!(String::from_utf8_lossy(&verify.stdout).contains("2 entries, chain intact"));
}

#[test]
fn offline_reads_the_last_snapshot_and_says_when_there_is_none() {
    let home = tempfile::tempdir().unwrap();
    let none = silo(&["fleet", "--demo", "--offline"], home.path());
    assert_eq!(none.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no fleet snapshot for this organization yet"));
    let online = silo(&["fleet", "--demo", "--format", "json"], home.path());
    assert!(online.status.success());
    let offline = silo(&["fleet", "--demo", "--offline", "--format", "json"], home.path());
    assert!(offline.status.success(), "{}", String::from_utf8_lossy(&offline.stderr));
    assert!(String::from_utf8_lossy(&offline.stderr).starts_with("offline: snapshot from "));
    let a: serde_json::Value = serde_json::from_slice(&online.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&offline.stdout).unwrap();
    assert_eq!(a["tenants"], b["tenants"], "the same fleet, with the same data times");
}

#[test]
fn an_unknown_start_view_is_refused_before_the_screen_is_touched() {
    let home = tempfile::tempdir().unwrap();
    let out = silo(&["--demo", "--view", "budgets"], home.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("unknown view \"budgets\": expected one of alarms, audit, deployments, errors, fleet, findings, health, history, queries, releases, rollouts, spend"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\u{1b}[?1049h"));
}

#[test]
fn a_demo_query_reads_every_result_page_and_a_failed_one_exits_with_athenas_message() {
    let home = tempfile::tempdir().unwrap();
    let tenant = ["--tenant", "aurora-foods"];
    let out =
        silo(&["--demo", "query", "vpc-rejected-connections", tenant[0], tenant[1], "--format", "json"], home.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["state"], "SUCCEEDED");
    assert_eq!(doc["rows"].as_array().map(Vec::len), Some(2500), "three pages of at most 1,000 rows");
    assert_eq!(doc["columns"][0], "srcaddr");
    assert!(doc["cost_usd"].as_f64().is_some_and(|c| c > 0.0));

    // A read the demo's Athena does not run (it runs SELECT and WITH only) fails as Athena would.
    let failed = silo(&["--demo", "query", "--sql", "SHOW TABLES", "--format", "csv"], home.path());
    assert_eq!(failed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("query FAILED: line 1:1: mismatched input 'SHOW'"));

    let placeholder = silo(&["--demo", "query", "--sql", "SELECT * FROM t WHERE a = ?"], home.path());
    assert_eq!(placeholder.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&placeholder.stderr).contains("--sql takes no `?` placeholders"));
}

#[test]
fn completions_and_the_man_page_cover_every_command() {
    let home = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = silo(&["completions", shell], home.path());
        assert!(out.status.success(), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
        let script = String::from_utf8_lossy(&out.stdout);
        for command in ["fleet", "findings", "alarms", "metrics", "audit", "spend", "query", "deploy"] {
            assert!(script.contains(command), "{shell} completion lacks {command}");
        }
    }
    let man = silo(&["man"], home.path());
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(page.contains(".TH silo 1") && page.contains("deploy") && page.contains("\\-\\-read\\-only"), "{page}");
    let unknown = silo(&["completions", "tcsh"], home.path());
    assert_eq!(unknown.status.code(), Some(2), "clap's usage error");
}

#[test]
fn an_image_must_be_named_whole_and_several_tenants_need_their_count() {
    let home = tempfile::tempdir().unwrap();
    let empty = silo(&["--demo", "deploy", "rollback", "--image", "", "--yes"], home.path());
    assert!(!empty.status.success());
    assert!(String::from_utf8_lossy(&empty.stderr).contains("must not be empty"));
    let part = silo(&["--demo", "deploy", "rollback", "--image", "2026.11", "--yes"], home.path());
    assert_eq!(part.status.code(), Some(1), "a part of a tag matches nothing");
    assert!(String::from_utf8_lossy(&part.stderr).contains("no tenant to roll back"));
    let two = ["--demo", "deploy", "rollback", "--tenant", "delta-aero", "--tenant", "cobalt-mining", "--yes"];
    let unsure = silo(&two, home.path());
    assert_eq!(unsure.status.code(), Some(1));
    let err = String::from_utf8_lossy(&unsure.stderr);
    assert!(err.contains("--yes on 2 tenants also needs --expect 2"), "{err}");
    assert!(err.contains("Selected: cobalt-mining, delta-aero"), "{err}");
    let wrong = silo(&[&two[..], &["--expect", "3"]].concat(), home.path());
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("--expect 3 but 2 tenants are selected"));
    let journal = std::fs::read_to_string(home.path().join("state/silo/demo-audit.jsonl")).unwrap();
    assert!(journal.lines().all(|l| l.contains("\"refused\"")), "refusals journaled, nothing done:\n{journal}");
    let sure = silo(&[&two[..], &["--expect", "2"]].concat(), home.path());
    assert!(sure.status.success(), "{}", String::from_utf8_lossy(&sure.stderr));
    // The demo's actions have a journal of their own: the organization's is never touched.
    assert!(!home.path().join("state/silo/audit.jsonl").exists(), "the demo wrote to the real journal");
    let demo_audit = silo(&["--demo", "audit", "--format", "json"], home.path());
    let entries: serde_json::Value = serde_json::from_slice(&demo_audit.stdout).expect("json");
    assert!(entries.as_array().is_some_and(|e| e.len() >= 4), "`silo --demo audit` reads it: {entries}");
}

#[test]
fn offline_refuses_every_command_that_needs_aws() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        &["--demo", "--offline", "deploy", "rollback", "--tenant", "delta-aero", "--yes"][..],
        &["--demo", "--offline", "findings"],
        &["--demo", "--offline", "spend"],
        &["--demo", "--offline", "query", "alb-5xx-by-path", "--tenant", "delta-aero"],
    ] {
        let out = silo(args, home.path());
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--offline") && err.contains("needs AWS"), "{args:?}: {err}");
    }
    assert!(!home.path().join("state/silo/demo-audit.jsonl").exists(), "nothing was attempted");
    let list = silo(&["--demo", "--offline", "query", "--list"], home.path());
    assert!(list.status.success(), "the saved queries are local: {}", String::from_utf8_lossy(&list.stderr));
}

/// A protected tenant named with a typo would silently protect nothing: silo refuses to start,
/// naming the config line and the closest tenant, before any screen or any AWS call.
#[test]
fn a_protected_name_that_matches_no_tenant_stops_silo_at_start() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("silo.toml");
    let text = "[tenants]\nsource = \"static\"\nread_only = [\n  \"111111111111\",\n  \"globx\",\n]\n\
        [[tenants.static]]\nname = \"acme\"\naccount_id = \"111111111111\"\n\
        [[tenants.static]]\nname = \"globex\"\naccount_id = \"222222222222\"\n";
    std::fs::write(&path, text).unwrap();
    let config = path.to_str().unwrap();
    for args in [vec!["--config", config], vec!["deploy", "rollback", "--tenant", "acme", "--yes", "--config", config]]
    {
        let out = silo(&args, home.path());
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&format!("{}:5: `tenants.read_only`", path.display())), "{stderr}");
        assert!(stderr.contains("no tenant is named \"globx\"") && stderr.contains("closest: globex"), "{stderr}");
        assert!(!String::from_utf8_lossy(&out.stdout).contains("\u{1b}[?1049h"), "alternate screen never entered");
    }
}

/// `silo query` sends a statement that changes data only with --allow-write, journaled, and
/// never under --read-only.
#[test]
fn a_write_statement_needs_allow_write_and_read_only_refuses_it_journaled() {
    let home = tempfile::tempdir().unwrap();
    let out = silo(&["--demo", "query", "--sql", "DROP TABLE alb_logs"], home.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("DROP changes data") && stderr.contains("pass --allow-write"), "{stderr}");
    let journal = home.path().join("state/silo/demo-audit.jsonl");
    assert!(!journal.exists(), "nothing was attempted");
    let out = silo(&["--demo", "--read-only", "query", "--sql", "DROP TABLE alb_logs", "--allow-write"], home.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("API:        athena:StartQueryExecution"), "the plan is shown first: {stderr}");
    assert!(stderr.contains("read-only"), "{stderr}");
    let text = std::fs::read_to_string(&journal).expect("the refusal is journaled");
    assert!(text.contains("\"mode\":\"refused\"") && text.contains("DROP TABLE alb_logs"), "{text}");
}

/// `--allow-write` lets a statement be planned, not run: it is confirmed like every action
/// (typed in a terminal, or `--yes`), or dry-run; without either it is refused and journaled.
#[test]
fn a_write_statement_needs_its_confirmation_or_a_dry_run() {
    let home = tempfile::tempdir().unwrap();
    let drop = ["--demo", "query", "--sql", "DROP TABLE alb_logs", "--allow-write"];
    let unconfirmed = silo(&drop, home.path());
    assert_eq!(unconfirmed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&unconfirmed.stderr);
    assert!(stderr.contains("no terminal to confirm on; pass --yes"), "{stderr}");
    let dry = silo(&[&drop[..], &["--dry-run"]].concat(), home.path());
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    assert!(String::from_utf8_lossy(&dry.stdout).contains("dry run: nothing was sent"));
    let journal = std::fs::read_to_string(home.path().join("state/silo/demo-audit.jsonl")).expect("journaled");
    let modes: Vec<String> = journal
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["mode"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(modes, ["refused", "dry-run"], "neither reached Athena");
}

#[test]
fn a_misspelled_region_flag_is_refused_before_anything_starts() {
    let home = tempfile::tempdir().unwrap();
    let out = silo(&["fleet", "--demo", "--region", "eu-west"], home.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--region \"eu-west\": expected a region such as us-east-1"), "{stderr}");
}

/// `silo timeline` on the demo: the JSON contract, the suspects line on stderr, CSV with the
/// same columns, and bad input (an alarm the tenant does not have, a bad --since) refused.
#[test]
fn demo_timeline_follows_the_contract_and_refuses_bad_input() {
    let home = tempfile::tempdir().unwrap();
    let args = ["--demo", "timeline", "--tenant", "delta-aero", "--around-alarm", "delta-aero-ecs-running-tasks"];
    let out = silo(&[&args[..], &["--format", "json"]].concat(), home.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 suspect: deployment to delta-aero-app:"));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["tenant", "account_id", "from", "to", "events", "errors"] {
        assert!(doc.get(key).is_some(), "{key} missing: {doc}");
    }
    let event = &doc["events"][0];
    for key in ["at", "source", "kind", "title", "detail", "suspect", "ref"] {
        assert!(event.get(key).is_some(), "{key} missing: {event}");
    }
    let csv = silo(&[&args[..], &["--format", "csv"]].concat(), home.path());
    assert!(String::from_utf8_lossy(&csv.stdout).starts_with("at,source,kind,title,detail,suspect,ref\r\n"));
    let unknown =
        silo(&["--demo", "timeline", "--tenant", "delta-aero", "--around-alarm", "delta-aero-alb-5x"], home.path());
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr)
        .contains("has no alarm \"delta-aero-alb-5x\"; its alarms include: delta-aero-alb-5xx"));
    let bad = silo(&["--demo", "timeline", "--tenant", "delta-aero", "--since", "0h"], home.path());
    assert_eq!(bad.status.code(), Some(1));
}

fn demo_json(args: &[&str]) -> serde_json::Value {
    let home = tempfile::tempdir().unwrap();
    let out = silo(args, home.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn demo_versions_and_scheduled_updates_follow_their_contracts() {
    let rows = demo_json(&["versions", "--demo", "--format", "json"]);
    let rows = rows.as_array().unwrap();
    let keys = [
        "tenant",
        "account_id",
        "revision",
        "image",
        "version",
        "window",
        "window_open",
        "next_window_start",
        "certified",
        "certified_ok",
        "scheduled",
        "provisioned",
        "error",
    ];
    for r in rows {
        for k in keys {
            assert!(r.get(k).is_some(), "{k} missing in {r}");
        }
    }
    let delta = rows.iter().find(|r| r["tenant"] == "delta-aero").unwrap();
    assert_eq!((delta["version"].as_str(), delta["certified_ok"].as_bool()), (Some("1.4.2"), Some(false)));
    let scheduled: Vec<&serde_json::Value> =
        rows.iter().filter(|r| r["scheduled"].as_array().is_some_and(|s| !s.is_empty())).collect();
    assert_eq!(scheduled.len(), 3, "three tenants have an update on their schedule");
    let quartz = rows.iter().find(|r| r["tenant"] == "quartz-glass").unwrap();
    assert_eq!(
        quartz["provisioned"][0],
        serde_json::json!({ "product": "opsfactor-tenant-env", "artifact": "v1.5.0", "status": "TAINTED" }),
        "the demo reads Service Catalog"
    );
    let list = demo_json(&["rollout", "list", "--demo", "--format", "json"]);
    let rows = list.as_array().unwrap();
    let at: Vec<&str> = rows.iter().map(|r| r["at"].as_str().unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] <= w[1]), "soonest first: {at:?}");
    for r in rows {
        let named_by_account = format!("silo-{}-r", r["account_id"].as_str().unwrap());
        assert!(r["name"].as_str().unwrap().starts_with(&named_by_account), "{r}");
        for k in ["tenant", "to_revision", "to_version", "outcome", "outcome_detail", "landed_at"] {
            assert!(r.get(k).is_some(), "{k} missing in {r}");
        }
    }
    // The three scheduled, and the demo's two earlier schedules with what became of them.
    let outcomes: Vec<(&str, &str)> =
        rows.iter().map(|r| (r["tenant"].as_str().unwrap(), r["outcome"].as_str().unwrap())).collect();
    assert_eq!(outcomes.iter().filter(|(_, o)| *o == "scheduled").count(), 3, "{outcomes:?}");
    assert_eq!(&outcomes[..2], [("aurora-foods", "landed"), ("lumen-energy", "failed")], "{outcomes:?}");
    assert!(rows[0]["landed_at"].is_string() && rows[1]["landed_at"].is_null());
    assert!(rows[1]["outcome_detail"].as_str().unwrap().contains("3 target error(s)"), "{}", rows[1]);
}

#[test]
fn demo_health_and_compliance_follow_their_contracts() {
    let events = demo_json(&["health", "--demo", "--format", "json"]);
    let open: Vec<&serde_json::Value> = events.as_array().unwrap().iter().filter(|e| e["status"] == "open").collect();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0]["tenants"], serde_json::json!(["harbor-pharma", "lumen-energy"]));
    let rules = demo_json(&["compliance", "--demo", "--tenant", "fjord-logistics", "--format", "json"]);
    assert_eq!(rules[0]["noncompliant_rules"], 3);
    assert_eq!(rules[0]["rules"].as_array().map(Vec::len), Some(3));
}

/// `silo governance`: the demo's one drifted account, what drifted, and the contract's CSV header.
#[test]
fn demo_governance_names_the_drifted_account_and_follows_its_contract() {
    let rows = demo_json(&["governance", "--demo", "--format", "json"]);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), silo_demo::DEMO_TENANTS.len(), "Control Tower reads every account, denied role or not");
    let drifted: Vec<&serde_json::Value> = rows.iter().filter(|r| r["state"] != "enrolled").collect();
    assert_eq!(drifted.len(), 1, "one drifted account: {drifted:?}");
    assert_eq!(drifted[0]["tenant"], "quartz-glass");
    assert_eq!(drifted[0]["drifted"], serde_json::json!(["baseline AWSControlTowerBaseline"]));
    assert_eq!(drifted[0]["landing_zone"]["version"], "3.3");
    let home = tempfile::tempdir().unwrap();
    let csv = silo(&["governance", "--demo", "--format", "csv", "--tenant", "quartz-glass"], home.path());
    let header = "tenant,account_id,state,ou,landing_zone_version,landing_zone_drift,enrolment_status,\
        enabled_controls,drifted_controls,drifted,error";
    let text = String::from_utf8_lossy(&csv.stdout);
    assert_eq!(text.lines().next(), Some(header));
    assert!(
        text.contains(",drifted,ou-7kq2-tenants,3.3,IN_SYNC,SUCCEEDED,6,0,baseline AWSControlTowerBaseline,"),
        "{text}"
    );
}

#[test]
fn demo_scheduling_refuses_what_the_customer_did_not_agree_and_changes_nothing() {
    let home = tempfile::tempdir().unwrap();
    let uncertified =
        ["--demo", "rollout", "schedule", "--tenant", "delta-aero", "--to-revision", "50", "--next-window", "--yes"];
    let out = silo(&uncertified, home.path());
    assert_eq!(out.status.code(), Some(1));
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(why.contains("1.5.0 is NOT certified by the customer (certified: 1.4.1)"), "{why}");
    assert!(why.contains("add --uncertified --reason TEXT"), "{why}");
    let reason_alone = silo(&[&uncertified[..], &["--reason", "ok"]].concat(), home.path());
    assert!(String::from_utf8_lossy(&reason_alone.stderr)
        .contains("--reason goes with --outside-window, --uncertified, --vulnerable or --other-repository"));
    let past = silo(
        &[
            "--demo",
            "rollout",
            "schedule",
            "--tenant",
            "aurora-foods",
            "--to-revision",
            "43",
            "--at",
            "2020-01-01T00:00:00Z",
            "--yes",
        ],
        home.path(),
    );
    assert!(String::from_utf8_lossy(&past.stderr).contains("2020-01-01T00:00:00Z is in the past"));
    let unknown = silo(
        &["--demo", "rollout", "cancel", "--tenant", "aurora-foods", "--name", "silo-aurora-foods-r1", "--yes"],
        home.path(),
    );
    assert!(String::from_utf8_lossy(&unknown.stderr)
        .contains("aurora-foods has no schedule \"silo-aurora-foods-r1\"; its schedules: none"));
    let journal = std::fs::read_to_string(home.path().join("state/silo/demo-audit.jsonl")).unwrap_or_default();
    assert!(journal.is_empty(), "refused while planning: nothing was asked of AWS, nothing journaled");
}

/// `silo errors` is the twin of `:errors`: the demo's denied tenant first, then its missing
/// service; `--offline` answers from the snapshot `silo errors` itself saved.
#[test]
fn errors_lists_the_failed_reads_denied_first_and_answers_offline_from_the_snapshot() {
    let home = tempfile::tempdir().unwrap();
    let out = silo(&["errors", "--demo", "--format", "json"], home.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = report["errors"].as_array().unwrap();
    let listed: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r["tenant"].as_str().unwrap(), r["source"].as_str().unwrap(), r["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(listed, [("kestrel-motors", "sts", "denied"), ("rivet-industrial", "ecs", "not_found")]);
    assert_eq!(report["tenants"].as_u64(), Some(silo_demo::DEMO_TENANTS.len() as u64));
    assert_eq!(report["tenants_with_errors"].as_u64(), Some(2));
    let csv = silo(&["errors", "--demo", "--offline", "--format", "csv"], home.path());
    assert!(csv.status.success(), "{}", String::from_utf8_lossy(&csv.stderr));
    let text = String::from_utf8_lossy(&csv.stdout);
    assert_eq!(text.lines().next(), Some("tenant,account_id,source,kind,message"));
    assert!(text.lines().nth(1).is_some_and(|l| l.starts_with("kestrel-motors,210079193010,sts,denied,")), "{text}");
}

/// `silo releases` is the twin of `:releases`: the demo's train from its pipeline runs, 1.5.1's
/// failed build without an image, 1.4.0's critical finding that customers certified anyway.
#[test]
fn demo_releases_follow_the_contract() {
    let home = tempfile::tempdir().unwrap();
    let out = silo(&["releases", "--demo", "--format", "json"], home.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (report["registry"].as_str(), report["repository"].as_str()),
        (Some("123456789012"), Some("opsfactor/app"))
    );
    let releases = report["releases"].as_array().unwrap();
    let versions: Vec<&str> = releases.iter().map(|r| r["version"].as_str().unwrap()).collect();
    assert_eq!(versions, ["1.5.1", "1.5.0", "1.4.2", "1.4.1", "1.4.0", "1.3.8"], "newest first");
    let failed = &releases[0];
    assert_eq!((failed["digest"].is_null(), failed["build"]["status"].as_str()), (true, Some("Failed")));
    assert_eq!(failed["build"]["failure"]["action"], "BuildImage");
    let risky = &releases[4];
    assert_eq!(risky["scan"]["findings"]["critical"], 1);
    assert_eq!(risky["certified_by"], serde_json::json!(["lumen-energy", "sable-furniture"]), "certified anyway");
    assert_eq!((risky["scan"]["source"].as_str(), risky["scan_stale"].as_bool()), (Some("ecr_basic"), Some(true)));
    assert!(releases[5]["scan"]["status"].is_null(), "1.3.8 was never scanned");
    let monitored = &releases[1];
    assert_eq!(
        (monitored["scan"]["source"].as_str(), monitored["scan_age_days"].as_i64()),
        (Some("inspector"), Some(0))
    );
    assert!(report["inspector_error"].is_null());
    let running: u64 = releases.iter().map(|r| r["running_on"].as_array().unwrap().len() as u64).sum();
    assert_eq!(
        running,
        silo_demo::DEMO_TENANTS.len() as u64 - 2,
        "all but the denied tenant and the one without a service"
    );
    let csv = silo(&["releases", "--demo", "--format", "csv"], home.path());
    let header = "version,tags,digest,pushed_at,size_bytes,scan_status,critical,high,build_status,pipeline,\
        execution_id,commit,certified_by,scheduled_for,running_on,scan_source,scan_age_days,scan_stale";
    assert_eq!(String::from_utf8_lossy(&csv.stdout).lines().next(), Some(header));
}

/// The image term: the demo's 1.4.0 carries a critical finding, so moving sable-furniture to it
/// (certified, in its window) is refused until `--vulnerable` with a reason, and the plan says why.
#[test]
fn demo_scheduling_a_version_with_a_critical_finding_needs_the_vulnerable_override() {
    let home = tempfile::tempdir().unwrap();
    let to_140 =
        ["--demo", "rollout", "schedule", "--tenant", "sable-furniture", "--to-revision", "55", "--next-window"];
    let refused = silo(&[&to_140[..], &["--yes"]].concat(), home.path());
    assert_eq!(refused.status.code(), Some(1));
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("1.4.0's image has 1 critical vulnerability (ECR scan of"), "{why}");
    assert!(why.contains("add --vulnerable --reason TEXT") && why.contains("nothing was changed"), "{why}");
    let overridden = silo(
        &[&to_140[..], &["--vulnerable", "--reason", "hotfix, CVE not reachable", "--dry-run"]].concat(),
        home.path(),
    );
    assert!(overridden.status.success(), "{}", String::from_utf8_lossy(&overridden.stderr));
    let plan = String::from_utf8_lossy(&overridden.stdout);
    assert!(plan.contains("image:      1.4.0's image has 1 critical vulnerability"), "{plan}");
    assert!(plan.contains("override:   --vulnerable because \"hotfix, CVE not reachable\""), "{plan}");
}

/// A terminal that is gone (an SSH drop) makes every write to stderr fail: silo says what it
/// can and goes on, it never panics on a note (a panic in the signal handler would leave an
/// action sequence running unattended).
#[test]
fn a_stderr_that_cannot_be_written_is_not_a_panic() {
    let home = tempfile::tempdir().unwrap();
    assert!(silo(&["fleet", "--demo", "--format", "json"], home.path()).status.success(), "the snapshot");
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_silo"))
        .args(["fleet", "--demo", "--offline", "--format", "json"])
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env_remove("SILO_CONFIG")
        .stderr(writer)
        .output()
        .expect("run silo");
    assert_eq!(out.status.code(), Some(0), "the offline note to a dead stderr is dropped, not a panic");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the fleet on stdout");
    assert!(report["tenants"].as_array().is_some_and(|t| !t.is_empty()));
}

/// `silo audit head` prints what to keep off the machine; `verify --head` checks the journal
/// still holds it, and names it when it does not.
#[test]
fn audit_head_is_kept_elsewhere_and_verify_checks_against_it() {
    let home = tempfile::tempdir().unwrap();
    let dry = silo(&["--demo", "deploy", "rollback", "--tenant", "delta-aero", "--dry-run"], home.path());
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    let head = silo(&["--demo", "audit", "head"], home.path());
    assert!(head.status.success(), "{}", String::from_utf8_lossy(&head.stderr));
    let text = String::from_utf8_lossy(&head.stdout).to_string();
    let (count, hash) = text.trim().split_once(' ').expect("COUNT HASH");
    assert_eq!((count, hash.len()), ("1", 64), "{text}");
    let held = silo(&["--demo", "audit", "verify", "--head", hash], home.path());
    assert!(String::from_utf8_lossy(&held.stdout).contains("holds the head kept elsewhere"));
    let other = "0".repeat(64);
    let missing = silo(&["--demo", "audit", "verify", "--head", &other], home.path());
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no line of the chain has the head"));
}

/// `silo compare` checks its flags before reading anything, and on the demo finds the tenant 1.5.0
/// made worse first, with the method in the answer; `silo across` puts every tenant's series on
/// one axis.
#[test]
fn demo_compare_and_across_follow_their_contracts_and_refuse_bad_flags() {
    let home = tempfile::tempdir().unwrap();
    let bad = silo(&["--demo", "compare", "--version", "1.5.0", "--metric", "errors"], home.path());
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("--metric: unknown metric \"errors\": expected one of 5xx, p99")
    );
    let long = silo(&["--demo", "compare", "--version", "1.5.0", "--window", "9d"], home.path());
    assert!(String::from_utf8_lossy(&long.stderr).contains("--window"), "{}", String::from_utf8_lossy(&long.stderr));
    let report = demo_json(&[
        "compare",
        "--demo",
        "--version",
        "1.5.0",
        "--metric",
        "p99",
        "--window",
        "24h",
        "--format",
        "json",
    ]);
    assert_eq!(report["method"]["window_seconds"], 86_400);
    assert_eq!(report["method"]["statistics"], "median and 95th percentile (nearest rank) of the period values");
    let first = &report["tenants"][0];
    assert_eq!((first["tenant"].as_str(), first["worse"].as_bool()), (Some("ember-textiles"), Some(true)));
    let csv = silo(&["--demo", "compare", "--version", "1.5.0", "--format", "csv"], home.path());
    let header = "tenant,account_id,deployment_started,deployment_finished,before_median,before_p95,after_median,\
        after_p95,change_percent,p95_change_percent,worse,incomplete,error";
    assert_eq!(String::from_utf8_lossy(&csv.stdout).lines().next(), Some(header));
    let across = demo_json(&["across", "--demo", "--metric", "5xx", "--range", "1h", "--format", "json"]);
    let tenants = across["tenants"].as_array().unwrap();
    assert_eq!(tenants.len(), silo_demo::DEMO_TENANTS.len());
    let high = across["axis"]["high"].as_f64().unwrap();
    let highest = tenants
        .iter()
        .flat_map(|t| t["points"].as_array().unwrap())
        .filter_map(|p| p["v"].as_f64())
        .fold(0.0, f64::max);
    assert!(highest <= high && high > 10.0, "one axis holds every tenant's series, borealis-steel's incident too");
}
