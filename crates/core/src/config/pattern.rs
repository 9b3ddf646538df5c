//! Name patterns such as `ecs_cluster = "{tenant}-prod"`: literal text with `{tenant}` and
//! `{account_id}` placeholders, checked when the config is read.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Tenant,
    AccountId,
}

impl Pattern {
    pub fn literal(text: &str) -> Pattern {
        Pattern { parts: vec![Part::Text(text.to_string())] }
    }

    /// Parses a pattern; the error says what was wrong, in words fit for a config error.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        if text.trim().is_empty() {
            return Err("expected a non-empty name pattern".into());
        }
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find(['{', '}']) {
            if rest.as_bytes()[open] == b'}' {
                return Err(format!("unmatched `}}` in pattern {text:?}"));
            }
            push_text(&mut parts, &rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or_else(|| format!("unclosed `{{` in pattern {text:?}"))?;
            parts.push(placeholder(&after[..close], text)?);
            rest = &after[close + 1..];
        }
        push_text(&mut parts, rest);
        Ok(Pattern { parts })
    }

    pub fn render(&self, tenant: &str, account_id: &str) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.as_str(),
                Part::Tenant => tenant,
                Part::AccountId => account_id,
            })
            .collect()
    }
}

fn push_text(parts: &mut Vec<Part>, text: &str) {
    if !text.is_empty() {
        parts.push(Part::Text(text.to_string()));
    }
}

fn placeholder(name: &str, text: &str) -> Result<Part, String> {
    match name {
        "tenant" => Ok(Part::Tenant),
        "account_id" => Ok(Part::AccountId),
        other => {
            Err(format!("unknown placeholder `{{{other}}}` in pattern {text:?}: expected {{tenant}} or {{account_id}}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_placeholders() {
        let p = Pattern::parse("{tenant}-ecs-{account_id}").unwrap();
        assert_eq!(p.render("acme", "111122223333"), "acme-ecs-111122223333");
    }

    #[test]
    fn rejects_unknown_placeholder_with_hint() {
        let e = Pattern::parse("{tenat}").unwrap_err();
        assert!(e.contains("unknown placeholder `{tenat}`"), "{e}");
        assert!(e.contains("{tenant}"), "{e}");
    }

    #[test]
    fn rejects_unbalanced_braces_and_empty() {
        assert!(Pattern::parse("{tenant").unwrap_err().contains("unclosed"));
        assert!(Pattern::parse("a}b").unwrap_err().contains("unmatched"));
        assert!(Pattern::parse(" ").is_err());
    }
}
