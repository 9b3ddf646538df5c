//! A tenant's registry columns (`crate::column`), by name, in the order they were first asked for
//! (the source's registry order), which is the order of the tenant's errors and of the reports.

use super::Loadable;
use crate::column::{ColumnSpec, ColumnValue};
use crate::error::FetchError;
use chrono::{DateTime, Utc};

/// What a column holds for one tenant: None inside a loaded value is "has none" (no VPN).
pub type ColumnSlot = Loadable<Option<ColumnValue>>;

#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Columns(Vec<(String, ColumnSlot)>);

impl Columns {
    pub fn get(&self, name: &str) -> Option<&ColumnSlot> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, slot)| slot)
    }

    /// The slot of `name`, made (idle) on first use.
    pub fn entry(&mut self, name: &str) -> &mut ColumnSlot {
        let at = match self.0.iter().position(|(n, _)| n == name) {
            Some(at) => at,
            None => {
                self.0.push((name.to_string(), Loadable::Idle));
                self.0.len() - 1
            }
        };
        &mut self.0[at].1
    }

    pub fn finish(&mut self, name: &str, result: Result<Option<ColumnValue>, FetchError>, at: DateTime<Utc>) {
        self.entry(name).finish(result, at)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &ColumnSlot)> {
        self.0.iter().map(|(n, slot)| (n.as_str(), slot))
    }

    /// A snapshot's columns read back by today's registry: a column no longer registered, or a
    /// value that no longer decodes, is dropped (shown as not read yet) rather than misread.
    pub fn decoded(self, specs: &[ColumnSpec]) -> Columns {
        let kept = self.0.into_iter().filter_map(|(name, slot)| {
            let spec = crate::column::find(specs, &name)?;
            Some((name, decode_slot(slot, spec)?))
        });
        Columns(kept.collect())
    }
}

fn decode_slot(slot: ColumnSlot, spec: &ColumnSpec) -> Option<ColumnSlot> {
    let decode = |loaded: super::Loaded<Option<ColumnValue>>| -> Option<super::Loaded<Option<ColumnValue>>> {
        let value = match loaded.value {
            Some(v) => Some(v.decoded(spec)?),
            None => None,
        };
        Some(super::Loaded { value, at: loaded.at })
    };
    Some(match slot {
        Loadable::Idle => Loadable::Idle,
        Loadable::Loading { previous } => Loadable::Loading { previous: previous.and_then(decode) },
        Loadable::Loaded(l) => Loadable::Loaded(decode(l)?),
        Loadable::Failed { error, at, previous } => Loadable::Failed { error, at, previous: previous.and_then(decode) },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::column::ColumnValue;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap()
    }

    /// A snapshot's columns as `serde_json` reads them back: every value undecoded.
    fn from_snapshot(columns: &Columns) -> Columns {
        serde_json::from_value(serde_json::to_value(columns).unwrap()).unwrap()
    }

    #[test]
    fn a_snapshot_keeps_what_the_registry_still_reads_and_drops_the_rest() {
        let mut columns = Columns::default();
        let vpn = crate::vpn::VpnStatus::default();
        columns.finish("vpn", Ok(Some(ColumnValue::new(vpn))), at());
        columns.finish("gone", Ok(None), at());
        columns.entry("compliance").start_loading();
        let back = from_snapshot(&columns).decoded(&[crate::vpn::COLUMN, crate::compliance::COLUMN]);
        let names: Vec<&str> = back.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["vpn", "compliance"], "a column no longer registered is dropped, order kept");
        let value = back.get("vpn").and_then(|s| s.value()).cloned().flatten().expect("a value");
        assert!(value.downcast::<crate::vpn::VpnStatus>().is_some(), "read back as its type");
        assert!(back.get("compliance").is_some_and(|s| s.is_loading()));
    }

    #[test]
    fn a_value_that_no_longer_decodes_is_not_misread() {
        let mut columns = Columns::default();
        let vpn = crate::vpn::VpnStatus::default();
        columns.finish("vpn", Ok(Some(ColumnValue::new(vpn))), at());
        // Read back by a registry whose `vpn` holds another type now.
        let renamed = crate::column::ColumnSpec { name: "vpn", ..crate::compliance::COLUMN };
        let back = from_snapshot(&columns).decoded(&[renamed]);
        assert_eq!(back.iter().count(), 0);
    }
}
