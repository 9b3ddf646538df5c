//! Which tenant a typed name means: one rule for the TUI (`:t`, the query form), headless
//! (`--tenant`, `--expect`) and the protection lists. A name is a tag or the account's name, and
//! two accounts may carry the same one; the account id is the tenant's identity everywhere below
//! the UI, so a name that more than one account carries is refused, naming every account.

use std::collections::{HashMap, HashSet};
use std::fmt;

/// Whether `value` has the form of an AWS account id: 12 digits.
pub fn is_account_id(value: &str) -> bool {
    value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit())
}

/// Why a typed tenant was not found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// Nothing (or only blanks) was typed.
    Empty,
    /// No tenant has that name or account id; the closest names, and how many tenants there are.
    Unknown { wanted: String, close: Vec<String>, count: usize },
    /// Several accounts carry that name: each as (name, account id), by account id.
    Shared { wanted: String, matches: Vec<(String, String)> },
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LookupError::Empty => write!(f, "no tenant given: type a tenant's name or account id"),
            LookupError::Unknown { wanted, close, count } if close.is_empty() => {
                write!(f, "unknown tenant {wanted:?} ({count} tenants in the fleet)")
            }
            LookupError::Unknown { wanted, close, .. } => {
                write!(f, "unknown tenant {wanted:?}; did you mean {}?", close.join(", "))
            }
            LookupError::Shared { wanted, matches } => {
                let each: Vec<String> = matches.iter().map(|(name, account)| format!("{name} ({account})")).collect();
                let n = matches.len();
                write!(f, "{n} accounts are named {wanted:?}: {}; name one by its account id", each.join(", "))
            }
        }
    }
}

impl std::error::Error for LookupError {}

/// The tenant of `items` that `wanted` names: its account id, else its exact name (any case)
/// when exactly one account carries it. A name several accounts carry is `Shared`; anything
/// else is `Unknown` with the closest names (a part of a name is a suggestion, never a match:
/// an action must not land on `acme-staging` because `acme` was typed).
pub fn find<'a, T>(
    items: &'a [T],
    wanted: &str,
    name: impl Fn(&T) -> &str,
    account: impl Fn(&T) -> &str,
) -> Result<&'a T, LookupError> {
    let typed = wanted.trim();
    if typed.is_empty() {
        return Err(LookupError::Empty);
    }
    if let Some(by_id) = items.iter().find(|t| account(t) == typed) {
        return Ok(by_id);
    }
    let lower = typed.to_lowercase();
    let mut named: Vec<&T> = items.iter().filter(|t| name(t).to_lowercase() == lower).collect();
    match named.len() {
        1 => Ok(named.remove(0)),
        0 => Err(unknown(items, typed, &name)),
        _ => Err(shared(named, typed, &name, &account)),
    }
}

fn unknown<T>(items: &[T], typed: &str, name: &impl Fn(&T) -> &str) -> LookupError {
    let mut close = crate::text::close_matches(items.iter().map(name), typed);
    close.dedup();
    LookupError::Unknown { wanted: typed.to_string(), close, count: items.len() }
}

fn shared<T>(named: Vec<&T>, typed: &str, name: &impl Fn(&T) -> &str, account: &impl Fn(&T) -> &str) -> LookupError {
    let mut matches: Vec<(String, String)> =
        named.into_iter().map(|t| (name(t).to_string(), account(t).to_string())).collect();
    matches.sort_by(|a, b| a.1.cmp(&b.1));
    LookupError::Shared { wanted: typed.to_string(), matches }
}

/// The names (compared in any case) that more than one account carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedNames(HashSet<String>);

impl SharedNames {
    /// The shared names among `names`, one per account.
    pub fn of<'a>(names: impl IntoIterator<Item = &'a str>) -> SharedNames {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for name in names {
            *counts.entry(name.to_lowercase()).or_default() += 1;
        }
        SharedNames(counts.into_iter().filter(|(_, n)| *n > 1).map(|(name, _)| name).collect())
    }

    /// The shared names of a tenant list.
    pub fn among(tenants: &[crate::model::Tenant]) -> SharedNames {
        SharedNames::of(tenants.iter().map(|t| t.name.as_str()))
    }

    /// No name is shared (a plan checked on its own, in tests).
    pub fn none() -> SharedNames {
        SharedNames::default()
    }

    pub fn contains(&self, name: &str) -> bool {
        self.0.contains(&name.to_lowercase())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// How a tenant is shown where its name alone would be ambiguous: `acme (…0007)`.
pub fn label(name: &str, account_id: &str, shared: bool) -> String {
    match shared {
        false => name.to_string(),
        true => {
            let tail: String = account_id.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
            format!("{name} (…{tail})")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLEET: [(&str, &str); 4] = [
        ("acme", "100000000001"),
        ("globex", "100000000002"),
        ("Acme", "100000000007"),
        ("acme-staging", "100000000009"),
    ];

    fn find_in<'a>(items: &'a [(&'a str, &'a str)], wanted: &str) -> Result<&'a (&'a str, &'a str), LookupError> {
        find(items, wanted, |t| t.0, |t| t.1)
    }

    #[test]
    fn a_unique_name_in_any_case_or_an_account_id_finds_the_tenant() {
        assert_eq!(find_in(&FLEET, "GLOBEX"), Ok(&("globex", "100000000002")));
        assert_eq!(find_in(&FLEET, " 100000000007 "), Ok(&("Acme", "100000000007")));
        assert_eq!(find_in(&FLEET, "acme-staging"), Ok(&("acme-staging", "100000000009")));
    }

    #[test]
    fn a_name_two_accounts_carry_is_refused_naming_both() {
        let err = find_in(&FLEET, "acme").unwrap_err();
        let both = vec![("acme".to_string(), "100000000001".to_string()), ("Acme".into(), "100000000007".into())];
        assert_eq!(err, LookupError::Shared { wanted: "acme".into(), matches: both });
        assert_eq!(
            err.to_string(),
            "2 accounts are named \"acme\": acme (100000000001), Acme (100000000007); name one by its account id"
        );
    }

    #[test]
    fn a_part_of_a_name_is_only_suggested() {
        let err = find_in(&FLEET, "staging").unwrap_err();
        assert_eq!(err.to_string(), "unknown tenant \"staging\"; did you mean acme-staging?");
        let none = find_in(&FLEET, "zzzzzz").unwrap_err();
        assert_eq!(none.to_string(), "unknown tenant \"zzzzzz\" (4 tenants in the fleet)");
        assert_eq!(find_in(&FLEET, "  "), Err(LookupError::Empty));
    }

    #[test]
    fn shared_names_are_counted_per_account_in_any_case() {
        let shared = SharedNames::of(FLEET.iter().map(|t| t.0));
        assert!(shared.contains("ACME"));
        assert!(!shared.contains("globex") && !shared.contains("acme-staging"));
        assert!(SharedNames::of(["a", "b"]).is_empty());
    }

    #[test]
    fn a_shared_name_is_labelled_with_its_account_tail() {
        assert_eq!(label("acme", "100000000007", true), "acme (…0007)");
        assert_eq!(label("acme", "100000000007", false), "acme");
    }
}
