//! Asks before the first Cost Explorer read of a session: each request is billed ($0.01).

use super::outcome::ModalOutcome;
use crate::action::Action;
use crate::context::Ctx;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;
use silo_core::role::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostConfirm {
    /// Tenants without a budget, whose cost would be read.
    pub tenants: usize,
}

/// `y` accepts; anything else (Enter included) cancels.
pub fn handle_key(key: KeyEvent) -> ModalOutcome {
    match key.code {
        KeyCode::Char('y') | KeyCode::Char('Y') => ModalOutcome::Dispatch(Box::new(Action::EnableCostExplorer)),
        _ => ModalOutcome::Close,
    }
}

pub fn render(frame: &mut Frame, ctx: &Ctx, state: &CostConfirm) {
    let theme = ctx.theme;
    let requests = state.tenants.div_ceil(100).max(1);
    let text = vec![
        Line::from(Span::styled("Cost Explorer is billed per request: $0.01 each.", theme.style(Role::Warning))),
        Line::default(),
        Line::from(Span::styled(
            format!(
                "silo will call GetCostAndUsage (daily, grouped by linked account) for the {} tenant(s) without a budget: at least {requests} request(s), more if Cost Explorer pages the answer. The count and cost are shown afterwards.",
                state.tenants
            ),
            theme.style(Role::Text),
        )),
        Line::default(),
        Line::from(vec![
            Span::styled(" y ", theme.style(Role::Key)),
            Span::styled("read it for this session    ", theme.style(Role::Text)),
            Span::styled(" any other key ", theme.style(Role::Key)),
            Span::styled("cancel", theme.style(Role::Text)),
        ]),
    ];
    let [row] = Layout::vertical([Constraint::Length(11)]).flex(Flex::Center).areas(frame.area());
    let [area] = Layout::horizontal([Constraint::Length(70)]).flex(Flex::Center).areas(row);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Cost Explorer ", theme.style(Role::Title)))
        .border_style(theme.style(Role::Border));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(text).block(block).wrap(Wrap { trim: true }), area);
}
