//! Who silo acts as, as AWS will record it: every role silo assumes gets a session named after
//! the person (the base identity's user or SSO name) and that name as `SourceIdentity`, so
//! CloudTrail in each tenant account, and role chains after silo, show who paused or rolled back.

/// The person behind a caller identity ARN, in the characters STS allows for a RoleSessionName
/// and a SourceIdentity (`[\w+=,.@-]`, 2 to 64): the IAM user's name, the assumed role's session
/// name (SSO sets it to the user name or e-mail), the federated user's name, or `root`.
pub fn person_from_arn(arn: &str) -> Option<String> {
    let resource = arn.splitn(6, ':').nth(5)?;
    let name = match resource.split('/').collect::<Vec<_>>().as_slice() {
        ["root"] => "root",
        ["user", .., name] | ["federated-user", name] => name,
        ["assumed-role", _role, session] => session,
        _ => return None,
    };
    allowed(name)
}

/// `silo-<login>` from the environment: the fallback when the caller identity cannot be read.
pub fn session_name() -> String {
    let user = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "user".into());
    allowed(&format!("silo-{user}")).unwrap_or_else(|| "silo-user".into())
}

/// `text` in the allowed characters, at most 64 of them; None when fewer than 2 remain or it
/// starts with `aws:` (reserved for SourceIdentity).
fn allowed(text: &str) -> Option<String> {
    let clean: String = text.chars().filter(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(*c)).take(64).collect();
    (clean.len() >= 2 && !clean.to_ascii_lowercase().starts_with("aws:")).then_some(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_person_is_read_from_every_kind_of_caller() {
        let sso = "arn:aws:sts::100000000001:assumed-role/AWSReservedSSO_OnCall_0123abcd/maria.silva@opsfactor.io";
        assert_eq!(person_from_arn(sso).as_deref(), Some("maria.silva@opsfactor.io"));
        assert_eq!(person_from_arn("arn:aws:iam::100000000001:user/ops/alice").as_deref(), Some("alice"));
        assert_eq!(person_from_arn("arn:aws:iam::100000000001:root").as_deref(), Some("root"));
        assert_eq!(person_from_arn("arn:aws:sts::100000000001:federated-user/bob").as_deref(), Some("bob"));
        assert_eq!(person_from_arn("not an arn"), None);
    }

    #[test]
    fn names_are_cut_to_what_sts_allows() {
        let odd = "arn:aws:sts::1:assumed-role/R/José Ünïcode/x";
        assert_eq!(person_from_arn(odd), None, "three parts after assumed-role is not a session");
        let long = format!("arn:aws:sts::1:assumed-role/R/{}", "a".repeat(80));
        assert_eq!(person_from_arn(&long).map(|p| p.len()), Some(64));
        assert_eq!(person_from_arn("arn:aws:sts::1:assumed-role/R/José Ü").as_deref(), Some("Jos"));
        assert_eq!(person_from_arn("arn:aws:sts::1:assumed-role/R/é"), None, "too short once cleaned");
        let name = session_name();
        assert!(name.starts_with("silo-") && name.len() <= 64);
    }
}
