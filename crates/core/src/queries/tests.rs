use super::values::{bind, literal, BindError, MAX_QUERY_BYTES};
use super::*;
use chrono::TimeZone;
use std::collections::BTreeMap;

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(2026, 11, 29, 10, 30, 0).unwrap()
}

#[test]
fn every_shipped_query_parses_with_one_parameter_per_placeholder() {
    let shipped = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../queries")).unwrap();
    let mut files: Vec<std::path::PathBuf> = shipped
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "at least 8 shipped queries, found {}", files.len());
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let q = parse(&text, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(placeholder_count(&q.sql), q.parameters.len(), "{}", q.name);
        assert_eq!(
            q.parameters.first().map(|p| (p.name.as_str(), p.kind)),
            Some(("tenant", ParamKind::AccountId)),
            "{}: names a tenant account first",
            q.name
        );
        assert!(q.sql.contains("account = ?"), "{}: the injected account partition is always bound", q.name);
        assert!(!q.tables.is_empty() && !q.description.is_empty(), "{}", q.name);
        let file = path.file_name().unwrap().to_str().unwrap();
        assert!(library::BUILTIN.iter().any(|(f, t)| *f == file && *t == text), "{file} is compiled in as it is");
    }
    assert_eq!(Library::builtin().queries.len(), files.len());
}

#[test]
fn the_ddl_gives_every_table_an_injected_account_partition() {
    for table in ["cloudtrail_logs", "alb_logs", "vpc_flow_logs"] {
        let path = format!("{}/../../queries/ddl/{table}.sql", env!("CARGO_MANIFEST_DIR"));
        let ddl = std::fs::read_to_string(&path).unwrap();
        assert!(ddl.contains(&format!("CREATE EXTERNAL TABLE IF NOT EXISTS {table}")), "{path}");
        assert!(ddl.contains("'projection.account.type' = 'injected'"), "{path}");
        assert!(ddl.contains("${account}"), "{path}");
    }
    let used: std::collections::BTreeSet<String> =
        Library::builtin().queries.iter().flat_map(|q| q.tables.clone()).collect();
    assert_eq!(used.into_iter().collect::<Vec<_>>(), vec!["alb_logs", "cloudtrail_logs", "vpc_flow_logs"]);
}

#[test]
fn placeholders_in_strings_and_comments_do_not_count() {
    let sql = "SELECT '?', \"a?\" -- what?\nFROM t /* ? */ WHERE a = ? AND b = 'it''s ?' AND c = ?";
    assert_eq!(placeholder_count(sql), 2);
}

#[test]
fn header_errors_name_the_line_and_key() {
    let missing = parse("-- description: d\nSELECT 1", "q.sql").unwrap_err();
    assert_eq!((missing.line, missing.key.as_str()), (1, "name"));
    let bad_type = parse("-- name: q\n-- description: d\n-- param: a dat required\nSELECT ?", "q.sql").unwrap_err();
    assert_eq!((bad_type.line, bad_type.key.as_str()), (3, "param"));
    assert!(bad_type.message.contains("unknown type \"dat\""), "{}", bad_type.message);
    let count = parse("-- name: q\n-- description: d\n-- param: a date required\nSELECT ?, ?", "q.sql").unwrap_err();
    assert!(count.message.contains("2 `?` placeholder(s) but the header declares 1"), "{}", count.message);
    assert_eq!(count.to_string().split(':').next(), Some("q.sql"));
    let both =
        parse("-- name: q\n-- description: d\n-- param: a date required default=today\nSELECT ?", "q.sql").unwrap_err();
    assert!(both.message.contains("either required or a default"));
    let neither = parse("-- name: q\n-- description: d\n-- param: a date\nSELECT ?", "q.sql").unwrap_err();
    assert!(neither.message.contains("needs `required` or `default=<value>`"));
}

#[test]
fn a_default_that_could_never_run_is_refused_when_the_file_is_read() {
    let text = "-- name: q\n-- description: d\n-- param: a date default=today-99999999999d\nSELECT ?";
    let bad = parse(text, "q.sql").unwrap_err();
    assert_eq!((bad.line, bad.key.as_str()), (3, "param"));
    assert!(bad.message.contains("default \"today-99999999999d\""), "{}", bad.message);
    let text = "-- name: q\n-- description: d\n-- param: t timestamp default=now-1é\nSELECT ?";
    assert!(parse(text, "q.sql").is_err(), "no byte-split panic either");
}

fn console_logins() -> SavedQuery {
    Library::builtin().get("cloudtrail-console-logins").cloned().unwrap()
}

#[test]
fn values_become_literals_in_placeholder_order_with_the_tenant_filled_in() {
    let params = bind(&console_logins(), &BTreeMap::new(), Some("111122223333"), now()).unwrap();
    assert_eq!(params, vec!["'111122223333'", "DATE '2026-11-22'", "DATE '2026-11-29'"]);
    let given: BTreeMap<String, String> = [("from".to_string(), "2026-01-31".to_string())].into();
    let params = bind(&console_logins(), &given, Some("111122223333"), now()).unwrap();
    assert_eq!(params[1], "DATE '2026-01-31'");
}

#[test]
fn bad_values_are_refused_naming_the_parameter_and_what_was_expected() {
    let q = console_logins();
    let missing = bind(&q, &BTreeMap::new(), None, now()).unwrap_err();
    assert!(matches!(&missing, BindError::Missing { name, .. } if name == "tenant"), "{missing}");
    assert!(missing.to_string().contains("select a tenant or pass --tenant"));
    let short: BTreeMap<String, String> = [("tenant".to_string(), "12345".to_string())].into();
    let e = bind(&q, &short, None, now()).unwrap_err().to_string();
    assert_eq!(
        e,
        "cloudtrail-console-logins: parameter tenant (account_id): expected a 12-digit AWS account id, found \"12345\""
    );
    let bad_date: BTreeMap<String, String> = [("to".to_string(), "29/11/2026".to_string())].into();
    let e = bind(&q, &bad_date, Some("111122223333"), now()).unwrap_err().to_string();
    assert!(e.contains("parameter to (date): expected a date YYYY-MM-DD"), "{e}");
    let unknown: BTreeMap<String, String> = [("form".to_string(), "today".to_string())].into();
    let e = bind(&q, &unknown, Some("111122223333"), now()).unwrap_err().to_string();
    assert!(e.contains("unknown parameter \"form\"; its parameters are: tenant, from, to"), "{e}");
}

#[test]
fn strings_are_quoted_and_escaped_and_limits_are_checked_before_sending() {
    assert_eq!(
        literal(ParamKind::String, "o'brien'; DROP TABLE x; --", now()).unwrap(),
        "'o''brien''; DROP TABLE x; --'"
    );
    assert!(literal(ParamKind::String, "a\u{1b}[2J", now()).is_err());
    assert!(literal(ParamKind::String, &"x".repeat(1023), now()).unwrap_err().contains("1024 characters"));
    assert_eq!(literal(ParamKind::Integer, "20", now()).unwrap(), "20");
    assert!(literal(ParamKind::Integer, "20 OR 1=1", now()).is_err());
    assert_eq!(literal(ParamKind::Timestamp, "now-6h", now()).unwrap(), "TIMESTAMP '2026-11-29 04:30:00'");
    assert_eq!(
        literal(ParamKind::Timestamp, "2026-11-01T08:00:00Z", now()).unwrap(),
        "TIMESTAMP '2026-11-01 08:00:00'"
    );
    let mut huge = console_logins();
    huge.sql = format!("{} /* {} */", huge.sql, "x".repeat(MAX_QUERY_BYTES));
    assert!(matches!(bind(&huge, &BTreeMap::new(), Some("111122223333"), now()), Err(BindError::TooLong(_))));
}

#[test]
fn user_directories_override_shipped_queries_by_name_and_bad_files_stop_loading() {
    let dir = tempfile::tempdir().unwrap();
    let mine = "-- name: cloudtrail-root-usage\n-- description: my own version\n-- tables: cloudtrail_logs\n-- param: tenant account_id required\nSELECT 1 FROM cloudtrail_logs WHERE account = ?\n";
    std::fs::write(dir.path().join("root.sql"), mine).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a query").unwrap();
    let library = Library::load(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(library.get("cloudtrail-root-usage").map(|q| q.description.as_str()), Some("my own version"));
    assert_eq!(library.queries.len(), Library::builtin().queries.len());
    std::fs::write(dir.path().join("broken.sql"), "-- name: Bad Name\nSELECT 1").unwrap();
    let e = Library::load(&[dir.path().to_path_buf()]).unwrap_err().to_string();
    assert!(e.contains("broken.sql:1: `name`: expected lower-case letters"), "{e}");
    let missing = Library::load(&[dir.path().join("nope")]).unwrap_err().to_string();
    assert!(missing.starts_with("cannot read query directory"), "{missing}");
}
