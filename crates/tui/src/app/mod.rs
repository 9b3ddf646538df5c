//! The application state (store + view state) and its pure `update` function. Side effects are
//! requests left in `outbox` for the event loop to hand to the fetch layer.

mod update;

pub use update::update;

/// Runs `action` and every action it leads to.
pub fn dispatch(app: &mut App, action: Action) {
    let mut next = Some(action);
    while let Some(a) = next {
        next = update(app, a);
    }
}

use crate::keymap::{Command, Keymap};
use crate::theme::Theme;
use crate::views::fleet::FleetState;
use crate::views::Modal;
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use silo_core::event::FetchEvent;
use silo_core::store::Store;
use std::time::Duration;

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
    Execute(silo_core::actions::ActionPlan),
    /// Run confirmed plans in order, stopping at the first failure (fleet-wide rollback).
    ExecuteSequence(Vec<silo_core::actions::ActionPlan>),
    /// A tenant's deployments (account id); fetches them.
    OpenDeploy(String),
    /// Plan a deployment action on a tenant (account id) and ask for its confirmation.
    PlanDeploy(String, DeployOp),
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
    /// Budget history of one tenant (account id).
    SpendHistory(String),
    /// Cost Explorer for these tenant accounts (those without a budget).
    CostExplorer(Vec<String>),
    /// A confirmed action for the data layer (which may still refuse it).
    Execute(Box<silo_core::actions::ActionPlan>),
    /// Confirmed plans to run in order, stopping at the first failure.
    ExecuteSequence(Vec<silo_core::actions::ActionPlan>),
    /// Deployments of these tenants.
    DeployStatus(Vec<silo_core::model::Tenant>),
    /// Start run `n` of this query.
    RunQuery(u64, silo_core::queries::run::QueryRequest),
    /// The next page of run `n` (query execution id, token).
    QueryPage(u64, String, String),
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
    /// One alarm's history (account id, alarm name).
    AlarmHistory(String, String),
    /// A tenant's dashboard (account id) for the current range.
    Dashboard(String, silo_core::metrics::Range),
    /// Keep the fleet just refreshed on disk for the next start (and `--offline`).
    SaveSnapshot,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Fleet,
    /// A tenant's card, by account id.
    Tenant(String),
    Spend,
    /// One tenant's budget and its history, by account id.
    SpendDetail(String),
    Findings,
    /// The audit journal.
    Audit,
    Alarms,
    /// One alarm (account id, alarm name).
    AlarmDetail(String, String),
    /// One finding, by id.
    FindingDetail(String),
    /// Every tenant's deployment state.
    Deployments,
    /// One tenant's deployments, by account id.
    DeployDetail(String),
    /// The saved Athena queries.
    Queries,
    /// This session's query runs.
    QueryHistory,
    /// One run and its results.
    QueryRun(u64),
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
    /// Tenant names marked production in the config.
    pub production: std::collections::BTreeSet<String>,
}

pub struct App {
    pub store: Store,
    pub screens: Vec<Screen>,
    pub modals: Vec<Modal>,
    pub fleet: FleetState,
    pub spend: crate::views::spend::SpendState,
    pub findings: crate::views::findings::FindingsState,
    pub alarms: crate::views::alarms::AlarmsState,
    pub deploy: crate::views::deployments::DeployState,
    /// Saved Athena queries (shipped and `[logs] query_dirs`).
    pub library: silo_core::queries::Library,
    pub query: crate::views::queries::QueryViewState,
    /// Number of the next query run of this session.
    pub next_run: u64,
    /// Program that opens console URLs (`opener` in the config), if any.
    pub opener: Option<String>,
    /// Where the last frame drew the current list's rows, for mouse clicks.
    pub clickable: std::cell::Cell<Option<crate::views::list::ClickArea>>,
    /// Scroll offset of detail screens (finding).
    pub detail_scroll: u16,
    /// A message for the footer (action results), until the next key.
    pub status: Option<(String, silo_core::role::Role)>,
    /// Audit account and region, where finding actions go.
    pub audit: (String, String),
    /// Who acts, as shown in Security Hub notes (`silo-<user>`).
    pub user: String,
    /// The audit journal's file and, while `:audit` is open, its entries.
    pub journal_path: std::path::PathBuf,
    pub audit_log: crate::views::audit::AuditState,
    /// Set while the screen shows a snapshot from disk rather than a refresh of this run.
    pub snapshot_at: Option<DateTime<Utc>>,
    /// `--offline`: browse the snapshot, never call AWS.
    pub offline: bool,
    pub snapshot_path: std::path::PathBuf,
    /// `--tenant NAME`: opened as soon as the tenant list is known.
    pub pending_tenant: Option<String>,
    /// Scroll offset of the tenant card.
    pub tenant_scroll: u16,
    /// Time range of tenant dashboards.
    pub range: silo_core::metrics::Range,
    /// Filter target for screens without a list, so a stray prompt edits nothing real.
    scratch_filter: String,
    pub keymap: Keymap,
    pub theme: Theme,
    pub banner: Banner,
    pub now: DateTime<Utc>,
    pub refresh_interval: Duration,
    /// Cost Explorer may be read (configured, or accepted in the UI this session).
    pub cost_explorer: bool,
    pub outbox: Vec<Request>,
    pub dirty: bool,
    pub should_quit: bool,
}

impl App {
    pub fn new(keymap: Keymap, theme: Theme, banner: Banner, refresh_interval: Duration, now: DateTime<Utc>) -> App {
        App {
            store: Store::default(),
            screens: vec![Screen::Fleet],
            modals: Vec::new(),
            fleet: FleetState::default(),
            spend: Default::default(),
            findings: Default::default(),
            alarms: Default::default(),
            deploy: Default::default(),
            library: silo_core::queries::Library::builtin(),
            query: Default::default(),
            next_run: 1,
            opener: None,
            clickable: std::cell::Cell::new(None),
            detail_scroll: 0,
            status: None,
            audit: (String::new(), String::new()),
            user: silo_core::actions::session_name(),
            journal_path: silo_core::actions::journal::Journal::default_path(),
            audit_log: Default::default(),
            snapshot_at: None,
            offline: false,
            snapshot_path: silo_core::snapshot::path_for(None, true),
            pending_tenant: None,
            tenant_scroll: 0,
            range: silo_core::metrics::Range::H3,
            scratch_filter: String::new(),
            keymap,
            theme,
            banner,
            now,
            refresh_interval,
            cost_explorer: false,
            outbox: Vec::new(),
            dirty: true,
            should_quit: false,
        }
    }

    pub fn screen(&self) -> &Screen {
        self.screens.last().unwrap_or(&Screen::Fleet)
    }

    /// Asks for a refresh unless one is running: overlapping refreshes would double the load
    /// on every account for nothing.
    pub fn request_refresh(&mut self, force: bool) {
        let queued = self.outbox.iter().any(|r| matches!(r, Request::Refresh { .. }));
        if !self.offline && !self.store.is_refreshing() && !queued {
            self.outbox.push(Request::Refresh { force });
            self.refresh_deployments_on_screen();
        }
    }

    /// The deployment screens re-read what they show with every refresh.
    fn refresh_deployments_on_screen(&mut self) {
        match self.screen().clone() {
            Screen::Deployments => self.request_deployments(None),
            Screen::DeployDetail(account) => self.request_deployments(Some(&account)),
            _ => {}
        }
    }

    /// Asks for the deployments of one tenant, or of every tenant.
    pub fn request_deployments(&mut self, account_id: Option<&str>) {
        let tenants: Vec<silo_core::model::Tenant> = self
            .store
            .tenants
            .values()
            .filter(|r| account_id.is_none_or(|a| a == r.tenant.account_id))
            .map(|r| r.tenant.clone())
            .collect();
        for t in &tenants {
            self.store.deployments.entry(t.account_id.clone()).or_default().start_loading();
        }
        if !tenants.is_empty() {
            self.outbox.push(Request::DeployStatus(tenants));
        }
    }

    /// The filter text of the current list screen (a scratch string elsewhere).
    pub fn active_filter_mut(&mut self) -> &mut String {
        match self.screens.last() {
            Some(Screen::Fleet) | None => &mut self.fleet.filter,
            Some(Screen::Spend) => &mut self.spend.filter,
            Some(Screen::Findings) => &mut self.findings.list.filter,
            Some(Screen::Alarms) => &mut self.alarms.list.filter,
            Some(Screen::Deployments) => &mut self.deploy.list.filter,
            Some(Screen::Queries) => &mut self.query.list.filter,
            Some(Screen::QueryRun(_)) => &mut self.query.results.filter,
            Some(_) => &mut self.scratch_filter,
        }
    }

    /// Whether the tenant with this account id is marked production.
    pub fn is_production(&self, account_id: &str) -> bool {
        self.store.tenants.get(account_id).is_some_and(|r| self.banner.production.contains(&r.tenant.name))
    }

    /// The tenant the current screen is about, if any.
    pub fn screen_tenant(&self) -> Option<&str> {
        match self.screen() {
            Screen::Tenant(a) | Screen::DeployDetail(a) | Screen::SpendDetail(a) | Screen::AlarmDetail(a, _) => Some(a),
            _ => None,
        }
    }

    /// The tenant a query is about: the one open (tenant card or deployments), else the fleet's
    /// selected row.
    pub fn selected_tenant(&self) -> Option<&silo_core::model::Tenant> {
        let open = self.screens.iter().rev().find_map(|s| match s {
            Screen::Tenant(a) | Screen::DeployDetail(a) | Screen::SpendDetail(a) => Some(a.as_str()),
            _ => None,
        });
        let account = open.or(self.fleet.selected.as_deref())?;
        self.store.tenants.get(account).map(|r| &r.tenant)
    }

    /// Reads Cost Explorer for every tenant whose budget read found none.
    pub fn request_cost_explorer(&mut self) {
        let accounts: Vec<String> = self
            .store
            .tenants
            .values()
            .filter(|r| matches!(r.spend.value(), Some(None)))
            .map(|r| r.tenant.account_id.clone())
            .collect();
        if !accounts.is_empty() && !self.store.cost_explorer.is_loading() {
            self.store.cost_explorer.start_loading();
            self.outbox.push(Request::CostExplorer(accounts));
        }
    }

    /// (account, region) finding actions are sent to.
    pub fn audit_target(&self) -> (&str, &str) {
        (self.audit.0.as_str(), self.audit.1.as_str())
    }

    /// Asks for the dashboard of `account_id` (the previous one stays shown while it loads).
    pub fn request_dashboard(&mut self, account_id: &str) {
        self.store.dashboards.entry(account_id.to_string()).or_default().start_loading();
        self.outbox.push(Request::Dashboard(account_id.to_string(), self.range));
    }

    /// The requests to carry out. With `--offline` this is the one gate that keeps everything
    /// bound for AWS (reads, Cost Explorer, actions) from leaving, whichever screen asked.
    pub fn take_requests(&mut self) -> Vec<Request> {
        let requests = std::mem::take(&mut self.outbox);
        if !self.offline {
            return requests;
        }
        let (kept, refused): (Vec<Request>, Vec<Request>) = requests.into_iter().partition(|r| !r.needs_aws());
        if !refused.is_empty() {
            let text = "offline: nothing is asked of AWS (start silo without --offline)".to_string();
            self.status = Some((text, silo_core::role::Role::Muted));
            self.dirty = true;
        }
        kept
    }
}

#[cfg(test)]
mod query_tests;
#[cfg(test)]
mod tests;
