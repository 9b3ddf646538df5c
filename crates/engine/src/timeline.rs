//! Gathers one tenant's timeline: every source read at once within the limits, each failure a
//! row of its own, then the suspects of the alarm it was opened on.

use super::Limiter;
use chrono::{DateTime, Duration, Utc};
use silo_core::error::FetchError;
use silo_core::findings::{FindingSource, FindingsAsk};
use silo_core::model::{AwsService, Tenant};
use silo_core::source::FleetSource;
use silo_core::store::Slot;
use silo_core::timeline::{self as tl, Event, Source, Timeline};
use silo_core::vpn::VpnWindow;
use std::sync::Arc;

/// What to gather: the tenant, the range, the alarm it is opened on, the journal to read.
#[derive(Debug, Clone)]
pub struct TimelineRequest {
    pub tenant: Tenant,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub around_alarm: Option<String>,
    pub suspect_window: Duration,
    pub journal: std::path::PathBuf,
}

impl super::Fetcher {
    /// Gathers a timeline in the background and reports it.
    pub fn spawn_timeline(&self, request: TimelineRequest) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let timeline = gather(this.source.clone(), this.limiter.clone(), request).await;
            let at = Utc::now();
            this.send(silo_core::store::FetchEvent::Timeline { timeline: Box::new(timeline), at });
        })
    }
}

pub async fn gather(source: Arc<dyn FleetSource>, limiter: Arc<Limiter>, request: TimelineRequest) -> Timeline {
    let t = &request.tenant;
    let mut timeline = Timeline::new(&t.name, &t.account_id, request.from, request.to);
    let (alarms, deployments, findings, health, vpn) = tokio::join!(
        alarms(&source, &limiter, &request),
        deployments(&source, &limiter, t),
        findings(&source, &limiter, t, request.from),
        health(&source, &limiter, t),
        vpn(&source, &limiter, &request)
    );
    let fired = add(&mut timeline, Source::Alarm, alarms);
    add(&mut timeline, Source::Deployment, deployments.map(|events| (events, ())));
    add(&mut timeline, Source::Finding, findings.map(|events| (events, ())));
    add(&mut timeline, Source::Health, health.map(|events| (events, ())));
    add(&mut timeline, Source::Vpn, vpn.map(|events| (events, ())));
    match actions(&request) {
        Ok(events) => timeline.add(events),
        Err(why) => {
            timeline.errors.push(tl::SourceError { source: Source::Action, kind: "error".into(), message: why })
        }
    }
    if let Some(fired) = fired.flatten() {
        timeline.mark_suspects(fired, request.suspect_window);
    }
    timeline
}

/// Adds a source's events, or its error; passes on what came with the events.
fn add<T>(timeline: &mut Timeline, source: Source, read: Result<(Vec<Event>, T), FetchError>) -> Option<T> {
    match read {
        Ok((events, extra)) => {
            timeline.add(events);
            Some(extra)
        }
        Err(e) => {
            timeline.failed(source, &e);
            None
        }
    }
}

/// State changes of every alarm of the tenant, and when the alarm asked about last fired.
async fn alarms(
    source: &Arc<dyn FleetSource>,
    limiter: &Limiter,
    request: &TimelineRequest,
) -> Result<(Vec<Event>, Option<DateTime<Utc>>), FetchError> {
    let t = &request.tenant;
    let summary = limiter.run(AwsService::Cloudwatch, &t.account_id, 2, source.clone().alarms(t.clone())).await?;
    let names: Vec<String> = summary.alarms.iter().map(|a| a.name.clone()).collect();
    if let Some(wanted) = request.around_alarm.as_ref().filter(|w| !names.contains(w)) {
        let close = silo_core::text::close_matches(names.iter().map(String::as_str), wanted);
        let offered = if close.is_empty() { names.iter().take(10).cloned().collect() } else { close };
        let message = format!("{} has no alarm {wanted:?}; its alarms include: {}", t.name, offered.join(", "));
        return Err(FetchError::new(AwsService::Cloudwatch, silo_core::error::ErrorKind::NotFound, message));
    }
    let reads = names.iter().map(|name| {
        let work = source.clone().alarm_history(t.clone(), name.clone());
        async move { (name, limiter.run(AwsService::Cloudwatch, &t.account_id, 2, work).await) }
    });
    let mut events = Vec::new();
    let mut fired = None;
    for (name, history) in futures::future::join_all(reads).await {
        let history = history?;
        if request.around_alarm.as_ref() == Some(name) {
            fired = tl::last_fired(&history, request.to);
        }
        events.extend(tl::alarm_events(name, &history));
    }
    Ok((events, fired))
}

async fn deployments(source: &Arc<dyn FleetSource>, limiter: &Limiter, t: &Tenant) -> Result<Vec<Event>, FetchError> {
    let status = limiter.run(AwsService::Ecs, &t.account_id, 4, source.clone().deploy_status(t.clone())).await?;
    let mut events = tl::deployment_events(&status.deployments);
    events.extend(tl::service_events(&status.service_events));
    Ok(events)
}

/// The tenant's findings of both sources changed since the range began (closed ones too: a
/// change is a change), asked of the server for its account and range only.
async fn findings(
    source: &Arc<dyn FleetSource>,
    limiter: &Limiter,
    t: &Tenant,
    from: DateTime<Utc>,
) -> Result<Vec<Event>, FetchError> {
    let mut events = Vec::new();
    for (kind, slot) in [(FindingSource::Securityhub, Slot::SecurityHub), (FindingSource::Guardduty, Slot::GuardDuty)] {
        let (service, account) = source.org_account(slot);
        let work = source.clone().findings(kind, FindingsAsk::changed_in(&t.account_id, from));
        let found = limiter.run(service, &account, super::ORG_WIDE_PAGES, work).await?.unwrap_or_default();
        events.extend(tl::finding_events(&found.iter().collect::<Vec<_>>()));
    }
    Ok(events)
}

/// AWS Health events of the tenant's account (nothing when `[health]` is not set up).
async fn health(source: &Arc<dyn FleetSource>, limiter: &Limiter, t: &Tenant) -> Result<Vec<Event>, FetchError> {
    let (service, account) = source.org_account(Slot::Column(silo_core::aws_health::COLUMN.name));
    let work = source.clone().aws_health();
    let events = limiter.run(service, &account, super::ORG_WIDE_PAGES, work).await?.unwrap_or_default();
    Ok(tl::health_events(&events, &t.account_id))
}

/// Every status change of the tenant's VPN tunnels inside the timeline's range.
async fn vpn(
    source: &Arc<dyn FleetSource>,
    limiter: &Limiter,
    request: &TimelineRequest,
) -> Result<Vec<Event>, FetchError> {
    let (t, window) = (&request.tenant, VpnWindow { from: request.from, to: request.to });
    let status = limiter.run(AwsService::Cloudwatch, &t.account_id, 2, source.clone().vpn(t.clone(), window)).await?;
    Ok(status.map(|s| tl::vpn_events(&s)).unwrap_or_default())
}

/// silo's journal entries for the tenant (a local file, read leniently).
fn actions(request: &TimelineRequest) -> Result<Vec<Event>, String> {
    let (entries, _) = silo_core::journal::Journal::at(request.journal.clone()).read_lenient()?;
    Ok(tl::action_events(&entries, &request.tenant))
}
