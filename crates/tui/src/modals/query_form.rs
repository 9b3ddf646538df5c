//! The parameters of a saved query before it runs: defaults pre-filled, the tenant's account from
//! the selected tenant; ↑/↓ (or Tab) move between fields, typing edits, Enter checks every value
//! and runs only when all are valid.

use super::outcome::ModalOutcome;
use crate::action::Action;
use crate::context::Ctx;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::text::{Line, Span};
use ratatui::Frame;
use silo_core::model::Tenant;
use silo_core::queries::run::QueryRequest;
use silo_core::queries::{ParamKind, SavedQuery};
use silo_core::role::Role;
use silo_core::tenant_lookup::is_account_id;
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
    /// The fleet (name, account id): a `tenant` parameter takes a name or an account id, resolved
    /// like `:t` (Tab completes a unique part of a name).
    pub tenants: Vec<(String, String)>,
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
        FormState { query, values, focus: 0, tenant, error: None, now, tenants: Vec::new() }
    }

    /// The tenants a `tenant` parameter may name.
    pub fn with_tenants(mut self, tenants: Vec<(String, String)>) -> FormState {
        self.tenants = tenants;
        self
    }

    /// Index of the `tenant` parameter when it takes an account id.
    fn tenant_param(&self) -> Option<usize> {
        self.query.parameters.iter().position(|p| p.name == "tenant" && p.kind == ParamKind::AccountId)
    }

    /// The tenant (name, account id) the `tenant` field names, by the one rule of `:t` and
    /// `--tenant` (`tenant_lookup`).
    fn resolved(&self) -> Result<&(String, String), String> {
        let value = self.tenant_param().and_then(|i| self.values.get(i)).map(String::as_str).unwrap_or_default();
        silo_core::tenant_lookup::find(&self.tenants, value, |t| &t.0, |t| &t.1).map_err(|e| format!("tenant: {e}"))
    }

    /// What Tab completes the `tenant` field to: the name of the only tenant whose name contains
    /// the typed text (any case). A name two accounts carry matches twice, so it never completes:
    /// those are typed as account ids.
    fn completion(&self, value: &str) -> Option<String> {
        let lower = value.trim().to_lowercase();
        let mut matches = self.tenants.iter().filter(|t| !lower.is_empty() && t.0.to_lowercase().contains(&lower));
        match (matches.next(), matches.next()) {
            (Some((name, _)), None) => Some(name.clone()),
            _ => None,
        }
    }

    /// Tab on the `tenant` field completes a unique match; true when it did.
    fn complete_tenant(&mut self) -> bool {
        let Some(index) = self.tenant_param().filter(|i| *i == self.focus) else { return false };
        let Some(value) = self.values.get(index) else { return false };
        let Some(completed) = self.completion(value).filter(|c| c != value) else { return false };
        self.values[index] = completed;
        true
    }

    /// The selected tenant's name while the `tenant` parameter still holds its account id.
    fn tenant_name(&self) -> Option<String> {
        let index = self.query.parameters.iter().position(|p| p.name == "tenant")?;
        let (name, account) = self.tenant.as_ref()?;
        (self.values.get(index) == Some(account)).then(|| name.clone())
    }

    /// The request, or the first invalid value named. A tenant named by name runs with its
    /// account id.
    pub fn request(&self) -> Result<QueryRequest, String> {
        let mut given: BTreeMap<String, String> =
            self.query.parameters.iter().zip(&self.values).map(|(p, v)| (p.name.clone(), v.clone())).collect();
        let mut tenant = self.tenant_name();
        if self.tenant_param().and_then(|i| self.values.get(i)).is_some_and(|v| !is_account_id(v)) {
            let (name, account) = self.resolved()?;
            given.insert("tenant".into(), account.clone());
            tenant = Some(name.clone());
        }
        let parameters =
            silo_core::queries::values::bind(&self.query, &given, None, self.now).map_err(|e| e.to_string())?;
        Ok(QueryRequest { name: self.query.name.clone(), sql: self.query.sql.clone(), parameters, tenant })
    }
}

pub fn handle_key(state: &mut FormState, key: KeyEvent) -> ModalOutcome {
    state.error = None;
    let last = state.values.len().saturating_sub(1);
    match key.code {
        KeyCode::Esc => return ModalOutcome::Close,
        KeyCode::Up | KeyCode::BackTab => state.focus = state.focus.saturating_sub(1),
        KeyCode::Tab if state.complete_tenant() => {}
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
        if let Some(hint) = tenant_hint(state, i) {
            spans.push(Span::styled(hint, theme.style(Role::Muted)));
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

/// Beside the `tenant` field: the selected tenant's name, the tenant a typed name resolves to
/// with its account id, or what Tab completes a part of a name to.
fn tenant_hint(state: &FormState, field: usize) -> Option<String> {
    if state.tenant_param() != Some(field) {
        return None;
    }
    if let Some(name) = state.tenant_name() {
        return Some(format!("  ({name}, the selected tenant)"));
    }
    let value = &state.values[field];
    match state.resolved() {
        Ok((name, account)) if *value == *account => Some(format!("  ({name})")),
        Ok((name, account)) => Some(format!("  → {name} · {account}")),
        Err(_) if value.is_empty() || is_account_id(value) || state.tenants.is_empty() => None,
        Err(_) => match state.completion(value) {
            Some(completed) => Some(format!("  (Tab: {completed})")),
            None => Some("  (no single tenant matches)".into()),
        },
    }
}
