//! The fleet's AWS column: the open and upcoming AWS Health events affecting the account, shown
//! beside the health (it says "is it AWS?", not that the tenant is down); the card lists every
//! event of the week affecting it.

use super::HealthEvent;
use crate::column::{decode_as, field, line, CardLine, ColumnData, ColumnSpec, Scope};
use crate::model::AwsService;
use crate::role::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const COLUMN: ColumnSpec = ColumnSpec {
    name: "aws_health",
    title: "AWS",
    width: 6,
    priority: 3,
    service: AwsService::Health,
    scope: Scope::OrgWide,
    reuse_for: None,
    section: "AWS Health",
    absent: ("events", "not configured ([health])"),
    json: "aws_health_events",
    csv: &["aws_health_events"],
    decode: decode_as::<AccountEvents>,
};

/// The events affecting one account, in the organization list's order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AccountEvents {
    pub events: Vec<AccountEvent>,
}

/// One event as it touches one account: its resources there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountEvent {
    pub title: String,
    pub status: String,
    pub region: String,
    pub start: Option<DateTime<Utc>>,
    pub entities: Vec<String>,
}

impl AccountEvent {
    fn is_current(&self) -> bool {
        self.status == "open" || self.status == "upcoming"
    }
}

impl AccountEvents {
    /// Open or upcoming events: the fleet's count.
    pub fn current(&self) -> u32 {
        self.events.iter().filter(|e| e.is_current()).count() as u32
    }
}

/// Each affected account's events (accounts no event affects are absent).
pub fn per_account(events: &[HealthEvent]) -> HashMap<String, AccountEvents> {
    let mut out: HashMap<String, AccountEvents> = HashMap::new();
    for e in events {
        for a in &e.affected {
            let event = AccountEvent {
                title: e.title(),
                status: e.status.clone(),
                region: e.region.clone(),
                start: e.start,
                entities: e.entities_of(&a.account_id),
            };
            let mine = &mut out.entry(a.account_id.clone()).or_default().events;
            // An account listed twice under one event (two entity pages) is one event.
            if !mine.last().is_some_and(|last| last == &event) {
                mine.push(event);
            }
        }
    }
    out
}

impl ColumnData for AccountEvents {
    /// `2 open`; blank when nothing current affects the account.
    fn cell(&self) -> (String, Role) {
        match self.current() {
            0 => (String::new(), Role::Muted),
            n => (format!("{n} open"), Role::Warning),
        }
    }

    fn sort_key(&self) -> i64 {
        i64::from(self.current())
    }

    fn report(&self) -> serde_json::Value {
        self.current().into()
    }

    fn csv(&self) -> Vec<String> {
        vec![self.current().to_string()]
    }

    fn card(&self, _now: DateTime<Utc>) -> Vec<CardLine> {
        if self.events.is_empty() {
            return vec![field("events", "none this week", Role::Ok)];
        }
        self.events.iter().flat_map(event_lines).collect()
    }

    fn encode(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// `open EC2 operational issue sa-east-1 since Dec 03 14:00`, then its resources.
fn event_lines(e: &AccountEvent) -> Vec<CardLine> {
    let role = if e.is_current() { Role::Warning } else { Role::Muted };
    let since = e.start.map(|s| format!(" since {}", s.format("%b %d %H:%M"))).unwrap_or_default();
    let head = line(format!("{} {} {}{since}", e.status, e.title, e.region), role);
    let entities = e.entities.iter().map(|entity| line(format!("  {entity}"), Role::Muted));
    std::iter::once(head).chain(entities).collect()
}
