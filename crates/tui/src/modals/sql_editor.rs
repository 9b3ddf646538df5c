//! A small multi-line SQL editor for ad-hoc queries (keywords, strings and comments in their own
//! colors). Ctrl-R runs the SQL, Esc closes without running. A run being edited keeps its
//! parameter values, so its `?` count must stay the same.

use super::outcome::ModalOutcome;
use crate::action::Action;
use crate::context::Ctx;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::{Line, Span};
use ratatui::Frame;
use silo_core::queries::run::QueryRequest;
use silo_core::role::Role;

#[derive(Debug, Clone, PartialEq)]
pub struct EditorState {
    pub lines: Vec<String>,
    /// Cursor line and character.
    pub row: usize,
    pub col: usize,
    /// Execution parameters kept from the run being edited.
    pub parameters: Vec<String>,
    pub error: Option<String>,
}

impl EditorState {
    pub fn new(sql: &str, parameters: Vec<String>) -> EditorState {
        let mut lines: Vec<String> = sql.lines().map(str::to_string).collect();
        if lines.is_empty() {
            lines.push(String::new());
        }
        let row = lines.len() - 1;
        let col = lines[row].chars().count();
        EditorState { lines, row, col, parameters, error: None }
    }

    pub fn sql(&self) -> String {
        self.lines.join("\n").trim().to_string()
    }

    fn byte_at(&self) -> usize {
        let line = &self.lines[self.row];
        line.char_indices().nth(self.col).map(|(i, _)| i).unwrap_or(line.len())
    }

    fn insert(&mut self, c: char) {
        let at = self.byte_at();
        self.lines[self.row].insert(at, c);
        self.col += 1;
    }

    fn newline(&mut self) {
        let at = self.byte_at();
        let rest = self.lines[self.row].split_off(at);
        self.lines.insert(self.row + 1, rest);
        self.row += 1;
        self.col = 0;
    }

    fn backspace(&mut self) {
        if self.col > 0 {
            self.col -= 1;
            let at = self.byte_at();
            self.lines[self.row].remove(at);
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.col = self.lines[self.row].chars().count();
            self.lines[self.row].push_str(&line);
        }
    }

    fn clamp_col(&mut self) {
        self.col = self.col.min(self.lines[self.row].chars().count());
    }

    /// The request for the SQL as it stands, or why it cannot run.
    pub fn request(&self) -> Result<QueryRequest, String> {
        let sql = self.sql();
        if sql.is_empty() {
            return Err("write some SQL first".into());
        }
        silo_core::queries::values::check_length(&sql).map_err(|e| e.to_string())?;
        let placeholders = silo_core::queries::placeholder_count(&sql);
        if placeholders != self.parameters.len() {
            return Err(format!(
                "the SQL has {placeholders} `?` placeholder(s) but {} parameter value(s); save it as a query with a parameter header to add parameters",
                self.parameters.len()
            ));
        }
        Ok(QueryRequest { name: "ad-hoc".into(), sql, parameters: self.parameters.clone(), tenant: None })
    }
}

pub fn handle_key(state: &mut EditorState, key: KeyEvent) -> ModalOutcome {
    state.error = None;
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Esc => return ModalOutcome::Close,
        KeyCode::Char('e') if ctrl => {
            return ModalOutcome::Dispatch(Box::new(Action::EditExternally(state.sql(), state.parameters.clone())))
        }
        KeyCode::Char('r') if ctrl => match state.request() {
            Ok(request) => return ModalOutcome::Dispatch(Box::new(Action::RunQuery(request))),
            Err(e) => state.error = Some(e),
        },
        KeyCode::Char(c) if !ctrl => state.insert(c),
        KeyCode::Tab => (0..2).for_each(|_| state.insert(' ')),
        KeyCode::Enter => state.newline(),
        KeyCode::Backspace => state.backspace(),
        KeyCode::Left => state.col = state.col.saturating_sub(1),
        KeyCode::Right => {
            state.col += 1;
            state.clamp_col();
        }
        KeyCode::Up => {
            state.row = state.row.saturating_sub(1);
            state.clamp_col();
        }
        KeyCode::Down => {
            state.row = (state.row + 1).min(state.lines.len() - 1);
            state.clamp_col();
        }
        KeyCode::Home => state.col = 0,
        KeyCode::End => state.col = state.lines[state.row].chars().count(),
        _ => {}
    }
    ModalOutcome::Stay
}

const KEYWORDS: [&str; 40] = [
    "select", "from", "where", "and", "or", "not", "group", "by", "order", "having", "limit", "as", "on", "join",
    "left", "right", "inner", "outer", "with", "in", "is", "null", "like", "between", "case", "when", "then", "else",
    "end", "desc", "asc", "distinct", "count", "sum", "max", "min", "union", "all", "cast", "over",
];

/// One line split into colored tokens: keywords, 'strings', -- comments, the rest.
pub fn highlight(ctx: &Ctx, line: &str) -> Vec<Span<'static>> {
    let t = ctx.theme;
    if let Some(at) = comment_start(line) {
        let mut spans = highlight(ctx, &line[..at]);
        spans.push(Span::styled(line[at..].to_string(), t.style(Role::Muted)));
        return spans;
    }
    let mut spans = Vec::new();
    let mut word = String::new();
    let mut in_string = false;
    let flush = |word: &mut String, spans: &mut Vec<Span<'static>>| {
        if !word.is_empty() {
            let role = if KEYWORDS.contains(&word.to_lowercase().as_str()) { Role::Key } else { Role::Text };
            spans.push(Span::styled(std::mem::take(word), t.style(role)));
        }
    };
    for c in line.chars() {
        match (in_string, c) {
            (true, '\'') => {
                word.push(c);
                spans.push(Span::styled(std::mem::take(&mut word), t.style(Role::Ok)));
                in_string = false;
            }
            (true, _) => word.push(c),
            (false, '\'') => {
                flush(&mut word, &mut spans);
                word.push(c);
                in_string = true;
            }
            (false, c) if c.is_alphanumeric() || c == '_' => word.push(c),
            (false, c) => {
                flush(&mut word, &mut spans);
                spans.push(Span::styled(c.to_string(), t.style(Role::Text)));
            }
        }
    }
    if in_string {
        spans.push(Span::styled(word, t.style(Role::Ok)));
    } else {
        flush(&mut word, &mut spans);
    }
    spans
}

/// Where a `--` comment starts, outside strings.
fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'\'' => in_string = !in_string,
            b'-' if !in_string && bytes.get(i + 1) == Some(&b'-') => return Some(i),
            _ => {}
        }
    }
    None
}

pub fn render(frame: &mut Frame, ctx: &Ctx, state: &EditorState) {
    let theme = ctx.theme;
    let height = frame.area().height.saturating_sub(8) as usize;
    let first = state.row.saturating_sub(height.saturating_sub(1));
    let mut lines: Vec<Line> = state
        .lines
        .iter()
        .enumerate()
        .skip(first)
        .take(height.max(1))
        .map(|(i, l)| {
            let mut spans = vec![Span::styled(format!("{:>3} ", i + 1), theme.style(Role::Muted))];
            if i == state.row {
                let at = l.char_indices().nth(state.col).map(|(b, _)| b).unwrap_or(l.len());
                spans.extend(highlight(ctx, &l[..at]));
                spans.push(Span::styled("█", theme.style(Role::Key)));
                spans.extend(highlight(ctx, &l[at..]));
            } else {
                spans.extend(highlight(ctx, l));
            }
            Line::from(spans)
        })
        .collect();
    lines.push(Line::default());
    let help = "Ctrl-R: run · Ctrl-E: edit in $EDITOR · Esc: close · queries run in the logs account ($5/TB scanned, 10 MB minimum)";
    lines.push(Line::from(Span::styled(help, theme.style(Role::Muted))));
    if let Some(e) = &state.error {
        lines.push(Line::from(Span::styled(e.clone(), theme.style(Role::Error))));
    }
    crate::widgets::popup::centered(frame, ctx, "SQL", lines, frame.area().width.saturating_sub(4), Role::Border);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_newlines_and_backspace_edit_the_text_at_the_cursor() {
        let mut s = EditorState::new("", Vec::new());
        "SELECT 1".chars().for_each(|c| drop(handle_key(&mut s, key(KeyCode::Char(c)))));
        handle_key(&mut s, key(KeyCode::Enter));
        "FROM t".chars().for_each(|c| drop(handle_key(&mut s, key(KeyCode::Char(c)))));
        assert_eq!(s.sql(), "SELECT 1\nFROM t");
        handle_key(&mut s, key(KeyCode::Home));
        handle_key(&mut s, key(KeyCode::Backspace));
        assert_eq!(s.sql(), "SELECT 1FROM t", "backspace at a line start joins the lines");
    }

    #[test]
    fn ctrl_r_runs_only_valid_sql() {
        let mut s = EditorState::new("SELECT * FROM t WHERE a = ?", Vec::new());
        let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert!(matches!(handle_key(&mut s, ctrl_r), ModalOutcome::Stay));
        assert!(s.error.as_deref().is_some_and(|e| e.contains("1 `?` placeholder(s) but 0 parameter value(s)")));
        let mut kept = EditorState::new("SELECT * FROM t WHERE a = ?", vec!["'x'".into()]);
        let ModalOutcome::Dispatch(action) = handle_key(&mut kept, ctrl_r) else { panic!("runs") };
        assert!(matches!(*action, Action::RunQuery(ref r) if r.parameters == vec!["'x'".to_string()]));
    }

    #[test]
    fn comments_start_outside_strings_only() {
        assert_eq!(comment_start("SELECT '--x' -- note"), Some(13));
        assert_eq!(comment_start("SELECT 1"), None);
    }
}
