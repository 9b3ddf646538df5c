//! The headless fleet report: the JSON contract of docs/cli.md, CSV for spreadsheets and a plain
//! table, all read from the same `Store` the TUI renders.

use crate::column::ColumnSpec;
use crate::findings::FindingCounts;
use crate::fleet::{cells, Column};
use crate::model::{Health, ServiceSummary};
use crate::read_errors::{self, ErrorReport};
use crate::store::{Store, TenantRecord};
use crate::text::{aligned, safe_text};
use chrono::{DateTime, SecondsFormat, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct FleetReport {
    pub generated_at: String,
    pub tenants: Vec<TenantReport>,
}

#[derive(Debug, Serialize)]
pub struct TenantReport {
    pub name: String,
    pub account_id: String,
    pub region: String,
    pub health: Health,
    pub alarms: Option<AlarmCounts>,
    pub service: Option<ServiceSummary>,
    pub findings: Option<FindingCounts>,
    pub spend: Option<SpendReport>,
    pub errors: Vec<ErrorReport>,
    /// Time of the oldest data in this row (added field: "data age").
    pub data_at: Option<String>,
    /// Another account of the fleet carries the same name (added field): refer to this tenant
    /// by `account_id` (`--tenant` refuses the name).
    pub name_shared: bool,
    /// The registry columns' fields, in registry order: `vpn` (null without a VPN connection),
    /// `aws_health_events` (null without `[health]`), `compliance` (null without
    /// `[compliance]`)… each null too when it could not be read (see `errors`).
    #[serde(flatten)]
    pub columns: RegisteredFields,
}

/// The registry columns of one tenant: each JSON field with its value, and its CSV cells.
#[derive(Debug, Default)]
pub struct RegisteredFields {
    json: Vec<(&'static str, serde_json::Value)>,
    csv: Vec<String>,
}

impl RegisteredFields {
    fn of(r: &TenantRecord, specs: &[ColumnSpec]) -> RegisteredFields {
        let mut fields = RegisteredFields::default();
        for spec in specs {
            let value = r.column(spec.name).and_then(|slot| slot.value()).and_then(|v| v.as_ref());
            let data = value.map(|v| v.data());
            fields.json.push((spec.json, data.map(|d| d.report()).unwrap_or_default()));
            let mut cells = data.map(|d| d.csv()).unwrap_or_default();
            cells.resize(spec.csv.len(), String::new());
            fields.csv.extend(cells);
        }
        fields
    }
}

impl Serialize for RegisteredFields {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.json.len()))?;
        for (name, value) in &self.json {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

#[derive(Debug, Serialize)]
pub struct AlarmCounts {
    pub total: u32,
    pub in_alarm: u32,
}

#[derive(Debug, Serialize)]
pub struct SpendReport {
    #[serde(with = "rust_decimal::serde::float")]
    pub actual: Decimal,
    #[serde(with = "rust_decimal::serde::float")]
    pub limit: Decimal,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub forecast: Option<Decimal>,
    pub unit: String,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub percent: Option<Decimal>,
    /// Added fields: the budget's name, forecast as % of the limit, crossed thresholds.
    pub budget: String,
    #[serde(with = "rust_decimal::serde::float_option")]
    pub forecast_percent: Option<Decimal>,
    pub breached: Vec<String>,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl FleetReport {
    pub fn from_store(store: &Store, now: DateTime<Utc>) -> FleetReport {
        let mut tenants: Vec<TenantReport> = store.tenants.values().map(|r| tenant_report(r, &store.columns)).collect();
        tenants.sort_by(|a, b| a.name.cmp(&b.name).then(a.account_id.cmp(&b.account_id)));
        FleetReport { generated_at: rfc3339(now), tenants }
    }
}

fn tenant_report(r: &TenantRecord, columns: &[ColumnSpec]) -> TenantReport {
    TenantReport {
        name: r.tenant.name.clone(),
        account_id: r.tenant.account_id.clone(),
        region: r.tenant.region.clone(),
        health: r.health(),
        alarms: r.alarms.value().map(|a| AlarmCounts { total: a.total(), in_alarm: a.in_alarm() }),
        service: r.service.value().cloned().flatten(),
        findings: r.findings(),
        spend: r.spend.value().and_then(|s| s.as_ref()).map(|s| SpendReport {
            actual: s.actual,
            limit: s.limit,
            forecast: s.forecast,
            unit: s.unit.clone(),
            percent: s.percent(),
            budget: s.budget.clone(),
            forecast_percent: s.forecast_percent(),
            breached: s.breached.iter().map(|b| b.label(&s.unit)).collect(),
        }),
        errors: read_errors::of_tenant(r),
        data_at: r.oldest_data().map(rfc3339),
        name_shared: r.name_shared,
        columns: RegisteredFields::of(r, columns),
    }
}

pub fn to_json(report: &FleetReport) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// The typed columns of the CSV, before the registry's (`ColumnSpec::csv`).
pub const CSV_COLUMNS: [&str; 23] = [
    "name",
    "account_id",
    "region",
    "health",
    "alarms_total",
    "alarms_in_alarm",
    "cluster",
    "service",
    "desired",
    "running",
    "pending",
    "task_definition",
    "rollout",
    "findings_critical",
    "findings_high",
    "findings_medium",
    "findings_low",
    "spend_actual",
    "spend_limit",
    "spend_forecast",
    "spend_unit",
    "spend_percent",
    "errors",
];

/// The CSV's header: the typed columns, then each registry column's.
pub fn csv_columns(registered: &[ColumnSpec]) -> Vec<&'static str> {
    CSV_COLUMNS.into_iter().chain(registered.iter().flat_map(|s| s.csv.iter().copied())).collect()
}

/// RFC 4180 CSV with a stable column order; text cells that a spreadsheet would run as a formula
/// are neutralized with a leading apostrophe.
pub fn to_csv(report: &FleetReport, registered: &[ColumnSpec]) -> Result<String, csv::Error> {
    let mut writer = crate::text::csv_writer();
    writer.write_record(csv_columns(registered))?;
    for t in &report.tenants {
        writer.write_record(csv_row(t))?;
    }
    crate::text::csv_text(writer)
}

fn csv_row(t: &TenantReport) -> Vec<String> {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let s = t.service.as_ref();
    let f = t.findings.as_ref();
    let p = t.spend.as_ref();
    let errors: Vec<String> = t.errors.iter().map(|e| format!("{}: {}", e.source, e.message)).collect();
    let typed = vec![
        safe_text(&t.name),
        safe_text(&t.account_id),
        safe_text(&t.region),
        t.health.label().into(),
        opt(t.alarms.as_ref().map(|a| a.total.to_string())),
        opt(t.alarms.as_ref().map(|a| a.in_alarm.to_string())),
        opt(s.map(|s| safe_text(&s.cluster))),
        opt(s.map(|s| safe_text(&s.name))),
        opt(s.map(|s| s.desired.to_string())),
        opt(s.map(|s| s.running.to_string())),
        opt(s.map(|s| s.pending.to_string())),
        opt(s.map(|s| safe_text(&s.task_definition))),
        opt(s.map(|s| s.rollout.label().to_string())),
        opt(f.map(|f| f.critical.to_string())),
        opt(f.map(|f| f.high.to_string())),
        opt(f.map(|f| f.medium.to_string())),
        opt(f.map(|f| f.low.to_string())),
        opt(p.map(|p| p.actual.to_string())),
        opt(p.map(|p| p.limit.to_string())),
        opt(p.and_then(|p| p.forecast).map(|v| v.to_string())),
        opt(p.map(|p| safe_text(&p.unit))),
        opt(p.and_then(|p| p.percent).map(|v| v.to_string())),
        safe_text(&errors.join("; ")),
    ];
    typed.into_iter().chain(t.columns.csv.iter().map(|c| safe_text(c))).collect()
}

/// A plain aligned table (no colors) with every fleet column.
pub fn to_table(store: &Store, now: DateTime<Utc>) -> String {
    let mut records: Vec<&TenantRecord> = store.tenants.values().collect();
    records.sort_by(|a, b| a.tenant.name.cmp(&b.tenant.name));
    let columns = Column::all(&store.columns);
    let text = |r: &&TenantRecord| cells(r, &columns, now).into_iter().map(|c| c.text).collect();
    let rows: Vec<Vec<String>> = records.iter().map(text).collect();
    let titles: Vec<String> = columns.iter().map(|c| c.title().to_string()).collect();
    let mut out = vec![aligned(&titles, &rows)];
    let errors: Vec<String> =
        records.iter().flat_map(|r| r.errors().into_iter().map(move |e| format!("{}: {e}", r.tenant.name))).collect();
    if !errors.is_empty() {
        out.push(String::new());
        out.extend(errors.into_iter().map(|e| e + "\n"));
    }
    out.join("\n")
}
