//! The fleet table's columns: cell text and role per tenant, sort keys and which columns fit.
//! The TUI, the filter and the headless table all read cells from here.

use super::format::age;
use crate::column::ColumnSpec;
use crate::error::FetchError;
use crate::model::{Health, Rollout};
use crate::role::Role;
use crate::store::{Loadable, TenantRecord};
use chrono::{DateTime, Utc};
use rust_decimal::prelude::ToPrimitive;

/// A fleet table column: a typed one, or a registry column (`crate::column`) of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Tenant,
    Account,
    Region,
    Health,
    Alarms,
    Tasks,
    Rollout,
    TaskDef,
    Version,
    Window,
    Findings,
    Spend,
    Registered(ColumnSpec),
    Age,
}

impl Column {
    /// The typed columns before the registry's, in table order.
    const LEADING: [Column; 12] = [
        Column::Tenant,
        Column::Account,
        Column::Region,
        Column::Health,
        Column::Alarms,
        Column::Tasks,
        Column::Rollout,
        Column::TaskDef,
        Column::Version,
        Column::Window,
        Column::Findings,
        Column::Spend,
    ];

    /// Every column in table order: the typed ones, the registry's `registered`, then the age.
    pub fn all(registered: &[ColumnSpec]) -> Vec<Column> {
        let registry = registered.iter().map(|spec| Column::Registered(*spec));
        Column::LEADING.into_iter().chain(registry).chain([Column::Age]).collect()
    }

    pub fn title(self) -> &'static str {
        match self {
            Column::Tenant => "TENANT",
            Column::Account => "ACCOUNT",
            Column::Region => "REGION",
            Column::Health => "HEALTH",
            Column::Alarms => "ALARMS",
            Column::Tasks => "TASKS",
            Column::Rollout => "ROLLOUT",
            Column::TaskDef => "TASK DEF",
            Column::Version => "VERSION",
            Column::Window => "WINDOW",
            Column::Findings => "FINDINGS",
            Column::Spend => "SPEND",
            Column::Registered(spec) => spec.title,
            Column::Age => "AGE",
        }
    }

    pub fn width(self) -> u16 {
        match self {
            Column::Tenant => 18,
            Column::Account => 12,
            Column::Region => 10,
            Column::Health => 8,
            Column::Alarms => 8,
            Column::Tasks => 8,
            Column::Rollout => 11,
            Column::TaskDef => 20,
            Column::Version => 9,
            Column::Window => 11,
            Column::Findings => 8,
            Column::Spend => 7,
            Column::Registered(spec) => spec.width,
            Column::Age => 4,
        }
    }

    /// Lower is more important; narrow terminals drop the least important columns first.
    fn priority(self) -> u8 {
        match self {
            Column::Tenant | Column::Health | Column::Alarms | Column::Tasks => 0,
            Column::Findings | Column::Spend | Column::Age => 1,
            Column::Rollout | Column::Version => 2,
            Column::Window => 3,
            Column::Account => 3,
            Column::TaskDef => 4,
            Column::Region => 5,
            Column::Registered(spec) => spec.priority,
        }
    }

    /// The columns (of `all`, in table order) that fit in `width`.
    pub fn fitting(all: &[Column], width: u16) -> Vec<Column> {
        let mut by_priority = all.to_vec();
        by_priority.sort_by_key(|c| c.priority());
        let mut used = 0u16;
        let mut keep = Vec::new();
        for column in by_priority {
            let need = column.width() + 1;
            if used + need <= width || keep.is_empty() {
                used += need;
                keep.push(column);
            }
        }
        all.iter().copied().filter(|c| keep.contains(c)).collect()
    }

    /// The column after this one in `all` (the sort key's cycle).
    pub fn next_in(self, all: &[Column]) -> Column {
        let i = all.iter().position(|c| *c == self).unwrap_or(0);
        all.get((i + 1) % all.len().max(1)).copied().unwrap_or(Column::Tenant)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub role: Role,
}

fn cell(text: impl Into<String>, role: Role) -> Cell {
    Cell { text: text.into(), role }
}

/// The cells of `columns` for one tenant, in that order.
pub fn cells(r: &TenantRecord, columns: &[Column], now: DateTime<Utc>) -> Vec<Cell> {
    columns.iter().map(|c| column_cell(r, *c, now)).collect()
}

/// One column's cell for one tenant.
pub fn column_cell(r: &TenantRecord, column: Column, now: DateTime<Utc>) -> Cell {
    let t = &r.tenant;
    match column {
        Column::Tenant => tenant_cell(r),
        Column::Account => cell(t.account_id.clone(), Role::Muted),
        Column::Region => cell(t.region.clone(), Role::Muted),
        Column::Health => health_cell(r),
        Column::Alarms => alarms_cell(r),
        Column::Tasks => tasks_cell(r),
        Column::Rollout => rollout_cell(r),
        Column::TaskDef => task_def_cell(r),
        Column::Version => version_cell(r),
        Column::Window => window_cell(r, now),
        Column::Findings => findings_cell(r),
        Column::Spend => spend_cell(r),
        Column::Registered(spec) => registered_cell(r, &spec),
        Column::Age => age_cell(r, now),
    }
}

/// The name, marked with its account's last digits when another account carries it too.
fn tenant_cell(r: &TenantRecord) -> Cell {
    let text = crate::tenant_lookup::label(&r.tenant.name, &r.tenant.account_id, r.name_shared);
    cell(text, if r.name_shared { Role::Warning } else { Role::Text })
}

pub fn health_role(health: Health) -> Role {
    match health {
        Health::Ok => Role::Ok,
        Health::Unknown => Role::Unknown,
        Health::Warning => Role::Warning,
        Health::Critical => Role::Critical,
    }
}

fn health_cell(r: &TenantRecord) -> Cell {
    let health = r.health();
    cell(health.label(), health_role(health))
}

/// The common cases of a slot: still loading with nothing known, failed with nothing known.
fn pending_or_failed<T>(slot: &Loadable<T>) -> Option<Cell> {
    match slot {
        Loadable::Idle => Some(cell("", Role::Muted)),
        Loadable::Loading { previous: None } => Some(cell("…", Role::Muted)),
        Loadable::Failed { error, previous: None, .. } => Some(error_cell(error)),
        _ => None,
    }
}

fn error_cell(error: &FetchError) -> Cell {
    cell(format!("✗ {}", error.kind.label()), Role::Error)
}

/// A value known from an earlier refresh whose latest refresh failed is marked stale.
fn value_role<T>(slot: &Loadable<T>, fresh: Role) -> Role {
    if slot.error().is_some() {
        Role::Stale
    } else {
        fresh
    }
}

fn alarms_cell(r: &TenantRecord) -> Cell {
    if let Some(c) = pending_or_failed(&r.alarms) {
        return c;
    }
    let a = r.alarms.value().cloned().unwrap_or_default();
    let role = if a.in_alarm() > 0 {
        Role::Critical
    } else if a.insufficient_data() > 0 {
        Role::Warning
    } else {
        Role::Ok
    };
    cell(format!("{}/{}", a.in_alarm(), a.total()), value_role(&r.alarms, role))
}

fn tasks_cell(r: &TenantRecord) -> Cell {
    if let Some(c) = pending_or_failed(&r.service) {
        return c;
    }
    match r.service.value().and_then(|s| s.as_ref()) {
        None => cell("no svc", Role::Warning),
        Some(s) => {
            let role = if s.running < s.desired { Role::Warning } else { Role::Ok };
            let pending = if s.pending > 0 { format!(" +{}", s.pending) } else { String::new() };
            cell(format!("{}/{}{pending}", s.running, s.desired), value_role(&r.service, role))
        }
    }
}

fn rollout_cell(r: &TenantRecord) -> Cell {
    if let Some(c) = pending_or_failed(&r.service) {
        return c;
    }
    match r.service.value().and_then(|s| s.as_ref()) {
        None => cell("-", Role::Muted),
        Some(s) => {
            let role = match s.rollout {
                Rollout::Completed => Role::Ok,
                Rollout::InProgress => Role::Warning,
                Rollout::Failed => Role::Critical,
                Rollout::Unknown => Role::Muted,
            };
            cell(s.rollout.label(), value_role(&r.service, role))
        }
    }
}

fn task_def_cell(r: &TenantRecord) -> Cell {
    let text = r.service.value().and_then(|s| s.as_ref()).map(|s| s.task_definition.clone()).unwrap_or_default();
    cell(text, Role::Muted)
}

/// The version the tenant runs, in the warning color when its customer has not certified it.
fn version_cell(r: &TenantRecord) -> Cell {
    if let Some(c) = pending_or_failed(&r.service) {
        return c;
    }
    let version = r.service.value().and_then(|s| s.as_ref()).and_then(|s| s.version.clone());
    let uncertified = crate::terms::standing(&r.tenant).certified_ok(version.as_deref()) == Some(false);
    let role = if uncertified { Role::Warning } else { Role::Text };
    cell(version.unwrap_or_default(), value_role(&r.service, role))
}

/// `open 1h10m` while the customer's maintenance window is open, else `in 3d 4h`.
fn window_cell(r: &TenantRecord, now: DateTime<Utc>) -> Cell {
    let (text, role) = crate::terms::standing(&r.tenant).window_cell(now);
    cell(text, role)
}

fn findings_cell(r: &TenantRecord) -> Cell {
    let settled = r.securityhub.is_settled() || r.guardduty.is_settled();
    match r.findings() {
        Some(f) => {
            let role = if f.critical > 0 {
                Role::Critical
            } else if f.high > 0 {
                Role::Warning
            } else {
                Role::Ok
            };
            cell(format!("C{} H{}", f.critical, f.high), role)
        }
        None => match r.securityhub.error().or(r.guardduty.error()) {
            Some(e) => error_cell(e),
            None if settled => cell("-", Role::Muted),
            None => cell("…", Role::Muted),
        },
    }
}

fn spend_cell(r: &TenantRecord) -> Cell {
    if let Some(c) = pending_or_failed(&r.spend) {
        return c;
    }
    match r.spend.value().and_then(|s| s.as_ref()) {
        None => cell("no bdgt", Role::Muted),
        Some(s) => match s.percent() {
            None => cell("no lim", Role::Warning),
            Some(p) => {
                let over = p > rust_decimal::Decimal::ONE_HUNDRED;
                let forecast_over = s.forecast_percent().is_some_and(|f| f > rust_decimal::Decimal::ONE_HUNDRED);
                let role = if over {
                    Role::Critical
                } else if forecast_over {
                    Role::Warning
                } else {
                    Role::Ok
                };
                let mark = if forecast_over && !over { "↗" } else { "" };
                cell(format!("{}%{mark}", p.round()), value_role(&r.spend, role))
            }
        },
    }
}

/// A registry column's cell: blank when the tenant has none (no VPN, no aggregator data) or the
/// column was never read for it, else what its value says.
fn registered_cell(r: &TenantRecord, spec: &ColumnSpec) -> Cell {
    let Some(slot) = r.column(spec.name) else { return cell("", Role::Muted) };
    if let Some(c) = pending_or_failed(slot) {
        return c;
    }
    match slot.value().and_then(|v| v.as_ref()) {
        None => cell("", Role::Muted),
        Some(v) => {
            let (shown, role) = v.data().cell();
            cell(shown, value_role(slot, role))
        }
    }
}

fn age_cell(r: &TenantRecord, now: DateTime<Utc>) -> Cell {
    match r.oldest_data() {
        None => cell("", Role::Muted),
        Some(at) => {
            let stale = !r.errors().is_empty();
            cell(age(at, now), if stale { Role::Stale } else { Role::Muted })
        }
    }
}

/// A sortable key: numbers compare as numbers, missing values sort as the lowest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SortKey {
    Missing,
    Number(i64),
    Text(String),
}

pub fn sort_key(r: &TenantRecord, column: Column, now: DateTime<Utc>) -> SortKey {
    let service = r.service.value().and_then(|s| s.as_ref());
    let num = |v: Option<i64>| v.map(SortKey::Number).unwrap_or(SortKey::Missing);
    match column {
        Column::Tenant => SortKey::Text(r.tenant.name.to_lowercase()),
        Column::Account => SortKey::Text(r.tenant.account_id.clone()),
        Column::Region => SortKey::Text(r.tenant.region.clone()),
        Column::Health => SortKey::Number(r.health() as i64),
        Column::Alarms => num(r.alarms.value().map(|a| i64::from(a.in_alarm()) * 10_000 + i64::from(a.total()))),
        Column::Tasks => num(service.map(|s| i64::from(s.desired - s.running))),
        Column::Rollout => num(service.map(|s| s.rollout as i64)),
        Column::TaskDef => service.map(|s| SortKey::Text(s.task_definition.clone())).unwrap_or(SortKey::Missing),
        Column::Version => service.and_then(|s| s.version.clone()).map(SortKey::Text).unwrap_or(SortKey::Missing),
        Column::Window => num(window_minutes(r, now)),
        Column::Findings => num(r.findings().map(|f| i64::from(f.critical) * 1_000_000 + i64::from(f.high))),
        Column::Spend => num(r
            .spend
            .value()
            .and_then(|s| s.as_ref())
            .and_then(|s| s.percent())
            .and_then(|p| (p * rust_decimal::Decimal::TEN).to_i64())),
        Column::Registered(spec) => {
            let value = r.column(spec.name).and_then(|slot| slot.value()).and_then(|v| v.as_ref());
            num(value.map(|v| v.data().sort_key()))
        }
        Column::Age => num(r.oldest_data().map(|at| (now - at).num_seconds())),
    }
}

/// Minutes until the window closes (negative: open, sorts first) or next opens.
fn window_minutes(r: &TenantRecord, now: DateTime<Utc>) -> Option<i64> {
    let window = crate::terms::standing(&r.tenant).window?.ok()?;
    match window.open_at(now) {
        Some(open) => Some(-(open.end - now).num_minutes()),
        None => window.next_after(now).map(|n| (n.start - now).num_minutes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_terminals_keep_the_essential_columns_in_order() {
        let all = Column::all(&[
            crate::vpn::COLUMN,
            crate::queue::COLUMN,
            crate::aws_health::COLUMN,
            crate::compliance::COLUMN,
        ]);
        let cols = Column::fitting(&all, 78);
        assert_eq!(&cols[..4], &[Column::Tenant, Column::Health, Column::Alarms, Column::Tasks]);
        assert!(!cols.contains(&Column::Region));
        assert!(!cols.contains(&Column::Registered(crate::compliance::COLUMN)), "priority 5 goes first");
        let wide = Column::fitting(&all, 200);
        assert_eq!(wide, all);
    }

    #[test]
    fn the_sort_cycle_runs_through_the_registry_and_back() {
        let all = Column::all(&[crate::vpn::COLUMN]);
        assert_eq!(Column::Spend.next_in(&all), Column::Registered(crate::vpn::COLUMN));
        assert_eq!(Column::Registered(crate::vpn::COLUMN).next_in(&all), Column::Age);
        assert_eq!(Column::Age.next_in(&all), Column::Tenant);
    }

    #[test]
    fn sort_keys_put_missing_values_lowest() {
        assert!(SortKey::Missing < SortKey::Number(-5));
        assert!(SortKey::Number(2) < SortKey::Number(10));
    }
}
