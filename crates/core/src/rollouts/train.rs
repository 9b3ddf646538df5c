//! The release train: tenants grouped by the version they run, newest version first, with the
//! count line `1.5.0: 12 tenants · 1.4.2: 20 · 1.4.1: 5 (3 not certified)`.

use crate::store::{Store, TenantRecord};
use crate::terms::standing;
use std::cmp::Ordering;

/// One version and its tenants (by name).
#[derive(Debug, Clone, PartialEq)]
pub struct Group<'a> {
    /// None: the version could not be read (no service, denied, an untagged image).
    pub version: Option<String>,
    pub tenants: Vec<&'a TenantRecord>,
}

impl Group<'_> {
    /// Tenants whose customer has not certified this version.
    pub fn uncertified(&self) -> usize {
        self.tenants.iter().filter(|r| standing(&r.tenant).certified_ok(self.version.as_deref()) == Some(false)).count()
    }
}

/// The version a tenant runs, as the last service read says.
pub fn version(r: &TenantRecord) -> Option<String> {
    r.service.value().and_then(|s| s.as_ref()).and_then(|s| s.version.clone())
}

/// Dotted versions compare part by part, numbers as numbers (`1.10.0` after `1.9.3`).
pub fn compare(a: &str, b: &str) -> Ordering {
    let parts = |v: &str| v.split(['.', '-']).map(|p| p.parse::<u64>().map_err(|_| p.to_string())).collect::<Vec<_>>();
    let (pa, pb) = (parts(a), parts(b));
    for (x, y) in pa.iter().zip(&pb) {
        let order = match (x, y) {
            (Ok(x), Ok(y)) => x.cmp(y),
            (Ok(_), Err(_)) => Ordering::Greater,
            (Err(_), Ok(_)) => Ordering::Less,
            (Err(x), Err(y)) => x.cmp(y),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    pa.len().cmp(&pb.len())
}

/// `version:1.4` keeps versions starting with `1.4`; other words match tenant names.
fn keeps(r: &TenantRecord, version: Option<&str>, filter: &str) -> bool {
    filter.split_whitespace().all(|word| match word.strip_prefix("version:") {
        Some(wanted) => version.is_some_and(|v| v.starts_with(wanted)),
        None => r.tenant.name.to_lowercase().contains(&word.to_lowercase()),
    })
}

/// The train: newest version first, unknown versions last, tenants by name.
pub fn groups<'a>(store: &'a Store, filter: &str) -> Vec<Group<'a>> {
    let mut groups: Vec<Group<'a>> = Vec::new();
    for r in store.tenants.values() {
        let v = version(r);
        if !keeps(r, v.as_deref(), filter) {
            continue;
        }
        match groups.iter_mut().find(|g| g.version == v) {
            Some(g) => g.tenants.push(r),
            None => groups.push(Group { version: v, tenants: vec![r] }),
        }
    }
    groups.iter_mut().for_each(|g| g.tenants.sort_by(|a, b| a.tenant.name.cmp(&b.tenant.name)));
    groups.sort_by(|a, b| match (&a.version, &b.version) {
        (Some(x), Some(y)) => compare(y, x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    groups
}

/// `1.5.0: 12 tenants · 1.4.2: 20 · 1.4.1: 5 (3 not certified)`.
pub fn count_line(groups: &[Group]) -> String {
    let said: Vec<String> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let name = g.version.clone().unwrap_or_else(|| "unknown".into());
            let noun = if i == 0 {
                if g.tenants.len() == 1 {
                    " tenant"
                } else {
                    " tenants"
                }
            } else {
                ""
            };
            let uncertified = match g.uncertified() {
                0 => String::new(),
                n => format!(" ({n} not certified)"),
            };
            format!("{name}: {}{noun}{uncertified}", g.tenants.len())
        })
        .collect();
    said.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically_part_by_part() {
        assert_eq!(compare("1.10.0", "1.9.3"), Ordering::Greater);
        assert_eq!(compare("1.4.2", "1.4.2"), Ordering::Equal);
        assert_eq!(compare("1.4", "1.4.1"), Ordering::Less);
        assert_eq!(compare("1.5.0-rc1", "1.5.0-rc2"), Ordering::Less);
    }
}
