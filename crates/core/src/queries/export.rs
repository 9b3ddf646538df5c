//! Results out of silo: CSV (spreadsheet-safe) and JSON files, and the text a copy puts on the
//! clipboard.

use super::run::QueryRun;
use crate::text::safe_text;
use rust_decimal::prelude::ToPrimitive;

/// RFC 4180 CSV with the column names first; NULL is an empty cell.
pub fn csv(run: &QueryRun) -> Result<String, anyhow::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Column names come from the query (an alias can be any text): guarded like the cells.
    w.write_record(run.columns.iter().map(|c| safe_text(&c.name)))?;
    for row in &run.rows {
        w.write_record(row.iter().map(|c| c.as_deref().map(safe_text).unwrap_or_default()))?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// The same document as `silo query --format json`.
pub fn json(run: &QueryRun) -> Result<String, anyhow::Error> {
    Ok(serde_json::to_string_pretty(&crate::queries::export::run_json(run))? + "\n")
}

/// A row as tab-separated text, for the clipboard.
pub fn row_text(row: &[Option<String>]) -> String {
    row.iter().map(|c| c.as_deref().unwrap_or("NULL")).collect::<Vec<_>>().join("\t")
}

/// The OSC 52 escape that asks the terminal to put `text` on the clipboard.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The `silo query --format json` contract.
pub fn run_json(run: &QueryRun) -> serde_json::Value {
    let status = run.status.as_ref();
    serde_json::json!({
        "query_execution_id": run.execution_id,
        "state": run.state_label(),
        "data_scanned_bytes": status.map(|s| s.data_scanned_bytes).unwrap_or(0),
        "cost_usd": run.cost().to_f64(),
        "reason": status.and_then(|s| s.reason.clone()),
        "columns": run.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
        "column_types": run.columns.iter().map(|c| c.kind.clone()).collect::<Vec<_>>(),
        "rows": run.rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_carries_the_text_base64_encoded() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
        assert_eq!(osc52("a\tb"), "\x1b]52;c;YQli\x07");
    }
}
