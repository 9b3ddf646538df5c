//! `silo doctor`: runs the checks of `aws::doctor` and prints them, with what to fix.

use crate::cli::Format;
use anyhow::{bail, Result};
use silo_aws::doctor::{self, Check, Status};
use silo_core::text::{aligned, safe_text};

pub fn print(checks: &[Check], format: Format) -> Result<()> {
    let text = match format {
        Format::Json => {
            let ok = !doctor::essential_failure(checks);
            serde_json::to_string_pretty(&serde_json::json!({ "ok": ok, "checks": checks }))? + "\n"
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["status", "check", "tenant", "account_id", "detail", "fix"])?;
            for c in checks {
                // A tenant's name is a tag or an account name: untrusted, like every text cell.
                let cells = [
                    label(c.status).to_string(),
                    safe_text(&c.check),
                    safe_text(c.tenant.as_deref().unwrap_or_default()),
                    safe_text(c.account_id.as_deref().unwrap_or_default()),
                    safe_text(&c.detail),
                    safe_text(c.fix.as_deref().unwrap_or("")),
                ];
                w.write_record(cells)?;
            }
            String::from_utf8(w.into_inner()?)?
        }
        Format::Table => table(checks),
    };
    crate::headless::write_stdout(&text)?;
    if doctor::essential_failure(checks) {
        bail!("silo cannot work with this setup yet: fix the failed checks above");
    }
    Ok(())
}

/// The schedule probe's verdict alone: it fails the command when it failed.
pub fn print_probe(checks: &[Check], format: Format) -> Result<()> {
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&serde_json::json!({ "checks": checks }))? + "\n",
        Format::Csv | Format::Table => table(checks),
    };
    crate::headless::write_stdout(&text)?;
    if checks.iter().any(|c| c.status == Status::Fail) {
        bail!("the schedule probe failed: see the fix above");
    }
    Ok(())
}

fn label(status: Status) -> &'static str {
    match status {
        Status::Ok => "ok",
        Status::Warn => "warn",
        Status::Fail => "FAIL",
    }
}

fn table(checks: &[Check]) -> String {
    let titles: Vec<String> = ["", "CHECK", "TENANT", "DETAIL"].map(String::from).to_vec();
    let rows: Vec<Vec<String>> = checks
        .iter()
        .map(|c| vec![label(c.status).into(), c.check.clone(), c.tenant.clone().unwrap_or_default(), c.detail.clone()])
        .collect();
    let mut out = aligned(&titles, &rows);
    let fixes: Vec<String> = checks
        .iter()
        .filter_map(|c| {
            c.fix.as_ref().map(|f| {
                format!("- {}{}: {f}", c.check, c.tenant.as_deref().map(|t| format!(" ({t})")).unwrap_or_default())
            })
        })
        .collect();
    if !fixes.is_empty() {
        out.push_str("\nTo fix:\n");
        out.push_str(&fixes.join("\n"));
        out.push('\n');
    }
    let failed = checks.iter().filter(|c| c.status == Status::Fail).count();
    let warned = checks.iter().filter(|c| c.status == Status::Warn).count();
    out.push_str(&format!("\n{} checks: {failed} failed, {warned} warnings\n", checks.len()));
    out
}
