//! The application state (store + screen states + modal stack) and its pure `update` function.
//! Side effects are requests left in `outbox` for the event loop to hand to the engine. Feature
//! logic that changes more than one screen's state lives beside `update`, one module per feature.

mod deploy;
mod fetch;
mod findings;
pub mod links;
mod outbox;
mod queries;
mod quitting;
mod rollouts;
mod timeline;
mod update;

pub use update::update;

use crate::action::{Action, Banner, Request, Screen};
use crate::context::{ClickArea, Ctx};
use crate::keymap::Keymap;
use crate::modals::Modal;
use crate::screens;
use crate::screens::fleet::FleetState;
use crate::theme::Theme;
use chrono::{DateTime, Utc};
use silo_core::plan::AuditTarget;
use silo_core::store::Store;
use std::time::Duration;

/// Runs `action` and every action it leads to.
pub fn dispatch(app: &mut App, action: Action) {
    let mut next = Some(action);
    while let Some(a) = next {
        next = update(app, a);
    }
}

/// The read-only context of `$app`, borrowing its shared fields one by one, so that a screen's
/// own state (`&mut $app.fleet`…) can be lent beside it.
macro_rules! ctx {
    ($app:expr) => {
        $crate::context::Ctx {
            store: &$app.store,
            theme: &$app.theme,
            keymap: &$app.keymap,
            banner: &$app.banner,
            now: $app.now,
            max_plan_age: $app.max_plan_age(),
            screens: &$app.screens,
            library: &$app.library,
            range: $app.range,
            audit: &$app.audit,
            user: &$app.user,
            opener: $app.opener.as_deref(),
            journal_path: &$app.journal_path,
            snapshot_at: $app.snapshot_at,
            offline: $app.offline,
            cost_explorer: $app.cost_explorer,
            selected_account: $app.selected_account(),
            clickable: &$app.clickable,
        }
    };
}
pub(crate) use ctx;

pub struct App {
    pub store: Store,
    pub screens: Vec<Screen>,
    pub modals: Vec<Modal>,
    pub fleet: FleetState,
    pub spend: screens::spend::SpendState,
    pub findings: screens::findings::FindingsState,
    pub alarms: screens::alarms::AlarmsState,
    pub deploy: screens::deploy::DeployState,
    /// Saved Athena queries (shipped and `[logs] query_dirs`).
    pub library: silo_core::queries::Library,
    pub query: screens::queries::QueryViewState,
    /// Number of the next query run of this session.
    pub next_run: u64,
    /// Program that opens console URLs (`opener` in the config), if any.
    pub opener: Option<String>,
    /// Where the last frame drew the current list's rows, for mouse clicks.
    pub clickable: std::cell::Cell<Option<ClickArea>>,
    /// Scroll offset of detail screens (finding).
    pub detail_scroll: u16,
    /// How far before an alarm a change is a suspect (`[timeline] suspect_minutes`).
    pub suspect_window: chrono::Duration,
    /// The open timeline: whose, around which alarm, which range.
    pub timeline: screens::timeline::TimelineState,
    /// A message for the footer (action results), until the next key.
    pub status: Option<(String, silo_core::role::Role)>,
    /// Audit account and region, where finding actions go.
    pub audit: AuditTarget,
    /// Logs account, region, workgroup and database, where confirmed Athena statements go.
    pub athena: silo_core::plan::AthenaTarget,
    /// Who acts, as shown in Security Hub notes (`silo-<user>`).
    pub user: String,
    /// The audit journal's file and, while `:audit` is open, its entries.
    pub journal_path: std::path::PathBuf,
    pub audit_log: screens::audit::AuditState,
    /// `:health`'s selection.
    pub aws_health: screens::aws_health::HealthState,
    /// `:rollouts`' selection and version filter.
    pub rollouts: screens::rollouts::RolloutsState,
    /// `[tenants] scheduler_role`: the role scheduled updates run as in each tenant account.
    pub scheduler_role: String,
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
    /// Actions handed to the data layer that have not reported their end.
    pub actions_in_flight: usize,
    /// Runs started as confirmed statements: their start is an action's end.
    pub statement_runs: std::collections::BTreeSet<u64>,
    /// Quit once `actions_in_flight` reaches 0.
    pub quitting: bool,
}

impl App {
    /// Twice the refresh interval: the data layer refuses plans built from older data.
    pub fn max_plan_age(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.refresh_interval).unwrap_or(chrono::Duration::MAX) * 2
    }

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
            timeline: screens::timeline::TimelineState::new("", None),
            suspect_window: chrono::Duration::minutes(silo_core::timeline::SUSPECT_WINDOW_MINUTES),
            status: None,
            audit: AuditTarget::default(),
            athena: silo_core::plan::AthenaTarget::default(),
            user: silo_core::identity::session_name(),
            journal_path: silo_core::journal::Journal::default_path(),
            audit_log: Default::default(),
            aws_health: Default::default(),
            rollouts: Default::default(),
            scheduler_role: "SiloScheduler".into(),
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
            actions_in_flight: 0,
            statement_runs: Default::default(),
            quitting: false,
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

    /// The deployment screens, and the tenant card (whose p/u/b plan from them), re-read the
    /// deployments with every refresh: a plan is refused when its data is older than two refreshes.
    fn refresh_deployments_on_screen(&mut self) {
        match self.screen().clone() {
            Screen::Deployments => self.request_deployments(None),
            Screen::DeployDetail(account) | Screen::Tenant(account) => self.request_deployments(Some(&account)),
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
            Some(Screen::Rollouts) => &mut self.rollouts.filter,
            Some(_) => &mut self.scratch_filter,
        }
    }

    /// An on-demand read (marked loading until it answers; what it showed stays meanwhile).
    pub fn request_read(&mut self, key: silo_core::reads::ReadKey) {
        self.store.start_read(key.clone());
        self.outbox.push(Request::Read(key));
    }

    /// The organization's AWS Health events, for `:health`.
    pub fn request_aws_health(&mut self) {
        self.request_read(silo_core::aws_health::EVENTS.of_org());
    }

    /// Every tenant's scheduled updates, for `:rollouts` (marked loading until they answer).
    pub fn request_scheduled(&mut self) {
        let tenants: Vec<silo_core::model::Tenant> = self.store.tenants.values().map(|r| r.tenant.clone()).collect();
        self.request_scheduled_of_these(tenants);
    }

    /// One tenant's scheduled updates and Service Catalog products (its card shows them).
    pub fn request_scheduled_of(&mut self, account_id: &str) {
        let tenant = self.store.tenants.get(account_id).map(|r| r.tenant.clone());
        self.request_scheduled_of_these(tenant.into_iter().collect());
    }

    fn request_scheduled_of_these(&mut self, tenants: Vec<silo_core::model::Tenant>) {
        if self.offline || tenants.is_empty() {
            return;
        }
        for t in &tenants {
            self.store.scheduled.entry(t.account_id.clone()).or_default().start_loading();
            self.store.provisioned.entry(t.account_id.clone()).or_default().start_loading();
            self.store.outcomes.entry(t.account_id.clone()).or_default().start_loading();
        }
        self.outbox.push(Request::Scheduled(tenants));
    }

    /// The tenant a query is about (account id): the one open (tenant card or deployments), else
    /// the fleet's selected row.
    pub fn selected_account(&self) -> Option<String> {
        let open = self.screens.iter().rev().find_map(|s| match s {
            Screen::Tenant(a) | Screen::DeployDetail(a) | Screen::SpendDetail(a) | Screen::Timeline(a) => {
                Some(a.as_str())
            }
            _ => None,
        });
        let account = open.or(self.fleet.selected.as_deref())?;
        self.store.tenants.contains_key(account).then(|| account.to_string())
    }

    /// The alarm selected in `:alarms` (account id, name).
    pub fn selected_alarm(&self) -> Option<(String, String)> {
        let ctx = self.ctx();
        let rows = screens::alarms::visible(&ctx, &self.alarms);
        let keys: Vec<String> = rows.iter().map(|r| format!("{}/{}", r.account_id, r.name)).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        rows.get(self.alarms.list.selected_index(&keys)).map(|r| (r.account_id.clone(), r.name.clone()))
    }

    /// The tenant selected in `:deployments` (account id).
    pub fn selected_deployment(&self) -> Option<String> {
        let ctx = self.ctx();
        let rows = screens::deploy::visible(&ctx, &self.deploy);
        let keys: Vec<&str> = rows.iter().map(|r| r.account_id).collect();
        rows.get(self.deploy.list.selected_index(&keys)).map(|r| r.account_id.to_string())
    }

    /// The read-only context screens and popups draw from.
    pub fn ctx(&self) -> Ctx<'_> {
        ctx!(self)
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

    /// Asks for the tenant-card details of `account_id` (what is shown stays while they load).
    pub fn request_details(&mut self, account_id: &str) {
        if let Some(record) = self.store.tenants.get(account_id) {
            self.outbox.push(Request::Details(record.tenant.clone()));
        }
    }

    /// Asks for the dashboard of `account_id` (the previous one stays shown while it loads).
    pub fn request_dashboard(&mut self, account_id: &str) {
        self.store.dashboards.entry(account_id.to_string()).or_default().start_loading();
        self.outbox.push(Request::Dashboard(account_id.to_string(), self.range));
    }
}

#[cfg(test)]
mod query_tests;
#[cfg(test)]
mod tests;
