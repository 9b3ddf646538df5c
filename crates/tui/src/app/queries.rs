//! Athena runs beyond one screen: starting a run (numbered for this session), cancelling it in
//! Athena, the parameter form of a saved query, and reading the next page of results as the
//! selection nears the end.

use super::{Action, App, Request, Screen};
use crate::modals::query_form::FormState;
use crate::modals::sql_editor::EditorState;
use crate::modals::Modal;
use crate::screens::query_run::{MAX_ROWS_KEPT, PREFETCH};
use silo_core::queries::run::{QueryRequest, QueryRun};
use silo_core::role::Role;

/// Starts a query (checked already) and shows its run; a statement that is not a read becomes
/// an action to confirm instead.
pub fn run(app: &mut App, request: QueryRequest) -> Option<Action> {
    match silo_core::queries::statement::classify(&request.sql) {
        Err(e) => Some(Action::Status(format!("not run: {e}"), Role::Error)),
        Ok(statement) if !statement.reads => {
            let plan = silo_core::plan::ActionPlan::athena_statement(&request, &statement, &app.session.athena);
            Some(Action::Confirm(Box::new(plan)))
        }
        Ok(_) => {
            let run = new_run(app, request.clone());
            app.outbox.push(Request::RunQuery(run, request));
            None
        }
    }
}

/// A confirmed statement: its run is shown while the data layer (which may still refuse it,
/// read-only) starts it.
pub fn run_statement(app: &mut App, plan: silo_core::plan::ActionPlan) -> Option<Action> {
    let silo_core::plan::ActionKind::AthenaStatement { query, .. } = &plan.kind else { return None };
    let text = |v: &serde_json::Value| v.as_str().map(str::to_string);
    let request = QueryRequest {
        name: query.clone(),
        sql: text(&plan.parameters["QueryString"]).unwrap_or_default(),
        parameters: plan.parameters["ExecutionParameters"].as_array().into_iter().flatten().filter_map(text).collect(),
        tenant: None,
    };
    let run = new_run(app, request);
    super::quitting::action_sent(app);
    app.statement_runs.insert(run);
    app.outbox.push(Request::RunStatement(run, Box::new(plan)));
    None
}

fn new_run(app: &mut App, request: QueryRequest) -> u64 {
    let run = app.next_run;
    app.next_run += 1;
    app.store.queries.insert(run, QueryRun::new(run, request, app.now));
    if matches!(app.store.scan_limit, silo_core::store::Loadable::Idle) {
        app.store.scan_limit.start_loading();
        app.outbox.push(Request::ScanLimit);
    }
    app.views.query.results.reset();
    app.screens.push(Screen::QueryRun(run));
    run
}

pub fn open_run(app: &mut App, run: u64) -> Option<Action> {
    app.views.query.results.reset();
    app.screens.push(Screen::QueryRun(run));
    None
}

/// Asks Athena to stop run `run` (once); a run still starting is cancelled as soon as it has an id.
pub fn cancel(app: &mut App, run: u64) -> Option<Action> {
    let r = app.store.queries.get_mut(&run)?;
    if !r.is_running() {
        return None;
    }
    let text = match r.execution_id.clone() {
        Some(id) if !r.cancel_requested => {
            r.cancel_requested = true;
            app.outbox.push(Request::StopQuery(run, id));
            "cancelling the query in Athena…"
        }
        Some(_) => "cancel already asked; waiting for Athena",
        None => "the query is still starting; cancel again in a moment",
    };
    app.status = Some((text.into(), Role::Muted));
    None
}

/// The parameter form of a saved query, the tenant filled from the selected tenant.
pub fn open_form(app: &mut App, name: &str) -> Option<Action> {
    open_form_with(app, name, &[])
}

/// The form of saved query `name`, with `values` (parameter name → value) over its defaults.
pub fn open_form_with(app: &mut App, name: &str, values: &[(String, String)]) -> Option<Action> {
    let Some(query) = app.session.library.get(name).cloned() else {
        return Some(Action::Status(format!("no saved query named {name}"), Role::Error));
    };
    let ctx = app.ctx();
    let tenants = ctx.store.tenants.values().map(|r| (r.tenant.name.clone(), r.tenant.account_id.clone())).collect();
    let mut form = FormState::new(query, ctx.selected_tenant(), app.now).with_tenants(tenants);
    for (param, value) in values {
        if let Some(i) = form.query.parameters.iter().position(|p| &p.name == param) {
            form.values[i] = value.clone();
        }
    }
    app.modals.push(Modal::QueryForm(form));
    None
}

/// The external editor ended: back in silo's editor with its SQL (and why editing failed).
pub fn edited_externally(app: &mut App, sql: String, error: Option<String>, parameters: Vec<String>) -> Option<Action> {
    let mut editor = EditorState::new(&sql, parameters);
    editor.error = error;
    app.modals.push(Modal::SqlEditor(editor));
    None
}

/// Asks for the next page once the selection is within `PREFETCH` rows of the end.
pub fn fetch_more_if_near_end(app: &mut App, run_id: u64) {
    let row = app.views.query.results.row;
    let Some(run) = app.store.queries.get_mut(&run_id) else { return };
    let near_end = row + PREFETCH >= run.rows.len() && run.rows.len() < MAX_ROWS_KEPT;
    if let (true, false, Some(token), Some(id)) =
        (near_end, run.page_loading, run.next_token.clone(), run.execution_id.clone())
    {
        run.page_loading = true;
        app.outbox.push(Request::QueryPage { run: run_id, execution_id: id, token });
    }
}
