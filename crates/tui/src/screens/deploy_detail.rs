//! One tenant's deployments: what runs, the deployment in flight (a PAUSE hook wait shown first,
//! with when it expires and what ECS does then), the freeze, the history and the revisions.
//! `p`/`u`/`b` plan pause, resume and roll back; every plan goes through the typed confirmation.

use crate::action::{Action, DeployOp};
use crate::context::Ctx;
use crate::keymap::Command;
use chrono::{DateTime, Utc};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use silo_core::deploy::{image_tag, DeployStatus, Deployment};
use silo_core::format::{age, fit};
use silo_core::role::Role;

pub const HINTS: [(Command, &str); 6] = [
    (Command::Pause, "pause"),
    (Command::Resume, "resume"),
    (Command::Rollback, "roll back"),
    (Command::Refresh, "refresh"),
    (Command::Back, "back"),
    (Command::Help, "help"),
];

/// `scroll` is the screen's scroll offset (its only state).
pub fn handle(scroll: &mut u16, ctx: &Ctx, command: Command, account_id: &str) -> Option<Action> {
    match command {
        Command::Back => Some(Action::Back),
        Command::Pause | Command::Resume | Command::Rollback => act(ctx, account_id, command),
        other => {
            crate::widgets::list::scroll(scroll, other, 10);
            None
        }
    }
}

/// Starts pause, resume or roll back on a tenant: asks what is missing (the freeze reason, the
/// revision) or goes straight to the plan.
pub fn act(ctx: &Ctx, account_id: &str, command: Command) -> Option<Action> {
    let status = ctx.store.deployments.get(account_id).and_then(|l| l.value());
    match command {
        Command::Deployments => Some(Action::OpenDeploy(account_id.to_string())),
        Command::Pause if status.is_some_and(|s| s.pipeline.is_some() && !s.frozen()) => {
            Some(Action::AskFreezeReason(account_id.to_string()))
        }
        Command::Pause => Some(Action::PlanDeploy(account_id.into(), DeployOp::Pause { reason: String::new() })),
        Command::Resume => Some(Action::PlanDeploy(account_id.into(), DeployOp::Resume)),
        Command::Rollback if status.is_some_and(|s| s.in_flight().is_none() && !s.revisions.is_empty()) => {
            Some(Action::PickRevision(account_id.to_string()))
        }
        Command::Rollback => Some(Action::PlanDeploy(account_id.into(), DeployOp::Rollback { to: None })),
        _ => None,
    }
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, scroll: u16, account_id: &str) {
    let theme = ctx.theme;
    let name = ctx.store.tenants.get(account_id).map(|r| r.tenant.name.as_str()).unwrap_or(account_id);
    let loadable = ctx.store.deployments.get(account_id);
    let mut lines = match loadable.and_then(|l| l.last()) {
        Some(loaded) => status_lines(ctx, &loaded.value, loaded.at),
        None => vec![Line::from(Span::styled("loading deployments…", theme.style(Role::Muted)))],
    };
    if let Some(error) = loadable.and_then(|l| l.error()) {
        lines.insert(0, Line::from(Span::styled(error.to_string(), theme.style(Role::Error))));
    }
    let title = Span::styled(format!(" Deployments of {name} "), theme.style(Role::Title));
    let block = crate::widgets::list::top_block(ctx, title);
    let text = Paragraph::new(lines).block(block).wrap(ratatui::widgets::Wrap { trim: false });
    frame.render_widget(text.scroll((scroll, 0)), area);
}

fn status_lines(ctx: &Ctx, s: &DeployStatus, at: DateTime<Utc>) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let text = |s: String, role: Role| Line::from(Span::styled(s, t.style(role)));
    let mut lines = vec![
        text(format!("service   {}/{}  account {}  {}", s.cluster, s.service, s.account_id, s.region), Role::Text),
        text(format!("running   {}  {}", s.task_definition, s.image), Role::Text),
        text(
            format!(
                "tasks     {} running / {} desired / {} pending   read {} ago",
                s.running,
                s.desired,
                s.pending,
                age(at, ctx.now)
            ),
            Role::Muted,
        ),
    ];
    lines.extend(pause_lines(ctx, s));
    if let Some(d) = s.in_flight() {
        lines.push(Line::default());
        lines.push(text("IN FLIGHT".into(), Role::Header));
        lines.extend(flight_lines(ctx, d));
    }
    lines.push(Line::default());
    lines.push(text(format!("HISTORY ({})", s.history_source.replace('_', " ")), Role::Header));
    lines.extend(s.deployments.iter().map(|d| history_line(ctx, d)));
    lines.push(Line::default());
    lines.push(text("REVISIONS (b picks one to roll back to)".into(), Role::Header));
    let good = s.last_good_revision().map(|r| r.number);
    lines.extend(s.revisions.iter().map(|r| {
        let mark = if Some(r.number) == s.current_number() {
            "current"
        } else if Some(r.number) == good {
            "last good"
        } else {
            ""
        };
        let when = r.created_at.map(|c| c.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
        text(
            format!("  {:<24} {:<18} {when:<17} {mark}", fit(&r.task_definition, 24), fit(image_tag(&r.image), 18)),
            Role::Text,
        )
    }));
    lines.extend(s.notes.iter().map(|n| text(format!("note: {n}"), Role::Warning)));
    lines
}

/// The pause state first: waiting at a hook (with its deadline), frozen, or no hook at all.
fn pause_lines(ctx: &Ctx, s: &DeployStatus) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let mut lines = Vec::new();
    if let Some((d, hook)) = s.waiting_hook() {
        let expires = hook.expires_at.map(|e| format!("expires {} (in {})", e.format("%H:%M UTC"), age(ctx.now, e)));
        let stage = d.lifecycle_stage.as_deref().unwrap_or("?");
        lines.push(Line::from(vec![
            Span::styled(" PAUSED ", t.style(Role::Badge)),
            Span::styled(
                format!(
                    " at hook {} ({stage}), {}, then ECS will {}",
                    hook.hook_id,
                    expires.unwrap_or_else(|| "no expiry known".into()),
                    hook.timeout_action.as_deref().unwrap_or("?")
                ),
                t.style(Role::Critical),
            ),
        ]));
    }
    match (&s.pipeline, &s.freeze) {
        (Some(p), Some(f)) => {
            let by = f.by.as_deref().map(|b| format!(" by {b}")).unwrap_or_default();
            let when = f.at.map(|a| format!(" {} ago", age(a, ctx.now))).unwrap_or_default();
            lines.push(Line::from(vec![
                Span::styled(" FROZEN ", t.style(Role::Badge)),
                Span::styled(format!(" {}/{}: {:?}{by}{when}", p.pipeline, p.stage, f.reason), t.style(Role::Warning)),
            ]));
        }
        (Some(p), None) => lines.push(Line::from(Span::styled(
            format!("pipeline  {}/{} (deploys flow; p freezes)", p.pipeline, p.stage),
            t.style(Role::Muted),
        ))),
        (None, _) => lines.push(Line::from(Span::styled(
            "pipeline  none configured: no deploy freeze ([tenants] pipeline)",
            t.style(Role::Muted),
        ))),
    }
    if !s.pause_hook {
        let text = "no PAUSE lifecycle hook on this service: pausing a deployment needs one in its template (docs/deployments.md)";
        lines.push(Line::from(Span::styled(text, t.style(Role::Warning))));
    }
    lines
}

fn flight_lines(ctx: &Ctx, d: &Deployment) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let started = d.started_at.map(|s| format!("started {} ago", age(s, ctx.now))).unwrap_or_default();
    let mut lines = vec![
        Line::from(Span::styled(
            format!("  {}  {}  {started}", d.status, d.lifecycle_stage.as_deref().unwrap_or("")),
            t.style(Role::Warning),
        )),
        Line::from(Span::styled(
            format!(
                "  to {}  {}   {}/{} tasks ({}%)",
                d.task_definition.as_deref().unwrap_or("?"),
                d.image.as_deref().map(image_tag).unwrap_or(""),
                d.running,
                d.requested,
                d.progress()
            ),
            t.style(Role::Text),
        )),
    ];
    let monitors = [("circuit breaker", &d.circuit_breaker), ("alarms", &d.alarms)];
    for (label, value) in monitors.iter().filter_map(|(l, v)| v.as_ref().map(|v| (l, v))) {
        lines.push(Line::from(Span::styled(format!("  {label}: {value}"), t.style(Role::Muted))));
    }
    lines.push(Line::from(Span::styled(format!("  {}", d.id), t.style(Role::Muted))));
    lines
}

fn history_line(ctx: &Ctx, d: &Deployment) -> Line<'static> {
    let role = if d.failed() {
        Role::Critical
    } else if d.in_flight() {
        Role::Warning
    } else {
        Role::Text
    };
    let started = d.started_at.map(|s| s.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
    let reason = d.status_reason.as_deref().unwrap_or("");
    let text = format!(
        "  {:<20} {:<20} {:<14} {started:<17} {}",
        d.status,
        fit(d.task_definition.as_deref().unwrap_or("?"), 20),
        fit(d.image.as_deref().map(image_tag).unwrap_or(""), 14),
        fit(reason, 60)
    );
    Line::from(Span::styled(text, ctx.theme.style(role)))
}
