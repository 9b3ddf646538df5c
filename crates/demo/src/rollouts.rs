//! The demo's update terms: every customer has a maintenance window (three open now, the rest
//! later this week, some across midnight, in the customers' own zones), and four enterprise
//! customers certify versions (delta-aero runs 1.4.2, which it has not certified).

use chrono::{DateTime, Timelike, Utc};
use silo_core::model::Terms;

/// The enterprise customers and the versions they certified.
const CERTIFIED: [(&str, &str); 4] = [
    ("harbor-pharma", "1.4.1"),
    ("lumen-energy", "1.4.x"),
    ("sable-furniture", "1.4.0 1.4.1"),
    ("delta-aero", "1.4.0 1.4.1"),
];

/// Customers whose window is open while the demo runs: daily, from the hour before now.
const OPEN_NOW: [&str; 3] = ["aurora-foods", "jade-beverages", "tundra-cold-chain"];

pub fn terms(name: &str, region: &str, now: DateTime<Utc>) -> Terms {
    let certified = CERTIFIED.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string());
    Terms { window: Some(window(name, region, now)), certified }
}

fn window(name: &str, region: &str, now: DateTime<Utc>) -> String {
    if OPEN_NOW.contains(&name) {
        let from = (now.hour() + 23) % 24;
        return format!("daily {from:02}:00-{:02}:00 UTC", (from + 3) % 24);
    }
    let zone = match region {
        "us-east-1" => "America/New_York",
        "eu-west-1" => "Europe/Dublin",
        _ => "America/Sao_Paulo",
    };
    let days = ["sun", "sat", "sat+sun", "weekdays", "wed", "weekends"];
    let pick = silo_core::hash::hash(name, 40) as usize;
    let (start, end) = [("02:00", "04:00"), ("22:00", "01:00"), ("01:00", "05:00"), ("23:30", "02:30")][pick % 4];
    format!("{} {start}-{end} {zone}", days[pick % days.len()])
}

/// Customers with an update to 1.5.0 on their schedule, at their next window.
const SCHEDULED: [&str; 3] = ["granite-build", "iris-optics", "polar-dairy"];

pub fn scheduled(
    tenant: &silo_core::model::Tenant,
    now: DateTime<Utc>,
) -> Vec<silo_core::rollouts::schedule::ScheduledUpdate> {
    use silo_core::rollouts::{certified::version_of, schedule, window::Window};
    if !SCHEDULED.contains(&tenant.name.as_str()) {
        return Vec::new();
    }
    let window = Window::parse(&window(&tenant.name, &tenant.region, now)).ok();
    let Some(next) = window.as_ref().and_then(|w| w.next_after(now)) else { return Vec::new() };
    let zone = window.map(|w| w.zone()).unwrap_or(chrono_tz::Tz::UTC);
    let to_revision = super::deployments::base_revision(tenant) + 1;
    let local = next.start.with_timezone(&zone).naive_local();
    vec![schedule::ScheduledUpdate {
        name: schedule::name(&tenant.name, to_revision, local),
        at: next.start,
        zone: zone.name().to_string(),
        to_revision,
        to_version: version_of(&super::deployments::image(tenant, to_revision)),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenants::DEMO_TENANTS;
    use silo_core::rollouts::window::Window;

    #[test]
    fn every_tenant_has_a_valid_window_and_three_are_open_now() {
        let now = Utc::now();
        let windows: Vec<Window> = DEMO_TENANTS
            .iter()
            .map(|t| Window::parse(&terms(t.name, t.region, now).window.unwrap()).unwrap())
            .collect();
        let open = windows.iter().filter(|w| w.open_at(now).is_some()).count();
        assert!(open >= 3 && open < DEMO_TENANTS.len() / 2, "{open} open now");
        assert!(windows.iter().any(|w| w.text().contains("22:00-01:00")), "one crosses midnight");
    }
}
