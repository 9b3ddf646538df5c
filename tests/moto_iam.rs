//! silo under enforced IAM: a moto server of its own (scripts/test starts it, behind a model
//! check of its own, so these requests are checked against the AWS models too) holds an
//! organization whose roles carry exactly the documented policies (docs/iam/), then enforces IAM
//! (signatures, identity and role policies, AssumeRole trust; scripts/lib/iam_bed.py). silo runs
//! with a user holding only silo-base.json: it lists the tenants, assumes the read role in a
//! tenant (with SourceIdentity), reads the deployments and the findings, and rolls a tenant back
//! with the operator role. A tenant whose operator role lacks ecs:UpdateService is refused, so
//! the enforcement is real. One test in this binary: it is the server's only user.
//!
//! What moto's enforcement cannot check, and what covers it instead:
//! - CloudWatch: moto names its actions after the signing name (`monitoring:DescribeAlarms`), so
//!   any policy granting `cloudwatch:*` actions is refused; Budgets: moto asks for
//!   `budgets:DescribeBudgets` where AWS authorizes with `budgets:ViewBudget`. Both are covered by
//!   the per-role test (tests/iam_policies.rs) and `silo doctor --deep` on a real organization.
//! - Scheduler and GuardDuty: moto computes their signatures differently from the SDK and
//!   refuses every request (SignatureDoesNotMatch): the fleet, schedules and GuardDuty are not
//!   read here.
//! - Resource ARNs and conditions are checked for STS (trust) only; a trust naming the account
//!   (`arn:aws:iam::ACCOUNT:root`) does not admit its users in moto, so the seeded roles trust the
//!   user's ARN.
//! - Operations moto does not serve at all (Health, Config aggregates, Service Catalog,
//!   ECS service deployments, Security Hub's updates) are covered by aws-smithy-mocks.

use std::process::{Command, Output};

struct Seeded {
    endpoint: String,
    access_key: String,
    secret_key: String,
    audit: String,
    home: tempfile::TempDir,
}

fn seed() -> Seeded {
    let endpoint = std::env::var("SILO_TEST_MOTO_IAM")
        .expect("SILO_TEST_MOTO_IAM is not set: run the suite with scripts/test, which starts the IAM moto server");
    let python = std::env::var("SILO_MODEL_PYTHON").expect("SILO_MODEL_PYTHON is set by scripts/test");
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new(python)
        .args([&format!("{root}/scripts/lib/iam_bed.py"), "seed", &endpoint, root])
        .output()
        .expect("run iam_bed.py");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let seeded: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let text = |k: &str| seeded[k].as_str().expect("seeded").to_string();
    Seeded {
        endpoint,
        access_key: text("access_key"),
        secret_key: text("secret_key"),
        audit: text("audit"),
        home: tempfile::tempdir().expect("tempdir"),
    }
}

impl Seeded {
    fn silo(&self, args: &[&str]) -> Output {
        let config = self.home.path().join("silo.toml");
        let text = format!(
            "region = \"us-east-1\"\n[tenants]\nsource = \"organizations\"\nou = \"Tenants\"\n[audit]\naccount_id = \"{}\"\nfindings_api = \"v1\"\n[fetch]\nmax_attempts = 1\n",
            self.audit
        );
        std::fs::write(&config, text).expect("config");
        Command::new(env!("CARGO_BIN_EXE_silo"))
            .args(args)
            .args(["--config", config.to_str().expect("utf-8")])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("XDG_STATE_HOME", self.home.path().join("state"))
            .env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", &self.access_key)
            .env("AWS_SECRET_ACCESS_KEY", &self.secret_key)
            .env("AWS_CONFIG_FILE", self.home.path().join("none"))
            .env("AWS_SHARED_CREDENTIALS_FILE", self.home.path().join("none"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .expect("run silo")
    }

    fn running(&self, tenant: &str) -> String {
        let out = self.silo(&["deploy", "status", "--tenant", tenant, "--format", "json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let status: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        status["task_definition"].as_str().unwrap_or_default().to_string()
    }
}

fn said(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn silo_reads_and_acts_with_exactly_the_documented_policies_under_enforced_iam() {
    let s = seed();
    // Base identity (Organizations), the read role assumed with SourceIdentity, ECS reads.
    assert_eq!(s.running("alpha"), "app:2");
    let findings = s.silo(&["findings", "--format", "json"]);
    assert!(said(&findings).contains("\"id\": \"f-iam\""), "the audit role reads Security Hub: {}", said(&findings));
    assert!(!said(&findings).contains("AccessDenied"), "{}", said(&findings));

    // One deployment action: the operator role, assumed for it alone, with silo-operator.json.
    let rollback = s.silo(&["deploy", "rollback", "--tenant", "alpha", "--to-revision", "1", "--yes", "--no-wait"]);
    assert!(rollback.status.success(), "{}", said(&rollback));
    assert_eq!(s.running("alpha"), "app:1");

    // beta's operator role has the read policy: IAM refuses UpdateService and nothing changes.
    let refused = s.silo(&["deploy", "rollback", "--tenant", "beta", "--to-revision", "1", "--yes", "--no-wait"]);
    assert_eq!(refused.status.code(), Some(1), "{}", said(&refused));
    let why = said(&refused);
    assert!(why.contains("StatusCode(403)") && why.contains("the change is not in place"), "{why}");
    assert_eq!(s.running("beta"), "app:2");
}
