//! What each customer agreed: its maintenance window, the versions it certified and the
//! one-time schedules that update it. Pure and below the store and the plans (both use it); the
//! sources read the tags and the schedules, this says what they mean.

pub mod certified;
pub mod schedule;
pub mod window;

use crate::model::Tenant;
use crate::role::Role;
use certified::Certified;
use chrono::{DateTime, Utc};
use window::Window;

/// A tenant's terms, parsed: None when not stated, an error naming what was wrong (on that tenant
/// only, never on the fleet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub window: Option<Result<Window, String>>,
    pub certified: Option<Result<Certified, String>>,
}

pub fn standing(tenant: &Tenant) -> Standing {
    let window = tenant
        .terms
        .window
        .as_deref()
        .map(|w| Window::parse(w).map_err(|why| format!("maintenance window tag: {why}")));
    let certified = tenant
        .terms
        .certified
        .as_deref()
        .map(|c| Certified::parse(c).map_err(|why| format!("certified versions tag: {why}")));
    Standing { window, certified }
}

impl Standing {
    /// Whether `version` is certified: None when the customer certifies nothing (no tag) or the
    /// version is unknown.
    pub fn certified_ok(&self, version: Option<&str>) -> Option<bool> {
        match (&self.certified, version) {
            (Some(Ok(c)), Some(v)) => Some(c.allows(v)),
            (Some(Err(_)), Some(_)) => Some(false),
            (None, _) | (_, None) => None,
        }
    }

    /// The window cell of the fleet: `open 1h10m`, `in 3d 4h`, `✗ window`, blank without one.
    pub fn window_cell(&self, now: DateTime<Utc>) -> (String, Role) {
        match &self.window {
            None => (String::new(), Role::Muted),
            Some(Err(_)) => ("✗ window".into(), Role::Error),
            Some(Ok(w)) => match (w.open_at(now), w.next_after(now)) {
                (Some(open), _) => (format!("open {}", window::span(open.end - now)), Role::Ok),
                (None, Some(next)) => (format!("in {}", window::span(next.start - now)), Role::Muted),
                (None, None) => ("never".into(), Role::Warning),
            },
        }
    }

    /// What the card and `:rollouts` say of the certification of `version`.
    pub fn certification_label(&self, version: Option<&str>) -> (String, Role) {
        match (&self.certified, self.certified_ok(version)) {
            (Some(Err(why)), _) => (why.clone(), Role::Error),
            (_, Some(true)) => ("certified".into(), Role::Ok),
            (_, Some(false)) => ("not certified".into(), Role::Warning),
            (None, _) => ("—".into(), Role::Muted),
            (Some(Ok(_)), None) => ("version unknown".into(), Role::Muted),
        }
    }

    /// The problems with the tags, for the tenant's errors.
    pub fn problems(&self) -> Vec<String> {
        let window = self.window.as_ref().and_then(|w| w.as_ref().err().cloned());
        let certified = self.certified.as_ref().and_then(|c| c.as_ref().err().cloned());
        window.into_iter().chain(certified).collect()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    pub(crate) fn tenant(window: Option<&str>, certified: Option<&str>) -> Tenant {
        Tenant {
            name: "acme".into(),
            account_id: "210987654321".into(),
            region: "sa-east-1".into(),
            ecs_cluster: "acme".into(),
            ecs_service: "app".into(),
            terms: crate::model::Terms { window: window.map(String::from), certified: certified.map(String::from) },
        }
    }

    #[test]
    fn no_tag_means_no_certification_process_and_nothing_is_flagged() {
        let s = standing(&tenant(None, None));
        assert_eq!(s.certified_ok(Some("1.4.2")), None);
        assert_eq!(s.certification_label(Some("1.4.2")).0, "—");
        assert_eq!(s.window_cell(Utc::now()).0, "");
    }

    #[test]
    fn a_bad_tag_is_an_error_of_that_tenant_naming_the_tag() {
        let s = standing(&tenant(Some("sundays 2-4"), Some("  ")));
        let problems = s.problems();
        assert!(problems[0].starts_with("maintenance window tag: \"sundays 2-4\""), "{problems:?}");
        assert!(problems[1].starts_with("certified versions tag:"), "{problems:?}");
        assert_eq!(s.window_cell(Utc::now()), ("✗ window".to_string(), Role::Error));
    }

    #[test]
    fn the_window_cell_counts_down_to_the_close_or_the_next_start() {
        let s = standing(&tenant(Some("sun 02:00-04:00 America/Sao_Paulo"), Some("1.4.x")));
        let sunday = Utc.with_ymd_and_hms(2026, 12, 6, 5, 50, 0).unwrap();
        assert_eq!(s.window_cell(sunday), ("open 1h10m".to_string(), Role::Ok));
        assert_eq!(s.window_cell(sunday - chrono::Duration::days(3)).0, "in 2d 23h");
        assert_eq!(s.certification_label(Some("1.5.0")), ("not certified".to_string(), Role::Warning));
        assert_eq!(s.certification_label(Some("1.4.9")), ("certified".to_string(), Role::Ok));
    }
}
