//! Screens and popups. Each screen file holds its key handling, rendering and key hints; this file
//! holds the frame around them (header, footer) and the modal stack, whose top consumes keys first.

pub mod alarm_detail;
pub mod alarms;
pub mod audit;
pub mod command;
pub mod confirm;
pub mod cost_confirm;
pub mod dashboard;
pub mod deploy_detail;
pub mod deployments;
pub mod filter;
pub mod finding_detail;
pub mod findings;
pub mod fleet;
pub mod freeze_reason;
pub mod help;
pub mod links;
pub mod list;
pub mod popup;
pub mod queries;
pub mod query_form;
pub mod query_history;
pub mod query_run;
pub mod result_order;
pub mod revision_picker;
pub mod spend;
pub mod spend_detail;
pub mod sql_editor;
pub mod tenant;
pub mod triage;

#[cfg(test)]
mod guide;
#[cfg(test)]
mod snapshots;
#[cfg(test)]
mod snapshots_deploy;
#[cfg(test)]
mod snapshots_queries;

use crate::app::{Action, App, Screen};
use crate::keymap::{Command, Keymap};
use crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{LineGauge, Paragraph};
use ratatui::Frame;
use silo_core::fleet_progress::Progress;
use silo_core::role::Role;

/// Popups, stacked: the last one is on top and gets the keys.
#[derive(Debug, Clone, PartialEq)]
pub enum Modal {
    Help(help::HelpState),
    Filter(filter::FilterState),
    Command(command::CommandState),
    CostConfirm(cost_confirm::CostConfirm),
    Triage(triage::TriageState),
    Confirm(confirm::ConfirmState),
    FreezeReason(freeze_reason::ReasonState),
    RevisionPicker(revision_picker::PickerState),
    QueryForm(query_form::FormState),
    SqlEditor(sql_editor::EditorState),
}

pub enum ModalOutcome {
    Stay,
    Close,
    /// Boxed: an action can carry a whole plan, and outcomes are moved around a lot.
    Dispatch(Box<Action>),
}

impl Modal {
    /// `filter` is the filter text of the screen under the popup.
    pub fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap, filter: &mut String) -> ModalOutcome {
        match self {
            Modal::Help(state) => help::handle_key(state, key, keymap),
            Modal::Filter(state) => filter::handle_key(state, key, filter),
            Modal::Command(state) => command::handle_key(state, key),
            Modal::CostConfirm(_) => cost_confirm::handle_key(key),
            Modal::Triage(state) => triage::handle_key(state, key),
            Modal::Confirm(state) => confirm::handle_key(state, key),
            Modal::FreezeReason(state) => freeze_reason::handle_key(state, key),
            Modal::RevisionPicker(state) => revision_picker::handle_key(state, key),
            Modal::QueryForm(state) => query_form::handle_key(state, key),
            Modal::SqlEditor(state) => sql_editor::handle_key(state, key),
        }
    }
}

/// Draws the whole frame from `&App`; never awaits, never fetches.
pub fn render(frame: &mut Frame, app: &App) {
    app.clickable.set(None);
    let [header, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)]).areas(frame.area());
    render_header(frame, header, app);
    match app.screen() {
        Screen::Fleet => fleet::render(frame, body, app),
        Screen::Tenant(account_id) => tenant::render(frame, body, app, account_id),
        Screen::Spend => spend::render(frame, body, app),
        Screen::SpendDetail(account_id) => spend_detail::render(frame, body, app, account_id),
        Screen::Findings => findings::render(frame, body, app),
        Screen::Audit => audit::render(frame, body, app),
        Screen::Alarms => alarms::render(frame, body, app),
        Screen::AlarmDetail(account, name) => alarm_detail::render(frame, body, app, account, name),
        Screen::FindingDetail(id) => finding_detail::render(frame, body, app, id),
        Screen::Deployments => deployments::render(frame, body, app),
        Screen::DeployDetail(account) => deploy_detail::render(frame, body, app, account),
        Screen::Queries => queries::render(frame, body, app),
        Screen::QueryHistory => query_history::render(frame, body, app),
        Screen::QueryRun(run) => query_run::render(frame, body, app, *run),
    }
    render_footer(frame, footer, app);
    for modal in &app.modals {
        match modal {
            Modal::Help(state) => help::render(frame, app, state),
            Modal::Filter(state) => filter::render(frame, footer, app, state),
            Modal::Command(state) => command::render(frame, footer, app, state),
            Modal::CostConfirm(state) => cost_confirm::render(frame, app, state),
            Modal::Triage(state) => triage::render(frame, app, state),
            Modal::Confirm(state) => confirm::render(frame, app, state),
            Modal::FreezeReason(state) => freeze_reason::render(frame, app, state),
            Modal::RevisionPicker(state) => revision_picker::render(frame, app, state),
            Modal::QueryForm(state) => query_form::render(frame, app, state),
            Modal::SqlEditor(state) => sql_editor::render(frame, app, state),
        }
    }
}

fn render_header(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let progress = Progress::of(&app.store);
    let mut spans = vec![Span::styled(" silo ", theme.style(Role::Title))];
    if let Some(name) = &app.banner.organization {
        spans.push(Span::styled(format!("{name} · "), theme.style(Role::Text)));
    }
    spans.push(Span::styled(format!("{} ", app.banner.source), theme.style(Role::Muted)));
    if let Some(identity) = app.banner.identity.as_deref().map(short_identity) {
        spans.push(Span::styled(format!("{identity} "), theme.style(Role::Muted)));
    }
    if app.screen_tenant().is_some_and(|a| app.is_production(a)) {
        spans.push(Span::styled(" PRODUCTION ", theme.style(Role::Critical)));
        spans.push(Span::raw(" "));
    }
    if app.banner.read_only {
        spans.push(Span::styled(" READ-ONLY ", theme.style(Role::Badge)));
        spans.push(Span::raw(" "));
    }
    match (app.offline, app.snapshot_at) {
        (true, at) => {
            spans.push(Span::styled(" OFFLINE ", theme.style(Role::Badge)));
            let age =
                at.map(|t| format!(" snapshot from {} ago", silo_core::format::age(t, app.now))).unwrap_or_default();
            spans.push(Span::styled(age, theme.style(Role::Stale)));
        }
        (false, Some(at)) => {
            spans.push(Span::styled(
                format!("snapshot from {} ago (stale) · ", silo_core::format::age(at, app.now)),
                theme.style(Role::Stale),
            ));
            spans.push(Span::styled(progress.freshness(app.now), theme.style(Role::Muted)));
        }
        (false, None) => spans.push(Span::styled(progress.freshness(app.now), theme.style(Role::Muted))),
    }
    if let Some(error) = app.store.tenant_list.error() {
        spans.push(Span::styled(format!("  tenant list: {error}"), theme.style(Role::Error)));
    }
    let gauge_width = 30.min(area.width / 3);
    let [text, gauge] = Layout::horizontal([Constraint::Min(10), Constraint::Length(gauge_width)]).areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans)), text);
    let label = format!("{}/{} tenants loaded", progress.loaded, progress.total);
    let gauge_widget = LineGauge::default()
        .ratio(progress.ratio())
        .label(label)
        .filled_style(theme.style(Role::Gauge))
        .unfilled_style(theme.style(Role::Muted));
    frame.render_widget(gauge_widget, gauge);
}

/// `arn:aws:sts::123456789012:assumed-role/OnCall/maria` → `OnCall/maria@123456789012`.
pub fn short_identity(arn: &str) -> String {
    let account = arn.split(':').nth(4).unwrap_or("");
    let resource = arn.rsplit(':').next().unwrap_or(arn);
    let who = resource.strip_prefix("assumed-role/").or_else(|| resource.strip_prefix("user/")).unwrap_or(resource);
    if account.is_empty() {
        who.to_string()
    } else {
        format!("{who}@{account}")
    }
}

fn render_footer(frame: &mut Frame, area: Rect, app: &App) {
    let hints = match app.screen() {
        Screen::Fleet => fleet::HINTS.as_slice(),
        Screen::Tenant(_) => tenant::HINTS.as_slice(),
        Screen::Spend => spend::HINTS.as_slice(),
        Screen::SpendDetail(_) => spend_detail::HINTS.as_slice(),
        Screen::Findings => findings::HINTS.as_slice(),
        Screen::Audit => audit::HINTS.as_slice(),
        Screen::Alarms => alarms::HINTS.as_slice(),
        Screen::AlarmDetail(..) => alarm_detail::HINTS.as_slice(),
        Screen::FindingDetail(_) => finding_detail::HINTS.as_slice(),
        Screen::Deployments => deployments::HINTS.as_slice(),
        Screen::DeployDetail(_) => deploy_detail::HINTS.as_slice(),
        Screen::Queries => queries::HINTS.as_slice(),
        Screen::QueryHistory => query_history::HINTS.as_slice(),
        Screen::QueryRun(_) => query_run::HINTS.as_slice(),
    };
    let line = match &app.status {
        Some((text, role)) => Line::from(Span::styled(format!(" {text}"), app.theme.style(*role))),
        None => hint_line(app, hints),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// "key action" pairs for the footer, with the keys as currently bound.
pub fn hint_line(app: &App, hints: &[(Command, &str)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (command, label) in hints {
        let first = app.keymap.first_key_label(*command);
        spans.push(Span::styled(format!(" {first}"), app.theme.style(Role::Key)));
        spans.push(Span::styled(format!(" {label} "), app.theme.style(Role::Muted)));
    }
    Line::from(spans)
}
