//! A saved query's file: its `-- name:`/`-- param:` header parsed and checked (defaults too, at
//! load), and the placeholders of its SQL counted outside strings and comments.

use super::values;
use super::{Param, ParamKind, SavedQuery};
use std::path::PathBuf;

/// A bad query file: where and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: `{key}`: {message}")]
pub struct QueryFileError {
    pub file: PathBuf,
    pub line: usize,
    pub key: String,
    pub message: String,
}

/// Parses one query file. `origin` names it in errors.
pub fn parse(text: &str, origin: &str) -> Result<SavedQuery, QueryFileError> {
    let err = |line: usize, key: &str, message: String| QueryFileError {
        file: PathBuf::from(origin),
        line,
        key: key.to_string(),
        message,
    };
    let mut query = SavedQuery {
        name: String::new(),
        description: String::new(),
        parameters: Vec::new(),
        tables: Vec::new(),
        sql: String::new(),
        origin: origin.to_string(),
    };
    let mut body_start = None;
    for (i, line) in text.lines().enumerate() {
        let Some(comment) = line.trim_start().strip_prefix("--") else {
            if !line.trim().is_empty() {
                body_start = Some(i);
                break;
            }
            continue;
        };
        let Some((key, value)) = comment.split_once(':') else { continue };
        let (key, value) = (key.trim(), value.trim());
        match key {
            "name" => query.name = check_name(value).map_err(|m| err(i + 1, key, m))?,
            "description" => query.description = value.to_string(),
            "tables" => {
                query.tables = value.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect()
            }
            "param" => query.parameters.push(parse_param(value).map_err(|m| err(i + 1, key, m))?),
            _ => {}
        }
    }
    let header_end = body_start.unwrap_or(text.lines().count());
    if query.name.is_empty() {
        return Err(err(1, "name", "missing: the header needs `-- name: <query-name>`".into()));
    }
    if query.description.is_empty() {
        return Err(err(1, "description", "missing: the header needs `-- description: <what it shows>`".into()));
    }
    query.sql = text.lines().skip(header_end).collect::<Vec<_>>().join("\n").trim().to_string();
    if query.sql.is_empty() {
        return Err(err(header_end + 1, "sql", "no SQL after the header".into()));
    }
    let placeholders = placeholder_count(&query.sql);
    if placeholders != query.parameters.len() {
        return Err(err(
            header_end + 1,
            "param",
            format!(
                "the SQL has {placeholders} `?` placeholder(s) but the header declares {} parameter(s); declare one `-- param:` per `?`, in order",
                query.parameters.len()
            ),
        ));
    }
    Ok(query)
}

fn check_name(value: &str) -> Result<String, String> {
    let ok = !value.is_empty()
        && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(value.to_string())
    } else {
        Err(format!("expected lower-case letters, digits, - and _, found {value:?}"))
    }
}

/// `tenant account_id required` or `from date default=today-7d`.
fn parse_param(value: &str) -> Result<Param, String> {
    let mut words = value.split_whitespace();
    let name = words.next().ok_or("expected `<name> <type> [required] [default=<value>]`")?;
    check_name(name)?;
    let kind_text = words
        .next()
        .ok_or_else(|| format!("parameter {name}: missing type (account_id, date, timestamp, string, integer)"))?;
    let kind = ParamKind::parse(kind_text).ok_or_else(|| {
        format!("parameter {name}: unknown type {kind_text:?}: expected account_id, date, timestamp, string or integer")
    })?;
    let mut param = Param { name: name.to_string(), kind, required: false, default: None };
    for word in words {
        match word.split_once('=') {
            None if word == "required" => param.required = true,
            Some(("default", v)) => param.default = Some(v.to_string()),
            _ => {
                return Err(format!("parameter {name}: unexpected {word:?}: expected `required` or `default=<value>`"))
            }
        }
    }
    match (param.required, &param.default) {
        (true, Some(_)) => Err(format!("parameter {name}: either required or a default, not both")),
        (false, None) => Err(format!("parameter {name}: needs `required` or `default=<value>`")),
        (false, Some(default)) => {
            // Checked at load, so a bad default is the file's error, not a failed run later.
            values::literal(kind, default, chrono::Utc::now())
                .map_err(|e| format!("parameter {name}: default {default:?}: {e}"))?;
            Ok(param)
        }
        (true, None) => Ok(param),
    }
}

/// `?` placeholders outside string literals, quoted identifiers and comments.
pub fn placeholder_count(sql: &str) -> usize {
    code_only(sql).matches('?').count()
}

/// `sql` without comments, and with every quoted string or identifier left empty.
pub(crate) fn code_only(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' => {
                skip_quoted(&mut chars, c);
                out.push_str("''");
            }
            '-' if chars.peek() == Some(&'-') => {
                chars.by_ref().find(|n| *n == '\n');
                out.push('\n');
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                chars.by_ref().find(|n| std::mem::replace(&mut last, *n) == '*' && *n == '/');
                out.push(' ');
            }
            other => out.push(other),
        }
    }
    out
}

/// Skips to the closing quote; a doubled quote is an escaped one.
fn skip_quoted(chars: &mut std::iter::Peekable<std::str::Chars>, quote: char) {
    while let Some(n) = chars.next() {
        if n == quote {
            if chars.peek() == Some(&quote) {
                chars.next();
            } else {
                return;
            }
        }
    }
}

/// `tenant:account_id from:date=today-7d`.
pub fn params_text(q: &SavedQuery) -> String {
    let one = |p: &crate::queries::Param| match &p.default {
        Some(d) => format!("{}:{}={d}", p.name, p.kind.label()),
        None => format!("{}:{}", p.name, p.kind.label()),
    };
    q.parameters.iter().map(one).collect::<Vec<_>>().join(" ")
}
