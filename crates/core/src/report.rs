//! The headless fleet report: the JSON contract of docs/cli.md, CSV for spreadsheets and a plain
//! table, all read from the same `Store` the TUI renders.

use crate::error::FetchError;
use crate::fleet::{cells, Column};
use crate::model::{FindingCounts, Health, ServiceSummary};
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
    /// Null when the tenant has no VPN connection (or it could not be read: see `errors`).
    pub vpn: Option<crate::vpn::VpnReport>,
    /// Open or upcoming AWS Health events affecting the account; null without `[health]`.
    pub aws_health_events: Option<u32>,
    /// Config rule counts from the aggregator; null without `[compliance]`.
    pub compliance: Option<ComplianceCounts>,
}

#[derive(Debug, Serialize)]
pub struct ComplianceCounts {
    pub noncompliant_rules: u32,
    pub compliant_rules: u32,
    /// Config capped the count: the real number is larger (added fields).
    pub noncompliant_rules_capped: bool,
    pub compliant_rules_capped: bool,
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

#[derive(Debug, Serialize)]
pub struct ErrorReport {
    pub source: &'static str,
    pub message: String,
    /// denied, throttled, timed_out, not_found, unreachable, other (added field).
    pub kind: crate::error::ErrorKind,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl FleetReport {
    pub fn from_store(store: &Store, now: DateTime<Utc>) -> FleetReport {
        let mut tenants: Vec<TenantReport> = store.tenants.values().map(tenant_report).collect();
        tenants.sort_by(|a, b| a.name.cmp(&b.name).then(a.account_id.cmp(&b.account_id)));
        FleetReport { generated_at: rfc3339(now), tenants }
    }
}

fn tenant_report(r: &TenantRecord) -> TenantReport {
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
        errors: errors(r),
        data_at: r.oldest_data().map(rfc3339),
        vpn: r.vpn.value().and_then(|v| v.as_ref()).map(crate::vpn::VpnStatus::report),
        aws_health_events: r.aws_health.value().copied().flatten(),
        compliance: r.compliance.value().and_then(|c| c.as_ref()).map(|c| ComplianceCounts {
            noncompliant_rules: c.noncompliant_rules,
            compliant_rules: c.compliant_rules,
            noncompliant_rules_capped: c.noncompliant_capped,
            compliant_rules_capped: c.compliant_capped,
        }),
    }
}

/// Every failed read, and a service that was read and is not there: a script must be able to
/// tell "no service" from "not read yet" (the `service` field is null for both).
fn errors(r: &TenantRecord) -> Vec<ErrorReport> {
    let mut out: Vec<ErrorReport> = r.errors().into_iter().map(error_report).collect();
    if matches!(r.service.value(), Some(None)) {
        let t = &r.tenant;
        let message = format!("ECS service {} not found in cluster {}", t.ecs_service, t.ecs_cluster);
        out.push(ErrorReport { source: "ecs", message, kind: crate::error::ErrorKind::NotFound });
    }
    out
}

fn error_report(e: &FetchError) -> ErrorReport {
    ErrorReport { source: e.service.as_str(), message: e.message.clone(), kind: e.kind }
}

pub fn to_json(report: &FleetReport) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

pub const CSV_COLUMNS: [&str; 27] = [
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
    "vpn_tunnels_up",
    "vpn_tunnels_total",
    "aws_health_events",
    "compliance_noncompliant_rules",
];

/// RFC 4180 CSV with a stable column order; text cells that a spreadsheet would run as a formula
/// are neutralized with a leading apostrophe.
pub fn to_csv(report: &FleetReport) -> Result<String, csv::Error> {
    let mut writer = crate::text::csv_writer();
    writer.write_record(CSV_COLUMNS)?;
    for t in &report.tenants {
        writer.write_record(csv_row(t))?;
    }
    let bytes = writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn csv_row(t: &TenantReport) -> Vec<String> {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let s = t.service.as_ref();
    let f = t.findings.as_ref();
    let p = t.spend.as_ref();
    let errors: Vec<String> = t.errors.iter().map(|e| format!("{}: {}", e.source, e.message)).collect();
    vec![
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
        opt(t.vpn.as_ref().map(|v| v.tunnels_up.to_string())),
        opt(t.vpn.as_ref().map(|v| v.tunnels_total.to_string())),
        opt(t.aws_health_events.map(|n| n.to_string())),
        opt(t.compliance.as_ref().map(|c| c.noncompliant_rules.to_string())),
    ]
}

/// A plain aligned table (no colors) with every fleet column.
pub fn to_table(store: &Store, now: DateTime<Utc>) -> String {
    let mut records: Vec<&TenantRecord> = store.tenants.values().collect();
    records.sort_by(|a, b| a.tenant.name.cmp(&b.tenant.name));
    let rows: Vec<Vec<String>> = records.iter().map(|r| cells(r, now).into_iter().map(|c| c.text).collect()).collect();
    let titles: Vec<String> = Column::ALL.iter().map(|c| c.title().to_string()).collect();
    let mut out = vec![aligned(&titles, &rows)];
    let errors: Vec<String> =
        records.iter().flat_map(|r| r.errors().into_iter().map(move |e| format!("{}: {e}", r.tenant.name))).collect();
    if !errors.is_empty() {
        out.push(String::new());
        out.extend(errors.into_iter().map(|e| e + "\n"));
    }
    out.join("\n")
}
