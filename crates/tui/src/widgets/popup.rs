//! A bordered box centred over the screen, for the small dialogs (freeze reason, revision picker).

use crate::context::Ctx;
use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;
use silo_core::role::Role;

pub fn centered(frame: &mut Frame, ctx: &Ctx, title: &str, lines: Vec<Line<'static>>, width: u16, border: Role) {
    let area = frame.area();
    let width = width.min(area.width);
    let height = (wrapped_height(&lines, width.saturating_sub(2)) + 2).min(area.height);
    let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(row);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), ctx.theme.style(Role::Title)))
        .border_style(ctx.theme.style(border));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), popup);
}

/// Rows the lines take when wrapped at `width` columns (an estimate by characters).
pub fn wrapped_height(lines: &[Line], width: u16) -> u16 {
    let width = usize::from(width.max(1));
    lines.iter().map(|l| l.width().max(1).div_ceil(width) as u16).sum()
}

/// Applies an editing key (a printable character, Backspace) to a one-line input; false for
/// every other key, which the dialog handles itself.
pub fn edit_text(input: &mut String, key: &crossterm::event::KeyEvent) -> bool {
    use crossterm::event::KeyCode;
    match key.code {
        KeyCode::Backspace => {
            input.pop();
            true
        }
        KeyCode::Char(c) if !c.is_control() => {
            input.push(c);
            true
        }
        _ => false,
    }
}

/// "> text█": a one-line text input.
pub fn input_line(ctx: &Ctx, text: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled("> ", ctx.theme.style(Role::Key)),
        Span::styled(text.to_string(), ctx.theme.style(Role::Text)),
        Span::styled("█", ctx.theme.style(Role::Key)),
    ])
}
