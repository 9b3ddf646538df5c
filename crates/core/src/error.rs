//! A failed fetch, as data: which AWS service failed for which tenant, what kind of failure and
//! the (sanitized) message. It lives in the store and is shown on that tenant's row.

use crate::model::AwsService;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// AccessDenied, role not assumable, missing permission.
    Denied,
    /// Throttled after the retries were spent.
    Throttled,
    /// No answer within the configured timeout.
    TimedOut,
    /// The resource (cluster, service, detector...) does not exist.
    NotFound,
    /// Connection refused, DNS, TLS: AWS not reached at all.
    Unreachable,
    Other,
}

impl ErrorKind {
    pub fn label(self) -> &'static str {
        match self {
            ErrorKind::Denied => "denied",
            ErrorKind::Throttled => "throttled",
            ErrorKind::TimedOut => "timed out",
            ErrorKind::NotFound => "not found",
            ErrorKind::Unreachable => "unreachable",
            ErrorKind::Other => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, serde::Deserialize)]
pub struct FetchError {
    pub service: AwsService,
    pub kind: ErrorKind,
    pub message: String,
}

impl FetchError {
    pub fn new(service: AwsService, kind: ErrorKind, message: impl AsRef<str>) -> Self {
        let message = crate::sanitize::clean_truncated(message.as_ref(), 500);
        FetchError { service, kind, message }
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.service, self.kind.label(), self.message)
    }
}

/// The message a panic carried (`panic!("…")` or a formatted one), for reporting it as an error.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_is_sanitized_on_construction() {
        let e = FetchError::new(AwsService::Ecs, ErrorKind::Other, "bad\u{1b}[2Jthing");
        assert_eq!(e.message, "badthing");
        assert_eq!(e.to_string(), "ecs error: badthing");
    }
}
