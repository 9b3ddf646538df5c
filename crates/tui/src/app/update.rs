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
use crate::screens::registry::{self, When};
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
        Action::OpenTenant(account_id) => open(app, Screen::Tenant(account_id)),
        Action::OpenTenantNamed(name) => open_named(app, &name),
        Action::OpenSpendDetail(account_id) => open(app, Screen::SpendDetail(account_id)),
        Action::OpenAlarm(account_id, name) => open(app, Screen::AlarmDetail(account_id, name)),
        Action::OpenFinding(id) => open(app, Screen::FindingDetail(id)),
        Action::OpenDeploy(account_id) => open(app, Screen::DeployDetail(account_id)),
        Action::OpenRun(run) => queries::open_run(app, run),
        Action::OpenQuery(name) => queries::open_form(app, &name),
        Action::OpenQueryWith(name, values) => queries::open_form_with(app, &name, &values),
        Action::Navigate(screen) => go_to(app, screen),
        Action::OpenTrain(version) => open_train(app, version),
        Action::ShowUrl(url) => super::links::show_url(app, url),
        Action::NextRange(account_id) => next_range(app, &account_id),
        Action::SetRange(account_id, range) => set_range(app, &account_id, range),
        Action::SetRanges(accounts, range) => set_ranges(app, &accounts, range),
        Action::Pan(accounts, earlier) => pan(app, &accounts, earlier),
        Action::Reload => refresh(app),
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
        Action::Confirm(plan) => push_modal(app, Modal::Confirm(ConfirmState::new(*plan, &app.store.shared_names()))),
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
    app.session.cost_explorer = true;
    app.request_cost_explorer();
    None
}

fn next_range(app: &mut App, account_id: &str) -> Option<Action> {
    app.range = app.range.next();
    app.request_dashboard(account_id);
    None
}

fn set_range(app: &mut App, account_id: &str, range: silo_core::metrics::Range) -> Option<Action> {
    if app.range != range {
        app.range = range;
        app.request_dashboard(account_id);
    }
    None
}

/// `[`/`]`: half a range earlier or later; past now, the range ends now again (`None`).
fn pan(app: &mut App, accounts: &[String], earlier: bool) -> Option<Action> {
    let step = chrono::Duration::seconds(app.range.seconds() / 2);
    let end = app.range_end.unwrap_or(app.now);
    let moved = if earlier { end - step } else { end + step };
    app.range_end = (moved < app.now).then_some(moved);
    accounts.iter().for_each(|a| app.request_dashboard(a));
    None
}

fn set_ranges(app: &mut App, accounts: &[String], range: silo_core::metrics::Range) -> Option<Action> {
    if app.range != range {
        app.range = range;
        accounts.iter().for_each(|a| app.request_dashboard(a));
    }
    None
}

/// `m`: the charts of the tenant selected here; where no tenant is (`:releases`), what the
/// screen makes of it (the version's comparison).
fn open_charts(app: &mut App) -> Option<Action> {
    if let Some(account) = app.selected_account().filter(|a| app.store.tenants.contains_key(a)) {
        return Some(Action::Navigate(Screen::Charts(account)));
    }
    let own = screen_command(app, Command::Charts);
    own.or_else(|| Some(Action::Status("select a tenant first: its charts open on m".into(), Role::Warning)))
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
        Command::Charts => open_charts(app),
        other if super::links::handle(app, other) => None,
        other => screen_command(app, other),
    }
}

/// `r`: what the screen on top shows, read again (the fleet too unless it shows none of it).
fn refresh(app: &mut App) -> Option<Action> {
    let screen = app.screen().clone();
    app.load_for(&screen, When::Refreshed);
    None
}

/// The screen on top handles the command on its own state, with the read-only context beside it.
fn screen_command(app: &mut App, command: Command) -> Option<Action> {
    if matches!(app.screen(), Screen::Timeline(_)) && command == Command::NextRange {
        return timeline::next_range(app);
    }
    let screen = app.screen().clone();
    let ctx = ctx!(app);
    let next = registry::handle(&mut app.views, &ctx, &screen, command);
    // The selection moved (or stayed): read ahead when it nears the end of what is loaded.
    if let (Screen::QueryRun(run), None) = (&screen, &next) {
        queries::fetch_more_if_near_end(app, *run);
    }
    next
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

/// A top-level view (from the prompt or a link): read, then shown unless it is on top already.
fn go_to(app: &mut App, screen: Screen) -> Option<Action> {
    if app.screen() == &screen {
        app.load_for(&screen, When::Opened);
        return None;
    }
    open(app, screen)
}

/// `:rollouts` filtered to one version (from `:releases`).
fn open_train(app: &mut App, version: String) -> Option<Action> {
    app.views.rollouts.filter = format!("version:{version}");
    go_to(app, Screen::Rollouts)
}

/// Pushes `screen` with its scroll at the top and asks for what it reads when opened.
fn open(app: &mut App, screen: Screen) -> Option<Action> {
    app.views.detail_scroll = 0;
    app.views.tenant_scroll = 0;
    app.load_for(&screen, When::Opened);
    app.screens.push(screen);
    None
}

/// Opens the tenant `name` names (its account id, or a name one account carries); otherwise
/// says why: the close names, or every account that carries the name.
pub(super) fn open_named(app: &mut App, name: &str) -> Option<Action> {
    match app.store.find_tenant(name) {
        Ok(record) => Some(Action::OpenTenant(record.tenant.account_id.clone())),
        Err(e) => {
            app.status = Some((e.to_string(), Role::Error));
            None
        }
    }
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
    let interval = chrono::Duration::from_std(app.session.refresh_interval).unwrap_or(chrono::Duration::seconds(60));
    match app.store.refresh_started {
        None => true,
        Some(started) => now - started >= interval,
    }
}
