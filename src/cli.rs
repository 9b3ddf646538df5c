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
    /// Browse the last fleet snapshot without calling AWS (e.g. when the SSO session expired)
    #[arg(long, global = true)]
    pub offline: bool,
    /// Theme: dark, light, high-contrast, or a path to a theme TOML
    #[arg(long, global = true)]
    pub theme: Option<String>,
    /// Log file (default: $XDG_STATE_HOME/silo/silo.log)
    #[arg(long, global = true, value_name = "PATH")]
    pub log_file: Option<PathBuf>,
    /// Start on this tenant (name or account id); the terminal UI only
    #[arg(long, value_name = "NAME")]
    pub tenant: Option<String>,
    /// Start on this view: fleet, alarms, deployments, findings, queries, history, spend, audit; the terminal UI only
    #[arg(long, value_name = "VIEW")]
    pub view: Option<String>,
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
    /// List open security findings (Security Hub and GuardDuty) or update their status
    Findings(FindingsArgs),
    /// Print every tenant's CloudWatch alarms and exit
    Alarms {
        /// Only alarms in this state: OK, ALARM or INSUFFICIENT_DATA
        #[arg(long)]
        state: Option<String>,
        /// Only this tenant (name or account id)
        #[arg(long)]
        tenant: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print a tenant's dashboard metrics (ECS, ALB, RDS, SQS) and exit
    Metrics {
        /// The tenant (name or account id)
        #[arg(long)]
        tenant: String,
        /// 1h, 3h, 6h, 12h, 24h, 7d or 30d
        #[arg(long, default_value = "3h")]
        range: String,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Print one metric across tenants (every tenant, or the ones named) on one scale, the twin of `M`
    Across {
        /// 5xx, p99, latency, cpu, memory, queue, queue-age (or a dashboard panel id)
        #[arg(long, default_value = "5xx")]
        metric: String,
        /// A tenant (name or account id); repeat for several; every tenant when left out
        #[arg(long)]
        tenant: Vec<String>,
        /// 1h, 3h, 6h, 12h, 24h, 7d or 30d
        #[arg(long, default_value = "3h")]
        range: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print what changed around an incident: one tenant's alarms, deployments, findings and silo's
    /// own actions on one time line, newest first, and exit
    Timeline {
        /// The tenant (name or account id)
        #[arg(long)]
        tenant: String,
        /// How far back from now: 30m, 6h, 2d
        #[arg(long, default_value = "6h", conflicts_with_all = ["from", "to"])]
        since: String,
        /// Start of the range (RFC 3339), with --to
        #[arg(long, requires = "to")]
        from: Option<String>,
        /// End of the range (RFC 3339), with --from
        #[arg(long, requires = "from")]
        to: Option<String>,
        /// Mark the changes in the 30 minutes before this alarm last went to ALARM as suspects
        #[arg(long)]
        around_alarm: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print the audit journal of actions (oldest first) and exit; `silo audit verify` checks it
    Audit {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// The rotated files too, oldest first (default: the current file)
        #[arg(long)]
        all: bool,
        #[command(subcommand)]
        check: Option<AuditCmd>,
    },
    /// Run a saved Athena log query (or --sql) and print its results, or list the saved queries
    Query(QueryArgs),
    /// Check everything silo needs (credentials, Organizations, each tenant's roles and service,
    /// audit, logs and billing accounts) and say what to fix
    Doctor {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Also make one harmless call for each IAM action silo's reads use, with each configured
        /// role (tenant roles in one tenant): ok, not enabled, or denied with the action to grant
        #[arg(long)]
        deep: bool,
        /// The tenant (name or account id) whose roles --deep probes; the first listed when left out
        #[arg(long, requires = "deep")]
        tenant: Option<String>,
        /// Instead of the checks: create a schedule two minutes out in this tenant's account that
        /// re-applies the task definition it runs (nothing changes), wait, and say whether
        /// EventBridge Scheduler assumed the scheduler role and its call succeeded (an action:
        /// typed confirmation, or --yes; --dry-run prints it)
        #[arg(long, value_name = "TENANT", conflicts_with = "deep")]
        schedule_probe: Option<String>,
        #[command(flatten)]
        confirm: PlanArgs,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to stdout
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print silo's man page (roff) to stdout: `silo man > ~/.local/share/man/man1/silo.1`
    Man,
    /// Show, pause, resume or roll back tenants' ECS deployments
    #[command(subcommand)]
    Deploy(DeployCmd),
    /// Scheduled updates of tenants (EventBridge Scheduler, group silo-rollouts)
    #[command(subcommand)]
    Rollout(RolloutCmd),
    /// Print every version in the registry: its build, image scan, certification, schedules and tenants
    Releases {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Did a version make tenants worse? One metric before and after each tenant's move to it
    Compare {
        /// The version (image tag) the tenants moved to, e.g. 1.5.0
        #[arg(long)]
        version: String,
        /// 5xx, p99, latency, cpu, memory, queue, queue-age (or a dashboard panel id)
        #[arg(long, default_value = "5xx")]
        metric: String,
        /// How long before and after each deployment: 30m, 6h, 2d (at most 7d)
        #[arg(long, default_value = "6h")]
        window: String,
        /// A rise in the median or the p95 beyond this many percent is flagged worse
        #[arg(long, default_value_t = 20.0)]
        tolerance: f64,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print every read that failed (tenant, AWS service, kind, message), access denied first
    Errors {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print every tenant's version, maintenance window, certification and scheduled updates
    Versions {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print the organization's AWS Health events (open, upcoming, last week's) with the tenants they affect
    Health {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print each tenant's AWS Config rule compliance from the organization's aggregator
    Compliance {
        /// Only this tenant (name or account id)
        #[arg(long)]
        tenant: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print each tenant account's AWS Control Tower governance: enrolment, OU controls, drift
    Governance {
        /// Only this tenant (name or account id)
        #[arg(long)]
        tenant: Option<String>,
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

#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// The saved query to run (see --list)
    #[arg(conflicts_with_all = ["list", "sql"])]
    pub name: Option<String>,
    /// List the saved queries with their parameters
    #[arg(long)]
    pub list: bool,
    /// Run this SQL instead of a saved query (no `?` placeholders)
    #[arg(long, conflicts_with = "list")]
    pub sql: Option<String>,
    /// The tenant (name or account id) whose account fills the `tenant` parameter
    #[arg(long)]
    pub tenant: Option<String>,
    /// A parameter value, e.g. --param from=2026-11-01 (repeat for more)
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// Run a statement that is not a read (DROP, CREATE TABLE AS, UNLOAD...): journaled, with the
    /// operator role, after its typed confirmation (or --yes); refused under --read-only
    #[arg(long)]
    pub allow_write: bool,
    /// The statement's confirmation (with --allow-write): --yes, --dry-run, or typed
    #[command(flatten)]
    pub confirm: PlanArgs,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum RolloutCmd {
    /// Print the scheduled updates of every tenant (or one) and exit
    List {
        /// Only this tenant (name or account id)
        #[arg(long)]
        tenant: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Put updates on EventBridge Scheduler in the tenant's account: one tenant to a revision
    /// (--tenant --to-revision), or every tenant not yet on a version (--version), each at its
    /// next maintenance window (--next-window) or at a time (--at)
    #[command(group(clap::ArgGroup::new("who").required(true).args(["tenant", "version"])))]
    #[command(group(clap::ArgGroup::new("when").required(true).args(["at", "next_window"])))]
    Schedule {
        /// The tenant (name or account id)
        #[arg(long, requires = "to_revision")]
        tenant: Option<String>,
        /// The task definition revision of the tenant's family to update to
        #[arg(long, requires = "tenant")]
        to_revision: Option<u32>,
        /// Every tenant not on this version yet, each to the newest revision of its family that
        /// carries it (the image tag)
        #[arg(long, value_parser = non_empty)]
        version: Option<String>,
        /// With --version: leave out the tenants whose customer has not certified it
        #[arg(long, requires = "version")]
        certified_only: bool,
        /// When (RFC 3339, e.g. 2026-12-06T05:00:00Z); outside the window needs --outside-window
        #[arg(long, value_parser = rfc3339)]
        at: Option<chrono::DateTime<chrono::Utc>>,
        /// At the start of each tenant's next maintenance window
        #[arg(long)]
        next_window: bool,
        #[command(flatten)]
        overrides: OverrideArgs,
        #[command(flatten)]
        confirm: PlanArgs,
    },
    /// Delete one of a tenant's scheduled updates (as `silo rollout list` names it)
    Cancel {
        #[arg(long)]
        tenant: String,
        /// The schedule's name
        #[arg(long, value_parser = non_empty)]
        name: String,
        #[command(flatten)]
        confirm: PlanArgs,
    },
}

/// Going past the customer's terms on purpose, with the reason (journaled).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OverrideArgs {
    /// Go ahead although the tenant's maintenance window is closed at that time (needs --reason)
    #[arg(long)]
    pub outside_window: bool,
    /// Go ahead although the customer has not certified the version (needs --reason)
    #[arg(long)]
    pub uncertified: bool,
    /// Go ahead although the version's image has critical vulnerabilities or no scan (needs --reason)
    #[arg(long)]
    pub vulnerable: bool,
    /// Go ahead although the revision's image is of another repository than the service runs (needs --reason)
    #[arg(long)]
    pub other_repository: bool,
    /// Why the customer's terms are overridden (journaled with the action)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

impl OverrideArgs {
    pub fn overrides(&self) -> Result<silo_core::plan::terms::Overrides, String> {
        let flags = [self.outside_window, self.uncertified, self.vulnerable, self.other_repository];
        silo_core::plan::terms::Overrides::from_flags(flags, self.reason.as_deref())
    }
}

/// The confirmation of an action: typed, `--yes` (with `--expect` for several tenants), or a dry run.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct PlanArgs {
    /// Do not ask for the typed confirmation (with more than one tenant, --expect too)
    #[arg(long)]
    pub yes: bool,
    /// With --yes: the number of tenants the command must act on; any other number is refused
    #[arg(long, value_name = "N")]
    pub expect: Option<usize>,
    /// Print the plan and journal it; change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum DeployCmd {
    /// Print a tenant's deployments (or every tenant's) and exit
    Status {
        /// The tenant (name or account id); every tenant when left out
        #[arg(long)]
        tenant: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Keep a deployment waiting at its PAUSE hook and freeze the tenant's pipeline stage
    Pause {
        #[arg(long)]
        tenant: String,
        /// Why (required for a freeze; shown on the pipeline stage)
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        confirm: ConfirmArgs,
    },
    /// Continue a deployment waiting at its PAUSE hook, or lift the freeze
    Resume {
        #[arg(long)]
        tenant: String,
        #[command(flatten)]
        overrides: OverrideArgs,
        #[command(flatten)]
        confirm: ConfirmArgs,
    },
    /// Roll back the deployment in flight, or go back to an earlier revision; several tenants
    /// (repeat --tenant, or --image) are rolled back in order, stopping at the first failure
    Rollback {
        /// Tenant name or account id (repeat for a fleet-wide rollback)
        #[arg(long = "tenant")]
        tenants: Vec<String>,
        /// Every tenant whose deployment in flight goes to exactly this image: the whole reference
        /// (registry/app:1.4.0) or its tag (1.4.0); never a part of one
        #[arg(long, value_parser = non_empty)]
        image: Option<String>,
        /// Task definition revision number to go back to (one tenant, no deployment in flight)
        #[arg(long)]
        to_revision: Option<u32>,
        #[command(flatten)]
        overrides: OverrideArgs,
        #[command(flatten)]
        confirm: ConfirmArgs,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum AuditCmd {
    /// Check the journal's chain: exit 0 when intact, 1 naming the first line that was changed,
    /// removed or reordered
    Verify {
        /// A head kept off this machine (`silo audit head`): the chain must still hold it
        #[arg(long, value_name = "HASH")]
        head: Option<String>,
    },
    /// Print the journal's head (entry count and the last entry's hash) after checking the chain:
    /// keep it elsewhere (the change ticket) to check against later with `verify --head`
    Head,
}

/// The confirmation of a deployment action, which is followed to its end afterwards.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct ConfirmArgs {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// Do not follow the deployment to its end state after the action
    #[arg(long)]
    pub no_wait: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Csv,
    Table,
}

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct FindingsArgs {
    #[command(subcommand)]
    pub update: Option<FindingsCmd>,
    /// Only this tenant (name or account id)
    #[arg(long)]
    pub tenant: Option<String>,
    /// Severities, comma-separated: critical,high,medium,low,informational
    #[arg(long, value_delimiter = ',')]
    pub severity: Vec<String>,
    /// securityhub or guardduty
    #[arg(long)]
    pub source: Option<String>,
    /// open (default) or all
    #[arg(long, default_value = "open")]
    pub status: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum FindingsCmd {
    /// Set the workflow status of Security Hub findings (NOTIFIED, RESOLVED, SUPPRESSED, with
    /// --note) or archive/unarchive GuardDuty findings (ARCHIVED, ACTIVE)
    Update {
        /// Finding ids (repeat, or separate with commas)
        #[arg(long = "id", required = true, value_delimiter = ',')]
        ids: Vec<String>,
        #[arg(long)]
        status: String,
        /// Why (required for Security Hub)
        #[arg(long)]
        note: Option<String>,
        /// Do not ask for the typed confirmation (with findings of more than one tenant, --expect too)
        #[arg(long)]
        yes: bool,
        /// With --yes: the number of tenants the update must touch; any other number is refused
        #[arg(long, value_name = "N")]
        expect: Option<usize>,
        /// Print the plan and journal it; change nothing
        #[arg(long)]
        dry_run: bool,
    },
}

/// A value that may not be empty (an empty `--image` would match nothing or, worse, everything).
fn rfc3339(value: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(value).map(|t| t.with_timezone(&chrono::Utc)).map_err(|e| {
        format!("{value:?}: {e}; expected RFC 3339, e.g. 2026-12-06T05:00:00Z or 2026-12-06T02:00:00-03:00")
    })
}

fn non_empty(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        Err("must not be empty".into())
    } else {
        Ok(value.to_string())
    }
}

/// The command-line definition, for completions and the man page.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}
