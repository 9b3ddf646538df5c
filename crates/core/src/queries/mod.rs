//! Saved Athena queries: one `.sql` file each, with a metadata header in SQL comments.
//!
//! ```sql
//! -- name: cloudtrail-console-logins
//! -- description: Console sign-ins to the tenant's account
//! -- tables: cloudtrail_logs
//! -- param: tenant account_id required
//! -- param: from date default=today-7d
//! ```
//!
//! Parameters are positional `?` placeholders, one per `param` line in order; their values go to
//! Athena as `ExecutionParameters` (SQL literals built by `values`), never into the SQL text.

pub mod export;
mod header;
pub mod library;
pub mod run;
pub mod statement;
pub mod values;

pub(crate) use header::code_only;
pub use header::{params_text, parse, placeholder_count, QueryFileError};
pub use library::Library;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedQuery {
    pub name: String,
    pub description: String,
    pub parameters: Vec<Param>,
    /// Tables the query reads (see queries/ddl/).
    #[serde(skip)]
    pub tables: Vec<String>,
    #[serde(skip)]
    pub sql: String,
    /// The file it came from, or `builtin:<file>` for the queries shipped inside silo.
    #[serde(skip)]
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Param {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ParamKind,
    pub required: bool,
    pub default: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    /// 12 digits; a string literal. The parameter named `tenant` is filled from the selected tenant.
    AccountId,
    /// `YYYY-MM-DD`, `today` or `today-7d`; a DATE literal.
    Date,
    /// `YYYY-MM-DD HH:MM:SS`, `now` or `now-6h`; a TIMESTAMP literal.
    Timestamp,
    /// Any text; a quoted string literal.
    String,
    /// A whole number.
    Integer,
}

impl ParamKind {
    fn parse(text: &str) -> Option<ParamKind> {
        Some(match text {
            "account_id" => ParamKind::AccountId,
            "date" => ParamKind::Date,
            "timestamp" => ParamKind::Timestamp,
            "string" => ParamKind::String,
            "integer" => ParamKind::Integer,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            ParamKind::AccountId => "account_id",
            ParamKind::Date => "date",
            ParamKind::Timestamp => "timestamp",
            ParamKind::String => "string",
            ParamKind::Integer => "integer",
        }
    }
}

#[cfg(test)]
mod tests;
