//! Small text helpers shared by the views and the headless table.

use chrono::{DateTime, Utc};

/// "12s", "4m", "3h", "2d" since `then`.
pub fn age(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    duration(now - then)
}

/// "12s", "4m", "3h", "2d": a span in its largest whole unit (negative spans count as 0).
pub fn duration(span: chrono::Duration) -> String {
    let secs = span.num_seconds().max(0);
    match secs {
        0..=59 => format!("{secs}s"),
        60..=3599 => format!("{}m", secs / 60),
        3600..=86_399 => format!("{}h", secs / 3600),
        _ => format!("{}d", secs / 86_400),
    }
}

/// A metric's value in its CloudWatch unit: "12.3%", "1.2 GB", "0.35 s", "6.6k", "27".
pub fn metric_value(v: f64, unit: &str) -> String {
    match unit {
        "Percent" => format!("{v:.1}%"),
        "Bytes" => format!("{:.1} GB", v / 1e9),
        "Seconds" if v >= 60.0 => format!("{:.0} s", v),
        "Seconds" => format!("{v:.2} s"),
        _ if v >= 1000.0 => format!("{:.1}k", v / 1000.0),
        _ => format!("{v:.0}"),
    }
}

/// Cuts `text` to `width` display columns with an ellipsis.
pub fn fit(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            out.pop();
            out.push('…');
            return out;
        }
        used += w;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ages_use_the_largest_whole_unit() {
        let now = Utc.timestamp_opt(1_000_000, 0).unwrap();
        let ago = |s: i64| age(now - chrono::Duration::seconds(s), now);
        assert_eq!((ago(5), ago(61), ago(7200), ago(200_000)), ("5s".into(), "1m".into(), "2h".into(), "2d".into()));
    }

    #[test]
    fn fit_truncates_on_display_width() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
    }
}
