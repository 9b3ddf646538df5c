//! The whole frame: header (organization, identity, data age, progress), the screen on top of the
//! navigation stack, the footer (key hints or the last message) and the popups over them.

use crate::app::App;
use crate::context::Ctx;
use crate::keymap::Command;
use crate::modals::{self, Modal};
use crate::screens;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{LineGauge, Paragraph};
use ratatui::Frame;
use silo_core::fleet_progress::Progress;
use silo_core::role::Role;

/// Draws the whole frame from `&App`; never awaits, never fetches.
pub fn render(frame: &mut Frame, app: &App) {
    app.clickable.set(None);
    let ctx = app.ctx();
    let [header, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)]).areas(frame.area());
    render_header(frame, header, &ctx);
    render_screen(frame, body, app, &ctx);
    render_footer(frame, footer, &ctx, app.status.as_ref());
    for modal in &app.modals {
        render_modal(frame, footer, &ctx, modal);
    }
}

/// The screen on top of the stack, with its own state.
fn render_screen(frame: &mut Frame, body: Rect, app: &App, ctx: &Ctx) {
    screens::registry::render(frame, body, ctx, &app.views, ctx.screen());
}

fn render_modal(frame: &mut Frame, footer: Rect, ctx: &Ctx, modal: &Modal) {
    match modal {
        Modal::Help(state) => modals::help::render(frame, ctx, state),
        Modal::Filter(state) => modals::filter::render(frame, footer, ctx, state),
        Modal::Command(state) => modals::command::render(frame, footer, ctx, state),
        Modal::CostConfirm(state) => modals::cost_confirm::render(frame, ctx, state),
        Modal::Quit(state) => modals::quit::render(frame, ctx, state),
        Modal::Triage(state) => modals::triage::render(frame, ctx, state),
        Modal::Confirm(state) => modals::confirm::render(frame, ctx, state),
        Modal::Reason(state) => modals::reason::render(frame, ctx, state),
        Modal::RevisionPicker(state) => modals::revision_picker::render(frame, ctx, state),
        Modal::ScheduleForm(state) => modals::schedule_form::render(frame, ctx, state),
        Modal::QueryForm(state) => modals::query_form::render(frame, ctx, state),
        Modal::SqlEditor(state) => modals::sql_editor::render(frame, ctx, state),
    }
}

fn render_header(frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let theme = ctx.theme;
    let progress = Progress::of(ctx.store);
    let mut spans = vec![Span::styled(" silo ", theme.style(Role::Title))];
    if let Some(name) = &ctx.banner.organization {
        spans.push(Span::styled(format!("{name} · "), theme.style(Role::Text)));
    }
    spans.push(Span::styled(format!("{} ", ctx.banner.source), theme.style(Role::Muted)));
    if let Some(identity) = ctx.banner.identity.as_deref().map(short_identity) {
        spans.push(Span::styled(format!("{identity} "), theme.style(Role::Muted)));
    }
    if ctx.screen_tenant().is_some_and(|a| ctx.is_production(a)) {
        spans.push(Span::styled(" PRODUCTION ", theme.style(Role::Critical)));
        spans.push(Span::raw(" "));
    }
    if ctx.banner.read_only {
        spans.push(Span::styled(" READ-ONLY ", theme.style(Role::Badge)));
        spans.push(Span::raw(" "));
    }
    match (ctx.offline, ctx.snapshot_at) {
        (true, at) => {
            spans.push(Span::styled(" OFFLINE ", theme.style(Role::Badge)));
            let age =
                at.map(|t| format!(" snapshot from {} ago", silo_core::format::age(t, ctx.now))).unwrap_or_default();
            spans.push(Span::styled(age, theme.style(Role::Stale)));
        }
        (false, Some(at)) => {
            spans.push(Span::styled(
                format!("snapshot from {} ago (stale) · ", silo_core::format::age(at, ctx.now)),
                theme.style(Role::Stale),
            ));
            spans.push(Span::styled(progress.freshness(ctx.now), theme.style(Role::Muted)));
        }
        (false, None) => spans.push(Span::styled(progress.freshness(ctx.now), theme.style(Role::Muted))),
    }
    if let Some(error) = ctx.store.tenant_list.error() {
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

fn render_footer(frame: &mut Frame, area: Rect, ctx: &Ctx, status: Option<&(String, Role)>) {
    let hints = screens::registry::hints(ctx.screen());
    let line = match status {
        Some((text, role)) => Line::from(Span::styled(format!(" {text}"), ctx.theme.style(*role))),
        None => hint_line(ctx, hints),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// "key action" pairs for the footer, with the keys as currently bound.
pub fn hint_line(ctx: &Ctx, hints: &[(Command, &str)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (command, label) in hints {
        let first = ctx.keymap.first_key_label(*command);
        spans.push(Span::styled(format!(" {first}"), ctx.theme.style(Role::Key)));
        spans.push(Span::styled(format!(" {label} "), ctx.theme.style(Role::Muted)));
    }
    Line::from(spans)
}
