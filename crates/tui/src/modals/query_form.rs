//! The parameters of a saved query before it runs: defaults pre-filled, the tenant's account from
//! the selected tenant; ↑/↓ (or Tab) move between fields, typing edits, Enter checks every value
//! and runs only when all are valid.

use super::ModalOutcome;
use crate::action::Action;
use crate::context::Ctx;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::text::{Line, Span};
use ratatui::Frame;
use silo_core::model::Tenant;
use silo_core::queries::run::QueryRequest;
use silo_core::queries::SavedQuery;
use silo_core::role::Role;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct FormState {
    pub query: SavedQuery,
    /// One value per parameter, in order.
    pub values: Vec<String>,
    pub focus: usize,
    /// The selected tenant (name, account id); named in the history while `tenant` keeps its id.
    pub tenant: Option<(String, String)>,
    pub error: Option<String>,
    /// When relative defaults (today-7d) are resolved.
    pub now: DateTime<Utc>,
}

impl FormState {
    pub fn new(query: SavedQuery, tenant: Option<&Tenant>, now: DateTime<Utc>) -> FormState {
        let values = query
            .parameters
            .iter()
            .map(|p| match (p.name.as_str(), tenant) {
                ("tenant", Some(t)) => t.account_id.clone(),
                _ => p.default.clone().unwrap_or_default(),
            })
            .collect();
        let tenant = tenant.map(|t| (t.name.clone(), t.account_id.clone()));
        FormState { query, values, focus: 0, tenant, error: None, now }
    }

    /// The selected tenant's name while the `tenant` parameter still holds its account id.
    fn tenant_name(&self) -> Option<String> {
        let index = self.query.parameters.iter().position(|p| p.name == "tenant")?;
        let (name, account) = self.tenant.as_ref()?;
        (self.values.get(index) == Some(account)).then(|| name.clone())
    }

    /// The request, or the first invalid value named.
    pub fn request(&self) -> Result<QueryRequest, String> {
        let given: BTreeMap<String, String> =
            self.query.parameters.iter().zip(&self.values).map(|(p, v)| (p.name.clone(), v.clone())).collect();
        let parameters =
            silo_core::queries::values::bind(&self.query, &given, None, self.now).map_err(|e| e.to_string())?;
        Ok(QueryRequest {
            name: self.query.name.clone(),
            sql: self.query.sql.clone(),
            parameters,
            tenant: self.tenant_name(),
        })
    }
}

pub fn handle_key(state: &mut FormState, key: KeyEvent) -> ModalOutcome {
    state.error = None;
    let last = state.values.len().saturating_sub(1);
    match key.code {
        KeyCode::Esc => return ModalOutcome::Close,
        KeyCode::Up | KeyCode::BackTab => state.focus = state.focus.saturating_sub(1),
        KeyCode::Down | KeyCode::Tab => state.focus = (state.focus + 1).min(last),
        KeyCode::Enter => match state.request() {
            Ok(request) => return ModalOutcome::Dispatch(Box::new(Action::RunQuery(request))),
            Err(e) => state.error = Some(e),
        },
        _ => {
            if let Some(value) = state.values.get_mut(state.focus) {
                crate::widgets::popup::edit_text(value, &key);
            }
        }
    }
    ModalOutcome::Stay
}

pub fn render(frame: &mut Frame, ctx: &Ctx, state: &FormState) {
    let theme = ctx.theme;
    let mut lines = vec![
        Line::from(Span::styled(state.query.description.clone(), theme.style(Role::Text))),
        Line::from(Span::styled(format!("tables: {}", state.query.tables.join(", ")), theme.style(Role::Muted))),
        Line::default(),
    ];
    for (i, (p, value)) in state.query.parameters.iter().zip(&state.values).enumerate() {
        let focused = i == state.focus;
        let marker = if focused { "▶ " } else { "  " };
        let kind = if p.required { format!("{}, required", p.kind.label()) } else { p.kind.label().to_string() };
        let mut spans = vec![
            Span::styled(format!("{marker}{:<14}", p.name), theme.style(if focused { Role::Key } else { Role::Text })),
            Span::styled(format!("{kind:<20} "), theme.style(Role::Muted)),
            Span::styled(value.clone(), theme.style(Role::Text)),
        ];
        if focused {
            spans.push(Span::styled("█", theme.style(Role::Key)));
        }
        if let (true, Some(name)) = (p.name == "tenant", state.tenant_name()) {
            spans.push(Span::styled(format!("  ({name}, the selected tenant)"), theme.style(Role::Muted)));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::default());
    let help = "↑/↓ field · type to edit · Enter: run (Athena bills $5/TB scanned, 10 MB minimum) · Esc: cancel";
    lines.push(Line::from(Span::styled(help, theme.style(Role::Muted))));
    if let Some(e) = &state.error {
        lines.push(Line::from(Span::styled(e.clone(), theme.style(Role::Error))));
    }
    crate::widgets::popup::centered(frame, ctx, &format!("Run {}", state.query.name), lines, 100, Role::Border);
}
