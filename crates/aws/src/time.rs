//! The SDK's timestamps as chrono times (what the core model uses).

use chrono::{DateTime, Utc};

/// None when the SDK time is outside chrono's range.
pub fn to_chrono(t: &aws_smithy_types::DateTime) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}
