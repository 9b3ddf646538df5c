//! Versions: the image tag a tenant runs (`registry/app:1.4.0` → `1.4.0`) and the versions its
//! customer certified (`1.4.0 1.5.x`: `1.5.x` is any `1.5.` patch).

/// The tag of an image reference; None for a digest-only or untagged reference. A registry port
/// (`host:5000/app`) is not a tag.
pub fn version_of(image: &str) -> Option<String> {
    let without_digest = image.split('@').next().unwrap_or(image);
    let name = without_digest.rsplit('/').next().unwrap_or(without_digest);
    let (_, tag) = name.rsplit_once(':')?;
    (!tag.is_empty()).then(|| tag.to_string())
}

/// The repository of an image reference, without its registry host, tag or digest:
/// `123456789012.dkr.ecr.sa-east-1.amazonaws.com/opsfactor/app:1.5.0` → `opsfactor/app`. A
/// version is this and its tag: `other-repo/app:1.5.0` is not `opsfactor/app`'s 1.5.0.
pub fn repository_of(image: &str) -> String {
    let without_digest = image.split('@').next().unwrap_or(image);
    let path = match without_digest.rsplit_once(':') {
        Some((path, tag)) if !tag.contains('/') => path,
        _ => without_digest,
    };
    match path.split_once('/') {
        Some((host, rest)) if host.contains('.') || host.contains(':') || host == "localhost" => rest.to_string(),
        _ => path.to_string(),
    }
}

/// Why moving from `current` to `target` changes repository, when it does (both images known).
pub fn repository_problem(current: &str, target: &str) -> Option<String> {
    let (from, to) = (repository_of(current), repository_of(target));
    (!current.is_empty() && !target.is_empty() && from != to)
        .then(|| format!("the revision's image is {to} ({target}), not of {from}, the repository the service runs"))
}

/// The versions a customer certified, as its tag lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certified {
    pub patterns: Vec<String>,
}

impl Certified {
    /// Versions separated by blanks (the only separator AWS tag values and TOML lists share).
    pub fn parse(text: &str) -> Result<Certified, String> {
        let patterns: Vec<String> = text.split_whitespace().map(str::to_string).collect();
        if patterns.is_empty() {
            return Err(format!("{text:?}: expected versions separated by spaces, e.g. `1.4.2 1.5.x`"));
        }
        Ok(Certified { patterns })
    }

    /// Whether `version` is one of the certified ones (`1.4.x` covers `1.4.0`, `1.4.17`).
    pub fn allows(&self, version: &str) -> bool {
        self.patterns.iter().any(|p| match p.strip_suffix(".x") {
            Some(prefix) => version
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|patch| !patch.is_empty() && !patch.contains('.')),
            None => p == version,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_is_its_repository_and_tag() {
        let ecr = "123456789012.dkr.ecr.sa-east-1.amazonaws.com/opsfactor/app:1.5.0";
        assert_eq!(repository_of(ecr), "opsfactor/app");
        assert_eq!(repository_of("registry.local:5000/app@sha256:abc"), "app");
        assert_eq!(repository_of("localhost/team/app:2"), "team/app");
        assert_eq!(repository_of("other-repo/app:1.5.0"), "other-repo/app", "no host: the path is the repository");
        let why = repository_problem(ecr, "other-repo/app:1.5.0").expect("another repository");
        assert!(why.contains("other-repo/app") && why.contains("not of opsfactor/app"), "{why}");
        assert_eq!(repository_problem(ecr, "123456789012.dkr.ecr.sa-east-1.amazonaws.com/opsfactor/app:1.5.1"), None);
        assert_eq!(repository_problem("", "other-repo/app:1.5.0"), None, "nothing to compare with");
    }

    #[test]
    fn the_version_is_the_images_tag() {
        assert_eq!(
            version_of("123456789012.dkr.ecr.sa-east-1.amazonaws.com/opsfactor/app:1.4.0").as_deref(),
            Some("1.4.0")
        );
        assert_eq!(version_of("registry.local:5000/app:2026.11.57").as_deref(), Some("2026.11.57"));
        assert_eq!(version_of("registry.local:5000/app"), None, "a port is not a tag");
        assert_eq!(version_of("repo/app@sha256:abc"), None);
        assert_eq!(version_of("repo/app:1.2.3@sha256:abc").as_deref(), Some("1.2.3"));
    }

    #[test]
    fn x_matches_any_patch_of_that_minor_only() {
        let c = Certified::parse("1.4.x  1.5.0").unwrap();
        assert!(c.allows("1.4.0") && c.allows("1.4.17") && c.allows("1.5.0"));
        assert!(!c.allows("1.5.1") && !c.allows("1.40.0") && !c.allows("1.4") && !c.allows("1.4.2.1"));
        assert!(Certified::parse("  ").unwrap_err().contains("separated by spaces"));
    }
}
