//! One finding in full: description, remediation, resources, times, console link and its JSON.

use super::findings::severity_role;
use crate::action::Action;
use crate::context::Ctx;
use crate::keymap::Command;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use silo_core::format::age;
use silo_core::role::Role;

pub const HINTS: [(Command, &str); 5] = [
    (Command::Back, "back"),
    (Command::Down, "scroll"),
    (Command::SetStatus, "status"),
    (Command::Detective, "detective"),
    (Command::Quit, "quit"),
];

/// `scroll` is the screen's scroll offset (its only state).
pub fn handle(scroll: &mut u16, ctx: &Ctx, command: Command, id: &str) -> Option<Action> {
    match command {
        Command::Back => Some(Action::Back),
        Command::SetStatus | Command::Archive => super::findings::act(ctx, command, vec![id.to_string()]),
        Command::Detective => detective(ctx, id),
        other => {
            crate::widgets::list::scroll(scroll, other, 20);
            None
        }
    }
}

/// `D`: the finding's investigation in Amazon Detective, when `[audit] detective` says there is
/// a behavior graph; otherwise how to turn it on.
fn detective(ctx: &Ctx, id: &str) -> Option<Action> {
    if !ctx.detective {
        return Some(Action::Status(
            "set detective = true in [audit] when Amazon Detective runs there".into(),
            Role::Muted,
        ));
    }
    let finding = ctx.store.all_findings().find(|f| f.id == id)?;
    Some(Action::ShowUrl(silo_core::links::detective_url(finding)))
}

fn detective_line(ctx: &Ctx, f: &silo_core::findings::Finding) -> String {
    match ctx.detective {
        true => silo_core::links::detective_url(f),
        false => "off ([audit] detective = true when Amazon Detective runs in the audit account)".into(),
    }
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, scroll: u16, id: &str) {
    let theme = ctx.theme;
    let Some(f) = ctx.store.all_findings().find(|f| f.id == id) else {
        frame.render_widget(
            Paragraph::new(Span::styled(" this finding is no longer open (Esc to go back)", theme.style(Role::Muted))),
            area,
        );
        return;
    };
    let field = |label: &str, value: String, role: Role| {
        Line::from(vec![
            Span::styled(format!(" {label:<13}"), theme.style(Role::Muted)),
            Span::styled(value, theme.style(role)),
        ])
    };
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| format!("{} ({} ago)", t.format("%Y-%m-%d %H:%M UTC"), age(t, ctx.now))).unwrap_or_default()
    };
    let mut lines = vec![
        field("severity", f.severity.label().into(), severity_role(f.severity)),
        field("tenant", f.tenant.clone().unwrap_or_else(|| "(not a tenant account)".into()), Role::Text),
        field("account", format!("{} · {}", f.account_id, f.region), Role::Text),
        field("source", format!("{} · {}", f.source.as_str(), f.kind), Role::Text),
        field("status", f.status.clone(), Role::Text),
        field("resource", format!("{} {}", f.resource_type, f.resource), Role::Text),
        field("first seen", when(f.first_seen), Role::Text),
        field("last seen", when(f.last_seen), Role::Text),
        field("updated", when(f.updated_at), Role::Text),
        field("console", silo_core::links::finding_url(f), Role::Key),
        field("detective", detective_line(ctx, f), if ctx.detective { Role::Key } else { Role::Muted }),
        Line::default(),
        Line::from(Span::styled(" Description", theme.style(Role::Header))),
        Line::from(Span::styled(format!(" {}", f.description), theme.style(Role::Text))),
        Line::default(),
        Line::from(Span::styled(" Remediation", theme.style(Role::Header))),
        Line::from(Span::styled(format!(" {}", f.remediation), theme.style(Role::Text))),
        Line::from(Span::styled(format!(" {}", f.remediation_url), theme.style(Role::Key))),
        Line::default(),
        Line::from(Span::styled(" JSON", theme.style(Role::Header))),
    ];
    lines.extend(f.raw.lines().map(|l| Line::from(Span::styled(format!(" {l}"), theme.style(Role::Muted)))));
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(format!(" {} ", f.title), theme.style(Role::Title)))
        .border_style(theme.style(Role::Border));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((scroll, 0)), area);
}
