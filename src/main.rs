use anyhow::Result;
use clap::Parser;
use silo::cli::{Cli, Cmd};
use silo::setup::{init_logging, DemoMode, Setup};
use silo_engine::Fetcher;
use silo_tui::action::Banner;
use silo_tui::app::App;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("silo: {error:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: &Cli) -> Result<()> {
    // The journal is local: reading it needs neither a config nor AWS (`--demo` reads the demo's).
    if let Some(Cmd::Audit { format, check }) = &cli.command {
        if cli.demo {
            silo_core::journal::Journal::for_the_demo();
        }
        return match check {
            Some(silo::cli::AuditCmd::Verify) => silo::headless::verify_audit(),
            None => silo::headless::print_audit(*format),
        };
    }
    if let Some(Cmd::Completions { shell }) = &cli.command {
        let mut script = Vec::new();
        clap_complete::generate(*shell, &mut silo::cli::command(), "silo", &mut script);
        return silo::headless::write_stdout(&String::from_utf8_lossy(&script));
    }
    if let Some(Cmd::Man) = &cli.command {
        let mut page = Vec::new();
        clap_mangen::Man::new(silo::cli::command()).render(&mut page)?;
        return silo::headless::write_stdout(&String::from_utf8_lossy(&page));
    }
    refuse_offline(cli)?;
    let setup = Setup::from_cli(cli)?;
    init_logging(cli)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        match &cli.command {
            None => interactive(cli, &setup).await,
            Some(Cmd::Fleet { format }) => fleet(cli, &setup, *format).await,
            Some(Cmd::Findings(args)) => findings(cli, &setup, args).await,
            Some(Cmd::Metrics { tenant, range, format }) => metrics(cli, &setup, tenant, range, *format).await,
            Some(Cmd::Alarms { state, tenant, format }) => {
                let state = state.as_deref().map(parse_alarm_state).transpose()?;
                let source = setup.source(cli, DemoMode::Frozen).await?;
                let store = silo::headless::collect(source, setup.limiter(), &[silo_core::store::Slot::Alarms]).await?;
                silo::headless::print_alarms(&store, state, tenant.as_deref(), *format)
            }
            Some(Cmd::Audit { .. }) => Ok(()),
            Some(Cmd::Completions { .. } | Cmd::Man) => Ok(()),
            Some(Cmd::Doctor { format, schedule_probe: Some(tenant), confirm, .. }) => {
                use silo::headless::schedule::Scheduling;
                let source = setup.source(cli, DemoMode::Frozen).await?;
                let actions = setup.checked_actions(source.clone()).await?;
                let role = setup.config.scheduler_role.clone();
                let ctx = Scheduling { source, limiter: setup.limiter(), actions: &actions, role };
                let checks = silo::headless::schedule_probe::run(&ctx, tenant, confirm).await?;
                silo::headless::doctor::print_probe(&checks, *format)
            }
            Some(Cmd::Doctor { format, deep, tenant, .. }) => {
                doctor(cli, &setup, *format, deep.then_some(tenant.as_deref())).await
            }
            Some(Cmd::Query(args)) => {
                let source = setup.source(cli, DemoMode::Frozen).await?;
                let actions = setup.checked_actions(source.clone()).await?;
                let writes = silo::headless::query::Writes { actions: &actions, target: setup.athena_target() };
                silo::headless::query::run(source, setup.limiter(), &setup.library, args, writes).await
            }
            Some(Cmd::Deploy(cmd)) => {
                let source = setup.source(cli, DemoMode::Frozen).await?;
                let actions = setup.checked_actions(source.clone()).await?;
                silo::headless::deploy::run(source, setup.limiter(), &actions, cmd).await
            }
            Some(Cmd::Timeline { tenant, since, from, to, around_alarm, format }) => {
                let range = silo::headless::timeline::range(since, from.as_deref(), to.as_deref(), chrono::Utc::now())?;
                let source = setup.source(cli, DemoMode::Frozen).await?;
                let suspect_window = chrono::Duration::from_std(setup.config.suspect_window)?;
                let around_alarm = around_alarm.clone();
                let wanted = silo::headless::timeline::Wanted { tenant, range, around_alarm, suspect_window };
                silo::headless::timeline::run(source, setup.limiter(), wanted, *format).await
            }
            Some(Cmd::Rollout(silo::cli::RolloutCmd::List { tenant, format })) => {
                let source = setup.source(cli, DemoMode::Frozen).await?;
                silo::headless::rollouts::list(source, setup.limiter(), tenant.as_deref(), *format).await
            }
            Some(Cmd::Rollout(silo::cli::RolloutCmd::Schedule {
                tenant,
                to_revision,
                version,
                certified_only,
                at,
                next_window: _,
                overrides,
                confirm,
            })) => {
                use silo::headless::schedule::{self, Scheduling, Selection};
                let source = setup.source(cli, DemoMode::Frozen).await?;
                let actions = setup.checked_actions(source.clone()).await?;
                let role = setup.config.scheduler_role.clone();
                let ctx = Scheduling { source, limiter: setup.limiter(), actions: &actions, role };
                let who = match (tenant, to_revision, version) {
                    (Some(name), Some(to_revision), _) => Selection::Tenant { name, to_revision: *to_revision },
                    (_, _, Some(version)) => Selection::Version { version, certified_only: *certified_only },
                    _ => anyhow::bail!("name --tenant with --to-revision, or --version"),
                };
                schedule::schedule(&ctx, who, *at, overrides, confirm).await
            }
            Some(Cmd::Rollout(silo::cli::RolloutCmd::Cancel { tenant, name, confirm })) => {
                use silo::headless::schedule::{self, Scheduling};
                let source = setup.source(cli, DemoMode::Frozen).await?;
                let actions = setup.checked_actions(source.clone()).await?;
                let role = setup.config.scheduler_role.clone();
                let ctx = Scheduling { source, limiter: setup.limiter(), actions: &actions, role };
                schedule::cancel(&ctx, tenant, name, confirm).await
            }
            Some(Cmd::Versions { format }) => {
                let source = setup.source(cli, DemoMode::Frozen).await?;
                silo::headless::rollouts::versions(source, setup.limiter(), *format).await
            }
            Some(Cmd::Health { format }) => {
                let source = setup.source(cli, DemoMode::Frozen).await?;
                silo::headless::aws_health::run(source, setup.limiter(), *format).await
            }
            Some(Cmd::Compliance { tenant, format }) => {
                let source = setup.source(cli, DemoMode::Frozen).await?;
                silo::headless::compliance::run(source, setup.limiter(), tenant.as_deref(), *format).await
            }
            Some(Cmd::Spend { tenant, cost_explorer, format }) => {
                let source = setup.source(cli, DemoMode::Frozen).await?;
                let slots = [silo_core::store::Slot::Spend];
                let mut store = silo::headless::collect(source.clone(), setup.limiter(), &slots).await?;
                if *cost_explorer {
                    silo::headless::add_cost_explorer(&mut store, source, setup.limiter()).await?;
                }
                silo::headless::print_spend(&store, tenant.as_deref(), *format)
            }
        }
    })
}

/// `--offline` never calls AWS: the commands that can only answer from AWS say so before anything
/// starts (`silo fleet` and the TUI answer from the last snapshot).
fn refuse_offline(cli: &Cli) -> Result<()> {
    let name = match &cli.command {
        None | Some(Cmd::Fleet { .. } | Cmd::Audit { .. } | Cmd::Completions { .. } | Cmd::Man) => return Ok(()),
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
        Some(Cmd::Versions { .. }) => "versions",
        Some(Cmd::Rollout(_)) => "rollout",
        Some(Cmd::Compliance { .. }) => "compliance",
    };
    if cli.offline {
        anyhow::bail!(
            "--offline: `silo {name}` needs AWS and cannot answer from the snapshot (only `silo fleet` and the screen can); run it without --offline"
        );
    }
    Ok(())
}

async fn findings(cli: &Cli, setup: &Setup, args: &silo::cli::FindingsArgs) -> Result<()> {
    use silo::headless::findings as hf;
    let selection = hf::selection(args)?;
    let source = setup.source(cli, DemoMode::Frozen).await?;
    let limiter = setup.limiter();
    let store = silo::headless::collect(source.clone(), limiter.clone(), &[]).await?;
    if let Some(tenant) = &selection.tenant {
        silo::headless::find_tenant(&store, tenant)?;
    }
    match &args.update {
        None => {
            let list = hf::read(&store, source, &limiter, selection.open_only).await?;
            hf::print(&list, &selection, args.format)
        }
        Some(cmd) => {
            let list = hf::read(&store, source.clone(), &limiter, false).await?;
            let silo_core::plan::AuditTarget { account_id: account, region } = setup.audit_target();
            let plans = hf::plans(&list, cmd, (&account, &region))?;
            let silo::cli::FindingsCmd::Update { yes, expect, dry_run, .. } = cmd;
            let how = hf::Confirmation { yes: *yes, expect: *expect, dry_run: *dry_run };
            hf::carry_out(&setup.checked_actions(source).await?, plans, how).await
        }
    }
}

/// `silo doctor`: the checks of a real configuration (the demo needs none).
async fn doctor(cli: &Cli, setup: &Setup, format: silo::cli::Format, deep: Option<Option<&str>>) -> Result<()> {
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
    silo::headless::doctor::print(&checks, format)
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
async fn fleet(cli: &Cli, setup: &Setup, format: silo::cli::Format) -> Result<()> {
    let path = silo_core::snapshot::path_for(setup.config.path.as_deref(), setup.demo);
    if cli.offline {
        let snapshot = silo_core::snapshot::load(&path).map_err(anyhow::Error::msg)?;
        let snapshot = snapshot
            .ok_or_else(|| anyhow::anyhow!("no fleet snapshot for this organization yet ({})", path.display()))?;
        eprintln!("offline: snapshot from {}", snapshot.saved_at.to_rfc3339());
        let mut store = silo_core::store::Store::default();
        store.restore(snapshot, &setup.columns());
        return silo::headless::print_fleet(&store, format);
    }
    let source = setup.source(cli, DemoMode::Frozen).await?;
    let store = silo::headless::collect_fleet(source, setup.limiter()).await?;
    if let Err(e) = silo_core::snapshot::save(&path, &silo_core::snapshot::of(&store, chrono::Utc::now())) {
        tracing::warn!("cannot save the fleet snapshot {}: {e}", path.display());
    }
    silo::headless::print_fleet(&store, format)
}

async fn metrics(cli: &Cli, setup: &Setup, tenant: &str, range: &str, format: silo::cli::Format) -> Result<()> {
    let range = silo_core::metrics::Range::parse(range)
        .ok_or_else(|| anyhow::anyhow!("unknown range {range:?}: expected 1h, 3h, 12h, 24h or 7d"))?;
    let source = setup.source(cli, DemoMode::Frozen).await?;
    let limiter = setup.limiter();
    let store = silo::headless::collect(source.clone(), limiter.clone(), &[]).await?;
    let record = silo::headless::find_tenant(&store, tenant)?;
    let work = source.dashboard(record.tenant.clone(), range);
    let dashboard = limiter.run(silo_core::model::AwsService::Cloudwatch, &record.tenant.account_id, 10, work).await?;
    silo::headless::print_metrics(&record.tenant.name, &dashboard, format)
}

fn parse_alarm_state(text: &str) -> Result<silo_core::model::AlarmState> {
    silo_core::model::AlarmState::parse(text)
        .ok_or_else(|| anyhow::anyhow!("unknown alarm state {text:?}: expected OK, ALARM or INSUFFICIENT_DATA"))
}

/// Opens with the last snapshot (stale, with its age) while the first refresh runs.
fn restore_snapshot(app: &mut App, offline: bool, columns: &[silo_core::column::ColumnSpec]) -> Result<()> {
    app.store.columns = columns.to_vec();
    match silo_core::snapshot::load(&app.snapshot_path) {
        Ok(Some(snapshot)) => {
            app.snapshot_at = Some(snapshot.saved_at);
            app.store.restore(snapshot, columns);
            Ok(())
        }
        Ok(None) if offline => anyhow::bail!(
            "no fleet snapshot for this organization yet ({}): run silo once while AWS is reachable",
            app.snapshot_path.display()
        ),
        Ok(None) => Ok(()),
        Err(e) if offline => anyhow::bail!(e),
        Err(e) => {
            tracing::warn!("ignoring the fleet snapshot: {e}");
            Ok(())
        }
    }
}

async fn interactive(cli: &Cli, setup: &Setup) -> Result<()> {
    let source = setup.source(cli, DemoMode::Live).await?;
    let protection = setup.protection(&source).await?;
    let production = protection.production.iter().cloned().collect();
    let organization = setup.config.organization();
    let banner =
        Banner { source: source.label(), read_only: setup.read_only, identity: None, organization, production };
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let actions = setup.actions(source.clone(), &protection);
    let fetcher = Fetcher::new(source, setup.limiter(), tx);
    let mut app = App::new(
        setup.keymap.clone(),
        setup.theme.clone(),
        banner,
        setup.config.fetch.refresh_interval,
        chrono::Utc::now(),
    );
    app.library = setup.library.clone();
    app.opener = setup.config.opener.clone();
    app.cost_explorer = setup.config.billing.as_ref().is_some_and(|b| b.cost_explorer);
    app.audit = setup.audit_target();
    app.athena = setup.athena_target();
    app.suspect_window = chrono::Duration::from_std(setup.config.suspect_window)?;
    app.scheduler_role.clone_from(&setup.config.scheduler_role);
    app.offline = cli.offline;
    app.pending_tenant = cli.tenant.clone();
    if let Some(view) = &cli.view {
        let names: Vec<&str> = silo_tui::modals::command::VIEWS.iter().map(|(n, _)| *n).collect();
        let screen = silo_tui::modals::command::screen_named(view)
            .ok_or_else(|| anyhow::anyhow!("unknown view {view:?}: expected one of {}", names.join(", ")))?;
        silo_tui::app::dispatch(&mut app, silo_tui::action::Action::Navigate(screen));
    }
    app.snapshot_path = silo_core::snapshot::path_for(setup.config.path.as_deref(), setup.demo);
    restore_snapshot(&mut app, cli.offline, &setup.columns())?;
    if !app.store.tenants.is_empty() {
        if let Some(name) = app.pending_tenant.take() {
            silo_tui::app::dispatch(&mut app, silo_tui::action::Action::OpenTenantNamed(name));
        }
    }
    silo_tui::event_loop::run(app, fetcher, actions, rx).await
}
