//! The write half's exact requests, against aws-smithy-mocks (moto lacks or ignores these calls).
//! They live inside the crate because the write functions are private to it: only the source's
//! `execute`, behind a `WritePermit`, reaches them. Moved from `tests/` unchanged.

mod assume;
mod athena;
mod catalog;
mod compliance;
mod deployments;
mod finding_actions;
mod governance;
mod health;
mod inspector;
mod organizations;
mod queue;
mod releases;
mod scheduler_metrics;
mod service_events;
mod vpn;
