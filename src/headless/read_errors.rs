//! `silo errors`: every failed read of the fleet, the twin of `:errors`, from the same fleet read
//! as `silo fleet` (or its snapshot, `--offline`).

use super::write_stdout;
use crate::cli::Format;
use anyhow::Result;
use silo_core::read_errors::{to_csv, to_table, ErrorsReport};
use silo_core::store::Store;

pub fn print(store: &Store, format: Format) -> Result<()> {
    let report = ErrorsReport::from_store(store, chrono::Utc::now());
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&report)? + "\n",
        Format::Csv => to_csv(&report.errors)?,
        Format::Table => to_table(&report.errors),
    };
    write_stdout(&text)
}
