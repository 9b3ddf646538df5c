//! The contract check itself (scripts/lib/model_check.py, between every integration test and
//! moto) and what it cannot see from the wire: the JSON inside a schedule's `Target.Input`,
//! which EventBridge Scheduler sends to ECS UpdateService when the schedule fires.

use std::process::Command;

fn python() -> String {
    std::env::var("SILO_MODEL_PYTHON")
        .expect("SILO_MODEL_PYTHON is not set: run the suite with scripts/test, which installs the AWS models")
}

fn script() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/lib/model_check.py").to_string()
}

#[test]
fn the_check_refuses_what_aws_refuses_and_takes_what_it_takes() {
    let out = Command::new(python()).arg(script()).arg("--self-test").output().expect("run the self-test");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("11 of 11 cases"), "{said}");
}

/// The members of an input shape of a service's official model: name -> required.
fn members(service: &str, shape: &str) -> Vec<(String, bool)> {
    let out = Command::new(python()).arg(script()).args(["--shape", service, shape]).output().expect("read the model");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let model: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let members = model["members"].as_object().expect("members");
    members.iter().map(|(name, m)| (name.clone(), m["required"].as_bool().unwrap_or(false))).collect()
}

#[test]
fn the_schedule_input_is_an_update_service_request_in_the_spelling_scheduler_takes() {
    let input = silo_core::terms::schedule::update_service_input("acme", "app", "acme-app:58");
    let input: serde_json::Value = serde_json::from_str(&input).expect("json");
    let input = input.as_object().expect("an object");
    let model = members("ecs", "UpdateServiceRequest");
    // Scheduler takes the members as the AWS SDKs name them: the model's, first letter upper-case.
    let spelled = |member: &str| {
        let mut chars = member.chars();
        chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
    };
    for key in input.keys() {
        assert!(model.iter().any(|(m, _)| &spelled(m) == key), "{key} is not an UpdateService member: {model:?}");
    }
    for (member, required) in &model {
        assert!(!required || input.contains_key(&spelled(member)), "required member {member} missing");
    }
    assert_eq!(input.keys().map(String::as_str).collect::<Vec<_>>(), ["Cluster", "Service", "TaskDefinition"]);
}
