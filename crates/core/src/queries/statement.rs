//! What kind of statement a query is. Athena runs whatever it is sent, so silo decides before
//! sending: SELECT, WITH, SHOW, DESCRIBE, EXPLAIN and VALUES only read; anything else (DROP,
//! CREATE TABLE AS, UNLOAD, INSERT, MSCK, ...) changes data and runs only as a confirmed,
//! journaled action (`--allow-write`, or a typed confirmation in the TUI), never read-only.

/// Statements that only read.
pub const READS: [&str; 6] = ["SELECT", "WITH", "SHOW", "DESCRIBE", "EXPLAIN", "VALUES"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The statement's first keyword, upper case (for EXPLAIN ANALYZE, the explained one's).
    pub keyword: String,
    pub reads: bool,
}

/// The kind of `sql`, ignoring comments and string literals; more than one statement is an error.
pub fn classify(sql: &str) -> Result<Statement, String> {
    let code = super::code_only(sql);
    let statements: Vec<&str> = code.split(';').filter(|s| !s.trim().is_empty()).collect();
    match statements.as_slice() {
        [] => Err("the query is empty".into()),
        [one] => Ok(classify_one(one)),
        many => Err(format!("{} statements: Athena runs one statement per query", many.len())),
    }
}

/// The data layer's check before a query reaches Athena's read path: anything but a single
/// reading statement is refused there, so no screen or command can send one unconfirmed.
pub fn require_read(sql: &str) -> Result<Statement, crate::error::FetchError> {
    use crate::error::{ErrorKind, FetchError};
    use crate::model::AwsService;
    let refused = |why: String| FetchError::new(AwsService::Athena, ErrorKind::Other, why);
    let statement = classify(sql).map_err(|e| refused(format!("refused: {e}; nothing was sent")))?;
    if !statement.reads {
        return Err(refused(format!(
            "refused: {} changes data, not a read; it runs only as a confirmed action (--allow-write, or the typed confirmation in the TUI); nothing was sent",
            statement.keyword
        )));
    }
    Ok(statement)
}

fn classify_one(code: &str) -> Statement {
    let (keyword, rest) = first_word(code);
    let keyword = keyword.to_ascii_uppercase();
    if keyword == "EXPLAIN" {
        return explained(rest);
    }
    Statement { reads: READS.contains(&keyword.as_str()), keyword }
}

/// The first word (separated by any blank or parenthesis) and the text after it. Positions come
/// from `find`, so they fall between characters whatever blanks come first.
fn first_word(code: &str) -> (&str, &str) {
    let separator = |c: char| c.is_whitespace() || c == '(' || c == ')';
    let start = code.find(|c: char| !separator(c)).unwrap_or(code.len());
    let tail = &code[start..];
    let end = tail.find(separator).unwrap_or(tail.len());
    tail.split_at(end)
}

/// EXPLAIN only plans, but EXPLAIN ANALYZE runs the statement it explains: judge that one.
/// `rest` is what follows the EXPLAIN keyword.
fn explained(rest: &str) -> Statement {
    let rest = rest.trim_start();
    let (analyze, rest) = match rest.get(..7).map(str::to_ascii_uppercase).as_deref() {
        Some("ANALYZE") => (true, rest[7..].trim_start()),
        _ => (false, rest),
    };
    let rest = strip_prefix_word(rest, "VERBOSE");
    let rest = if rest.starts_with('(') { rest.split_once(')').map(|(_, r)| r).unwrap_or("") } else { rest };
    match analyze {
        true => classify_one(rest),
        false => Statement { keyword: "EXPLAIN".into(), reads: true },
    }
}

fn strip_prefix_word<'a>(text: &'a str, word: &str) -> &'a str {
    match text.get(..word.len()) {
        Some(w) if w.eq_ignore_ascii_case(word) => text[word.len()..].trim_start(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_of_any_script_before_explain_do_not_break_the_classifier() {
        let sql = "((((((\u{3000}EXPLAIN ANALYZE DROP TABLE t";
        assert_eq!(classify(sql).map(|s| (s.keyword, s.reads)), Ok(("DROP".to_string(), false)));
        assert_eq!(classify("\u{a0}\u{85}explain select 1").map(|s| s.reads), Ok(true));
    }

    fn kind(sql: &str) -> (String, bool) {
        let s = classify(sql).expect("one statement");
        (s.keyword, s.reads)
    }

    #[test]
    fn reads_are_recognised_behind_comments_parentheses_and_case() {
        assert_eq!(kind("-- name: x\n/* header */ select 1"), ("SELECT".into(), true));
        assert_eq!(kind("(SELECT 1) UNION (SELECT 2);"), ("SELECT".into(), true));
        assert_eq!(kind("with t as (select 1) select * from t"), ("WITH".into(), true));
        assert_eq!(kind("SHOW TABLES"), ("SHOW".into(), true));
        assert_eq!(kind("EXPLAIN DROP TABLE t"), ("EXPLAIN".into(), true), "EXPLAIN only plans");
    }

    #[test]
    fn writes_are_caught_whatever_hides_them() {
        assert_eq!(kind("DROP TABLE alb_logs"), ("DROP".into(), false));
        assert_eq!(kind("/* select */ -- select\n CREATE TABLE x AS SELECT 1"), ("CREATE".into(), false));
        assert_eq!(kind("UNLOAD (SELECT 1) TO 's3://b/' WITH (format = 'JSON')"), ("UNLOAD".into(), false));
        assert_eq!(kind("explain analyze verbose INSERT INTO t SELECT 1"), ("INSERT".into(), false));
        assert_eq!(kind("MSCK REPAIR TABLE t"), ("MSCK".into(), false));
    }

    #[test]
    fn the_read_path_refuses_a_write_naming_it() {
        let refused = require_read("drop table alb_logs").unwrap_err();
        assert!(refused.message.starts_with("refused: DROP changes data"), "{}", refused.message);
        assert!(require_read("SELECT 1").is_ok());
    }

    #[test]
    fn a_semicolon_inside_a_string_or_comment_is_not_a_second_statement() {
        assert_eq!(kind("SELECT ';DROP TABLE t' -- ; drop\n"), ("SELECT".into(), true));
        let two = classify("SELECT 1; DROP TABLE t").unwrap_err();
        assert!(two.contains("2 statements"), "{two}");
        assert!(classify("-- only a comment\n").is_err());
    }
}
