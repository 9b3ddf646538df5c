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
}
