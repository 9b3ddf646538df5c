use anyhow::Result;
use clap::Parser;
use silo::app::{App, Banner};
use silo::cli::{Cli, Cmd};
use silo::fetch::Fetcher;
use silo::setup::{init_logging, DemoMode, Setup};
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
    // The journal is local: reading it needs neither a config nor AWS.
    if let Some(Cmd::Audit { format }) = &cli.command {
        return silo::headless::print_audit(*format);
    }
    let setup = Setup::from_cli(cli)?;
    init_logging(cli)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        match &cli.command {
            None => interactive(cli, &setup).await,
            Some(Cmd::Fleet { format }) => {
                let source = setup.source(cli, DemoMode::Frozen).await?;
                let store = silo::headless::collect_fleet(source, setup.limiter()).await?;
                silo::headless::print_fleet(&store, *format)
            }
            Some(Cmd::Findings(args)) => findings(cli, &setup, args).await,
            Some(Cmd::Audit { format }) => silo::headless::print_audit(*format),
            Some(Cmd::Spend { tenant, cost_explorer, format }) => {
                let source = setup.source(cli, DemoMode::Frozen).await?;
                let slots = [silo::store::Slot::Spend];
                let mut store = silo::headless::collect(source.clone(), setup.limiter(), &slots).await?;
                if *cost_explorer {
                    silo::headless::add_cost_explorer(&mut store, source, setup.limiter()).await?;
                }
                silo::headless::print_spend(&store, tenant.as_deref(), *format)
            }
        }
    })
}

async fn findings(cli: &Cli, setup: &Setup, args: &silo::cli::FindingsArgs) -> Result<()> {
    use silo::headless_findings as hf;
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
            let (account, region) = setup.audit_target();
            let plans = hf::plans(&list, cmd, (&account, &region))?;
            let silo::cli::FindingsCmd::Update { yes, dry_run, .. } = cmd;
            hf::carry_out(&setup.actions(source), plans, *yes, *dry_run).await
        }
    }
}

async fn interactive(cli: &Cli, setup: &Setup) -> Result<()> {
    let source = setup.source(cli, DemoMode::Live).await?;
    let banner = Banner { source: source.label(), read_only: setup.read_only };
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let actions = setup.actions(source.clone());
    let fetcher = Fetcher::new(source, setup.limiter(), tx);
    let mut app = App::new(
        setup.keymap.clone(),
        setup.theme.clone(),
        banner,
        setup.config.fetch.refresh_interval,
        chrono::Utc::now(),
    );
    app.cost_explorer = setup.config.billing.as_ref().is_some_and(|b| b.cost_explorer);
    app.audit = setup.audit_target();
    silo::tui::run(app, fetcher, actions, rx).await
}
