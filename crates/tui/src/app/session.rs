//! What a run of silo was started with (the config and the flags), fixed for the session: where
//! actions go, who acts, where the journal and the snapshot are kept.

use silo_core::plan::{AthenaTarget, AuditTarget};
use std::path::PathBuf;
use std::time::Duration;

pub struct Session {
    /// Saved Athena queries (shipped and `[logs] query_dirs`).
    pub library: silo_core::queries::Library,
    /// Program that opens console URLs (`opener` in the config), if any.
    pub opener: Option<String>,
    /// How far before an alarm a change is a suspect (`[timeline] suspect_minutes`).
    pub suspect_window: chrono::Duration,
    /// Audit account and region, where finding actions go.
    pub audit: AuditTarget,
    /// `[audit] detective`: a finding offers its Amazon Detective investigation.
    pub detective: bool,
    /// `[releases] critical_threshold` when `[releases]` is set up: plans check the version's
    /// image against the registry's scans.
    pub releases: Option<u32>,
    /// `[releases] stale_scan_days`: how old a scan may be before `:releases` marks it.
    pub stale_scan_days: u32,
    /// The operator's zone (`zone`, else `TZ`, else UTC): chart axes are labelled in it.
    pub zone: chrono_tz::Tz,
    /// Logs account, region, workgroup and database, where confirmed Athena statements go.
    pub athena: AthenaTarget,
    /// Who acts, as shown in Security Hub notes (`silo-<user>`).
    pub user: String,
    /// The audit journal's file.
    pub journal_path: PathBuf,
    /// `[tenants] scheduler_role`: the role scheduled updates run as in each tenant account.
    pub scheduler_role: String,
    /// Where the fleet is kept on disk for the next start (and `--offline`).
    pub snapshot_path: PathBuf,
    /// Cost Explorer may be read (configured, or accepted in the UI this session).
    pub cost_explorer: bool,
    pub refresh_interval: Duration,
}

impl Session {
    /// The defaults before the config is applied.
    pub fn new(refresh_interval: Duration) -> Session {
        Session {
            library: silo_core::queries::Library::builtin(),
            opener: None,
            suspect_window: chrono::Duration::minutes(silo_core::timeline::SUSPECT_WINDOW_MINUTES),
            audit: AuditTarget::default(),
            detective: false,
            releases: None,
            stale_scan_days: 30,
            zone: chrono_tz::UTC,
            athena: AthenaTarget::default(),
            user: silo_core::identity::session_name(),
            journal_path: silo_core::journal::Journal::default_path(),
            scheduler_role: "SiloScheduler".into(),
            snapshot_path: silo_core::snapshot::path_for(None, true),
            cost_explorer: false,
            refresh_interval,
        }
    }
}
