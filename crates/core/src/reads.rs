//! On-demand reads through one path: a read a screen (or a command) asks for when it needs it,
//! keyed by what it is, of which tenant and with what argument, answered into the store as a
//! `Loadable`. A new read is its `Read<T>` handle beside its feature, a `FleetSource` method, and a
//! line in the engine's registry (`silo_engine::reads`): no request, event, store field or match
//! arm of its own (docs/architecture.md, "Adding a source").

use crate::model::AwsService;
use std::any::Any;
use std::marker::PhantomData;
use std::sync::Arc;

/// Which read, of which tenant (None: the organization), with what argument ("" when none).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReadKey {
    pub read: &'static str,
    pub account_id: Option<String>,
    pub arg: String,
}

/// What the limits need to know of a read: its name, the service it calls, how many calls it may
/// make (its share of the outer timeout).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadSpec {
    pub name: &'static str,
    pub service: AwsService,
    pub calls: u32,
}

/// A read and the type of its answer, so the code that asks and the code that shows it agree.
#[derive(Debug)]
pub struct Read<T> {
    pub spec: ReadSpec,
    answer: PhantomData<fn() -> T>,
}

impl<T> Read<T> {
    pub const fn new(name: &'static str, service: AwsService, calls: u32) -> Read<T> {
        Read { spec: ReadSpec { name, service, calls }, answer: PhantomData }
    }

    /// The key of this read for one tenant.
    pub fn of_tenant(&self, account_id: &str, arg: &str) -> ReadKey {
        ReadKey { read: self.spec.name, account_id: Some(account_id.to_string()), arg: arg.to_string() }
    }

    /// The key of this read for the organization.
    pub fn of_org(&self) -> ReadKey {
        ReadKey { read: self.spec.name, account_id: None, arg: String::new() }
    }
}

/// A read's answer: shared, of the type its `Read<T>` says, equal only to itself.
#[derive(Clone)]
pub struct ReadValue(Arc<dyn Any + Send + Sync>);

impl ReadValue {
    pub fn new<T: Any + Send + Sync>(value: T) -> ReadValue {
        ReadValue(Arc::new(value))
    }

    /// The answer as `T`; None when the read answered another type (a silo bug).
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.0.downcast_ref::<T>()
    }
}

impl std::fmt::Debug for ReadValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReadValue(..)")
    }
}

impl PartialEq for ReadValue {
    fn eq(&self, other: &ReadValue) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}
