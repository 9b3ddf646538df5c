//! One alarm: state and reason, its configuration, and its recent history.

use crate::action::Action;
use crate::context::Ctx;
use crate::keymap::Command;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;
use silo_core::alarms::AlarmState;
use silo_core::format::age;
use silo_core::role::Role;
use silo_core::store::Loadable;

pub const HINTS: [(Command, &str); 3] = [(Command::Back, "back"), (Command::Down, "scroll"), (Command::Quit, "quit")];

/// `scroll` is the screen's scroll offset (its only state).
pub fn handle(scroll: &mut u16, command: Command) -> Option<Action> {
    if command == Command::Back {
        return Some(Action::Back);
    }
    crate::widgets::list::scroll(scroll, command, 20);
    None
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, scroll: u16, account_id: &str, name: &str) {
    let theme = ctx.theme;
    let record = ctx.store.tenants.get(account_id);
    let alarm = record.and_then(|r| r.alarms.value()).and_then(|s| s.alarms.iter().find(|a| a.name == name));
    let Some(alarm) = alarm else {
        frame.render_widget(
            Paragraph::new(Span::styled(" this alarm is gone (Esc to go back)", theme.style(Role::Muted))),
            area,
        );
        return;
    };
    let role = match alarm.state {
        AlarmState::Alarm => Role::Critical,
        AlarmState::InsufficientData => Role::Warning,
        AlarmState::Ok => Role::Ok,
    };
    let field = |k: &str, v: String, r: Role| {
        Line::from(vec![Span::styled(format!(" {k:<14}"), theme.style(Role::Muted)), Span::styled(v, theme.style(r))])
    };
    let since = alarm
        .since
        .map(|t| format!(" for {} (since {})", age(t, ctx.now), t.format("%Y-%m-%d %H:%M UTC")))
        .unwrap_or_default();
    let mut lines = vec![
        field("tenant", record.map(|r| r.tenant.name.clone()).unwrap_or_default(), Role::Text),
        field("state", format!("{}{since}", alarm.state.label()), role),
        field("reason", alarm.reason.clone(), Role::Text),
        field("kind", if alarm.composite { "composite alarm".into() } else { "metric alarm".into() }, Role::Text),
        Line::default(),
        Line::from(Span::styled(" Configuration", theme.style(Role::Header))),
    ];
    lines.extend(alarm.config.iter().map(|(k, v)| field(k, v.clone(), Role::Text)));
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(" History (newest first)", theme.style(Role::Header))));
    let history = silo_core::alarms::HISTORY;
    match ctx.store.answer(&history, &history.of_tenant(account_id, name)) {
        Loadable::Failed { error, .. } => {
            lines.push(Line::from(Span::styled(format!(" {error}"), theme.style(Role::Error))))
        }
        l if l.value().is_some() => {
            let items = l.value().map(|v| v.as_slice()).unwrap_or(&[]);
            if items.is_empty() {
                lines.push(Line::from(Span::styled(" no history in the last two weeks", theme.style(Role::Muted))));
            }
            lines.extend(items.iter().map(|h| {
                let when = h.time.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
                Line::from(vec![
                    Span::styled(format!(" {when}  "), theme.style(Role::Muted)),
                    Span::styled(format!("{:<20}", h.kind), theme.style(Role::Muted)),
                    Span::styled(h.summary.clone(), theme.style(Role::Text)),
                ])
            }));
        }
        _ => lines.push(Line::from(Span::styled(" loading…", theme.style(Role::Muted)))),
    }
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(format!(" {} ", alarm.name), theme.style(Role::Title)))
        .border_style(theme.style(Role::Border));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((scroll, 0)), area);
}
