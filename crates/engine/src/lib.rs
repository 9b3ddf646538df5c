//! The fetch layer: a refresh fans out over tenants as tokio tasks (bounded by the `Limiter`) and
//! reports each result as a `FetchEvent` over a channel. It never touches the app state; the app
//! applies events in `update`, and the headless commands apply them to their own store.

pub mod compare;
pub mod limiter;
pub mod outcomes;
mod query;
pub mod reads;
mod recent;
pub mod timeline;

pub use limiter::Limiter;

use silo_core::source::{FleetSource, OrgValue, OrgWide};
use silo_core::store::FetchEvent;

use chrono::{DateTime, Utc};
use silo_core::column::{ColumnSpec, ColumnValue, Scope};
use silo_core::error::FetchError;
use silo_core::findings::FindingSource;
use silo_core::model::{AwsService, Tenant};
use silo_core::store::{Slot, SlotValue};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinSet;

/// Budgets data changes a few times a day: reuse an answer this young unless the user asks.
pub const SPEND_MAX_AGE: Duration = Duration::from_secs(15 * 60);

/// An org-wide answer kept for reuse, with the time it was fetched (shown as the data's age).
#[derive(Debug, Clone)]
struct Cached {
    at: DateTime<Utc>,
    accounts: HashSet<String>,
    result: OrgWide,
}

/// Pages an org-wide read may walk before its outer timeout (each page gets the full timeout).
pub const ORG_WIDE_PAGES: u32 = 30;

#[derive(Clone)]
pub struct Fetcher {
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    events: UnboundedSender<FetchEvent>,
    cache: Arc<Mutex<HashMap<Slot, Cached>>>,
    /// Per-tenant column answers young enough to reuse (`ColumnSpec::reuse_for`).
    recent: Arc<recent::Recent<Option<ColumnValue>>>,
}

impl Fetcher {
    pub fn new(source: Arc<dyn FleetSource>, limiter: Arc<Limiter>, events: UnboundedSender<FetchEvent>) -> Self {
        let cache = Arc::new(Mutex::new(HashMap::new()));
        let recent = Arc::new(recent::Recent::new());
        Fetcher { source, limiter, events, cache, recent }
    }

    /// Starts a refresh of the whole fleet (typed slots and the source's registry columns) in the
    /// background. `force` ignores cached answers.
    pub fn spawn_refresh(&self, force: bool) -> tokio::task::JoinHandle<()> {
        self.spawn_refresh_of(&Slot::all(&self.source.columns()), force)
    }

    /// Starts a refresh of only `slots` (a headless command that needs just spend, say).
    pub fn spawn_refresh_of(&self, slots: &[Slot], force: bool) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        if force {
            this.lock_cache().clear();
            this.recent.clear();
        }
        let slots = slots.to_vec();
        tokio::spawn(async move { this.refresh_of(&slots).await })
    }

    /// Runs a confirmed action through `actions` (which refuses in read-only mode and journals).
    pub fn spawn_action(
        &self,
        actions: silo_core::actions::Actions,
        plan: silo_core::plan::ActionPlan,
    ) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let api = plan.api.clone();
            // Whatever happens inside, the end is heard: the screen counts actions in flight.
            let run = futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(actions.execute(plan))).await;
            let result = run.unwrap_or_else(|panic| {
                let why = format!("silo bug: the action panicked ({})", limiter::panic_text(panic.as_ref()));
                Err(silo_core::actions::ActionError::Aws(FetchError::new(
                    AwsService::Sts,
                    silo_core::error::ErrorKind::Other,
                    why,
                )))
            });
            let (ok, message) = match result {
                // It ran: say so (and keep following it) even though the journal missed it.
                Ok(o) if o.not_journaled.is_some() => {
                    let why = o.not_journaled.as_deref().unwrap_or_default();
                    (true, format!("{api}: done (request ids {}), not journaled: {why}", o.request_ids.join(", ")))
                }
                Ok(o) if o.failed.is_empty() => {
                    let after_error = o.verified_after_error.map(|why| format!(" ({why})")).unwrap_or_default();
                    (true, format!("{api}: {} updated{after_error}", o.succeeded))
                }
                Ok(o) => {
                    let first = o.failed.first().map(|(id, e)| format!("; {id}: {e}")).unwrap_or_default();
                    (false, format!("{api}: {} updated, {} not processed{first}", o.succeeded, o.failed.len()))
                }
                Err(e) => (false, format!("{api}: {e}")),
            };
            this.send(FetchEvent::ActionFinished { api, ok, message, at: Utc::now() });
        })
    }

    /// Reads the deployments of `tenants`, each as its own task within the limits.
    pub fn spawn_deploy_status(&self, tenants: Vec<Tenant>) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let mut tasks = JoinSet::new();
            for tenant in tenants {
                tasks.spawn(this.clone().deploy_status(tenant));
            }
            while tasks.join_next().await.is_some() {}
        })
    }

    /// Reads the scheduled updates of `tenants`, what became of the schedules silo made (the
    /// journal at `journal`) and their Service Catalog products, each tenant as its own task
    /// within the limits.
    pub fn spawn_scheduled(&self, tenants: Vec<Tenant>, journal: std::path::PathBuf) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let now = Utc::now();
            let read = tokio::task::spawn_blocking(move || outcomes::journaled(&journal, now)).await;
            let journaled: Arc<Vec<_>> = Arc::new(read.ok().and_then(Result::ok).unwrap_or_default());
            let mut tasks = JoinSet::new();
            for tenant in tenants {
                let (this, journaled) = (this.clone(), journaled.clone());
                tasks.spawn(async move {
                    let work = this.source.clone().scheduled(tenant.clone());
                    let result = this.limiter.run(AwsService::Scheduler, &tenant.account_id, 4, work).await;
                    // The listing shows at once; the outcomes follow once their evidence is read.
                    let listed = result.as_ref().ok().cloned();
                    this.send(FetchEvent::Scheduled { account_id: tenant.account_id.clone(), result, at: Utc::now() });
                    if let Some(listed) = listed {
                        this.outcomes(&tenant, &listed, &journaled).await;
                    }
                    let work = this.source.clone().provisioned(tenant.clone());
                    let result = this.limiter.run(AwsService::ServiceCatalog, &tenant.account_id, 4, work).await;
                    this.send(FetchEvent::Provisioned { account_id: tenant.account_id, result, at: Utc::now() });
                });
            }
            while tasks.join_next().await.is_some() {}
        })
    }

    /// The outcomes of the tenant's schedules, and its deployments when those had to be read.
    async fn outcomes(
        &self,
        tenant: &Tenant,
        listed: &[silo_core::terms::schedule::ScheduledUpdate],
        journaled: &[silo_core::schedule_outcome::PlannedSchedule],
    ) {
        let (source, limiter) = (self.source.clone(), self.limiter.clone());
        let found = outcomes::of_tenant(source, limiter, tenant.clone(), listed, journaled, Utc::now()).await;
        let account_id = tenant.account_id.clone();
        if let Some(result) = found.deployments {
            let result = result.map(Box::new);
            self.send(FetchEvent::Deploy { account_id: account_id.clone(), result, at: Utc::now() });
        }
        self.send(FetchEvent::Outcomes { account_id, tracked: found.tracked, at: Utc::now() });
    }

    async fn deploy_status(self, tenant: Tenant) {
        // Up to 20 pages of history and one call per revision batch: a generous outer bound.
        let work = self.source.clone().deploy_status(tenant.clone());
        let result = self.limiter.run(AwsService::Ecs, &tenant.account_id, 8, work).await;
        let result = result.map(Box::new);
        self.send(FetchEvent::Deploy { account_id: tenant.account_id, result, at: Utc::now() });
    }

    /// Runs confirmed plans one after the other, stopping at the first that fails.
    pub fn spawn_sequence(
        &self,
        actions: silo_core::actions::Actions,
        plans: Vec<silo_core::plan::ActionPlan>,
    ) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let progress = |done: usize, total: usize, step: &silo_core::plan::SequenceStep| {
                let message = format!("fleet rollback {done}/{total}: {} {}", step.tenant, step.outcome.label());
                this.send(FetchEvent::Notice {
                    message,
                    ok: !matches!(step.outcome, silo_core::plan::StepOutcome::Failed(_)),
                });
            };
            let results = actions.execute_in_order(plans, progress).await;
            this.send(FetchEvent::SequenceFinished { results, at: Utc::now() });
        })
    }

    /// Runs an on-demand read (`silo_core::reads`) under the limits of its service, and reports
    /// its answer under its key.
    /// `tenants`: the fleet, for a read that fans out over it (`reads::Runner::Fleet`).
    pub fn spawn_read(
        &self,
        key: silo_core::reads::ReadKey,
        tenant: Option<Tenant>,
        tenants: Vec<Tenant>,
    ) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let result = match reads::registered(&key) {
                Some(reads::Registered { run: reads::Runner::Fleet(run), .. }) => {
                    run(this.source.clone(), this.limiter.clone(), tenants, key.arg.clone()).await
                }
                Some(read @ reads::Registered { run: reads::Runner::One(run), .. }) => {
                    let account = (read.account)(this.source.as_ref(), tenant.as_ref());
                    let work = run(this.source.clone(), tenant, key.arg.clone());
                    this.limiter.run(read.spec.service, &account, read.spec.calls, work).await
                }
                None => Err(FetchError::new(
                    AwsService::Sts,
                    silo_core::error::ErrorKind::NotFound,
                    format!("silo has no read {:?}", key.read),
                )),
            };
            this.send(FetchEvent::Read { key, result, at: Utc::now() });
        })
    }

    /// Fetches a tenant's dashboard in the background.
    /// `end`: where a panned chart's range ends (None: now).
    pub fn spawn_dashboard(
        &self,
        tenant: Tenant,
        range: silo_core::metrics::Range,
        end: Option<chrono::DateTime<Utc>>,
    ) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let work = this.source.clone().dashboard(tenant.clone(), range, end);
            let result = this.limiter.run(AwsService::Cloudwatch, &tenant.account_id, 10, work).await;
            this.send(FetchEvent::Dashboard { account_id: tenant.account_id, result, at: Utc::now() });
        })
    }

    /// Reads every tenant-card detail the source offers, each under the limits of its service and
    /// reported on its own (one failing detail leaves the others).
    pub fn spawn_details(&self, tenant: Tenant) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let specs = this.source.details();
            let names = specs.iter().map(|s| s.name).collect();
            this.send(FetchEvent::DetailsAsked { account_id: tenant.account_id.clone(), names });
            let reads = specs.into_iter().map(|spec| this.clone().detail(tenant.clone(), spec));
            futures::future::join_all(reads).await;
        })
    }

    async fn detail(self, tenant: Tenant, spec: silo_core::detail::DetailSpec) {
        let work = self.source.clone().detail(tenant.clone(), spec.name);
        let result = self.limiter.run(spec.service, &tenant.account_id, 1, work).await;
        self.send(FetchEvent::Detail { account_id: tenant.account_id, name: spec.name, result, at: Utc::now() });
    }

    /// Reads the audit journal off the render loop, newest first. A line that is not an entry is
    /// skipped and said (as `silo audit` does), not the reason to show nothing.
    pub fn spawn_audit_load(&self, path: std::path::PathBuf) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        let read = move || {
            let read = silo_core::journal::Journal::at(path).read_lenient();
            let entries = read.map(|(mut entries, bad)| {
                if let Some(first) = bad.first() {
                    let message = format!("skipped {} journal line(s) that are not entries, first {first}", bad.len());
                    this.send(FetchEvent::Notice { message, ok: false });
                }
                entries.reverse();
                entries
            });
            FetchEvent::AuditJournal(entries)
        };
        self.spawn_blocking_event(read, |why| FetchEvent::AuditJournal(Err(why)))
    }

    /// Runs blocking `work` on the blocking pool and reports its event; a panic in it becomes
    /// the event `on_panic` makes of it (the screen hears of it), not a task that ends silently.
    pub fn spawn_blocking_event(
        &self,
        work: impl FnOnce() -> FetchEvent + Send + 'static,
        on_panic: impl FnOnce(String) -> FetchEvent + Send + 'static,
    ) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            let event = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|panic| {
                on_panic(format!("silo bug: this task panicked ({})", limiter::panic_text(panic.as_ref())))
            });
            this.send(event);
        })
    }

    /// Reads Cost Explorer for `accounts` in the background.
    pub fn spawn_cost_explorer(&self, accounts: Vec<String>) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let (service, billing) = this.source.org_account(Slot::Spend);
            let work = this.source.clone().cost_explorer(accounts);
            let result = this.limiter.run(service, &billing, ORG_WIDE_PAGES, work).await;
            this.send(FetchEvent::CostExplorer { result, at: Utc::now() });
        })
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, HashMap<Slot, Cached>> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub async fn refresh(&self) {
        self.refresh_of(&Slot::all(&self.source.columns())).await
    }

    pub async fn refresh_of(&self, slots: &[Slot]) {
        let columns = self.source.columns();
        self.send(FetchEvent::RefreshStarted { at: Utc::now(), slots: slots.to_vec(), columns });
        let listed = self
            .limiter
            .run(AwsService::Organizations, "organizations", ORG_WIDE_PAGES, self.source.clone().list_tenants())
            .await;
        self.send(FetchEvent::TenantsListed { result: listed.clone(), at: Utc::now() });
        if let Ok(tenants) = listed {
            self.send(FetchEvent::TenantNaming { problems: self.source.tenant_naming() });
            self.fan_out(tenants, slots).await;
        }
        self.send(FetchEvent::RefreshFinished { at: Utc::now() });
    }

    async fn fan_out(&self, tenants: Vec<Tenant>, slots: &[Slot]) {
        let mut tasks = JoinSet::new();
        let accounts: HashSet<String> = tenants.iter().map(|t| t.account_id.clone()).collect();
        let order = [Slot::Service, Slot::Alarms, Slot::SecurityHub, Slot::GuardDuty, Slot::Spend];
        for slot in order.into_iter().filter(|s| slots.contains(s)) {
            match slot {
                Slot::Service | Slot::Alarms => {
                    for tenant in &tenants {
                        tasks.spawn(self.clone().tenant_slot(tenant.clone(), slot));
                    }
                }
                Slot::SecurityHub => {
                    drop(tasks.spawn(self.clone().findings_slot(FindingSource::Securityhub, accounts.clone())))
                }
                Slot::GuardDuty => {
                    drop(tasks.spawn(self.clone().findings_slot(FindingSource::Guardduty, accounts.clone())))
                }
                Slot::Spend => drop(tasks.spawn(self.clone().org_wide_slot(slot, accounts.clone()))),
                Slot::Column(_) => {}
            }
        }
        for spec in self.source.columns().into_iter().filter(|c| slots.contains(&Slot::Column(c.name))) {
            match spec.scope {
                Scope::PerTenant { .. } => {
                    for tenant in &tenants {
                        tasks.spawn(self.clone().column_slot(tenant.clone(), spec));
                    }
                }
                Scope::OrgWide => drop(tasks.spawn(self.clone().org_column_slot(spec, accounts.clone()))),
            }
        }
        while let Some(joined) = tasks.join_next().await {
            if let Err(e) = joined {
                tracing::error!("fetch task failed: {e}");
            }
        }
    }

    async fn tenant_slot(self, tenant: Tenant, slot: Slot) {
        let source = self.source.clone();
        let result = match slot {
            Slot::Service => {
                let work = async { source.service(tenant.clone()).await.map(SlotValue::Service) };
                self.limiter.run(AwsService::Ecs, &tenant.account_id, 2, work).await
            }
            Slot::Alarms => {
                let work = async { source.alarms(tenant.clone()).await.map(SlotValue::Alarms) };
                self.limiter.run(AwsService::Cloudwatch, &tenant.account_id, 4, work).await
            }
            // Org-wide slots are read once for every tenant (`findings_slot`, `org_wide_slot`);
            // registry columns by `column_slot` and `org_column_slot`.
            Slot::SecurityHub | Slot::GuardDuty | Slot::Spend | Slot::Column(_) => return,
        };
        self.send(FetchEvent::Slot { account_id: tenant.account_id, slot, result, at: Utc::now() });
    }

    /// A per-tenant registry column: an answer young enough to reuse if the column allows one,
    /// else a read under the limits of its service in the tenant's account.
    async fn column_slot(self, tenant: Tenant, spec: ColumnSpec) {
        let (account_id, slot) = (tenant.account_id.clone(), Slot::Column(spec.name));
        let key = format!("{}/{account_id}", spec.name);
        let kept = spec.reuse_for.and_then(|max_age| self.recent.get(&key, Utc::now(), max_age));
        if let Some((at, value)) = kept {
            let result = Ok(SlotValue::Column(spec.name, value));
            return self.send(FetchEvent::Slot { account_id, slot, result, at });
        }
        let calls = match spec.scope {
            Scope::PerTenant { calls } => calls,
            Scope::OrgWide => ORG_WIDE_PAGES,
        };
        let work = self.source.clone().column(tenant, spec.name);
        let result = self.limiter.run(spec.service, &account_id, calls, work).await;
        let at = Utc::now();
        if let (Ok(value), Some(_)) = (&result, spec.reuse_for) {
            self.recent.put(&key, at, value.clone());
        }
        let result = result.map(|value| SlotValue::Column(spec.name, value));
        self.send(FetchEvent::Slot { account_id, slot, result, at });
    }

    /// An org-wide registry column: one read, in the account the source names for it, shared out.
    async fn org_column_slot(self, spec: ColumnSpec, accounts: HashSet<String>) {
        let slot = Slot::Column(spec.name);
        let (service, account) = self.source.org_account(slot);
        let (source, asked) = (self.source.clone(), accounts.clone());
        let work = async move { Ok::<_, FetchError>(source.org_column(spec.name, asked).await) };
        let result = match self.limiter.run(service, &account, ORG_WIDE_PAGES, work).await {
            Ok(result) => result,
            Err(timeout) => OrgWide::Failed(timeout),
        };
        self.distribute_at(slot, result, accounts, Utc::now());
    }

    /// Reads one finding source: the whole list goes to the findings view, counts per tenant to
    /// the fleet (tenants without findings count zero).
    async fn findings_slot(self, source: FindingSource, accounts: HashSet<String>) {
        let slot = match source {
            FindingSource::Securityhub => Slot::SecurityHub,
            FindingSource::Guardduty => Slot::GuardDuty,
        };
        let (service, account) = self.source.org_account(slot);
        let work = self.source.clone().findings(source, silo_core::findings::FindingsAsk::open());
        let result = self.limiter.run(service, &account, ORG_WIDE_PAGES, work).await;
        let at = Utc::now();
        let counts = shares(&result, &accounts, silo_core::findings::counts, OrgValue::Findings);
        self.send(FetchEvent::Findings { source, result, at });
        self.distribute_at(slot, counts, accounts, at);
    }

    async fn org_wide_slot(self, slot: Slot, accounts: HashSet<String>) {
        if let Some(cached) = self.reusable(slot, &accounts) {
            self.distribute_at(slot, cached.result, accounts, cached.at);
            return;
        }
        let (service, account) = self.source.org_account(slot);
        let source = self.source.clone();
        let asked = accounts.clone();
        let work = async move { Ok::<_, FetchError>(source.org_wide(slot, asked).await) };
        let result = match self.limiter.run(service, &account, ORG_WIDE_PAGES, work).await {
            Ok(result) => result,
            Err(timeout) => OrgWide::Failed(timeout),
        };
        let at = Utc::now();
        if slot == Slot::Spend && !matches!(result, OrgWide::Failed(_)) {
            self.lock_cache().insert(slot, Cached { at, accounts: accounts.clone(), result: result.clone() });
        }
        self.distribute_at(slot, result, accounts, at);
    }

    /// A cached answer young enough that covers every asked account.
    fn reusable(&self, slot: Slot, accounts: &HashSet<String>) -> Option<Cached> {
        let cache = self.lock_cache();
        let cached = cache.get(&slot)?;
        let age = (Utc::now() - cached.at).to_std().unwrap_or(Duration::MAX);
        (age < SPEND_MAX_AGE && accounts.is_subset(&cached.accounts)).then(|| cached.clone())
    }

    /// Turns one org-wide answer into a per-tenant event for every tenant of this refresh.
    fn distribute_at(&self, slot: Slot, result: OrgWide, accounts: HashSet<String>, at: DateTime<Utc>) {
        let (service, _) = self.source.org_account(slot);
        for (account_id, value) in result.per_tenant(slot, service, accounts) {
            self.send(FetchEvent::Slot { account_id, slot, result: value, at });
        }
    }

    fn send(&self, event: FetchEvent) {
        // The receiver is gone only while shutting down; nothing is left to tell then.
        let _ = self.events.send(event);
    }
}

/// Each tenant's share of an org-wide list (`split` it per account; an account it leaves out
/// gets the default), or the list's absence or failure for every tenant.
fn shares<T, V: Default>(
    result: &Result<Option<T>, FetchError>,
    accounts: &HashSet<String>,
    split: impl FnOnce(&T) -> std::collections::HashMap<String, V>,
    wrap: impl Fn(V) -> OrgValue,
) -> OrgWide {
    match result {
        Ok(None) => OrgWide::NotConfigured,
        Err(e) => OrgWide::Failed(e.clone()),
        Ok(Some(list)) => {
            let mut per_account = split(list);
            let share = |a: &String| (a.clone(), Ok(wrap(per_account.remove(a).unwrap_or_default())));
            OrgWide::PerAccount(accounts.iter().map(share).collect())
        }
    }
}

#[cfg(test)]
mod tests;
