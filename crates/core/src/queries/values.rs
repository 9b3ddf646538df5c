//! Parameter values → Athena `ExecutionParameters`: each value is checked against its type and
//! turned into a SQL literal (strings quoted and escaped here), so nothing a user types becomes
//! SQL text. Everything is checked before anything is sent.

use super::{ParamKind, SavedQuery};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use std::collections::BTreeMap;

/// Athena's limit on the query string (StartQueryExecution QueryString).
pub const MAX_QUERY_BYTES: usize = 262_144;
/// Athena's limit on one execution parameter.
pub const MAX_PARAMETER_CHARS: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BindError {
    #[error("{query}: unknown parameter {name:?}; its parameters are: {expected}")]
    Unknown { query: String, name: String, expected: String },
    #[error("{query}: parameter {name} is required ({kind}){hint}")]
    Missing { query: String, name: String, kind: &'static str, hint: String },
    #[error("{query}: parameter {name} ({kind}): {message}")]
    Invalid { query: String, name: String, kind: &'static str, message: String },
    #[error("the query is {0} bytes long; Athena accepts at most {MAX_QUERY_BYTES}")]
    TooLong(usize),
}

/// The execution parameters of `query`, in placeholder order. `given` are the user's values by
/// name; `tenant` (an account id) fills a parameter named `tenant` that was not given.
pub fn bind(
    query: &SavedQuery,
    given: &BTreeMap<String, String>,
    tenant: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<String>, BindError> {
    check_length(&query.sql)?;
    let names: Vec<&str> = query.parameters.iter().map(|p| p.name.as_str()).collect();
    if let Some(unknown) = given.keys().find(|k| !names.contains(&k.as_str())) {
        return Err(BindError::Unknown {
            query: query.name.clone(),
            name: unknown.clone(),
            expected: names.join(", "),
        });
    }
    query
        .parameters
        .iter()
        .map(|p| {
            let from_tenant = (p.name == "tenant").then_some(tenant).flatten();
            let value = given.get(&p.name).map(String::as_str).or(from_tenant).or(p.default.as_deref());
            let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
                let hint =
                    if p.name == "tenant" { "; select a tenant or pass --tenant".to_string() } else { String::new() };
                return Err(BindError::Missing {
                    query: query.name.clone(),
                    name: p.name.clone(),
                    kind: p.kind.label(),
                    hint,
                });
            };
            literal(p.kind, value, now).map_err(|message| BindError::Invalid {
                query: query.name.clone(),
                name: p.name.clone(),
                kind: p.kind.label(),
                message,
            })
        })
        .collect()
}

pub fn check_length(sql: &str) -> Result<(), BindError> {
    if sql.len() > MAX_QUERY_BYTES {
        return Err(BindError::TooLong(sql.len()));
    }
    Ok(())
}

/// The SQL literal for `value` read as `kind`.
pub fn literal(kind: ParamKind, value: &str, now: DateTime<Utc>) -> Result<String, String> {
    let text = match kind {
        ParamKind::AccountId if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) => format!("'{value}'"),
        ParamKind::AccountId => return Err(format!("expected a 12-digit AWS account id, found {value:?}")),
        ParamKind::Date => format!("DATE '{}'", date(value, now)?.format("%Y-%m-%d")),
        ParamKind::Timestamp => format!("TIMESTAMP '{}'", timestamp(value, now)?.format("%Y-%m-%d %H:%M:%S")),
        ParamKind::Integer => {
            value.parse::<i64>().map_err(|_| format!("expected a whole number, found {value:?}"))?.to_string()
        }
        ParamKind::String => string(value)?,
    };
    if text.chars().count() > MAX_PARAMETER_CHARS {
        return Err(format!("longer than Athena's {MAX_PARAMETER_CHARS} characters per parameter"));
    }
    Ok(text)
}

/// `YYYY-MM-DD`, `today`, `today-7d`.
fn date(value: &str, now: DateTime<Utc>) -> Result<NaiveDate, String> {
    let today = now.date_naive();
    if value == "today" {
        return Ok(today);
    }
    if let Some(days) = value.strip_prefix("today-").and_then(|d| d.strip_suffix('d')) {
        let wrong = || format!("expected today-<N>d with a date chrono can hold, found {value:?}");
        let days: i64 = days.parse().map_err(|_| wrong())?;
        return Duration::try_days(days).and_then(|d| today.checked_sub_signed(d)).ok_or_else(wrong);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| format!("expected a date YYYY-MM-DD, today or today-<N>d, found {value:?}"))
}

/// `YYYY-MM-DD HH:MM:SS` (or with `T`), `now`, `now-6h`, `now-30m`, `now-2d`.
fn timestamp(value: &str, now: DateTime<Utc>) -> Result<NaiveDateTime, String> {
    if value == "now" {
        return Ok(now.naive_utc());
    }
    if let Some(rest) = value.strip_prefix("now-") {
        let wrong = || format!("expected now-<N>m|h|d, found {value:?}");
        // The unit is the last character, whatever its byte length (`now-1é` is an error, not a panic).
        let (at, unit) = rest.char_indices().last().ok_or_else(wrong)?;
        let n: i64 = rest[..at].parse().map_err(|_| wrong())?;
        let back = match unit {
            'm' => Duration::try_minutes(n),
            'h' => Duration::try_hours(n),
            'd' => Duration::try_days(n),
            _ => return Err(wrong()),
        };
        return back.and_then(|b| now.checked_sub_signed(b)).map(|t| t.naive_utc()).ok_or_else(wrong);
    }
    let trimmed = value.trim_end_matches('Z').replace('T', " ");
    NaiveDateTime::parse_from_str(&trimmed, "%Y-%m-%d %H:%M:%S")
        .map_err(|_| format!("expected YYYY-MM-DD HH:MM:SS, now or now-<N>h, found {value:?}"))
}

/// A quoted string literal; quotes doubled, control characters refused.
fn string(value: &str) -> Result<String, String> {
    if value.chars().any(char::is_control) {
        return Err("control characters are not allowed".into());
    }
    Ok(format!("'{}'", value.replace('\'', "''")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_relative_values_are_errors_not_panics() {
        let now = chrono::Utc::now();
        for value in ["now-1é", "now-é", "now-", "now-99999999999999d", "now-9223372036854775807m"] {
            assert!(literal(ParamKind::Timestamp, value, now).is_err(), "{value}");
        }
        for value in ["today-99999999999d", "today-9223372036854775807d", "today-d"] {
            assert!(literal(ParamKind::Date, value, now).is_err(), "{value}");
        }
        assert!(literal(ParamKind::Timestamp, "now-6h", now).is_ok());
    }
}
