//! The command line's headless commands, each handed to its module: one arm per command, the
//! arguments turned into what the module takes. `main` keeps the screen and the local commands.

use crate::cli::{Cli, Cmd, Format, RolloutCmd};
use crate::setup::{DemoMode, Setup};
use anyhow::Result;

/// Runs `command` (any but `audit`, `completions` and `man`, which `main` answers without a
/// configuration).
pub async fn run(cli: &Cli, setup: &Setup, command: &Cmd) -> Result<()> {
    match command {
        Cmd::Fleet { format } => super::print_fleet(&fleet(cli, setup).await?, *format),
        Cmd::Errors { format } => super::read_errors::print(&fleet(cli, setup).await?, *format),
        Cmd::Findings(args) => findings(cli, setup, args).await,
        Cmd::Metrics { tenant, range, format } => metrics(cli, setup, tenant, range, *format).await,
        Cmd::Alarms { state, tenant, format } => alarms(cli, setup, state.as_deref(), tenant.as_deref(), *format).await,
        Cmd::Audit { .. } | Cmd::Completions { .. } | Cmd::Man => Ok(()),
        Cmd::Doctor { format, schedule_probe: Some(tenant), confirm, .. } => {
            schedule_probe(cli, setup, tenant, confirm, *format).await
        }
        Cmd::Doctor { format, deep, tenant, .. } => {
            doctor(cli, setup, *format, deep.then_some(tenant.as_deref())).await
        }
        Cmd::Query(args) => query(cli, setup, args).await,
        Cmd::Deploy(cmd) => {
            let source = setup.source(cli, DemoMode::Frozen).await?;
            let actions = setup.checked_actions(source.clone()).await?;
            super::deploy::run(source, setup.limiter(), &actions, cmd, critical_threshold(setup)).await
        }
        Cmd::Timeline { tenant, since, from, to, around_alarm, format } => {
            let range = super::timeline::range(since, from.as_deref(), to.as_deref(), chrono::Utc::now())?;
            let suspect_window = chrono::Duration::from_std(setup.config.suspect_window)?;
            let wanted = super::timeline::Wanted { tenant, range, around_alarm: around_alarm.clone(), suspect_window };
            super::timeline::run(setup.source(cli, DemoMode::Frozen).await?, setup.limiter(), wanted, *format).await
        }
        Cmd::Rollout(cmd) => rollout(cli, setup, cmd).await,
        Cmd::Versions { format } => {
            super::rollouts::versions(setup.source(cli, DemoMode::Frozen).await?, setup.limiter(), *format).await
        }
        Cmd::Releases { format } => {
            let stale_scan_days = setup.config.releases.as_ref().map_or(30, |r| r.stale_scan_days);
            super::releases::run(setup.source(cli, DemoMode::Frozen).await?, setup.limiter(), *format, stale_scan_days)
                .await
        }
        Cmd::Health { format } => {
            super::aws_health::run(setup.source(cli, DemoMode::Frozen).await?, setup.limiter(), *format).await
        }
        Cmd::Across { metric, tenant, range, format } => {
            let source = setup.source(cli, DemoMode::Frozen).await?;
            super::across::run(source, setup.limiter(), super::across::Ask::parse(metric, tenant, range)?, *format)
                .await
        }
        Cmd::Compare { version, metric, window, tolerance, format } => {
            let ask = super::compare::ask(version, metric, window, *tolerance)?;
            super::compare::run(setup.source(cli, DemoMode::Frozen).await?, setup.limiter(), &ask, *format).await
        }
        Cmd::Governance { tenant, format } => {
            let source = setup.source(cli, DemoMode::Frozen).await?;
            super::governance::run(source, setup.limiter(), tenant.as_deref(), *format).await
        }
        Cmd::Compliance { tenant, format } => {
            let source = setup.source(cli, DemoMode::Frozen).await?;
            super::compliance::run(source, setup.limiter(), tenant.as_deref(), *format).await
        }
        Cmd::Spend { tenant, cost_explorer, format } => {
            spend(cli, setup, tenant.as_deref(), *cost_explorer, *format).await
        }
    }
}

/// `--offline` never calls AWS: the commands that can only answer from AWS say so before anything
/// starts (`silo fleet` and the TUI answer from the last snapshot).
pub fn refuse_offline(cli: &Cli) -> Result<()> {
    let name = match &cli.command {
        None
        | Some(Cmd::Fleet { .. } | Cmd::Errors { .. } | Cmd::Audit { .. } | Cmd::Completions { .. } | Cmd::Man) => {
            return Ok(())
        }
        // The saved queries are local files.
        Some(Cmd::Query(args)) if args.list => return Ok(()),
        Some(Cmd::Findings(_)) => "findings",
        Some(Cmd::Metrics { .. }) => "metrics",
        Some(Cmd::Alarms { .. }) => "alarms",
        Some(Cmd::Doctor { .. }) => "doctor",
        Some(Cmd::Query(_)) => "query",
        Some(Cmd::Deploy(_)) => "deploy",
        Some(Cmd::Spend { .. }) => "spend",
        Some(Cmd::Timeline { .. }) => "timeline",
        Some(Cmd::Health { .. }) => "health",
        Some(Cmd::Releases { .. }) => "releases",
        Some(Cmd::Versions { .. }) => "versions",
        Some(Cmd::Rollout(_)) => "rollout",
        Some(Cmd::Compliance { .. }) => "compliance",
        Some(Cmd::Governance { .. }) => "governance",
        Some(Cmd::Compare { .. }) => "compare",
        Some(Cmd::Across { .. }) => "across",
    };
    if cli.offline {
        anyhow::bail!(
            "--offline: `silo {name}` needs AWS and cannot answer from the snapshot (only `silo fleet` and the screen can); run it without --offline"
        );
    }
    Ok(())
}

/// `[releases] critical_threshold` when the registry is set up: plans check versions' images.
fn critical_threshold(setup: &Setup) -> Option<u32> {
    setup.config.releases.as_ref().map(|r| r.critical_threshold)
}

async fn alarms(cli: &Cli, setup: &Setup, state: Option<&str>, tenant: Option<&str>, format: Format) -> Result<()> {
    let state = state.map(parse_alarm_state).transpose()?;
    let source = setup.source(cli, DemoMode::Frozen).await?;
    let store = super::collect(source, setup.limiter(), &[silo_core::store::Slot::Alarms]).await?;
    super::print_alarms(&store, state, tenant, format)
}

/// `silo doctor --schedule-probe TENANT`.
async fn schedule_probe(
    cli: &Cli,
    setup: &Setup,
    tenant: &str,
    confirm: &crate::cli::PlanArgs,
    format: Format,
) -> Result<()> {
    use super::schedule::Scheduling;
    let source = setup.source(cli, DemoMode::Frozen).await?;
    let actions = setup.checked_actions(source.clone()).await?;
    let role = setup.config.scheduler_role.clone();
    // The probe schedules nothing that runs: no version's image to check.
    let registry = super::releases::Registry::Off;
    let ctx = Scheduling { source, limiter: setup.limiter(), actions: &actions, role, registry };
    let checks = super::schedule_probe::run(&ctx, tenant, confirm).await?;
    super::doctor::print_probe(&checks, format)
}

async fn query(cli: &Cli, setup: &Setup, args: &crate::cli::QueryArgs) -> Result<()> {
    let source = setup.source(cli, DemoMode::Frozen).await?;
    let actions = setup.checked_actions(source.clone()).await?;
    let writes = super::query::Writes { actions: &actions, target: setup.athena_target() };
    super::query::run(source, setup.limiter(), &setup.library, args, writes).await
}

/// `silo rollout list | schedule | cancel`.
async fn rollout(cli: &Cli, setup: &Setup, cmd: &RolloutCmd) -> Result<()> {
    use super::schedule::{self, Scheduling, Selection};
    let source = setup.source(cli, DemoMode::Frozen).await?;
    if let RolloutCmd::List { tenant, format } = cmd {
        return super::rollouts::list(source, setup.limiter(), tenant.as_deref(), *format).await;
    }
    let actions = setup.checked_actions(source.clone()).await?;
    let role = setup.config.scheduler_role.clone();
    let registry = match cmd {
        RolloutCmd::Schedule { .. } => {
            super::releases::Registry::read(source.clone(), setup.limiter(), critical_threshold(setup)).await
        }
        RolloutCmd::List { .. } | RolloutCmd::Cancel { .. } => super::releases::Registry::Off,
    };
    let ctx = Scheduling { source, limiter: setup.limiter(), actions: &actions, role, registry };
    match cmd {
        RolloutCmd::List { .. } => Ok(()),
        RolloutCmd::Schedule {
            tenant,
            to_revision,
            version,
            certified_only,
            at,
            next_window: _,
            overrides,
            confirm,
        } => {
            let who = match (tenant, to_revision, version) {
                (Some(name), Some(to_revision), _) => Selection::Tenant { name, to_revision: *to_revision },
                (_, _, Some(version)) => Selection::Version { version, certified_only: *certified_only },
                _ => anyhow::bail!("name --tenant with --to-revision, or --version"),
            };
            schedule::schedule(&ctx, who, *at, overrides, confirm).await
        }
        RolloutCmd::Cancel { tenant, name, confirm } => schedule::cancel(&ctx, tenant, name, confirm).await,
    }
}

async fn spend(cli: &Cli, setup: &Setup, tenant: Option<&str>, cost_explorer: bool, format: Format) -> Result<()> {
    let source = setup.source(cli, DemoMode::Frozen).await?;
    let slots = [silo_core::store::Slot::Spend];
    let mut store = super::collect(source.clone(), setup.limiter(), &slots).await?;
    if cost_explorer {
        super::add_cost_explorer(&mut store, source, setup.limiter()).await?;
    }
    super::print_spend(&store, tenant, format)
}

async fn findings(cli: &Cli, setup: &Setup, args: &crate::cli::FindingsArgs) -> Result<()> {
    use super::findings as hf;
    let mut selection = hf::selection(args)?;
    let source = setup.source(cli, DemoMode::Frozen).await?;
    let limiter = setup.limiter();
    let store = super::collect(source.clone(), limiter.clone(), &[]).await?;
    if let Some(tenant) = &selection.tenant {
        // By its account id from here on: a name is only how it was typed.
        selection.tenant = Some(super::find_tenant(&store, tenant)?.tenant.account_id.clone());
    }
    match &args.update {
        None => {
            let list = hf::read(&store, source, &limiter, &hf::ask(&selection)).await?;
            hf::print(&list, &selection, args.format)
        }
        Some(cmd) => {
            // Only the findings it changes, whatever their state: never the whole organization's.
            let crate::cli::FindingsCmd::Update { ids, .. } = cmd;
            let ask = silo_core::findings::FindingsAsk::these(ids.clone());
            let list = hf::read(&store, source.clone(), &limiter, &ask).await?;
            let silo_core::plan::AuditTarget { account_id: account, region } = setup.audit_target();
            let plans = hf::plans(&list, cmd, (&account, &region))?;
            let crate::cli::FindingsCmd::Update { yes, expect, dry_run, .. } = cmd;
            let shared = store.shared_names();
            let how = hf::Confirmation { yes: *yes, expect: *expect, dry_run: *dry_run, shared };
            hf::carry_out(&setup.checked_actions(source).await?, plans, how).await
        }
    }
}

/// `silo doctor`: the checks of a real configuration (the demo needs none).
async fn doctor(cli: &Cli, setup: &Setup, format: Format, deep: Option<Option<&str>>) -> Result<()> {
    if setup.demo {
        println!("the demo organization needs no set-up; run `silo doctor` with your config to check it");
        return Ok(());
    }
    let options = silo_aws::context::BaseOptions { profile: cli.profile.clone(), region: cli.region.clone() };
    let source = std::sync::Arc::new(silo_aws::AwsSource::new(setup.config.clone(), &options).await);
    let mut checks = silo_aws::doctor::run(source.clone(), &setup.config).await;
    if let Some(wanted) = deep {
        let tenant = probed_tenant(&source, wanted).await?;
        checks.extend(silo_aws::doctor_deep::run(&source, &setup.config, tenant.as_ref()).await);
    }
    super::doctor::print(&checks, format)
}

/// The tenant `--deep` probes the tenant roles in: the one named, else the first listed (None
/// when the list cannot be read: the checks above say why).
async fn probed_tenant(
    source: &std::sync::Arc<silo_aws::AwsSource>,
    wanted: Option<&str>,
) -> Result<Option<silo_core::model::Tenant>> {
    use silo_core::source::FleetSource;
    let mut tenants = match source.clone().list_tenants().await {
        Ok(tenants) => tenants,
        Err(_) => return Ok(None),
    };
    tenants.sort_by(|a, b| a.name.cmp(&b.name));
    let Some(wanted) = wanted else { return Ok(tenants.into_iter().next()) };
    match tenants.iter().find(|t| t.name == wanted || t.account_id == wanted) {
        Some(found) => Ok(Some(found.clone())),
        None => anyhow::bail!("--tenant {wanted:?}: no tenant of that name or account id"),
    }
}

/// `silo fleet`: fetch (and keep the snapshot), or with `--offline` print the last snapshot.
/// The fleet as last saved (`--offline`) or read now (and saved for the next `--offline`).
async fn fleet(cli: &Cli, setup: &Setup) -> Result<silo_core::store::Store> {
    let path = silo_core::snapshot::path_for(setup.config.path.as_deref(), setup.demo);
    if cli.offline {
        let snapshot = silo_core::snapshot::load(&path).map_err(anyhow::Error::msg)?;
        let snapshot = snapshot
            .ok_or_else(|| anyhow::anyhow!("no fleet snapshot for this organization yet ({})", path.display()))?;
        say!("offline: snapshot from {}", snapshot.saved_at.to_rfc3339());
        let mut store = silo_core::store::Store::default();
        store.restore(snapshot, &setup.columns());
        return Ok(store);
    }
    let source = setup.source(cli, DemoMode::Frozen).await?;
    let store = super::collect_fleet(source, setup.limiter()).await?;
    if let Err(e) = silo_core::snapshot::save(&path, &silo_core::snapshot::of(&store, chrono::Utc::now())) {
        tracing::warn!("cannot save the fleet snapshot {}: {e}", path.display());
    }
    Ok(store)
}

async fn metrics(cli: &Cli, setup: &Setup, tenant: &str, range: &str, format: Format) -> Result<()> {
    let range = silo_core::metrics::Range::parse(range)
        .ok_or_else(|| anyhow::anyhow!("unknown range {range:?}: expected 1h, 3h, 6h, 12h, 24h, 7d or 30d"))?;
    let source = setup.source(cli, DemoMode::Frozen).await?;
    let limiter = setup.limiter();
    let store = super::collect(source.clone(), limiter.clone(), &[]).await?;
    let record = super::find_tenant(&store, tenant)?;
    let work = source.clone().dashboard(record.tenant.clone(), range, None);
    let dashboard = limiter.run(silo_core::model::AwsService::Cloudwatch, &record.tenant.account_id, 10, work).await?;
    let now = chrono::Utc::now();
    let journal = super::metrics_context::journal();
    let (alarms, events) = super::metrics_context::read(source, &limiter, &record.tenant, (range, now), &journal).await;
    let context = super::Context { alarms: &alarms, events: &events };
    super::print_metrics(&record.tenant.name, &dashboard, context, format)
}

fn parse_alarm_state(text: &str) -> Result<silo_core::alarms::AlarmState> {
    silo_core::alarms::AlarmState::parse(text)
        .ok_or_else(|| anyhow::anyhow!("unknown alarm state {text:?}: expected OK, ALARM or INSUFFICIENT_DATA"))
}
