//! silo: a terminal operations console for SaaS fleets that run each tenant in its own AWS
//! account. See docs/architecture.md for how the pieces fit.

pub mod aws;
pub mod config;
pub mod demo;
pub mod fetch;
pub mod fetch_error;
#[cfg(test)]
pub mod fixtures;
pub mod model;
pub mod paths;
pub mod sanitize;
pub mod store;
pub mod app;
pub mod fleet_progress;
pub mod keymap;
pub mod theme;
pub mod views;
pub mod cli;
pub mod headless;
pub mod report;
pub mod setup;
pub mod tui;
