//! Headless twins of the screens: run the same fetch layer into a `Store`, print, exit.

use crate::cli::Format;
use crate::fetch::{FetchEvent, Fetcher, FleetSource, Limiter};
use crate::fleet_progress::Progress;
use crate::report::{self, FleetReport};
use crate::store::Store;
use anyhow::{bail, Result};
use chrono::Utc;
use std::io::{IsTerminal, Write};
use std::sync::Arc;

/// Fetches the whole fleet once. Per-tenant failures are data; a fleet that could not be listed
/// at all is an error.
pub async fn collect_fleet(source: Arc<dyn FleetSource>, limiter: Arc<Limiter>) -> Result<Store> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let fetcher = Fetcher::new(source, limiter, tx);
    let task = fetcher.spawn_refresh();
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
        eprint!("\r\x1b[2K");
    }
    if let Some(error) = store.tenant_list.error() {
        bail!("could not list the fleet: {error}");
    }
    Ok(store)
}

fn report_progress(store: &Store) {
    let p = Progress::of(store);
    eprint!("\r\x1b[2K{}/{} tenants loaded", p.loaded, p.total);
    let _ = std::io::stderr().flush();
}

pub fn print_fleet(store: &Store, format: Format) -> Result<()> {
    let now = Utc::now();
    let text = match format {
        Format::Json => report::to_json(&FleetReport::from_store(store, now)) + "\n",
        Format::Csv => report::to_csv(&FleetReport::from_store(store, now))?,
        Format::Table => report::to_table(store, now),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}
