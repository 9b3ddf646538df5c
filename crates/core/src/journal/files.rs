//! The journal's files: the current one (`audit.jsonl`), the rotated ones before it
//! (`audit.jsonl.000001`, `.000002`…, oldest first), and the lock every silo process takes before
//! it writes. The chain runs through them all: a rotated file's last line is the `prev` of the
//! next file's first.

use std::fs::File;
use std::path::{Path, PathBuf};

/// How many digits a rotated file's number has: names sort in the order they were rotated.
const DIGITS: usize = 6;

/// The exclusive lock of the journal at `path`, held until the returned file is dropped. It is a
/// file of its own (`audit.jsonl.lock`): the journal file is renamed when it rotates, and a
/// process waiting on the renamed file's lock would then append to the rotated file.
pub(super) fn lock(path: &Path) -> std::io::Result<File> {
    let file = crate::paths::append_private(&sibling(path, "lock"))?;
    file.lock()?;
    Ok(file)
}

/// The rotated files of the journal at `path`, oldest first.
pub(super) fn rotated(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else {
        return Ok(Vec::new());
    };
    let entries = match std::fs::read_dir(if dir.as_os_str().is_empty() { Path::new(".") } else { dir }) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut numbered: Vec<(u64, PathBuf)> = Vec::new();
    for entry in entries {
        let entry = entry?;
        let file_name = entry.file_name();
        if let Some(n) = rotation_number(name, &file_name.to_string_lossy()) {
            numbered.push((n, entry.path()));
        }
    }
    numbered.sort();
    Ok(numbered.into_iter().map(|(_, p)| p).collect())
}

/// `000002` of `audit.jsonl.000002` when `file` is a rotated file of `journal`.
fn rotation_number(journal: &str, file: &str) -> Option<u64> {
    let digits = file.strip_prefix(journal)?.strip_prefix('.')?;
    (digits.len() == DIGITS && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok())?
}

/// Renames the current file to the next rotated name; the next append starts a new file.
pub(super) fn rotate(path: &Path) -> std::io::Result<PathBuf> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("audit.jsonl");
    let last = rotated(path)?.last().and_then(|p| rotation_number(name, &p.file_name()?.to_string_lossy()));
    let next = sibling(path, &format!("{:0width$}", last.unwrap_or(0) + 1, width = DIGITS));
    std::fs::rename(path, &next)?;
    Ok(next)
}

/// `audit.jsonl.<suffix>` beside the journal.
pub(super) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Cuts a torn last line (no newline: the write was cut short) and returns the number of whole
/// lines and the last one: the one read of the file an append makes. A missing file has none.
pub(super) fn repair_and_last_line(path: &Path) -> std::io::Result<(usize, Option<String>)> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((0, None)),
        Err(e) => return Err(e),
    };
    let mut whole = text.as_str();
    if !text.is_empty() && !text.ends_with('\n') {
        let keep = text.rfind('\n').map(|i| i + 1).unwrap_or(0);
        std::fs::OpenOptions::new().write(true).open(path)?.set_len(keep as u64)?;
        whole = &text[..keep];
    }
    let lines: Vec<&str> = whole.lines().filter(|l| !l.trim().is_empty()).collect();
    Ok((lines.len(), lines.last().map(|l| l.to_string())))
}

/// The last line of the newest rotated file: what a new, empty current file continues from.
pub(super) fn last_rotated_line(path: &Path) -> std::io::Result<Option<String>> {
    let Some(newest) = rotated(path)?.pop() else { return Ok(None) };
    let text = std::fs::read_to_string(newest)?;
    Ok(text.lines().rfind(|l| !l.trim().is_empty()).map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_numbered_siblings_of_the_journal_are_rotated_files() {
        assert_eq!(rotation_number("audit.jsonl", "audit.jsonl.000012"), Some(12));
        assert_eq!(rotation_number("audit.jsonl", "audit.jsonl.head"), None);
        assert_eq!(rotation_number("audit.jsonl", "audit.jsonl.12"), None);
        assert_eq!(rotation_number("audit.jsonl", "demo-audit.jsonl.000001"), None);
    }
}
