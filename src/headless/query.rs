//! `silo query`: the saved queries (`--list`), or one run of a saved query or `--sql` to its end,
//! with progress on stderr in a terminal, every result page read, and Ctrl-C cancelling the
//! query in Athena (not only silo).

use crate::cli::{Format, QueryArgs};
use anyhow::{bail, Result};
use silo_core::queries::run::{bytes_label, QueryRequest, QueryRun, QueryState};
use silo_core::queries::{values, Library, SavedQuery};
use silo_core::source::FleetSource;
use silo_core::store::FetchEvent;
use silo_core::text::{aligned, safe_text};
use silo_engine::{Fetcher, Limiter};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::sync::Arc;

/// Where statements that are not reads go, and the only way to run them.
pub struct Writes<'a> {
    pub actions: &'a silo_core::actions::Actions,
    pub target: silo_core::plan::AthenaTarget,
}

pub async fn run(
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    library: &Library,
    args: &QueryArgs,
    writes: Writes<'_>,
) -> Result<()> {
    if args.list || (args.name.is_none() && args.sql.is_none()) {
        return print_list(library, args.format);
    }
    let request = request(source.clone(), limiter.clone(), library, args).await?;
    let statement = statement_plan(&request, args.allow_write, &writes.target)?;
    if let Some(plan) = &statement {
        // A statement changes data: dry-run, or confirmed (typed, or --yes) like every action.
        if args.confirm.dry_run {
            writes.actions.dry_run(plan).await?;
            println!("dry run: nothing was sent");
            return Ok(());
        }
        // Read-only refuses it at the data layer (journaled) without asking first.
        if !writes.actions.read_only() {
            let (yes, expect) = (args.confirm.yes, args.confirm.expect);
            let plans = std::slice::from_ref(plan);
            // A statement names its workgroup, never a tenant: no name to share.
            let expected = plan.confirmation(&silo_core::tenant_lookup::SharedNames::none());
            super::confirm::confirm(writes.actions, plans, &expected, yes, expect).await?;
        }
    }
    warn_without_scan_cutoff(source.clone()).await;
    let run = execute(source, limiter, request, (&writes, statement)).await?;
    print_run(&run, args.format)?;
    match (run.state(), &run.status) {
        (Some(QueryState::Succeeded), _) => Ok(()),
        (Some(state), Some(s)) => {
            bail!("query {}: {}", state.label(), s.reason.as_deref().unwrap_or("no reason given"))
        }
        _ => bail!("query did not finish: {}", run.error.as_ref().map(|e| e.to_string()).unwrap_or_default()),
    }
}

/// The request to send, checked completely first: nothing reaches Athena on bad input.
async fn request(
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    library: &Library,
    args: &QueryArgs,
) -> Result<QueryRequest> {
    let query = match &args.sql {
        Some(_) => None,
        None => Some(saved(library, args.name.as_deref().unwrap_or_default())?),
    };
    let given = param_values(&args.params)?;
    let tenant = match &args.tenant {
        Some(name) => {
            let store = crate::headless::collect(source, limiter, &[]).await?;
            Some(crate::headless::find_tenant(&store, name)?.tenant.clone())
        }
        None => None,
    };
    let Some(query) = query else {
        let sql = args.sql.as_deref().unwrap_or_default();
        values::check_length(sql)?;
        if silo_core::queries::placeholder_count(sql) > 0 || !args.params.is_empty() {
            bail!("--sql takes no `?` placeholders or --param; save the query with a parameter header to use them");
        }
        return Ok(QueryRequest {
            name: "ad-hoc".into(),
            sql: sql.to_string(),
            parameters: Vec::new(),
            tenant: tenant.map(|t| t.name),
        });
    };
    let account = tenant.as_ref().map(|t| t.account_id.as_str());
    let parameters = values::bind(query, &given, account, chrono::Utc::now())?;
    Ok(QueryRequest { name: query.name.clone(), sql: query.sql.clone(), parameters, tenant: tenant.map(|t| t.name) })
}

fn saved<'a>(library: &'a Library, name: &str) -> Result<&'a SavedQuery> {
    match library.get(name) {
        Some(q) => Ok(q),
        None => {
            let close = library.close_to(name);
            let hint = if close.is_empty() {
                "; `silo query --list` shows them".to_string()
            } else {
                format!("; did you mean {}?", close.join(", "))
            };
            bail!("unknown query {name:?}{hint}")
        }
    }
}

/// `key=value` pairs.
fn param_values(pairs: &[String]) -> Result<BTreeMap<String, String>> {
    pairs
        .iter()
        .map(|p| match p.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
            _ => bail!("--param {p:?}: expected KEY=VALUE"),
        })
        .collect()
}

/// Runs the query to its end, reading every page; Ctrl-C stops it in Athena.
/// Says on stderr when the workgroup has no per-query scan cutoff (the query could scan, and
/// bill, without limit); a workgroup that cannot be read is left to the query itself to report.
async fn warn_without_scan_cutoff(source: Arc<dyn FleetSource>) {
    if let Ok((text, true)) = source.scan_limit().await.map(|l| l.describe()) {
        say!("warning: {text}");
    }
}

/// The plan of a statement that is not a read, when `--allow-write` allows it (printed on
/// stderr); None for a read. Without the flag, a write is refused before anything is sent.
fn statement_plan(
    request: &QueryRequest,
    allow_write: bool,
    target: &silo_core::plan::AthenaTarget,
) -> Result<Option<silo_core::plan::ActionPlan>> {
    let statement = silo_core::queries::statement::classify(&request.sql).map_err(anyhow::Error::msg)?;
    match (statement.reads, allow_write) {
        (true, _) => Ok(None),
        (false, false) => bail!(
            "refused: {} changes data, not a read; pass --allow-write to run it (journaled, with the operator role; --read-only refuses it); nothing was sent",
            statement.keyword
        ),
        (false, true) => {
            let plan = silo_core::plan::ActionPlan::athena_statement(request, &statement, target);
            say!("{}", plan.describe().join("\n"));
            Ok(Some(plan))
        }
    }
}

/// Runs `request` to its end; a confirmed statement starts through `Actions` instead, and a
/// Ctrl-C stops it through `Actions` (journaled).
pub async fn execute(
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    request: QueryRequest,
    (writes, statement): (&Writes<'_>, Option<silo_core::plan::ActionPlan>),
) -> Result<QueryRun> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let fetcher = Fetcher::new(source, limiter, tx);
    let mut run = QueryRun::new(0, request.clone(), chrono::Utc::now());
    match statement {
        Some(plan) => drop(fetcher.spawn_statement(writes.actions.clone(), 0, plan)),
        None => drop(fetcher.spawn_query(0, request)),
    }
    let progress = std::io::stderr().is_terminal();
    let mut interrupted = false;
    loop {
        let event = tokio::select! {
            event = rx.recv() => event,
            _ = tokio::signal::ctrl_c(), if !interrupted => {
                interrupted = true;
                if let Some(id) = run.execution_id.clone() {
                    say!("\ncancelling query {id}…");
                    drop(fetcher.spawn_query_stop(writes.actions.clone(), writes.target.clone(), 0, id));
                }
                continue;
            }
        };
        let Some(event) = event else { break };
        let page = matches!(event, FetchEvent::QueryPage { .. });
        apply(&mut run, event);
        if progress {
            report(&run);
        }
        if run.finished.is_some() && !run.page_loading && !page_pending(&run, page) {
            break;
        }
        if page && run.error.is_none() {
            if let (Some(token), Some(id)) = (run.next_token.clone(), run.execution_id.clone()) {
                run.page_loading = true;
                drop(fetcher.spawn_query_page(0, id, Some(token)));
            }
        }
    }
    if progress {
        say!();
    }
    Ok(run)
}

fn page_pending(run: &QueryRun, just_read_a_page: bool) -> bool {
    just_read_a_page && run.next_token.is_some() && run.error.is_none()
}

fn apply(run: &mut QueryRun, event: FetchEvent) {
    match event {
        FetchEvent::QueryStarted { result, at, .. } => run.apply_started(result, at),
        FetchEvent::QueryProgress { result, at, .. } => run.apply_progress(result, at),
        FetchEvent::QueryPage { result, .. } => run.apply_page(result),
        FetchEvent::QueryStopped { result: Err(e), .. } => run.error = Some(e),
        _ => {}
    }
}

fn report(run: &QueryRun) {
    let status = run.status.as_ref();
    let scanned = bytes_label(status.map(|s| s.data_scanned_bytes).unwrap_or(0));
    let seconds = run.elapsed(chrono::Utc::now()).num_milliseconds() as f64 / 1000.0;
    say_inline!(
        "\r\x1b[2K{} {seconds:.1}s · {scanned} scanned · ~${} · {} rows",
        run.state_label(),
        run.cost(),
        run.rows.len()
    );
    let _ = std::io::stderr().flush();
}

fn print_list(library: &Library, format: Format) -> Result<()> {
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&library.queries)? + "\n",
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["name", "description", "parameters", "tables"])?;
            for q in &library.queries {
                w.write_record([
                    q.name.clone(),
                    safe_text(&q.description),
                    silo_core::queries::params_text(q),
                    q.tables.join(" "),
                ])?;
            }
            String::from_utf8(w.into_inner()?)?
        }
        Format::Table => {
            let titles: Vec<String> = ["NAME", "PARAMETERS", "DESCRIPTION"].map(String::from).to_vec();
            let rows: Vec<Vec<String>> = library
                .queries
                .iter()
                .map(|q| vec![q.name.clone(), silo_core::queries::params_text(q), q.description.clone()])
                .collect();
            aligned(&titles, &rows)
        }
    };
    crate::headless::write_stdout(&text)
}

fn print_run(run: &QueryRun, format: Format) -> Result<()> {
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&silo_core::queries::export::run_json(run))? + "\n",
        Format::Csv => silo_core::queries::export::csv(run)?,
        Format::Table => {
            let titles: Vec<String> = run.columns.iter().map(|c| c.name.clone()).collect();
            let rows: Vec<Vec<String>> = run
                .rows
                .iter()
                .map(|r| r.iter().map(|c| c.clone().unwrap_or_else(|| "NULL".into())).collect())
                .collect();
            let footer = format!(
                "\n{} rows · {} · {} scanned · ${}\n",
                run.rows.len(),
                run.state_label(),
                bytes_label(run.status.as_ref().map(|s| s.data_scanned_bytes).unwrap_or(0)),
                run.cost()
            );
            if titles.is_empty() {
                footer
            } else {
                aligned(&titles, &rows) + &footer
            }
        }
    };
    crate::headless::write_stdout(&text)
}
