//! `update(&mut App, Action) -> Option<Action>`: synchronous, no I/O, no awaits. Keys go to the
//! top modal first, then to global commands, then to the current screen.

use super::{Action, App, Screen};
use crate::keymap::Command;
use crate::views::{self, ModalOutcome};
use chrono::{DateTime, Utc};

pub fn update(app: &mut App, action: Action) -> Option<Action> {
    match action {
        Action::Key(key) => {
            app.dirty = true;
            app.status = None;
            if let Some(modal) = app.modals.pop() {
                return modal_key(app, modal, key);
            }
            app.keymap.command(&key).map(Action::Command)
        }
        Action::Command(command) => {
            app.dirty = true;
            global_command(app, command)
        }
        Action::Tick(now) => tick(app, now),
        Action::Resize => {
            app.dirty = true;
            None
        }
        Action::Fetch(event) => {
            let finished = matches!(event, silo_core::event::FetchEvent::RefreshFinished { .. });
            if let silo_core::event::FetchEvent::AuditJournal(entries) = event {
                app.audit_log = views::audit::AuditState { entries, selected: 0 };
                app.dirty = true;
                return None;
            }
            if let silo_core::event::FetchEvent::ActionFinished { message, ok, .. } = &event {
                let role = if *ok { silo_core::role::Role::Ok } else { silo_core::role::Role::Error };
                app.status = Some((message.clone(), role));
                app.request_refresh(true);
                if !*ok {
                    // Nothing changed: following would later report the old state as the end.
                    app.deploy.following.clear();
                }
                views::deployments::follow_now(app);
            }
            if let silo_core::event::FetchEvent::Identity(arn) = &event {
                app.banner.identity = Some(silo_core::sanitize::clean(arn));
            }
            if let silo_core::event::FetchEvent::Notice { message, ok } = &event {
                let role = if *ok { silo_core::role::Role::Ok } else { silo_core::role::Role::Error };
                app.status = Some((message.clone(), role));
            }
            if let silo_core::event::FetchEvent::SequenceFinished { results, .. } = &event {
                views::deployments::sequence_finished(app, results);
            }
            let listed = matches!(event, silo_core::event::FetchEvent::TenantsListed { result: Ok(_), .. });
            let page_of = match &event {
                silo_core::event::FetchEvent::QueryPage { run, .. } => Some(*run),
                _ => None,
            };
            app.store.apply(event);
            if let Some(run) = page_of.filter(|r| app.screen() == &Screen::QueryRun(*r)) {
                views::query_run::fetch_more_if_near_end(app, run);
            }
            if listed && app.screen() == &Screen::Deployments {
                // Opened before the tenants were known (`--view deployments`): read them now.
                let unread = app.store.tenants.keys().any(|a| !app.store.deployments.contains_key(a));
                if unread {
                    app.request_deployments(None);
                }
            }
            if listed {
                if let Some(name) = app.pending_tenant.take() {
                    return open_named(app, &name);
                }
            }
            if finished && app.store.tenant_list.error().is_none() {
                app.snapshot_at = None;
                app.outbox.push(super::Request::SaveSnapshot);
            }
            if finished && app.cost_explorer && matches!(app.store.cost_explorer, silo_core::store::Loadable::Idle) {
                app.request_cost_explorer();
            }
            app.dirty = true;
            None
        }
        Action::OpenTenant(account_id) => {
            app.request_dashboard(&account_id);
            app.request_deployments(Some(&account_id));
            app.screens.push(Screen::Tenant(account_id));
            app.tenant_scroll = 0;
            app.dirty = true;
            None
        }
        Action::OpenSpendDetail(account_id) => {
            open_spend_detail(app, account_id);
            None
        }
        Action::OpenAlarm(account_id, name) => {
            app.store.alarm_history.entry((account_id.clone(), name.clone())).or_default().start_loading();
            app.outbox.push(super::Request::AlarmHistory(account_id.clone(), name.clone()));
            app.screens.push(Screen::AlarmDetail(account_id, name));
            app.detail_scroll = 0;
            app.dirty = true;
            None
        }
        Action::OpenTenantNamed(name) => open_named(app, &name),
        Action::OpenFinding(id) => {
            app.screens.push(Screen::FindingDetail(id));
            app.detail_scroll = 0;
            app.dirty = true;
            None
        }
        Action::PlanFindingStatus { ids, status, note } => {
            let chosen: Vec<&silo_core::findings::Finding> =
                app.store.all_findings().filter(|f| ids.contains(&f.id)).collect();
            let plan =
                silo_core::actions::ActionPlan::finding_status(&chosen, &status, &note, app.audit_target(), &app.user);
            views::triage::push_plan(app, plan);
            app.dirty = true;
            None
        }
        Action::Execute(plan) => {
            let what = match &plan.kind {
                silo_core::actions::ActionKind::Deploy(_) => views::deployments::start_following(app, &plan),
                _ => {
                    app.findings.marked.clear();
                    format!("{} finding(s)", plan.targets.len())
                }
            };
            app.status = Some((format!("running {} on {what}…", plan.api), silo_core::role::Role::Muted));
            app.outbox.push(super::Request::Execute(Box::new(plan)));
            app.dirty = true;
            None
        }
        Action::ExecuteSequence(plans) => {
            views::deployments::start_sequence(app, &plans);
            app.outbox.push(super::Request::ExecuteSequence(plans));
            app.dirty = true;
            None
        }
        Action::OpenDeploy(account_id) => {
            app.request_deployments(Some(&account_id));
            app.screens.push(Screen::DeployDetail(account_id));
            app.detail_scroll = 0;
            app.dirty = true;
            None
        }
        Action::RunQuery(request) => {
            let run = app.next_run;
            app.next_run += 1;
            app.store.queries.insert(run, silo_core::queries::run::QueryRun::new(run, request.clone(), app.now));
            app.outbox.push(super::Request::RunQuery(run, request));
            app.query.results.reset();
            app.screens.push(Screen::QueryRun(run));
            app.dirty = true;
            None
        }
        Action::CancelQuery(run) => {
            cancel_query(app, run);
            app.dirty = true;
            None
        }
        Action::EditExternally(sql, parameters) => {
            app.outbox.push(super::Request::ExternalEdit(sql, parameters));
            None
        }
        Action::EditedExternally(sql, error, parameters) => {
            let mut editor = views::sql_editor::EditorState::new(&sql, parameters);
            editor.error = error;
            app.modals.push(views::Modal::SqlEditor(editor));
            app.dirty = true;
            None
        }
        Action::Click(y) => {
            let area = app.clickable.get().filter(|_| app.modals.is_empty())?;
            for code in views::list::click(area, y) {
                dispatch_key(app, code);
            }
            None
        }
        Action::OpenQuery(name) => {
            views::queries::open_form(app, &name);
            app.dirty = true;
            None
        }
        Action::OpenRun(run) => {
            app.query.results.reset();
            app.screens.push(Screen::QueryRun(run));
            app.dirty = true;
            None
        }
        Action::PlanDeploy(account_id, op) => {
            views::deploy_detail::plan(app, &account_id, op);
            app.dirty = true;
            None
        }
        Action::EnableCostExplorer => {
            app.cost_explorer = true;
            app.request_cost_explorer();
            app.dirty = true;
            None
        }
        Action::Navigate(screen) => {
            if screen == Screen::Audit {
                app.outbox.push(super::Request::LoadAudit);
            }
            if screen == Screen::Deployments {
                app.request_deployments(None);
            }
            if app.screen() != &screen {
                app.screens.push(screen);
            }
            app.dirty = true;
            None
        }
        Action::Back => {
            if app.screens.len() > 1 {
                app.screens.pop();
            }
            app.dirty = true;
            None
        }
        Action::Quit => {
            app.should_quit = true;
            None
        }
    }
}

fn dispatch_key(app: &mut App, code: crossterm::event::KeyCode) {
    let key = crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE);
    super::dispatch(app, Action::Key(key));
}

/// The top modal consumes the key; it stays on the stack unless it closed itself.
fn modal_key(app: &mut App, mut modal: views::Modal, key: crossterm::event::KeyEvent) -> Option<Action> {
    let filter = app.active_filter_mut();
    let mut text = std::mem::take(filter);
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
            app.modals.push(views::Modal::Help(views::help::HelpState::default()));
            None
        }
        Command::CommandLine => {
            app.modals.push(views::Modal::Command(views::command::CommandState::new(app)));
            None
        }
        Command::Refresh if app.screen() == &Screen::Audit => {
            app.outbox.push(super::Request::LoadAudit);
            None
        }
        Command::Refresh => {
            if let Screen::Tenant(account_id) = app.screen().clone() {
                app.request_dashboard(&account_id);
            }
            app.request_refresh(true);
            None
        }
        other if views::links::handle(app, other) => None,
        other => screen_command(app, other),
    }
}

fn screen_command(app: &mut App, command: Command) -> Option<Action> {
    match app.screen().clone() {
        Screen::Fleet => views::fleet::handle(app, command),
        Screen::Tenant(_) => views::tenant::handle(app, command),
        Screen::Spend => views::spend::handle(app, command),
        Screen::SpendDetail(_) => views::spend_detail::handle(command),
        Screen::Findings => views::findings::handle(app, command),
        Screen::Audit => views::audit::handle(app, command),
        Screen::Alarms => views::alarms::handle(app, command),
        Screen::AlarmDetail(..) => views::alarm_detail::handle(app, command),
        Screen::FindingDetail(id) => views::finding_detail::handle(app, command, &id),
        Screen::Deployments => views::deployments::handle(app, command),
        Screen::DeployDetail(account) => views::deploy_detail::handle(app, command, &account),
        Screen::Queries => views::queries::handle(app, command),
        Screen::QueryHistory => views::query_history::handle(app, command),
        Screen::QueryRun(run) => views::query_run::handle(app, command, run),
    }
}

/// Asks Athena to stop run `run` (once); a run still starting is cancelled as soon as it has an id.
fn cancel_query(app: &mut App, run: u64) {
    let Some(r) = app.store.queries.get_mut(&run) else { return };
    if !r.is_running() {
        return;
    }
    match r.execution_id.clone() {
        Some(id) if !r.cancel_requested => {
            r.cancel_requested = true;
            app.outbox.push(super::Request::StopQuery(run, id));
            app.status = Some(("cancelling the query in Athena…".into(), silo_core::role::Role::Muted));
        }
        Some(_) => app.status = Some(("cancel already asked; waiting for Athena".into(), silo_core::role::Role::Muted)),
        None => {
            app.status =
                Some(("the query is still starting; cancel again in a moment".into(), silo_core::role::Role::Muted))
        }
    }
}

/// Opens the tenant called `name` (or with that account id, or the only one whose name contains
/// it); otherwise says which names come close.
fn open_named(app: &mut App, name: &str) -> Option<Action> {
    let wanted = name.to_lowercase();
    let records: Vec<&silo_core::store::TenantRecord> = app.store.tenants.values().collect();
    let exact = records.iter().find(|r| r.tenant.name.to_lowercase() == wanted || r.tenant.account_id == name);
    let partial: Vec<_> = records.iter().filter(|r| r.tenant.name.to_lowercase().contains(&wanted)).collect();
    let found = exact.or(match partial.as_slice() {
        [only] => Some(*only),
        _ => None,
    });
    if let Some(record) = found {
        return Some(Action::OpenTenant(record.tenant.account_id.clone()));
    }
    let close = silo_core::text::close_matches(records.iter().map(|r| r.tenant.name.as_str()), name);
    let hint = if close.is_empty() { String::new() } else { format!("; did you mean {}?", close.join(", ")) };
    app.status = Some((format!("no tenant {name:?}{hint}"), silo_core::role::Role::Error));
    app.dirty = true;
    None
}

/// Shows the budget detail and asks for its history unless it is loaded or on its way.
fn open_spend_detail(app: &mut App, account_id: String) {
    let has_budget = app.store.tenants.get(&account_id).and_then(|r| r.spend.value()).is_some_and(|s| s.is_some());
    let history = app.store.spend_history.entry(account_id.clone()).or_default();
    let asked = matches!(history, silo_core::store::Loadable::Loaded(_) | silo_core::store::Loadable::Loading { .. });
    if has_budget && !asked {
        history.start_loading();
        app.outbox.push(super::Request::SpendHistory(account_id.clone()));
    }
    app.screens.push(Screen::SpendDetail(account_id));
    app.dirty = true;
}

/// Once a second: ages on screen change, and the auto-refresh may be due.
fn tick(app: &mut App, now: DateTime<Utc>) -> Option<Action> {
    app.now = now;
    app.dirty = true;
    if refresh_due(app, now) {
        app.request_refresh(false);
    }
    views::deployments::follow_tick(app, now);
    None
}

fn refresh_due(app: &App, now: DateTime<Utc>) -> bool {
    let interval = chrono::Duration::from_std(app.refresh_interval).unwrap_or(chrono::Duration::seconds(60));
    match app.store.refresh_started {
        None => true,
        Some(started) => now - started >= interval,
    }
}
