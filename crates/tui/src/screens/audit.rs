//! `:audit`: the audit journal, newest first: who did what to which tenant, and how it ended.

use crate::action::Action;
use crate::context::Ctx;
use crate::keymap::Command;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState};
use ratatui::Frame;
use silo_core::format::fit;
use silo_core::journal::JournalEntry;
use silo_core::role::Role;

pub const HINTS: [(Command, &str); 4] =
    [(Command::Down, "move"), (Command::Refresh, "reload"), (Command::Back, "back"), (Command::Quit, "quit")];

/// The journal as last read (it is read when the view opens and on `r`, not on every frame).
#[derive(Debug, Clone, PartialEq)]
pub struct AuditState {
    pub entries: Result<Vec<JournalEntry>, String>,
    pub selected: usize,
}

impl Default for AuditState {
    fn default() -> Self {
        AuditState { entries: Ok(Vec::new()), selected: 0 }
    }
}

pub fn handle(state: &mut AuditState, command: Command) -> Option<Action> {
    let len = state.entries.as_ref().map(Vec::len).unwrap_or(0);
    let selected = &mut state.selected;
    match command {
        Command::Back => return Some(Action::Back),
        Command::Down => *selected = (*selected + 1).min(len.saturating_sub(1)),
        Command::Up => *selected = selected.saturating_sub(1),
        Command::Top => *selected = 0,
        Command::Bottom => *selected = len.saturating_sub(1),
        _ => {}
    }
    None
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &AuditState) {
    let theme = ctx.theme;
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(format!(" Audit journal · {} ", ctx.journal_path.display()), theme.style(Role::Title)))
        .border_style(theme.style(Role::Border));
    let entries = match &state.entries {
        Ok(e) => e,
        Err(e) => {
            frame.render_widget(
                Paragraph::new(Span::styled(format!(" {e}"), theme.style(Role::Error))).block(block),
                area,
            );
            return;
        }
    };
    if entries.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(" no action has been taken yet", theme.style(Role::Muted))).block(block),
            area,
        );
        return;
    }
    // Time, mode, tenants, API and count fixed; the result takes the rest.
    let result = (area.width as usize).saturating_sub(19 + 10 + 18 + 34 + 7 + 6).max(12);
    let widths = [19, 10, 18, 34, 7, result];
    let header = Row::new(["TIME", "MODE", "TENANTS", "API", "TARGETS", "RESULT"]).style(theme.style(Role::Header));
    let range = crate::widgets::list::window(entries.len(), state.selected, area.height.saturating_sub(2) as usize);
    crate::widgets::list::note_rows(ctx, area, 1, &range, state.selected);
    let rows = entries[range.clone()].iter().map(|e| {
        let tenants: Vec<String> =
            e.tenants.iter().map(|t| t.clone().unwrap_or_else(|| "(non-tenant)".into())).collect();
        let role = if e.result.starts_with("ok") {
            Role::Ok
        } else if e.result.starts_with("error") || e.mode == silo_core::journal::Mode::Refused {
            Role::Error
        } else {
            Role::Text
        };
        let cells = [
            e.time.get(..19).unwrap_or(&e.time).replace('T', " "),
            format!("{:?}", e.mode).to_lowercase(),
            tenants.join(","),
            e.api.clone(),
            e.ids.len().to_string(),
            e.result_and_overrides(),
        ];
        Row::new(cells.into_iter().zip(widths).map(|(c, w)| fit(&c, w))).style(theme.style(role))
    });
    let mut state = TableState::default().with_selected(Some(state.selected - range.start));
    let table = Table::new(rows, widths.map(|w| Constraint::Length(w as u16)))
        .header(header)
        .block(block)
        .row_highlight_style(theme.style(Role::Selected));
    frame.render_stateful_widget(table, area, &mut state);
}
