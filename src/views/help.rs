//! The help popup, generated from the keymap so it always shows the keys as bound.

use super::ModalOutcome;
use crate::app::App;
use crate::keymap::{Command, Keymap};
use crate::theme::Role;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

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

pub fn lines(app: &App) -> Vec<Line<'static>> {
    let theme = &app.theme;
    app.keymap
        .help_rows()
        .into_iter()
        .map(|(keys, name, description)| {
            Line::from(vec![
                Span::styled(format!(" {keys:<16}"), theme.style(Role::Key)),
                Span::styled(format!("{description:<28}"), theme.style(Role::Text)),
                Span::styled(name.to_string(), theme.style(Role::Muted)),
            ])
        })
        .collect()
}

pub fn render(frame: &mut Frame, app: &App, state: &HelpState) {
    let content = lines(app);
    let area = centered(frame.area(), 64, content.len() as u16 + 2);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Keys (rebind in [keys] by the names on the right) ", app.theme.style(Role::Title)))
        .border_style(app.theme.style(Role::Border));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(content).block(block).scroll((state.scroll, 0)), area);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))]).flex(Flex::Center).areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))]).flex(Flex::Center).areas(row);
    cell
}
