//! Semantic roles (ok, warning, selected…): what a piece of text means, never its color. Read
//! models give each cell a role; the TUI's theme maps roles to styles.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Text,
    Muted,
    Title,
    Header,
    Border,
    Selected,
    Key,
    Ok,
    Warning,
    Critical,
    Unknown,
    Error,
    Gauge,
    Badge,
    Stale,
}

impl Role {
    pub const ALL: [Role; 15] = [
        Role::Text,
        Role::Muted,
        Role::Title,
        Role::Header,
        Role::Border,
        Role::Selected,
        Role::Key,
        Role::Ok,
        Role::Warning,
        Role::Critical,
        Role::Unknown,
        Role::Error,
        Role::Gauge,
        Role::Badge,
        Role::Stale,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::Text => "text",
            Role::Muted => "muted",
            Role::Title => "title",
            Role::Header => "header",
            Role::Border => "border",
            Role::Selected => "selected",
            Role::Key => "key",
            Role::Ok => "ok",
            Role::Warning => "warning",
            Role::Critical => "critical",
            Role::Unknown => "unknown",
            Role::Error => "error",
            Role::Gauge => "gauge",
            Role::Badge => "badge",
            Role::Stale => "stale",
        }
    }
}
