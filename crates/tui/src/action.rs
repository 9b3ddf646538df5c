//! What flows through `update`: actions (keys, commands, fetch results, and what a screen asks
//! for), the screens of the navigation stack, and the requests `update` leaves for the event
//! loop. Screens and popups return actions; only `update` changes the `App`.

use crate::keymap::Command;
pub use crate::screen::Screen;
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use silo_core::plan::ActionPlan;
use silo_core::role::Role;
use silo_core::store::FetchEvent;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Key(KeyEvent),
    Command(Command),
    /// The clock moved on (once a second): ages and auto-refresh.
    Tick(DateTime<Utc>),
    Resize,
    Fetch(FetchEvent),
    OpenTenant(String),
    /// Spend detail of a tenant (account id); fetches its budget history.
    OpenSpendDetail(String),
    /// The user accepted Cost Explorer's per-request price.
    EnableCostExplorer,
    OpenFinding(String),
    /// Open a tenant by name or account id (the `:t` prompt, `--tenant`).
    OpenTenantNamed(String),
    /// An alarm's detail (account id, alarm name); fetches its history.
    OpenAlarm(String, String),
    /// Build the plan of a workflow-status change and ask for its confirmation.
    PlanFindingStatus {
        ids: Vec<String>,
        status: String,
        note: String,
    },
    /// Run a confirmed action (the confirm dialog dispatches exactly the plan it showed).
    Execute(Box<ActionPlan>),
    /// Run confirmed plans in order, stopping at the first failure (fleet-wide rollback).
    ExecuteSequence(Vec<ActionPlan>),
    /// A tenant's deployments (account id); fetches them.
    OpenDeploy(String),
    /// Plan a deployment action on a tenant (account id) and ask for its confirmation.
    PlanDeploy(String, DeployOp),
    /// Ask which revision and when for these tenants (account ids).
    AskSchedule(Vec<String>),
    /// Plan the scheduled updates asked for, going past the customers' terms only as the
    /// overrides say.
    PlanSchedule(ScheduleAsk, silo_core::plan::terms::Overrides),
    /// Plan cancelling the tenant's soonest scheduled update.
    PlanCancelSchedule(String),
    /// Plan it again going past the customer's terms, with the reason given.
    PlanDeployOverriding(String, DeployOp, silo_core::plan::terms::Overrides),
    /// Start an Athena query (checked already) and show its run.
    RunQuery(silo_core::queries::run::QueryRequest),
    /// Stop run `n` in Athena.
    CancelQuery(u64),
    /// Show run `n`.
    OpenRun(u64),
    /// Edit this SQL (with these parameter values) in `$VISUAL`/`$EDITOR`.
    EditExternally(String, Vec<String>),
    /// The editor ended: the SQL (as edited, or as before when editing failed, with why), and the
    /// parameter values it keeps.
    EditedExternally(String, Option<String>, Vec<String>),
    /// A mouse click on this terminal row: selects the list row there (opens it when selected).
    Click(u16),
    /// The parameter form of a saved query (`:q NAME`).
    OpenQuery(String),
    /// Go to a top-level view (from the `:` prompt).
    Navigate(Screen),
    Back,
    Quit,
    /// A saved query's form with these parameter values over its defaults (name → value).
    OpenQueryWith(String, Vec<(String, String)>),
    /// Show this console URL in the footer (and open it with `opener`), like `o`.
    ShowUrl(String),
    /// The release train (`:rollouts`) showing only this version's tenants.
    OpenTrain(String),
    /// A tenant's timeline (account id), opened on an alarm (its name) or not.
    OpenTimeline(String, Option<String>),
    /// Quit once the actions in flight have ended; `abort`: start nothing more after the call in
    /// progress (a signal does this).
    QuitWhenDone {
        abort: bool,
    },
    // What screens ask of the app (they never change it themselves):
    /// Edit the filter of the list on screen.
    EditFilter,
    /// Show this plan for its typed confirmation.
    Confirm(Box<ActionPlan>),
    /// Show these plans (run in order) behind one confirmation that names the count.
    ConfirmBatch(Vec<ActionPlan>),
    /// Ask the reason for freezing a tenant's deployments (account id).
    AskFreezeReason(String),
    /// Let the user pick the revision to roll a tenant (account id) back to.
    PickRevision(String),
    /// Pick the workflow status and note for these findings.
    Triage(Vec<String>),
    /// Edit this SQL (with these parameter values) in silo's editor.
    OpenSqlEditor(String, Vec<String>),
    /// Ask before reading Cost Explorer (billed per request) for this many tenants.
    AskCostExplorer(usize),
    /// Show tenant dashboards over the next time range, and re-read this tenant's (account id).
    NextRange(String),
    /// The screen on top changed what it shows (`:compare`'s metric): read what it reads on `r`.
    Reload,
    /// Charts: show this range, and re-read this tenant's metrics (account id).
    SetRange(String, silo_core::metrics::Range),
    /// One metric across tenants: show this range, and re-read these tenants' metrics.
    SetRanges(Vec<String>, silo_core::metrics::Range),
    /// Charts: move the range half its length earlier (true) or later, and re-read these tenants'.
    Pan(Vec<String>, bool),

    /// A message for the footer.
    Status(String, Role),
    /// A side effect for the event loop.
    Request(Request),
    /// Several of the above, in order.
    Many(Vec<Action>),
}

impl Request {
    /// Whether carrying the request out calls AWS.
    pub fn needs_aws(&self) -> bool {
        !matches!(
            self,
            Request::LoadAudit
                | Request::SaveSnapshot
                | Request::Export { .. }
                | Request::Copy(_)
                | Request::OpenUrl(..)
                | Request::ExternalEdit(..)
        )
    }
}

/// Side effects requested by `update`, carried out by the event loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `force`: also re-read data that is cached on purpose (Budgets).
    Refresh { force: bool },
    /// Cost Explorer for these tenant accounts (those without a budget).
    CostExplorer(Vec<String>),
    /// A confirmed action for the data layer (which may still refuse it).
    Execute(Box<ActionPlan>),
    /// Confirmed plans to run in order, stopping at the first failure.
    ExecuteSequence(Vec<ActionPlan>),
    /// Deployments of these tenants.
    DeployStatus(Vec<silo_core::model::Tenant>),
    /// The scheduled updates of these tenants (`:rollouts`).
    Scheduled(Vec<silo_core::model::Tenant>),
    /// Start run `n` of this query.
    RunQuery(u64, silo_core::queries::run::QueryRequest),
    /// The Athena workgroup's scan cutoff.
    ScanLimit,
    /// A tenant's timeline (account id) over the last `hours`, around an alarm's last firing.
    Timeline { account_id: String, alarm: Option<String>, hours: i64 },
    /// Start no more actions: the call in progress finishes; the rest is journaled `aborted`.
    AbortActions,
    /// Start run `n` as this confirmed statement (through `Actions`: refused read-only, journaled).
    RunStatement(u64, Box<ActionPlan>),
    /// The next page of a run's results.
    QueryPage { run: u64, execution_id: String, token: String },
    /// Stop run `n` (query execution id).
    StopQuery(u64, String),
    /// Write run `n`'s results to a file (`json`: JSON, else CSV).
    Export { run: u64, json: bool },
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Open a URL with the configured opener program.
    OpenUrl(String, String),
    /// Who the base credentials are (for the header).
    Identity,
    /// Suspend the screen and edit SQL in the user's editor.
    ExternalEdit(String, Vec<String>),
    /// Read the audit journal for `:audit`.
    LoadAudit,
    /// An on-demand read (`silo_core::reads`): alarm history, the AWS Health list…
    Read(silo_core::reads::ReadKey),
    /// A tenant's dashboard (account id) for the current range.
    Dashboard(String, silo_core::metrics::Range, Option<DateTime<Utc>>),
    /// The tenant-card details (ECS service events…) of one tenant.
    Details(silo_core::model::Tenant),
    /// Keep the fleet just refreshed on disk for the next start (and `--offline`).
    SaveSnapshot,
}

/// Scheduled updates before they are planned.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScheduleAsk {
    /// The tenants (account ids).
    pub accounts: Vec<String>,
    /// The revision (one tenant); None: each tenant's newest registered revision.
    pub to_revision: Option<u32>,
    /// A time as typed (in each tenant's window's zone, or RFC 3339); None: the next window.
    pub at: Option<String>,
}

/// A deployment action before it is planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeployOp {
    Pause {
        reason: String,
    },
    Resume,
    /// `to`: a task definition revision number; None for the default target.
    Rollback {
        to: Option<u32>,
    },
}

/// What the header shows about where the data comes from.
#[derive(Debug, Clone, Default)]
pub struct Banner {
    pub source: String,
    pub read_only: bool,
    /// Who silo acts as (the base identity), once known.
    pub identity: Option<String>,
    /// The organization's name, when there is one.
    pub organization: Option<String>,
    /// Account ids of the tenants marked production in the config (by name or id).
    pub production: std::collections::BTreeSet<String>,
}
