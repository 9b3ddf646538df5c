//! `silo doctor --deep`: one harmless call for each IAM action silo's reads need, made with the
//! role silo makes it with, so a real organization learns which permission is missing before an
//! incident does. Each module probes one service. A call that answers "not found" for a name
//! that does not exist proves the permission: AWS evaluates the request's authorization first
//! and answers AccessDenied for a denied action whether or not the resource exists (IAM User
//! Guide, "Policy evaluation logic": a request is authorized before the service processes it).
//! A service that is not turned on says so instead of failing.

pub mod athena;
pub mod budgets;
pub mod cloudwatch;
pub mod codepipeline;
pub mod config;
pub mod controltower;
pub mod costexplorer;
pub mod ecr;
pub mod ecs;
pub mod guardduty;
pub mod health;
pub mod inspector;
pub mod scheduler;
pub mod securityhub;
pub mod servicecatalog;

use silo_core::error::{ErrorKind, FetchError};

/// What a probe's call showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// It answered: what it found.
    Answered(String),
    /// The permission is there; the thing asked for does not exist (yet).
    Allowed(String),
    /// The service (or feature) is not turned on where silo asked.
    NotEnabled(String),
}

/// One IAM action and what its call showed.
#[derive(Debug, Clone)]
pub struct Probe {
    pub action: &'static str,
    pub seen: Result<Seen, FetchError>,
}

impl Probe {
    pub fn of<T>(action: &'static str, result: Result<T, FetchError>, answered: impl FnOnce(T) -> String) -> Probe {
        Probe { action, seen: result.map(|v| Seen::Answered(answered(v))) }
    }

    /// A "not found" here proves the permission: `what` was asked for on purpose or is optional.
    pub fn allowed_if_absent(self, what: &str) -> Probe {
        self.if_absent(|| Seen::Allowed(format!("allowed ({what})")))
    }

    /// A "not found" here means the service is not turned on.
    pub fn not_enabled_if_absent(self, what: &str) -> Probe {
        self.if_absent(|| Seen::NotEnabled(what.to_string()))
    }

    fn if_absent(self, seen: impl FnOnce() -> Seen) -> Probe {
        match self.seen {
            Err(e) if e.kind == ErrorKind::NotFound => Probe { seen: Ok(seen()), ..self },
            other => Probe { seen: other, ..self },
        }
    }
}

/// A name no one gives a real resource: asking for it proves the permission without reading anything.
pub const ABSENT: &str = "silo-doctor-probe-absent";
