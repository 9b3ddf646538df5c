//! `update(&mut App, Action) -> Option<Action>`: synchronous, no I/O, no awaits. Keys go to the
//! top modal first, then to global commands, then to the current screen. Each arm is a short
//! function; fetch results are applied in `fetch.rs`, feature logic in its own module.

use super::{ctx, deploy, fetch, findings, queries, quitting, rollouts, timeline, Action, App, Screen};
use crate::action::Request;
use crate::keymap::Command;
use crate::modals::command::CommandState;
use crate::modals::confirm::ConfirmState;
use crate::modals::cost_confirm::CostConfirm;
use crate::modals::filter::FilterState;
use crate::modals::help::HelpState;
use crate::modals::reason::ReasonState;
use crate::modals::sql_editor::EditorState;
use crate::modals::triage::TriageState;
use crate::modals::{Modal, ModalOutcome};
use crate::screens;
use crate::widgets::list;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, KeyModifiers};
use silo_core::plan::terms::Overrides;
use silo_core::plan::{ActionKind, ActionPlan};
use silo_core::role::Role;

pub fn update(app: &mut App, action: Action) -> Option<Action> {
    app.dirty = true;
    match action {
        Action::Key(key) => key_pressed(app, key),
        Action::Command(command) => global_command(app, command),
        Action::Tick(now) => tick(app, now),
        Action::Resize => None,
        Action::Fetch(event) => fetch::apply(app, event),
        Action::Click(y) => click(app, y),
        Action::Back => back(app),
        Action::Quit => quitting::quit(app),
        Action::QuitWhenDone { abort } => quitting::quit_when_done(app, abort),
        Action::OpenTimeline(account_id, alarm) => timeline::open(app, account_id, alarm),
        Action::OpenTenant(account_id) => open_tenant(app, account_id),
        Action::OpenTenantNamed(name) => open_named(app, &name),
        Action::OpenSpendDetail(account_id) => open_spend_detail(app, account_id),
        Action::OpenAlarm(account_id, name) => open_alarm(app, account_id, name),
        Action::OpenFinding(id) => open_detail(app, Screen::FindingDetail(id)),
        Action::OpenDeploy(account_id) => open_deploy(app, account_id),
        Action::OpenRun(run) => queries::open_run(app, run),
        Action::OpenQuery(name) => queries::open_form(app, &name),
        Action::OpenQueryWith(name, values) => queries::open_form_with(app, &name, &values),
        Action::Navigate(screen) => go_to(app, screen),
        Action::NextRange(account_id) => next_range(app, &account_id),
        Action::EnableCostExplorer => enable_cost_explorer(app),
        Action::PlanFindingStatus { ids, status, note } => findings::plan_status(app, &ids, &status, &note),
        Action::PlanDeploy(account_id, op) => deploy::plan(app, &account_id, op, Overrides::default()),
        Action::PlanDeployOverriding(account_id, op, given) => deploy::plan(app, &account_id, op, given),
        Action::AskSchedule(accounts) => rollouts::ask(app, accounts),
        Action::PlanSchedule(ask, given) => rollouts::plan_schedules(app, ask, given),
        Action::PlanCancelSchedule(account_id) => rollouts::plan_cancel(app, &account_id),
        Action::Execute(plan) => execute(app, *plan),
        Action::ExecuteSequence(plans) => deploy::execute_sequence(app, plans),
        Action::RunQuery(request) => queries::run(app, request),
        Action::CancelQuery(run) => queries::cancel(app, run),
        Action::EditExternally(sql, parameters) => request(app, Request::ExternalEdit(sql, parameters)),
        Action::EditedExternally(sql, error, parameters) => queries::edited_externally(app, sql, error, parameters),
        Action::EditFilter => edit_filter(app),
        Action::Confirm(plan) => push_modal(app, Modal::Confirm(ConfirmState::new(*plan))),
        Action::ConfirmBatch(plans) => push_modal(app, Modal::Confirm(ConfirmState::batch(plans))),
        Action::AskFreezeReason(account_id) => push_modal(app, Modal::Reason(ReasonState::new(&account_id))),
        Action::PickRevision(account_id) => deploy::pick_revision(app, &account_id),
        Action::Triage(ids) => push_modal(app, Modal::Triage(TriageState::new(ids))),
        Action::OpenSqlEditor(sql, parameters) => push_modal(app, Modal::SqlEditor(EditorState::new(&sql, parameters))),
        Action::AskCostExplorer(tenants) => push_modal(app, Modal::CostConfirm(CostConfirm { tenants })),
        Action::Status(text, role) => status(app, text, role),
        Action::Request(r) => request(app, r),
        Action::Many(actions) => many(app, actions),
    }
}

/// A confirmed action for the data layer (which may still refuse it); a deployment is followed.
fn execute(app: &mut App, plan: ActionPlan) -> Option<Action> {
    let what = match &plan.kind {
        ActionKind::Deploy(_) | ActionKind::Schedule(_) => deploy::start_following(app, &plan),
        ActionKind::FindingStatus { .. } | ActionKind::GuardDutyArchive { .. } => findings::started(app, &plan),
        ActionKind::AthenaStatement { .. } => return queries::run_statement(app, plan),
    };
    app.status = Some((format!("running {} on {what}…", plan.api), Role::Muted));
    quitting::action_sent(app);
    app.outbox.push(Request::Execute(Box::new(plan)));
    None
}

fn edit_filter(app: &mut App) -> Option<Action> {
    let text = app.active_filter_mut().clone();
    push_modal(app, Modal::Filter(FilterState::new(text)))
}

fn push_modal(app: &mut App, modal: Modal) -> Option<Action> {
    app.modals.push(modal);
    None
}

fn status(app: &mut App, text: String, role: Role) -> Option<Action> {
    app.status = Some((text, role));
    None
}

fn request(app: &mut App, request: Request) -> Option<Action> {
    app.outbox.push(request);
    None
}

fn many(app: &mut App, actions: Vec<Action>) -> Option<Action> {
    actions.into_iter().for_each(|a| super::dispatch(app, a));
    None
}

fn enable_cost_explorer(app: &mut App) -> Option<Action> {
    app.cost_explorer = true;
    app.request_cost_explorer();
    None
}

fn next_range(app: &mut App, account_id: &str) -> Option<Action> {
    app.range = app.range.next();
    app.request_dashboard(account_id);
    None
}

fn open_deploy(app: &mut App, account_id: String) -> Option<Action> {
    app.request_deployments(Some(&account_id));
    open_detail(app, Screen::DeployDetail(account_id))
}

fn key_pressed(app: &mut App, key: KeyEvent) -> Option<Action> {
    app.status = None;
    if let Some(modal) = app.modals.pop() {
        return modal_key(app, modal, key);
    }
    app.keymap.command(&key).map(Action::Command)
}

/// The top modal consumes the key; it stays on the stack unless it closed itself.
fn modal_key(app: &mut App, mut modal: Modal, key: KeyEvent) -> Option<Action> {
    let mut text = std::mem::take(app.active_filter_mut());
    let outcome = modal.handle_key(key, &app.keymap, &mut text);
    *app.active_filter_mut() = text;
    match outcome {
        ModalOutcome::Stay => {
            app.modals.push(modal);
            None
        }
        ModalOutcome::Close => None,
        ModalOutcome::Dispatch(action) => Some(*action),
    }
}

fn global_command(app: &mut App, command: Command) -> Option<Action> {
    match command {
        // A running query is cancelled first (Ctrl-C, q): leaving would keep it billing in Athena.
        Command::Quit => match app.screen() {
            Screen::QueryRun(run) if app.store.queries.get(run).is_some_and(|r| r.is_running()) => {
                Some(Action::CancelQuery(*run))
            }
            _ => Some(Action::Quit),
        },
        Command::Help => {
            app.modals.push(Modal::Help(HelpState::default()));
            None
        }
        Command::CommandLine => {
            let palette = CommandState::new(&app.ctx());
            app.modals.push(Modal::Command(palette));
            None
        }
        Command::Refresh => refresh(app),
        Command::Timeline => timeline::open_here(app),
        other if super::links::handle(app, other) => None,
        other => screen_command(app, other),
    }
}

/// `r`: the journal on `:audit`, else the fleet (and the dashboard of an open tenant).
fn refresh(app: &mut App) -> Option<Action> {
    if app.screen() == &Screen::Audit {
        app.outbox.push(Request::LoadAudit);
        return None;
    }
    if let Screen::Timeline(_) = app.screen() {
        timeline::request(app);
        return None;
    }
    if app.screen() == &Screen::Rollouts {
        app.request_scheduled();
    }
    if app.screen() == &Screen::Health {
        app.request_aws_health();
    }
    if let Screen::Tenant(account_id) = app.screen().clone() {
        app.request_dashboard(&account_id);
        app.request_details(&account_id);
    }
    app.request_refresh(true);
    None
}

/// The screen on top handles the command on its own state, with the read-only context beside it.
fn screen_command(app: &mut App, command: Command) -> Option<Action> {
    if matches!(app.screen(), Screen::Timeline(_)) && command == Command::NextRange {
        return timeline::next_range(app);
    }
    let ctx = ctx!(app);
    match app.screens.last().cloned().unwrap_or(Screen::Fleet) {
        Screen::Fleet => screens::fleet::handle(&mut app.fleet, &ctx, command),
        Screen::Tenant(_) => screens::tenant::handle(&mut app.tenant_scroll, &ctx, command),
        Screen::Spend => screens::spend::handle(&mut app.spend, &ctx, command),
        Screen::SpendDetail(_) => screens::spend_detail::handle(command),
        Screen::Findings => screens::findings::handle(&mut app.findings, &ctx, command),
        Screen::Audit => screens::audit::handle(&mut app.audit_log, command),
        Screen::Health => screens::aws_health::handle(&mut app.aws_health, &ctx, command),
        Screen::Rollouts => screens::rollouts::handle(&mut app.rollouts, &ctx, command),
        Screen::Alarms => screens::alarms::handle(&mut app.alarms, &ctx, command),
        Screen::AlarmDetail(..) => screens::alarm_detail::handle(&mut app.detail_scroll, command),
        Screen::FindingDetail(id) => screens::finding_detail::handle(&mut app.detail_scroll, &ctx, command, &id),
        Screen::Deployments => screens::deploy::handle(&mut app.deploy, &ctx, command),
        Screen::DeployDetail(account) => {
            screens::deploy_detail::handle(&mut app.detail_scroll, &ctx, command, &account)
        }
        Screen::Queries => screens::queries::handle(&mut app.query, &ctx, command),
        Screen::QueryHistory => screens::query_history::handle(&mut app.query, &ctx, command),
        Screen::Timeline(_) => screens::timeline::handle(&mut app.timeline, &ctx, command),
        Screen::QueryRun(run) => {
            let next = screens::query_run::handle(&mut app.query.results, &ctx, command, run);
            // The selection moved (or stayed): read ahead when it nears the end of what is loaded.
            if next.is_none() {
                queries::fetch_more_if_near_end(app, run);
            }
            next
        }
    }
}

/// A mouse click on a list row: the keys that move there (Enter when it is selected).
fn click(app: &mut App, y: u16) -> Option<Action> {
    let area = app.clickable.get().filter(|_| app.modals.is_empty())?;
    for code in list::click(area, y) {
        super::dispatch(app, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }
    None
}

fn back(app: &mut App) -> Option<Action> {
    if app.screens.len() > 1 {
        app.screens.pop();
    }
    None
}

fn go_to(app: &mut App, screen: Screen) -> Option<Action> {
    if screen == Screen::Audit {
        app.outbox.push(Request::LoadAudit);
    }
    if screen == Screen::Deployments {
        app.request_deployments(None);
    }
    if screen == Screen::Rollouts {
        app.request_scheduled();
    }
    if screen == Screen::Health {
        app.request_aws_health();
    }
    if app.screen() != &screen {
        app.screens.push(screen);
    }
    None
}

fn open_detail(app: &mut App, screen: Screen) -> Option<Action> {
    app.screens.push(screen);
    app.detail_scroll = 0;
    None
}

fn open_tenant(app: &mut App, account_id: String) -> Option<Action> {
    app.request_dashboard(&account_id);
    app.request_deployments(Some(&account_id));
    app.request_details(&account_id);
    app.request_scheduled_of(&account_id);
    app.screens.push(Screen::Tenant(account_id));
    app.tenant_scroll = 0;
    None
}

/// An alarm's detail; fetches its history.
fn open_alarm(app: &mut App, account_id: String, name: String) -> Option<Action> {
    app.request_read(silo_core::alarms::HISTORY.of_tenant(&account_id, &name));
    open_detail(app, Screen::AlarmDetail(account_id, name))
}

/// Opens the tenant called `name` (or with that account id, or the only one whose name contains
/// it); otherwise says which names come close.
pub(super) fn open_named(app: &mut App, name: &str) -> Option<Action> {
    let records: Vec<&silo_core::store::TenantRecord> = app.store.tenants.values().collect();
    let found = silo_core::fleet::resolve(&records, name, |r| &r.tenant.name, |r| &r.tenant.account_id);
    if let Some(record) = found {
        return Some(Action::OpenTenant(record.tenant.account_id.clone()));
    }
    let close = silo_core::text::close_matches(records.iter().map(|r| r.tenant.name.as_str()), name);
    let hint = if close.is_empty() { String::new() } else { format!("; did you mean {}?", close.join(", ")) };
    app.status = Some((format!("no tenant {name:?}{hint}"), Role::Error));
    None
}

/// Shows the budget detail and asks for its history unless it is loaded or on its way.
fn open_spend_detail(app: &mut App, account_id: String) -> Option<Action> {
    if let Some(key) = silo_core::spend::history_key(&app.store, &account_id) {
        let asked =
            app.store.reading(&key).is_some_and(|h| h.is_loading() || (h.error().is_none() && h.value().is_some()));
        if !asked {
            app.request_read(key);
        }
    }
    app.screens.push(Screen::SpendDetail(account_id));
    None
}

/// Once a second: ages on screen change, and the auto-refresh may be due.
fn tick(app: &mut App, now: DateTime<Utc>) -> Option<Action> {
    app.now = now;
    if refresh_due(app, now) {
        app.request_refresh(false);
    }
    deploy::follow_tick(app, now);
    None
}

fn refresh_due(app: &App, now: DateTime<Utc>) -> bool {
    let interval = chrono::Duration::from_std(app.refresh_interval).unwrap_or(chrono::Duration::seconds(60));
    match app.store.refresh_started {
        None => true,
        Some(started) => now - started >= interval,
    }
}
