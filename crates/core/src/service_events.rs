//! ECS service events (DescribeServices `events[]`): what the ECS scheduler said about a tenant's
//! service lately — reached a steady state, could not place a task, started a deployment. The
//! newest few are a section of the tenant card.

use crate::detail::{Detail, DetailLine, DetailSpec};
use crate::format::age;
use crate::model::AwsService;
use crate::role::Role;
use crate::sanitize::clean_truncated;
use chrono::{DateTime, Utc};

pub const SPEC: DetailSpec = DetailSpec { name: "ECS service events", service: AwsService::Ecs };

/// Events kept for the card (ECS returns up to 100).
pub const SHOWN: usize = 8;

/// A message longer than this is cut (the card wraps it).
const MAX_MESSAGE: usize = 300;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ServiceEvent {
    pub at: Option<DateTime<Utc>>,
    pub message: String,
}

/// The newest events of one service, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceEvents {
    pub events: Vec<ServiceEvent>,
}

impl ServiceEvents {
    /// Keeps the newest `SHOWN`, with their messages sanitized (they are AWS text).
    pub fn new(events: Vec<ServiceEvent>) -> ServiceEvents {
        let mut events = cleaned(events);
        events.truncate(SHOWN);
        ServiceEvents { events }
    }
}

/// Every event, newest first, with its message sanitized and cut (they are AWS text).
pub fn cleaned(mut events: Vec<ServiceEvent>) -> Vec<ServiceEvent> {
    events.iter_mut().for_each(|e| e.message = clean_truncated(&e.message, MAX_MESSAGE));
    events.sort_by_key(|e| std::cmp::Reverse(e.at));
    events
}

/// Placement failures and failed tasks stand out; a steady state is good news.
fn role_of(message: &str) -> Role {
    let lower = message.to_lowercase();
    if ["unable", "fail", "error", "stopped"].iter().any(|w| lower.contains(w)) {
        Role::Warning
    } else if lower.contains("steady state") {
        Role::Ok
    } else {
        Role::Text
    }
}

impl Detail for ServiceEvents {
    fn lines(&self, now: DateTime<Utc>) -> Vec<DetailLine> {
        if self.events.is_empty() {
            return vec![DetailLine::new("  no events", Role::Muted)];
        }
        let line = |e: &ServiceEvent| {
            let when = e.at.map(|t| format!("{} ago", age(t, now))).unwrap_or_else(|| "?".into());
            DetailLine::new(format!("  {when:>8}  {}", e.message), role_of(&e.message))
        };
        self.events.iter().map(line).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minute: u32) -> Option<DateTime<Utc>> {
        Utc.with_ymd_and_hms(2026, 3, 14, 9, minute, 0).single()
    }

    #[test]
    fn newest_first_capped_and_sanitized() {
        let events: Vec<ServiceEvent> = (0..12)
            .map(|m| ServiceEvent { at: at(m), message: format!("(service app) event {m}\u{1b}[31m") })
            .collect();
        let kept = ServiceEvents::new(events);
        assert_eq!(kept.events.len(), SHOWN);
        assert_eq!(kept.events[0].message, "(service app) event 11");
        assert_eq!(kept.events[SHOWN - 1].at, at(4));
    }

    #[test]
    fn placement_failures_warn_and_steady_state_is_ok() {
        let now = at(30).unwrap_or_default();
        let events = ServiceEvents::new(vec![
            ServiceEvent { at: at(20), message: "(service app) has reached a steady state.".into() },
            ServiceEvent { at: at(25), message: "(service app) was unable to place a task.".into() },
        ]);
        let lines = events.lines(now);
        assert_eq!(lines[0], DetailLine::new("    5m ago  (service app) was unable to place a task.", Role::Warning));
        assert_eq!(lines[1].role, Role::Ok);
        assert_eq!(ServiceEvents::new(Vec::new()).lines(now), vec![DetailLine::new("  no events", Role::Muted)]);
    }
}
