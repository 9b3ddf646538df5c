//! The `:` command palette: views (`:findings`), tenants (`:t aurora`) and saved queries
//! (`:q cloudtrail-console-logins`), matched fuzzily (the typed letters in order); Tab takes the
//! best match, Enter goes there.

use super::outcome::ModalOutcome;
use crate::action::Action;
use crate::context::Ctx;
use crate::screens::registry::{named, NAMED};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;
use silo_core::role::Role;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommandState {
    pub input: String,
    pub error: Option<String>,
    /// Tenant names (account ids for names several accounts carry) and saved query names known
    /// when the palette opened.
    pub tenants: Vec<String>,
    pub queries: Vec<String>,
}

impl CommandState {
    pub fn new(ctx: &Ctx) -> CommandState {
        CommandState {
            tenants: ctx.store.tenants.values().map(choice).collect(),
            queries: ctx.library.queries.iter().map(|q| q.name.clone()).collect(),
            ..CommandState::default()
        }
    }

    /// Everything the palette can go to, as typed: `fleet`, `t acme`, `q alb-5xx-by-path`.
    fn choices(&self) -> Vec<String> {
        let views = NAMED.iter().map(|n| n.name.to_string());
        let tenants = self.tenants.iter().map(|t| format!("t {t}"));
        views.chain(tenants).chain(self.queries.iter().map(|q| format!("q {q}"))).collect()
    }

    /// The choices the input matches, best first.
    pub fn matches(&self) -> Vec<String> {
        let needle = self.input.trim().to_lowercase();
        let mut scored: Vec<(i32, String)> = self
            .choices()
            .into_iter()
            .filter_map(|c| fuzzy_score(&needle, &c.to_lowercase()).map(|s| (s, c)))
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.len().cmp(&b.1.len())).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, c)| c).collect()
    }
}

/// How a tenant is offered: its name, or `ACCOUNT (name)` when another account carries the name
/// (`:t acme` would be refused).
fn choice(record: &silo_core::store::TenantRecord) -> String {
    match record.name_shared {
        true => format!("{} ({})", record.tenant.account_id, record.tenant.name),
        false => record.tenant.name.clone(),
    }
}

/// The tenant a palette entry names: the account id of an `ACCOUNT (name)` choice, else as typed.
fn typed_tenant(entry: &str) -> &str {
    match entry.split_once(" (") {
        Some((account, _)) if silo_core::tenant_lookup::is_account_id(account) => account,
        _ => entry,
    }
}

/// How well `needle` matches `hay` with its letters in order (None: not at all). Letters that
/// follow each other, a match at the start and at word starts score higher.
pub fn fuzzy_score(needle: &str, hay: &str) -> Option<i32> {
    let hay: Vec<char> = hay.chars().collect();
    let mut score = 0;
    let mut at = 0;
    let mut previous: Option<usize> = None;
    for c in needle.chars() {
        let found = (at..hay.len()).find(|i| hay[*i] == c)?;
        score += 1;
        if previous.is_some_and(|p| p + 1 == found) {
            score += 5;
        }
        if found == 0 || matches!(hay[found - 1], ' ' | '-' | '_') {
            score += 3;
        }
        previous = Some(found);
        at = found + 1;
    }
    Some(score)
}

pub fn handle_key(state: &mut CommandState, key: KeyEvent) -> ModalOutcome {
    state.error = None;
    match key.code {
        KeyCode::Esc => return ModalOutcome::Close,
        KeyCode::Enter => return enter(state),
        KeyCode::Tab => {
            if let Some(best) = state.matches().first() {
                state.input = best.clone();
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
    let name = state.input.trim().to_string();
    if let Some(tenant) = name.strip_prefix("t ").or_else(|| name.strip_prefix("tenant ")) {
        return ModalOutcome::Dispatch(Box::new(Action::OpenTenantNamed(typed_tenant(tenant.trim()).to_string())));
    }
    if let Some(query) = name.strip_prefix("q ") {
        return open_query(state, query.trim());
    }
    let view = named(&name).map(|_| name.clone()).or_else(|| {
        let best = state.matches().into_iter().find(|m| !m.contains(' '));
        best.filter(|_| !name.is_empty())
    });
    match view.as_deref().and_then(named) {
        Some(screen) => ModalOutcome::Dispatch(Box::new(Action::Navigate(screen))),
        None => {
            let names: Vec<&str> = NAMED.iter().map(|n| n.name).collect();
            state.error = Some(format!("unknown view {name:?}: {} (or t <tenant>, q <query>)", names.join(", ")));
            ModalOutcome::Stay
        }
    }
}

/// `:q NAME`: the parameter form of that saved query (the best fuzzy match when not exact).
fn open_query(state: &mut CommandState, name: &str) -> ModalOutcome {
    let exact = state.queries.iter().find(|q| *q == name).cloned();
    let best =
        || state.queries.iter().filter_map(|q| fuzzy_score(name, q).map(|s| (s, q.clone()))).max_by_key(|(s, _)| *s);
    match exact.or_else(|| best().map(|(_, q)| q)) {
        Some(query) => ModalOutcome::Dispatch(Box::new(Action::OpenQuery(query))),
        None => {
            state.error = Some(format!("no saved query matches {name:?}; :queries lists them"));
            ModalOutcome::Stay
        }
    }
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &CommandState) {
    let theme = ctx.theme;
    let hint = match &state.error {
        Some(e) => Span::styled(format!("   {e}"), theme.style(Role::Error)),
        None => {
            let names: Vec<String> = state.matches().into_iter().take(6).collect();
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
    use crate::action::Screen;
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
        let mut state = CommandState { input: "budgets".into(), ..CommandState::default() };
        assert!(matches!(handle_key(&mut state, key(KeyCode::Enter)), ModalOutcome::Stay));
        assert_eq!(
            state.error.as_deref(),
            Some("unknown view \"budgets\": alarms, audit, deployments, errors, fleet, findings, health, history, queries, releases, rollouts, spend (or t <tenant>, q <query>)")
        );
    }

    #[test]
    fn fuzzy_matches_views_tenants_and_queries_in_letter_order() {
        let mut state = CommandState {
            tenants: vec!["aurora-foods".into(), "acme".into()],
            queries: vec!["cloudtrail-console-logins".into(), "alb-5xx-by-path".into()],
            ..CommandState::default()
        };
        state.input = "dpl".into();
        assert_eq!(state.matches().first().map(String::as_str), Some("deployments"));
        state.input = "t aur".into();
        assert_eq!(state.matches().first().map(String::as_str), Some("t aurora-foods"));
        state.input = "q ccl".into();
        assert_eq!(state.matches().first().map(String::as_str), Some("q cloudtrail-console-logins"));
        assert_eq!(fuzzy_score("xyz", "fleet"), None);
        state.input = "q ctcl".into();
        let ModalOutcome::Dispatch(action) = handle_key(&mut state, key(KeyCode::Enter)) else { panic!("opens") };
        assert_eq!(*action, Action::OpenQuery("cloudtrail-console-logins".into()));
        state.input = "findng".into();
        let ModalOutcome::Dispatch(action) = handle_key(&mut state, key(KeyCode::Enter)) else { panic!("goes") };
        assert_eq!(*action, Action::Navigate(Screen::Findings), "a near miss goes to the best view");
    }
}
