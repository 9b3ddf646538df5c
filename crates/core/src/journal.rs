//! The audit journal: one JSON line per action attempt, appended and fsynced to
//! `$XDG_STATE_HOME/silo/audit.jsonl` (0600) under an exclusive lock shared by every silo process.
//! It never holds credentials: only the caller's ARN. Each line is chained to the one before:
//! `prev` is the previous line's `hash`, and `hash` is the SHA-256 of the line as written without
//! its `hash` field, so `verify` finds a line that was changed, removed or reordered; a head file
//! beside the journal (`audit.jsonl.head`: count and last hash) catches lines cut from the end.
//! A full file rotates (`files`); the chain runs on through the next.

use std::io::Write;

mod chain;
mod entry;
mod files;

pub use entry::{Call, JournalEntry, Mode};

use chain::{chained_line, check_head, line_hash, write_head, Chain};
use files::repair_and_last_line;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Whether this process runs the demo (set once, at start-up).
static DEMO: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// A journal file rotates once it holds this much: appends read the whole current file (to
/// repair a torn line and chain to the last), so it stays small; the chain goes on in the next.
pub const ROTATE_AT_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
    lock: Arc<Mutex<()>>,
    rotate_at: u64,
}

/// Why an append failed, and whether its line is in the journal.
#[derive(Debug)]
pub enum AppendError {
    /// Nothing was written: the line is not in the journal.
    Line(std::io::Error),
    /// The line is in the journal (written and synced), but the head file could not be
    /// replaced: `verify` reports the journal longer than its head until the next append.
    Head(std::io::Error),
}

impl std::fmt::Display for AppendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppendError::Line(e) => write!(f, "{e}"),
            AppendError::Head(e) => write!(f, "the line was written, but not the journal's head file: {e}"),
        }
    }
}

impl std::error::Error for AppendError {}

impl Journal {
    pub fn at(path: PathBuf) -> Journal {
        Journal { path, lock: Arc::new(Mutex::new(())), rotate_at: ROTATE_AT_BYTES }
    }

    /// The same journal, rotating once the current file holds `bytes` (tests, benchmarks).
    pub fn rotating_at(self, bytes: u64) -> Journal {
        Journal { rotate_at: bytes, ..self }
    }

    /// The journal of this process: `audit.jsonl`, or `demo-audit.jsonl` once `for_the_demo` was
    /// called (the demo's actions are not the organization's: they never mix into its journal).
    pub fn default_path() -> PathBuf {
        let name = if DEMO.get().copied().unwrap_or(false) { "demo-audit.jsonl" } else { "audit.jsonl" };
        crate::paths::state_dir().join(name)
    }

    /// Makes `default_path` the demo's journal for the rest of the process (`--demo`), before
    /// anything reads or writes a journal.
    pub fn for_the_demo() {
        let _ = DEMO.set(true);
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line chained to the last and fsyncs it before returning. Other silo processes
    /// wait for the lock; a torn last line (a write cut short) is cut off first; a full file is
    /// rotated first, the new file's first line chained to the rotated file's last.
    pub fn append(&self, entry: &JournalEntry) -> Result<(), AppendError> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let _lock = files::lock(&self.path).map_err(AppendError::Line)?;
        let (count, last) = self.current_end().map_err(AppendError::Line)?;
        let line = chained_line(entry, last.as_deref().map(line_hash)).map_err(AppendError::Line)?;
        let mut file = crate::paths::append_private(&self.path).map_err(AppendError::Line)?;
        let written = file.write_all(format!("{line}\n").as_bytes()).and_then(|()| file.sync_all());
        written.map_err(AppendError::Line)?;
        write_head(&self.path, count + 1, &line_hash(&line)).map_err(AppendError::Head)
    }

    /// The current file's line count and the chain's last line, the file rotated first when full.
    fn current_end(&self) -> std::io::Result<(usize, Option<String>)> {
        if self.path.exists() {
            // A journal an older silo created 0644 is the user's only from now on.
            crate::paths::tighten(&self.path)?;
        }
        let (count, last) = repair_and_last_line(&self.path)?;
        let full = std::fs::metadata(&self.path).map(|m| m.len() >= self.rotate_at).unwrap_or(false);
        if full && count > 0 {
            files::rotate(&self.path)?;
            return Ok((0, last));
        }
        match last {
            Some(last) => Ok((count, Some(last))),
            // Empty after a rotation (or a crash right after one): the chain goes on from there.
            None => Ok((0, files::last_rotated_line(&self.path)?)),
        }
    }

    /// Every entry of the current file, oldest first; a damaged line is reported, never skipped
    /// silently. The rotated files are read by `verify` and `read_all_lenient`.
    pub fn read(&self) -> Result<Vec<JournalEntry>, String> {
        let (entries, bad) = self.read_lenient()?;
        match bad.first() {
            Some(first) => Err(first.clone()),
            None => Ok(entries),
        }
    }

    /// Every readable entry of the current file, and `file:line: why` for each line that is not one.
    pub fn read_lenient(&self) -> Result<(Vec<JournalEntry>, Vec<String>), String> {
        read_file_lenient(&self.path)
    }

    /// `read_lenient` over every file, the rotated ones first (`silo audit --all`).
    pub fn read_all_lenient(&self) -> Result<(Vec<JournalEntry>, Vec<String>), String> {
        let (mut entries, mut bad) = (Vec::new(), Vec::new());
        for path in self.files()? {
            let (more, damaged) = read_file_lenient(&path)?;
            entries.extend(more);
            bad.extend(damaged);
        }
        Ok((entries, bad))
    }

    /// The rotated files, oldest first, then the current one: every file the chain runs through.
    pub fn files(&self) -> Result<Vec<PathBuf>, String> {
        let mut all = files::rotated(&self.path).map_err(|e| format!("{}: {e}", self.path.display()))?;
        all.push(self.path.clone());
        Ok(all)
    }

    /// Checks the chain through every file: Ok(number of lines) when intact, else the first bad
    /// line and why. Lines written before the chain (no `hash`) are read as they are; once a line
    /// is chained, every later one must be, and the head file must be there: stripping the hashes
    /// from an edited line and the ones after it, deleting the head, or removing a rotated file
    /// (the next file's first line no longer follows) is a broken chain, not an old journal.
    pub fn verify(&self) -> Result<usize, String> {
        self.verify_against(None)
    }

    /// `verify`, and the line `kept` (a head hash kept off this machine, `silo audit head`) must
    /// be one of the chain: a journal rewritten from an earlier line on no longer holds it.
    pub fn verify_against(&self, kept: Option<&str>) -> Result<usize, String> {
        let chain = self.walk()?;
        match kept {
            Some(hash) if !chain.hashes.iter().any(|h| h == hash) => Err(format!(
                "{}: no line of the chain has the head {hash} kept elsewhere: the journal was rewritten (or it is another machine's)",
                self.path.display()
            )),
            _ => Ok(chain.count),
        }
    }

    /// Follows the chain through every file, then checks the head file against its end.
    fn walk(&self) -> Result<Chain, String> {
        let files = self.files()?;
        let mut chain = Chain::default();
        for path in &files {
            let text = match std::fs::read_to_string(path) {
                Ok(text) => text,
                // The current file is created by the first append after a rotation.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && path == &self.path && files.len() > 1 => {
                    String::new()
                }
                Err(e) => return Err(format!("{}: {e}", path.display())),
            };
            chain.follow_file(path, &text)?;
        }
        check_head(&self.path, chain.in_file, chain.previous.as_deref(), chain.chained)
            .map_err(|why| format!("{}: {why}", self.path.display()))?;
        Ok(chain)
    }

    /// `count hash` of the last line, after `verify`: what to keep off this machine.
    pub fn head(&self) -> Result<(usize, String), String> {
        let chain = self.walk()?;
        let last = chain.previous.ok_or_else(|| format!("{}: the journal is empty", self.path.display()))?;
        Ok((chain.count, last))
    }
}

/// The readable entries of one journal file, and `file:line: why` for each line that is not one;
/// a missing file has none.
fn read_file_lenient(path: &Path) -> Result<(Vec<JournalEntry>, Vec<String>), String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let (mut entries, mut bad) = (Vec::new(), Vec::new());
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        match serde_json::from_str(line) {
            Ok(entry) => entries.push(entry),
            Err(e) => bad.push(format!("{}:{}: {e}", path.display(), i + 1)),
        }
    }
    Ok((entries, bad))
}

#[cfg(test)]
mod tests;
