//! What a findings read asks for and what it keeps. One tenant can have more findings than a
//! terminal needs (each up to 4 KB of text a field and 64 KB of JSON), so a read keeps at most
//! `per_account` of each account's, the most severe (open before closed), and counts the rest
//! exactly, by severity, as `beyond`: the fleet's counts stay exact and the lists say "+N more".

use super::{Finding, FindingCounts, Severity};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

/// Findings kept per account when `[audit] findings_per_tenant` is not set.
pub const DEFAULT_PER_ACCOUNT: usize = 500;

/// Which findings to read: the fleet asks for every open one; the timeline for one account's
/// changed in its range; an update for the findings it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingsAsk {
    pub open_only: bool,
    /// Only these accounts (None: every account the audit account sees).
    pub accounts: Option<Vec<String>>,
    /// Only findings updated at or after this time.
    pub updated_since: Option<DateTime<Utc>>,
    /// Only these findings (None: any).
    pub ids: Option<Vec<String>>,
}

impl FindingsAsk {
    /// Every open finding (the fleet's counts, `:findings`).
    pub fn open() -> FindingsAsk {
        FindingsAsk { open_only: true, accounts: None, updated_since: None, ids: None }
    }

    /// Every finding, closed ones too (`silo findings --all`).
    pub fn all() -> FindingsAsk {
        FindingsAsk { open_only: false, ..FindingsAsk::open() }
    }

    /// One account's findings updated since `since`, closed ones too (the timeline: a change is
    /// a change).
    pub fn changed_in(account_id: &str, since: DateTime<Utc>) -> FindingsAsk {
        let accounts = Some(vec![account_id.to_string()]);
        FindingsAsk { open_only: false, accounts, updated_since: Some(since), ids: None }
    }

    /// These findings, whatever their state (what an update changes).
    pub fn these(ids: Vec<String>) -> FindingsAsk {
        FindingsAsk { open_only: false, accounts: None, updated_since: None, ids: Some(ids) }
    }

    /// What keeps the answer: `per_account` findings of each account (the configured cap), and
    /// never fewer than the ids asked for, which are all wanted.
    pub fn keeper(&self, per_account: usize) -> Keeper {
        Keeper::new(per_account.max(self.ids.as_ref().map_or(0, Vec::len)))
    }

    /// Whether `f` is one the ask wants: the filters the server got, checked again on what came
    /// back (a server that ignores one must not widen the answer).
    pub fn accepts(&self, f: &Finding) -> bool {
        (!self.open_only || f.open)
            && self.accounts.as_ref().is_none_or(|a| a.contains(&f.account_id))
            && self.updated_since.is_none_or(|s| f.updated_at.is_none_or(|u| u >= s))
            && self.ids.as_ref().is_none_or(|ids| ids.contains(&f.id))
    }
}

/// Findings of one account read but not kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Beyond {
    /// How many, open or not.
    pub total: usize,
    /// The open ones by severity (they count in the fleet).
    pub open: FindingCounts,
}

impl Beyond {
    /// `other` counted too (two sources, or two reads, of one account).
    pub fn add(&mut self, other: Beyond) {
        self.total += other.total;
        self.open.add(other.open);
    }
}

/// What a read kept, and what it counted beyond the cap.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FindingList {
    pub findings: Vec<Finding>,
    /// Per account id: the findings read beyond `per_account`.
    pub beyond: BTreeMap<String, Beyond>,
}

impl FindingList {
    /// The findings not kept, in all accounts.
    pub fn beyond_total(&self) -> usize {
        self.beyond.values().map(|b| b.total).sum()
    }

    /// `more` added: its findings, and what it counted beyond the cap.
    pub fn join(&mut self, more: FindingList) {
        self.findings.extend(more.findings);
        add_beyond(&mut self.beyond, &more.beyond);
    }
}

/// What `more` counted, added to `into`, account by account.
pub fn add_beyond(into: &mut BTreeMap<String, Beyond>, more: &BTreeMap<String, Beyond>) {
    for (account, b) in more {
        into.entry(account.clone()).or_default().add(*b);
    }
}

impl From<Vec<Finding>> for FindingList {
    fn from(findings: Vec<Finding>) -> FindingList {
        FindingList { findings, beyond: BTreeMap::new() }
    }
}

impl<'a> IntoIterator for &'a FindingList {
    type Item = &'a Finding;
    type IntoIter = std::slice::Iter<'a, Finding>;
    fn into_iter(self) -> Self::IntoIter {
        self.findings.iter()
    }
}

impl std::ops::Deref for FindingList {
    type Target = Vec<Finding>;
    fn deref(&self) -> &Vec<Finding> {
        &self.findings
    }
}

impl std::ops::DerefMut for FindingList {
    fn deref_mut(&mut self) -> &mut Vec<Finding> {
        &mut self.findings
    }
}

/// Which of an account's findings a full cap gives up first: closed before open, then the
/// least severe, then the one read last.
#[derive(Debug)]
struct Ranked {
    key: (bool, Severity, Reverse<usize>),
    finding: Finding,
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

/// Keeps findings as a read pages through them: at most `per_account` of each account, the
/// rest counted. Memory stays within `per_account` findings per account however many there are.
#[derive(Debug)]
pub struct Keeper {
    per_account: usize,
    /// Each account's kept findings, the first to give up on top.
    kept: HashMap<String, BinaryHeap<Reverse<Ranked>>>,
    beyond: BTreeMap<String, Beyond>,
    read: usize,
}

impl Keeper {
    pub fn new(per_account: usize) -> Keeper {
        Keeper { per_account: per_account.max(1), kept: HashMap::new(), beyond: BTreeMap::new(), read: 0 }
    }

    /// Takes one finding read: kept, or counted when its account is full and it ranks no higher
    /// than the account's lowest kept one (which is then counted instead).
    pub fn offer(&mut self, finding: Finding) {
        let key = (finding.open, finding.severity, Reverse(self.read));
        self.read += 1;
        let heap = self.kept.entry(finding.account_id.clone()).or_default();
        heap.push(Reverse(Ranked { key, finding }));
        if heap.len() > self.per_account {
            if let Some(Reverse(given_up)) = heap.pop() {
                count(&mut self.beyond, &given_up.finding);
            }
        }
    }

    /// Everything kept, in the order it was read, and what was counted.
    pub fn finish(self) -> FindingList {
        let mut kept: Vec<Ranked> = self.kept.into_values().flat_map(|h| h.into_iter().map(|Reverse(r)| r)).collect();
        kept.sort_by_key(|r| Reverse(r.key.2));
        FindingList { findings: kept.into_iter().map(|r| r.finding).collect(), beyond: self.beyond }
    }
}

fn count(beyond: &mut BTreeMap<String, Beyond>, f: &Finding) {
    let entry = beyond.entry(f.account_id.clone()).or_default();
    entry.total += 1;
    if f.open {
        entry.open.add_label(f.severity.label());
    }
}

/// `list` merged with findings read again (an incremental read): changed ones replace, closed
/// ones leave, kept within the cap. What the list counted beyond the cap is kept as it was.
pub fn merge_open(known: &FindingList, changed: FindingList, per_account: usize) -> FindingList {
    let changed_ids: std::collections::HashSet<&str> = changed.iter().map(|f| f.id.as_str()).collect();
    let mut keeper = Keeper::new(per_account);
    known.iter().filter(|f| !changed_ids.contains(f.id.as_str())).for_each(|f| keeper.offer(f.clone()));
    changed.findings.into_iter().filter(|f| f.open).for_each(|f| keeper.offer(f));
    let mut merged = keeper.finish();
    add_beyond(&mut merged.beyond, &known.beyond);
    add_beyond(&mut merged.beyond, &changed.beyond);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::tests_support::finding;

    fn read(list: Vec<Finding>, cap: usize) -> FindingList {
        let mut keeper = Keeper::new(cap);
        list.into_iter().for_each(|f| keeper.offer(f));
        keeper.finish()
    }

    #[test]
    fn a_full_account_keeps_its_most_severe_open_findings_and_counts_the_rest_exactly() {
        let mut closed = finding("closed-critical", "111111111111", Severity::Critical, false);
        closed.status = "RESOLVED".into();
        let list = vec![
            finding("low", "111111111111", Severity::Low, true),
            closed,
            finding("high", "111111111111", Severity::High, true),
            finding("medium", "111111111111", Severity::Medium, true),
            finding("other", "222222222222", Severity::Low, true),
        ];
        let kept = read(list, 2);
        let ids: Vec<&str> = kept.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["high", "medium", "other"], "in the order read; the other account is not crowded out");
        let beyond = kept.beyond["111111111111"];
        assert_eq!(beyond.total, 2);
        assert_eq!(
            beyond.open,
            FindingCounts { low: 1, ..FindingCounts::default() },
            "the closed one counts in total only"
        );
        assert!(!kept.beyond.contains_key("222222222222"));
        assert_eq!(kept.beyond_total(), 2);
    }

    #[test]
    fn among_equals_the_first_read_are_kept() {
        let list = (0..5).map(|i| finding(&format!("f{i}"), "111111111111", Severity::High, true)).collect();
        let kept = read(list, 3);
        let ids: Vec<&str> = kept.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["f0", "f1", "f2"]);
        assert_eq!(kept.beyond["111111111111"].open.high, 2);
    }

    #[test]
    fn an_ask_checks_every_filter_again_on_what_came_back() {
        let since = chrono::Utc::now() - chrono::Duration::hours(1);
        let mut old = finding("old", "111111111111", Severity::High, false);
        old.updated_at = Some(since - chrono::Duration::minutes(1));
        let mut new = finding("new", "111111111111", Severity::High, false);
        new.updated_at = Some(since + chrono::Duration::minutes(1));
        let ask = FindingsAsk::changed_in("111111111111", since);
        assert!(ask.accepts(&new) && !ask.accepts(&old));
        assert!(!ask.accepts(&finding("elsewhere", "222222222222", Severity::High, true)));
        let these = FindingsAsk::these(vec!["new".into()]);
        assert!(these.accepts(&new) && !these.accepts(&old));
        assert!(!FindingsAsk::open().accepts(&new), "closed");
        assert!(FindingsAsk::all().accepts(&new));
    }

    #[test]
    fn an_incremental_merge_keeps_the_cap_and_what_was_counted() {
        let known = read((0..3).map(|i| finding(&format!("f{i}"), "111111111111", Severity::Low, true)).collect(), 2);
        let mut closed = finding("f0", "111111111111", Severity::Low, false);
        closed.status = "RESOLVED".into();
        let changed = FindingList::from(vec![closed, finding("f9", "111111111111", Severity::Critical, true)]);
        let merged = merge_open(&known, changed, 2);
        let ids: Vec<&str> = merged.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["f1", "f9"]);
        assert_eq!(merged.beyond["111111111111"].total, 1, "the one counted before is still counted");
    }
}
