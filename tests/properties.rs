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
        screen in 0usize..10,
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
            _ => Screen::Findings,
        });
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|f| silo_tui::frame::render(f, &app)).unwrap();
        let text: String = terminal.backend().buffer().content().iter().map(|c| c.symbol()).collect();
        prop_assert!(!text.chars().any(|c| c.is_control()), "control character on screen");
    }
}
