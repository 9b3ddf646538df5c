//! The fleet table's columns: cell text and role per tenant, sort keys and which columns fit.
//! The TUI, the filter and the headless table all read cells from here.

use super::format::age;
use crate::error::FetchError;
use crate::model::{Health, Rollout};
use crate::role::Role;
use crate::store::{Loadable, TenantRecord};
use chrono::{DateTime, Utc};
use rust_decimal::prelude::ToPrimitive;

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
    Vpn,
    AwsHealth,
    Compliance,
    Age,
}

impl Column {
    pub const ALL: [Column; 16] = [
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
        Column::Vpn,
        Column::AwsHealth,
        Column::Compliance,
        Column::Age,
    ];

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
            Column::Vpn => "VPN",
            Column::AwsHealth => "AWS",
            Column::Compliance => "COMPLIANCE",
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
            Column::Vpn => 8,
            Column::AwsHealth => 6,
            Column::Compliance => 21,
            Column::Age => 4,
        }
    }

    /// Lower is more important; narrow terminals drop the least important columns first.
    fn priority(self) -> u8 {
        match self {
            Column::Tenant | Column::Health | Column::Alarms | Column::Tasks => 0,
            Column::Findings | Column::Spend | Column::Age => 1,
            Column::Rollout | Column::Vpn | Column::Version => 2,
            Column::Window => 3,
            Column::Account | Column::AwsHealth => 3,
            Column::TaskDef => 4,
            Column::Region | Column::Compliance => 5,
        }
    }

    /// The columns that fit in `width`, in table order.
    pub fn fitting(width: u16) -> Vec<Column> {
        let mut by_priority = Column::ALL.to_vec();
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
        Column::ALL.into_iter().filter(|c| keep.contains(c)).collect()
    }
}

/// How a typed tenant is found (`:t`, the query form's `tenant`): its exact name (any case) or
/// account id, else the only tenant whose name contains it (any case); None when there is no such
/// tenant or several.
pub fn resolve<'a, T>(
    items: &'a [T],
    wanted: &str,
    name: impl Fn(&T) -> &str,
    account: impl Fn(&T) -> &str,
) -> Option<&'a T> {
    let lower = wanted.trim().to_lowercase();
    if lower.is_empty() {
        return None;
    }
    let exact = items.iter().find(|t| name(t).to_lowercase() == lower || account(t) == wanted.trim());
    let mut partial = items.iter().filter(|t| name(t).to_lowercase().contains(&lower));
    exact.or_else(|| match (partial.next(), partial.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    })
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub role: Role,
}

fn cell(text: impl Into<String>, role: Role) -> Cell {
    Cell { text: text.into(), role }
}

/// Every column's cell for one tenant, indexed by `Column as usize`.
pub fn cells(r: &TenantRecord, now: DateTime<Utc>) -> Vec<Cell> {
    let t = &r.tenant;
    vec![
        cell(t.name.clone(), Role::Text),
        cell(t.account_id.clone(), Role::Muted),
        cell(t.region.clone(), Role::Muted),
        health_cell(r),
        alarms_cell(r),
        tasks_cell(r),
        rollout_cell(r),
        task_def_cell(r),
        version_cell(r),
        window_cell(r, now),
        findings_cell(r),
        spend_cell(r),
        vpn_cell(r),
        aws_health_cell(r),
        compliance_cell(r),
        age_cell(r, now),
    ]
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

/// A slot whose value may not exist (no VPN, no aggregator data): blank then, else its cell.
fn optional_cell<T>(slot: &Loadable<Option<T>>, text: impl Fn(&T) -> (String, Role)) -> Cell {
    if let Some(c) = pending_or_failed(slot) {
        return c;
    }
    match slot.value().and_then(|v| v.as_ref()) {
        None => cell("", Role::Muted),
        Some(v) => {
            let (shown, role) = text(v);
            cell(shown, value_role(slot, role))
        }
    }
}

/// `2/2 up`, `1/2`, `0/2`; blank when the tenant has no VPN connection.
fn vpn_cell(r: &TenantRecord) -> Cell {
    optional_cell(&r.vpn, crate::vpn::VpnStatus::cell)
}

/// The marker of tenants affected by open AWS Health events; blank when none is.
fn aws_health_cell(r: &TenantRecord) -> Cell {
    if let Some(c) = pending_or_failed(&r.aws_health) {
        return c;
    }
    match r.aws_health.value().copied().flatten() {
        None | Some(0) => cell("", Role::Muted),
        Some(n) => cell(format!("{n} open"), value_role(&r.aws_health, Role::Warning)),
    }
}

/// `3 rules non-compliant`, `12 compliant`; blank without aggregator data.
fn compliance_cell(r: &TenantRecord) -> Cell {
    optional_cell(&r.compliance, crate::compliance::TenantCompliance::cell)
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
        Column::Vpn => num(r.vpn.value().and_then(|v| v.as_ref()).map(|v| (v.tunnels_total() - v.tunnels_up()) as i64)),
        Column::AwsHealth => num(r.aws_health.value().copied().flatten().map(i64::from)),
        Column::Compliance => {
            num(r.compliance.value().and_then(|c| c.as_ref()).map(|c| i64::from(c.noncompliant_rules)))
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
        let cols = Column::fitting(78);
        assert_eq!(&cols[..4], &[Column::Tenant, Column::Health, Column::Alarms, Column::Tasks]);
        assert!(!cols.contains(&Column::Region));
        let wide = Column::fitting(200);
        assert_eq!(wide, Column::ALL.to_vec());
    }

    #[test]
    fn sort_keys_put_missing_values_lowest() {
        assert!(SortKey::Missing < SortKey::Number(-5));
        assert!(SortKey::Number(2) < SortKey::Number(10));
    }
}
