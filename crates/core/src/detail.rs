//! Tenant details: small per-tenant reads shown as sections of the tenant card, read when the card
//! opens (and on `r`). The engine, the store and the card treat every detail alike, so a new one is
//! a module per layer plus a line in each source's registry (docs/architecture.md, "Adding a
//! source"). `service_events` is the first.

use crate::model::AwsService;
use crate::role::Role;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// One line of a detail's card section, with what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailLine {
    pub text: String,
    pub role: Role,
}

impl DetailLine {
    pub fn new(text: impl Into<String>, role: Role) -> DetailLine {
        DetailLine { text: text.into(), role }
    }
}

/// What a tenant detail shows. Text from AWS is sanitized when the value is built.
pub trait Detail: std::fmt::Debug + Send + Sync {
    /// The lines of its card section (ages relative to `now`).
    fn lines(&self, now: DateTime<Utc>) -> Vec<DetailLine>;
}

/// A detail as read: shared, and equal only to itself (one answer is one value).
#[derive(Debug, Clone)]
pub struct DetailValue(pub Arc<dyn Detail>);

impl DetailValue {
    pub fn new(detail: impl Detail + 'static) -> DetailValue {
        DetailValue(Arc::new(detail))
    }
}

impl PartialEq for DetailValue {
    fn eq(&self, other: &DetailValue) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// A detail a source can read: its name (the card's section title) and the AWS service it calls
/// (for the per-account limits and the error's origin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DetailSpec {
    pub name: &'static str,
    pub service: AwsService,
}
