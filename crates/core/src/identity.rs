//! Who silo acts as, as AWS will record it.

/// `silo-<user>`: identifies silo and the person in CloudTrail. Only characters STS accepts.
pub fn session_name() -> String {
    let user = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "user".into());
    let clean: String = user.chars().filter(|c| c.is_ascii_alphanumeric() || "+=,.@-_".contains(*c)).collect();
    let name = format!("silo-{}", if clean.is_empty() { "user" } else { &clean });
    name.chars().take(64).collect()
}
