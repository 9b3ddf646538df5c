//! `silo rollout schedule|cancel`: updates put on EventBridge Scheduler in the tenant's account at
//! the time its customer agreed. Every schedule is planned from what was just read (the tenant's
//! revisions, window, certification and schedules), printed, then dry-run, confirmed or refused,
//! and created through `Actions` (read-only refusal, operator role, journal).

use crate::cli::{OverrideArgs, PlanArgs};
use anyhow::{bail, Result};
use futures::StreamExt;
use silo_core::actions::Actions;
use silo_core::deploy::DeployStatus;
use silo_core::error::FetchError;
use silo_core::model::{AwsService, Tenant};
use silo_core::plan::schedule::{self, Request, When};
use silo_core::plan::terms::Overrides;
use silo_core::plan::ActionPlan;
use silo_core::source::FleetSource;
use silo_core::terms::certified::version_of;
use silo_core::terms::schedule::ScheduledUpdate;
use silo_engine::Limiter;
use std::sync::Arc;

/// What scheduling reads from and acts through.
pub struct Scheduling<'a> {
    pub source: Arc<dyn FleetSource>,
    pub limiter: Arc<Limiter>,
    pub actions: &'a Actions,
    /// `[tenants] scheduler_role`.
    pub role: String,
    /// The registry's scans, which plans check the version's image against.
    pub registry: super::releases::Registry,
}

/// Who gets the update: one tenant to a revision, or every tenant not yet on a version.
pub enum Selection<'a> {
    Tenant { name: &'a str, to_revision: u32 },
    Version { version: &'a str, certified_only: bool },
}

/// One tenant as read for planning: its deployments (service and revisions) and its schedules.
struct Read {
    tenant: Tenant,
    status: Result<DeployStatus, FetchError>,
    existing: Result<Vec<ScheduledUpdate>, FetchError>,
}

pub async fn schedule(
    ctx: &Scheduling<'_>,
    who: Selection<'_>,
    at: Option<chrono::DateTime<chrono::Utc>>,
    overrides: &OverrideArgs,
    confirm: &PlanArgs,
) -> Result<()> {
    let given = overrides.overrides().map_err(anyhow::Error::msg)?;
    let when = at.map(When::At).unwrap_or(When::NextWindow);
    let tenants = ctx.tenants().await?;
    let plans = match who {
        Selection::Tenant { name, to_revision } => {
            let tenant = crate::headless::find_in(&tenants, name)?;
            let read = ctx.read(tenant.clone()).await;
            vec![plan_one(ctx, &read, to_revision, when, &given)?]
        }
        Selection::Version { version, certified_only } => {
            let reads = ctx.read_all(tenants.clone()).await;
            fleet_plans(ctx, &reads, version, certified_only, when, &given)?
        }
    };
    carry_out(ctx.actions, plans, &tenants, confirm).await
}

pub async fn cancel(ctx: &Scheduling<'_>, name: &str, schedule_name: &str, confirm: &PlanArgs) -> Result<()> {
    let tenants = ctx.tenants().await?;
    let tenant = crate::headless::find_in(&tenants, name)?;
    let existing = ctx.scheduled(tenant.clone()).await?;
    let plan =
        schedule::cancel(tenant, &existing, schedule_name).map_err(|e| anyhow::anyhow!("{e}; nothing was changed"))?;
    carry_out(ctx.actions, vec![plan], &tenants, confirm).await
}

impl Scheduling<'_> {
    pub(crate) async fn tenants(&self) -> Result<Vec<Tenant>> {
        let store = crate::headless::collect(self.source.clone(), self.limiter.clone(), &[]).await?;
        let mut tenants: Vec<Tenant> = store.tenants.values().map(|r| r.tenant.clone()).collect();
        tenants.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(tenants)
    }

    pub(crate) async fn scheduled(&self, tenant: Tenant) -> Result<Vec<ScheduledUpdate>, FetchError> {
        let account = tenant.account_id.clone();
        self.limiter.run(AwsService::Scheduler, &account, 4, self.source.clone().scheduled(tenant)).await
    }

    async fn read(&self, tenant: Tenant) -> Read {
        let work = self.source.clone().deploy_status(tenant.clone());
        let status = self.limiter.run(AwsService::Ecs, &tenant.account_id, 8, work).await;
        let existing = self.scheduled(tenant.clone()).await;
        Read { tenant, status, existing }
    }

    /// Every tenant read side by side within the limits, in name order.
    async fn read_all(&self, tenants: Vec<Tenant>) -> Vec<Read> {
        let total = tenants.len().max(1);
        let mut reads: Vec<Read> =
            futures::stream::iter(tenants.into_iter().map(|t| self.read(t))).buffer_unordered(total).collect().await;
        reads.sort_by(|a, b| a.tenant.name.cmp(&b.tenant.name));
        reads
    }
}

fn plan_one(ctx: &Scheduling, read: &Read, to_revision: u32, when: When, given: &Overrides) -> Result<ActionPlan> {
    let name = &read.tenant.name;
    let status = read.status.as_ref().map_err(|e| anyhow::anyhow!("{name}: deployments not read: {e}"))?;
    let existing = read.existing.as_ref().map_err(|e| anyhow::anyhow!("{name}: schedules not read: {e}"))?;
    let now = chrono::Utc::now();
    let request = Request {
        tenant: &read.tenant,
        status,
        existing,
        to_revision,
        when,
        overrides: given,
        role: &ctx.role,
        now,
        scans: ctx.registry.scans(),
    };
    let plan = schedule::create(&request).map_err(|e| anyhow::anyhow!("{e}; nothing was changed"))?;
    Ok(plan.read_at(now))
}

/// Each tenant that should get `version`, on its own schedule; a tenant left out is said on
/// stderr with why, and a tenant that cannot be planned refuses the whole command.
fn fleet_plans(
    ctx: &Scheduling,
    reads: &[Read],
    version: &str,
    certified_only: bool,
    when: When,
    given: &Overrides,
) -> Result<Vec<ActionPlan>> {
    let mut plans = Vec::new();
    let mut problems = Vec::new();
    for read in reads {
        match chosen_revision(read, version, certified_only) {
            Ok(Some(n)) => match plan_one(ctx, read, n, when, given) {
                Ok(plan) => plans.push(plan),
                Err(e) => problems.push(e.to_string().trim_end_matches("; nothing was changed").to_string()),
            },
            Ok(None) => {}
            Err(why) => say!("{}: left out: {why}", read.tenant.name),
        }
    }
    if !problems.is_empty() {
        bail!("nothing was changed: {}", problems.join("; "));
    }
    if plans.is_empty() {
        bail!("no tenant to schedule to {version}; nothing was changed");
    }
    Ok(plans)
}

/// The revision a tenant moves to for `version`: the newest of its family that carries it;
/// None when it runs it already; Err says why it is left out.
fn chosen_revision(read: &Read, version: &str, certified_only: bool) -> Result<Option<u32>, String> {
    let status = read.status.as_ref().map_err(|e| format!("deployments not read: {e}"))?;
    if version_of(&status.image).as_deref() == Some(version) {
        return Ok(None);
    }
    let carries = |r: &&silo_core::deploy::Revision| version_of(&r.image).as_deref() == Some(version);
    // A version is the repository and its tag: the service's own repository first; a revision of
    // another one is planned only to be refused without --other-repository.
    let ours = silo_core::terms::certified::repository_of(&status.image);
    let same_repository =
        |r: &&silo_core::deploy::Revision| silo_core::terms::certified::repository_of(&r.image) == ours;
    let newest = |own: bool| {
        let candidates = status.revisions.iter().filter(carries);
        candidates.filter(|r| !own || same_repository(r)).max_by_key(|r| r.number)
    };
    let chosen = newest(true).or_else(|| newest(false));
    let Some(revision) = chosen else {
        return Err(format!("no registered revision of its family carries {version}"));
    };
    let existing = read.existing.as_ref().map_err(|e| format!("schedules not read: {e}"))?;
    if let Some(s) = existing.iter().find(|s| s.to_revision == revision.number) {
        return Err(format!("already scheduled ({})", s.name));
    }
    let certified = silo_core::terms::standing(&read.tenant).certified_ok(Some(version));
    if certified_only && certified == Some(false) {
        return Err(format!("{version} is not certified by the customer"));
    }
    Ok(Some(revision.number))
}

/// Prints the plans, then dry-runs, or confirms and creates them in order.
async fn carry_out(actions: &Actions, plans: Vec<ActionPlan>, tenants: &[Tenant], args: &PlanArgs) -> Result<()> {
    print_plans(&plans);
    let expected = match plans.as_slice() {
        [one] => one.confirmation(&silo_core::tenant_lookup::SharedNames::among(tenants)),
        many => silo_core::plan::batch_confirmation(many),
    };
    let ran = crate::headless::confirm::dry_run_or_run(actions, plans, args, &expected, |_, _, _| {}).await?;
    let Some(results) = ran else { return Ok(()) };
    match (crate::headless::confirm::print_steps(&results), results.len()) {
        (None, _) => Ok(()),
        (Some(t), 1) => bail!("the schedule of {t} was not changed; see above"),
        (Some(t), _) => bail!("scheduling stopped at {t}; the tenants after it were left alone"),
    }
}

/// One plan in full; several as one line each (tenant, revisions, local time) then the first in
/// full, so the exact call is seen.
fn print_plans(plans: &[ActionPlan]) {
    if let [one] = plans {
        println!("{}\n", one.describe().join("\n"));
        return;
    }
    println!("{} tenants, each at its own time:", plans.len());
    for plan in plans {
        let tenant = plan.tenants().into_iter().flatten().next().unwrap_or_default();
        let overridden = if plan.overrides.is_empty() { "" } else { " (overrides the customer's terms)" };
        println!("  {tenant}: {}{overridden}", plan.summary);
    }
    if let Some(first) = plans.first() {
        println!("\nthe first, in full:\n{}\n", first.describe().join("\n"));
    }
}
