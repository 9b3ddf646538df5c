//! Snapshots of the Athena screens and dialogs at 80×24 and 200×50.

use crate::action::{Action, Screen};
use crate::app::{dispatch, App};
use crate::fixtures;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use silo_core::queries::run::{QueryRequest, QueryState, QueryStatus};
use silo_core::store::FetchEvent;

fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal.draw(|f| crate::frame::render(f, app)).expect("draw");
    terminal
}

fn press(app: &mut App, code: KeyCode) {
    dispatch(app, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn queries_app() -> App {
    let mut app = fixtures::app(fixtures::store());
    app.views.fleet.selected = app.store.tenant_by_name("globex").map(|r| r.tenant.account_id.clone());
    dispatch(&mut app, Action::Navigate(Screen::Queries));
    app
}

fn status(state: QueryState, bytes: i64, reason: Option<&str>) -> QueryStatus {
    QueryStatus { reason: reason.map(str::to_string), ..fixtures::query_status(state, bytes) }
}

/// Run 1 of alb-5xx-by-path for globex, 2.3 GB scanned so far.
fn running_app() -> App {
    let mut app = queries_app();
    let request = QueryRequest {
        name: "alb-5xx-by-path".into(),
        sql: "SELECT 1".into(),
        parameters: vec!["'100000000001'".into()],
        tenant: Some("globex".into()),
    };
    dispatch(&mut app, Action::RunQuery(request));
    let at = fixtures::now();
    dispatch(
        &mut app,
        Action::Fetch(FetchEvent::QueryStarted {
            run: 1,
            result: Ok("5e1f0c2a-7d43-4b9e-a1c2-0f9d8e7c6b5a".into()),
            at,
        }),
    );
    dispatch(
        &mut app,
        Action::Fetch(FetchEvent::QueryProgress {
            run: 1,
            result: Ok(status(QueryState::Running, 2_469_606_195, None)),
            at,
        }),
    );
    app.now = at + chrono::Duration::milliseconds(7400);
    app
}

fn finished_app() -> App {
    let mut app = running_app();
    let now = app.now;
    fixtures::finish_query(&mut app, 1, 3_221_225_472, fixtures::alb_5xx_page(40, Some("next")));
    app.now = now;
    app.take_requests();
    app
}

#[test]
fn queries_list_small() {
    insta::assert_snapshot!(draw(&queries_app(), 80, 24).backend());
}

#[test]
fn queries_list_large() {
    insta::assert_snapshot!(draw(&queries_app(), 200, 50).backend());
}

#[test]
fn query_form_with_the_tenant_filled_in() {
    let mut app = queries_app();
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(draw(&app, 120, 24).backend());
}

#[test]
fn sql_editor_highlights_keywords_strings_and_comments() {
    let mut app = queries_app();
    press(&mut app, KeyCode::Char('e'));
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
}

#[test]
fn query_running_small() {
    insta::assert_snapshot!(draw(&running_app(), 80, 24).backend());
}

#[test]
fn query_results_small() {
    insta::assert_snapshot!(draw(&finished_app(), 80, 24).backend());
}

#[test]
fn query_results_large_sorted() {
    let mut app = finished_app();
    (0..4).for_each(|_| press(&mut app, KeyCode::Char('l')));
    press(&mut app, KeyCode::Char('s'));
    insta::assert_snapshot!(draw(&app, 200, 50).backend());
}

#[test]
fn query_failed_shows_athenas_message() {
    let mut app = running_app();
    let at = app.now;
    let failed = status(
        QueryState::Failed,
        0,
        Some("TABLE_NOT_FOUND: line 12:6: Table 'awsdatacatalog.logs.alb_logs' does not exist"),
    );
    dispatch(&mut app, Action::Fetch(FetchEvent::QueryProgress { run: 1, result: Ok(failed), at }));
    insta::assert_snapshot!(draw(&app, 100, 24).backend());
}

#[test]
fn query_history_with_costs() {
    let mut app = finished_app();
    dispatch(&mut app, Action::Navigate(Screen::QueryHistory));
    insta::assert_snapshot!(draw(&app, 100, 24).backend());
}

/// A workgroup without a per-query scan cutoff is called out on the run screen; one with a
/// cutoff says where a query stops.
#[test]
fn query_running_without_a_scan_cutoff_warns() {
    let mut app = running_app();
    let limit = |cutoff_bytes| silo_core::queries::run::ScanLimit { workgroup: "silo".into(), cutoff_bytes };
    app.store.scan_limit.finish(Ok(limit(None)), fixtures::now());
    insta::assert_snapshot!(draw(&app, 120, 24).backend());
    app.store.scan_limit.finish(Ok(limit(Some(10 << 30))), fixtures::now());
    let text = format!("{:?}", draw(&app, 120, 24).backend());
    assert!(text.contains("workgroup silo: a query stops at 10.0 GB scanned"), "{text}");
}
