//! EventBridge Scheduler's firing, which moto does not do (scripts/lib/scheduler_bed.py): the
//! execution role is installed as docs/iam.md says, and a schedule is fired by assuming that
//! role under the trust policy's conditions as Scheduler presents them, then calling the target
//! with the input mapped onto the operation's model. Both go through the model check.
#![allow(dead_code)]

use aws_credential_types::Credentials;
use std::process::Command;

fn bed(credentials: &Credentials, args: &[&str]) -> Result<serde_json::Value, String> {
    let python = std::env::var("SILO_MODEL_PYTHON")
        .expect("SILO_MODEL_PYTHON is not set: run the suite with scripts/test, which installs boto3 with moto");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/lib/scheduler_bed.py");
    let mut command = Command::new(python);
    command
        .arg(script)
        .args(args)
        .env("AWS_ACCESS_KEY_ID", credentials.access_key_id())
        .env("AWS_SECRET_ACCESS_KEY", credentials.secret_access_key())
        .env_remove("AWS_SESSION_TOKEN");
    if let Some(token) = credentials.session_token() {
        command.env("AWS_SESSION_TOKEN", token);
    }
    let out = command.output().expect("run scheduler_bed.py");
    match out.status.code() {
        Some(0) => Ok(serde_json::from_slice(&out.stdout).expect("the bed answers JSON")),
        Some(3) => Err(String::from_utf8_lossy(&out.stderr).trim().to_string()),
        _ => panic!("scheduler_bed.py {args:?} broke: {}", String::from_utf8_lossy(&out.stderr)),
    }
}

fn doc(name: &str) -> String {
    format!("{}/docs/iam/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// `role` in the account of `credentials`, with the trust policy in `trust_file`
/// (TENANT_ACCOUNT_ID filled in) and the permissions in `policy_file`, as an operator would.
pub fn install_role(credentials: &Credentials, role: &str, trust_file: &str, policy_file: &str) {
    bed(credentials, &["install-role", &super::endpoint(), role, trust_file, policy_file]).expect("role installed");
}

/// `SiloScheduler` in the account of `credentials`, with the trust policy in `trust_file`
/// (TENANT_ACCOUNT_ID filled in) and docs/iam/silo-scheduler.json as its permissions.
pub fn install_role_with_trust(credentials: &Credentials, trust_file: &str) {
    install_role(credentials, "SiloScheduler", trust_file, &doc("silo-scheduler.json"));
}

/// `SiloScheduler` exactly as docs/iam.md documents it.
pub fn install_documented_role(credentials: &Credentials) {
    install_role_with_trust(credentials, &doc("silo-scheduler-trust.json"));
}

/// `SiloScheduler` with the trust policy releases before #23 documented: `aws:SourceArn` scoped to
/// `schedule/silo-rollouts/*`, which Scheduler never presents (it presents the group's ARN).
pub fn install_role_with_earlier_trust(credentials: &Credentials) {
    let trust = std::fs::read_to_string(doc("silo-scheduler-trust.json"))
        .expect("the documented trust")
        .replace("schedule-group/silo-rollouts", "schedule/silo-rollouts/*");
    let earlier = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(earlier.path(), trust).expect("write");
    install_role_with_trust(credentials, earlier.path().to_str().expect("utf-8 path"));
}

/// Fires schedule `name` of `group` as Scheduler would; Err holds what Scheduler would record.
pub fn fire(credentials: &Credentials, group: &str, name: &str) -> Result<serde_json::Value, String> {
    bed(credentials, &["fire", &super::endpoint(), group, name])
}
