//! docs/iam/*.json name only what silo calls, and every call silo makes is in one of them. The
//! calls are read from the source of src/aws/ (every `.operation()` of an SDK client), so a new
//! call without its permission, or a permission nobody uses, fails here.

use std::collections::BTreeSet;

/// The IAM service prefix of the calls in each src/aws/ module.
const MODULES: [(&str, &str); 13] = [
    ("athena.rs", "athena"),
    ("budgets.rs", "budgets"),
    ("cloudwatch.rs", "cloudwatch"),
    ("codepipeline.rs", "codepipeline"),
    ("context.rs", "sts"),
    ("costexplorer.rs", "ce"),
    ("ecs.rs", "ecs"),
    ("ecs_deploy.rs", "ecs"),
    ("guardduty.rs", "guardduty"),
    ("metrics.rs", "cloudwatch"),
    ("organizations.rs", "organizations"),
    ("securityhub.rs", "securityhub"),
    ("securityhub_v2.rs", "securityhub"),
];

/// Made by the SDK for silo (the AssumeRole credentials provider), not as an `.operation()` call.
const THROUGH_PROVIDERS: [&str; 1] = ["sts:AssumeRole"];
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

const VERBS: [&str; 13] = [
    "list_",
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

/// `svc:Action` for every SDK operation called in src/aws/; Budgets' Describe* calls need
/// budgets:ViewBudget.
fn actions_in_code() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (file, service) in MODULES {
        let text = std::fs::read_to_string(format!("{}/src/aws/{file}", env!("CARGO_MANIFEST_DIR"))).expect("module");
        for piece in text.split('.').skip(1) {
            let Some(name) = piece.strip_suffix("()").or_else(|| piece.split_once("()").map(|(n, _)| n)) else {
                continue;
            };
            let is_call = VERBS.iter().any(|v| name.starts_with(v))
                && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !is_call {
                continue;
            }
            let action = if service == "budgets" { "ViewBudget".to_string() } else { pascal(name) };
            found.insert(format!("{service}:{action}"));
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
