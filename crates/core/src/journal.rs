//! The audit journal: one JSON line per action attempt, appended and fsynced to
//! `$XDG_STATE_HOME/silo/audit.jsonl`. It never holds credentials: only the caller's ARN.

use crate::plan::{ActionKind, ActionPlan};
use chrono::{SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    DryRun,
    Confirmed,
    Refused,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub time: String,
    /// Caller identity ARN of the base credentials.
    pub identity: String,
    pub tenants: Vec<Option<String>>,
    pub account: String,
    pub region: String,
    pub api: String,
    pub parameters: serde_json::Value,
    pub ids: Vec<String>,
    pub mode: Mode,
    pub result: String,
    pub request_ids: Vec<String>,
}

impl JournalEntry {
    pub fn new(plan: &ActionPlan, identity: &str, mode: Mode, result: &str, request_ids: Vec<String>) -> JournalEntry {
        JournalEntry {
            time: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
            identity: identity.to_string(),
            tenants: plan.tenants(),
            account: plan.account.clone(),
            region: plan.region.clone(),
            api: plan.api.clone(),
            parameters: match &plan.kind {
                ActionKind::FindingStatus { status, note } => {
                    serde_json::json!({ "Workflow.Status": status, "Note": note })
                }
                ActionKind::GuardDutyArchive { .. } | ActionKind::Deploy(_) => plan.parameters.clone(),
            },
            ids: plan.targets.iter().map(|t| t.id.clone()).collect(),
            mode,
            result: result.to_string(),
            request_ids,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
    lock: Arc<Mutex<()>>,
}

impl Journal {
    pub fn at(path: PathBuf) -> Journal {
        Journal { path, lock: Arc::new(Mutex::new(())) }
    }

    pub fn default_path() -> PathBuf {
        crate::paths::state_dir().join("audit.jsonl")
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line and fsyncs it before returning.
    pub fn append(&self, entry: &JournalEntry) -> std::io::Result<()> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&self.path)?;
        let mut line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
        line.push('\n');
        file.write_all(line.as_bytes())?;
        file.sync_all()
    }

    /// Every entry, oldest first; a damaged line is reported, never skipped silently.
    pub fn read(&self) -> Result<Vec<JournalEntry>, String> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(format!("{}: {e}", self.path.display())),
        };
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", self.path.display(), i + 1)))
            .collect()
    }
}
