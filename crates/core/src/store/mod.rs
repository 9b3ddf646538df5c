//! The normalized store owned by the app: the tenant list and, per tenant and source, a
//! `Loadable`. Fetch results are applied here by `update`; views and the headless report only read.

use crate::column::ColumnValue;
use crate::error::FetchError;
mod answers;
mod columns;
mod event;

pub use columns::{ColumnSlot, Columns};
pub use event::FetchEvent;

use crate::alarms::AlarmSummary;
use crate::cost::CostReport;
use crate::cost::Spend;
use crate::findings::FindingCounts;
use crate::findings::{Finding, FindingSource};
use crate::model::{Health, Rollout, ServiceSummary, Tenant};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Loaded<T> {
    pub value: T,
    pub at: DateTime<Utc>,
}

/// One piece of remote data. A refresh keeps the previous value visible while loading, and a
/// failure keeps it too (marked by its age), so the screen never flickers to empty.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub enum Loadable<T> {
    #[default]
    Idle,
    Loading {
        previous: Option<Loaded<T>>,
    },
    Loaded(Loaded<T>),
    Failed {
        error: FetchError,
        at: DateTime<Utc>,
        previous: Option<Loaded<T>>,
    },
}

impl<T> Loadable<T> {
    pub fn start_loading(&mut self) {
        let previous = self.take_last();
        *self = Loadable::Loading { previous };
    }

    pub fn finish(&mut self, result: Result<T, FetchError>, at: DateTime<Utc>) {
        *self = match result {
            Ok(value) => Loadable::Loaded(Loaded { value, at }),
            Err(error) => Loadable::Failed { error, at, previous: self.take_last() },
        };
    }

    fn take_last(&mut self) -> Option<Loaded<T>> {
        match std::mem::take(self) {
            Loadable::Loaded(l) => Some(l),
            Loadable::Loading { previous } | Loadable::Failed { previous, .. } => previous,
            Loadable::Idle => None,
        }
    }

    /// The freshest value known, whether or not a newer fetch is under way or failed.
    pub fn last(&self) -> Option<&Loaded<T>> {
        match self {
            Loadable::Loaded(l) => Some(l),
            Loadable::Loading { previous } | Loadable::Failed { previous, .. } => previous.as_ref(),
            Loadable::Idle => None,
        }
    }

    pub fn value(&self) -> Option<&T> {
        self.last().map(|l| &l.value)
    }

    pub fn error(&self) -> Option<&FetchError> {
        match self {
            Loadable::Failed { error, .. } => Some(error),
            _ => None,
        }
    }

    pub fn is_settled(&self) -> bool {
        matches!(self, Loadable::Loaded(_) | Loadable::Failed { .. })
    }

    pub fn is_loading(&self) -> bool {
        matches!(self, Loadable::Loading { .. })
    }
}

/// Everything known about one tenant. `None` inside a loaded value means "does not exist"
/// (no service, no budget, findings not configured), which is different from "failed".
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TenantRecord {
    pub tenant: Tenant,
    pub alarms: Loadable<AlarmSummary>,
    pub service: Loadable<Option<ServiceSummary>>,
    pub securityhub: Loadable<Option<FindingCounts>>,
    pub guardduty: Loadable<Option<FindingCounts>>,
    pub spend: Loadable<Option<Spend>>,
    /// The registry's columns (VPN, AWS Health, Config compliance…), by name.
    #[serde(default)]
    pub columns: Columns,
    /// Why the tenant is shown under its account name instead of its tag (the tag read failed).
    #[serde(default)]
    pub naming: Option<FetchError>,
    /// Another account of the list carries the same name: the fleet marks it, and it is chosen
    /// and confirmed by account id (`tenant_lookup`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub name_shared: bool,
}

/// Which per-tenant slot a fetch result fills: a typed one, or a registry column by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    Alarms,
    Service,
    SecurityHub,
    GuardDuty,
    Spend,
    Column(&'static str),
}

impl Slot {
    /// The typed slots; a refresh of everything adds the source's registry columns.
    pub const TYPED: [Slot; 5] = [Slot::Alarms, Slot::Service, Slot::SecurityHub, Slot::GuardDuty, Slot::Spend];

    /// Every slot: the typed ones, then `columns` in registry order.
    pub fn all(columns: &[crate::column::ColumnSpec]) -> Vec<Slot> {
        Slot::TYPED.into_iter().chain(columns.iter().map(|c| Slot::Column(c.name))).collect()
    }
}

/// A fetched value for one slot.
#[derive(Debug, Clone, PartialEq)]
pub enum SlotValue {
    Alarms(AlarmSummary),
    Service(Option<ServiceSummary>),
    SecurityHub(Option<FindingCounts>),
    GuardDuty(Option<FindingCounts>),
    Spend(Option<Spend>),
    Column(&'static str, Option<ColumnValue>),
}

impl SlotValue {
    pub fn slot(&self) -> Slot {
        match self {
            SlotValue::Alarms(_) => Slot::Alarms,
            SlotValue::Service(_) => Slot::Service,
            SlotValue::SecurityHub(_) => Slot::SecurityHub,
            SlotValue::GuardDuty(_) => Slot::GuardDuty,
            SlotValue::Spend(_) => Slot::Spend,
            SlotValue::Column(name, _) => Slot::Column(name),
        }
    }
}

impl TenantRecord {
    pub fn new(tenant: Tenant) -> Self {
        TenantRecord {
            tenant,
            alarms: Loadable::Idle,
            service: Loadable::Idle,
            securityhub: Loadable::Idle,
            guardduty: Loadable::Idle,
            spend: Loadable::Idle,
            columns: Columns::default(),
            naming: None,
            name_shared: false,
        }
    }

    pub fn start_loading(&mut self, slot: Slot) {
        match slot {
            Slot::Alarms => self.alarms.start_loading(),
            Slot::Service => self.service.start_loading(),
            Slot::SecurityHub => self.securityhub.start_loading(),
            Slot::GuardDuty => self.guardduty.start_loading(),
            Slot::Spend => self.spend.start_loading(),
            Slot::Column(name) => self.columns.entry(name).start_loading(),
        }
    }

    pub fn apply(&mut self, slot: Slot, result: Result<SlotValue, FetchError>, at: DateTime<Utc>) {
        match (slot, result) {
            (_, Ok(SlotValue::Alarms(v))) => self.alarms.finish(Ok(v), at),
            (_, Ok(SlotValue::Service(v))) => self.service.finish(Ok(v), at),
            (_, Ok(SlotValue::SecurityHub(v))) => self.securityhub.finish(Ok(v), at),
            (_, Ok(SlotValue::GuardDuty(v))) => self.guardduty.finish(Ok(v), at),
            (_, Ok(SlotValue::Spend(v))) => self.spend.finish(Ok(v), at),
            (_, Ok(SlotValue::Column(name, v))) => self.columns.finish(name, Ok(v), at),
            (Slot::Alarms, Err(e)) => self.alarms.finish(Err(e), at),
            (Slot::Service, Err(e)) => self.service.finish(Err(e), at),
            (Slot::SecurityHub, Err(e)) => self.securityhub.finish(Err(e), at),
            (Slot::GuardDuty, Err(e)) => self.guardduty.finish(Err(e), at),
            (Slot::Spend, Err(e)) => self.spend.finish(Err(e), at),
            (Slot::Column(name), Err(e)) => self.columns.finish(name, Err(e), at),
        }
    }

    pub fn slot_settled(&self, slot: Slot) -> bool {
        match slot {
            Slot::Alarms => self.alarms.is_settled(),
            Slot::Service => self.service.is_settled(),
            Slot::SecurityHub => self.securityhub.is_settled(),
            Slot::GuardDuty => self.guardduty.is_settled(),
            Slot::Spend => self.spend.is_settled(),
            Slot::Column(name) => self.columns.get(name).is_some_and(Loadable::is_settled),
        }
    }

    /// A registry column's slot (None: never asked for this tenant).
    pub fn column(&self, name: &str) -> Option<&ColumnSlot> {
        self.columns.get(name)
    }

    /// Current errors, one per failed slot, in a stable order.
    pub fn errors(&self) -> Vec<&FetchError> {
        let typed = [
            self.naming.as_ref(),
            self.service.error(),
            self.alarms.error(),
            self.securityhub.error(),
            self.guardduty.error(),
            self.spend.error(),
        ];
        let columns = self.columns.iter().map(|(_, slot)| slot.error());
        let mut errors: Vec<&FetchError> = typed.into_iter().chain(columns).flatten().collect();
        errors.dedup();
        errors
    }

    /// Open findings from every source that answered; None when no source has data.
    pub fn findings(&self) -> Option<FindingCounts> {
        let parts = [self.securityhub.value(), self.guardduty.value()];
        let known: Vec<FindingCounts> = parts.into_iter().flatten().flatten().copied().collect();
        if known.is_empty() {
            return None;
        }
        let mut total = FindingCounts::default();
        known.into_iter().for_each(|c| total.add(c));
        Some(total)
    }

    /// Time of the oldest piece of data shown for this tenant: what "data age" means.
    pub fn oldest_data(&self) -> Option<DateTime<Utc>> {
        let typed = [
            self.alarms.last().map(|l| l.at),
            self.service.last().map(|l| l.at),
            self.securityhub.last().map(|l| l.at),
            self.guardduty.last().map(|l| l.at),
            self.spend.last().map(|l| l.at),
        ];
        let columns = self.columns.iter().map(|(_, slot)| slot.last().map(|l| l.at));
        typed.into_iter().chain(columns).flatten().min()
    }

    /// Worst of the parts: alarms, service, findings, spend and what each registry column counts
    /// (VPN tunnels; AWS Health events and Config compliance say where to look, not that the
    /// tenant is down, so they count nothing). Any failed part makes it at least unknown.
    pub fn health(&self) -> Health {
        let typed = [
            part_health(&self.alarms, alarm_health),
            part_health(&self.service, service_health),
            self.findings().map(findings_health).unwrap_or(Health::Ok),
            part_health(&self.spend, spend_health),
        ];
        let columns = self.columns.iter().filter_map(|(_, slot)| slot.value().cloned().flatten());
        let counted = columns.map(|v| v.data().health());
        let failed = !self.errors().is_empty();
        let nothing = self.alarms.value().is_none() || self.service.value().is_none();
        let worst = typed.into_iter().chain(counted).max().unwrap_or(Health::Unknown);
        if nothing || failed {
            worst.max(Health::Unknown)
        } else {
            worst
        }
    }
}

fn part_health<T>(loadable: &Loadable<T>, judge: fn(&T) -> Health) -> Health {
    match loadable.value() {
        Some(v) => judge(v),
        None if loadable.error().is_some() => Health::Unknown,
        None => Health::Ok,
    }
}

fn alarm_health(a: &AlarmSummary) -> Health {
    if a.in_alarm() > 0 {
        Health::Critical
    } else if a.insufficient_data() > 0 {
        Health::Warning
    } else {
        Health::Ok
    }
}

fn service_health(s: &Option<ServiceSummary>) -> Health {
    let Some(s) = s else { return Health::Critical };
    if s.rollout == Rollout::Failed || (s.desired > 0 && s.running == 0) {
        Health::Critical
    } else if s.running < s.desired {
        Health::Warning
    } else {
        Health::Ok
    }
}

fn findings_health(f: FindingCounts) -> Health {
    if f.critical > 0 {
        Health::Critical
    } else if f.high > 0 {
        Health::Warning
    } else {
        Health::Ok
    }
}

fn spend_health(s: &Option<Spend>) -> Health {
    let over = |p: Option<rust_decimal::Decimal>| p.is_some_and(|p| p > rust_decimal::Decimal::ONE_HUNDRED);
    match s {
        Some(s) if over(s.percent()) || over(s.forecast_percent()) => Health::Warning,
        _ => Health::Ok,
    }
}

/// Progress of the tenant-list fetch itself (Organizations or static config).
pub type TenantList = Loadable<()>;

/// All fleet data, keyed by account id (stable; names can repeat across OUs).
#[derive(Debug, Default)]
pub struct Store {
    pub tenant_list: TenantList,
    pub tenants: BTreeMap<String, TenantRecord>,
    /// Set when the whole fleet could not be listed (bad credentials, Organizations denied).
    pub refresh_started: Option<DateTime<Utc>>,
    pub refresh_finished: Option<DateTime<Utc>>,
    /// What the current (or last) refresh reads for every tenant.
    pub refresh_slots: Vec<Slot>,
    /// The source's registry columns, in table order (the fleet, the card and the reports).
    pub columns: Vec<crate::column::ColumnSpec>,
    findings_generation: u64,
    /// Open findings per source, organization-wide, attributed to tenants.
    pub securityhub_findings: Loadable<Option<crate::findings::FindingList>>,
    pub guardduty_findings: Loadable<Option<crate::findings::FindingList>>,
    /// Tenant dashboards, fetched when a tenant is opened (and on refresh or range change there).
    pub dashboards: BTreeMap<String, Loadable<crate::metrics::Dashboard>>,
    /// Cost Explorer costs of tenants without a budget, once the user enabled it.
    pub cost_explorer: Loadable<CostReport>,
    /// Cost Explorer requests made this session (each is billed).
    pub cost_explorer_requests: u32,
    /// Deployments per tenant account, read by the deployment screens and after actions.
    pub deployments: BTreeMap<String, Loadable<crate::deploy::DeployStatus>>,
    /// Athena runs of this session, by run number.
    pub queries: BTreeMap<u64, crate::queries::run::QueryRun>,
    /// Scheduled updates per tenant account, read when `:rollouts` opens (and on `r` there).
    pub scheduled: BTreeMap<String, Loadable<Vec<crate::terms::schedule::ScheduledUpdate>>>,
    /// What became of the schedules silo made, per tenant account, read with the schedules.
    pub outcomes: BTreeMap<String, Loadable<Vec<crate::schedule_outcome::Tracked>>>,
    /// Service Catalog products per tenant account (None: not configured), read with the schedules.
    pub provisioned: BTreeMap<String, Loadable<Option<Vec<crate::catalog::Provisioned>>>>,
    /// The timeline last asked for (one at a time: the screen shows one tenant's).
    pub timeline: Loadable<crate::timeline::Timeline>,
    /// The Athena workgroup's scan cutoff, read once when the first query runs.
    pub scan_limit: Loadable<crate::queries::run::ScanLimit>,
    /// The last fleet-wide rollback's per-tenant results.
    pub sequence: Option<(DateTime<Utc>, Vec<crate::plan::SequenceStep>)>,
    /// Answers of on-demand reads (`crate::reads`), by key.
    pub reads: BTreeMap<crate::reads::ReadKey, Loadable<crate::reads::ReadValue>>,
    /// Tenant details by (account id, detail name), read when a tenant's card opens.
    pub details: BTreeMap<(String, &'static str), Loadable<crate::detail::DetailValue>>,
}

impl Store {
    /// Replaces the tenant list, keeping what is known of tenants that are still present.
    pub fn set_tenants(&mut self, tenants: Vec<Tenant>, at: DateTime<Utc>) {
        let mut next = BTreeMap::new();
        for tenant in tenants {
            let record = match self.tenants.remove(&tenant.account_id) {
                Some(mut old) => {
                    old.tenant = tenant.clone();
                    old
                }
                None => TenantRecord::new(tenant.clone()),
            };
            next.insert(tenant.account_id, record);
        }
        self.tenants = next;
        let shared = self.shared_names();
        self.tenants.values_mut().for_each(|r| r.name_shared = shared.contains(&r.tenant.name));
        self.tenant_list.finish(Ok(()), at);
    }

    /// The names more than one listed account carries.
    pub fn shared_names(&self) -> crate::tenant_lookup::SharedNames {
        crate::tenant_lookup::SharedNames::of(self.tenants.values().map(|r| r.tenant.name.as_str()))
    }

    /// The tenant `wanted` names (account id, or a name one account carries): the one rule of
    /// `:t`, the forms and `--tenant`.
    pub fn find_tenant(&self, wanted: &str) -> Result<&TenantRecord, crate::tenant_lookup::LookupError> {
        let records: Vec<&TenantRecord> = self.tenants.values().collect();
        crate::tenant_lookup::find(&records, wanted, |r| &r.tenant.name, |r| &r.tenant.account_id).copied()
    }

    /// Tenants whose slots of the current refresh have all answered.
    pub fn loaded_count(&self) -> usize {
        self.tenants.values().filter(|r| self.refresh_slots.iter().all(|s| r.slot_settled(*s))).count()
    }

    /// A refresh has started and not yet finished.
    pub fn is_refreshing(&self) -> bool {
        match (self.refresh_started, self.refresh_finished) {
            (Some(started), Some(finished)) => started > finished,
            (Some(_), None) => true,
            _ => false,
        }
    }

    /// Applies one result of the fetch layer.
    pub fn apply(&mut self, event: FetchEvent) {
        match event {
            FetchEvent::RefreshStarted { at, slots, columns } => {
                self.refresh_started = Some(at);
                self.refresh_slots = slots;
                self.columns = columns;
                self.tenant_list.start_loading();
            }
            FetchEvent::TenantsListed { result: Ok(tenants), at } => {
                self.set_tenants(tenants, at);
                for record in self.tenants.values_mut() {
                    self.refresh_slots.iter().for_each(|slot| record.start_loading(*slot));
                }
            }
            FetchEvent::TenantsListed { result: Err(error), at } => self.tenant_list.finish(Err(error), at),
            FetchEvent::TenantNaming { problems } => self.set_naming(problems),
            FetchEvent::Slot { account_id, slot, result, at } => {
                if let Some(record) = self.tenants.get_mut(&account_id) {
                    record.apply(slot, result, at);
                }
            }
            FetchEvent::RefreshFinished { at } => self.refresh_finished = Some(at),
            FetchEvent::Findings { source, result, at } => self.set_findings(source, result, at),
            FetchEvent::Scheduled { account_id, result, at } => {
                self.scheduled.entry(account_id).or_default().finish(result, at)
            }
            FetchEvent::Outcomes { account_id, tracked, at } => {
                self.outcomes.entry(account_id).or_default().finish(Ok(tracked), at)
            }
            FetchEvent::Provisioned { account_id, result, at } => {
                self.provisioned.entry(account_id).or_default().finish(result, at)
            }
            FetchEvent::ActionFinished { .. } | FetchEvent::AuditJournal(_) => {}
            FetchEvent::Read { key, result, at } => self.reads.entry(key).or_default().finish(result, at),
            FetchEvent::Dashboard { account_id, result, at } => {
                self.dashboards.entry(account_id).or_default().finish(result, at)
            }
            FetchEvent::CostExplorer { result, at } => {
                self.cost_explorer_requests += result.as_ref().map(|r| r.requests).unwrap_or(0);
                self.cost_explorer.finish(result, at);
            }
            FetchEvent::Deploy { account_id, result, at } => {
                self.deployments.entry(account_id).or_default().finish(result.map(|s| *s), at);
            }
            FetchEvent::SequenceFinished { results, at } => self.sequence = Some((at, results)),
            FetchEvent::DetailsAsked { account_id, names } => {
                for name in names {
                    self.details.entry((account_id.clone(), name)).or_default().start_loading();
                }
            }
            FetchEvent::Detail { account_id, name, result, at } => {
                self.details.entry((account_id, name)).or_default().finish(result, at)
            }
            FetchEvent::QueryStarted { run, result, at } => self.with_run(run, |r| r.apply_started(result, at)),
            FetchEvent::QueryProgress { run, result, at } => self.with_run(run, |r| r.apply_progress(result, at)),
            FetchEvent::QueryPage { run, result, .. } => self.with_run(run, |r| r.apply_page(result)),
            FetchEvent::QueryStopped { run, result: Err(e), .. } => self.with_run(run, |r| r.error = Some(e)),
            FetchEvent::ScanLimit { result, at } => self.scan_limit.finish(result, at),
            FetchEvent::Timeline { timeline, at } => self.timeline.finish(Ok(*timeline), at),
            FetchEvent::QueryStopped { .. } | FetchEvent::Notice { .. } | FetchEvent::Identity(_) => {}
        }
    }

    fn with_run(&mut self, run: u64, change: impl FnOnce(&mut crate::queries::run::QueryRun)) {
        if let Some(r) = self.queries.get_mut(&run) {
            change(r);
        }
    }

    /// Bumped whenever a finding list changes, so views can keep derived orderings.
    pub fn findings_generation(&self) -> u64 {
        self.findings_generation
    }

    fn set_findings(
        &mut self,
        source: FindingSource,
        result: Result<Option<crate::findings::FindingList>, FetchError>,
        at: DateTime<Utc>,
    ) {
        let names: HashMap<String, String> =
            self.tenants.values().map(|r| (r.tenant.account_id.clone(), r.tenant.name.clone())).collect();
        let result = result.map(|list| {
            list.map(|mut l| {
                crate::findings::attribute(&mut l, &names);
                l
            })
        });
        self.findings_generation += 1;
        match source {
            FindingSource::Securityhub => self.securityhub_findings.finish(result, at),
            FindingSource::Guardduty => self.guardduty_findings.finish(result, at),
        }
    }

    /// Every tenant whose alarms are known, with them.
    pub fn alarm_summaries(&self) -> impl Iterator<Item = (&Tenant, &AlarmSummary)> {
        self.tenants.values().filter_map(|r| Some((&r.tenant, r.alarms.value()?)))
    }

    /// Per account id, the findings both sources read beyond the per-tenant cap (not kept,
    /// counted): what lists show as "+N more".
    pub fn findings_beyond(&self) -> BTreeMap<String, crate::findings::Beyond> {
        let lists = [self.securityhub_findings.value(), self.guardduty_findings.value()];
        let mut out = BTreeMap::new();
        lists.into_iter().flatten().flatten().for_each(|l| crate::findings::add_beyond(&mut out, &l.beyond));
        out
    }

    /// Every known finding of both sources.
    pub fn all_findings(&self) -> impl Iterator<Item = &Finding> {
        let sh = self.securityhub_findings.value().and_then(|v| v.as_ref());
        let gd = self.guardduty_findings.value().and_then(|v| v.as_ref());
        sh.into_iter().chain(gd).flatten()
    }

    /// Each tenant's naming problem of the last listing (none: named as configured).
    fn set_naming(&mut self, mut problems: HashMap<String, FetchError>) {
        for (account, record) in self.tenants.iter_mut() {
            record.naming = problems.remove(account);
        }
    }

    /// When the older of the two finding lists was read: a plan built from findings is that old.
    pub fn findings_read_at(&self) -> Option<DateTime<Utc>> {
        let sh = self.securityhub_findings.last().map(|l| l.at);
        let gd = self.guardduty_findings.last().map(|l| l.at);
        sh.into_iter().chain(gd).min()
    }

    pub fn tenant_by_name(&self, name: &str) -> Option<&TenantRecord> {
        self.tenants.values().find(|r| r.tenant.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::model::AwsService;
    use chrono::TimeZone;

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + secs, 0).unwrap()
    }

    /// `total` alarms, the first `firing` of them in ALARM.
    fn summary(total: u32, firing: u32) -> AlarmSummary {
        let state = |i| if i < firing { crate::alarms::AlarmState::Alarm } else { crate::alarms::AlarmState::Ok };
        AlarmSummary::of((0..total).map(|i| crate::alarms::Alarm::test(&format!("a{i}"), state(i))).collect())
    }

    fn err() -> FetchError {
        FetchError::new(AwsService::Cloudwatch, ErrorKind::Throttled, "Rate exceeded")
    }

    #[test]
    fn loading_keeps_previous_value_and_failure_keeps_it_too() {
        let mut l: Loadable<u32> = Loadable::Idle;
        l.finish(Ok(7), t(0));
        l.start_loading();
        assert_eq!(l.value(), Some(&7));
        l.finish(Err(err()), t(5));
        assert_eq!(l.value(), Some(&7));
        assert_eq!(l.last().map(|x| x.at), Some(t(0)));
        assert_eq!(l.error().map(|e| e.kind), Some(ErrorKind::Throttled));
    }

    #[test]
    fn success_after_failure_clears_error() {
        let mut l: Loadable<u32> = Loadable::Idle;
        l.finish(Err(err()), t(0));
        l.finish(Ok(1), t(1));
        assert!(l.error().is_none());
    }

    fn tenant(id: &str) -> Tenant {
        Tenant {
            name: format!("n{id}"),
            account_id: id.into(),
            region: "sa-east-1".into(),
            ecs_cluster: "c".into(),
            ecs_service: "s".into(),
            terms: Default::default(),
        }
    }

    #[test]
    fn set_tenants_keeps_known_data_and_drops_removed() {
        let mut store = Store::default();
        store.set_tenants(vec![tenant("1"), tenant("2")], t(0));
        let rec = store.tenants.get_mut("1").unwrap();
        rec.apply(Slot::Alarms, Ok(SlotValue::Alarms(summary(3, 0))), t(1));
        store.set_tenants(vec![tenant("1"), tenant("3")], t(2));
        assert_eq!(store.tenants.keys().collect::<Vec<_>>(), vec!["1", "3"]);
        assert_eq!(store.tenants["1"].alarms.value().map(|a| a.total()), Some(3));
    }

    #[test]
    fn health_is_worst_part_and_errors_make_it_unknown() {
        let mut r = TenantRecord::new(tenant("1"));
        let alarms = summary(2, 0);
        r.apply(Slot::Alarms, Ok(SlotValue::Alarms(alarms)), t(0));
        r.apply(Slot::Service, Err(FetchError::new(AwsService::Ecs, ErrorKind::Denied, "no")), t(0));
        assert_eq!(r.health(), Health::Unknown);
        let firing = summary(2, 1);
        r.apply(Slot::Alarms, Ok(SlotValue::Alarms(firing)), t(1));
        assert_eq!(r.health(), Health::Critical);
    }

    #[test]
    fn findings_sum_sources_and_are_none_without_data() {
        let mut r = TenantRecord::new(tenant("1"));
        assert_eq!(r.findings(), None);
        let sh = FindingCounts { critical: 1, high: 2, medium: 0, low: 0 };
        let gd = FindingCounts { critical: 0, high: 1, medium: 4, low: 0 };
        r.apply(Slot::SecurityHub, Ok(SlotValue::SecurityHub(Some(sh))), t(0));
        r.apply(Slot::GuardDuty, Ok(SlotValue::GuardDuty(Some(gd))), t(0));
        assert_eq!(r.findings(), Some(FindingCounts { critical: 1, high: 3, medium: 4, low: 0 }));
    }

    #[test]
    fn oldest_data_is_the_minimum_time() {
        let mut r = TenantRecord::new(tenant("1"));
        r.apply(Slot::Alarms, Ok(SlotValue::Alarms(AlarmSummary::default())), t(10));
        r.apply(Slot::Service, Ok(SlotValue::Service(None)), t(4));
        assert_eq!(r.oldest_data(), Some(t(4)));
    }

    #[test]
    fn a_naming_problem_shows_on_that_tenant_only_and_clears_on_the_next_listing() {
        let mut store = Store::default();
        store.apply(FetchEvent::TenantsListed { result: Ok(vec![tenant("1"), tenant("2")]), at: t(0) });
        let problem = FetchError::new(AwsService::Organizations, ErrorKind::Throttled, "named after the account");
        store.apply(FetchEvent::TenantNaming { problems: HashMap::from([("2".to_string(), problem.clone())]) });
        assert!(store.tenants["1"].errors().is_empty());
        assert_eq!(store.tenants["2"].errors(), [&problem]);
        store.apply(FetchEvent::TenantNaming { problems: HashMap::new() });
        assert!(store.tenants["2"].errors().is_empty());
    }
}
