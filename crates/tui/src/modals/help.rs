//! The help popup, generated from the keymap so it always shows the keys as bound.

use super::outcome::ModalOutcome;
use crate::context::Ctx;
use crate::keymap::{Command, Keymap};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;
use silo_core::role::Role;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct HelpState {
    pub scroll: u16,
}

pub fn handle_key(state: &mut HelpState, key: KeyEvent, keymap: &Keymap) -> ModalOutcome {
    match keymap.command(&key) {
        Some(Command::Down) => state.scroll = state.scroll.saturating_add(1),
        Some(Command::Up) => state.scroll = state.scroll.saturating_sub(1),
        Some(Command::Back | Command::Help | Command::Quit) => return ModalOutcome::Close,
        _ if key.code == KeyCode::Esc => return ModalOutcome::Close,
        _ => {}
    }
    ModalOutcome::Stay
}

/// Key, command name (what `[keys]` rebinds), then the description cut to `width` columns.
pub fn lines(ctx: &Ctx, width: u16) -> Vec<Line<'static>> {
    let theme = ctx.theme;
    let description_width = (width as usize).saturating_sub(2 + 17 + 15);
    ctx.keymap
        .help_rows()
        .into_iter()
        .map(|(keys, name, description)| {
            Line::from(vec![
                Span::styled(format!(" {keys:<16}"), theme.style(Role::Key)),
                Span::styled(format!("{name:<15}"), theme.style(Role::Muted)),
                Span::styled(silo_core::format::fit(description, description_width), theme.style(Role::Text)),
            ])
        })
        .collect()
}

pub fn render(frame: &mut Frame, ctx: &Ctx, state: &HelpState) {
    let width = 100.min(frame.area().width);
    let content = lines(ctx, width);
    let area = centered(frame.area(), width, content.len() as u16 + 2);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(
            " Keys (rebind in [keys] by the names in the middle; ↓/↑ scroll) ",
            ctx.theme.style(Role::Title),
        ))
        .border_style(ctx.theme.style(Role::Border));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(content).block(block).scroll((state.scroll, 0)), area);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))]).flex(Flex::Center).areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))]).flex(Flex::Center).areas(row);
    cell
}
