//! The demo's update terms: every customer has a maintenance window (three open now, the rest
//! later this week, some across midnight, in the customers' own zones), and four enterprise
//! customers certify versions (delta-aero runs 1.4.2, which it has not certified).

use chrono::{DateTime, Timelike, Utc};
use silo_core::model::Terms;
use silo_core::schedule_outcome::{PlannedSchedule, SchedulerErrors};

/// The enterprise customers and the versions they certified.
const CERTIFIED: [(&str, &str); 4] = [
    ("harbor-pharma", "1.4.1"),
    ("lumen-energy", "1.4.x"),
    ("sable-furniture", "1.4.0 1.4.1"),
    ("delta-aero", "1.4.1"),
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
) -> Vec<silo_core::terms::schedule::ScheduledUpdate> {
    use silo_core::terms::{certified::version_of, schedule, window::Window};
    if !SCHEDULED.contains(&tenant.name.as_str()) {
        return Vec::new();
    }
    let window = Window::parse(&window(&tenant.name, &tenant.region, now)).ok();
    let Some(next) = window.as_ref().and_then(|w| w.next_after(now)) else { return Vec::new() };
    let zone = window.map(|w| w.zone()).unwrap_or(chrono_tz::Tz::UTC);
    let to_revision = super::deployments::base_revision(tenant) + 1;
    let local = next.start.with_timezone(&zone).naive_local();
    vec![schedule::ScheduledUpdate {
        name: schedule::name(&tenant.account_id, to_revision, local),
        at: next.start,
        zone: zone.name().to_string(),
        to_revision,
        to_version: version_of(&super::deployments::image(tenant, to_revision)),
    }]
}

impl Book {
    /// How many of the tenant's schedules ran since `since` (each one attempt: the demo's
    /// targets always answer).
    pub fn attempts_since(&self, account_id: &str, since: DateTime<Utc>) -> u64 {
        self.ran.get(account_id).map(|r| r.iter().filter(|t| **t >= since).count() as u64).unwrap_or(0)
    }
}

/// silo's earlier schedules in the demo, as a journal would hold them: aurora-foods' update to
/// its current revision landed six days ago (its deployment history shows it), lumen-energy's
/// to 1.4.2 two days ago failed at the target (its group's metrics count the errors).
pub fn history(tenant: &silo_core::model::Tenant, now: DateTime<Utc>) -> Vec<PlannedSchedule> {
    use chrono::Duration;
    let base = super::deployments::base_revision(tenant);
    // On the hour before the deployment the history shows six days ago, retried for two hours.
    let hour = |t: DateTime<Utc>| t - Duration::seconds(t.timestamp().rem_euclid(3_600));
    let (revision, at) = match tenant.name.as_str() {
        "aurora-foods" => (base, hour(now - Duration::days(6))),
        FAILED_SCHEDULE => (base + 1, hour(now - Duration::days(2))),
        _ => return Vec::new(),
    };
    let created = at - Duration::days(2);
    vec![PlannedSchedule {
        account_id: tenant.account_id.clone(),
        tenant: tenant.name.clone(),
        name: silo_core::terms::schedule::name(&tenant.account_id, revision, at.naive_utc()),
        created,
        at,
        zone: "UTC".into(),
        task_definition: format!("{}-app:{revision}", tenant.name),
        to_revision: revision,
        retry_until: at + Duration::hours(2),
        cancelled: None,
    }]
}

/// The tenant whose earlier schedule failed at the target.
const FAILED_SCHEDULE: &str = "lumen-energy";

/// The demo's `AWS/Scheduler` counts of a tenant's group since `since`: `ran` attempts of the
/// schedules that ran in this session (the demo's targets answer), and lumen-energy's failed run
/// (three target errors, then dropped when its retries ran out).
pub fn scheduler_errors(
    tenant: &silo_core::model::Tenant,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
    ran: u64,
) -> SchedulerErrors {
    let failed_at = now - chrono::Duration::days(2) - chrono::Duration::hours(1);
    match tenant.name == FAILED_SCHEDULE && since <= failed_at {
        true => SchedulerErrors { attempts: 3 + ran, target_errors: 3, dropped: 1 },
        false => SchedulerErrors { attempts: ran, ..SchedulerErrors::default() },
    }
}

/// The seed hands out environment versions through Service Catalog: each tenant's environment
/// product at the version it was provisioned with (one update, on quartz-glass, ended TAINTED),
/// and an SFTP gateway for the tenants that exchange files.
pub fn provisioned(tenant: &silo_core::model::Tenant) -> Vec<silo_core::catalog::Provisioned> {
    use silo_core::catalog::Provisioned;
    let version = super::deployments::VERSIONS[super::deployments::base_version(tenant)];
    let status = if tenant.name == "quartz-glass" { "TAINTED" } else { "AVAILABLE" };
    let env =
        Provisioned { product: "opsfactor-tenant-env".into(), artifact: format!("v{version}"), status: status.into() };
    let sftp = silo_core::hash::hash(&tenant.name, 12).is_multiple_of(3).then(|| Provisioned {
        product: "opsfactor-sftp-gateway".into(),
        artifact: "v2".into(),
        status: "AVAILABLE".into(),
    });
    std::iter::once(env).chain(sftp).collect()
}

/// Schedules created and cancelled in this demo session: the demo's EventBridge Scheduler. A
/// schedule whose time has come fires (the caller deploys it) and deletes itself, as
/// `ActionAfterCompletion` DELETE does.
#[derive(Debug, Default)]
pub struct Book {
    /// Account id → schedules created in this session.
    created: std::collections::HashMap<String, Vec<silo_core::terms::schedule::ScheduledUpdate>>,
    /// Names deleted in this session (built-in ones included).
    cancelled: std::collections::HashSet<String>,
    /// Account id → when each of its schedules ran (Scheduler's InvocationAttemptCount).
    ran: std::collections::HashMap<String, Vec<DateTime<Utc>>>,
}

impl Book {
    /// A schedule as CreateSchedule was asked for it; Err when the request cannot be read.
    pub fn create(&mut self, account_id: &str, spec: &silo_core::plan::schedule::ScheduleSpec) -> Result<(), String> {
        use silo_core::terms::schedule;
        let at = schedule::parse_at(&spec.expression, &spec.zone)?;
        let to_revision = schedule::revision_of_input(&spec.input).ok_or("the input names no taskDefinition")?;
        let update = schedule::ScheduledUpdate {
            name: spec.name.clone(),
            at,
            zone: spec.zone.clone(),
            to_revision,
            to_version: None,
        };
        self.cancelled.remove(&spec.name);
        self.created.entry(account_id.to_string()).or_default().push(update);
        Ok(())
    }

    /// Deletes a schedule; false when there is none of that name (DeleteSchedule's NotFound).
    pub fn cancel(&mut self, account_id: &str, name: &str, tenant: &silo_core::model::Tenant) -> bool {
        let known = self.created.get(account_id).is_some_and(|c| c.iter().any(|u| u.name == name))
            || scheduled(tenant, Utc::now()).iter().any(|u| u.name == name);
        if let Some(created) = self.created.get_mut(account_id) {
            created.retain(|u| u.name != name);
        }
        known && self.cancelled.insert(name.to_string())
    }

    /// The tenant's schedules now (soonest first), and those that fired since the last look.
    pub fn look(
        &mut self,
        tenant: &silo_core::model::Tenant,
        now: DateTime<Utc>,
    ) -> (Vec<silo_core::terms::schedule::ScheduledUpdate>, Vec<silo_core::terms::schedule::ScheduledUpdate>) {
        let created = self.created.remove(&tenant.account_id).unwrap_or_default();
        let (fired, waiting): (Vec<_>, Vec<_>) = created.into_iter().partition(|u| u.at <= now);
        self.created.insert(tenant.account_id.clone(), waiting.clone());
        self.ran.entry(tenant.account_id.clone()).or_default().extend(fired.iter().map(|u| u.at));
        let mut all: Vec<_> = scheduled(tenant, now).into_iter().chain(waiting).collect();
        all.retain(|u| !self.cancelled.contains(&u.name));
        for u in all.iter_mut().filter(|u| u.to_version.is_none()) {
            u.to_version = silo_core::terms::certified::version_of(&super::deployments::image(tenant, u.to_revision));
        }
        all.sort_by_key(|u| u.at);
        (all, fired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenants::DEMO_TENANTS;
    use silo_core::terms::window::Window;

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
