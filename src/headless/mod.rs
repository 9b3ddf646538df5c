//! Headless twins of the screens: run the same fetch layer into a `Store`, print, exit.

/// `eprintln!` that never panics: on a dead terminal (an SSH drop) writing to stderr fails, and a
/// panic there would leave an action sequence running unattended. What cannot be said is dropped.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that never panics (progress lines), as `say!`.
macro_rules! say_inline {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut err = std::io::stderr();
        let _ = write!(err, $($arg)*);
        let _ = err.flush();
    }};
}

pub mod across;
pub mod aws_health;
pub mod column_report;
pub mod commands;
pub mod compare;
pub mod compliance;
pub mod confirm;
pub mod deploy;
pub mod doctor;
pub mod findings;
pub mod governance;
pub mod metrics_context;
pub mod query;
pub mod read_errors;
pub mod releases;
pub mod rollouts;
pub mod schedule;
pub mod schedule_probe;
pub mod timeline;

use crate::cli::Format;
use anyhow::{bail, Result};
use chrono::Utc;
use silo_core::fleet_progress::Progress;
use silo_core::report::{self, FleetReport};
use silo_core::source::FleetSource;
use silo_core::store::FetchEvent;
use silo_core::store::{Slot, Store, TenantRecord};
use silo_engine::{Fetcher, Limiter};
use std::io::{IsTerminal, Write};
use std::sync::Arc;

/// Fetches the whole fleet once. Per-tenant failures are data; a fleet that could not be listed
/// at all is an error.
pub async fn collect_fleet(source: Arc<dyn FleetSource>, limiter: Arc<Limiter>) -> Result<Store> {
    let slots = Slot::all(&source.columns());
    collect(source, limiter, &slots).await
}

/// Fetches only `slots` of every tenant (plus the tenant list).
pub async fn collect(source: Arc<dyn FleetSource>, limiter: Arc<Limiter>, slots: &[Slot]) -> Result<Store> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let fetcher = Fetcher::new(source, limiter, tx);
    let task = fetcher.spawn_refresh_of(slots, true);
    drop(fetcher);
    let mut store = Store::default();
    let progress = std::io::stderr().is_terminal();
    while let Some(event) = rx.recv().await {
        let finished = matches!(event, FetchEvent::RefreshFinished { .. });
        store.apply(event);
        if progress {
            report_progress(&store);
        }
        if finished {
            break;
        }
    }
    task.await?;
    if progress {
        say_inline!("\r\x1b[2K");
    }
    if let Some(error) = store.tenant_list.error() {
        bail!("could not list the fleet: {error}");
    }
    Ok(store)
}

fn report_progress(store: &Store) {
    let p = Progress::of(store);
    say_inline!("\r\x1b[2K{}/{} tenants loaded", p.loaded, p.total);
}

pub fn print_fleet(store: &Store, format: Format) -> Result<()> {
    let now = Utc::now();
    let text = match format {
        Format::Json => report::to_json(&FleetReport::from_store(store, now)) + "\n",
        Format::Csv => report::to_csv(&FleetReport::from_store(store, now), &store.columns)?,
        Format::Table => report::to_table(store, now),
    };
    write_stdout(&text)
}

/// Reads Cost Explorer for the tenants without a budget and says on stderr what it cost.
pub async fn add_cost_explorer(store: &mut Store, source: Arc<dyn FleetSource>, limiter: Arc<Limiter>) -> Result<()> {
    let accounts: Vec<String> = store
        .tenants
        .values()
        .filter(|r| matches!(r.spend.value(), Some(None)))
        .map(|r| r.tenant.account_id.clone())
        .collect();
    if accounts.is_empty() {
        return Ok(());
    }
    let (service, billing) = source.org_account(Slot::Spend);
    let report = limiter.run(service, &billing, silo_engine::ORG_WIDE_PAGES, source.cost_explorer(accounts)).await?;
    let cost = rust_decimal::Decimal::from(report.requests) * silo_core::spend::USD_PER_REQUEST;
    say!("Cost Explorer: {} request(s), ${cost}", report.requests);
    store.apply(silo_core::store::FetchEvent::CostExplorer { result: Ok(report), at: Utc::now() });
    Ok(())
}

/// `silo spend`: every tenant, or the one named by `--tenant`.
pub fn print_spend(store: &Store, tenant: Option<&str>, format: Format) -> Result<()> {
    let mut entries = silo_core::spend::entries(store);
    if let Some(name) = tenant {
        let record = find_tenant(store, name)?;
        entries.retain(|e| e.account_id == record.tenant.account_id);
    }
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&entries)? + "\n",
        Format::Csv => silo_core::spend::to_csv(&entries)?,
        Format::Table => silo_core::spend::to_table(&entries),
    };
    write_stdout(&text)
}

pub fn write_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// `silo alarms`: every alarm (of one state, of one tenant). Tenants whose alarms could not be
/// read are named on stderr: their absence from the list is not silence.
pub fn print_alarms(
    store: &Store,
    state: Option<silo_core::alarms::AlarmState>,
    tenant: Option<&str>,
    format: Format,
) -> Result<()> {
    let mut rows = silo_core::alarms::rows(store.alarm_summaries(), state);
    let chosen = tenant.map(|name| find_tenant(store, name)).transpose()?.map(|r| r.tenant.account_id.as_str());
    if let Some(account) = chosen {
        rows.retain(|r| r.account_id == account);
    }
    for r in store.tenants.values().filter(|r| chosen.is_none_or(|a| r.tenant.account_id == a)) {
        if let Some(e) = r.alarms.error() {
            say!("silo: {}: alarms not read: {e}", r.tenant.name);
        }
    }
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&rows)? + "\n",
        Format::Csv => silo_core::alarms::to_csv(&rows)?,
        Format::Table => silo_core::alarms::to_table(&rows, Utc::now()),
    };
    write_stdout(&text)
}

/// What `silo metrics` draws beside the series: the tenant's alarms (their thresholds) and the
/// range's events.
pub struct Context<'a> {
    pub alarms: &'a [silo_core::alarms::Alarm],
    pub events: &'a [silo_core::timeline::Event],
}

/// `silo metrics`: JSON document, long-format CSV (one row per point) or a summary table.
pub fn print_metrics(tenant: &str, d: &silo_core::metrics::Dashboard, context: Context, format: Format) -> Result<()> {
    if let Some(note) = &d.note {
        say!("silo: {note}");
    }
    for kind in &d.missing {
        say!("silo: {tenant} has no {}: its panels are left out", kind.label());
    }
    let text = match format {
        Format::Json => {
            let report = silo_core::metrics::MetricsReport {
                tenant,
                range: d.range,
                series: silo_core::metrics::SeriesReport::all(d, context.alarms),
                period_seconds: d.period_seconds,
                missing: &d.missing,
                events: context.events,
            };
            serde_json::to_string_pretty(&report)? + "\n"
        }
        Format::Csv => {
            let mut w = silo_core::text::csv_writer();
            w.write_record(["id", "label", "namespace", "metric", "stat", "unit", "resource", "t", "v"])?;
            for s in &d.series {
                for p in &s.points {
                    let v = p.v.to_string();
                    w.write_record([
                        &s.id,
                        &s.label,
                        &s.namespace,
                        &s.metric,
                        &s.stat,
                        &s.unit,
                        &silo_core::text::safe_text(&s.resource),
                        &p.t,
                        &v,
                    ])?;
                }
            }
            String::from_utf8_lossy(&w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?).into_owned()
        }
        Format::Table => {
            let titles = ["PANEL", "RESOURCE", "LAST", "MIN", "MAX", "UNIT", "STATUS"].map(String::from);
            let num = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "-".into());
            let rows: Vec<Vec<String>> = d
                .series
                .iter()
                .map(|s| {
                    let (lo, hi) = s.min_max().map_or((None, None), |(a, b)| (Some(a), Some(b)));
                    let status = serde_json::to_value(&s.status)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default();
                    vec![s.label.clone(), s.resource.clone(), num(s.last()), num(lo), num(hi), s.unit.clone(), status]
                })
                .collect();
            silo_core::text::aligned(&titles, &rows)
        }
    };
    write_stdout(&text)
}

/// `silo audit`: the journal, oldest first. A damaged line is an error naming file and line.
/// The journal, oldest first; lines that are not entries are skipped and named on stderr.
/// `silo audit [--all]`: the current file's entries, or every file's (rotated ones first).
pub fn print_audit(format: Format, all: bool) -> Result<()> {
    let journal = silo_core::journal::Journal::at(silo_core::journal::Journal::default_path());
    let read = if all { journal.read_all_lenient() } else { journal.read_lenient() };
    let (entries, bad) = read.map_err(anyhow::Error::msg)?;
    for line in &bad {
        say!("skipped {line}");
    }
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&entries)? + "\n",
        Format::Csv => audit_csv(&entries)?,
        Format::Table => {
            let titles = ["TIME", "MODE", "TENANTS", "API", "IDS", "RESULT", "IDENTITY"].map(String::from);
            let rows: Vec<Vec<String>> = entries.iter().map(audit_cells).collect();
            silo_core::text::aligned(&titles, &rows)
        }
    };
    write_stdout(&text)
}

/// `silo audit verify [--head HASH]`: exit 0 when the chain is intact (and holds the head kept
/// elsewhere), 1 naming the first bad line.
pub fn verify_audit(kept: Option<&str>) -> Result<()> {
    let journal = silo_core::journal::Journal::at(silo_core::journal::Journal::default_path());
    let lines =
        journal.verify_against(kept).map_err(|why| anyhow::anyhow!("the audit journal is not intact: {why}"))?;
    let held = if kept.is_some() { ", and it holds the head kept elsewhere" } else { "" };
    let files = journal.files().map(|f| f.len()).unwrap_or(1);
    let rotated = match files {
        1 => String::new(),
        n => format!(" (through {} rotated files and this one)", n - 1),
    };
    write_stdout(&format!("{}: {lines} entries, chain intact{held}{rotated}\n", journal.path().display()))
}

/// `silo audit head`: `COUNT HASH` of the verified journal, to keep off this machine.
pub fn print_audit_head() -> Result<()> {
    let journal = silo_core::journal::Journal::at(silo_core::journal::Journal::default_path());
    let (count, hash) = journal.head().map_err(|why| anyhow::anyhow!("no head to keep: {why}"))?;
    write_stdout(&format!("{count} {hash}\n"))
}

fn audit_cells(e: &silo_core::journal::JournalEntry) -> Vec<String> {
    let tenants: Vec<String> = e.tenants.iter().map(|t| t.clone().unwrap_or_else(|| "(non-tenant)".into())).collect();
    let mode = serde_json::to_value(e.mode).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    vec![
        e.time.clone(),
        mode,
        tenants.join(","),
        e.api.clone(),
        e.ids.len().to_string(),
        e.result_and_overrides(),
        e.identity.clone(),
    ]
}

fn audit_csv(entries: &[silo_core::journal::JournalEntry]) -> Result<String> {
    let mut writer = silo_core::text::csv_writer();
    writer.write_record([
        "time",
        "mode",
        "tenants",
        "api",
        "ids",
        "result",
        "identity",
        "account",
        "region",
        "request_ids",
    ])?;
    for e in entries {
        let mut cells = audit_cells(e);
        cells[4] = e.ids.join(";");
        cells.extend([e.account.clone(), e.region.clone(), e.request_ids.join(";")]);
        writer.write_record(cells.iter().map(|c| silo_core::text::safe_text(c)))?;
    }
    Ok(String::from_utf8_lossy(&writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?).into_owned())
}

/// The tenant `wanted` names: its account id, or a name one account carries (`tenant_lookup`,
/// the rule of `:t`); otherwise why not, naming the close names or every account with the name.
pub fn find_tenant<'a>(store: &'a Store, wanted: &str) -> Result<&'a TenantRecord> {
    Ok(store.find_tenant(wanted)?)
}

/// The tenant of `tenants` that `wanted` names, by the same rule as `find_tenant`.
pub fn find_in<'a>(tenants: &'a [silo_core::model::Tenant], wanted: &str) -> Result<&'a silo_core::model::Tenant> {
    Ok(silo_core::tenant_lookup::find(tenants, wanted, |t| &t.name, |t| &t.account_id)?)
}

/// Until the returned task is aborted: the first SIGINT, SIGTERM or SIGHUP asks `actions` to
/// start nothing more (the call in progress finishes and is journaled), and says so on stderr.
pub fn abort_on_signal(actions: silo_core::actions::Actions) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        signalled().await;
        // Abort first: the note below may not reach a terminal that is gone.
        actions.abort_pending();
        say!("stopping: the call in progress finishes; nothing after it starts");
    })
}

/// Resolves on SIGINT, SIGTERM or SIGHUP. Once silo listens for them (`abort_on_signal`) they no
/// longer end the process by themselves, so every later wait must listen too.
pub async fn signalled() {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut hup)) = (signal(SignalKind::terminate()), signal(SignalKind::hangup())) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
        _ = hup.recv() => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_tenant_error_lists_close_names() {
        let store = silo_fixtures::store();
        let err = find_tenant(&store, "globx").unwrap_err().to_string();
        assert_eq!(err, "unknown tenant \"globx\"; did you mean globex?");
        assert!(find_tenant(&store, "100000000001").is_ok(), "account ids work too");
    }

    #[test]
    fn a_name_two_accounts_carry_is_refused_and_each_is_found_by_account_id() {
        let mut store = silo_fixtures::store();
        let mut tenants: Vec<silo_core::model::Tenant> = store.tenants.values().map(|r| r.tenant.clone()).collect();
        let globex = tenants.iter().find(|t| t.name == "globex").cloned().expect("fixture tenant");
        tenants.push(silo_core::model::Tenant { account_id: "100000000099".into(), ..globex.clone() });
        store.set_tenants(tenants.clone(), chrono::Utc::now());
        let err = find_tenant(&store, "globex").unwrap_err().to_string();
        let both = format!("globex ({}), globex (100000000099)", globex.account_id);
        assert!(err.starts_with("2 accounts are named \"globex\": ") && err.contains(&both), "{err}");
        assert_eq!(find_in(&tenants, "globex").unwrap_err().to_string(), err, "one rule for both lists");
        let second = find_tenant(&store, "100000000099").map(|r| r.tenant.account_id.clone());
        assert_eq!(second.ok().as_deref(), Some("100000000099"));
        assert!(store.tenants.values().filter(|r| r.tenant.name == "globex").all(|r| r.name_shared));
    }
}
