//! silo: a terminal operations console for SaaS fleets that run each tenant in its own AWS
//! account. See docs/architecture.md for how the pieces fit.

pub mod actions;
pub mod alarms;
pub mod app;
pub mod aws;
pub mod cli;
pub mod config;
pub mod demo;
pub mod deploy;
pub mod fetch;
pub mod fetch_error;
pub mod findings;
#[cfg(test)]
pub mod fixtures;
pub mod fleet_progress;
pub mod headless;
pub mod headless_confirm;
pub mod headless_deploy;
pub mod headless_doctor;
pub mod headless_findings;
pub mod headless_query;
pub mod keymap;
pub mod metrics;
pub mod model;
pub mod paths;
pub mod queries;
pub mod report;
pub mod sanitize;
pub mod setup;
pub mod snapshot;
pub mod spend;
pub mod store;
pub mod theme;
pub mod tui;
pub mod views;
