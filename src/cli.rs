//! Command-line interface. Global flags work before or after the subcommand.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "silo", version, about = "Terminal operations console for shared-nothing SaaS fleets on AWS")]
pub struct Cli {
    /// Config file (default: $SILO_CONFIG, then $XDG_CONFIG_HOME/silo/config.toml)
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Run on the embedded demo organization (no AWS account needed)
    #[arg(long, global = true)]
    pub demo: bool,
    /// Refuse every action that would change anything
    #[arg(long, global = true)]
    pub read_only: bool,
    /// AWS profile for the base credentials (else the standard chain)
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Region for the base credentials and tenants without their own
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// Theme: dark, light, high-contrast, or a path to a theme TOML
    #[arg(long, global = true)]
    pub theme: Option<String>,
    /// Log file (default: $XDG_STATE_HOME/silo/silo.log)
    #[arg(long, global = true, value_name = "PATH")]
    pub log_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Print the fleet overview and exit
    Fleet {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print month-to-date spend per tenant against its budget and exit
    Spend {
        /// Only this tenant (name or account id)
        #[arg(long)]
        tenant: Option<String>,
        /// Also read Cost Explorer for tenants without a budget ($0.01 per request)
        #[arg(long)]
        cost_explorer: bool,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Csv,
    Table,
}
