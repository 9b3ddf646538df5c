//! The chain of journal lines: each line's `hash` seals it, `prev` names the line before, and a
//! head file beside the journal says how many lines the newest file holds and its last hash.

use super::entry::JournalEntry;
use std::path::{Path, PathBuf};

/// What `verify` knows after each line.
#[derive(Default)]
pub(super) struct Chain {
    pub(super) previous: Option<String>,
    /// Lines of every file so far.
    pub(super) count: usize,
    /// Lines of the newest file that had any: what the head file counts.
    pub(super) in_file: usize,
    /// A chained line was seen: every later line must be chained too.
    pub(super) chained: bool,
    pub(super) hashes: Vec<String>,
}

impl Chain {
    /// Follows every line of one file of the journal; Err names the file's bad line and why.
    pub(super) fn follow_file(&mut self, path: &Path, text: &str) -> Result<(), String> {
        let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).peekable();
        if lines.peek().is_some() {
            self.in_file = 0;
        }
        for (i, line) in lines {
            self.follow(line).map_err(|why| format!("{}:{}: {why}", path.display(), i + 1))?;
        }
        Ok(())
    }

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
        self.in_file += 1;
        Ok(())
    }
}

/// The entry as a line: `prev` set, then its hash appended as the last field.
pub(super) fn chained_line(entry: &JournalEntry, prev: Option<String>) -> std::io::Result<String> {
    let unsealed = JournalEntry { prev, hash: None, ..entry.clone() };
    let body = serde_json::to_string(&unsealed).map_err(std::io::Error::other)?;
    let hash = sha256_hex(body.as_bytes());
    let open = body.strip_suffix('}').unwrap_or(&body);
    Ok(format!("{open},\"hash\":\"{hash}\"}}"))
}

/// The hash a line is known by: its `hash` field, checked against its text by `verify`; for a line
/// written before the chain, the SHA-256 of the line itself.
pub(super) fn line_hash(line: &str) -> String {
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

pub(super) fn head_path(path: &Path) -> PathBuf {
    super::files::sibling(path, "head")
}

/// Replaces the head file whole (a temporary file renamed over it): a crash mid-write leaves the
/// old head or the new one, never half of one that `verify` would read as a cut journal.
pub(super) fn write_head(path: &Path, count: usize, hash: &str) -> std::io::Result<()> {
    crate::paths::replace_private(&head_path(path), format!("{count} {hash}\n").as_bytes())
}

/// The journal must still end where the head file says it did; a chained journal must have one.
pub(super) fn check_head(path: &Path, count: usize, last: Option<&str>, chained: bool) -> Result<(), String> {
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
    if want_count == Some(count) {
        return Err(
            "its last line is not the one written last (the head names another): the end was replaced or removed"
                .into(),
        );
    }
    Err(format!(
        "the journal ends after {count} lines, but {} were written (its last lines were removed or changed)",
        want_count.map(|n| n.to_string()).unwrap_or_else(|| "more".into())
    ))
}
