//! Answers (per column and account) kept for reuse while they are younger than their column's
//! `reuse_for`, with the time they were read (shown as the data's age). The VPN's TunnelState has
//! a point per five minutes: reading it on every refresh (each 60 s by default) costs
//! GetMetricData, which CloudWatch bills per metric asked, and shows nothing new.

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

pub struct Recent<T> {
    entries: Mutex<HashMap<String, (DateTime<Utc>, T)>>,
}

impl<T: Clone> Recent<T> {
    pub fn new() -> Self {
        Recent { entries: Mutex::new(HashMap::new()) }
    }

    /// The answer kept under `key` and when it was read, if it is younger than `max_age` at `now`.
    pub fn get(&self, key: &str, now: DateTime<Utc>, max_age: Duration) -> Option<(DateTime<Utc>, T)> {
        let entries = self.lock();
        let (at, value) = entries.get(key)?;
        let age = (now - *at).to_std().unwrap_or(Duration::ZERO);
        (age < max_age).then(|| (*at, value.clone()))
    }

    pub fn put(&self, key: &str, at: DateTime<Utc>, value: T) {
        self.lock().insert(key.to_string(), (at, value));
    }

    /// Forgets every answer (`r`: the user asks for fresh data).
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, (DateTime<Utc>, T)>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_answer_is_reused_until_it_is_as_old_as_the_maximum_age() {
        let recent = Recent::new();
        let at = Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap();
        let max_age = Duration::from_secs(300);
        recent.put("vpn/111111111111", at, 7);
        let after = |secs: i64| recent.get("vpn/111111111111", at + chrono::Duration::seconds(secs), max_age);
        assert_eq!(after(299), Some((at, 7)));
        assert_eq!(after(300), None);
        assert_eq!(recent.get("vpn/222222222222", at, max_age), None, "per key");
        recent.clear();
        assert_eq!(after(1), None);
    }
}
