//! `:deployments`: every tenant's deployment state (paused, failed, in flight first), with pause,
//! resume and roll back on the selected tenant, and a fleet-wide rollback of the marked ones.
//! After an action silo follows the tenant's deployment until it ends.

use crate::action::Action;
use crate::context::Ctx;
use crate::keymap::Command;
use crate::widgets::list::{ListOutcome, ListState, SortColumn};
use chrono::{DateTime, Utc};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Row, Table, TableState};
use ratatui::Frame;
use silo_core::deploy::{image_tag, DeployStatus};
use silo_core::format::{age, fit};
use silo_core::plan::{SequenceStep, StepOutcome};
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

pub fn visible<'a>(ctx: &Ctx<'a>, state: &DeployState) -> Vec<DeployRow<'a>> {
    static IDLE: Loadable<DeployStatus> = Loadable::Idle;
    let words: Vec<String> = state.list.filter.to_lowercase().split_whitespace().map(str::to_string).collect();
    let mut rows: Vec<DeployRow> = ctx
        .store
        .tenants
        .values()
        .map(|r| DeployRow {
            account_id: &r.tenant.account_id,
            tenant: &r.tenant.name,
            status: ctx.store.deployments.get(&r.tenant.account_id).unwrap_or(&IDLE),
        })
        .filter(|r| {
            words.is_empty() || {
                let hay = r.haystack();
                words.iter().all(|w| hay.contains(w.as_str()))
            }
        })
        .collect();
    // Keys once per row (the state label is built from the status), not per comparison.
    let key = |r: &DeployRow| match state.list.sort {
        DeploySort::State => (r.urgency(), None),
        DeploySort::Tenant => (0, None),
        DeploySort::Started => (0, r.started()),
    };
    let mut keyed: Vec<_> = rows.drain(..).map(|r| (key(&r), r)).collect();
    keyed.sort_by(|(ka, a), (kb, b)| {
        let by_name = state.list.sort != DeploySort::Started;
        let order = ka.cmp(kb).then_with(|| if by_name { a.tenant.cmp(b.tenant) } else { std::cmp::Ordering::Equal });
        if state.list.descending {
            order.reverse()
        } else {
            order
        }
    });
    keyed.into_iter().map(|(_, r)| r).collect()
}

pub fn handle(state: &mut DeployState, ctx: &Ctx, command: Command) -> Option<Action> {
    let keys: Vec<String> = visible(ctx, state).iter().map(|r| r.account_id.to_string()).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let selected = keys.get(state.list.selected_index(&keys)).map(|k| k.to_string());
    match command {
        Command::Mark => {
            state.list.toggle_mark(&mut state.marked, &keys);
            return None;
        }
        Command::MarkAll => {
            crate::widgets::list::toggle_mark_all(&mut state.marked, &keys);
            return None;
        }
        Command::Rollback if !state.marked.is_empty() => return fleet_rollback(state, ctx),
        Command::Pause | Command::Resume | Command::Rollback | Command::Deployments => {
            return super::deploy_detail::act(ctx, &selected?, command);
        }
        Command::Back if state.list.filter.is_empty() && state.marked.is_empty() => return Some(Action::Back),
        Command::Back if state.list.filter.is_empty() => {
            state.marked.clear();
            return None;
        }
        _ => {}
    }
    match state.list.handle(command, &keys) {
        ListOutcome::Open(account) => Some(Action::OpenDeploy(account)),
        ListOutcome::EditFilter => Some(Action::EditFilter),
        ListOutcome::None => None,
    }
}

/// One plan per marked tenant (default rollback target each) behind one typed confirmation that
/// names the count. Any tenant that cannot be planned stops it all, with the reason.
fn fleet_rollback(state: &DeployState, ctx: &Ctx) -> Option<Action> {
    let mut plans = Vec::new();
    let mut problems = Vec::new();
    for account in &state.marked {
        let record = ctx.store.tenants.get(account);
        let name = record.map(|r| r.tenant.name.clone()).unwrap_or_else(|| account.clone());
        match ctx.store.deployments.get(account).and_then(|l| l.last()) {
            Some(last) => match silo_core::plan::deploy::rollback(&last.value, None) {
                Ok(plan) => plans.push(plan.read_at(last.at)),
                Err(e) => problems.push(format!("{name}: {e}")),
            },
            None => problems.push(format!("{name}: deployments not loaded")),
        }
    }
    if !problems.is_empty() {
        return Some(Action::Status(format!("fleet rollback not planned: {}", problems.join("; ")), Role::Error));
    }
    Some(Action::ConfirmBatch(plans))
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &DeployState) {
    let results = ctx.store.sequence.as_ref().map(|(_, r)| r.len() as u16 + 3).unwrap_or(0).min(area.height / 2);
    let [list, panel] = Layout::vertical([Constraint::Min(3), Constraint::Length(results)]).areas(area);
    render_list(frame, list, ctx, state);
    if let Some((at, steps)) = &ctx.store.sequence {
        render_sequence(frame, panel, ctx, *at, steps);
    }
}

fn render_list(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &DeployState) {
    let theme = ctx.theme;
    let rows = visible(ctx, state);
    let keys: Vec<&str> = rows.iter().map(|r| r.account_id).collect();
    let selected = state.list.selected_index(&keys);
    let range = crate::widgets::list::window(rows.len(), selected, area.height.saturating_sub(2) as usize);
    crate::widgets::list::note_rows(ctx, area, 1, &range, selected);
    let wide = area.width >= 120;
    let shown = COLUMNS.iter().filter(|c| wide || !c.wide_only);
    let fixed: u16 = shown.map(|c| c.width + 1).sum();
    let detail_width = area.width.saturating_sub(fixed) as usize;
    let body = rows[range.clone()].iter().map(|r| row(ctx, state, r, detail_width, wide));
    let mut title = vec![Span::styled(format!(" Deployments ({}) ", rows.len()), theme.style(Role::Title))];
    if !state.marked.is_empty() {
        title.push(Span::styled(format!("{} marked ", state.marked.len()), theme.style(Role::Badge)));
    }
    if !state.list.filter.is_empty() {
        title.push(Span::styled(format!(" filter: {} ", state.list.filter), theme.style(Role::Key)));
    }
    let widths: Vec<Constraint> = COLUMNS
        .iter()
        .filter(|c| wide || !c.wide_only)
        .map(|c| if c.width == 0 { Constraint::Min(10) } else { Constraint::Length(c.width) })
        .collect();
    let header = Row::new(COLUMNS.iter().filter(|c| wide || !c.wide_only).map(|c| c.title));
    let table = Table::new(body, widths)
        .header(header.style(theme.style(Role::Header)))
        .block(crate::widgets::list::top_block(ctx, title))
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

fn row<'a>(ctx: &Ctx, state: &DeployState, r: &DeployRow, detail_width: usize, wide: bool) -> Row<'a> {
    let theme = ctx.theme;
    let mark = if state.marked.contains(r.account_id) { "●" } else { "" };
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
            r.started().map(|t| age(t, ctx.now)).unwrap_or_default(),
            silo_core::deploy::detail(s, ctx.now),
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

fn render_sequence(frame: &mut Frame, area: Rect, ctx: &Ctx, at: DateTime<Utc>, steps: &[SequenceStep]) {
    let theme = ctx.theme;
    let rows = steps.iter().map(|s| {
        let (text, role) = match &s.outcome {
            StepOutcome::Done(ids) => (format!("done {ids}"), Role::Ok),
            StepOutcome::Failed(e) => (format!("failed: {e}"), Role::Error),
            StepOutcome::NotAttempted => ("not attempted (an earlier tenant failed)".into(), Role::Muted),
            StepOutcome::Aborted => ("aborted (silo was asked to quit before it started)".into(), Role::Warning),
        };
        Row::new(vec![
            Span::styled(s.tenant.clone(), theme.style(Role::Text)),
            Span::styled(s.api.clone(), theme.style(Role::Muted)),
            Span::styled(text, theme.style(role)),
        ])
    });
    let title = format!(" Fleet rollback, {} ago ", age(at, ctx.now));
    let table = Table::new(rows, [Constraint::Length(20), Constraint::Length(30), Constraint::Min(10)])
        .header(Row::new(["TENANT", "API", "RESULT"]).style(theme.style(Role::Header)))
        .block(Block::default().borders(Borders::TOP).title(Span::styled(title, theme.style(Role::Title))));
    frame.render_widget(table, area);
}
