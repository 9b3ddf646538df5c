//! The fetch layer: a refresh fans out over tenants as tokio tasks (bounded by the `Limiter`) and
//! reports each result as a `FetchEvent` over a channel. It never touches the app state; the app
//! applies events in `update`, and the headless commands apply them to their own store.

pub mod limiter;
pub mod source;

pub use limiter::Limiter;
pub use source::{FleetSource, OrgWide};

use crate::fetch_error::FetchError;
use crate::model::{AwsService, Tenant};
use crate::store::{Slot, SlotValue};
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinSet;

#[derive(Debug, Clone, PartialEq)]
pub enum FetchEvent {
    RefreshStarted { at: DateTime<Utc> },
    TenantsListed { result: Result<Vec<Tenant>, FetchError>, at: DateTime<Utc> },
    Slot { account_id: String, slot: Slot, result: Result<SlotValue, FetchError>, at: DateTime<Utc> },
    RefreshFinished { at: DateTime<Utc> },
}

/// Pages an org-wide read may walk before its outer timeout (each page gets the full timeout).
const ORG_WIDE_PAGES: u32 = 30;

#[derive(Clone)]
pub struct Fetcher {
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    events: UnboundedSender<FetchEvent>,
}

impl Fetcher {
    pub fn new(source: Arc<dyn FleetSource>, limiter: Arc<Limiter>, events: UnboundedSender<FetchEvent>) -> Self {
        Fetcher { source, limiter, events }
    }

    /// Starts a refresh of the whole fleet in the background.
    pub fn spawn_refresh(&self) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move { this.refresh().await })
    }

    pub async fn refresh(&self) {
        self.send(FetchEvent::RefreshStarted { at: Utc::now() });
        let listed = self
            .limiter
            .run(AwsService::Organizations, "organizations", ORG_WIDE_PAGES, self.source.clone().list_tenants())
            .await;
        self.send(FetchEvent::TenantsListed { result: listed.clone(), at: Utc::now() });
        if let Ok(tenants) = listed {
            self.fan_out(tenants).await;
        }
        self.send(FetchEvent::RefreshFinished { at: Utc::now() });
    }

    async fn fan_out(&self, tenants: Vec<Tenant>) {
        let mut tasks = JoinSet::new();
        for tenant in &tenants {
            tasks.spawn(self.clone().tenant_slot(tenant.clone(), Slot::Service));
            tasks.spawn(self.clone().tenant_slot(tenant.clone(), Slot::Alarms));
        }
        let accounts: HashSet<String> = tenants.iter().map(|t| t.account_id.clone()).collect();
        for slot in [Slot::SecurityHub, Slot::GuardDuty, Slot::Spend] {
            tasks.spawn(self.clone().org_wide_slot(slot, accounts.clone()));
        }
        while let Some(joined) = tasks.join_next().await {
            if let Err(e) = joined {
                tracing::error!("fetch task failed: {e}");
            }
        }
    }

    async fn tenant_slot(self, tenant: Tenant, slot: Slot) {
        let source = self.source.clone();
        let result = match slot {
            Slot::Service => {
                let work = async { source.service(tenant.clone()).await.map(SlotValue::Service) };
                self.limiter.run(AwsService::Ecs, &tenant.account_id, 2, work).await
            }
            _ => {
                let work = async { source.alarms(tenant.clone()).await.map(SlotValue::Alarms) };
                self.limiter.run(AwsService::Cloudwatch, &tenant.account_id, 4, work).await
            }
        };
        self.send(FetchEvent::Slot { account_id: tenant.account_id, slot, result, at: Utc::now() });
    }

    async fn org_wide_slot(self, slot: Slot, accounts: HashSet<String>) {
        let (service, account) = self.source.org_account(slot);
        let source = self.source.clone();
        let asked = accounts.clone();
        let work = async move { Ok::<_, FetchError>(source.org_wide(slot, asked).await) };
        let result = match self.limiter.run(service, &account, ORG_WIDE_PAGES, work).await {
            Ok(result) => result,
            Err(timeout) => OrgWide::Failed(timeout),
        };
        self.distribute(slot, result, accounts);
    }

    /// Turns one org-wide answer into a per-tenant event for every tenant of this refresh.
    fn distribute(&self, slot: Slot, result: OrgWide, accounts: HashSet<String>) {
        let at = Utc::now();
        for (account_id, value) in result.per_tenant(slot, accounts) {
            self.send(FetchEvent::Slot { account_id, slot, result: value, at });
        }
    }

    fn send(&self, event: FetchEvent) {
        // The receiver is gone only while shutting down; nothing is left to tell then.
        let _ = self.events.send(event);
    }
}

#[cfg(test)]
mod tests;
