//! Property tests over untrusted input: AWS strings, config files and terminal sizes. No input may
//! panic silo or put a control character on the screen or into a CSV cell.

use proptest::prelude::*;
use silo_core::config::Config;
use std::path::Path;

/// Text with the characters that cause trouble: escapes, controls, bidi overrides, wide glyphs.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("\u{1b}[31m".to_string()),
        Just("\u{1b}]0;title\u{7}".to_string()),
        Just("\u{9b}2J".to_string()),
        Just("\u{202e}".to_string()),
        Just("\r\n\t".to_string()),
        Just("=HYPERLINK(\"x\")".to_string()),
        Just("São Paulo 東京".to_string()),
        "[a-z0-9 -]{0,12}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn sanitized_text_has_no_controls_and_is_stable(s in hostile_text()) {
        let clean = silo_core::sanitize::clean(&s);
        prop_assert!(!clean.chars().any(|c| c.is_control()));
        let bidi_override = '\u{202e}';
        prop_assert!(!clean.contains(bidi_override), "bidi override kept");
        prop_assert_eq!(silo_core::sanitize::clean(&clean), clean.clone());
    }

    #[test]
    fn csv_cells_never_start_a_formula(s in hostile_text()) {
        let safe = silo_core::text::safe_text(&s);
        prop_assert!(!safe.starts_with(['=', '+', '-', '@']));
        prop_assert!(!safe.chars().any(|c| c.is_control()));
    }

    #[test]
    fn any_config_text_is_an_answer_not_a_panic(text in "(\\[[a-z.]{1,12}\\]\n|[a-z_]{1,14} = (\"[^\"\n]{0,20}\"|[0-9]{1,5}|true|\\[\\])\n|#.*\n){0,12}") {
        let _ = Config::parse(&text, Path::new("fuzz.toml"));
    }

    #[test]
    fn config_errors_point_inside_the_file(text in "\\[tenants\\]\nsource = \"(static|organizations|x)\"\n([a-z_]{1,12} = \"[^\"\n]{0,10}\"\n){0,6}") {
        if let Err(silo_core::config::ConfigError::Invalid { line, .. }) = Config::parse(&text, Path::new("f.toml")) {
            prop_assert!(line >= 1 && line <= text.lines().count().max(1));
        }
    }
}

/// A finished query run whose cells and error are hostile text, as Athena could return them
/// (the AWS layer cleans them; the view must hold up whatever it gets).
fn hostile_run(text: &str) -> silo_core::queries::run::QueryRun {
    use silo_core::queries::run::{Column, QueryRequest, QueryRun, QueryState, QueryStatus};
    let clean = silo_core::sanitize::clean(text);
    let request =
        QueryRequest { name: clean.clone(), sql: "SELECT 1".into(), parameters: vec![], tenant: Some(clean.clone()) };
    let mut run = QueryRun::new(1, request, chrono::Utc::now());
    run.status = Some(QueryStatus {
        state: QueryState::Failed,
        reason: Some(clean.clone()),
        data_scanned_bytes: i64::MAX,
        engine_ms: 0,
        reused: false,
        statement_type: None,
    });
    run.columns = vec![Column { name: clean.clone(), kind: "varchar".into() }];
    run.rows = vec![vec![Some(clean)], vec![None]];
    run
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    #[test]
    fn any_query_file_is_an_answer_not_a_panic(text in "(-- (name|description|tables|param): [^\n]{0,30}\n){0,6}(SELECT [^\n]{0,40}\n)?") {
        match silo_core::queries::parse(&text, "q.sql") {
            Ok(q) => prop_assert_eq!(silo_core::queries::placeholder_count(&q.sql), q.parameters.len()),
            Err(e) => prop_assert!(e.line >= 1 && e.line <= text.lines().count() + 1, "{}", e),
        }
    }

    #[test]
    fn any_parameter_value_is_a_literal_or_a_clear_refusal(value in "\\PC{0,40}", kind in 0usize..5) {
        use silo_core::queries::ParamKind::*;
        let kind = [AccountId, Date, Timestamp, String, Integer][kind];
        match silo_core::queries::values::literal(kind, &value, chrono::Utc::now()) {
            // A string literal opens and closes its quote with every inner quote doubled.
            Ok(lit) if kind == String => prop_assert!(lit.starts_with('\'') && lit.ends_with('\'') && lit[1..lit.len() - 1].replace("''", "").find('\'').is_none()),
            Ok(lit) => prop_assert!(!lit.contains(';')),
            Err(message) => prop_assert!(!message.is_empty()),
        }
    }

    #[test]
    fn hostile_tenant_names_render_at_any_size_without_escapes(
        names in prop::collection::vec(hostile_text(), 1..8),
        width in 20u16..220,
        height in 5u16..60,
        screen in 0usize..18,
    ) {
        use ratatui::{backend::TestBackend, Terminal};
        use silo_tui::app::App;
use silo_tui::action::{Banner, Screen};
        let mut app = App::new(silo_tui::keymap::Keymap::default(), silo_tui::theme::Theme::default(), Banner::default(), std::time::Duration::from_secs(60), chrono::Utc::now());
        let tenants: Vec<silo_core::model::Tenant> = names.iter().enumerate().map(|(i, n)| silo_core::model::Tenant {
            name: silo_core::sanitize::clean(n),
            account_id: format!("{:012}", i),
            region: "sa-east-1".into(),
            ecs_cluster: silo_core::sanitize::clean(n),
            ecs_service: "app".into(),
            terms: Default::default(),
        }).collect();
        app.store.set_tenants(tenants.clone(), chrono::Utc::now());
        let first = tenants[0].account_id.clone();
        let hostile = names[0].clone();
        app.store.queries.insert(1, hostile_run(&hostile));
        // A read that failed with the hostile text as AWS's message (`:errors` shows it).
        let failed = silo_core::error::FetchError::new(silo_core::model::AwsService::Cloudwatch, silo_core::error::ErrorKind::Other, &hostile);
        if let Some(r) = app.store.tenants.get_mut(&first) {
            r.apply(silo_core::store::Slot::Alarms, Err(failed), chrono::Utc::now());
        }
        app.screens.push(match screen {
            0 => Screen::Fleet,
            1 => Screen::Tenant(first),
            2 => Screen::Spend,
            3 => Screen::Deployments,
            4 => Screen::DeployDetail(first),
            5 => Screen::Queries,
            6 => Screen::QueryHistory,
            7 => Screen::QueryRun(1),
            8 => Screen::Alarms,
            9 => Screen::Errors,
            10 => Screen::SpendDetail(first),
            11 => Screen::AlarmDetail(first, hostile.clone()),
            12 => Screen::FindingDetail(hostile.clone()),
            13 => Screen::Timeline(first),
            14 => Screen::Audit,
            15 => Screen::Health,
            16 => Screen::Rollouts,
            _ => Screen::Findings,
        });
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|f| silo_tui::frame::render(f, &app)).unwrap();
        let text: String = terminal.backend().buffer().content().iter().map(|c| c.symbol()).collect();
        prop_assert!(!text.chars().any(|c| c.is_control()), "control character on screen");
    }
}

/// Text a person types: digits, units, blanks of every script, parentheses, accents, signs.
fn typed_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        "[0-9]{1,25}",
        Just("m".to_string()),
        Just("h".to_string()),
        Just("d".to_string()),
        Just("é".to_string()),
        Just("\u{3000}".to_string()),
        Just("\u{a0}".to_string()),
        Just("\u{85}".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("-".to_string()),
        Just(":".to_string()),
        Just(" ".to_string()),
        Just("EXPLAIN".to_string()),
        Just("ANALYZE".to_string()),
        Just("VERBOSE".to_string()),
        Just("SELECT 1".to_string()),
        Just("DROP TABLE t".to_string()),
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(pieces, 0..10).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// `silo timeline --since`: an answer for any text, and only spans from a minute to 14 days.
    #[test]
    fn any_since_is_a_span_within_two_weeks_or_a_clear_refusal(text in typed_text()) {
        if let Ok(span) = silo_core::timeline::parse_since(&text) {
            prop_assert!(span >= chrono::Duration::minutes(1) && span <= chrono::Duration::days(14));
        }
    }

    /// The statement classifier (Ctrl-R in the TUI, `silo query --sql`): an answer for any text,
    /// and EXPLAIN ANALYZE of a write is a write whatever blanks come first.
    #[test]
    fn any_sql_is_classified_without_a_panic(prefix in typed_text(), text in typed_text()) {
        let _ = silo_core::queries::statement::classify(&format!("{prefix}{text}"));
        let blanks: String = prefix.chars().filter(|c| c.is_whitespace() || *c == '(').collect();
        let analyzed = silo_core::queries::statement::classify(&format!("{blanks}EXPLAIN ANALYZE DROP TABLE t"));
        prop_assert_eq!(analyzed.map(|s| s.reads), Ok(false));
    }

    /// A time typed in the schedule form, in any zone (west of UTC included): an instant or a refusal.
    #[test]
    fn any_typed_time_in_any_zone_is_an_answer(
        text in typed_text(),
        year in prop_oneof![1900i32..2200, 9990i32..10_100, 262_000i32..262_143],
        zone in prop::sample::select(vec!["America/Sao_Paulo", "America/Los_Angeles", "Pacific/Kiritimati", "UTC"]),
    ) {
        let zone: chrono_tz::Tz = zone.parse().expect("a zone");
        let _ = silo_core::terms::schedule::parse_when(&text, zone);
        for far in [format!("{year}-12-31 23:59"), format!("+{year}-12-31 23:59")] {
            if let Ok(at) = silo_core::terms::schedule::parse_when(&far, zone) {
                prop_assert!((1970..=10_000).contains(&chrono::Datelike::year(&at)));
            }
        }
    }

    /// Window and certification tags as customers write them: an answer for any text.
    #[test]
    fn any_window_or_certification_tag_is_an_answer(text in typed_text()) {
        let _ = silo_core::terms::window::Window::parse(&text);
        let _ = silo_core::terms::certified::Certified::parse(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    /// An exported result's header is the query's column names (an alias is any text): no cell
    /// of the file, header included, starts a spreadsheet formula.
    #[test]
    fn an_exported_result_starts_no_formula_in_any_cell(s in hostile_text()) {
        let text = silo_core::queries::export::csv(&hostile_run(&format!("={s}"))).expect("csv");
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        for record in reader.records() {
            let record = record.expect("a record");
            prop_assert!(record.iter().all(|cell| !cell.starts_with(['=', '+', '-', '@'])), "{:?}", record);
        }
    }
}
