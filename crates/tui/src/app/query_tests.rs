//! Pure `update` tests of the Athena screens: form, run, cancel, paging, history.

use super::*;
use crate::fixtures;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use silo_core::queries::run::{Column, QueryState, QueryStatus, ResultPage};

fn press(app: &mut App, code: KeyCode) {
    dispatch(app, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn ctrl(app: &mut App, c: char) {
    dispatch(app, Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
}

fn type_text(app: &mut App, text: &str) {
    text.chars().for_each(|c| press(app, KeyCode::Char(c)));
}

fn queries_app() -> App {
    let mut app = fixtures::app(fixtures::store());
    dispatch(&mut app, Action::Navigate(Screen::Queries));
    app
}

fn status(state: QueryState, bytes: i64) -> QueryStatus {
    fixtures::query_status(state, bytes)
}

fn started(app: &mut App, run: u64) {
    let at = fixtures::now();
    dispatch(app, Action::Fetch(silo_core::store::FetchEvent::QueryStarted { run, result: Ok("q-1".into()), at }));
}

#[test]
fn enter_opens_the_form_with_the_selected_tenant_and_runs_the_checked_request() {
    let mut app = queries_app();
    let globex = app.store.tenant_by_name("globex").map(|r| r.tenant.clone()).unwrap();
    app.views.fleet.selected = Some(globex.account_id.clone());
    // The first saved query is alb-5xx-by-path.
    press(&mut app, KeyCode::Enter);
    let Some(crate::modals::Modal::QueryForm(form)) = app.modals.last() else { panic!("the form opens") };
    assert_eq!(form.values, vec![globex.account_id.clone(), "today".into(), "today".into()]);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Enter);
    let Some(crate::modals::Modal::QueryForm(form)) = app.modals.last() else { panic!("a bad value keeps the form") };
    assert!(form.error.as_deref().is_some_and(|e| e.contains("parameter from (date)")), "{:?}", form.error);
    assert!(app.take_requests().is_empty(), "nothing sent");
    type_text(&mut app, "y");
    press(&mut app, KeyCode::Enter);
    let requests = app.take_requests();
    let [Request::ScanLimit, Request::RunQuery(1, request)] = requests.as_slice() else { panic!("{requests:?}") };
    assert_eq!(request.name, "alb-5xx-by-path");
    assert_eq!(
        request.parameters,
        vec![format!("'{}'", globex.account_id), "DATE '2026-03-14'".into(), "DATE '2026-03-14'".into()]
    );
    assert_eq!(request.tenant.as_deref(), Some("globex"));
    assert_eq!(app.screen(), &Screen::QueryRun(1));
}

#[test]
fn esc_and_ctrl_c_cancel_a_running_query_in_athena_without_leaving() {
    let mut app = queries_app();
    dispatch(
        &mut app,
        Action::RunQuery(silo_core::queries::run::QueryRequest {
            name: "x".into(),
            sql: "SELECT 1".into(),
            parameters: vec![],
            tenant: None,
        }),
    );
    app.take_requests();
    ctrl(&mut app, 'c');
    assert!(!app.should_quit, "Ctrl-C does not quit while the query runs");
    assert!(app.take_requests().is_empty(), "no id yet: nothing to stop");
    started(&mut app, 1);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.take_requests(), vec![Request::StopQuery(1, "q-1".into())]);
    assert_eq!(app.screen(), &Screen::QueryRun(1));
    ctrl(&mut app, 'c');
    assert!(app.take_requests().is_empty(), "asked once");
    let at = fixtures::now();
    let cancelled =
        QueryStatus { reason: Some("Query cancelled by user".into()), ..status(QueryState::Cancelled, 5 << 20) };
    dispatch(
        &mut app,
        Action::Fetch(silo_core::store::FetchEvent::QueryProgress { run: 1, result: Ok(cancelled), at }),
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.screen(), &Screen::Queries, "a finished run: Esc goes back");
    ctrl(&mut app, 'c');
    assert!(app.should_quit);
}

#[test]
fn the_next_page_is_read_when_the_selection_nears_the_end() {
    let mut app = queries_app();
    let run = fixtures::start_query(&mut app, fixtures::query_request("x"));
    let rows: Vec<Vec<Option<String>>> = (0..1000).map(|i| vec![Some(format!("r{i}"))]).collect();
    let page = ResultPage {
        columns: vec![Column { name: "c".into(), kind: "varchar".into() }],
        rows,
        next_token: Some("t-2".into()),
    };
    app.take_requests();
    fixtures::finish_query(&mut app, run, 1, page);
    assert!(app.take_requests().is_empty(), "the selection is at the top");
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(
        app.take_requests(),
        vec![Request::QueryPage { run: 1, execution_id: "q-1".into(), token: "t-2".into() }]
    );
    press(&mut app, KeyCode::Char('k'));
    assert!(app.take_requests().is_empty(), "one page read at a time");
}

#[test]
fn results_sort_numerically_search_and_copy_the_row() {
    let mut app = queries_app();
    let run = fixtures::start_query(&mut app, fixtures::query_request("x"));
    let columns = vec![
        Column { name: "path".into(), kind: "varchar".into() },
        Column { name: "n".into(), kind: "bigint".into() },
    ];
    let rows = [("/a", "9"), ("/b", "10"), ("/c", "100")]
        .iter()
        .map(|(p, n)| vec![Some(p.to_string()), Some(n.to_string())])
        .collect();
    fixtures::finish_query(&mut app, run, 1, ResultPage { columns, rows, next_token: None });
    app.take_requests();
    press(&mut app, KeyCode::Char('l'));
    press(&mut app, KeyCode::Char('s'));
    let run = &app.store.queries[&1];
    let order: Vec<usize> = app.views.query.results.order(run).to_vec();
    assert_eq!(order, vec![2, 1, 0], "bigint sorts as a number, largest first");
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(app.take_requests(), vec![Request::Copy("/c\t100".into())]);
    press(&mut app, KeyCode::Char('Y'));
    assert_eq!(app.take_requests(), vec![Request::Copy("100".into())], "the selected cell only");
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "/b");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.views.query.results.order(&app.store.queries[&1]).to_vec(), vec![1]);
    press(&mut app, KeyCode::Char('E'));
    assert_eq!(app.take_requests(), vec![Request::Export { run: 1, json: false }]);
}

#[test]
fn history_lists_runs_newest_first_and_reruns_the_same_request() {
    let mut app = queries_app();
    for name in ["first", "second"] {
        dispatch(
            &mut app,
            Action::RunQuery(silo_core::queries::run::QueryRequest {
                name: name.into(),
                sql: "SELECT 1".into(),
                parameters: vec![],
                tenant: None,
            }),
        );
    }
    app.take_requests();
    dispatch(&mut app, Action::Navigate(Screen::QueryHistory));
    press(&mut app, KeyCode::Char('n'));
    let requests = app.take_requests();
    assert!(matches!(requests.as_slice(), [Request::RunQuery(3, r)] if r.name == "second"), "{requests:?}");
}

#[test]
fn no_more_pages_are_read_past_the_rows_a_run_keeps() {
    let mut app = queries_app();
    let run = fixtures::start_query(&mut app, fixtures::query_request("x"));
    let rows = vec![vec![Some("r".to_string())]; crate::screens::query_run::MAX_ROWS_KEPT];
    let page = ResultPage {
        columns: vec![Column { name: "c".into(), kind: "varchar".into() }],
        rows,
        next_token: Some("t".into()),
    };
    fixtures::finish_query(&mut app, run, 1, page);
    app.take_requests();
    press(&mut app, KeyCode::Char('G'));
    assert!(app.take_requests().is_empty(), "the cap holds even at the end of the rows");
}

#[test]
fn ctrl_e_hands_the_sql_to_the_editor_and_its_text_comes_back() {
    let mut app = queries_app();
    press(&mut app, KeyCode::Char('e'));
    ctrl(&mut app, 'e');
    let requests = app.take_requests();
    let [Request::ExternalEdit(sql, parameters)] = requests.as_slice() else { panic!("{requests:?}") };
    assert!(sql.starts_with("SELECT") && parameters.is_empty());
    assert!(app.modals.is_empty(), "the screen is handed over");
    dispatch(
        &mut app,
        Action::EditedExternally("SELECT 2".into(), Some("vi ended with exit status: 1".into()), vec![]),
    );
    let Some(crate::modals::Modal::SqlEditor(editor)) = app.modals.last() else { panic!("the editor is back") };
    assert_eq!((editor.sql(), editor.error.as_deref()), ("SELECT 2".to_string(), Some("vi ended with exit status: 1")));
}

#[test]
fn the_tenant_field_takes_a_name_tab_completes_a_part_and_it_runs_with_its_account() {
    let mut app = queries_app();
    press(&mut app, KeyCode::Enter);
    let Some(crate::modals::Modal::QueryForm(form)) = app.modals.last() else { panic!("the form opens") };
    let selected = form.values[0].clone();
    selected.chars().for_each(|_| press(&mut app, KeyCode::Backspace));
    type_text(&mut app, "zzz");
    press(&mut app, KeyCode::Enter);
    let Some(crate::modals::Modal::QueryForm(form)) = app.modals.last() else { panic!("a bad tenant keeps the form") };
    assert_eq!(form.error.as_deref(), Some("tenant: unknown tenant \"zzz\" (6 tenants in the fleet)"));
    (0..3).for_each(|_| press(&mut app, KeyCode::Backspace));
    type_text(&mut app, "INIT");
    press(&mut app, KeyCode::Tab);
    let Some(crate::modals::Modal::QueryForm(form)) = app.modals.last() else { panic!("Tab completes") };
    assert_eq!((form.values[0].as_str(), form.focus), ("initech", 0), "completed to the name, focus kept");
    press(&mut app, KeyCode::Enter);
    let requests = app.take_requests();
    let [Request::ScanLimit, Request::RunQuery(1, request)] = requests.as_slice() else { panic!("{requests:?}") };
    let initech = app.store.tenant_by_name("initech").map(|r| r.tenant.account_id.clone()).unwrap();
    assert_eq!(request.parameters[0], format!("'{initech}'"));
    assert_eq!(request.tenant.as_deref(), Some("initech"));
}

/// A statement that changes data is never sent as a query: it becomes a plan to confirm by
/// typing, and the confirmed plan starts its run through the data layer's `Actions`.
#[test]
fn a_drop_asks_for_a_typed_confirmation_and_runs_only_as_a_confirmed_statement() {
    let mut app = queries_app();
    app.session.athena = silo_core::plan::AthenaTarget {
        account_id: "100000000003".into(),
        region: "sa-east-1".into(),
        workgroup: "oncall".into(),
        database: "logs".into(),
    };
    let request = silo_core::queries::run::QueryRequest {
        name: "ad-hoc".into(),
        sql: "/* cleanup */ DROP TABLE alb_logs".into(),
        parameters: vec![],
        tenant: None,
    };
    dispatch(&mut app, Action::RunQuery(request));
    assert!(app.take_requests().is_empty(), "nothing reaches Athena before the confirmation");
    let Some(crate::modals::Modal::Confirm(confirm)) = app.modals.last() else { panic!("a confirmation opens") };
    assert_eq!(confirm.expected(), "DROP in oncall");
    assert_eq!(confirm.plans[0].api, "athena:StartQueryExecution");
    assert_eq!(confirm.plans[0].parameters["QueryString"], "/* cleanup */ DROP TABLE alb_logs");
    type_text(&mut app, "DROP in oncall");
    press(&mut app, KeyCode::Enter);
    let requests = app.take_requests();
    let [Request::ScanLimit, Request::RunStatement(1, plan)] = requests.as_slice() else { panic!("{requests:?}") };
    assert_eq!(plan.account, "100000000003");
    assert_eq!(app.screen(), &Screen::QueryRun(1));
}

#[test]
fn two_statements_are_not_run_at_all() {
    let mut app = queries_app();
    let sql = "SELECT 1; DROP TABLE t".to_string();
    let request = silo_core::queries::run::QueryRequest { name: "x".into(), sql, parameters: vec![], tenant: None };
    dispatch(&mut app, Action::RunQuery(request));
    assert!(app.take_requests().is_empty());
    assert!(app.modals.is_empty());
    let text = app.status.clone().map(|(t, _)| t).unwrap_or_default();
    assert!(text.contains("2 statements"), "{text}");
}

#[test]
fn the_scan_cutoff_is_asked_once_with_the_first_run() {
    let mut app = queries_app();
    let request = |sql: &str| silo_core::queries::run::QueryRequest {
        name: "x".into(),
        sql: sql.into(),
        parameters: vec![],
        tenant: None,
    };
    dispatch(&mut app, Action::RunQuery(request("SELECT 1")));
    let first = app.take_requests();
    assert!(first.contains(&Request::ScanLimit), "{first:?}");
    dispatch(&mut app, Action::RunQuery(request("SELECT 2")));
    assert!(!app.take_requests().contains(&Request::ScanLimit), "asked once per session");
}
