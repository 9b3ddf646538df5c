//! The embedded demo organization: a deterministic, living simulation of a SaaS fleet behind the
//! same `FleetSource` interface as AWS. Time advances in steps (5 s each in a live demo); every
//! value is a pure function of the tenant and the step, so runs are reproducible.

mod athena;
mod athena_rows;
mod aws_health;
pub mod columns;
mod compliance;
mod deployments;
mod findings;
mod governance;
mod metrics;
mod org_wide;
pub mod releases;
mod rollouts;
mod service_events;
mod tenants;
mod vpn;

pub use deployments::incident_fired;
pub use tenants::{Profile, DEMO_TENANTS};

/// Reads one tenant detail of the simulation (tenant, profile, step, now).
pub type DetailReader =
    fn(&Tenant, Profile, u64, chrono::DateTime<Utc>) -> Result<silo_core::detail::DetailValue, FetchError>;

/// The tenant-card details the demo simulates, in card order. A new detail: its module above and
/// a line here (docs/architecture.md, "Adding a source").
pub const DETAILS: &[(silo_core::detail::DetailSpec, DetailReader)] =
    &[(silo_core::service_events::SPEC, service_events::read)];

/// A demo dashboard for any tenant at a fixed time (snapshot tests).
pub fn dashboard_at(
    tenant: &Tenant,
    profile: Profile,
    range: silo_core::metrics::Range,
    now: chrono::DateTime<Utc>,
) -> silo_core::metrics::Dashboard {
    metrics::dashboard(tenant, profile, range, now)
}

/// A demo tenant's deployments at a fixed step and time (fixtures and snapshot tests).
pub fn deployments_at(
    tenant: &Tenant,
    profile: Profile,
    step: u64,
    now: chrono::DateTime<Utc>,
) -> silo_core::deploy::DeployStatus {
    deployments::status(tenant, profile, step, now, &[])
}

use chrono::{Datelike, Duration as ChronoDuration, Utc};
use futures::future::BoxFuture;
use futures::FutureExt;
use rust_decimal::Decimal;
use silo_core::alarms::{Alarm, AlarmState, AlarmSummary};
use silo_core::cost::CostReport;
use silo_core::cost::{Breach, CostExplorerSpend, MonthSpend, Spend};
use silo_core::error::{ErrorKind, FetchError};
use silo_core::findings::FindingCounts;
use silo_core::findings::{Finding, FindingSource};
use silo_core::hash::hash;
use silo_core::model::{AwsService, Rollout, ServiceSummary, Tenant};
use silo_core::plan::deploy::DeployChange;
use silo_core::plan::schedule::ScheduleChange;
use silo_core::plan::{ActionKind, ActionOutcome, ActionPlan};
use silo_core::source::OrgValue;
use silo_core::source::{FleetSource, OrgWide, WritePermit};
use silo_core::store::Slot;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

const STEP: Duration = Duration::from_secs(5);

/// How the simulation's clock runs.
#[derive(Debug, Clone, Copy)]
pub enum DemoClock {
    /// Advances one step every 5 s from creation (the interactive demo).
    Live(Instant),
    /// Stays at one step (headless output and tests).
    Frozen(u64),
}

pub struct DemoOrg {
    clock: DemoClock,
    /// Finding id → status set by a triage action in this session.
    triaged: std::sync::Mutex<std::collections::HashMap<String, String>>,
    /// The simulated Athena of the logs account.
    athena: athena::DemoAthena,
    /// Account id → deployment actions taken in this session, in order.
    deploy_events: std::sync::Mutex<std::collections::HashMap<String, Vec<deployments::Event>>>,
    /// Scheduled updates created and cancelled in this session.
    schedules: std::sync::Mutex<rollouts::Book>,
    /// Simulated network latency, so the UI shows progressive loading as it would against AWS.
    latency: bool,
    /// Number of tenants (26, more for the scale benchmark).
    size: usize,
}

impl DemoOrg {
    pub fn live() -> Self {
        DemoOrg {
            clock: DemoClock::Live(Instant::now()),
            latency: true,
            size: DEMO_TENANTS.len(),
            triaged: Default::default(),
            deploy_events: Default::default(),
            schedules: Default::default(),
            athena: Default::default(),
        }
    }

    pub fn frozen(step: u64) -> Self {
        DemoOrg {
            clock: DemoClock::Frozen(step),
            latency: false,
            size: DEMO_TENANTS.len(),
            triaged: Default::default(),
            deploy_events: Default::default(),
            schedules: Default::default(),
            athena: Default::default(),
        }
    }

    pub fn step(&self) -> u64 {
        match self.clock {
            DemoClock::Live(start) => start.elapsed().as_secs() / STEP.as_secs(),
            DemoClock::Frozen(step) => step,
        }
    }

    fn apply_triage(&self, mut list: Vec<Finding>) -> Vec<Finding> {
        let Ok(changed) = self.triaged.lock() else { return list };
        for f in list.iter_mut() {
            if let Some(status) = changed.get(&f.id) {
                f.status = status.clone();
                f.open = matches!(status.as_str(), "NEW" | "NOTIFIED" | "ACTIVE");
            }
        }
        list
    }

    pub fn tenants(&self) -> Vec<Tenant> {
        self.profiles().into_iter().map(|(t, _)| t).collect()
    }

    /// Every tenant with its profile: the 26 demo tenants, repeated with a numbered name when
    /// the demo is scaled up (`scaled`).
    fn profiles(&self) -> Vec<(Tenant, Profile)> {
        (0..self.size)
            .map(|i| {
                let base = &DEMO_TENANTS[i % DEMO_TENANTS.len()];
                let mut tenant = base.tenant(i);
                tenant.terms = rollouts::terms(base.name, base.region, Utc::now());
                if i >= DEMO_TENANTS.len() {
                    tenant.name = format!("{}-{}", base.name, i / DEMO_TENANTS.len());
                    tenant.ecs_cluster = tenant.name.clone();
                }
                (tenant, base.profile)
            })
            .collect()
    }

    /// A frozen demo of `size` tenants (the scale benchmark).
    pub fn scaled(size: usize) -> Self {
        DemoOrg { size, ..DemoOrg::frozen(0) }
    }

    async fn delay(&self, account_id: &str, salt: u64) {
        if self.latency {
            let ms = 40 + hash(account_id, salt) % 600;
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
    }

    /// A tenant's deployments with this session's actions played out.
    fn deploy_now(&self, tenant: &Tenant, profile: Profile) -> silo_core::deploy::DeployStatus {
        let events = self.deploy_events.lock().map(|e| e.get(&tenant.account_id).cloned()).ok().flatten();
        deployments::status(tenant, profile, self.step(), Utc::now(), &events.unwrap_or_default())
    }

    /// The fleet's service summary follows what demo actions did to the deployment.
    fn acted_on(&self, account_id: &str) -> bool {
        self.deploy_events.lock().map(|e| e.contains_key(account_id)).unwrap_or(false)
    }

    fn record_deploy(&self, plan: &ActionPlan, change: &DeployChange) {
        let Some(target) = plan.targets.first() else { return };
        self.record_change(&target.account_id, change.clone());
    }

    fn record_change(&self, account_id: &str, change: DeployChange) {
        let event = deployments::Event { step: self.step(), change };
        if let Ok(mut events) = self.deploy_events.lock() {
            events.entry(account_id.to_string()).or_default().push(event);
        }
    }

    /// A schedule created or deleted in the demo's Scheduler.
    fn record_schedule(&self, plan: &ActionPlan, change: &ScheduleChange) -> Result<ActionOutcome, FetchError> {
        if let Err(why) = change.still_ahead(Utc::now()) {
            return Err(FetchError::new(AwsService::Scheduler, ErrorKind::Other, why));
        }
        let account = plan.account.clone();
        let tenant = plan.targets.first().and_then(|t| t.tenant.clone()).unwrap_or_default();
        let mut book = self.schedules.lock().unwrap_or_else(|p| p.into_inner());
        let done = match change {
            ScheduleChange::Create(spec) => book.create(&account, spec).map_err(|why| (ErrorKind::Other, why)),
            ScheduleChange::Delete { name, .. } => {
                let t = self.tenants().into_iter().find(|t| t.account_id == account && t.name == tenant);
                let gone = t.is_some_and(|t| book.cancel(&account, name, &t));
                gone.then_some(()).ok_or((ErrorKind::NotFound, format!("Schedule {name} does not exist.")))
            }
        };
        done.map(|()| ActionOutcome::one(Some("demo-request".into())))
            .map_err(|(kind, message)| FetchError::new(AwsService::Scheduler, kind, message))
    }

    /// The tenant's schedules; one whose time has come deploys its revision and is gone.
    fn schedules_of(&self, tenant: &Tenant) -> Vec<silo_core::terms::schedule::ScheduledUpdate> {
        let (now, fired) = self.schedules.lock().unwrap_or_else(|p| p.into_inner()).look(tenant, Utc::now());
        for update in fired {
            let to = format!("{}-app:{}", tenant.name, update.to_revision);
            let (cluster, service) = (tenant.ecs_cluster.clone(), tenant.ecs_service.clone());
            self.record_change(
                &tenant.account_id,
                DeployChange::UpdateService { cluster, service, from: String::new(), to },
            );
        }
        now
    }

    /// The profile of a demo account, read off its number (see `DemoTenant::tenant`).
    fn profile(&self, account_id: &str) -> Option<Profile> {
        let offset = account_id.parse::<u64>().ok()?.checked_sub(tenants::FIRST_ACCOUNT)?;
        let index = (offset % tenants::ACCOUNT_STEP == 0).then_some(offset / tenants::ACCOUNT_STEP)? as usize;
        (index < self.size).then(|| DEMO_TENANTS[index % DEMO_TENANTS.len()].profile)
    }
}

/// A latency salt per org-wide read, so the reads do not all land at once.
fn org_salt(slot: Slot) -> u64 {
    match slot {
        Slot::Alarms => 0,
        Slot::Service => 1,
        Slot::SecurityHub => 2,
        Slot::GuardDuty => 3,
        Slot::Spend => 4,
        Slot::Column(name) => hash(name, 5) % 100,
    }
}

/// The demo's recent events (a tunnel that dropped, an AWS Health issue) are placed relative to
/// now, to the second, as AWS reports them.
fn whole_seconds(now: chrono::DateTime<Utc>) -> chrono::DateTime<Utc> {
    chrono::DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now)
}

fn denied(tenant: &Tenant) -> FetchError {
    let message = format!(
        "cannot assume role: AccessDenied: User: arn:aws:sts::100000000001:assumed-role/OnCall/silo-demo is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::{}:role/SiloReadOnly",
        tenant.account_id
    );
    FetchError::new(AwsService::Sts, ErrorKind::Denied, message)
}

fn service(tenant: &Tenant, profile: Profile, step: u64) -> Option<ServiceSummary> {
    let desired = 2 + (hash(&tenant.account_id, 1) % 5) as i32;
    let base_rev = 40 + (hash(&tenant.account_id, 2) % 20) as i32;
    let mut s = ServiceSummary {
        cluster: tenant.ecs_cluster.clone(),
        name: tenant.ecs_service.clone(),
        desired,
        running: desired,
        pending: 0,
        task_definition: format!("{}-app:{base_rev}", tenant.name),
        rollout: Rollout::Completed,
        image: None,
        version: None,
    };
    match profile {
        Profile::NoService => return None,
        Profile::Deploying => deploying(&mut s, base_rev, step),
        Profile::DeployFailed => {
            s.running = 1;
            s.pending = 0;
            s.rollout = Rollout::Failed;
            s.task_definition = format!("{}-app:{}", tenant.name, base_rev + 1);
        }
        Profile::Degraded => s.running = (desired - 1).max(1),
        Profile::DeployPaused => {
            s.task_definition = format!("{}-app:{}", tenant.name, base_rev + 1);
            s.rollout = Rollout::InProgress;
        }
        // The demo's incident: the deployment 12 minutes before the 5xx alarm moved it on.
        Profile::Flapping => s.task_definition = format!("{}-app:{}", tenant.name, base_rev + 1),
        _ => {}
    }
    let revision = silo_core::deploy::revision_number(&s.task_definition).unwrap_or(base_rev as u32);
    s.image = Some(deployments::image(tenant, revision));
    s.version = s.image.as_deref().and_then(silo_core::terms::certified::version_of);
    Some(s)
}

/// A rollout that takes 8 steps, then rests 4 steps, then starts the next revision.
fn deploying(s: &mut ServiceSummary, base_rev: i32, step: u64) {
    let cycle = step % 12;
    let rev = base_rev + (step / 12) as i32 + 1;
    let family = s.task_definition.split(':').next().unwrap_or("app").to_string();
    s.task_definition = format!("{family}:{rev}");
    if cycle < 8 {
        let replaced = ((cycle as i32 + 1) * s.desired) / 8;
        s.pending = (s.desired - replaced).min(2);
        s.running = s.desired;
        s.rollout = Rollout::InProgress;
    }
}

/// The alarms every demo tenant has, by metric; the profiles decide which fire.
const ALARM_NAMES: [&str; 9] = [
    "ecs-cpu-high",
    "ecs-memory-high",
    "ecs-running-tasks",
    "alb-5xx",
    "alb-latency-p99",
    "rds-cpu-high",
    "rds-free-storage-low",
    "sqs-batch-age",
    "service-health",
];

fn demo_config(tenant: &str, short: &str, composite: bool) -> Vec<(String, String)> {
    let line = |k: &str, v: String| (k.to_string(), v);
    if composite {
        let rule = format!("ALARM(\"{tenant}-alb-5xx\") OR ALARM(\"{tenant}-ecs-running-tasks\")");
        return vec![line("rule", rule), line("actions", "enabled: 1 on ALARM, 1 on OK".into())];
    }
    let (metric, stat, condition) = match short {
        "alb-5xx" => (
            "AWS/ApplicationELB HTTPCode_Target_5XX_Count",
            "Sum over 60 s",
            "GreaterThanThreshold 10 for 1 of 1 periods",
        ),
        "ecs-running-tasks" => {
            ("ECS/ContainerInsights RunningTaskCount", "Average over 60 s", "LessThanThreshold 2 for 3 of 3 periods")
        }
        "sqs-batch-age" => (
            "AWS/SQS ApproximateAgeOfOldestMessage",
            "Maximum over 300 s",
            "GreaterThanThreshold 900 for 2 of 2 periods",
        ),
        _ => ("AWS/ECS CPUUtilization", "Average over 300 s", "GreaterThanThreshold 80 for 3 of 3 periods"),
    };
    vec![
        line("metric", metric.into()),
        line("statistic", stat.into()),
        line("condition", condition.into()),
        line("missing data", "notBreaching".into()),
        line("actions", "enabled: 1 on ALARM, 1 on OK".into()),
    ]
}

/// The metric and threshold of the demo's metric alarms that a dashboard panel shows (the same
/// as their `condition` lines).
fn demo_watch(short: &str) -> Option<silo_core::alarms::Watch> {
    let (namespace, metric, comparison, threshold) = match short {
        "alb-5xx" => ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "GreaterThanThreshold", 10.0),
        "ecs-running-tasks" => ("ECS/ContainerInsights", "RunningTaskCount", "LessThanThreshold", 2.0),
        "sqs-batch-age" => ("AWS/SQS", "ApproximateAgeOfOldestMessage", "GreaterThanThreshold", 900.0),
        "ecs-cpu-high" => ("AWS/ECS", "CPUUtilization", "GreaterThanThreshold", 80.0),
        _ => return None,
    };
    Some(silo_core::alarms::Watch {
        namespace: namespace.into(),
        metric: metric.into(),
        comparison: comparison.into(),
        threshold: silo_core::alarms::Threshold(threshold),
    })
}

fn alarms(tenant: &Tenant, profile: Profile, step: u64) -> AlarmSummary {
    let count = 6 + (hash(&tenant.account_id, 3) % 4) as usize;
    let now = Utc::now();
    let firing: Option<(&str, &str, i64)> = match profile {
        // Fires for 3 steps, clears for 3: the alarm on-call sees come and go, since the
        // incident began (`INCIDENT_MINUTES` ago, 12 minutes after a deployment started).
        Profile::Flapping if (step / 3) % 2 == 1 => Some((
            "alb-5xx",
            "Threshold Crossed: 1 out of the last 1 datapoints [27.0] was greater than the threshold (10.0).",
            deployments::INCIDENT_MINUTES,
        )),
        Profile::DeployFailed => {
            Some(("ecs-running-tasks", "Threshold Crossed: 3 datapoints [1.0, 1.0, 1.0] were less than the threshold (2.0).", 42))
        }
        Profile::BatchBacklog => Some((
            "sqs-batch-age",
            "Threshold Crossed: 2 out of the last 2 datapoints [1843.0, 1790.0] were greater than the threshold (900.0).",
            17 + step as i64 / 12,
        )),
        _ => None,
    };
    let list = ALARM_NAMES.iter().take(count.max(firing.map_or(0, |_| 9))).enumerate().map(|(i, short)| {
        let quiet_since = now - ChronoDuration::hours(6 + (hash(&tenant.account_id, 30 + i as u64) % 200) as i64);
        let (state, reason, since) = match firing {
            Some((name, reason, mins)) if name == *short => {
                (AlarmState::Alarm, reason.to_string(), now - ChronoDuration::minutes(mins))
            }
            _ if profile == Profile::Degraded && *short == "rds-free-storage-low" => {
                (AlarmState::InsufficientData, "Insufficient Data: 3 datapoints were unknown.".to_string(), quiet_since)
            }
            _ => (
                AlarmState::Ok,
                "Threshold Crossed: no datapoint was greater than the threshold.".to_string(),
                quiet_since,
            ),
        };
        let composite = *short == "service-health";
        let config = demo_config(&tenant.name, short, composite);
        let watch = demo_watch(short);
        Alarm { name: format!("{}-{short}", tenant.name), state, reason, since: Some(since), composite, config, watch }
    });
    AlarmSummary::of(list.collect())
}

/// The flapping 5xx alarm's history: it first fired `INCIDENT_MINUTES` ago (12 minutes after
/// the deployment of the demo's incident started) and has come and gone since.
fn incident_history(state: AlarmState, now: chrono::DateTime<Utc>) -> Vec<silo_core::alarms::AlarmHistoryItem> {
    let item = |at: chrono::DateTime<Utc>, from: &str, to: &str| silo_core::alarms::AlarmHistoryItem {
        time: Some(at),
        kind: "StateUpdate".into(),
        summary: format!("Alarm updated from {from} to {to}"),
    };
    let fired = deployments::incident_fired(now);
    let mut history = Vec::new();
    if state != AlarmState::Alarm {
        history.push(item(now - ChronoDuration::seconds(15), "ALARM", "OK"));
    }
    history.push(item(fired, "OK", "ALARM"));
    history.push(item(now - ChronoDuration::days(2), "ALARM", "OK"));
    history
}

fn finding_counts(tenant: &Tenant, profile: Profile, slot: Slot) -> FindingCounts {
    let h = hash(&tenant.account_id, if slot == Slot::GuardDuty { 5 } else { 4 });
    let high = u32::from(h.is_multiple_of(5));
    let mut c = FindingCounts { critical: 0, high, medium: 2 + (h % 7) as u32, low: 4 + (h % 11) as u32 };
    if slot == Slot::GuardDuty {
        c = FindingCounts { critical: 0, high: 0, medium: (h % 2) as u32, low: (h % 4) as u32 };
    }
    if profile == Profile::Compromised {
        c.critical += if slot == Slot::GuardDuty { 1 } else { 2 };
        c.high += 3;
    }
    c
}

fn spend(tenant: &Tenant, profile: Profile, step: u64) -> Option<Spend> {
    if profile == Profile::NoBudget {
        return None;
    }
    let limit = Decimal::from(500 + (hash(&tenant.account_id, 6) % 40) * 250);
    let month_share = Decimal::from(Utc::now().day().min(30)) / Decimal::from(30);
    // (actual so far, forecast for the month) as shares of the limit.
    let (actual_share, forecast_share) = match profile {
        Profile::OverBudget => (Decimal::new(112, 2), Decimal::new(131, 2)),
        Profile::ForecastOver => (Decimal::new(78, 2), Decimal::new(121, 2)),
        _ => {
            let pace = Decimal::new(55 + (hash(&tenant.account_id, 7) % 40) as i64, 2);
            (pace * month_share, pace)
        }
    };
    // Spend ticks up a little with every simulation step.
    let growth = Decimal::from(step % 720) * Decimal::new(25, 2);
    let actual = (limit * actual_share + growth).round_dp(2);
    let forecast = (limit * forecast_share + growth).round_dp(2).max(actual);
    let breached = demo_breaches(actual, forecast, limit);
    Some(Spend {
        budget: format!("{}-monthly", tenant.name),
        actual,
        limit,
        forecast: Some(forecast),
        unit: "USD".into(),
        breached,
    })
}

/// The demo budgets notify at ACTUAL > 80%, ACTUAL > 100% and FORECASTED > 100%.
fn demo_breaches(actual: Decimal, forecast: Decimal, limit: Decimal) -> Vec<Breach> {
    let over = |amount: Decimal, pct: i64| amount * Decimal::ONE_HUNDRED > limit * Decimal::from(pct);
    let breach = |kind: &str, pct: i64| Breach {
        kind: kind.into(),
        comparison: ">".into(),
        threshold: Decimal::from(pct),
        percentage: true,
    };
    let mut out = Vec::new();
    for pct in [80, 100] {
        if over(actual, pct) {
            out.push(breach("ACTUAL", pct));
        }
    }
    if over(forecast, 100) {
        out.push(breach("FORECASTED", 100));
    }
    out
}

/// Twelve months of history ending this month: spend drifting around the tenant's pace.
fn history(tenant: &Tenant, profile: Profile, now: chrono::DateTime<Utc>) -> Vec<MonthSpend> {
    let limit = Decimal::from(500 + (hash(&tenant.account_id, 6) % 40) * 250);
    (0..12u32)
        .rev()
        .map(|back| {
            let month = silo_core::spend::first_of_month(now, back);
            let wobble =
                Decimal::from((hash(&tenant.account_id, 20 + u64::from(back)) % 30) as i64) / Decimal::from(100);
            let base = match profile {
                Profile::OverBudget if back < 3 => Decimal::new(105, 2),
                _ => Decimal::new(70, 2),
            };
            let actual = if back == 0 { None } else { Some((limit * (base + wobble)).round_dp(2)) };
            MonthSpend {
                month: month.format("%Y-%m").to_string(),
                actual: actual.or_else(|| spend(tenant, profile, 0).map(|s| s.actual)),
                limit: Some(limit),
            }
        })
        .collect()
}

impl FleetSource for DemoOrg {
    fn list_tenants(self: Arc<Self>) -> BoxFuture<'static, Result<Vec<Tenant>, FetchError>> {
        async move {
            self.delay("organizations", 0).await;
            Ok(self.tenants())
        }
        .boxed()
    }

    fn service(self: Arc<Self>, tenant: Tenant) -> BoxFuture<'static, Result<Option<ServiceSummary>, FetchError>> {
        async move {
            self.delay(&tenant.account_id, 10).await;
            match self.profile(&tenant.account_id) {
                Some(Profile::RoleDenied) => Err(denied(&tenant)),
                Some(p) if self.acted_on(&tenant.account_id) => {
                    let deploy = self.deploy_now(&tenant, p);
                    Ok(service(&tenant, p, self.step()).map(|mut s| {
                        s.task_definition = deploy.task_definition.clone();
                        s.rollout = deployments::rollout(&deploy);
                        s.running = deploy.running;
                        s
                    }))
                }
                Some(p) => Ok(service(&tenant, p, self.step())),
                None => Ok(None),
            }
        }
        .boxed()
    }

    fn alarms(self: Arc<Self>, tenant: Tenant) -> BoxFuture<'static, Result<AlarmSummary, FetchError>> {
        async move {
            self.delay(&tenant.account_id, 11).await;
            match self.profile(&tenant.account_id) {
                Some(Profile::RoleDenied) => Err(denied(&tenant)),
                Some(p) => Ok(alarms(&tenant, p, self.step())),
                None => Ok(AlarmSummary::default()),
            }
        }
        .boxed()
    }

    fn scheduled(
        self: Arc<Self>,
        tenant: Tenant,
    ) -> BoxFuture<'static, Result<Vec<silo_core::terms::schedule::ScheduledUpdate>, FetchError>> {
        async move {
            self.delay(&tenant.account_id, 14).await;
            match self.profile(&tenant.account_id) {
                Some(Profile::RoleDenied) => Err(denied(&tenant)),
                Some(_) => Ok(self.schedules_of(&tenant)),
                None => Ok(Vec::new()),
            }
        }
        .boxed()
    }

    fn schedules_made(&self, tenant: &Tenant) -> Vec<silo_core::schedule_outcome::PlannedSchedule> {
        rollouts::history(tenant, Utc::now())
    }

    fn scheduler_errors(
        self: Arc<Self>,
        tenant: Tenant,
        since: chrono::DateTime<Utc>,
    ) -> BoxFuture<'static, Result<silo_core::schedule_outcome::SchedulerErrors, FetchError>> {
        async move {
            self.delay(&tenant.account_id, 18).await;
            match self.profile(&tenant.account_id) {
                Some(Profile::RoleDenied) => Err(denied(&tenant)),
                Some(_) | None => {
                    // The tenant's schedules are looked at first: one whose time came runs now.
                    let _ = self.schedules_of(&tenant);
                    let book = self.schedules.lock().unwrap_or_else(|p| p.into_inner());
                    let ran = book.attempts_since(&tenant.account_id, since);
                    Ok(rollouts::scheduler_errors(&tenant, since, Utc::now(), ran))
                }
            }
        }
        .boxed()
    }

    fn provisioned(
        self: Arc<Self>,
        tenant: Tenant,
    ) -> BoxFuture<'static, Result<Option<Vec<silo_core::catalog::Provisioned>>, FetchError>> {
        async move {
            self.delay(&tenant.account_id, 16).await;
            match self.profile(&tenant.account_id) {
                Some(Profile::RoleDenied) => Err(denied(&tenant)),
                Some(_) => Ok(Some(rollouts::provisioned(&tenant))),
                None => Ok(None),
            }
        }
        .boxed()
    }

    fn vpn(
        self: Arc<Self>,
        tenant: Tenant,
        window: silo_core::vpn::VpnWindow,
    ) -> BoxFuture<'static, Result<Option<silo_core::vpn::VpnStatus>, FetchError>> {
        async move {
            self.delay(&tenant.account_id, 12).await;
            match self.profile(&tenant.account_id) {
                Some(Profile::RoleDenied) => Err(denied(&tenant)),
                Some(p) => Ok(vpn::status(&tenant, p, window, whole_seconds(Utc::now()))),
                None => Ok(None),
            }
        }
        .boxed()
    }

    fn aws_health(
        self: Arc<Self>,
    ) -> BoxFuture<'static, Result<Option<Vec<silo_core::aws_health::HealthEvent>>, FetchError>> {
        async move {
            self.delay("management", 13).await;
            Ok(Some(aws_health::events(&self.tenants(), whole_seconds(Utc::now()))))
        }
        .boxed()
    }

    fn releases(self: Arc<Self>) -> BoxFuture<'static, Result<Option<silo_core::releases::Releases>, FetchError>> {
        async move {
            self.delay(releases::REGISTRY, 17).await;
            Ok(Some(releases::releases(whole_seconds(Utc::now()))))
        }
        .boxed()
    }

    fn releases_account(&self) -> String {
        releases::REGISTRY.to_string()
    }

    fn columns(&self) -> Vec<silo_core::column::ColumnSpec> {
        columns::COLUMNS.iter().map(|(spec, _)| *spec).collect()
    }

    fn column(
        self: Arc<Self>,
        tenant: Tenant,
        name: &'static str,
    ) -> BoxFuture<'static, Result<Option<silo_core::column::ColumnValue>, FetchError>> {
        async move {
            self.delay(&tenant.account_id, 12).await;
            let read = match columns::reader(name) {
                Some(columns::ColumnReader::PerTenant(read)) => read,
                Some(columns::ColumnReader::OrgWide(_)) | None => {
                    let message = format!("no tenant column {name:?}");
                    return Err(FetchError::new(AwsService::Sts, ErrorKind::NotFound, message));
                }
            };
            match self.profile(&tenant.account_id) {
                Some(Profile::RoleDenied) => Err(denied(&tenant)),
                Some(p) => Ok(read(&tenant, p, whole_seconds(Utc::now()))),
                None => Ok(None),
            }
        }
        .boxed()
    }

    fn org_column(self: Arc<Self>, name: &'static str, accounts: HashSet<String>) -> BoxFuture<'static, OrgWide> {
        async move {
            self.delay("management", 13).await;
            match columns::reader(name) {
                Some(columns::ColumnReader::OrgWide(read)) => {
                    read(&self.profiles(), whole_seconds(Utc::now()), &accounts)
                }
                Some(columns::ColumnReader::PerTenant(_)) | None => OrgWide::NotConfigured,
            }
        }
        .boxed()
    }

    fn details(&self) -> Vec<silo_core::detail::DetailSpec> {
        DETAILS.iter().map(|(spec, _)| *spec).collect()
    }

    fn detail(
        self: Arc<Self>,
        tenant: Tenant,
        name: &'static str,
    ) -> BoxFuture<'static, Result<silo_core::detail::DetailValue, FetchError>> {
        async move {
            self.delay(&tenant.account_id, 11).await;
            let read = DETAILS.iter().find(|(spec, _)| spec.name == name).map(|(_, read)| read);
            match (self.profile(&tenant.account_id), read) {
                (Some(Profile::RoleDenied), _) => Err(denied(&tenant)),
                (Some(profile), Some(read)) => read(&tenant, profile, self.step(), Utc::now()),
                (None, _) | (_, None) => {
                    Err(FetchError::new(AwsService::Ecs, ErrorKind::NotFound, format!("no detail {name:?}")))
                }
            }
        }
        .boxed()
    }

    fn org_wide(self: Arc<Self>, slot: Slot, accounts: HashSet<String>) -> BoxFuture<'static, OrgWide> {
        async move {
            self.delay("audit", org_salt(slot)).await;
            let step = self.step();
            let values = self
                .profiles()
                .into_iter()
                .filter(|(t, _)| accounts.contains(&t.account_id))
                .filter_map(|(t, profile)| {
                    let value = match slot {
                        Slot::Spend => OrgValue::Spend(spend(&t, profile, step)?),
                        Slot::SecurityHub | Slot::GuardDuty | Slot::Alarms | Slot::Service | Slot::Column(_) => {
                            OrgValue::Findings(finding_counts(&t, profile, slot))
                        }
                    };
                    Some((t.account_id.clone(), Ok(value)))
                })
                .collect();
            OrgWide::PerAccount(values)
        }
        .boxed()
    }

    fn spend_history(
        self: Arc<Self>,
        tenant: Tenant,
        _budget: String,
    ) -> BoxFuture<'static, Result<Vec<MonthSpend>, FetchError>> {
        async move {
            self.delay(&tenant.account_id, 30).await;
            match self.profile(&tenant.account_id) {
                Some(Profile::NoBudget) | None => Ok(Vec::new()),
                Some(p) => Ok(history(&tenant, p, Utc::now())),
            }
        }
        .boxed()
    }

    fn findings(
        self: Arc<Self>,
        source: FindingSource,
        ask: silo_core::findings::FindingsAsk,
    ) -> BoxFuture<'static, Result<Option<silo_core::findings::FindingList>, FetchError>> {
        async move {
            self.delay("audit", source as u64 + 3).await;
            let now = Utc::now();
            let slot = if source == FindingSource::Guardduty { Slot::GuardDuty } else { Slot::SecurityHub };
            let make = |t: &Tenant, c: FindingCounts| match source {
                FindingSource::Securityhub => findings::securityhub(t, c, now),
                FindingSource::Guardduty => findings::guardduty(t, c, now),
            };
            let mut list: Vec<Finding> =
                self.profiles().iter().flat_map(|(t, profile)| make(t, finding_counts(t, *profile, slot))).collect();
            let archive = findings::log_archive();
            list.extend(make(&archive, FindingCounts { critical: 0, high: 1, medium: 1, low: 0 }));
            // As AWS answers: what the ask names, kept within the cap like a real read.
            let mut keeper = ask.keeper(silo_core::findings::DEFAULT_PER_ACCOUNT);
            self.apply_triage(list).into_iter().filter(|f| ask.accepts(f)).for_each(|f| keeper.offer(f));
            Ok(Some(keeper.finish()))
        }
        .boxed()
    }

    fn dashboard(
        self: Arc<Self>,
        tenant: Tenant,
        range: silo_core::metrics::Range,
        end: Option<chrono::DateTime<Utc>>,
    ) -> BoxFuture<'static, Result<silo_core::metrics::Dashboard, FetchError>> {
        async move {
            self.delay(&tenant.account_id, 60).await;
            let now = Utc::now();
            match self.profile(&tenant.account_id) {
                Some(Profile::RoleDenied) => Err(denied(&tenant)),
                Some(p) => Ok(metrics::dashboard_until(&tenant, p, range, end.unwrap_or(now).min(now), now)),
                None => Err(FetchError::new(AwsService::Cloudwatch, ErrorKind::NotFound, "not a demo tenant")),
            }
        }
        .boxed()
    }

    fn metric_between(
        self: Arc<Self>,
        tenant: Tenant,
        metric: &'static silo_core::metrics::MetricSpec,
        span: (chrono::DateTime<Utc>, chrono::DateTime<Utc>),
        period: i32,
    ) -> BoxFuture<'static, Result<silo_core::metrics::Series, FetchError>> {
        async move {
            self.delay(&tenant.account_id, 61).await;
            match self.profile(&tenant.account_id) {
                Some(Profile::RoleDenied) => Err(denied(&tenant)),
                Some(p) => Ok(metrics::series_between(&tenant, p, metric, span, period, Utc::now())),
                None => Err(FetchError::new(AwsService::Cloudwatch, ErrorKind::NotFound, "not a demo tenant")),
            }
        }
        .boxed()
    }

    fn alarm_history(
        self: Arc<Self>,
        tenant: Tenant,
        alarm: String,
    ) -> BoxFuture<'static, Result<Vec<silo_core::alarms::AlarmHistoryItem>, FetchError>> {
        async move {
            self.delay(&tenant.account_id, 70).await;
            let now = Utc::now();
            let summary = alarms(&tenant, self.profile(&tenant.account_id).unwrap_or(Profile::Healthy), self.step());
            let current = summary.alarms.iter().find(|a| a.name == alarm).map(|a| (a.state, a.since));
            let Some((state, since)) = current else { return Ok(Vec::new()) };
            let since = since.unwrap_or(now);
            if alarm.ends_with("-alb-5xx") && self.profile(&tenant.account_id) == Some(Profile::Flapping) {
                return Ok(incident_history(state, now));
            }
            let item = |mins: i64, from: &str, to: &str| silo_core::alarms::AlarmHistoryItem {
                time: Some(since - ChronoDuration::minutes(mins)),
                kind: "StateUpdate".into(),
                summary: format!("Alarm updated from {from} to {to}"),
            };
            Ok(vec![
                item(0, if state == AlarmState::Alarm { "OK" } else { "ALARM" }, state.label()),
                item(95, "OK", "ALARM"),
                item(140, "ALARM", "OK"),
            ])
        }
        .boxed()
    }

    fn deploy_status(
        self: Arc<Self>,
        tenant: Tenant,
    ) -> BoxFuture<'static, Result<silo_core::deploy::DeployStatus, FetchError>> {
        async move {
            self.delay(&tenant.account_id, 14).await;
            match self.profile(&tenant.account_id) {
                Some(Profile::RoleDenied) => Err(denied(&tenant)),
                Some(Profile::NoService) | None => {
                    let message = format!("service {} not found in cluster {}", tenant.ecs_service, tenant.ecs_cluster);
                    Err(FetchError::new(AwsService::Ecs, ErrorKind::NotFound, message))
                }
                Some(p) => Ok(self.deploy_now(&tenant, p)),
            }
        }
        .boxed()
    }

    fn query_start(
        self: Arc<Self>,
        request: silo_core::queries::run::QueryRequest,
    ) -> BoxFuture<'static, Result<String, FetchError>> {
        async move {
            silo_core::queries::statement::require_read(&request.sql)?;
            self.delay("logs", 30).await;
            Ok(self.athena.start(request))
        }
        .boxed()
    }

    fn query_status(
        self: Arc<Self>,
        id: String,
    ) -> BoxFuture<'static, Result<silo_core::queries::run::QueryStatus, FetchError>> {
        async move { self.athena.status(&id) }.boxed()
    }

    /// The demo's workgroup stops a query at 10 GB scanned, as a careful team would set it.
    fn scan_limit(self: Arc<Self>) -> BoxFuture<'static, Result<silo_core::queries::run::ScanLimit, FetchError>> {
        let limit = silo_core::queries::run::ScanLimit { workgroup: "primary".into(), cutoff_bytes: Some(10 << 30) };
        async move { Ok(limit) }.boxed()
    }

    fn query_stop(self: Arc<Self>, id: String) -> BoxFuture<'static, Result<(), FetchError>> {
        async move { self.athena.stop(&id) }.boxed()
    }

    fn query_page(
        self: Arc<Self>,
        id: String,
        token: Option<String>,
        _drop_header: bool,
    ) -> BoxFuture<'static, Result<silo_core::queries::run::ResultPage, FetchError>> {
        async move {
            self.delay("logs", 31).await;
            self.athena.page(&id, token)
        }
        .boxed()
    }

    fn identity(self: Arc<Self>) -> BoxFuture<'static, String> {
        async move { "arn:aws:sts::100000000001:assumed-role/OnCall/silo-demo".to_string() }.boxed()
    }

    /// Remembers the change so the living demo shows it: resolved, suppressed and archived
    /// findings leave the open list; NOTIFIED ones stay with their new status.
    fn execute(
        self: Arc<Self>,
        plan: ActionPlan,
        _permit: WritePermit,
    ) -> BoxFuture<'static, Result<ActionOutcome, FetchError>> {
        async move {
            self.delay("audit", 50).await;
            let status = match &plan.kind {
                ActionKind::FindingStatus { status, .. } => status.clone(),
                ActionKind::GuardDutyArchive { archive: true } => "ARCHIVED".into(),
                ActionKind::GuardDutyArchive { archive: false } => "ACTIVE".into(),
                ActionKind::AthenaStatement { query, .. } => {
                    let sql = plan.parameters["QueryString"].as_str().unwrap_or_default().to_string();
                    let request = silo_core::queries::run::QueryRequest {
                        name: query.clone(),
                        sql,
                        parameters: Vec::new(),
                        tenant: None,
                    };
                    let id = self.athena.start(request);
                    return Ok(ActionOutcome {
                        query_execution_id: Some(id),
                        ..ActionOutcome::one(Some("demo-request".into()))
                    });
                }
                ActionKind::Deploy(change) => {
                    self.record_deploy(&plan, change);
                    return Ok(ActionOutcome::one(Some("demo-request".into())));
                }
                ActionKind::Schedule(change) => return self.record_schedule(&plan, change),
            };
            if let Ok(mut changed) = self.triaged.lock() {
                plan.targets.iter().for_each(|t| drop(changed.insert(t.id.clone(), status.clone())));
            }
            let mut outcome = ActionOutcome::default();
            for (n, batch) in plan.targets.chunks(plan.kind.batch_size()).enumerate() {
                let ids = batch.iter().map(|t| t.id.clone()).collect();
                outcome.batch_done(ids, Vec::new(), Some(format!("demo-request-{}", n + 1)));
            }
            Ok(outcome)
        }
        .boxed()
    }

    fn cost_explorer(self: Arc<Self>, accounts: Vec<String>) -> BoxFuture<'static, Result<CostReport, FetchError>> {
        async move {
            self.delay("billing", 40).await;
            let since = silo_core::spend::month_to_date(Utc::now().date_naive()).0.to_string();
            let per_account = accounts
                .iter()
                .map(|a| {
                    let actual = Decimal::new(120_000 + (hash(a, 41) % 300_000) as i64, 2);
                    (a.clone(), CostExplorerSpend { actual, unit: "USD".into(), since: since.clone() })
                })
                .collect();
            Ok(CostReport { per_account, requests: 1 })
        }
        .boxed()
    }

    fn org_account(&self, slot: Slot) -> (AwsService, String) {
        match slot {
            Slot::Spend => (AwsService::Budgets, "100000000001".into()),
            Slot::GuardDuty => (AwsService::Guardduty, "100000000002".into()),
            Slot::SecurityHub => (AwsService::Securityhub, "100000000002".into()),
            // The management account serves the org-wide columns (AWS Health, Config).
            Slot::Column(name) => match columns::COLUMNS.iter().find(|(spec, _)| spec.name == name) {
                Some((spec, columns::ColumnReader::OrgWide(_))) => (spec.service, "100000000001".into()),
                Some((spec, columns::ColumnReader::PerTenant(_))) => (spec.service, String::new()),
                None => (AwsService::Sts, String::new()),
            },
            // Per-tenant slots are limited under each tenant's own account.
            Slot::Alarms => (AwsService::Cloudwatch, String::new()),
            Slot::Service => (AwsService::Ecs, String::new()),
        }
    }

    fn label(&self) -> String {
        "demo".into()
    }
}

#[cfg(test)]
mod tests;
