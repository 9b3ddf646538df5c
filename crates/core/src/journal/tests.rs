use super::*;
use crate::findings::tests_support::finding;
use crate::findings::Severity;
use crate::plan::ActionPlan;

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
    let mut lines: Vec<String> = std::fs::read_to_string(journal.path()).unwrap().lines().map(String::from).collect();
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
    let old = serde_json::to_string(&JournalEntry::new(&plan(1), "arn:me", Mode::Refused, "x", Vec::new())).unwrap();
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
    std::fs::remove_file(chain::head_path(journal.path())).unwrap();
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

fn rotating(lines: usize) -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().unwrap();
    // Every line fills its file: each line after the first starts a new one.
    let journal = Journal::at(dir.path().join("state/audit.jsonl")).rotating_at(1);
    for n in 0..lines {
        journal.append(&JournalEntry::new(&plan(n), "arn:me", Mode::Confirmed, "ok", Vec::new())).unwrap();
    }
    (dir, journal)
}

#[test]
fn a_full_file_rotates_and_the_chain_goes_on_in_the_next() {
    let (dir, journal) = rotating(3);
    let files = journal.files().unwrap();
    let names: Vec<String> = files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["audit.jsonl.000001", "audit.jsonl.000002", "audit.jsonl"]);
    let (dir, journal) = (drop(dir), rotating(8)).1;
    let files = journal.files().unwrap();
    assert_eq!(files.len(), 8);
    assert_eq!(journal.verify(), Ok(8), "verify walks every file");
    let first_file = Journal::at(files[0].clone()).read().unwrap();
    let second_file = Journal::at(files[1].clone()).read().unwrap();
    assert_eq!(second_file[0].prev, first_file.last().unwrap().hash, "the next file's first line names the last");
    assert_eq!(journal.read().unwrap().len(), 1, "the current file holds the newest line");
    let (all, bad) = journal.read_all_lenient().unwrap();
    let ids: Vec<&str> = all.iter().map(|e| e.ids[0].as_str()).collect();
    let written: Vec<String> = (0..8).map(|n| format!("f-{n}")).collect();
    assert_eq!(ids, written, "every file, oldest first");
    assert!(bad.is_empty());
    assert_eq!(all.first().map(|e| e.prev.clone()), Some(None), "the first line of all");
    let (count, hash) = journal.head().unwrap();
    assert_eq!((count, Some(hash)), (8, journal.read().unwrap().last().unwrap().hash.clone()));
    drop(dir);
}

#[test]
fn a_rotated_file_removed_or_changed_breaks_the_chain_naming_the_file() {
    let (_dir, journal) = rotating(8);
    let files = journal.files().unwrap();
    std::fs::remove_file(&files[1]).unwrap();
    let why = journal.verify().unwrap_err();
    assert!(
        why.ends_with("audit.jsonl.000003:1: does not follow the line before it (a line was removed, added or moved)"),
        "{why}"
    );
    let (_dir, journal) = rotating(8);
    let oldest = journal.files().unwrap()[0].clone();
    let text = std::fs::read_to_string(&oldest).unwrap().replacen("\"ok\"", "\"nothing\"", 1);
    std::fs::write(&oldest, text).unwrap();
    let why = journal.verify().unwrap_err();
    assert!(why.contains("audit.jsonl.000001:1: was changed after it was written"), "{why}");
}

#[test]
fn a_head_kept_before_a_rotation_is_still_found_in_the_rotated_file() {
    let (_dir, journal) = rotating(2);
    let (_, kept) = journal.head().unwrap();
    for n in 10..16 {
        journal.append(&JournalEntry::new(&plan(n), "arn:me", Mode::Confirmed, "ok", Vec::new())).unwrap();
    }
    assert_eq!(journal.files().unwrap().len(), 8);
    assert_eq!(journal.verify_against(Some(&kept)), Ok(8));
}

#[test]
fn a_crash_right_after_a_rotation_verifies_and_the_next_line_continues_the_chain() {
    let (_dir, journal) = rotating(3);
    // As if silo stopped between renaming the full file and writing the new one's first line.
    super::files::rotate(journal.path()).unwrap();
    assert!(!journal.path().exists());
    assert_eq!(journal.verify(), Ok(3), "the head still names the rotated file's end");
    journal.append(&JournalEntry::new(&plan(9), "arn:me", Mode::Confirmed, "ok", Vec::new())).unwrap();
    assert_eq!(journal.verify(), Ok(4));
    assert_eq!(journal.read().unwrap().len(), 1);
}
