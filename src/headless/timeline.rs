//! `silo timeline`: what changed around an incident, for one tenant, on one time line: the
//! same gatherer as the screen's, printed as the JSON contract, CSV or a table.

use crate::cli::Format;
use anyhow::{bail, Context, Result};
use chrono::{DateTime, Duration, Utc};
use silo_core::source::FleetSource;
use silo_core::text::{aligned, csv_writer, safe_text};
use silo_core::timeline::{Event, Source};
use silo_engine::timeline::TimelineRequest;
use silo_engine::Limiter;
use std::sync::Arc;

pub struct Wanted<'a> {
    pub tenant: &'a str,
    pub range: (DateTime<Utc>, DateTime<Utc>),
    pub around_alarm: Option<String>,
    /// `[timeline] suspect_minutes`.
    pub suspect_window: Duration,
}

/// The range from `--since` (30m, 6h, 2d) or `--from`/`--to` (RFC 3339), checked.
pub fn range(
    since: &str,
    from: Option<&str>,
    to: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    let time = |flag: &str, text: &str| {
        DateTime::parse_from_rfc3339(text.trim())
            .map(|t| t.with_timezone(&Utc))
            .with_context(|| format!("{flag} {text:?}: expected an RFC 3339 time such as 2026-12-02T09:00:00Z"))
    };
    let (from, to) = match (from, to) {
        (Some(f), Some(t)) => (time("--from", f)?, time("--to", t)?),
        _ => (now - silo_core::timeline::parse_since(since).map_err(anyhow::Error::msg)?, now),
    };
    if from >= to {
        bail!("the range is empty: --from must be before --to");
    }
    Ok((from, to))
}

/// `30m`, `6h`, `2d`: a span back from now (at most 14 days).
pub async fn run(
    source: Arc<dyn FleetSource>,
    limiter: Arc<Limiter>,
    wanted: Wanted<'_>,
    format: Format,
) -> Result<()> {
    let store = crate::headless::collect(source.clone(), limiter.clone(), &[]).await?;
    let tenant = crate::headless::find_tenant(&store, wanted.tenant)?.tenant.clone();
    let request = TimelineRequest {
        tenant,
        from: wanted.range.0,
        to: wanted.range.1,
        around_alarm: wanted.around_alarm,
        suspect_window: wanted.suspect_window,
        journal: silo_core::journal::Journal::default_path(),
    };
    let asked = request.around_alarm.is_some();
    let timeline = silo_engine::timeline::gather(source, limiter, request).await;
    // An alarm name that is not the tenant's is bad input, not a missing source.
    let unknown = timeline.errors.iter().find(|e| asked && e.source == Source::Alarm && e.kind == "not found");
    if let Some(e) = unknown {
        bail!("--around-alarm: {}", e.message);
    }
    for e in &timeline.errors {
        say!("silo: {}: {} not read ({}): {}", timeline.tenant, e.source.label(), e.kind, e.message);
    }
    if let Some(suspects) = &timeline.suspects {
        say!("{suspects}");
    }
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&timeline)? + "\n",
        Format::Csv => to_csv(&timeline.events)?,
        Format::Table => to_table(&timeline.events),
    };
    crate::headless::write_stdout(&text)
}

const COLUMNS: [&str; 7] = ["at", "source", "kind", "title", "detail", "suspect", "ref"];

fn cells(e: &Event) -> Vec<String> {
    vec![
        e.at.to_rfc3339(),
        e.source.label().into(),
        safe_text(&e.kind),
        safe_text(&e.title),
        safe_text(&e.detail),
        e.suspect.to_string(),
        safe_text(&e.reference),
    ]
}

fn to_csv(events: &[Event]) -> Result<String> {
    let mut w = csv_writer();
    w.write_record(COLUMNS)?;
    for e in events {
        w.write_record(cells(e))?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

fn to_table(events: &[Event]) -> String {
    let titles: Vec<String> = ["", "AT", "SOURCE", "KIND", "WHAT", "DETAIL"].iter().map(|t| t.to_string()).collect();
    let rows: Vec<Vec<String>> = events
        .iter()
        .map(|e| {
            let mark = if e.suspect { "*" } else { "" };
            let when = e.at.format("%Y-%m-%d %H:%M:%S").to_string();
            let detail = silo_core::format::fit(&silo_core::sanitize::clean(&e.detail), 60);
            vec![mark.into(), when, e.source.label().into(), e.kind.clone(), e.title.clone(), detail]
        })
        .collect();
    aligned(&titles, &rows)
}
