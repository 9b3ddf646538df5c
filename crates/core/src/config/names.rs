//! Names AWS checks before it answers, checked here first so a typo in the config is an error
//! with its file, line and key rather than a failed read on every refresh.

/// An ECR repository name. ECR API model (botocore `ecr/2015-09-21`, shape `RepositoryName`):
/// 2 to 256 characters, pattern
/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*`: lowercase
/// components separated by `/`, each starting and ending with a letter or digit, with `.`, `_`,
/// `__` or dashes between.
pub fn ecr_repository(name: &str) -> Result<(), String> {
    let length = name.chars().count();
    if !(2..=256).contains(&length) {
        return Err(format!("expected an ECR repository name of 2 to 256 characters, found {length}"));
    }
    if name.split('/').all(repository_component) {
        return Ok(());
    }
    Err(format!(
        "expected an ECR repository name (lowercase letters and digits, components separated by `/`, \
         `.`, `_`, `__` or `-` between letters and digits), found {name:?}"
    ))
}

/// One `/`-separated component: alphanumeric runs joined by `.`, `_`, `__` or one or more `-`.
fn repository_component(part: &str) -> bool {
    let lower_alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let mut runs = Vec::new();
    let mut separators = Vec::new();
    let mut current = String::new();
    let mut separator = String::new();
    for c in part.chars() {
        if lower_alnum(c) {
            if !separator.is_empty() {
                separators.push(std::mem::take(&mut separator));
                runs.push(std::mem::take(&mut current));
            }
            current.push(c);
        } else {
            separator.push(c);
        }
    }
    runs.push(current);
    separator.is_empty() && runs.iter().all(|r| !r.is_empty()) && separators.iter().all(|s| allowed_separator(s))
}

fn allowed_separator(s: &str) -> bool {
    matches!(s, "." | "_" | "__") || s.chars().all(|c| c == '-')
}

/// A CodePipeline pipeline name. CodePipeline API model (botocore `codepipeline/2015-07-09`,
/// shape `PipelineName`): 1 to 100 characters of `[A-Za-z0-9.@\-_]`.
pub fn pipeline(name: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '@' | '-' | '_');
    let length = name.chars().count();
    if (1..=100).contains(&length) && name.chars().all(allowed) {
        return Ok(());
    }
    Err(format!("expected a pipeline name of 1 to 100 letters, digits, `.`, `@`, `-` or `_`, found {name:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_names_follow_the_ecr_model() {
        for ok in ["opsfactor/app", "ab", "a.b/c__d/e---f", "team_x/app-1"] {
            assert!(ecr_repository(ok).is_ok(), "{ok}");
        }
        for bad in ["a", "Ops/app", "app/", "/app", "a..b", "a-_b", "a___b", "app:1.0", "a//b", "_a"] {
            assert!(ecr_repository(bad).is_err(), "{bad}");
        }
        assert!(ecr_repository(&"a".repeat(257)).is_err());
    }

    #[test]
    fn pipeline_names_follow_the_codepipeline_model() {
        assert!(pipeline("app-build.v2@main_1").is_ok());
        for bad in ["", "app build", "app/build", "ç"] {
            assert!(pipeline(bad).is_err(), "{bad:?}");
        }
        assert!(pipeline(&"p".repeat(101)).is_err());
    }
}
