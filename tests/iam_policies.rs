//! docs/iam/*.json name only what silo calls, and every call silo makes is in one of them. The
//! calls are read from the source of src/aws/ (every `.operation()` of an SDK client), so a new
//! call without its permission, or a permission nobody uses, fails here.

use std::collections::BTreeSet;

/// The IAM service prefix of the calls in each src/aws/ module.
const MODULES: [(&str, &str); 20] = [
    ("assume.rs", "sts"),
    ("athena.rs", "athena"),
    ("budgets.rs", "budgets"),
    ("cloudwatch.rs", "cloudwatch"),
    ("codepipeline.rs", "codepipeline"),
    ("context.rs", "sts"),
    ("configservice.rs", "config"),
    ("costexplorer.rs", "ce"),
    ("ecs.rs", "ecs"),
    ("ecs_deploy.rs", "ecs"),
    ("ecs_events.rs", "ecs"),
    ("guardduty.rs", "guardduty"),
    ("health.rs", "health"),
    ("metrics.rs", "cloudwatch"),
    ("organizations.rs", "organizations"),
    ("scheduler.rs", "scheduler"),
    ("securityhub.rs", "securityhub"),
    ("securityhub_v2.rs", "securityhub"),
    ("servicecatalog.rs", "servicecatalog"),
    ("vpn.rs", "cloudwatch"),
];

/// Modules that call several services: each call with its action (doctor checks one of each).
const MIXED: [(&str, &[(&str, &str)]); 1] = [(
    "doctor.rs",
    &[
        ("get_caller_identity", "sts:GetCallerIdentity"),
        ("get_findings", "securityhub:GetFindings"),
        ("list_detectors", "guardduty:ListDetectors"),
        ("get_work_group", "athena:GetWorkGroup"),
        ("describe_budgets", "budgets:ViewBudget"),
        // silo's own FleetSource method: its calls are counted in organizations.rs.
        ("list_tenants", ""),
    ],
)];

/// Permissions without an operation of their own: AssumeRole with a SourceIdentity needs
/// SetSourceIdentity (assume.rs); CreateSchedule hands Scheduler its role (iam:PassRole).
const THROUGH_PROVIDERS: [&str; 2] = ["sts:SetSourceIdentity", "iam:PassRole"];
/// Athena reads the catalog and the logs, and writes results, with the caller's permissions.
const ON_ATHENAS_BEHALF: [&str; 8] = [
    "glue:GetDatabase",
    "glue:GetTable",
    "glue:GetPartitions",
    "s3:GetObject",
    "s3:ListBucket",
    "s3:GetBucketLocation",
    "s3:PutObject",
    "s3:AbortMultipartUpload",
];

const VERBS: [&str; 16] = [
    "list_",
    "search_",
    "create_",
    "delete_",
    "describe_",
    "get_",
    "update_",
    "stop_",
    "continue_",
    "start_",
    "batch_",
    "archive_",
    "unarchive_",
    "disable_",
    "enable_",
    "assume_",
];

fn pascal(snake: &str) -> String {
    snake.split('_').map(|w| w[..1].to_uppercase() + &w[1..]).collect::<Vec<_>>().concat()
}

/// The SDK operations called in one src/aws/ file.
fn calls_in(file: &str) -> BTreeSet<String> {
    let text =
        std::fs::read_to_string(format!("{}/crates/aws/src/{file}", env!("CARGO_MANIFEST_DIR"))).expect("module");
    let mut found = BTreeSet::new();
    for piece in text.split('.').skip(1) {
        let Some((name, _)) = piece.split_once("()") else { continue };
        let is_call = VERBS.iter().any(|v| name.starts_with(v))
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if is_call {
            found.insert(name.to_string());
        }
    }
    found
}

/// `svc:Action` for every SDK operation called in src/aws/; Budgets' Describe* calls need
/// budgets:ViewBudget.
fn actions_in_code() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (file, service) in MODULES {
        for name in calls_in(file) {
            let action = if service == "budgets" { "ViewBudget".to_string() } else { pascal(&name) };
            found.insert(format!("{service}:{action}"));
        }
    }
    for (file, known) in MIXED {
        for name in calls_in(file) {
            let action = known.iter().find(|(op, _)| *op == name).map(|(_, a)| a.to_string());
            let action = action.unwrap_or_else(|| panic!("{file} calls {name}: add it to MIXED with its IAM action"));
            if !action.is_empty() {
                found.insert(action);
            }
        }
    }
    found
}

fn actions_in_policies() -> BTreeSet<String> {
    let dir = format!("{}/docs/iam", env!("CARGO_MANIFEST_DIR"));
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(dir).expect("docs/iam") {
        let path = entry.expect("entry").path();
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("policy JSON");
        assert_eq!(doc["Version"], "2012-10-17", "{}", path.display());
        for statement in doc["Statement"].as_array().expect("statements") {
            assert_eq!(statement["Effect"], "Allow", "{}", path.display());
            for action in statement["Action"].as_array().expect("actions") {
                let action = action.as_str().expect("action string");
                assert!(!action.contains('*'), "{}: no wildcards ({action})", path.display());
                found.insert(action.to_string());
            }
        }
    }
    found
}

#[test]
fn the_policies_name_exactly_the_calls_silo_makes() {
    let code = actions_in_code();
    assert!(code.contains("ecs:ListServiceDeployments") && code.contains("athena:StopQueryExecution"), "{code:?}");
    assert!(code.contains("securityhub:BatchUpdateFindingsV2"), "{code:?}");
    let policies = actions_in_policies();
    let allowed: BTreeSet<String> =
        code.iter().cloned().chain(THROUGH_PROVIDERS.iter().chain(&ON_ATHENAS_BEHALF).map(|a| a.to_string())).collect();
    let unused: Vec<&String> = policies.difference(&allowed).collect();
    assert!(unused.is_empty(), "docs/iam grants what silo never calls: {unused:?}");
    let missing: Vec<&String> = code.difference(&policies).collect();
    assert!(missing.is_empty(), "silo calls what no policy in docs/iam grants: {missing:?}");
}

/// A new module in crates/aws/src that calls AWS must say which service it calls, or its calls
/// would escape the check above.
#[test]
fn every_module_that_calls_aws_is_listed() {
    let dir = format!("{}/crates/aws/src", env!("CARGO_MANIFEST_DIR"));
    let listed: BTreeSet<&str> = MODULES.iter().map(|(f, _)| *f).chain(MIXED.iter().map(|(f, _)| *f)).collect();
    let mut unlisted = Vec::new();
    for entry in std::fs::read_dir(dir).expect("crates/aws/src") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        if name.ends_with(".rs") && !listed.contains(name.as_str()) && !calls_in(&name).is_empty() {
            unlisted.push(format!("{name}: {:?}", calls_in(&name)));
        }
    }
    assert!(unlisted.is_empty(), "add these to MODULES or MIXED: {unlisted:?}");
}
