//! Fleet columns by registration. A column that is not read deeply by a screen (VPN tunnels, the
//! AWS Health count, Config compliance) is a `ColumnSpec` in its feature module, a value type
//! implementing `ColumnData`, and a reader in `silo-aws` and in `silo-demo`, each registered by one
//! line in that crate's `COLUMNS`. The engine fans out over the source's registry; the store keeps
//! the values by name; the fleet table, the tenant card, the JSON/CSV report and the health
//! roll-up iterate it (docs/architecture.md, "Adding a fleet column").

use crate::model::{AwsService, Health};
use crate::role::Role;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// Where a column is read: in each tenant's account, or once for the organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One read per tenant with its read role; `calls` bounds its time (the limiter's budget).
    PerTenant { calls: u32 },
    /// One read for every tenant, in the account the source names for it.
    OrgWide,
}

/// Everything the fleet, the card and the reports need to know of a column besides its values.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    /// The store's key and the headless `--only` name: never shown, never renamed.
    pub name: &'static str,
    /// The fleet table's header.
    pub title: &'static str,
    pub width: u16,
    /// Lower is more important; narrow terminals drop the least important columns first.
    pub priority: u8,
    pub service: AwsService,
    pub scope: Scope,
    /// An answer this young is reused by the next refresh unless the user forces one.
    pub reuse_for: Option<std::time::Duration>,
    /// The tenant card's section heading.
    pub section: &'static str,
    /// The card's line when the tenant has none (no VPN, not configured): label and text.
    pub absent: (&'static str, &'static str),
    /// The field of the fleet report's JSON (a contract: docs/cli.md).
    pub json: &'static str,
    /// The fleet report's CSV columns, in order (a contract too).
    pub csv: &'static [&'static str],
    /// Rebuilds a value from its snapshot form (`ColumnData::encode`).
    pub decode: fn(serde_json::Value) -> Result<ColumnValue, String>,
}

impl PartialEq for ColumnSpec {
    fn eq(&self, other: &ColumnSpec) -> bool {
        self.name == other.name
    }
}

impl Eq for ColumnSpec {}

impl std::hash::Hash for ColumnSpec {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state)
    }
}

/// One line of a column's card section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardLine {
    /// `label: text`, aligned like the card's other fields.
    Field { label: String, text: String, role: Role },
    /// An indented line of its own.
    Line { text: String, role: Role },
}

/// What a column's value shows. Text from AWS is sanitized when the value is built.
pub trait ColumnData: std::fmt::Debug + Send + Sync + std::any::Any {
    /// The fleet cell and its meaning.
    fn cell(&self) -> (String, Role);
    /// What the column sorts by (higher: worse).
    fn sort_key(&self) -> i64;
    /// What it adds to the tenant's health; `Ok` for columns shown beside it, not counted in it.
    fn health(&self) -> Health {
        Health::Ok
    }
    /// The value of its JSON field.
    fn report(&self) -> serde_json::Value;
    /// Its CSV cells, one per `ColumnSpec::csv` name.
    fn csv(&self) -> Vec<String>;
    /// The lines of its card section (ages relative to `now`).
    fn card(&self, now: DateTime<Utc>) -> Vec<CardLine>;
    /// Its snapshot form, read back by `ColumnSpec::decode`.
    fn encode(&self) -> serde_json::Value;
}

/// A column's value as read: shared, compared by what it encodes to.
#[derive(Debug, Clone)]
pub struct ColumnValue(Arc<dyn ColumnData>);

impl ColumnValue {
    pub fn new(data: impl ColumnData + 'static) -> ColumnValue {
        ColumnValue(Arc::new(data))
    }

    pub fn data(&self) -> &dyn ColumnData {
        self.0.as_ref()
    }

    /// The value as its concrete type, for a command that shows it in full (`silo compliance`).
    pub fn downcast<T: ColumnData>(&self) -> Option<&T> {
        let any: &dyn std::any::Any = self.0.as_ref();
        any.downcast_ref::<T>()
    }
}

impl PartialEq for ColumnValue {
    fn eq(&self, other: &ColumnValue) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.encode() == other.0.encode()
    }
}

/// Decodes a snapshot value as `T`: the `decode` of a column whose value type is `T`.
pub fn decode_as<T>(value: serde_json::Value) -> Result<ColumnValue, String>
where
    T: ColumnData + serde::de::DeserializeOwned + 'static,
{
    serde_json::from_value::<T>(value).map(ColumnValue::new).map_err(|e| e.to_string())
}

impl serde::Serialize for ColumnValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.encode().serialize(serializer)
    }
}

/// A snapshot's value before its column's `decode` (`Store::restore`) turns it back into its
/// type; nothing shows one of these.
#[derive(Debug)]
struct Undecoded(serde_json::Value);

impl ColumnData for Undecoded {
    fn cell(&self) -> (String, Role) {
        ("?".into(), Role::Muted)
    }
    fn sort_key(&self) -> i64 {
        0
    }
    fn report(&self) -> serde_json::Value {
        serde_json::Value::Null
    }
    fn csv(&self) -> Vec<String> {
        Vec::new()
    }
    fn card(&self, _now: DateTime<Utc>) -> Vec<CardLine> {
        Vec::new()
    }
    fn encode(&self) -> serde_json::Value {
        self.0.clone()
    }
}

impl<'de> serde::Deserialize<'de> for ColumnValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<ColumnValue, D::Error> {
        serde_json::Value::deserialize(deserializer).map(|v| ColumnValue::new(Undecoded(v)))
    }
}

impl ColumnValue {
    /// This value read back by `spec` (a snapshot's); None when it no longer decodes.
    pub fn decoded(&self, spec: &ColumnSpec) -> Option<ColumnValue> {
        (spec.decode)(self.0.encode()).ok()
    }
}

/// A field of the card, as `CardLine::Field`.
pub fn field(label: &str, text: impl Into<String>, role: Role) -> CardLine {
    CardLine::Field { label: label.into(), text: text.into(), role }
}

/// An indented card line, as `CardLine::Line`.
pub fn line(text: impl Into<String>, role: Role) -> CardLine {
    CardLine::Line { text: text.into(), role }
}

/// The spec named `name` among `specs`.
pub fn find<'a>(specs: &'a [ColumnSpec], name: &str) -> Option<&'a ColumnSpec> {
    specs.iter().find(|s| s.name == name)
}
