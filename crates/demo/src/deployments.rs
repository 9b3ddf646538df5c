//! Demo deployments: every tenant runs a revision of `<tenant>-app` with a short history; the
//! profiles add one rollout in flight, one waiting at a PAUSE hook, one failed, one frozen.
//! Actions taken in the demo are kept as events and play out over the next steps.

use super::{hash, Profile};
use chrono::{DateTime, Duration, Utc};
use silo_core::deploy::{shared_pipeline_note, DeployStatus, Deployment, Freeze, HookWait, PipelineStage, Revision};
use silo_core::model::{Rollout, Tenant};
use silo_core::plan::deploy::DeployChange;

/// Steps a demo rollout (or rollback) takes to finish.
const ROLLOUT_STEPS: u64 = 4;

/// An action taken in this demo session, at a step.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub step: u64,
    pub change: DeployChange,
}

/// The first revision of the demo family each tenant runs (shared with the fleet's service).
pub fn base_revision(tenant: &Tenant) -> u32 {
    40 + (hash(&tenant.account_id, 2) % 20) as u32
}

/// The newest revision registered in the tenant's family: the one that carries the newest
/// version (so a tenant on 1.4.2 can be scheduled to 1.5.0).
pub fn registered_top(tenant: &Tenant) -> u32 {
    base_revision(tenant) + (VERSIONS.len() - 1).saturating_sub(base_version(tenant)) as u32
}

/// The release train, oldest first.
pub const VERSIONS: [&str; 5] = ["1.3.8", "1.4.0", "1.4.1", "1.4.2", "1.5.0"];

/// Where a tenant's base revision sits on the train: most run 1.4.2, early adopters 1.5.0, a
/// few enterprise customers stay on 1.4.1 until they certify the next one.
pub fn base_version(tenant: &Tenant) -> usize {
    match tenant.name.as_str() {
        "cobalt-mining" | "ember-textiles" | "quartz-glass" => 4,
        "harbor-pharma" | "lumen-energy" | "sable-furniture" | "delta-aero" => 2,
        _ => 3,
    }
}

/// The image of revision `number` of the tenant's family: each revision one step along the
/// train from the base revision (the base runs `base_version`; older ones older versions).
pub fn image(tenant: &Tenant, number: u32) -> String {
    let base = base_revision(tenant) as i64;
    let index = (base_version(tenant) as i64 + number as i64 - base).clamp(0, VERSIONS.len() as i64 - 1);
    format!("123456789012.dkr.ecr.sa-east-1.amazonaws.com/opsfactor/app:{}", VERSIONS[index as usize])
}

/// Revision `number` was registered a day before its deployment (every 6 days up to the base).
fn revision(tenant: &Tenant, number: u32, now: DateTime<Utc>) -> Revision {
    let task_definition = format!("{}-app:{number}", tenant.name);
    let age_days = i64::from((base_revision(tenant) + 1).saturating_sub(number)) * 6 + 1;
    Revision {
        task_definition_arn: format!(
            "arn:aws:ecs:{}:{}:task-definition/{task_definition}",
            tenant.region, tenant.account_id
        ),
        task_definition,
        number,
        image: image(tenant, number),
        created_at: Some(now - Duration::days(age_days)),
    }
}

/// The demo's incident: the flapping tenant's 5xx alarm first fired this many minutes ago,
/// 12 minutes after a deployment started (the timeline's suspects line shows it).
pub const INCIDENT_MINUTES: i64 = 3;

/// When the incident's alarm first fired: on a whole minute, so the alarm history and the
/// deployments (read at different instants) agree on it.
pub fn incident_fired(now: DateTime<Utc>) -> DateTime<Utc> {
    let minute = DateTime::from_timestamp(now.timestamp() - now.timestamp().rem_euclid(60), 0).unwrap_or(now);
    minute - Duration::minutes(INCIDENT_MINUTES)
}

fn deployment(tenant: &Tenant, n: u32, status: &str, started: DateTime<Utc>, desired: i32) -> Deployment {
    let finished = (!matches!(status, "IN_PROGRESS" | "PENDING" | "ROLLBACK_IN_PROGRESS"))
        .then_some(started + Duration::minutes(9));
    Deployment {
        id: format!(
            "arn:aws:ecs:{}:{}:service-deployment/{}/app/{:x}",
            tenant.region,
            tenant.account_id,
            tenant.name,
            hash(&tenant.name, u64::from(n))
        ),
        status: status.into(),
        status_reason: None,
        rollout_state: None,
        lifecycle_stage: None,
        started_at: Some(started),
        finished_at: finished,
        task_definition: Some(format!("{}-app:{n}", tenant.name)),
        image: Some(image(tenant, n)),
        running: if finished.is_some() { desired } else { 0 },
        requested: desired,
        circuit_breaker: Some(format!("MONITORING (0/{} failures)", (desired * 2).max(3))),
        alarms: Some("MONITORING".into()),
        hook: None,
    }
}

/// The tenant's deployments at `step` (before any demo action), `now` for the dates.
fn base(tenant: &Tenant, profile: Profile, step: u64, now: DateTime<Utc>) -> DeployStatus {
    let desired = 2 + (hash(&tenant.account_id, 1) % 5) as i32;
    let first = base_revision(tenant);
    let mut current = first;
    let mut history: Vec<Deployment> = (first - 3..=first)
        .rev()
        .map(|n| deployment(tenant, n, "SUCCESSFUL", now - Duration::days(i64::from(first + 1 - n) * 6), desired))
        .collect();
    match profile {
        Profile::Deploying => current = rolling(tenant, &mut history, step, now, desired),
        Profile::Flapping => {
            let started = incident_fired(now) - Duration::minutes(12);
            history.insert(0, deployment(tenant, first + 1, "SUCCESSFUL", started, desired));
            current = first + 1;
        }
        Profile::DeployFailed => {
            let mut failed = deployment(tenant, first + 1, "ROLLBACK_FAILED", now - Duration::minutes(47), desired);
            failed.status_reason = Some("circuit breaker triggered: 10 tasks of the new revision failed to start; rollback failed: previous tasks could not be placed".into());
            failed.circuit_breaker = Some("TRIGGERED (10/10 failures)".into());
            failed.running = 1;
            history.insert(0, failed);
            current = first + 1;
        }
        Profile::DeployPaused => {
            let mut paused = deployment(tenant, first + 1, "IN_PROGRESS", now - Duration::minutes(18), desired);
            paused.lifecycle_stage = Some("POST_SCALE_UP".into());
            paused.running = desired;
            paused.hook = Some(HookWait {
                hook_id: "hold-for-customer-ok".into(),
                target_type: "PAUSE".into(),
                status: "AWAITING_ACTION".into(),
                expires_at: Some(now + Duration::minutes(102)),
                timeout_action: Some("ROLLBACK".into()),
            });
            history.insert(0, paused);
        }
        _ => {}
    }
    let running = if profile == Profile::DeployFailed { 1 } else { desired };
    let current_rev = revision(tenant, current, now);
    let stage = pipeline_of(tenant);
    // Another account of the same name renders the same pipeline: no freeze is offered on it
    // (as AwsSource says, `Config::pipeline_shared`).
    let twin = crate::tenants::name_shared(tenant);
    DeployStatus {
        tenant: tenant.name.clone(),
        account_id: tenant.account_id.clone(),
        region: tenant.region.clone(),
        cluster: tenant.ecs_cluster.clone(),
        service: tenant.ecs_service.clone(),
        service_arn: format!(
            "arn:aws:ecs:{}:{}:service/{}/{}",
            tenant.region, tenant.account_id, tenant.ecs_cluster, tenant.ecs_service
        ),
        task_definition: current_rev.task_definition.clone(),
        task_definition_arn: current_rev.task_definition_arn.clone(),
        image: current_rev.image.clone(),
        desired,
        running,
        pending: 0,
        revisions: (first - 3..=history_top(&history).max(current).max(registered_top(tenant)))
            .rev()
            .map(|n| revision(tenant, n, now))
            .collect(),
        deployments: history,
        freeze: None,
        pipeline: twin.is_none().then(|| stage.clone()),
        // Most tenants' templates have the PAUSE hook; a few older ones do not yet.
        pause_hook: matches!(profile, Profile::DeployPaused | Profile::Deploying)
            || !hash(&tenant.name, 11).is_multiple_of(4),
        history_source: "service_deployments".into(),
        notes: twin.map(|o| shared_pipeline_note(&stage, &o)).into_iter().collect(),
        service_events: silo_core::service_events::cleaned(crate::service_events::events(tenant, profile, step, now)),
    }
}

/// The demo's pipelines live in one account as `{tenant}-release`, as a `[tenants] pipeline`
/// pattern would have them.
fn pipeline_of(tenant: &Tenant) -> PipelineStage {
    PipelineStage {
        account_id: "100000000005".into(),
        pipeline: format!("{}-release", tenant.name),
        stage: "Production".into(),
    }
}

fn history_top(history: &[Deployment]) -> u32 {
    history
        .iter()
        .filter_map(|d| d.task_definition.as_deref().and_then(silo_core::deploy::revision_number))
        .max()
        .unwrap_or(0)
}

/// The living rollout: a new revision every 12 steps, rolling for 8 of them.
fn rolling(tenant: &Tenant, history: &mut Vec<Deployment>, step: u64, now: DateTime<Utc>, desired: i32) -> u32 {
    let first = base_revision(tenant);
    let cycle = step % 12;
    let target = first + (step / 12) as u32 + 1;
    for n in first + 1..target {
        history.insert(0, deployment(tenant, n, "SUCCESSFUL", now - Duration::minutes(30), desired));
    }
    if cycle < 8 {
        let mut d = deployment(tenant, target, "IN_PROGRESS", now - Duration::seconds(cycle as i64 * 5), desired);
        d.lifecycle_stage = Some("SCALE_UP".into());
        d.running = ((cycle as i32 + 1) * desired) / 8;
        history.insert(0, d);
        return target - 1;
    }
    history.insert(0, deployment(tenant, target, "SUCCESSFUL", now - Duration::seconds(cycle as i64 * 5), desired));
    target
}

/// A demo tenant's deployments with this session's actions played out.
pub fn status(tenant: &Tenant, profile: Profile, step: u64, now: DateTime<Utc>, events: &[Event]) -> DeployStatus {
    // The simulation's own rollouts stop at the first action, so what the user did stays visible.
    let frozen_at = events.first().map(|e| e.step.min(step)).unwrap_or(step);
    let mut status = base(tenant, profile, frozen_at, now);
    if profile == Profile::Healthy && hash(&tenant.name, 9).is_multiple_of(7) {
        status.freeze = Some(Freeze {
            reason: "customer change freeze until month-end close".into(),
            by: Some("arn:aws:sts::100000000001:assumed-role/Release/maria".into()),
            at: Some(now - Duration::hours(20)),
        });
    }
    for event in events {
        apply(&mut status, tenant, event, step, now);
    }
    status
}

fn apply(status: &mut DeployStatus, tenant: &Tenant, event: &Event, step: u64, now: DateTime<Utc>) {
    let elapsed = step.saturating_sub(event.step);
    match &event.change {
        DeployChange::Freeze { reason, .. } => {
            let by = Some("arn:aws:sts::100000000001:assumed-role/OnCall/silo-demo".to_string());
            status.freeze = Some(Freeze { reason: reason.clone(), by, at: Some(now) });
        }
        DeployChange::Unfreeze { .. } => {
            status.freeze = None;
        }
        DeployChange::ContinueHook { action, .. } if action == "CONTINUE" => {
            finish_in_flight(status, tenant, elapsed, now)
        }
        DeployChange::ContinueHook { .. } | DeployChange::StopRollback { .. } => roll_back_in_flight(status, elapsed),
        DeployChange::UpdateService { to, .. } => {
            let Some(n) = silo_core::deploy::revision_number(to) else { return };
            let d = deployment(tenant, n, "IN_PROGRESS", now - Duration::seconds(elapsed as i64 * 5), status.desired);
            status.deployments.insert(0, d);
            finish_in_flight(status, tenant, elapsed, now);
        }
    }
}

/// The deployment in flight goes on; after `ROLLOUT_STEPS` it succeeded and the service runs it.
fn finish_in_flight(status: &mut DeployStatus, tenant: &Tenant, elapsed: u64, now: DateTime<Utc>) {
    let Some(d) = status.deployments.iter_mut().find(|d| d.in_flight()) else { return };
    d.hook = None;
    d.lifecycle_stage = Some("PRODUCTION_TRAFFIC_SHIFT".into());
    d.running = ((elapsed.min(ROLLOUT_STEPS) as i32) * d.requested) / ROLLOUT_STEPS as i32;
    if elapsed < ROLLOUT_STEPS {
        return;
    }
    d.status = "SUCCESSFUL".into();
    d.lifecycle_stage = None;
    d.finished_at = Some(now);
    let to = d.task_definition.as_deref().and_then(silo_core::deploy::revision_number);
    if let Some(r) = to.map(|n| revision(tenant, n, now)) {
        status.task_definition = r.task_definition;
        status.task_definition_arn = r.task_definition_arn;
        status.image = r.image;
        status.running = status.desired;
    }
}

/// The deployment in flight rolls back; after two steps the old revision runs again.
fn roll_back_in_flight(status: &mut DeployStatus, elapsed: u64) {
    let Some(d) = status.deployments.iter_mut().find(|d| d.in_flight()) else { return };
    d.hook = None;
    d.status = if elapsed < 2 { "ROLLBACK_IN_PROGRESS" } else { "ROLLBACK_SUCCESSFUL" }.into();
    d.status_reason = Some("rolled back by silo-demo".into());
    d.running = 0;
}

/// The fleet's view of the service after this session's actions.
pub fn rollout(status: &DeployStatus) -> Rollout {
    match status.in_flight() {
        Some(_) => Rollout::InProgress,
        None if status.deployments.first().is_some_and(Deployment::failed) => Rollout::Failed,
        None => Rollout::Completed,
    }
}
