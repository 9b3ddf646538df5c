//! Strings from AWS are untrusted: tags, alarm reasons and finding titles are partly written by
//! whoever can touch the tenant account. Everything shown on the terminal or written to CSV passes
//! through here first.

/// Removes terminal escape sequences (CSI, OSC, DCS and friends) and every other control
/// character. Tabs and newlines become single spaces so a value always stays on one line.
pub fn clean(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi_body(&mut chars),
            '\u{90}' | '\u{9d}' | '\u{9e}' | '\u{9f}' | '\u{98}' => skip_string_body(&mut chars),
            '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' => push_space(&mut out),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Cleans and shortens to at most `max` characters, marking the cut with an ellipsis.
pub fn clean_truncated(input: &str, max: usize) -> String {
    let cleaned = clean(input);
    if cleaned.chars().count() <= max {
        return cleaned;
    }
    let mut cut: String = cleaned.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Controls, and the invisible characters that reorder or hide text on a terminal: zero-width
/// spaces and joiners, bidi embeddings, overrides and isolates, the byte order mark and the tag
/// characters (which can smuggle text that is not shown).
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206f}'
                | '\u{feff}'
                // The Arabic letter mark (a bidi control), the soft hyphen and the Mongolian vowel
                // separator (invisible), the interlinear annotation characters (hide text).
                | '\u{061c}'
                | '\u{00ad}'
                | '\u{180e}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{e0000}'..='\u{e007f}'
        )
}

fn push_space(out: &mut String) {
    if !out.ends_with(' ') {
        out.push(' ');
    }
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_escape(chars: &mut Chars<'_>) {
    match chars.next() {
        Some('[') => skip_csi_body(chars),
        Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => skip_string_body(chars),
        // Two-character escapes (ESC c, ESC 7, ESC ( B ...): drop the intermediate bytes too.
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            chars.next();
        }
        _ => {}
    }
}

/// CSI: parameter and intermediate bytes, ended by one final byte in 0x40..=0x7e.
fn skip_csi_body(chars: &mut Chars<'_>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// OSC/DCS/PM/APC/SOS: everything up to BEL or the string terminator (ESC \ or 0x9c).
fn skip_string_body(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' if chars.peek() == Some(&'\\') => {
                chars.next();
                break;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_csi_sequences_and_keeps_text() {
        assert_eq!(clean("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        // Invisible and bidi characters the last round left through.
        assert_eq!(clean("a\u{061c}b\u{00ad}c\u{180e}d\u{206a}e\u{206f}f\u{fff9}g\u{fffb}h"), "abcdefgh");
    }

    #[test]
    fn removes_osc_hyperlinks_and_titles() {
        assert_eq!(clean("x\u{1b}]0;pwned\u{7}y"), "xy");
        assert_eq!(clean("x\u{1b}]8;;http://e\u{1b}\\link\u{1b}]8;;\u{1b}\\y"), "xlinky");
    }

    #[test]
    fn removes_c1_csi_and_bidi_overrides() {
        assert_eq!(clean("a\u{9b}2Jb\u{202e}c"), "abc");
    }

    #[test]
    fn folds_newlines_and_tabs_to_one_space() {
        assert_eq!(clean("line1\r\n\tline2"), "line1 line2");
    }

    #[test]
    fn drops_bare_controls_and_unterminated_escape() {
        assert_eq!(clean("a\u{0}\u{7}b\u{1b}"), "ab");
    }

    #[test]
    fn removes_every_invisible_or_reordering_character() {
        let hidden = "\u{200b}\u{200d}\u{200e}\u{202a}\u{2060}\u{2064}\u{2066}\u{2069}\u{feff}\u{e0041}\u{e007f}";
        assert_eq!(clean(&format!("ad{hidden}min")), "admin");
        assert_eq!(clean("line\u{2028}next\u{2029}para"), "line next para");
    }

    #[test]
    fn keeps_unicode_text() {
        assert_eq!(clean("São Paulo — ünïcode"), "São Paulo — ünïcode");
    }

    #[test]
    fn truncates_with_ellipsis() {
        assert_eq!(clean_truncated("abcdef", 4), "abc…");
        assert_eq!(clean_truncated("abc", 4), "abc");
    }
}
