//! Keys → semantic commands. Built-in defaults, rebindable by command name from `[keys]` in the
//! config; the help screen and docs/user-guide.md are generated from this table.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Command {
    Quit,
    Help,
    Refresh,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Filter,
    SortNext,
    SortReverse,
    CommandLine,
    CostExplorer,
    Mark,
    MarkAll,
    SetStatus,
    Archive,
    ToggleStates,
    NextRange,
    Inspect,
    Deployments,
    Pause,
    Resume,
    Rollback,
    ScheduleUpdate,
    CancelSchedule,
    Left,
    Right,
    EditSql,
    Rerun,
    Copy,
    CopyCell,
    OpenConsole,
    ExportCsv,
    ExportJson,
    Timeline,
    CloudTrail,
    Detective,
    Charts,
    ZoomIn,
    ZoomOut,
    Across,
    PanBack,
    PanForward,
}

impl Command {
    pub const ALL: [Command; 47] = [
        Command::Up,
        Command::Down,
        Command::PageUp,
        Command::PageDown,
        Command::Top,
        Command::Bottom,
        Command::Open,
        Command::Back,
        Command::Filter,
        Command::SortNext,
        Command::SortReverse,
        Command::CommandLine,
        Command::CostExplorer,
        Command::Mark,
        Command::MarkAll,
        Command::SetStatus,
        Command::Archive,
        Command::ToggleStates,
        Command::NextRange,
        Command::Inspect,
        Command::Deployments,
        Command::Timeline,
        Command::CloudTrail,
        Command::Detective,
        Command::Charts,
        Command::ZoomIn,
        Command::ZoomOut,
        Command::Across,
        Command::PanBack,
        Command::PanForward,
        Command::Pause,
        Command::Resume,
        Command::Rollback,
        Command::ScheduleUpdate,
        Command::CancelSchedule,
        Command::Left,
        Command::Right,
        Command::EditSql,
        Command::Rerun,
        Command::Copy,
        Command::CopyCell,
        Command::OpenConsole,
        Command::ExportCsv,
        Command::ExportJson,
        Command::Refresh,
        Command::Help,
        Command::Quit,
    ];

    /// The name used in `[keys]` of the config.
    pub fn name(self) -> &'static str {
        match self {
            Command::Quit => "quit",
            Command::Help => "help",
            Command::Refresh => "refresh",
            Command::Up => "up",
            Command::Down => "down",
            Command::PageUp => "page_up",
            Command::PageDown => "page_down",
            Command::Top => "top",
            Command::Bottom => "bottom",
            Command::Open => "open",
            Command::Back => "back",
            Command::Filter => "filter",
            Command::SortNext => "sort_next",
            Command::SortReverse => "sort_reverse",
            Command::CommandLine => "command",
            Command::CostExplorer => "cost_explorer",
            Command::Mark => "mark",
            Command::MarkAll => "mark_all",
            Command::SetStatus => "set_status",
            Command::Archive => "archive",
            Command::ToggleStates => "toggle_states",
            Command::NextRange => "next_range",
            Command::Inspect => "inspect",
            Command::Deployments => "deployments",
            Command::Pause => "pause",
            Command::Resume => "resume",
            Command::Rollback => "rollback",
            Command::ScheduleUpdate => "schedule_update",
            Command::CancelSchedule => "cancel_schedule",
            Command::Left => "left",
            Command::Right => "right",
            Command::EditSql => "edit_sql",
            Command::Rerun => "rerun",
            Command::Copy => "copy",
            Command::CopyCell => "copy_cell",
            Command::OpenConsole => "open_console",
            Command::ExportCsv => "export_csv",
            Command::ExportJson => "export_json",
            Command::Timeline => "timeline",
            Command::CloudTrail => "cloudtrail",
            Command::Detective => "detective",
            Command::Charts => "charts",
            Command::ZoomIn => "zoom_in",
            Command::ZoomOut => "zoom_out",
            Command::Across => "across",
            Command::PanBack => "pan_back",
            Command::PanForward => "pan_forward",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Command::Quit => "quit silo",
            Command::Help => "show this help",
            Command::Refresh => "refresh now",
            Command::Up => "move up",
            Command::Down => "move down",
            Command::PageUp => "page up",
            Command::PageDown => "page down",
            Command::Top => "first row",
            Command::Bottom => "last row",
            Command::Open => "open the selected tenant",
            Command::Back => "back, close, clear filter",
            Command::Filter => "filter rows (any column)",
            Command::SortNext => "sort by the next column",
            Command::SortReverse => "reverse the sort order",
            Command::CommandLine => "go to a view (:fleet :alarms :deployments :findings :spend :audit) or :t <tenant>",
            Command::CostExplorer => "spend: Cost Explorer for tenants without budget",
            Command::Mark => "findings, deployments: mark / unmark the row",
            Command::MarkAll => "findings, deployments: mark / unmark all shown",
            Command::SetStatus => "findings: set Security Hub workflow status",
            Command::Archive => "findings: archive GuardDuty findings",
            Command::ToggleStates => "alarms: in ALARM only / every state",
            Command::NextRange => "tenant, charts: range 1h/3h/6h/12h/24h/7d/30d",
            Command::Inspect => "alarms: configuration and history of the alarm",
            Command::Deployments => "deployments of the selected tenant",
            Command::Pause => "deployments: pause (stay at the PAUSE hook, freeze the pipeline stage)",
            Command::Resume => "deployments: resume (continue at the hook, lift the freeze)",
            Command::Rollback => "deployments: roll back (marked tenants: fleet-wide, in order)",
            Command::ScheduleUpdate => "rollouts: schedule an update (newest revision, next window by default)",
            Command::CancelSchedule => "rollouts: cancel the selected tenant's soonest scheduled update",
            Command::Left => "results: previous column",
            Command::Right => "results: next column",
            Command::EditSql => "queries: write SQL (Ctrl-R runs it); a run: edit its SQL",
            Command::Rerun => "queries: run the selected run again",
            Command::Copy => "copy the selected id (results: the row) to the clipboard (OSC 52)",
            Command::CopyCell => "results: copy the selected cell to the clipboard",
            Command::OpenConsole => "show the AWS console URL of the selection (and open it with `opener`)",
            Command::ExportCsv => "results: export to a CSV file",
            Command::ExportJson => "results: export to a JSON file",
            Command::Timeline => "timeline of the tenant: what changed (on an alarm: suspects)",
            Command::CloudTrail => "timeline: CloudTrail write calls of its range (Athena, billed)",
            Command::Detective => "finding: its investigation in Amazon Detective ([audit] detective)",
            Command::Charts => "charts of the selected tenant's metrics: thresholds, ALARM periods, deployments",
            Command::ZoomIn => "charts: a shorter range (30d → 1h)",
            Command::ZoomOut => "charts: a longer range (1h → 30d)",
            Command::Across => "fleet, rollouts: one metric across the shown tenants, on one scale",
            Command::PanBack => "charts: half a range earlier",
            Command::PanForward => "charts: half a range later (back to now)",
        }
    }

    fn defaults(self) -> &'static [&'static str] {
        match self {
            Command::Quit => &["q", "ctrl-c"],
            Command::Help => &["?"],
            Command::Refresh => &["r", "f5"],
            Command::Up => &["up", "k"],
            Command::Down => &["down", "j"],
            Command::PageUp => &["pageup", "ctrl-b"],
            Command::PageDown => &["pagedown", "ctrl-f"],
            Command::Top => &["home", "g"],
            Command::Bottom => &["end", "G"],
            Command::Open => &["enter"],
            Command::Back => &["esc", "backspace"],
            Command::Filter => &["/"],
            Command::SortNext => &["s"],
            Command::SortReverse => &["S"],
            Command::CommandLine => &[":"],
            Command::CostExplorer => &["c"],
            Command::Mark => &["space"],
            Command::MarkAll => &["A"],
            Command::SetStatus => &["w"],
            Command::Archive => &["x"],
            Command::ToggleStates => &["t"],
            Command::NextRange => &["R"],
            Command::Inspect => &["i"],
            Command::Deployments => &["d"],
            Command::Pause => &["p"],
            Command::Resume => &["u"],
            Command::Rollback => &["b"],
            Command::ScheduleUpdate => &["U"],
            Command::CancelSchedule => &["X"],
            Command::Left => &["left", "h"],
            Command::Right => &["right", "l"],
            Command::EditSql => &["e"],
            Command::Rerun => &["n"],
            Command::Copy => &["y"],
            Command::CopyCell => &["Y"],
            Command::OpenConsole => &["o"],
            Command::ExportCsv => &["E"],
            Command::ExportJson => &["J"],
            Command::Timeline => &["T"],
            Command::CloudTrail => &["C"],
            Command::Detective => &["D"],
            Command::Charts => &["m"],
            Command::ZoomIn => &["+", "="],
            Command::ZoomOut => &["-"],
            Command::Across => &["M"],
            Command::PanBack => &["["],
            Command::PanForward => &["]"],
        }
    }

    fn by_name(name: &str) -> Option<Command> {
        Command::ALL.into_iter().find(|c| c.name() == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl KeySpec {
    /// Parses "q", "G", "ctrl-c", "enter", "f5", "pageup"...
    pub fn parse(text: &str) -> Result<KeySpec, String> {
        let (modifiers, key) = match text.strip_prefix("ctrl-") {
            Some(rest) if !rest.is_empty() => (KeyModifiers::CONTROL, rest),
            _ => (KeyModifiers::NONE, text),
        };
        let code = match key {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "backspace" => KeyCode::Backspace,
            "tab" => KeyCode::Tab,
            "space" => KeyCode::Char(' '),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            f if f.starts_with('f') && f.len() > 1 => KeyCode::F(f[1..].parse().map_err(|_| bad_key(text))?),
            c if c.chars().count() == 1 => KeyCode::Char(c.chars().next().unwrap_or(' ')),
            _ => return Err(bad_key(text)),
        };
        Ok(KeySpec { code, modifiers })
    }

    fn matches(&self, event: &KeyEvent) -> bool {
        // Shift is implied by an upper-case character, so it is ignored for characters.
        let mods = match event.code {
            KeyCode::Char(_) => event.modifiers - KeyModifiers::SHIFT,
            _ => event.modifiers,
        };
        self.code == event.code && self.modifiers == mods
    }

    pub fn label(&self) -> String {
        let key = match self.code {
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Backspace => "Backspace".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(c) => c.to_string(),
            other => format!("{other:?}"),
        };
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{key}")
        } else {
            key
        }
    }
}

fn bad_key(text: &str) -> String {
    format!("unknown key {text:?}: expected a character, enter, esc, backspace, tab, space, up, down, left, right, pageup, pagedown, home, end, f1-f12, or ctrl-<key>")
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<(Command, Vec<KeySpec>)>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = Command::ALL
            .into_iter()
            .map(|c| (c, c.defaults().iter().filter_map(|k| KeySpec::parse(k).ok()).collect()))
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// The defaults with `[keys]` overrides applied; an override replaces that command's keys.
    pub fn with_overrides(overrides: &BTreeMap<String, Vec<String>>) -> Result<Keymap, String> {
        let mut map = Keymap::default();
        for (name, keys) in overrides {
            let command = Command::by_name(name).ok_or_else(|| {
                let names: Vec<_> = Command::ALL.iter().map(|c| c.name()).collect();
                format!("`keys.{name}`: unknown action; expected one of {}", names.join(", "))
            })?;
            let specs = keys
                .iter()
                .map(|k| KeySpec::parse(k))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("`keys.{name}`: {e}"))?;
            if let Some(entry) = map.bindings.iter_mut().find(|(c, _)| *c == command) {
                entry.1 = specs;
            }
        }
        Ok(map)
    }

    pub fn command(&self, event: &KeyEvent) -> Option<Command> {
        self.bindings.iter().find(|(_, keys)| keys.iter().any(|k| k.matches(event))).map(|(c, _)| *c)
    }

    /// "j/↓"-style label of a command's keys, for hints and help.
    pub fn keys_label(&self, command: Command) -> String {
        let keys = self.bindings.iter().find(|(c, _)| *c == command).map(|(_, k)| k.as_slice()).unwrap_or(&[]);
        keys.iter().map(KeySpec::label).collect::<Vec<_>>().join("/")
    }

    /// The first key bound to a command, for the footer hints.
    pub fn first_key_label(&self, command: Command) -> String {
        let keys = self.bindings.iter().find(|(c, _)| *c == command).map(|(_, k)| k.as_slice()).unwrap_or(&[]);
        keys.first().map(KeySpec::label).unwrap_or_default()
    }

    /// (keys, command name, description) for every command, in help order.
    pub fn help_rows(&self) -> Vec<(String, &'static str, &'static str)> {
        Command::ALL.into_iter().map(|c| (self.keys_label(c), c.name(), c.description())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn defaults_resolve_common_keys() {
        let map = Keymap::default();
        assert_eq!(map.command(&key(KeyCode::Char('q'), KeyModifiers::NONE)), Some(Command::Quit));
        assert_eq!(map.command(&key(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Command::Quit));
        assert_eq!(map.command(&key(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(Command::Bottom));
        assert_eq!(map.command(&key(KeyCode::Char('z'), KeyModifiers::NONE)), None);
    }

    #[test]
    fn override_replaces_keys_of_that_command_only() {
        let overrides = BTreeMap::from([("refresh".to_string(), vec!["ctrl-r".to_string()])]);
        let map = Keymap::with_overrides(&overrides).unwrap();
        assert_eq!(map.command(&key(KeyCode::Char('r'), KeyModifiers::NONE)), None);
        assert_eq!(map.command(&key(KeyCode::Char('r'), KeyModifiers::CONTROL)), Some(Command::Refresh));
        assert_eq!(map.command(&key(KeyCode::Char('q'), KeyModifiers::NONE)), Some(Command::Quit));
    }

    #[test]
    fn bad_overrides_name_the_key() {
        let unknown = BTreeMap::from([("refrsh".to_string(), vec!["r".to_string()])]);
        assert!(Keymap::with_overrides(&unknown).unwrap_err().contains("`keys.refrsh`: unknown action"));
        let bad = BTreeMap::from([("refresh".to_string(), vec!["hyper-x".to_string()])]);
        assert!(Keymap::with_overrides(&bad).unwrap_err().contains("unknown key \"hyper-x\""));
    }

    #[test]
    fn labels_read_like_the_keyboard() {
        assert_eq!(Keymap::default().keys_label(Command::Quit), "q/Ctrl-c");
        assert_eq!(Keymap::default().keys_label(Command::Down), "↓/j");
    }
}
