//! The answers of on-demand reads (`crate::reads`) as the screens use them: a `Loadable` of the
//! read's own type.

use super::{Loadable, Loaded, Store};
use crate::error::{ErrorKind, FetchError};
use crate::reads::{Read, ReadKey, ReadValue};
use std::any::Any;

impl Store {
    /// The state of a read (None: never asked).
    pub fn reading(&self, key: &ReadKey) -> Option<&Loadable<ReadValue>> {
        self.reads.get(key)
    }

    /// The answer of `read` under `key`, typed (Idle: never asked).
    pub fn answer<T: Any>(&self, read: &Read<T>, key: &ReadKey) -> Loadable<&T> {
        debug_assert_eq!(read.spec.name, key.read, "the key is of another read");
        self.reads.get(key).map(typed).unwrap_or_default()
    }

    /// Marks a read as loading (what it showed stays while the new answer comes).
    pub fn start_read(&mut self, key: ReadKey) {
        self.reads.entry(key).or_default().start_loading();
    }
}

/// A kept answer as `T` (None when it is of another type).
fn last<T: Any>(kept: &Option<Loaded<ReadValue>>) -> Option<Loaded<&T>> {
    kept.as_ref().and_then(|l| Some(Loaded { value: l.value.get::<T>()?, at: l.at }))
}

fn typed<T: Any>(loadable: &Loadable<ReadValue>) -> Loadable<&T> {
    match loadable {
        Loadable::Idle => Loadable::Idle,
        Loadable::Loading { previous } => Loadable::Loading { previous: last(previous) },
        Loadable::Failed { error, at, previous } => {
            Loadable::Failed { error: error.clone(), at: *at, previous: last(previous) }
        }
        Loadable::Loaded(l) => match l.value.get::<T>() {
            Some(value) => Loadable::Loaded(Loaded { value, at: l.at }),
            None => {
                let message = "silo bug: the read answered another type";
                let error = FetchError::new(crate::model::AwsService::Sts, ErrorKind::Other, message);
                Loadable::Failed { error, at: l.at, previous: None }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reads::Read;
    use chrono::TimeZone;

    const NUMBERS: Read<Vec<u32>> = Read::new("numbers", crate::model::AwsService::Sts, 1);

    #[test]
    fn an_answer_is_typed_by_its_read_and_a_wrong_type_is_an_error_not_a_blank() {
        let at = chrono::Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap();
        let mut store = Store::default();
        let key = NUMBERS.of_org();
        assert_eq!(store.answer(&NUMBERS, &key), Loadable::Idle, "never asked");
        store.start_read(key.clone());
        assert!(store.answer(&NUMBERS, &key).is_loading());
        store.reads.entry(key.clone()).or_default().finish(Ok(ReadValue::new(vec![1u32, 2])), at);
        assert_eq!(store.answer(&NUMBERS, &key).value().map(|v| v.len()), Some(2));
        store.start_read(key.clone());
        assert_eq!(store.answer(&NUMBERS, &key).value().map(|v| v.len()), Some(2), "kept while loading again");
        store.reads.entry(key.clone()).or_default().finish(Ok(ReadValue::new("text")), at);
        let wrong = store.answer(&NUMBERS, &key);
        assert!(wrong.error().is_some_and(|e| e.message.contains("another type")), "{wrong:?}");
    }
}
