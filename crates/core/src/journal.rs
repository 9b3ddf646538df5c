//! The audit journal: one JSON line per action attempt, appended and fsynced to
//! `$XDG_STATE_HOME/silo/audit.jsonl` (0600) under an exclusive lock shared by every silo process.
//! It never holds credentials: only the caller's ARN. Each line is chained to the one before:
//! `prev` is the previous line's `hash`, and `hash` is the SHA-256 of the line as written without
//! its `hash` field, so `verify` finds a line that was changed, removed or reordered; a head file
//! beside the journal (`audit.jsonl.head`: count and last hash) catches lines cut from the end.

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
    /// Confirmed, but not run: silo was asked to quit (or signalled) before it started.
    Aborted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub time: String,
    /// Caller identity ARN of the base credentials.
    pub identity: String,
    /// The name silo's assumed sessions carry as RoleSessionName and SourceIdentity, so this line
    /// matches the tenant's CloudTrail (absent on lines written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_identity: Option<String>,
    pub tenants: Vec<Option<String>>,
    /// The tenants' account ids, sorted: who they are when names collide (the timeline matches
    /// on these; absent on lines written before they were recorded, and for non-tenant targets).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tenant_accounts: Vec<String>,
    pub account: String,
    pub region: String,
    pub api: String,
    pub parameters: serde_json::Value,
    pub ids: Vec<String>,
    pub mode: Mode,
    pub result: String,
    pub request_ids: Vec<String>,
    /// A batched action's calls, one by one (finding updates); absent for single calls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub batches: Vec<crate::plan::BatchResult>,
    /// The customer's terms the action went past on purpose, with the reasons given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<crate::plan::Override>,
    /// The previous line's `hash` (absent on the first line, and on lines written before the chain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    /// SHA-256 (hex) of this line as written without this field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

impl JournalEntry {
    /// The result, and the customer's terms the action went past with the reasons given.
    pub fn result_and_overrides(&self) -> String {
        let overrides: Vec<String> = self
            .overrides
            .iter()
            .map(|o| format!("{} because {:?}", o.term.flag().trim_start_matches('-'), o.reason))
            .collect();
        match overrides.is_empty() {
            true => self.result.clone(),
            false => format!("{} · {}", self.result, overrides.join(", ")),
        }
    }

    pub fn new(plan: &ActionPlan, identity: &str, mode: Mode, result: &str, request_ids: Vec<String>) -> JournalEntry {
        JournalEntry {
            time: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
            identity: identity.to_string(),
            source_identity: Some(
                crate::identity::person_from_arn(identity).unwrap_or_else(crate::identity::session_name),
            ),
            tenants: plan.tenants(),
            tenant_accounts: plan.tenant_accounts(),
            account: plan.account.clone(),
            region: plan.region.clone(),
            api: plan.api.clone(),
            parameters: match &plan.kind {
                ActionKind::FindingStatus { status, note } => {
                    serde_json::json!({ "Workflow.Status": status, "Note": note })
                }
                ActionKind::GuardDutyArchive { .. }
                | ActionKind::Deploy(_)
                | ActionKind::AthenaStatement { .. }
                | ActionKind::Schedule(_) => plan.parameters.clone(),
            },
            ids: plan.targets.iter().map(|t| t.id.clone()).collect(),
            mode,
            result: result.to_string(),
            request_ids,
            batches: Vec::new(),
            overrides: plan.overrides.clone(),
            prev: None,
            hash: None,
        }
    }

    /// The same entry with the batch calls of the outcome it records.
    pub fn with_batches(mut self, batches: Vec<crate::plan::BatchResult>) -> JournalEntry {
        self.batches = batches;
        self
    }
}

/// Whether this process runs the demo (set once, at start-up).
static DEMO: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
    lock: Arc<Mutex<()>>,
}

impl Journal {
    pub fn at(path: PathBuf) -> Journal {
        Journal { path, lock: Arc::new(Mutex::new(())) }
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
    /// wait for the lock; a torn last line (a write cut short) is cut off first.
    pub fn append(&self, entry: &JournalEntry) -> std::io::Result<()> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut file = crate::paths::append_private(&self.path)?;
        file.lock()?;
        // A journal an older silo created 0644 is the user's only from now on.
        crate::paths::tighten(&self.path)?;
        let (count, last) = repair_and_last_line(&self.path)?;
        let line = chained_line(entry, last.as_deref().map(line_hash))?;
        file.write_all(line.as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        write_head(&self.path, count + 1, &line_hash(&line))
    }

    /// Every entry, oldest first; a damaged line is reported, never skipped silently.
    pub fn read(&self) -> Result<Vec<JournalEntry>, String> {
        let (entries, bad) = self.read_lenient()?;
        match bad.first() {
            Some(first) => Err(first.clone()),
            None => Ok(entries),
        }
    }

    /// Every readable entry, and `file:line: why` for each line that is not one.
    pub fn read_lenient(&self) -> Result<(Vec<JournalEntry>, Vec<String>), String> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
            Err(e) => return Err(format!("{}: {e}", self.path.display())),
        };
        let (mut entries, mut bad) = (Vec::new(), Vec::new());
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            match serde_json::from_str(line) {
                Ok(entry) => entries.push(entry),
                Err(e) => bad.push(format!("{}:{}: {e}", self.path.display(), i + 1)),
            }
        }
        Ok((entries, bad))
    }

    /// Checks the chain: Ok(number of lines) when intact, else the first bad line and why. Lines
    /// written before the chain (no `hash`) are read as they are; once a line is chained, every
    /// later one must be, and the head file must be there: stripping the hashes from an edited
    /// line and the ones after it, or deleting the head, is a broken chain, not an old journal.
    pub fn verify(&self) -> Result<usize, String> {
        self.verify_against(None)
    }

    /// `verify`, and the line `kept` (a head hash kept off this machine, `silo audit head`) must
    /// be one of the chain: a journal rewritten from an earlier line on no longer holds it.
    pub fn verify_against(&self, kept: Option<&str>) -> Result<usize, String> {
        let text = std::fs::read_to_string(&self.path).map_err(|e| format!("{}: {e}", self.path.display()))?;
        let at = |n: usize, why: &str| format!("{}:{n}: {why}", self.path.display());
        let mut chain = Chain::default();
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            chain.follow(line).map_err(|why| at(i + 1, &why))?;
        }
        check_head(&self.path, chain.count, chain.previous.as_deref(), chain.chained)
            .map_err(|why| at(chain.count, &why))?;
        match kept {
            Some(hash) if !chain.hashes.iter().any(|h| h == hash) => Err(format!(
                "{}: no line of the chain has the head {hash} kept elsewhere: the journal was rewritten (or it is another machine's)",
                self.path.display()
            )),
            _ => Ok(chain.count),
        }
    }

    /// `count hash` of the last line, after `verify`: what to keep off this machine.
    pub fn head(&self) -> Result<(usize, String), String> {
        let count = self.verify()?;
        let text = std::fs::read_to_string(&self.path).map_err(|e| format!("{}: {e}", self.path.display()))?;
        let last = text.lines().rfind(|l| !l.trim().is_empty()).map(line_hash);
        last.map(|hash| (count, hash)).ok_or_else(|| format!("{}: the journal is empty", self.path.display()))
    }
}

/// What `verify` knows after each line.
#[derive(Default)]
struct Chain {
    previous: Option<String>,
    count: usize,
    /// A chained line was seen: every later line must be chained too.
    chained: bool,
    hashes: Vec<String>,
}

impl Chain {
    fn follow(&mut self, line: &str) -> Result<(), String> {
        let entry: JournalEntry = serde_json::from_str(line).map_err(|e| format!("not an entry: {e}"))?;
        match (entry.hash.is_some(), self.chained) {
            (false, true) => {
                return Err("has no hash after chained lines (the chain was stripped from here on)".into());
            }
            (false, false) => {}
            (true, _) if entry.prev != self.previous => {
                return Err("does not follow the line before it (a line was removed, added or moved)".into());
            }
            (true, _) if !seal_holds(line) => return Err("was changed after it was written".into()),
            (true, _) => self.chained = true,
        }
        let hash = line_hash(line);
        self.hashes.push(hash.clone());
        self.previous = Some(hash);
        self.count += 1;
        Ok(())
    }
}

/// The entry as a line: `prev` set, then its hash appended as the last field.
fn chained_line(entry: &JournalEntry, prev: Option<String>) -> std::io::Result<String> {
    let unsealed = JournalEntry { prev, hash: None, ..entry.clone() };
    let body = serde_json::to_string(&unsealed).map_err(std::io::Error::other)?;
    let hash = sha256_hex(body.as_bytes());
    let open = body.strip_suffix('}').unwrap_or(&body);
    Ok(format!("{open},\"hash\":\"{hash}\"}}"))
}

/// The hash a line is known by: its `hash` field, checked against its text by `verify`; for a line
/// written before the chain, the SHA-256 of the line itself.
fn line_hash(line: &str) -> String {
    match sealed_body(line) {
        Some((_, hash)) => hash.to_string(),
        None => sha256_hex(line.as_bytes()),
    }
}

/// Whether the line's `hash` is the SHA-256 of the line without it.
fn seal_holds(line: &str) -> bool {
    sealed_body(line).is_some_and(|(body, hash)| sha256_hex(body.as_bytes()) == hash)
}

/// (the line without its hash field, the hash) when the line ends with one.
fn sealed_body(line: &str) -> Option<(String, &str)> {
    let rest = line.strip_suffix("\"}")?;
    let at = rest.rfind(",\"hash\":\"")?;
    let hash = &rest[at + ",\"hash\":\"".len()..];
    (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then(|| (format!("{}}}", &rest[..at]), hash))
}

fn sha256_hex(bytes: &[u8]) -> String {
    crate::hash::hex_digest(bytes)
}

/// Cuts a torn last line (no newline: the write was cut short) and returns the number of whole
/// lines and the last one: the one read of the file an append makes.
fn repair_and_last_line(path: &Path) -> std::io::Result<(usize, Option<String>)> {
    let text = std::fs::read_to_string(path)?;
    let mut whole = text.as_str();
    if !text.is_empty() && !text.ends_with('\n') {
        let keep = text.rfind('\n').map(|i| i + 1).unwrap_or(0);
        std::fs::OpenOptions::new().write(true).open(path)?.set_len(keep as u64)?;
        whole = &text[..keep];
    }
    let lines: Vec<&str> = whole.lines().filter(|l| !l.trim().is_empty()).collect();
    Ok((lines.len(), lines.last().map(|l| l.to_string())))
}

fn head_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".head");
    PathBuf::from(name)
}

/// Replaces the head file whole (a temporary file renamed over it): a crash mid-write leaves the
/// old head or the new one, never half of one that `verify` would read as a cut journal.
fn write_head(path: &Path, count: usize, hash: &str) -> std::io::Result<()> {
    crate::paths::replace_private(&head_path(path), format!("{count} {hash}\n").as_bytes())
}

/// The journal must still end where the head file says it did; a chained journal must have one.
fn check_head(path: &Path, count: usize, last: Option<&str>, chained: bool) -> Result<(), String> {
    let head = match std::fs::read_to_string(head_path(path)) {
        Ok(head) => head,
        Err(_) if !chained => return Ok(()),
        Err(e) => {
            return Err(format!(
                "the head file {} cannot be read ({e}): silo writes it with every line, so it was removed",
                head_path(path).display()
            ))
        }
    };
    let mut words = head.split_whitespace();
    let (want_count, want_hash) = (words.next().and_then(|w| w.parse::<usize>().ok()), words.next());
    if want_count == Some(count) && want_hash == last {
        return Ok(());
    }
    Err(format!(
        "the journal ends after {count} lines, but {} were written (its last lines were removed or changed)",
        want_count.map(|n| n.to_string()).unwrap_or_else(|| "more".into())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::tests_support::finding;
    use crate::findings::Severity;

    fn plan(n: usize) -> ActionPlan {
        let f = finding(&format!("f-{n}"), "111111111111", Severity::High, true);
        ActionPlan::finding_status(&[&f], "RESOLVED", "fixed", ("222222222222", "us-east-1"), "silo-me").unwrap()
    }

    fn journal_with(lines: usize) -> (tempfile::TempDir, Journal) {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("state/audit.jsonl"));
        for n in 0..lines {
            journal.append(&JournalEntry::new(&plan(n), "arn:me", Mode::Confirmed, "ok", Vec::new())).unwrap();
        }
        (dir, journal)
    }

    fn rewrite(journal: &Journal, change: impl FnOnce(&mut Vec<String>)) {
        let mut lines: Vec<String> =
            std::fs::read_to_string(journal.path()).unwrap().lines().map(String::from).collect();
        change(&mut lines);
        std::fs::write(journal.path(), lines.join("\n") + "\n").unwrap();
    }

    #[test]
    fn an_override_is_journaled_with_its_reason_and_its_line_is_chained_like_any_other() {
        let (_dir, journal) = journal_with(1);
        let mut overridden = plan(1);
        let reason = "customer signed off by email".to_string();
        overridden.overrides = vec![crate::plan::Override { term: crate::plan::Term::Uncertified, reason }];
        journal.append(&JournalEntry::new(&overridden, "arn:me", Mode::Confirmed, "ok", Vec::new())).unwrap();
        assert_eq!(journal.verify(), Ok(2));
        let entries = journal.read().unwrap();
        assert!(entries[0].overrides.is_empty());
        assert_eq!(entries[1].result_and_overrides(), "ok · uncertified because \"customer signed off by email\"");
        let raw = std::fs::read_to_string(journal.path()).unwrap();
        assert!(raw
            .lines()
            .nth(1)
            .unwrap()
            .contains(r#""overrides":[{"term":"uncertified","reason":"customer signed off by email"}]"#));
        assert!(!raw.lines().next().unwrap().contains("overrides"), "absent when none: older lines still verify");
    }

    #[test]
    fn an_intact_chain_verifies_and_each_line_names_the_one_before() {
        let (_dir, journal) = journal_with(3);
        assert_eq!(journal.verify(), Ok(3));
        let entries = journal.read().unwrap();
        assert_eq!(entries[0].prev, None);
        assert_eq!(entries[1].prev, entries[0].hash);
        assert_eq!(entries[2].prev, entries[1].hash);
    }

    #[test]
    fn a_changed_removed_or_moved_line_is_named() {
        let (_dir, journal) = journal_with(4);
        rewrite(&journal, |l| l[1] = l[1].replace("\"ok\"", "\"ok, nothing to see\""));
        assert!(journal.verify().unwrap_err().ends_with(":2: was changed after it was written"));
        let (_dir, journal) = journal_with(4);
        rewrite(&journal, |l| drop(l.remove(1)));
        assert!(journal.verify().unwrap_err().contains(":2: does not follow the line before it"));
        let (_dir, journal) = journal_with(4);
        rewrite(&journal, |l| l.swap(1, 2));
        assert!(journal.verify().unwrap_err().contains(":2: does not follow"));
        let (_dir, journal) = journal_with(4);
        rewrite(&journal, |l| drop(l.pop()));
        assert!(journal.verify().unwrap_err().contains("ends after 3 lines, but 4 were written"));
    }

    #[test]
    fn a_torn_last_line_is_cut_before_the_next_append() {
        let (_dir, journal) = journal_with(2);
        let mut text = std::fs::read_to_string(journal.path()).unwrap();
        text.push_str("{\"time\":\"2026-");
        std::fs::write(journal.path(), text).unwrap();
        journal.append(&JournalEntry::new(&plan(9), "arn:me", Mode::Refused, "read-only", Vec::new())).unwrap();
        assert_eq!(journal.verify(), Ok(3));
        assert_eq!(journal.read_lenient().unwrap().1, Vec::<String>::new());
    }

    #[test]
    fn concurrent_writers_wait_for_each_other() {
        let (_dir, journal) = journal_with(0);
        let writers: Vec<_> = (0..4)
            .map(|w| {
                // A journal of its own per writer (as in another process): only the file lock is shared.
                let mine = Journal::at(journal.path().to_path_buf());
                std::thread::spawn(move || {
                    for n in 0..15 {
                        let entry = JournalEntry::new(&plan(w * 100 + n), "arn:me", Mode::Confirmed, "ok", Vec::new());
                        mine.append(&entry).unwrap();
                    }
                })
            })
            .collect();
        writers.into_iter().for_each(|w| w.join().unwrap());
        assert_eq!(journal.verify(), Ok(60));
    }

    #[test]
    fn lines_without_a_chain_are_read_and_bad_lines_reported() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("audit.jsonl"));
        let old =
            serde_json::to_string(&JournalEntry::new(&plan(1), "arn:me", Mode::Refused, "x", Vec::new())).unwrap();
        std::fs::write(journal.path(), format!("{old}\n{{broken\n")).unwrap();
        let (entries, bad) = journal.read_lenient().unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(bad.len(), 1);
        assert!(bad[0].ends_with(&format!("{}:2: key must be a string at line 1 column 2", journal.path().display())));
    }

    /// A line as an attacker would leave it: its fields edited, `prev` and `hash` removed.
    fn stripped(line: &str, result: &str) -> String {
        let mut entry: JournalEntry = serde_json::from_str(line).unwrap();
        entry.result = result.into();
        entry.prev = None;
        entry.hash = None;
        serde_json::to_string(&entry).unwrap()
    }

    #[test]
    fn stripping_the_chain_from_an_edited_line_on_or_deleting_the_head_is_caught() {
        let (_dir, journal) = journal_with(3);
        rewrite(&journal, |lines| {
            lines[1] = stripped(&lines[1], "never happened");
            lines[2] = stripped(&lines[2], "ok");
        });
        let why = journal.verify().unwrap_err();
        assert!(why.ends_with(":2: has no hash after chained lines (the chain was stripped from here on)"), "{why}");
        let (_dir, journal) = journal_with(2);
        std::fs::remove_file(head_path(journal.path())).unwrap();
        let why = journal.verify().unwrap_err();
        assert!(why.contains("audit.jsonl.head cannot be read") && why.contains("so it was removed"), "{why}");
    }

    #[test]
    fn a_journal_from_before_the_chain_still_verifies_without_a_head() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("audit.jsonl"));
        let old =
            |n| serde_json::to_string(&JournalEntry::new(&plan(n), "arn:me", Mode::Refused, "x", Vec::new())).unwrap();
        std::fs::write(journal.path(), format!("{}\n{}\n", old(1), old(2))).unwrap();
        assert_eq!(journal.verify(), Ok(2));
    }

    #[test]
    fn a_head_kept_elsewhere_catches_a_journal_rewritten_with_a_fresh_chain() {
        let (dir, journal) = journal_with(3);
        let (count, kept) = journal.head().unwrap();
        assert_eq!(count, 3);
        journal.append(&JournalEntry::new(&plan(9), "arn:me", Mode::Confirmed, "ok", Vec::new())).unwrap();
        assert_eq!(journal.verify_against(Some(&kept)), Ok(4), "the journal grew past the kept head: fine");
        // Rewritten whole: the same entries, one changed, chained afresh (head file and all).
        let entries = journal.read().unwrap();
        std::fs::remove_file(journal.path()).unwrap();
        let forged = Journal::at(dir.path().join("state/audit.jsonl"));
        for (i, entry) in entries.into_iter().enumerate() {
            let entry = if i == 1 { JournalEntry { result: "refused".into(), ..entry } } else { entry };
            forged.append(&entry).unwrap();
        }
        assert_eq!(forged.verify(), Ok(4), "a fresh chain holds on its own");
        let why = forged.verify_against(Some(&kept)).unwrap_err();
        assert!(why.contains("no line of the chain has the head"), "{why}");
    }

    #[cfg(unix)]
    #[test]
    fn a_journal_an_older_release_left_readable_to_others_is_tightened_on_the_next_append() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, journal) = journal_with(1);
        std::fs::set_permissions(journal.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
        journal.append(&JournalEntry::new(&plan(2), "arn:me", Mode::Confirmed, "ok", Vec::new())).unwrap();
        let mode = std::fs::metadata(journal.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(journal.verify(), Ok(2), "the head counts the lines as before");
    }
}
