//! "What changed right before this?": one tenant's events from every source silo reads, on one
//! time line, newest first, and the suspects of an alarm (what changed in the window before it
//! fired). Pure: the sources' data comes in, the timeline goes out.

use crate::alarms::AlarmHistoryItem;
use crate::deploy::Deployment;
use crate::error::FetchError;
use crate::findings::Finding;
use crate::journal::{JournalEntry, Mode};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// Where an event comes from (the `source` of the `silo timeline` contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Alarm,
    Deployment,
    Finding,
    Action,
    Health,
    Vpn,
}

impl Source {
    /// The contract's name (`source` in `silo timeline`), also shown on the screen.
    pub fn label(self) -> &'static str {
        match self {
            Source::Alarm => "alarm",
            Source::Deployment => "deployment",
            Source::Finding => "finding",
            Source::Action => "action",
            Source::Health => "health",
            Source::Vpn => "vpn",
        }
    }

    /// Changes that can cause an incident: they are the suspects of an alarm.
    pub fn is_change(self) -> bool {
        match self {
            Source::Deployment | Source::Finding | Source::Action | Source::Health => true,
            // A tunnel going down is a symptom to read beside the alarm, not a change made.
            Source::Alarm | Source::Vpn => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub source: Source,
    /// What happened, in a word or two: `ALARM`, `started`, `ROLLBACK_SUCCESSFUL`, `created`…
    pub kind: String,
    pub title: String,
    pub detail: String,
    /// Changed within the suspect window before the alarm the timeline was opened on.
    pub suspect: bool,
    /// What to pivot on: a deployment ARN, a finding id, an alarm name, a journal API.
    #[serde(rename = "ref")]
    pub reference: String,
}

/// A source that could not be read: its own row in the timeline, never a blank one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceError {
    pub source: Source,
    pub kind: String,
    pub message: String,
}

impl SourceError {
    pub fn new(source: Source, error: &FetchError) -> SourceError {
        SourceError { source, kind: error.kind.label().to_string(), message: error.message.clone() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeline {
    pub tenant: String,
    pub account_id: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub events: Vec<Event>,
    pub errors: Vec<SourceError>,
    /// Opened on an alarm: the suspects line ("1 suspect: deployment to app:57 started 12 min
    /// before"), or why there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suspects: Option<String>,
}

/// The kind of the ECS scheduler's messages: they say what happened, they change nothing, so they
/// are never suspects.
pub const SERVICE_EVENT: &str = "ECS event";

impl Event {
    /// Whether this event changed something (a deployment, a finding, an action).
    pub fn is_change(&self) -> bool {
        self.source.is_change() && self.kind != SERVICE_EVENT
    }
}

/// How far before an alarm a change is a suspect, by default.
pub const SUSPECT_WINDOW_MINUTES: i64 = 30;

impl Timeline {
    pub fn new(tenant: &str, account_id: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> Timeline {
        Timeline {
            tenant: tenant.into(),
            account_id: account_id.into(),
            from,
            to,
            events: Vec::new(),
            errors: Vec::new(),
            suspects: None,
        }
    }

    /// Adds the events inside the range; the list stays newest first.
    pub fn add(&mut self, events: impl IntoIterator<Item = Event>) {
        let (from, to) = (self.from, self.to);
        self.events.extend(events.into_iter().filter(|e| e.at >= from && e.at <= to));
        self.events.sort_by(|a, b| b.at.cmp(&a.at).then(a.source.cmp(&b.source)));
    }

    pub fn failed(&mut self, source: Source, error: &FetchError) {
        self.errors.push(SourceError::new(source, error));
    }

    /// Marks every change in the `window` before `fired` as a suspect.
    pub fn mark_suspects(&mut self, fired: DateTime<Utc>, window: Duration) {
        for e in &mut self.events {
            e.suspect = e.is_change() && e.at < fired && e.at >= fired - window;
        }
        let none = format!("no suspects: nothing changed in the {} minutes before the alarm", window.num_minutes());
        self.suspects = Some(self.suspects_line(fired).unwrap_or(none));
    }

    /// The suspects, the nearest to `fired` first, as the header line says them.
    pub fn suspects_line(&self, fired: DateTime<Utc>) -> Option<String> {
        let mut suspects: Vec<&Event> = self.events.iter().filter(|e| e.suspect).collect();
        suspects.sort_by_key(|e| std::cmp::Reverse(e.at));
        let said: Vec<String> = suspects
            .iter()
            .map(|e| format!("{} {} {} min before", e.title, e.kind, (fired - e.at).num_minutes()))
            .collect();
        (!said.is_empty()).then(|| format!("{} suspect{}: {}", said.len(), plural(said.len()), said.join("; ")))
    }
}

/// The latest time `alarm` went to ALARM before `to`, from its history.
/// A `--since` span typed by a person: a whole number and m, h or d (`30m`, `6h`, `2d`), more
/// than nothing and at most 14 days. Any text is an answer, never a panic (a multi-byte last
/// character, a number too large for any duration).
pub fn parse_since(text: &str) -> Result<chrono::Duration, String> {
    let bad = || format!("--since {text:?}: expected minutes, hours or days such as 30m, 6h or 2d");
    let trimmed = text.trim();
    let mut chars = trimmed.chars();
    let unit = chars.next_back().ok_or_else(bad)?;
    let n: i64 = chars.as_str().parse().map_err(|_| bad())?;
    let minutes = match unit {
        'm' => Some(n),
        'h' => n.checked_mul(60),
        'd' => n.checked_mul(24 * 60),
        _ => return Err(bad()),
    };
    match minutes.filter(|m| (1..=14 * 24 * 60).contains(m)) {
        Some(m) => Ok(chrono::Duration::minutes(m)),
        None => Err(format!("--since {text:?}: expected more than nothing and at most 14 days")),
    }
}

pub fn last_fired(history: &[AlarmHistoryItem], to: DateTime<Utc>) -> Option<DateTime<Utc>> {
    history
        .iter()
        .filter(|h| h.kind == "StateUpdate" && h.summary.contains("to ALARM"))
        .filter_map(|h| h.time)
        .filter(|t| *t <= to)
        .max()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// An alarm's state changes (StateUpdate items of its history).
pub fn alarm_events(alarm: &str, history: &[AlarmHistoryItem]) -> Vec<Event> {
    let state_of = |summary: &str| summary.rsplit(" to ").next().unwrap_or("").trim().to_string();
    history
        .iter()
        .filter(|h| h.kind == "StateUpdate")
        .filter_map(|h| {
            Some(Event {
                at: h.time?,
                source: Source::Alarm,
                kind: state_of(&h.summary),
                title: alarm.to_string(),
                detail: h.summary.clone(),
                suspect: false,
                reference: alarm.to_string(),
            })
        })
        .collect()
}

/// Each deployment's start and, when it ended, its end (with how it ended).
pub fn deployment_events(deployments: &[Deployment]) -> Vec<Event> {
    let mut events = Vec::new();
    for d in deployments {
        let to = d.task_definition.clone().unwrap_or_else(|| "?".into());
        let event = |at, kind: &str, detail: String| Event {
            at,
            source: Source::Deployment,
            kind: kind.to_string(),
            title: format!("deployment to {to}"),
            detail,
            suspect: false,
            reference: d.id.clone(),
        };
        if let Some(at) = d.started_at {
            events.push(event(at, "started", d.image.clone().unwrap_or_default()));
        }
        if let Some(at) = d.finished_at {
            events.push(event(at, &d.status, d.status_reason.clone().unwrap_or_default()));
        }
    }
    events
}

/// The ECS scheduler's messages about the service (placement failures, steady states).
pub fn service_events(events: &[crate::service_events::ServiceEvent]) -> Vec<Event> {
    let event = |e: &crate::service_events::ServiceEvent| {
        Some(Event {
            at: e.at?,
            source: Source::Deployment,
            kind: SERVICE_EVENT.into(),
            title: "the ECS scheduler".into(),
            detail: e.message.clone(),
            suspect: false,
            reference: String::new(),
        })
    };
    events.iter().filter_map(event).collect()
}

/// The tenant's findings, when first seen (created) and when last updated.
pub fn finding_events(findings: &[&Finding]) -> Vec<Event> {
    let mut events = Vec::new();
    for f in findings {
        let event = |at, kind: &str| Event {
            at,
            source: Source::Finding,
            kind: kind.to_string(),
            title: format!("{} {}", f.severity.label(), f.title),
            detail: format!("{} ({})", f.resource, f.status),
            suspect: false,
            reference: f.id.clone(),
        };
        events.extend(f.first_seen.map(|at| event(at, "created")));
        events.extend(f.updated_at.filter(|u| Some(*u) != f.first_seen).map(|at| event(at, "updated")));
    }
    events
}

/// AWS Health events affecting `account_id`: when each started and, if it did, ended.
pub fn health_events(events: &[crate::aws_health::HealthEvent], account_id: &str) -> Vec<Event> {
    let mut out = Vec::new();
    for e in events.iter().filter(|e| e.affects(account_id)) {
        let entities = e.entities_of(account_id);
        let detail =
            if entities.is_empty() { e.region.clone() } else { format!("{} · {}", e.region, entities.join(", ")) };
        let event = |at, kind: &str| Event {
            at,
            source: Source::Health,
            kind: kind.to_string(),
            title: e.title(),
            detail: detail.clone(),
            suspect: false,
            reference: e.arn.clone(),
        };
        out.extend(e.start.map(|at| event(at, "started")));
        out.extend(e.end.map(|at| event(at, "ended")));
    }
    out
}

/// Every change of state of each VPN tunnel inside the read window (TunnelState series).
pub fn vpn_events(status: &crate::vpn::VpnStatus) -> Vec<Event> {
    let tunnels = status.connections.iter().flat_map(|c| c.tunnels.iter().map(move |t| (c, t)));
    tunnels
        .flat_map(|(c, t)| {
            t.changes.iter().map(move |change| Event {
                at: change.at,
                source: Source::Vpn,
                kind: if change.up { "UP" } else { "DOWN" }.to_string(),
                title: format!("tunnel {}", t.outside_ip),
                detail: c.vpn_id.clone(),
                suspect: false,
                reference: c.vpn_id.clone(),
            })
        })
        .collect()
}

/// silo's own journal entries for the tenant: who did what, and how it ended. Matched by account
/// id (two accounts may carry one name); a line written before account ids were recorded, by name.
pub fn action_events(entries: &[JournalEntry], tenant: &crate::model::Tenant) -> Vec<Event> {
    entries
        .iter()
        .filter(|e| touches(e, tenant))
        .filter(|e| e.result != "started" && e.mode != Mode::DryRun)
        .filter_map(|e| {
            let at = DateTime::parse_from_rfc3339(&e.time).ok()?.with_timezone(&Utc);
            let who = e.source_identity.clone().unwrap_or_else(|| e.identity.clone());
            Some(Event {
                at,
                source: Source::Action,
                kind: serde_json::to_value(e.mode).ok()?.as_str()?.to_string(),
                title: format!("{} by {who}", e.api),
                detail: e.result.clone(),
                suspect: false,
                reference: e.api.clone(),
            })
        })
        .collect()
}

fn touches(entry: &JournalEntry, tenant: &crate::model::Tenant) -> bool {
    match entry.tenant_accounts.is_empty() {
        false => entry.tenant_accounts.contains(&tenant.account_id),
        true => entry.tenants.iter().any(|t| t.as_deref() == Some(tenant.name.as_str())),
    }
}

#[cfg(test)]
mod tests;
