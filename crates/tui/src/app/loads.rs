//! What the app asks the engine to read: every read is marked loading in the store first (what
//! it showed stays meanwhile), then left in the outbox. The screen on top says what it reads when
//! opened, on `r` and with every refresh (`screens::registry::loads`).

use super::{timeline, App};
use crate::action::{Request, Screen};
use crate::screens::registry::{self, Load, When};

impl App {
    /// Asks for a refresh unless one is running: overlapping refreshes would double the load
    /// on every account for nothing. The screen on top reads what it reads with every refresh
    /// (the deployment screens and the tenant card: a plan is refused when its data is older than
    /// two refreshes).
    pub fn request_refresh(&mut self, force: bool) {
        let queued = self.outbox.iter().any(|r| matches!(r, Request::Refresh { .. }));
        if !self.offline && !self.store.is_refreshing() && !queued {
            self.outbox.push(Request::Refresh { force });
            let screen = self.screen().clone();
            self.load_for(&screen, When::EveryRefresh);
        }
    }

    /// Asks for what `screen` reads `when` (see `screens::registry::loads`).
    pub fn load_for(&mut self, screen: &Screen, when: When) {
        let loads = registry::loads(&self.views, &self.ctx(), screen, when);
        loads.into_iter().for_each(|load| self.load(load));
    }

    /// Marks one read loading and hands it to the engine.
    fn load(&mut self, load: Load) {
        match load {
            Load::Fleet => self.request_refresh(true),
            Load::Audit => self.outbox.push(Request::LoadAudit),
            Load::Deployments(account_id) => self.request_deployments(account_id.as_deref()),
            Load::Scheduled(None) => self.request_scheduled(),
            Load::Scheduled(Some(account_id)) => self.request_scheduled_of(&account_id),
            Load::Dashboard(account_id) => self.request_dashboard(&account_id),
            Load::Details(account_id) => self.request_details(&account_id),
            Load::Timeline => timeline::request(self),
            Load::Read(key) => self.request_read(key),
            Load::ReadOnce(key) => self.request_read_once(key),
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

    /// An on-demand read (marked loading until it answers; what it showed stays meanwhile).
    pub fn request_read(&mut self, key: silo_core::reads::ReadKey) {
        self.store.start_read(key.clone());
        self.outbox.push(Request::Read(key));
    }

    /// An on-demand read unless it is loaded or on its way.
    fn request_read_once(&mut self, key: silo_core::reads::ReadKey) {
        let asked =
            self.store.reading(&key).is_some_and(|h| h.is_loading() || (h.error().is_none() && h.value().is_some()));
        if !asked {
            self.request_read(key);
        }
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
        self.outbox.push(Request::Dashboard(account_id.to_string(), self.range, self.range_end));
    }
}
