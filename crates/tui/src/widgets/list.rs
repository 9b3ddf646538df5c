//! What every table screen shares: selection by row key (so it survives re-sorting and
//! refreshes), sort column and direction, the filter text, and the keys that move through rows.

use crate::context::{ClickArea, Ctx};
use crate::keymap::Command;

pub trait SortColumn: Copy + PartialEq {
    fn next(self) -> Self;
    /// Problems first: numbers and states sort descending, names ascending.
    fn descending_by_default(self) -> bool;
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListState<C> {
    /// Key (account id, finding id...) of the selected row.
    pub selected: Option<String>,
    pub sort: C,
    pub descending: bool,
    pub filter: String,
    /// Rows per page, for PageUp/PageDown.
    pub page: usize,
}

/// What a key did to a list, beyond moving or sorting it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListOutcome {
    None,
    Open(String),
    EditFilter,
}

impl<C: SortColumn> ListState<C> {
    pub fn new(sort: C) -> Self {
        ListState { selected: None, sort, descending: sort.descending_by_default(), filter: String::new(), page: 10 }
    }

    pub fn selected_index(&self, keys: &[&str]) -> usize {
        keys.iter().position(|k| Some(*k) == self.selected.as_deref()).unwrap_or(0)
    }

    /// Applies `command` to the list whose visible rows have `keys`, in display order.
    pub fn handle(&mut self, command: Command, keys: &[&str]) -> ListOutcome {
        let current = self.selected_index(keys);
        let last = keys.len().saturating_sub(1);
        let target = match command {
            Command::Up => current.saturating_sub(1),
            Command::Down => (current + 1).min(last),
            Command::PageUp => current.saturating_sub(self.page),
            Command::PageDown => (current + self.page).min(last),
            Command::Top => 0,
            Command::Bottom => last,
            Command::Open => {
                return keys.get(current).map(|k| ListOutcome::Open(k.to_string())).unwrap_or(ListOutcome::None)
            }
            Command::Filter => return ListOutcome::EditFilter,
            Command::Back => {
                self.filter.clear();
                return ListOutcome::None;
            }
            Command::SortNext => {
                self.sort = self.sort.next();
                self.descending = self.sort.descending_by_default();
                return ListOutcome::None;
            }
            Command::SortReverse => {
                self.descending = !self.descending;
                return ListOutcome::None;
            }
            _ => return ListOutcome::None,
        };
        self.selected = keys.get(target).map(|k| k.to_string());
        ListOutcome::None
    }
}

impl<C: SortColumn> ListState<C> {
    /// Marks or unmarks the selected row and moves to the next one.
    pub fn toggle_mark(&mut self, marked: &mut std::collections::BTreeSet<String>, keys: &[&str]) {
        let current = self.selected_index(keys);
        let Some(key) = keys.get(current) else { return };
        if !marked.remove(*key) {
            marked.insert(key.to_string());
        }
        self.selected = keys.get(current + 1).or(keys.get(current)).map(|k| k.to_string());
    }
}

/// Marks every shown row, or unmarks all when every shown row is already marked.
pub fn toggle_mark_all(marked: &mut std::collections::BTreeSet<String>, keys: &[&str]) {
    if keys.iter().all(|k| marked.contains(*k)) {
        marked.clear();
    } else {
        marked.extend(keys.iter().map(|k| k.to_string()));
    }
}

/// The block every screen sits in: a top rule with the screen's title.
pub fn top_block<'a>(ctx: &Ctx, title: impl Into<ratatui::text::Line<'a>>) -> ratatui::widgets::Block<'a> {
    use ratatui::widgets::{Block, Borders};
    Block::default().borders(Borders::TOP).title(title).border_style(ctx.theme.style(silo_core::role::Role::Border))
}

/// Records where a table under a one-line title and `header` rows drew `range`.
pub fn note_rows(ctx: &Ctx, area: ratatui::layout::Rect, header: u16, range: &std::ops::Range<usize>, selected: usize) {
    let first_y = area.y + 1 + header;
    ctx.clickable.set(Some(ClickArea { first_y, start: range.start, shown: range.len(), selected }));
}

/// The key presses that move the selection to the clicked row, or Enter when it is selected.
pub fn click(area: ClickArea, y: u16) -> Vec<crossterm::event::KeyCode> {
    use crossterm::event::KeyCode;
    if y < area.first_y || usize::from(y - area.first_y) >= area.shown {
        return Vec::new();
    }
    let target = area.start + usize::from(y - area.first_y);
    match target.cmp(&area.selected) {
        std::cmp::Ordering::Equal => vec![KeyCode::Enter],
        std::cmp::Ordering::Greater => vec![KeyCode::Down; target - area.selected],
        std::cmp::Ordering::Less => vec![KeyCode::Up; area.selected - target],
    }
}

/// Moves a detail screen's scroll offset; false when `command` is not a scroll key.
pub fn scroll(offset: &mut u16, command: Command, page: u16) -> bool {
    *offset = match command {
        Command::Down => offset.saturating_add(1),
        Command::Up => offset.saturating_sub(1),
        Command::PageDown => offset.saturating_add(page),
        Command::PageUp => offset.saturating_sub(page),
        Command::Top => 0,
        _ => return false,
    };
    true
}

/// The rows to turn into table rows: a screenful ending at the selection (or from the top), so
/// the cost of a frame does not grow with the list.
pub fn window(len: usize, selected: usize, height: usize) -> std::ops::Range<usize> {
    let height = height.max(1);
    let start = selected.saturating_sub(height - 1).min(len);
    start..(start + height).min(len)
}

#[cfg(test)]
mod tests {
    #[test]
    fn window_keeps_the_selection_on_screen() {
        assert_eq!(super::window(100, 0, 10), 0..10);
        assert_eq!(super::window(100, 42, 10), 33..43);
        assert_eq!(super::window(5, 4, 10), 0..5);
        assert_eq!(super::window(0, 0, 10), 0..0);
    }

    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Col {
        A,
        B,
    }

    impl SortColumn for Col {
        fn next(self) -> Self {
            if self == Col::A {
                Col::B
            } else {
                Col::A
            }
        }
        fn descending_by_default(self) -> bool {
            self == Col::B
        }
    }

    #[test]
    fn moves_clamp_at_the_ends_and_open_names_the_row() {
        let mut list = ListState::new(Col::A);
        let keys = ["x", "y", "z"];
        assert_eq!(list.handle(Command::Up, &keys), ListOutcome::None);
        assert_eq!(list.selected.as_deref(), Some("x"));
        list.handle(Command::Bottom, &keys);
        list.handle(Command::Down, &keys);
        assert_eq!(list.selected.as_deref(), Some("z"));
        assert_eq!(list.handle(Command::Open, &keys), ListOutcome::Open("z".into()));
    }

    #[test]
    fn sort_next_takes_the_column_default_direction() {
        let mut list = ListState::new(Col::A);
        assert!(!list.descending);
        list.handle(Command::SortNext, &[]);
        assert_eq!((list.sort, list.descending), (Col::B, true));
        list.handle(Command::SortReverse, &[]);
        assert!(!list.descending);
    }

    #[test]
    fn empty_list_opens_nothing() {
        let mut list = ListState::new(Col::A);
        assert_eq!(list.handle(Command::Open, &[]), ListOutcome::None);
    }
}
