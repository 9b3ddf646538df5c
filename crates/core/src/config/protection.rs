//! `[tenants] read_only` and `production` (and static entries' `read_only`) resolved to account
//! ids against the tenant list at start. Names come from a changeable Organizations tag, so a
//! name that matches no tenant is an error, never a protection silently lifted.

use super::{Config, ConfigError, TenantRef, TenantSource};
use crate::model::Tenant;
use crate::tenant_lookup::{is_account_id, LookupError};
use std::collections::HashSet;

/// The account ids the config protects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Protection {
    /// Every action touching these accounts is refused.
    pub read_only: HashSet<String>,
    /// Production accounts: a red cue wherever they are acted on.
    pub production: HashSet<String>,
}

impl Config {
    /// Whether resolving the protection needs the tenant list: some entry is a name.
    pub fn protection_names_tenants(&self) -> bool {
        let refs = self.read_only_tenants.iter().chain(&self.production_tenants);
        refs.into_iter().any(|r| !is_account_id(&r.value))
    }

    /// The protected account ids; an entry that is neither a tenant's name nor its account id
    /// is an error naming its line and the closest names. Without the tenant list (`None`: no
    /// entry is a name), account ids are taken as written.
    pub fn protection(&self, tenants: Option<&[Tenant]>) -> Result<Protection, ConfigError> {
        let mut read_only = self.resolve(&self.read_only_tenants, "tenants.read_only", tenants)?;
        if let TenantSource::Static(list) = &self.tenants {
            read_only.extend(list.iter().filter(|s| s.read_only).map(|s| s.account_id.clone()));
        }
        let production = self.resolve(&self.production_tenants, "tenants.production", tenants)?;
        Ok(Protection { read_only, production })
    }

    fn resolve(
        &self,
        refs: &[TenantRef],
        key: &str,
        tenants: Option<&[Tenant]>,
    ) -> Result<HashSet<String>, ConfigError> {
        refs.iter().map(|r| self.resolve_one(r, key, tenants)).collect()
    }

    fn resolve_one(&self, wanted: &TenantRef, key: &str, tenants: Option<&[Tenant]>) -> Result<String, ConfigError> {
        let value = wanted.value.as_str();
        let Some(tenants) = tenants else {
            return match is_account_id(value) {
                true => Ok(value.to_string()),
                false => {
                    Err(self.invalid(wanted, key, format!("{value:?} is a name, and the tenant list was not read")))
                }
            };
        };
        let found = crate::tenant_lookup::find(tenants, value, |t| &t.name, |t| &t.account_id);
        found.map(|t| t.account_id.clone()).map_err(|e| self.invalid(wanted, key, unprotected(e, value, tenants.len())))
    }

    fn invalid(&self, wanted: &TenantRef, key: &str, message: String) -> ConfigError {
        let path = self.path.clone().unwrap_or_default();
        ConfigError::Invalid { path, line: wanted.line, key: key.into(), message: format!("`{key}`: {message}") }
    }
}

/// Why an entry protects nothing: the name two accounts carry (protect each by its account id),
/// or no tenant with the closest names.
fn unprotected(e: LookupError, value: &str, count: usize) -> String {
    match e {
        LookupError::Shared { .. } => format!("{e}: a protection must say which"),
        LookupError::Unknown { close, .. } => {
            let what = if is_account_id(value) { "no tenant has account id" } else { "no tenant is named" };
            let hint = match close.as_slice() {
                [] => format!("; {count} tenants are listed, each may be named by name or account id"),
                names => format!("; closest: {}", names.join(", ")),
            };
            format!("{what} {value:?}, so it would protect nothing{hint}")
        }
        LookupError::Empty => "an empty entry protects nothing: name a tenant or an account id".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenants() -> Vec<Tenant> {
        [("acme", "111111111111"), ("globex", "222222222222")]
            .iter()
            .map(|(n, id)| Tenant {
                name: (*n).into(),
                account_id: (*id).into(),
                region: "sa-east-1".into(),
                ecs_cluster: (*n).into(),
                ecs_service: "app".into(),
                terms: Default::default(),
            })
            .collect()
    }

    fn config(text: &str) -> Config {
        Config::parse(text, std::path::Path::new("/etc/silo.toml")).expect("valid config")
    }

    #[test]
    fn names_and_account_ids_both_protect_the_account() {
        let c = config("[tenants]\nsource = \"organizations\"\nou = \"ou-1\"\nread_only = [\"acme\"]\nproduction = [\"222222222222\", \"acme\"]\n");
        assert!(c.protection_names_tenants());
        let p = c.protection(Some(&tenants())).expect("both resolve");
        assert_eq!(p.read_only, HashSet::from(["111111111111".to_string()]));
        assert_eq!(p.production, HashSet::from(["111111111111".to_string(), "222222222222".to_string()]));
    }

    #[test]
    fn a_typo_is_an_error_with_its_line_and_the_closest_name() {
        let c = config(
            "[tenants]\nsource = \"organizations\"\nou = \"ou-1\"\n\nread_only = [\n  \"acme\",\n  \"globx\",\n]\n",
        );
        let e = c.protection(Some(&tenants())).unwrap_err();
        assert_eq!(e.key(), Some("tenants.read_only"));
        let text = e.to_string();
        assert!(text.starts_with("/etc/silo.toml:7: "), "{text}");
        assert!(text.contains("no tenant is named \"globx\"") && text.contains("closest: globex"), "{text}");
    }

    #[test]
    fn an_unknown_account_id_is_an_error_and_ids_alone_need_no_tenant_list() {
        let c = config("[tenants]\nsource = \"organizations\"\nou = \"ou-1\"\nread_only = [\"333333333333\"]\n");
        assert!(!c.protection_names_tenants());
        let unchecked = c.protection(None).expect("ids are taken as written without the list");
        assert_eq!(unchecked.read_only, HashSet::from(["333333333333".to_string()]));
        let text = c.protection(Some(&tenants())).unwrap_err().to_string();
        assert!(text.contains("no tenant has account id \"333333333333\""), "{text}");
    }

    #[test]
    fn a_name_two_accounts_carry_is_an_error_naming_both() {
        let c = config("[tenants]\nsource = \"organizations\"\nou = \"ou-1\"\nread_only = [\"acme\"]\n");
        let mut fleet = tenants();
        fleet.push(Tenant { account_id: "333333333333".into(), ..fleet[0].clone() });
        let text = c.protection(Some(&fleet)).unwrap_err().to_string();
        assert!(text.starts_with("/etc/silo.toml:4: "), "{text}");
        assert!(
            text.contains("2 accounts are named \"acme\": acme (111111111111), acme (333333333333)")
                && text.contains("a protection must say which"),
            "{text}"
        );
    }
}
