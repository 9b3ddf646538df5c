//! Everything decided before the screen is touched: the config (or the demo), theme, keymap and
//! the data source. Any error here is reported on stderr and silo exits non-zero.

use crate::cli::Cli;
use anyhow::{Context, Result};
use silo_aws::context::BaseOptions;
use silo_aws::AwsSource;
use silo_core::config::protection::Protection;
use silo_core::config::{self, Config};
use silo_core::plan::{AthenaTarget, AuditTarget};
use silo_core::source::FleetSource;
use silo_demo::DemoOrg;
use silo_engine::Limiter;
use silo_tui::keymap::Keymap;
use silo_tui::theme::Theme;
use std::sync::Arc;

pub struct Setup {
    pub config: Config,
    pub theme: Theme,
    pub keymap: Keymap,
    pub read_only: bool,
    /// `--offline`: actions are refused in the data layer (and AWS commands before they start).
    pub offline: bool,
    pub demo: bool,
    /// Saved Athena queries: the shipped ones and `[logs] query_dirs`.
    pub library: silo_core::queries::Library,
}

/// How the demo clock should run: live in the TUI, frozen for reproducible headless output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoMode {
    Live,
    Frozen,
}

impl Setup {
    pub fn from_cli(cli: &Cli) -> Result<Setup> {
        if let Some(region) = cli.region.as_deref().filter(|r| !config::is_region(r)) {
            anyhow::bail!("--region {region:?}: expected a region such as us-east-1");
        }
        let config = if cli.demo && cli.config.is_none() {
            Config::demo()
        } else {
            let path = config::locate(cli.config.as_deref())?;
            Config::load(&path)?
        };
        let theme_name = cli.theme.clone().or_else(|| config.theme.clone()).unwrap_or_else(|| "dark".into());
        let theme = Theme::load(&theme_name).map_err(anyhow::Error::msg)?;
        // https://no-color.org: set and not empty means no colors, whatever the theme.
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let theme = if no_color { theme.without_colors() } else { theme };
        let keymap = Keymap::with_overrides(&config.keys).map_err(|e| anyhow::anyhow!("{}: {e}", origin(&config)))?;
        let read_only = cli.read_only || config.read_only;
        let dirs = config.logs.as_ref().map(|l| l.query_dirs.clone()).unwrap_or_default();
        let library = silo_core::queries::Library::load(&dirs)?;
        if cli.demo {
            silo_core::journal::Journal::for_the_demo();
        }
        Ok(Setup { config, theme, keymap, read_only, offline: cli.offline, demo: cli.demo, library })
    }

    pub fn limiter(&self) -> Arc<Limiter> {
        let f = &self.config.fetch;
        Arc::new(Limiter::new(f.concurrency, f.per_account_concurrency, f.request_budget()))
    }

    /// The only path to actions: read-only, the protected accounts and the journal are enforced
    /// inside.
    pub fn actions(&self, source: Arc<dyn FleetSource>, protection: &Protection) -> silo_core::actions::Actions {
        let journal = silo_core::journal::Journal::at(silo_core::journal::Journal::default_path());
        let refresh = chrono::Duration::from_std(self.config.fetch.refresh_interval).unwrap_or(chrono::Duration::MAX);
        let rails = silo_core::actions::Rails {
            read_only: self.read_only,
            offline: self.offline,
            protected: protection.read_only.clone(),
            max_plan_age: Some(refresh * 2),
        };
        silo_core::actions::Actions::new(source, journal, rails)
    }

    /// The accounts `[tenants] read_only` and `production` protect, checked against the tenant
    /// list before anything starts: a name that matches no tenant (a typo, a renamed tag) stops
    /// silo here instead of silently protecting nothing.
    pub async fn protection(&self, source: &Arc<dyn FleetSource>) -> Result<Protection> {
        if self.offline {
            // Every action is refused offline, and the tenant list cannot be read.
            return Ok(Protection::default());
        }
        let tenants = match self.config.protection_names_tenants() {
            true => Some(source.clone().list_tenants().await.map_err(|e| {
                anyhow::anyhow!(
                    "cannot check the tenants named in [tenants] read_only / production: listing tenants failed: {e}; \
                     name them by account id to start without the list"
                )
            })?),
            false => None,
        };
        Ok(self.config.protection(tenants.as_deref())?)
    }

    /// `actions` with the protection checked first (the commands that act).
    pub async fn checked_actions(&self, source: Arc<dyn FleetSource>) -> Result<silo_core::actions::Actions> {
        let protection = self.protection(&source).await?;
        Ok(self.actions(source, &protection))
    }

    /// Where finding actions go: the audit account and its region (the demo's audit account).
    pub fn audit_target(&self) -> AuditTarget {
        let region = self.config.region.clone().unwrap_or_else(|| "us-east-1".into());
        let (account_id, region) = match &self.config.audit {
            Some(a) => (a.account_id.clone(), a.region.clone().unwrap_or(region)),
            None if self.demo => ("100000000002".into(), region),
            None => (String::new(), region),
        };
        AuditTarget { account_id, region }
    }

    /// Where confirmed Athena statements go: `[logs]` (the demo's logs account).
    pub fn athena_target(&self) -> AthenaTarget {
        let region = self.config.region.clone().unwrap_or_else(|| "us-east-1".into());
        match &self.config.logs {
            Some(logs) => AthenaTarget {
                account_id: logs.access.account_id.clone(),
                region: logs.access.region.clone().unwrap_or(region),
                workgroup: logs.workgroup.clone(),
                database: logs.database.clone(),
            },
            None if self.demo => AthenaTarget {
                account_id: "100000000003".into(),
                region,
                workgroup: "primary".into(),
                database: "logs".into(),
            },
            None => AthenaTarget { region, ..AthenaTarget::default() },
        }
    }

    /// The fleet columns of this organization's source (the demo's or AWS's registry), known
    /// without reaching AWS: a snapshot is read back, and `--offline` drawn, with them.
    pub fn columns(&self) -> Vec<silo_core::column::ColumnSpec> {
        if self.demo {
            silo_demo::columns::COLUMNS.iter().map(|(spec, _)| *spec).collect()
        } else {
            silo_aws::columns::COLUMNS.iter().map(|(spec, _)| *spec).collect()
        }
    }

    pub async fn source(&self, cli: &Cli, demo_mode: DemoMode) -> Result<Arc<dyn FleetSource>> {
        if self.demo {
            let org = match demo_mode {
                DemoMode::Live => DemoOrg::live(),
                DemoMode::Frozen => DemoOrg::frozen(0),
            };
            return Ok(Arc::new(org));
        }
        let options = BaseOptions { profile: cli.profile.clone(), region: cli.region.clone() };
        let source = AwsSource::new(self.config.clone(), &options).await;
        Ok(Arc::new(source))
    }
}

fn origin(config: &Config) -> String {
    config.path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "config".into())
}

/// Logs go to a file, never to the terminal the TUI draws on.
pub fn init_logging(cli: &Cli) -> Result<()> {
    let path = cli.log_file.clone().unwrap_or_else(|| silo_core::paths::state_dir().join("silo.log"));
    let file =
        silo_core::paths::append_private(&path).with_context(|| format!("cannot open log file {}", path.display()))?;
    let filter = tracing_subscriber::EnvFilter::try_from_env("SILO_LOG").unwrap_or_else(|_| "silo=info,warn".into());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init()
        .map_err(|e| anyhow::anyhow!("cannot start logging: {e}"))
}
