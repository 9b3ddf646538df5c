//! How far a refresh has come and how fresh the data is: the header gauge and the stderr
//! progress of headless commands both read it.

use crate::format::age;
use crate::store::Store;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub loaded: usize,
    pub total: usize,
    pub refreshing: bool,
    pub finished_at: Option<DateTime<Utc>>,
}

impl Progress {
    pub fn of(store: &Store) -> Progress {
        Progress {
            loaded: store.loaded_count(),
            total: store.tenants.len(),
            refreshing: store.is_refreshing(),
            finished_at: store.refresh_finished,
        }
    }

    pub fn ratio(&self) -> f64 {
        if self.total == 0 {
            return if self.refreshing { 0.0 } else { 1.0 };
        }
        (self.loaded as f64 / self.total as f64).clamp(0.0, 1.0)
    }

    pub fn freshness(&self, now: DateTime<Utc>) -> String {
        match (self.refreshing, self.finished_at) {
            (true, _) => "refreshing…".into(),
            (false, Some(at)) => format!("refreshed {} ago", age(at, now)),
            (false, None) => "not loaded yet".into(),
        }
    }
}
