//! `:deployments`: every tenant's deployment state (paused, failed, in flight first), with pause,
//! resume and roll back on the selected tenant, and a fleet-wide rollback of the marked ones.
//! After an action silo follows the tenant's deployment until it ends.

use super::list::{ListOutcome, ListState, SortColumn};
use crate::app::{Action, App, DeployOp};
use crate::keymap::Command;
use chrono::{DateTime, Utc};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Row, Table, TableState};
use ratatui::Frame;
use silo_core::actions::{ActionKind, ActionPlan, SequenceStep, StepOutcome};
use silo_core::deploy::{image_tag, DeployStatus};
use silo_core::format::{age, fit};
use silo_core::role::Role;
use silo_core::store::Loadable;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeploySort {
    /// Needs attention first: paused, failed, in flight, frozen, errors, stable.
    State,
    Tenant,
    Started,
}

impl SortColumn for DeploySort {
    fn next(self) -> Self {
        match self {
            DeploySort::State => DeploySort::Tenant,
            DeploySort::Tenant => DeploySort::Started,
            DeploySort::Started => DeploySort::State,
        }
    }
    fn descending_by_default(self) -> bool {
        self == DeploySort::Started
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeployState {
    pub list: ListState<DeploySort>,
    /// Account ids marked for a fleet-wide rollback.
    pub marked: BTreeSet<String>,
    /// Account id → when its action was sent: its deployment is re-read until it ends.
    pub following: BTreeMap<String, DateTime<Utc>>,
}

impl Default for DeployState {
    fn default() -> Self {
        DeployState { list: ListState::new(DeploySort::State), marked: BTreeSet::new(), following: BTreeMap::new() }
    }
}

pub const HINTS: [(Command, &str); 9] = [
    (Command::Open, "detail"),
    (Command::Pause, "pause"),
    (Command::Resume, "resume"),
    (Command::Rollback, "roll back"),
    (Command::Mark, "mark"),
    (Command::MarkAll, "mark shown"),
    (Command::Filter, "filter"),
    (Command::SortNext, "sort"),
    (Command::Back, "back"),
];

/// One tenant's row: its status, or why there is none.
pub struct DeployRow<'a> {
    pub account_id: &'a str,
    pub tenant: &'a str,
    pub status: &'a Loadable<DeployStatus>,
}

impl DeployRow<'_> {
    fn value(&self) -> Option<&DeployStatus> {
        self.status.value()
    }

    pub fn state(&self) -> String {
        match (self.value(), self.status) {
            (Some(s), _) => s.state_label(),
            (None, Loadable::Failed { error, .. }) => error.kind.label().to_string(),
            _ => "loading".into(),
        }
    }

    /// Lower is more urgent.
    fn urgency(&self) -> u8 {
        let Some(s) = self.value() else { return if self.status.error().is_some() { 4 } else { 6 } };
        match s.state_label().as_str() {
            "PAUSED" => 0,
            "FAILED" => 1,
            l if l.starts_with("DEPLOYING") || l.starts_with("ROLLING") || l == "STOPPING" => 2,
            "FROZEN" => 3,
            _ => 5,
        }
    }

    fn started(&self) -> Option<DateTime<Utc>> {
        self.value().and_then(|s| s.deployments.first()).and_then(|d| d.started_at)
    }

    /// What the filter matches: every word must appear somewhere in here.
    fn haystack(&self) -> String {
        let mut text = format!("{} {}", self.tenant, self.state());
        if let Some(s) = self.value() {
            text.push_str(&format!(" {} {}", s.task_definition, s.image));
            if let Some(d) = s.in_flight() {
                text.push_str(&format!(
                    " in-flight {} {}",
                    d.task_definition.as_deref().unwrap_or(""),
                    d.image.as_deref().unwrap_or("")
                ));
            }
        }
        text.to_lowercase()
    }
}

pub fn visible(app: &App) -> Vec<DeployRow<'_>> {
    static IDLE: Loadable<DeployStatus> = Loadable::Idle;
    let words: Vec<String> = app.deploy.list.filter.to_lowercase().split_whitespace().map(str::to_string).collect();
    let mut rows: Vec<DeployRow> = app
        .store
        .tenants
        .values()
        .map(|r| DeployRow {
            account_id: &r.tenant.account_id,
            tenant: &r.tenant.name,
            status: app.store.deployments.get(&r.tenant.account_id).unwrap_or(&IDLE),
        })
        .filter(|r| {
            words.is_empty() || {
                let hay = r.haystack();
                words.iter().all(|w| hay.contains(w.as_str()))
            }
        })
        .collect();
    // Keys once per row (the state label is built from the status), not per comparison.
    let key = |r: &DeployRow| match app.deploy.list.sort {
        DeploySort::State => (r.urgency(), None),
        DeploySort::Tenant => (0, None),
        DeploySort::Started => (0, r.started()),
    };
    let mut keyed: Vec<_> = rows.drain(..).map(|r| (key(&r), r)).collect();
    keyed.sort_by(|(ka, a), (kb, b)| {
        let by_name = app.deploy.list.sort != DeploySort::Started;
        let order = ka.cmp(kb).then_with(|| if by_name { a.tenant.cmp(b.tenant) } else { std::cmp::Ordering::Equal });
        if app.deploy.list.descending {
            order.reverse()
        } else {
            order
        }
    });
    keyed.into_iter().map(|(_, r)| r).collect()
}

pub fn handle(app: &mut App, command: Command) -> Option<Action> {
    let keys: Vec<String> = visible(app).iter().map(|r| r.account_id.to_string()).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let selected = keys.get(app.deploy.list.selected_index(&keys)).map(|k| k.to_string());
    match command {
        Command::Mark => {
            app.deploy.list.toggle_mark(&mut app.deploy.marked, &keys);
            return None;
        }
        Command::MarkAll => {
            super::list::toggle_mark_all(&mut app.deploy.marked, &keys);
            return None;
        }
        Command::Rollback if !app.deploy.marked.is_empty() => return fleet_rollback(app),
        Command::Pause | Command::Resume | Command::Rollback | Command::Deployments => {
            return super::deploy_detail::act(app, &selected?, command)
        }
        Command::Back if app.deploy.list.filter.is_empty() && app.deploy.marked.is_empty() => {
            return Some(Action::Back)
        }
        Command::Back if app.deploy.list.filter.is_empty() => {
            app.deploy.marked.clear();
            return None;
        }
        _ => {}
    }
    match app.deploy.list.handle(command, &keys) {
        ListOutcome::Open(account) => Some(Action::OpenDeploy(account)),
        ListOutcome::EditFilter => {
            app.modals.push(super::Modal::Filter(super::filter::FilterState::new(app.deploy.list.filter.clone())));
            None
        }
        ListOutcome::None => None,
    }
}

/// One plan per marked tenant (default rollback target each) behind one typed confirmation that
/// names the count. Any tenant that cannot be planned stops it all, with the reason.
fn fleet_rollback(app: &mut App) -> Option<Action> {
    let mut plans = Vec::new();
    let mut problems = Vec::new();
    for account in &app.deploy.marked {
        let record = app.store.tenants.get(account);
        let name = record.map(|r| r.tenant.name.clone()).unwrap_or_else(|| account.clone());
        match app.store.deployments.get(account).and_then(|l| l.value()) {
            Some(status) => match silo_core::actions::deploy::rollback(status, None) {
                Ok(plan) => plans.push(plan),
                Err(e) => problems.push(format!("{name}: {e}")),
            },
            None => problems.push(format!("{name}: deployments not loaded")),
        }
    }
    if !problems.is_empty() {
        app.status = Some((format!("fleet rollback not planned: {}", problems.join("; ")), Role::Error));
        return None;
    }
    app.modals.push(super::Modal::Confirm(super::confirm::ConfirmState::batch(plans)));
    None
}

/// Remembers the tenant of a deployment action so its deployment is followed; returns what the
/// footer says it runs on.
pub fn start_following(app: &mut App, plan: &ActionPlan) -> String {
    let tenant = plan.tenants().into_iter().flatten().next().unwrap_or_default();
    if matches!(plan.kind, ActionKind::Deploy(_)) {
        if let Some(target) = plan.targets.first() {
            app.deploy.following.insert(target.account_id.clone(), app.now);
        }
    }
    tenant
}

pub fn start_sequence(app: &mut App, plans: &[ActionPlan]) {
    for plan in plans {
        start_following(app, plan);
    }
    app.deploy.marked.clear();
    app.store.sequence = None;
    app.status = Some((format!("rolling back {} tenants in order…", plans.len()), Role::Muted));
}

pub fn sequence_finished(app: &mut App, results: &[SequenceStep]) {
    let done = results.iter().filter(|r| matches!(r.outcome, StepOutcome::Done(_))).count();
    let failed = results.iter().find(|r| matches!(r.outcome, StepOutcome::Failed(_)));
    app.status = Some(match failed {
        None => (format!("fleet rollback: {done} of {} tenants rolled back", results.len()), Role::Ok),
        Some(f) => (format!("fleet rollback stopped at {} after {done} of {}", f.tenant, results.len()), Role::Error),
    });
    app.request_refresh(true);
    follow_now(app);
}

/// Re-reads every followed tenant's deployment now (an action just ended).
pub fn follow_now(app: &mut App) {
    let accounts: Vec<String> = app.deploy.following.keys().cloned().collect();
    for account in accounts {
        app.request_deployments(Some(&account));
    }
}

/// Every 5 s: re-read followed deployments; stop following once one has ended.
pub fn follow_tick(app: &mut App, now: DateTime<Utc>) {
    let followed: Vec<(String, DateTime<Utc>)> = app.deploy.following.iter().map(|(a, t)| (a.clone(), *t)).collect();
    for (account, since) in followed {
        let loadable = app.store.deployments.get(&account);
        let fresh = loadable.and_then(|l| l.last()).filter(|l| l.at > since + chrono::Duration::seconds(1));
        match fresh {
            Some(l) if l.value.in_flight().is_none() => {
                let ended = l.value.deployments.first().map(|d| d.status.clone()).unwrap_or_default();
                let text =
                    format!("{}: deployment ended ({ended}), running {}", l.value.tenant, l.value.task_definition);
                app.status = Some((text, Role::Ok));
                app.deploy.following.remove(&account);
            }
            _ if loadable.is_some_and(|l| l.is_loading()) => {}
            _ if (now - loadable.and_then(|l| l.last()).map(|l| l.at).unwrap_or(since)).num_seconds() >= 5 => {
                app.request_deployments(Some(&account));
            }
            _ => {}
        }
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let results = app.store.sequence.as_ref().map(|(_, r)| r.len() as u16 + 3).unwrap_or(0).min(area.height / 2);
    let [list, panel] = Layout::vertical([Constraint::Min(3), Constraint::Length(results)]).areas(area);
    render_list(frame, list, app);
    if let Some((at, steps)) = &app.store.sequence {
        render_sequence(frame, panel, app, *at, steps);
    }
}

fn render_list(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let rows = visible(app);
    let keys: Vec<&str> = rows.iter().map(|r| r.account_id).collect();
    let selected = app.deploy.list.selected_index(&keys);
    let range = super::list::window(rows.len(), selected, area.height.saturating_sub(2) as usize);
    super::list::note_rows(app, area, 1, &range, selected);
    let wide = area.width >= 120;
    let shown = COLUMNS.iter().filter(|c| wide || !c.wide_only);
    let fixed: u16 = shown.map(|c| c.width + 1).sum();
    let detail_width = area.width.saturating_sub(fixed) as usize;
    let body = rows[range.clone()].iter().map(|r| row(app, r, detail_width, wide));
    let mut title = vec![Span::styled(format!(" Deployments ({}) ", rows.len()), theme.style(Role::Title))];
    if !app.deploy.marked.is_empty() {
        title.push(Span::styled(format!("{} marked ", app.deploy.marked.len()), theme.style(Role::Badge)));
    }
    if !app.deploy.list.filter.is_empty() {
        title.push(Span::styled(format!(" filter: {} ", app.deploy.list.filter), theme.style(Role::Key)));
    }
    let widths: Vec<Constraint> = COLUMNS
        .iter()
        .filter(|c| wide || !c.wide_only)
        .map(|c| if c.width == 0 { Constraint::Min(10) } else { Constraint::Length(c.width) })
        .collect();
    let header = Row::new(COLUMNS.iter().filter(|c| wide || !c.wide_only).map(|c| c.title));
    let table = Table::new(body, widths)
        .header(header.style(theme.style(Role::Header)))
        .block(super::list::top_block(app, title))
        .row_highlight_style(theme.style(Role::Selected));
    let mut state = TableState::default().with_selected((!rows.is_empty()).then_some(selected - range.start));
    frame.render_stateful_widget(table, area, &mut state);
}

struct ListColumn {
    title: &'static str,
    /// 0: takes the rest.
    width: u16,
    /// Shown from 120 columns on.
    wide_only: bool,
}

const fn column(title: &'static str, width: u16, wide_only: bool) -> ListColumn {
    ListColumn { title, width, wide_only }
}

const COLUMNS: [ListColumn; 8] = [
    column("", 2, false),
    column("TENANT", 20, false),
    column("STATE", 14, false),
    column("REVISION", 22, true),
    column("IMAGE", 14, true),
    column("TASKS", 6, false),
    column("AGE", 6, true),
    column("DETAIL", 0, false),
];

fn row<'a>(app: &App, r: &DeployRow, detail_width: usize, wide: bool) -> Row<'a> {
    let theme = &app.theme;
    let mark = if app.deploy.marked.contains(r.account_id) { "●" } else { "" };
    let state = r.state();
    let state_role = match r.urgency() {
        0 | 1 => Role::Critical,
        2 | 3 => Role::Warning,
        4 => Role::Error,
        5 => Role::Ok,
        _ => Role::Muted,
    };
    let (revision, image, tasks, started, detail) = match r.value() {
        Some(s) => (
            s.task_definition.clone(),
            image_tag(&s.image).to_string(),
            format!("{}/{}", s.running, s.desired),
            r.started().map(|t| age(t, app.now)).unwrap_or_default(),
            silo_core::deploy::detail(s, app.now),
        ),
        None => {
            let error = r.status.error().map(|e| e.message.clone()).unwrap_or_default();
            (String::new(), String::new(), String::new(), String::new(), error)
        }
    };
    let cells = [
        Span::styled(mark, theme.style(Role::Key)),
        Span::styled(fit(r.tenant, 20), theme.style(Role::Text)),
        Span::styled(fit(&state, 14), theme.style(state_role)),
        Span::styled(fit(&revision, 22), theme.style(Role::Text)),
        Span::styled(fit(&image, 14), theme.style(Role::Muted)),
        Span::styled(tasks, theme.style(Role::Text)),
        Span::styled(started, theme.style(Role::Muted)),
        Span::styled(fit(&detail, detail_width), theme.style(Role::Muted)),
    ];
    Row::new(cells.into_iter().zip(COLUMNS.iter()).filter(|(_, c)| wide || !c.wide_only).map(|(s, _)| s))
}

fn render_sequence(frame: &mut Frame, area: Rect, app: &App, at: DateTime<Utc>, steps: &[SequenceStep]) {
    let theme = &app.theme;
    let rows = steps.iter().map(|s| {
        let (text, role) = match &s.outcome {
            StepOutcome::Done(ids) => (format!("done {ids}"), Role::Ok),
            StepOutcome::Failed(e) => (format!("failed: {e}"), Role::Error),
            StepOutcome::NotAttempted => ("not attempted (an earlier tenant failed)".into(), Role::Muted),
        };
        Row::new(vec![
            Span::styled(s.tenant.clone(), theme.style(Role::Text)),
            Span::styled(s.api.clone(), theme.style(Role::Muted)),
            Span::styled(text, theme.style(role)),
        ])
    });
    let title = format!(" Fleet rollback, {} ago ", age(at, app.now));
    let table = Table::new(rows, [Constraint::Length(20), Constraint::Length(30), Constraint::Min(10)])
        .header(Row::new(["TENANT", "API", "RESULT"]).style(theme.style(Role::Header)))
        .block(Block::default().borders(Borders::TOP).title(Span::styled(title, theme.style(Role::Title))));
    frame.render_widget(table, area);
}

/// The plan (or refusal) of `op` on the tenant, from its loaded deployments.
pub fn plan_for(app: &App, account_id: &str, op: &DeployOp) -> Result<silo_core::actions::deploy::Planned, String> {
    let loadable = app.store.deployments.get(account_id);
    let Some(status) = loadable.and_then(|l| l.value()) else {
        let why = loadable.and_then(|l| l.error()).map(|e| e.message.clone());
        return Err(why.unwrap_or_else(|| "its deployments are not loaded yet".into()));
    };
    use silo_core::actions::deploy::{self as p, Planned};
    let plan = match op {
        DeployOp::Pause { reason } => p::pause(status, reason),
        DeployOp::Resume => p::resume(status).map(|a| Planned::Action(Box::new(a))),
        DeployOp::Rollback { to } => p::rollback(status, *to).map(|a| Planned::Action(Box::new(a))),
    };
    plan.map_err(|e| e.to_string())
}
