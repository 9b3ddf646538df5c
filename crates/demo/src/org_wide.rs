//! What the demo's org-wide columns share (their readers are registered in `columns`, which
//! therefore cannot be where they look this up).

use super::tenants::Profile;
use silo_core::column::ColumnValue;
use silo_core::model::Tenant;
use silo_core::source::OrgWide;
use std::collections::HashSet;

/// An org-wide column's answer from one value per tenant: `value` of each tenant of the
/// organization among the asked `accounts` (Config's and Control Tower's readers).
pub fn each_asked(
    tenants: &[(Tenant, Profile)],
    accounts: &HashSet<String>,
    value: impl Fn(&Tenant) -> ColumnValue,
) -> OrgWide {
    use silo_core::source::OrgValue;
    let asked = tenants.iter().filter(|(t, _)| accounts.contains(&t.account_id));
    OrgWide::PerAccount(asked.map(|(t, _)| (t.account_id.clone(), Ok(OrgValue::Column(value(t))))).collect())
}
