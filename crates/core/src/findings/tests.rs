use super::tests_support::finding;
use super::*;

#[test]
fn attribution_is_by_account_and_non_tenants_stay_unattributed() {
    let mut fs =
        vec![finding("a", "111111111111", Severity::High, true), finding("b", "999999999999", Severity::Low, true)];
    let tenants = HashMap::from([("111111111111".to_string(), "acme".to_string())]);
    attribute(&mut fs, &tenants);
    assert_eq!(fs[0].tenant.as_deref(), Some("acme"));
    assert_eq!(fs[1].tenant, None);
}

#[test]
fn counts_only_open_findings() {
    let fs = vec![
        finding("a", "1", Severity::Critical, true),
        finding("b", "1", Severity::Critical, false),
        finding("c", "1", Severity::Informational, true),
    ];
    assert_eq!(counts(&fs.clone().into())["1"], FindingCounts { critical: 1, high: 0, medium: 0, low: 0 });
}

#[test]
fn selection_combines_every_criterion() {
    let mut f = finding("a", "111111111111", Severity::High, true);
    f.tenant = Some("acme".into());
    let by_tenant = Selection { tenant: Some("acme".into()), open_only: true, ..Selection::default() };
    assert!(by_tenant.matches(&f));
    let by_sev = Selection { severities: vec![Severity::Critical], ..Selection::default() };
    assert!(!by_sev.matches(&f));
    let by_source = Selection { source: Some(FindingSource::Guardduty), ..Selection::default() };
    assert!(!by_source.matches(&f));
    f.open = false;
    assert!(!by_tenant.matches(&f));
}

#[test]
fn csv_defuses_formulas_and_control_characters_in_attacker_text() {
    let mut f = finding("id-1", "111111111111", Severity::High, true);
    f.title = "=cmd|' /C calc'!A0".into();
    f.resource = "bucket\u{1b}[31mred".into();
    let csv = to_csv(&[FindingRow::from(&f)]).unwrap();
    let line = csv.lines().nth(1).unwrap();
    assert!(line.contains("'=cmd|' /C calc'!A0"), "{line}");
    assert!(line.contains("bucketred") && !line.contains('\u{1b}'), "{line}");
}

#[test]
fn huge_raw_json_is_capped() {
    let big = serde_json::json!({ "Description": "x".repeat(1_000_000) });
    let raw = raw_json(&big);
    assert!(raw.len() < MAX_RAW + 100);
    assert!(raw.ends_with("bytes in all)"));
}

#[test]
fn severity_parses_case_insensitively_and_orders() {
    assert_eq!(Severity::parse("critical"), Some(Severity::Critical));
    assert_eq!(Severity::parse("nope"), None);
    assert!(Severity::Critical > Severity::High && Severity::Low > Severity::Informational);
}

#[test]
fn raw_json_keeps_its_indentation_and_loses_what_serde_leaves_unescaped() {
    let value = serde_json::json!({ "Title": "ok\u{202e}gnp.exe\u{200b} \u{9b}31mred" });
    let raw = super::raw_json(&value);
    assert_eq!(raw, "{\n  \"Title\": \"okgnp.exe red\"\n}");
}

#[test]
fn silo_s_own_triage_closes_what_it_resolved_and_keeps_the_rest() {
    let mut known = FindingList::from(vec![
        super::tests_support::finding("a", "111111111111", Severity::High, true),
        super::tests_support::finding("b", "111111111111", Severity::High, true),
        super::tests_support::finding("c", "111111111111", Severity::Low, true),
    ]);
    known
        .beyond
        .insert("111111111111".into(), Beyond { total: 7, open: FindingCounts { low: 7, ..Default::default() } });
    let processed: std::collections::HashSet<String> = ["a".to_string(), "c".to_string()].into();
    let resolved = after_own_triage(&known, &processed, "RESOLVED");
    assert_eq!(resolved.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), ["b"]);
    assert_eq!(resolved.beyond, known.beyond, "what was counted beyond the cap stays counted");
    let notified = after_own_triage(&known, &processed, "NOTIFIED");
    let statuses: Vec<(&str, &str)> = notified.iter().map(|f| (f.id.as_str(), f.status.as_str())).collect();
    assert_eq!(statuses, [("a", "NOTIFIED"), ("b", known[1].status.as_str()), ("c", "NOTIFIED")]);
}

#[test]
fn finding_labels_count_by_severity() {
    let mut c = super::FindingCounts::default();
    for l in ["CRITICAL", "HIGH", "HIGH", "INFORMATIONAL", "LOW"] {
        c.add_label(l);
    }
    assert_eq!((c.critical, c.high, c.medium, c.low), (1, 2, 0, 1));
}
