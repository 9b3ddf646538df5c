//! The interface both data sources implement: the AWS organization and the demo organization.

use crate::alarms::AlarmSummary;
use crate::column::{ColumnData, ColumnSpec, ColumnValue};
use crate::cost::CostReport;
use crate::cost::{MonthSpend, Spend};
use crate::detail::{DetailSpec, DetailValue};
use crate::error::{ErrorKind, FetchError};
use crate::findings::FindingCounts;
use crate::findings::FindingSource;
use crate::model::{AwsService, ServiceSummary, Tenant};
use crate::plan::{ActionOutcome, ActionPlan};
use crate::store::{Slot, SlotValue};
use futures::future::BoxFuture;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The answer of an org-wide read (findings from the audit account, budgets from billing).
#[derive(Debug, Clone, PartialEq)]
pub enum OrgWide {
    /// Not configured (no `[audit]`, no `[billing]`, no detector): every tenant gets None.
    NotConfigured,
    /// The whole read failed: every tenant shows the error.
    Failed(FetchError),
    /// Per tenant account; a tenant missing from the map has no such data (e.g. no budget).
    PerAccount(HashMap<String, Result<OrgValue, FetchError>>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum OrgValue {
    Findings(FindingCounts),
    Spend(Spend),
    /// A registry column's value (`crate::column`).
    Column(ColumnValue),
}

impl OrgWide {
    /// One result for each of `accounts`, the tenants of the refresh that asked; `service` is
    /// where the read went (named by the error of a wrong answer).
    pub fn per_tenant(
        mut self,
        slot: Slot,
        service: AwsService,
        accounts: HashSet<String>,
    ) -> Vec<(String, Result<SlotValue, FetchError>)> {
        let mut out: Vec<_> = accounts
            .into_iter()
            .map(|a| {
                let value = match &mut self {
                    OrgWide::NotConfigured => Ok(none_value(slot)),
                    OrgWide::Failed(e) => Err(e.clone()),
                    OrgWide::PerAccount(values) => match values.remove(&a) {
                        Some(Ok(v)) => some_value(slot, service, v),
                        Some(Err(e)) => Err(e),
                        None => Ok(none_value(slot)),
                    },
                };
                (a, value)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

impl OrgWide {
    /// A registry column read org-wide: each asked account's value from `found`, or `T`'s default
    /// (nothing of what the column counts) for an account the answer leaves out; None is
    /// "not configured" for every tenant.
    pub fn each_account<T: ColumnData + Default + 'static>(
        found: Result<Option<HashMap<String, T>>, FetchError>,
        accounts: &HashSet<String>,
    ) -> OrgWide {
        match found {
            Ok(None) => OrgWide::NotConfigured,
            Err(e) => OrgWide::Failed(e),
            Ok(Some(mut found)) => {
                let mut value = |a: &String| OrgValue::Column(ColumnValue::new(found.remove(a).unwrap_or_default()));
                OrgWide::PerAccount(accounts.iter().map(|a| (a.clone(), Ok(value(a)))).collect())
            }
        }
    }
}

/// What a tenant shows when an org-wide source has nothing for it (no budget, no findings).
fn none_value(slot: Slot) -> SlotValue {
    match slot {
        Slot::SecurityHub => SlotValue::SecurityHub(None),
        Slot::GuardDuty => SlotValue::GuardDuty(None),
        Slot::Spend => SlotValue::Spend(None),
        Slot::Alarms => SlotValue::Alarms(AlarmSummary::default()),
        Slot::Service => SlotValue::Service(None),
        Slot::Column(name) => SlotValue::Column(name, None),
    }
}

/// A source's answer for one tenant, as the slot it was read for; an answer of another kind is a
/// source bug, shown on the tenant rather than filed under a guessed slot.
fn some_value(slot: Slot, service: AwsService, value: OrgValue) -> Result<SlotValue, FetchError> {
    match (slot, value) {
        (Slot::SecurityHub, OrgValue::Findings(c)) => Ok(SlotValue::SecurityHub(Some(c))),
        (Slot::GuardDuty, OrgValue::Findings(c)) => Ok(SlotValue::GuardDuty(Some(c))),
        (Slot::Spend, OrgValue::Spend(s)) => Ok(SlotValue::Spend(Some(s))),
        (Slot::Column(name), OrgValue::Column(v)) => Ok(SlotValue::Column(name, Some(v))),
        (Slot::SecurityHub | Slot::GuardDuty | Slot::Spend | Slot::Alarms | Slot::Service | Slot::Column(_), value) => {
            let message = format!("the {slot:?} read answered with {value:?}");
            Err(FetchError::new(service, ErrorKind::Other, message))
        }
    }
}

/// Proof that `actions::Actions` let a plan through (not read-only, tenant not protected,
/// journaled). Its constructor is private to this crate and called only by `Actions`, so the
/// write half of a source cannot be reached any other way: read-only is a type, not a check.
#[derive(Debug)]
pub struct WritePermit {
    _sealed: (),
}

impl WritePermit {
    pub(crate) fn new() -> WritePermit {
        WritePermit { _sealed: () }
    }
}

/// A source of fleet data. Methods take `Arc<Self>` so their futures are `'static` and can be
/// spawned; errors are data, never panics.
pub trait FleetSource: Send + Sync + 'static {
    fn list_tenants(self: Arc<Self>) -> BoxFuture<'static, Result<Vec<Tenant>, FetchError>>;
    fn service(self: Arc<Self>, tenant: Tenant) -> BoxFuture<'static, Result<Option<ServiceSummary>, FetchError>>;
    fn alarms(self: Arc<Self>, tenant: Tenant) -> BoxFuture<'static, Result<AlarmSummary, FetchError>>;
    /// Findings of one source as the audit account sees them (every account, tenants or not),
    /// those `ask` names, at most the configured cap kept per account and the rest counted
    /// (`FindingsAsk::keeper`); None when the source is not set up.
    fn findings(
        self: Arc<Self>,
        source: FindingSource,
        ask: crate::findings::FindingsAsk,
    ) -> BoxFuture<'static, Result<Option<crate::findings::FindingList>, FetchError>>;
    /// A tenant's scheduled updates (EventBridge Scheduler, group `silo-rollouts`), soonest first.
    fn scheduled(
        self: Arc<Self>,
        tenant: Tenant,
    ) -> BoxFuture<'static, Result<Vec<crate::terms::schedule::ScheduledUpdate>, FetchError>>;
    /// The error counts of the tenant's schedule group since `since` (CloudWatch `AWS/Scheduler`),
    /// for the outcome of a schedule that is gone without a landing.
    fn scheduler_errors(
        self: Arc<Self>,
        _tenant: Tenant,
        _since: chrono::DateTime<chrono::Utc>,
    ) -> BoxFuture<'static, Result<crate::schedule_outcome::SchedulerErrors, FetchError>> {
        Box::pin(async {
            Err(FetchError::new(
                AwsService::Cloudwatch,
                ErrorKind::Other,
                "this source does not read Scheduler's metrics",
            ))
        })
    }
    /// Schedules silo made for the tenant that this machine's journal cannot hold: the demo's
    /// simulated past. A real organization's are in the journal only (AWS deletes a schedule
    /// after its run), so the AWS source has none.
    fn schedules_made(&self, _tenant: &Tenant) -> Vec<crate::schedule_outcome::PlannedSchedule> {
        Vec::new()
    }
    /// The Service Catalog products provisioned in a tenant's account (`[tenants]
    /// service_catalog`); None when this source does not read them.
    fn provisioned(
        self: Arc<Self>,
        _tenant: Tenant,
    ) -> BoxFuture<'static, Result<Option<Vec<crate::catalog::Provisioned>>, FetchError>> {
        Box::pin(async { Ok(None) })
    }
    /// A tenant's site-to-site VPN tunnels as their TunnelState series show them in `window`;
    /// None when no tunnel reported in it.
    fn vpn(
        self: Arc<Self>,
        tenant: Tenant,
        window: crate::vpn::VpnWindow,
    ) -> BoxFuture<'static, Result<Option<crate::vpn::VpnStatus>, FetchError>>;
    /// The organization's AWS Health events (open and recent) with the accounts they affect;
    /// None when `[health]` is not set up. For `:health`, `silo health` and the timeline; the
    /// fleet's count is the `aws_health` column.
    fn aws_health(
        self: Arc<Self>,
    ) -> BoxFuture<'static, Result<Option<Vec<crate::aws_health::HealthEvent>>, FetchError>>;
    /// Spend (the typed org-wide slot) for these tenant accounts.
    fn org_wide(self: Arc<Self>, slot: Slot, accounts: HashSet<String>) -> BoxFuture<'static, OrgWide>;
    /// Twelve months of `budget`'s history, for the spend detail of one tenant.
    fn spend_history(
        self: Arc<Self>,
        tenant: Tenant,
        budget: String,
    ) -> BoxFuture<'static, Result<Vec<MonthSpend>, FetchError>>;
    /// A tenant's dashboard (CloudWatch metrics of its ECS service, ALB, RDS and batch queue)
    /// over `range` ending at `end` (None: now; a time: charts panned into the past).
    fn dashboard(
        self: Arc<Self>,
        tenant: Tenant,
        range: crate::metrics::Range,
        end: Option<chrono::DateTime<chrono::Utc>>,
    ) -> BoxFuture<'static, Result<crate::metrics::Dashboard, FetchError>>;
    /// One dashboard metric of a tenant between two times at `period` seconds (`silo compare`).
    /// Sources without it answer that they cannot.
    fn metric_between(
        self: Arc<Self>,
        tenant: Tenant,
        metric: &'static crate::metrics::MetricSpec,
        span: (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>),
        period: i32,
    ) -> BoxFuture<'static, Result<crate::metrics::Series, FetchError>> {
        let _ = (tenant, metric, span, period);
        let why = "this source cannot read a metric between two times";
        Box::pin(async move {
            Err(FetchError::new(crate::model::AwsService::Cloudwatch, crate::error::ErrorKind::Other, why))
        })
    }
    /// The last entries of one alarm's history.
    fn alarm_history(
        self: Arc<Self>,
        tenant: Tenant,
        alarm: String,
    ) -> BoxFuture<'static, Result<Vec<crate::alarms::AlarmHistoryItem>, FetchError>>;
    /// A tenant's ECS deployments, revisions and pipeline freeze.
    fn deploy_status(
        self: Arc<Self>,
        tenant: Tenant,
    ) -> BoxFuture<'static, Result<crate::deploy::DeployStatus, FetchError>>;
    /// Starts an Athena query in the logs account; its query execution id.
    fn query_start(
        self: Arc<Self>,
        request: crate::queries::run::QueryRequest,
    ) -> BoxFuture<'static, Result<String, FetchError>>;
    /// The state and statistics of a query.
    fn query_status(
        self: Arc<Self>,
        id: String,
    ) -> BoxFuture<'static, Result<crate::queries::run::QueryStatus, FetchError>>;
    /// Cancels a query (StopQueryExecution).
    fn query_stop(self: Arc<Self>, id: String) -> BoxFuture<'static, Result<(), FetchError>>;
    /// One page of a query's results; `drop_header` on the first page of a SELECT.
    fn query_page(
        self: Arc<Self>,
        id: String,
        token: Option<String>,
        drop_header: bool,
    ) -> BoxFuture<'static, Result<crate::queries::run::ResultPage, FetchError>>;
    /// The caller identity ARN of the base credentials, for the audit journal.
    fn identity(self: Arc<Self>) -> BoxFuture<'static, String>;
    /// The write half: carries out a confirmed action with the operator role, assumed for this
    /// call only. Only `actions::Actions` can call it, since only it can make a `WritePermit`.
    fn execute(
        self: Arc<Self>,
        plan: ActionPlan,
        permit: WritePermit,
    ) -> BoxFuture<'static, Result<ActionOutcome, FetchError>>;
    /// Month-to-date cost of `accounts` from Cost Explorer (each request costs $0.01).
    fn cost_explorer(self: Arc<Self>, accounts: Vec<String>) -> BoxFuture<'static, Result<CostReport, FetchError>>;
    /// The AWS service and account an org-wide read goes to, for the concurrency limits.
    fn org_account(&self, slot: Slot) -> (AwsService, String);
    /// The registry's versions and the pipeline runs that built them (`[releases]`); None when
    /// it is not set up.
    fn releases(self: Arc<Self>) -> BoxFuture<'static, Result<Option<crate::releases::Releases>, FetchError>> {
        Box::pin(async { Ok(None) })
    }
    /// The account the releases read goes to, for the concurrency limits ("" when none).
    fn releases_account(&self) -> String {
        String::new()
    }
    /// The Athena workgroup's per-query scan cutoff; sources without Athena say so.
    fn scan_limit(self: Arc<Self>) -> BoxFuture<'static, Result<crate::queries::run::ScanLimit, FetchError>> {
        let message = "this source has no Athena workgroup";
        let error = FetchError::new(crate::model::AwsService::Athena, crate::error::ErrorKind::NotFound, message);
        Box::pin(async move { Err(error) })
    }
    /// Tenants of the last listing named by their account name because their name could not be
    /// read (account id → why); none unless the source says so.
    fn tenant_naming(&self) -> std::collections::HashMap<String, FetchError> {
        std::collections::HashMap::new()
    }
    /// The tenant-card details this source reads, in card order (none unless it says so).
    fn details(&self) -> Vec<DetailSpec> {
        Vec::new()
    }
    /// One detail of a tenant, by its name in `details`.
    fn detail(
        self: Arc<Self>,
        tenant: Tenant,
        name: &'static str,
    ) -> BoxFuture<'static, Result<DetailValue, FetchError>> {
        let error =
            FetchError::new(AwsService::Sts, ErrorKind::NotFound, format!("{} has no detail {name:?}", tenant.name));
        Box::pin(async move { Err(error) })
    }
    /// The fleet columns this source reads (`crate::column`), in table order.
    fn columns(&self) -> Vec<ColumnSpec> {
        Vec::new()
    }
    /// One per-tenant column of a tenant, by its name in `columns`.
    fn column(
        self: Arc<Self>,
        tenant: Tenant,
        name: &'static str,
    ) -> BoxFuture<'static, Result<Option<ColumnValue>, FetchError>> {
        let error =
            FetchError::new(AwsService::Sts, ErrorKind::NotFound, format!("{} has no column {name:?}", tenant.name));
        Box::pin(async move { Err(error) })
    }
    /// One org-wide column for these tenant accounts, by its name in `columns`.
    fn org_column(self: Arc<Self>, _name: &'static str, _accounts: HashSet<String>) -> BoxFuture<'static, OrgWide> {
        Box::pin(async { OrgWide::NotConfigured })
    }
    /// "demo" or "aws": shown in the header.
    fn label(&self) -> String;
}
