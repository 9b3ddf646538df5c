use anyhow::Result;
use clap::Parser;
use silo::cli::{Cli, Cmd};
use silo::setup::{init_logging, DemoMode, Setup};
use silo_engine::Fetcher;
use silo_tui::action::Banner;
use silo_tui::app::App;
use std::io::Write as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // A terminal that is gone cannot be told; the exit status still says it.
            let _ = writeln!(std::io::stderr(), "silo: {error:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: &Cli) -> Result<()> {
    // The journal is local: reading it needs neither a config nor AWS (`--demo` reads the demo's).
    if let Some(Cmd::Audit { format, check, all }) = &cli.command {
        if cli.demo {
            silo_core::journal::Journal::for_the_demo();
        }
        return match check {
            Some(silo::cli::AuditCmd::Verify { head }) => silo::headless::verify_audit(head.as_deref()),
            Some(silo::cli::AuditCmd::Head) => silo::headless::print_audit_head(),
            None => silo::headless::print_audit(*format, *all),
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
    silo::headless::commands::refuse_offline(cli)?;
    let setup = Setup::from_cli(cli)?;
    init_logging(cli)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        match &cli.command {
            None => interactive(cli, &setup).await,
            Some(command) => silo::headless::commands::run(cli, &setup, command).await,
        }
    })
}

/// Opens with the last snapshot (stale, with its age) while the first refresh runs.
fn restore_snapshot(app: &mut App, offline: bool, columns: &[silo_core::column::ColumnSpec]) -> Result<()> {
    app.store.columns = columns.to_vec();
    match silo_core::snapshot::load(&app.session.snapshot_path) {
        Ok(Some(snapshot)) => {
            app.snapshot_at = Some(snapshot.saved_at);
            app.store.restore(snapshot, columns);
            Ok(())
        }
        Ok(None) if offline => anyhow::bail!(
            "no fleet snapshot for this organization yet ({}): run silo once while AWS is reachable",
            app.session.snapshot_path.display()
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
    app.session.library = setup.library.clone();
    app.session.opener = setup.config.opener.clone();
    app.session.cost_explorer = setup.config.billing.as_ref().is_some_and(|b| b.cost_explorer);
    app.session.audit = setup.audit_target();
    app.session.detective = setup.config.audit.as_ref().is_some_and(|a| a.detective);
    app.session.releases = setup.config.releases.as_ref().map(|r| r.critical_threshold);
    let tz = std::env::var("TZ").ok();
    app.session.zone = silo_core::config::operator_zone(setup.config.zone, tz.as_deref());
    app.session.stale_scan_days = setup.config.releases.as_ref().map_or(30, |r| r.stale_scan_days);
    app.session.athena = setup.athena_target();
    app.session.suspect_window = chrono::Duration::from_std(setup.config.suspect_window)?;
    app.session.scheduler_role.clone_from(&setup.config.scheduler_role);
    app.offline = cli.offline;
    app.pending_tenant = cli.tenant.clone();
    if let Some(view) = &cli.view {
        let names: Vec<&str> = silo_tui::screens::registry::NAMED.iter().map(|n| n.name).collect();
        let screen = silo_tui::screens::registry::named(view)
            .ok_or_else(|| anyhow::anyhow!("unknown view {view:?}: expected one of {}", names.join(", ")))?;
        silo_tui::app::dispatch(&mut app, silo_tui::action::Action::Navigate(screen));
    }
    app.session.snapshot_path = silo_core::snapshot::path_for(setup.config.path.as_deref(), setup.demo);
    restore_snapshot(&mut app, cli.offline, &setup.columns())?;
    if !app.store.tenants.is_empty() {
        if let Some(name) = app.pending_tenant.take() {
            silo_tui::app::dispatch(&mut app, silo_tui::action::Action::OpenTenantNamed(name));
        }
    }
    silo_tui::event_loop::run(app, fetcher, actions, rx).await
}
