//! The `:` prompt: type a view name (Tab completes), Enter goes there.

use super::ModalOutcome;
use crate::app::{Action, App, Screen};
use crate::theme::Role;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

/// Views reachable from the prompt, with what they show.
pub const VIEWS: [(&str, &str); 8] = [
    ("alarms", "every tenant's CloudWatch alarms in ALARM"),
    ("audit", "the audit journal of actions"),
    ("deployments", "every tenant's ECS deployment: paused, failed, in flight"),
    ("fleet", "every tenant at a glance"),
    ("findings", "open Security Hub and GuardDuty findings"),
    ("history", "this session's Athena query runs and their cost"),
    ("queries", "saved Athena log queries (CloudTrail, ALB, VPC flow logs)"),
    ("spend", "month-to-date spend per tenant"),
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommandState {
    pub input: String,
    pub error: Option<String>,
}

pub fn screen_named(name: &str) -> Option<Screen> {
    match name {
        "fleet" => Some(Screen::Fleet),
        "spend" => Some(Screen::Spend),
        "findings" => Some(Screen::Findings),
        "audit" => Some(Screen::Audit),
        "alarms" => Some(Screen::Alarms),
        "deployments" => Some(Screen::Deployments),
        "queries" => Some(Screen::Queries),
        "history" => Some(Screen::QueryHistory),
        _ => None,
    }
}

fn completions(prefix: &str) -> Vec<&'static str> {
    VIEWS.iter().map(|(n, _)| *n).filter(|n| n.starts_with(prefix)).collect()
}

pub fn handle_key(state: &mut CommandState, key: KeyEvent) -> ModalOutcome {
    state.error = None;
    match key.code {
        KeyCode::Esc => return ModalOutcome::Close,
        KeyCode::Enter => return enter(state),
        KeyCode::Tab => {
            if let [only] = completions(state.input.trim()).as_slice() {
                state.input = only.to_string();
            }
        }
        KeyCode::Backspace => {
            state.input.pop();
        }
        KeyCode::Char(c) if !c.is_control() => state.input.push(c),
        _ => {}
    }
    ModalOutcome::Stay
}

fn enter(state: &mut CommandState) -> ModalOutcome {
    let name = state.input.trim();
    if let Some(tenant) = name.strip_prefix("t ").or_else(|| name.strip_prefix("tenant ")) {
        return ModalOutcome::Dispatch(Box::new(Action::OpenTenantNamed(tenant.trim().to_string())));
    }
    let candidates = completions(name);
    let chosen = if candidates.contains(&name) {
        Some(name)
    } else if candidates.len() == 1 {
        Some(candidates[0])
    } else {
        None
    };
    match chosen.and_then(screen_named) {
        Some(screen) => ModalOutcome::Dispatch(Box::new(Action::Navigate(screen))),
        None => {
            let names: Vec<&str> = VIEWS.iter().map(|(n, _)| *n).collect();
            state.error = Some(format!("unknown view {name:?}: {} (or t <tenant>)", names.join(", ")));
            ModalOutcome::Stay
        }
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, state: &CommandState) {
    let theme = &app.theme;
    let hint = match &state.error {
        Some(e) => Span::styled(format!("   {e}"), theme.style(Role::Error)),
        None => {
            let names: Vec<&str> = completions(state.input.trim());
            Span::styled(format!("   {}", names.join(" · ")), theme.style(Role::Muted))
        }
    };
    let line = Line::from(vec![
        Span::styled(" :", theme.style(Role::Key)),
        Span::styled(state.input.clone(), theme.style(Role::Text)),
        Span::styled("█", theme.style(Role::Key)),
        hint,
    ]);
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(line), area);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn prefix_and_tab_complete_to_a_view() {
        let mut state = CommandState::default();
        handle_key(&mut state, key(KeyCode::Char('s')));
        handle_key(&mut state, key(KeyCode::Tab));
        assert_eq!(state.input, "spend");
        let ModalOutcome::Dispatch(action) = handle_key(&mut state, key(KeyCode::Enter)) else { panic!("dispatches") };
        assert_eq!(*action, Action::Navigate(Screen::Spend));
    }

    #[test]
    fn unknown_view_stays_open_with_the_choices() {
        let mut state = CommandState { input: "budgets".into(), error: None };
        assert!(matches!(handle_key(&mut state, key(KeyCode::Enter)), ModalOutcome::Stay));
        assert_eq!(
            state.error.as_deref(),
            Some("unknown view \"budgets\": alarms, audit, deployments, fleet, findings, history, queries, spend (or t <tenant>)")
        );
    }
}
