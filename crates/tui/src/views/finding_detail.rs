//! One finding in full: description, remediation, resources, times, console link and its JSON.

use super::findings::severity_role;
use crate::app::{Action, App};
use crate::keymap::Command;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;
use silo_core::findings::{Finding, FindingSource};
use silo_core::format::age;
use silo_core::role::Role;

pub const HINTS: [(Command, &str); 4] =
    [(Command::Back, "back"), (Command::Down, "scroll"), (Command::SetStatus, "status"), (Command::Quit, "quit")];

pub fn handle(app: &mut App, command: Command, id: &str) -> Option<Action> {
    match command {
        Command::Back => Some(Action::Back),
        Command::SetStatus | Command::Archive => super::triage::start(app, command, &[id]),
        other => {
            super::list::scroll(&mut app.detail_scroll, other, 20);
            None
        }
    }
}

/// The AWS console page of the finding.
pub fn console_url(f: &Finding) -> String {
    let region = if f.region.is_empty() { "us-east-1" } else { f.region.as_str() };
    match f.source {
        FindingSource::Securityhub => format!(
            "https://{region}.console.aws.amazon.com/securityhub/home?region={region}#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253A{}",
            super::links::encode(&f.id)
        ),
        FindingSource::Guardduty => format!("https://{region}.console.aws.amazon.com/guardduty/home?region={region}#/findings?fId={}", super::links::encode(&f.id)),
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, id: &str) {
    let theme = &app.theme;
    let Some(f) = app.store.all_findings().find(|f| f.id == id) else {
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
        t.map(|t| format!("{} ({} ago)", t.format("%Y-%m-%d %H:%M UTC"), age(t, app.now))).unwrap_or_default()
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
        field("console", console_url(f), Role::Key),
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
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((app.detail_scroll, 0)),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_links_encode_the_finding_id() {
        let mut f = silo_core::findings::tests_support::finding(
            "arn:aws:securityhub:us-east-1:1:x/RDS.3/finding/ab",
            "1",
            silo_core::findings::Severity::High,
            true,
        );
        assert!(console_url(&f)
            .ends_with("%253AEQUALS%255C%253Aarn%3Aaws%3Asecurityhub%3Aus-east-1%3A1%3Ax%2FRDS.3%2Ffinding%2Fab"));
        f.source = FindingSource::Guardduty;
        f.id = "abc123".into();
        assert_eq!(
            console_url(&f),
            "https://us-east-1.console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?fId=abc123"
        );
    }
}
