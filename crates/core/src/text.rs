//! Plain-text helpers shared by the read models and every command: spreadsheet-safe cells, aligned
//! tables, and "did you mean" suggestions.

/// Control characters removed, and formula triggers (= + - @) defused for spreadsheets, also
/// behind leading blanks (a spreadsheet skips them; tabs and CRs become blanks first). For text
/// cells, ids included; numeric columns are written as numbers and never prefixed.
pub fn safe_text(text: &str) -> String {
    let clean = crate::sanitize::clean(text);
    if clean.trim_start().starts_with(['=', '+', '-', '@']) {
        format!("'{clean}")
    } else {
        clean
    }
}

/// A CSV writer into memory as RFC 4180 asks (CRLF between records): every CSV silo prints for
/// spreadsheets starts here. Cells still go through `safe_text`.
pub fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new())
}

/// The text a `csv_writer` wrote.
pub fn csv_text(writer: csv::Writer<Vec<u8>>) -> Result<String, csv::Error> {
    let bytes = writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Left-aligned columns separated by two spaces, one line per row, header first.
pub fn aligned(titles: &[String], rows: &[Vec<String>]) -> String {
    let width =
        |i: usize| rows.iter().map(|r| r[i].chars().count()).chain([titles[i].chars().count()]).max().unwrap_or(0);
    let widths: Vec<usize> = (0..titles.len()).map(width).collect();
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        padded.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = line(titles);
    rows.iter().for_each(|r| out.push_str(&line(r)));
    out
}

/// Names containing `wanted` (any case) or within an edit distance of a quarter of its length,
/// closest first, at most 5.
pub fn close_matches<'a>(names: impl Iterator<Item = &'a str>, wanted: &str) -> Vec<String> {
    let lower = wanted.to_lowercase();
    let allowed = (lower.chars().count() / 4).max(1);
    let mut scored: Vec<(usize, &str)> = names
        .filter_map(|n| {
            let distance = edit_distance(&n.to_lowercase(), &lower);
            let contains = n.to_lowercase().contains(&lower) || lower.contains(&n.to_lowercase());
            (contains || distance <= allowed).then_some((if contains { 0 } else { distance }, n))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(5).map(|(_, n)| n.to_string()).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_defused_and_controls_removed() {
        assert_eq!(safe_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_text("@SUM"), "'@SUM");
        assert_eq!(safe_text("acme\u{1b}[31m"), "acme");
        assert_eq!(safe_text("acme-1"), "acme-1");
        assert_eq!(safe_text(" =1+1"), "' =1+1");
        assert_eq!(safe_text("\t=cmd|' /C calc'!A0"), "' =cmd|' /C calc'!A0");
        assert_eq!(safe_text("\r@SUM(A1)"), "' @SUM(A1)");
    }

    #[test]
    fn close_matches_prefer_substrings_then_small_typos() {
        let names = ["aurora-foods", "delta-aero", "borealis-steel"];
        assert_eq!(close_matches(names.into_iter(), "aurora"), vec!["aurora-foods"]);
        assert_eq!(close_matches(names.into_iter(), "delta-aro"), vec!["delta-aero"]);
        assert!(close_matches(names.into_iter(), "zzz").is_empty());
    }
}
