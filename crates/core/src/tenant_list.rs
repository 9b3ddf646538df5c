//! The tenant list kept between refreshes: Organizations is read at most once per
//! `tenants.list_ttl_secs`, so a steady-state refresh makes no Organizations calls. A list with
//! naming problems is not kept, so the next refresh tries those names again.

use crate::model::Tenant;
use std::time::{Duration, Instant};

#[derive(Debug, Default)]
pub struct KeptTenants {
    ttl: Duration,
    kept: Option<(Instant, Vec<Tenant>)>,
}

impl KeptTenants {
    pub fn new(ttl: Duration) -> KeptTenants {
        KeptTenants { ttl, kept: None }
    }

    /// The kept list while it is younger than the TTL.
    pub fn fresh(&self, now: Instant) -> Option<Vec<Tenant>> {
        let (at, tenants) = self.kept.as_ref()?;
        (now.saturating_duration_since(*at) < self.ttl).then(|| tenants.clone())
    }

    /// Keeps `tenants` read at `now`, unless some could not be named as configured.
    pub fn keep(&mut self, tenants: &[Tenant], all_named: bool, now: Instant) {
        self.kept = all_named.then(|| (now, tenants.to_vec()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenants() -> Vec<Tenant> {
        vec![Tenant {
            name: "acme".into(),
            account_id: "111111111111".into(),
            region: "sa-east-1".into(),
            ecs_cluster: "acme".into(),
            ecs_service: "app".into(),
            terms: Default::default(),
        }]
    }

    #[test]
    fn a_list_is_kept_for_its_ttl_and_then_read_again() {
        let t0 = Instant::now();
        let mut kept = KeptTenants::new(Duration::from_secs(600));
        assert_eq!(kept.fresh(t0), None, "nothing kept yet");
        kept.keep(&tenants(), true, t0);
        assert_eq!(kept.fresh(t0 + Duration::from_secs(599)), Some(tenants()));
        assert_eq!(kept.fresh(t0 + Duration::from_secs(600)), None);
    }

    #[test]
    fn a_list_with_naming_problems_or_a_zero_ttl_is_never_kept() {
        let t0 = Instant::now();
        let mut kept = KeptTenants::new(Duration::from_secs(600));
        kept.keep(&tenants(), false, t0);
        assert_eq!(kept.fresh(t0), None);
        let mut off = KeptTenants::new(Duration::ZERO);
        off.keep(&tenants(), true, t0);
        assert_eq!(off.fresh(t0), None);
    }
}
