//! silo's core: domain types and pure logic per feature, the config, the normalized store and the
//! read models the screens and the headless commands share. It depends on no async runtime, no
//! terminal library and no AWS SDK (a test in the `silo` package checks that), so everything here
//! is plain data and functions; the sources (`silo-aws`, `silo-demo`) implement its `FleetSource`.

pub mod actions;
pub mod alarms;
pub mod arn;
pub mod aws_health;
pub mod catalog;
pub mod chart;
pub mod column;
pub mod compare;
pub mod compliance;
pub mod config;
pub mod cost;
pub mod deploy;
pub mod detail;
pub mod error;
pub mod governance;

pub mod findings;

pub mod fleet;
pub mod fleet_progress;
pub mod format;
pub mod hash;
pub mod identity;
pub mod journal;
pub mod links;
pub mod metrics;
pub mod model;
pub mod paths;
pub mod plan;
pub mod queries;
pub mod queue;
pub mod read_errors;
pub mod reads;
pub mod releases;
pub mod report;
pub mod role;
pub mod rollouts;
pub mod sanitize;
pub mod schedule_outcome;
pub mod service_events;
pub mod snapshot;
pub mod source;
pub mod spend;
pub mod store;
pub mod tenant_list;
pub mod tenant_lookup;
pub mod terms;
pub mod text;
pub mod timeline;
pub mod vpn;
