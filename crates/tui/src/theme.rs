//! Semantic styles (ok, warning, selected...) loaded from `themes/*.toml`. Views ask for roles,
//! never for colors. The shipped themes are compiled in, so an installed binary has them all.

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

pub use silo_core::role::Role;

pub const BUILTIN: [(&str, &str); 3] = [
    ("dark", include_str!("../../../themes/dark.toml")),
    ("light", include_str!("../../../themes/light.toml")),
    ("high-contrast", include_str!("../../../themes/high-contrast.toml")),
];

#[derive(Debug, Clone)]
pub struct Theme {
    pub name: String,
    styles: BTreeMap<Role, Style>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    name: Option<String>,
    roles: BTreeMap<String, RawStyle>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStyle {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underline: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::parse(BUILTIN[0].1, "dark").unwrap_or_else(|_| Theme { name: "dark".into(), styles: BTreeMap::new() })
    }
}

impl Theme {
    pub fn style(&self, role: Role) -> Style {
        self.styles.get(&role).copied().unwrap_or_default()
    }

    /// A shipped theme by name, or a theme file by path.
    pub fn load(name_or_path: &str) -> Result<Theme, String> {
        if let Some((name, text)) = BUILTIN.iter().find(|(n, _)| *n == name_or_path) {
            return Theme::parse(text, name);
        }
        let path = Path::new(name_or_path);
        if !path.exists() {
            let names: Vec<_> = BUILTIN.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "unknown theme {name_or_path:?}: expected {} or a path to a theme file",
                names.join(", ")
            ));
        }
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read theme {}: {e}", path.display()))?;
        Theme::parse(&text, &path.display().to_string())
    }

    /// The theme without colors (`NO_COLOR`, https://no-color.org): the text keeps every meaning
    /// (states are words, not hues), and what color alone marked gets an attribute instead: the
    /// selected row and badges are reversed, problems and keys bold, stale data italic.
    pub fn without_colors(&self) -> Theme {
        let plain = |role: Role| {
            let kept = self.style(role);
            let attributes = Style::default().add_modifier(kept.add_modifier).remove_modifier(kept.sub_modifier);
            match role {
                Role::Selected | Role::Badge | Role::Gauge => attributes.add_modifier(Modifier::REVERSED),
                Role::Critical | Role::Error | Role::Key | Role::Title | Role::Header => {
                    attributes.add_modifier(Modifier::BOLD)
                }
                Role::Stale => attributes.add_modifier(Modifier::ITALIC),
                Role::Text | Role::Muted | Role::Border | Role::Ok | Role::Warning | Role::Unknown => attributes,
            }
        };
        Theme {
            name: format!("{} (no color)", self.name),
            styles: Role::ALL.into_iter().map(|r| (r, plain(r))).collect(),
        }
    }

    /// Parses a theme; roles it leaves out keep the dark theme's style.
    pub fn parse(text: &str, origin: &str) -> Result<Theme, String> {
        let raw: RawTheme = toml::from_str(text).map_err(|e| format!("theme {origin}: {e}"))?;
        let mut styles = BTreeMap::new();
        for (key, raw_style) in &raw.roles {
            let role = Role::ALL.into_iter().find(|r| r.name() == key).ok_or_else(|| {
                let names: Vec<_> = Role::ALL.iter().map(|r| r.name()).collect();
                format!("theme {origin}: unknown role `roles.{key}`; expected one of {}", names.join(", "))
            })?;
            styles.insert(role, style(raw_style).map_err(|e| format!("theme {origin}: `roles.{key}`: {e}"))?);
        }
        let name = raw.name.unwrap_or_else(|| origin.to_string());
        Ok(Theme { name, styles })
    }
}

fn style(raw: &RawStyle) -> Result<Style, String> {
    let mut style = Style::default();
    if let Some(fg) = &raw.fg {
        style = style.fg(color(fg)?);
    }
    if let Some(bg) = &raw.bg {
        style = style.bg(color(bg)?);
    }
    let flags = [(raw.bold, Modifier::BOLD), (raw.italic, Modifier::ITALIC), (raw.underline, Modifier::UNDERLINED)];
    for (on, modifier) in flags {
        if on {
            style = style.add_modifier(modifier);
        }
    }
    Ok(style)
}

fn color(text: &str) -> Result<Color, String> {
    Color::from_str(text).map_err(|_| format!("unknown color {text:?}: expected a name, #rrggbb or 0-255"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_theme_defines_every_role() {
        for (name, text) in BUILTIN {
            let theme = Theme::parse(text, name).unwrap();
            for role in Role::ALL {
                assert!(theme.styles.contains_key(&role), "{name} lacks {}", role.name());
            }
        }
    }

    #[test]
    fn unknown_role_and_bad_color_are_refused() {
        let e = Theme::parse("[roles]\nsucces = { fg = \"green\" }\n", "t.toml").unwrap_err();
        assert!(e.contains("unknown role `roles.succes`"), "{e}");
        let e = Theme::parse("[roles]\nok = { fg = \"greeen\" }\n", "t.toml").unwrap_err();
        assert!(e.contains("`roles.ok`: unknown color \"greeen\""), "{e}");
    }

    #[test]
    fn unknown_theme_name_lists_builtins() {
        let e = Theme::load("solarized").unwrap_err();
        assert!(e.contains("dark, light, high-contrast"), "{e}");
    }

    #[test]
    fn without_colors_no_role_has_a_color_and_the_selection_still_shows() {
        for (name, _) in BUILTIN {
            let plain = Theme::load(name).unwrap().without_colors();
            for role in Role::ALL {
                let style = plain.style(role);
                assert_eq!((style.fg, style.bg), (None, None), "{name}: {} keeps a color", role.name());
            }
            assert!(plain.style(Role::Selected).add_modifier.contains(Modifier::REVERSED), "{name}");
            assert!(plain.style(Role::Critical).add_modifier.contains(Modifier::BOLD), "{name}");
        }
    }
}
