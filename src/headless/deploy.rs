//! `silo deploy status|pause|resume|rollback`: the deployment screens' twins. Every action prints
//! its plan first, then dry-runs, asks for the typed tenant name, or refuses; it runs through
//! `Actions` (read-only refusal, operator role, journal) and follows the deployment to its end.

use super::releases::Registry;
use crate::cli::{ConfirmArgs, DeployCmd, Format};
use anyhow::{bail, Result};
use silo_core::actions::Actions;
use silo_core::deploy::{image_tag, DeployStatus};
use silo_core::error::FetchError;
use silo_core::model::{AwsService, Tenant};
use silo_core::plan::deploy::{self, Planned};
use silo_core::plan::terms::Overrides;
use silo_core::plan::{ActionPlan, PlanError, StepOutcome};
use silo_core::source::FleetSource;
use silo_core::text::{aligned, safe_text};
use silo_engine::Limiter;
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

/// How long a headless action follows its deployment before leaving it to run on.
const FOLLOW_FOR: Duration = Duration::from_secs(30 * 60);
const FOLLOW_EVERY: Duration = Duration::from_secs(5);

struct Ctx<'a> {
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    actions: &'a Actions,
    tenants: Vec<Tenant>,
    /// The registry's scans, which moving forward checks the version's image against.
    registry: Registry,
}

pub async fn run(
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    actions: &Actions,
    cmd: &DeployCmd,
    releases: Option<u32>,
) -> Result<()> {
    let store = crate::headless::collect(source.clone(), limiter.clone(), &[]).await?;
    let tenants = store.tenants.values().map(|r| r.tenant.clone()).collect();
    // Moving forward checks the version's image; pausing and reading do not.
    let registry = match cmd {
        DeployCmd::Resume { .. } | DeployCmd::Rollback { .. } => {
            Registry::read(source.clone(), limiter.clone(), releases).await
        }
        DeployCmd::Status { .. } | DeployCmd::Pause { .. } => Registry::Off,
    };
    let ctx = Ctx { source, limiter, actions, tenants, registry };
    match cmd {
        DeployCmd::Status { tenant: Some(name), format } => {
            let status = ctx.read(ctx.tenant(name)?).await?;
            print_one(&status, *format)
        }
        DeployCmd::Status { tenant: None, format } => print_all(&ctx.read_all().await, *format),
        DeployCmd::Pause { tenant, reason, confirm } => {
            let status = ctx.read(ctx.tenant(tenant)?).await?;
            match deploy::pause(&status, reason.as_deref().unwrap_or(""))? {
                Planned::Nothing(text) => {
                    println!("{text}");
                    Ok(())
                }
                Planned::Action(p) => {
                    let plan = ctx.with_terms(*p, &status, &Overrides::default())?;
                    ctx.carry_out(vec![plan], confirm).await
                }
            }
        }
        DeployCmd::Resume { tenant, overrides, confirm } => {
            let given = overrides.overrides().map_err(anyhow::Error::msg)?;
            let status = ctx.read(ctx.tenant(tenant)?).await?;
            ctx.carry_out(vec![ctx.with_terms(deploy::resume(&status)?, &status, &given)?], confirm).await
        }
        DeployCmd::Rollback { tenants, image, to_revision, overrides, confirm } => {
            let given = overrides.overrides().map_err(anyhow::Error::msg)?;
            let plans = ctx.rollback_plans(tenants, image.as_deref(), *to_revision, &given).await?;
            ctx.carry_out(plans, confirm).await
        }
    }
}

impl Ctx<'_> {
    /// The plan with what the tenant's customer agreed (its window and certified versions), or
    /// the refusal when it goes past them without an override.
    fn with_terms(&self, plan: ActionPlan, status: &DeployStatus, given: &Overrides) -> Result<ActionPlan, PlanError> {
        match self.tenants.iter().find(|t| t.account_id == status.account_id) {
            Some(tenant) => {
                silo_core::plan::terms::check(plan, tenant, status, chrono::Utc::now(), given, &self.registry.scans())
            }
            None => Ok(plan),
        }
    }

    fn tenant(&self, wanted: &str) -> Result<&Tenant> {
        crate::headless::find_in(&self.tenants, wanted)
    }

    async fn read(&self, tenant: &Tenant) -> Result<DeployStatus, FetchError> {
        let work = self.source.clone().deploy_status(tenant.clone());
        self.limiter.run(AwsService::Ecs, &tenant.account_id, 8, work).await
    }

    /// Every tenant's deployments, read side by side within the limits.
    /// Every tenant's deployments, read side by side within the limits, with progress on stderr
    /// when it is a terminal.
    async fn read_all(&self) -> Vec<(Tenant, Result<DeployStatus, FetchError>)> {
        use futures::StreamExt;
        let progress = std::io::stderr().is_terminal();
        let total = self.tenants.len();
        let reads = self.tenants.iter().map(|t| async move { (t.clone(), self.read(t).await) });
        let mut pending = futures::stream::iter(reads).buffer_unordered(total.max(1));
        let mut all = Vec::with_capacity(total);
        while let Some(read) = pending.next().await {
            all.push(read);
            if progress {
                say_inline!("\r\x1b[2K{}/{total} tenants' deployments read", all.len());
            }
        }
        if progress {
            say_inline!("\r\x1b[2K");
        }
        all.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        all
    }

    /// The named tenants and those whose deployment in flight goes to a matching image.
    async fn rollback_plans(
        &self,
        names: &[String],
        image: Option<&str>,
        to: Option<u32>,
        given: &Overrides,
    ) -> Result<Vec<ActionPlan>> {
        // Unknown names are refused before anything is read.
        let named: Vec<&Tenant> = names.iter().map(|n| self.tenant(n)).collect::<Result<_>>()?;
        let mut chosen: Vec<DeployStatus> = Vec::new();
        match image {
            None => {
                for tenant in &named {
                    chosen.push(self.read(tenant).await?);
                }
            }
            // One read of every tenant serves both the named ones and the image filter.
            Some(wanted) => {
                let mut all = self.read_all().await;
                for tenant in &named {
                    let at = all.iter().position(|(t, _)| t.account_id == tenant.account_id);
                    if let Some((_, read)) = at.map(|i| all.remove(i)) {
                        chosen.push(read?);
                    }
                }
                let goes_to = |s: &DeployStatus| {
                    s.in_flight()
                        .and_then(|d| d.image.as_deref())
                        .is_some_and(|i| i == wanted || image_tag(i) == wanted)
                };
                let matching = all.into_iter().filter_map(|(_, r)| r.ok()).filter(goes_to);
                chosen.extend(matching);
            }
        }
        match (chosen.len(), to) {
            (0, _) => {
                bail!("no tenant to roll back: name one with --tenant, or match deployments in flight with --image")
            }
            (n, Some(_)) if n > 1 => bail!(
                "--to-revision applies to one tenant; a fleet-wide rollback uses each tenant's last good revision"
            ),
            _ => {}
        }
        let planned: Vec<Result<ActionPlan, String>> = chosen
            .iter()
            .map(|s| {
                let plan = deploy::rollback(s, to).and_then(|p| self.with_terms(p, s, given));
                plan.map_err(|e| format!("{}: {e}", s.tenant))
            })
            .collect();
        let problems: Vec<&String> = planned.iter().filter_map(|p| p.as_ref().err()).collect();
        if !problems.is_empty() {
            let joined: Vec<&str> = problems.iter().map(|p| p.as_str()).collect();
            bail!("nothing was changed: {}", joined.join("; "));
        }
        Ok(planned.into_iter().filter_map(Result::ok).collect())
    }

    /// Prints the plans, then dry-runs, or confirms and runs them (in order, stopping at the
    /// first failure), then follows each tenant's deployment.
    async fn carry_out(&self, plans: Vec<ActionPlan>, args: &ConfirmArgs) -> Result<()> {
        // Built moments ago from what was just read: a confirmation left waiting ages them.
        let now = chrono::Utc::now();
        let plans: Vec<ActionPlan> = plans.into_iter().map(|p| p.read_at(now)).collect();
        for plan in &plans {
            println!("{}\n", plan.describe().join("\n"));
        }
        let expected = match plans.as_slice() {
            [one] => one.confirmation(&silo_core::tenant_lookup::SharedNames::among(&self.tenants)),
            many => silo_core::plan::batch_confirmation(many),
        };
        let accounts: Vec<String> =
            plans.iter().filter_map(|p| p.targets.first()).map(|t| t.account_id.clone()).collect();
        let progress = std::io::stderr().is_terminal() && plans.len() > 1;
        let report = |done: usize, total: usize, step: &silo_core::plan::SequenceStep| {
            if progress {
                say!("[{done}/{total}] {}: {}", step.tenant, step.outcome.label());
            }
        };
        let ran = crate::headless::confirm::dry_run_or_run(self.actions, plans, &args.plan, &expected, report).await?;
        let Some(results) = ran else { return Ok(()) };
        let failed = crate::headless::confirm::print_steps(&results);
        if !args.no_wait {
            self.follow(&accounts, &results).await;
        }
        match failed {
            Some(t) if results.len() > 1 => {
                bail!("fleet rollback stopped at {t}; the tenants after it were left alone")
            }
            Some(t) => bail!("the action on {t} failed; see above"),
            None => Ok(()),
        }
    }

    /// Re-reads each acted-on tenant until its deployment has ended, with progress on stderr.
    async fn follow(&self, accounts: &[String], results: &[silo_core::plan::SequenceStep]) {
        let done: Vec<&Tenant> = self
            .tenants
            .iter()
            .filter(|t| accounts.contains(&t.account_id))
            .filter(|t| {
                results.iter().any(|r| r.account_id == t.account_id && matches!(r.outcome, StepOutcome::Done(_)))
            })
            .collect();
        if self.source.label() == "demo" && !done.is_empty() {
            println!("(the headless demo does not advance in time; `silo --demo` shows the deployment play out)");
            return;
        }
        for tenant in done {
            self.follow_one(tenant).await;
        }
    }

    async fn follow_one(&self, tenant: &Tenant) {
        let started = std::time::Instant::now();
        let progress = std::io::stderr().is_terminal();
        loop {
            match self.read(tenant).await {
                Ok(s) if s.in_flight().is_none() => {
                    let last = s.deployments.first().map(|d| d.status.as_str()).unwrap_or("no deployment");
                    println!("{}: {last}, running {} ({})", s.tenant, s.task_definition, s.image);
                    return;
                }
                Ok(s) if progress => {
                    let d = s.in_flight().map(|d| format!("{} {}%", d.status, d.progress())).unwrap_or_default();
                    say_inline!("\r\x1b[2K{}: {d} ({}s)", s.tenant, started.elapsed().as_secs());
                }
                Ok(_) => {}
                Err(e) => say!("{}: cannot read the deployment: {e}", tenant.name),
            }
            if started.elapsed() > FOLLOW_FOR {
                say!(
                    "\n{}: still in flight after {} min; `silo deploy status` follows up",
                    tenant.name,
                    FOLLOW_FOR.as_secs() / 60
                );
                return;
            }
            tokio::select! {
                _ = tokio::time::sleep(FOLLOW_EVERY) => {}
                _ = crate::headless::signalled() => {
                    say!("\n{}: stopped following; the deployment goes on (`silo deploy status` follows up)", tenant.name);
                    return;
                }
            }
        }
    }
}

fn print_one(status: &DeployStatus, format: Format) -> Result<()> {
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&status.report())? + "\n",
        Format::Csv => csv_rows(&[status])?,
        Format::Table => one_table(status),
    };
    crate::headless::write_stdout(&text)
}

fn print_all(all: &[(Tenant, Result<DeployStatus, FetchError>)], format: Format) -> Result<()> {
    let ok: Vec<&DeployStatus> = all.iter().filter_map(|(_, r)| r.as_ref().ok()).collect();
    let errors: Vec<serde_json::Value> = all
        .iter()
        .filter_map(|(t, r)| r.as_ref().err().map(|e| (t, e)))
        .map(|(t, e)| serde_json::json!({"tenant": t.name, "account_id": t.account_id, "source": e.service, "kind": e.kind, "message": e.message}))
        .collect();
    for (t, e) in all.iter().filter_map(|(t, r)| r.as_ref().err().map(|e| (t, e))) {
        say!("silo: {}: deployments not read: {e}", t.name);
    }
    let text = match format {
        Format::Json => {
            let reports: Vec<_> = ok.iter().map(|s| s.report()).collect();
            serde_json::to_string_pretty(&serde_json::json!({ "tenants": reports, "errors": errors }))? + "\n"
        }
        Format::Csv => csv_rows(&ok)?,
        Format::Table => fleet_table(&ok),
    };
    crate::headless::write_stdout(&text)
}

const CSV_COLUMNS: [&str; 12] = [
    "tenant",
    "account_id",
    "state",
    "task_definition",
    "image",
    "desired",
    "running",
    "pending",
    "paused",
    "frozen",
    "in_flight_status",
    "in_flight_to",
];

fn csv_rows(statuses: &[&DeployStatus]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS)?;
    for s in statuses {
        let flight = s.in_flight();
        w.write_record([
            safe_text(&s.tenant),
            s.account_id.clone(),
            s.state_label(),
            safe_text(&s.task_definition),
            safe_text(&s.image),
            s.desired.to_string(),
            s.running.to_string(),
            s.pending.to_string(),
            s.paused().to_string(),
            s.frozen().to_string(),
            flight.map(|d| d.status.clone()).unwrap_or_default(),
            safe_text(flight.and_then(|d| d.task_definition.as_deref()).unwrap_or("")),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

fn fleet_table(statuses: &[&DeployStatus]) -> String {
    let titles: Vec<String> = ["TENANT", "STATE", "REVISION", "IMAGE", "TASKS", "DETAIL"].map(String::from).to_vec();
    let now = chrono::Utc::now();
    let rows: Vec<Vec<String>> = statuses
        .iter()
        .map(|s| {
            vec![
                s.tenant.clone(),
                s.state_label(),
                s.task_definition.clone(),
                image_tag(&s.image).to_string(),
                format!("{}/{}", s.running, s.desired),
                silo_core::deploy::detail(s, now),
            ]
        })
        .collect();
    aligned(&titles, &rows)
}

fn one_table(s: &DeployStatus) -> String {
    let mut out = format!(
        "tenant     {} ({})\nservice    {}/{} in {}\nrunning    {} {}\ntasks      {} running / {} desired / {} pending\nstate      {} {}\n\n",
        s.tenant,
        s.account_id,
        s.cluster,
        s.service,
        s.region,
        s.task_definition,
        s.image,
        s.running,
        s.desired,
        s.pending,
        s.state_label(),
        silo_core::deploy::detail(s, chrono::Utc::now()),
    );
    let titles: Vec<String> = ["STATUS", "REVISION", "IMAGE", "STARTED", "REASON"].map(String::from).to_vec();
    let rows: Vec<Vec<String>> = s
        .deployments
        .iter()
        .map(|d| {
            vec![
                d.status.clone(),
                d.task_definition.clone().unwrap_or_default(),
                d.image.as_deref().map(image_tag).unwrap_or("").to_string(),
                d.started_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
                d.status_reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    out.push_str(&aligned(&titles, &rows));
    out.push('\n');
    let titles: Vec<String> = ["REVISION", "IMAGE", "REGISTERED"].map(String::from).to_vec();
    let rows: Vec<Vec<String>> = s
        .revisions
        .iter()
        .map(|r| {
            let when = r.created_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
            vec![r.task_definition.clone(), r.image.clone(), when]
        })
        .collect();
    out.push_str(&aligned(&titles, &rows));
    for note in &s.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    out
}
