//! The last fleet seen, kept on disk (`$XDG_CACHE_HOME/silo/`), so silo opens with it at once
//! (marked stale, with its age) while a refresh runs, and `--offline` can browse it when AWS is out
//! of reach (an expired SSO session, say). Credentials are never part of it.

use crate::store::{Store, TenantRecord};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FleetSnapshot {
    /// Format version, so an older silo refuses a newer file instead of misreading it.
    pub version: u32,
    pub saved_at: DateTime<Utc>,
    pub tenants: Vec<TenantRecord>,
}

const VERSION: u32 = 1;

/// One file per organization: the demo, or a config file (by its absolute path).
pub fn path_for(config: Option<&Path>, demo: bool) -> PathBuf {
    let key = match (demo, config) {
        (true, _) | (false, None) => "demo".to_string(),
        (false, Some(path)) => {
            let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            format!("{:016x}", crate::hash::hash(&absolute.display().to_string(), 0))
        }
    };
    crate::paths::cache_dir().join(format!("fleet-{key}.json"))
}

pub fn of(store: &Store, saved_at: DateTime<Utc>) -> FleetSnapshot {
    FleetSnapshot { version: VERSION, saved_at, tenants: store.tenants.values().cloned().collect() }
}

/// Writes atomically (temporary file, then rename), so a crash never leaves half a snapshot.
pub fn save(path: &Path, snapshot: &FleetSnapshot) -> std::io::Result<()> {
    let tmp = path.with_extension("json.tmp");
    crate::paths::write_private(&tmp, &serde_json::to_vec(snapshot).map_err(std::io::Error::other)?)?;
    std::fs::rename(&tmp, path)
}

/// The snapshot, None when there is none yet; a damaged or foreign file is an error naming it.
pub fn load(path: &Path) -> Result<Option<FleetSnapshot>, String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let snapshot: FleetSnapshot =
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: not a silo snapshot ({e})", path.display()))?;
    if snapshot.version != VERSION {
        return Err(format!("{}: snapshot version {} (this silo reads {VERSION})", path.display(), snapshot.version));
    }
    Ok(Some(snapshot))
}

impl Store {
    /// Shows a snapshot's tenants with the times their data was really fetched; its registry
    /// columns are read back by the source's registry, `columns`.
    pub fn restore(&mut self, snapshot: FleetSnapshot, columns: &[crate::column::ColumnSpec]) {
        let decoded = |mut r: TenantRecord| {
            r.columns = std::mem::take(&mut r.columns).decoded(columns);
            (r.tenant.account_id.clone(), r)
        };
        self.tenants = snapshot.tenants.into_iter().map(decoded).collect();
        self.columns = columns.to_vec();
        self.refresh_slots = crate::store::Slot::all(columns);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_is_none_and_damaged_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fleet.json");
        assert_eq!(load(&path), Ok(None));
        std::fs::write(&path, b"{\"version\": 99, \"saved_at\": \"2026-01-01T00:00:00Z\", \"tenants\": []}").unwrap();
        assert!(load(&path).unwrap_err().contains("snapshot version 99"));
        std::fs::write(&path, b"garbage").unwrap();
        assert!(load(&path).unwrap_err().contains("not a silo snapshot"));
    }

    #[test]
    fn each_organization_has_its_own_file() {
        let a = path_for(Some(Path::new("/etc/silo/a.toml")), false);
        let b = path_for(Some(Path::new("/etc/silo/b.toml")), false);
        assert_ne!(a, b);
        assert!(path_for(None, true).ends_with("fleet-demo.json"));
    }
}
