//! Snapshot tests of every screen and popup (insta, `TestBackend`) and the user guide's generated
//! screens and key table.

mod guide;
mod snapshots;
mod snapshots_charts;
mod snapshots_deploy;
mod snapshots_queries;
