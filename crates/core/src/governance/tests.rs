use super::*;
use crate::column::{CardLine, ColumnData};

fn zone(drift: &str) -> Option<LandingZone> {
    Some(LandingZone {
        version: "3.3".into(),
        latest_version: Some("3.3".into()),
        status: Some("ACTIVE".into()),
        drift: Some(drift.into()),
    })
}

fn enrolled(status: &str, drift: &str) -> Vec<Enrolment> {
    vec![Enrolment {
        baseline: "AWSControlTowerBaseline".into(),
        version: Some("4.0".into()),
        status: status.into(),
        drift: Some(drift.into()),
    }]
}

fn control(name: &str, drift: &str) -> Control {
    Control { control: name.into(), status: Some("SUCCEEDED".into()), drift: Some(drift.into()) }
}

fn governed(baselines: Vec<Enrolment>, controls: Vec<Control>) -> TenantGovernance {
    TenantGovernance::new(zone("IN_SYNC"), Some("ou-ab12-tenants".into()), baselines, controls)
}

#[test]
fn an_account_in_sync_everywhere_is_enrolled() {
    let g = governed(enrolled("SUCCEEDED", "IN_SYNC"), vec![control("AWS-GR_RESTRICT_ROOT_USER", "IN_SYNC")]);
    assert_eq!(g.state(), State::Enrolled);
    assert_eq!(g.fleet_cell(), ("enrolled".to_string(), crate::role::Role::Ok));
}

#[test]
fn a_drifted_control_of_the_ou_drifts_the_tenant_and_is_listed_first() {
    let controls = vec![control("A-IN-SYNC", "IN_SYNC"), control("Z-DRIFTED", DRIFTED)];
    let g = governed(enrolled("SUCCEEDED", "IN_SYNC"), controls);
    assert_eq!(g.state(), State::Drifted);
    assert_eq!(g.controls[0].control, "Z-DRIFTED");
    assert_eq!(g.drift(), ["control Z-DRIFTED"]);
    assert_eq!(g.fleet_cell().0, "drifted (1)");
}

#[test]
fn no_baseline_is_not_enrolled_and_a_failed_one_is_worse_than_drift() {
    assert_eq!(governed(Vec::new(), Vec::new()).state(), State::NotEnrolled);
    let failed = governed(enrolled(FAILED, DRIFTED), Vec::new());
    assert_eq!(failed.state(), State::Failed);
    assert_eq!(failed.enrolment_status(), Some(FAILED));
    assert!(failed.sort_key() > governed(enrolled("SUCCEEDED", DRIFTED), Vec::new()).sort_key());
}

#[test]
fn landing_zone_drift_is_every_tenants_drift_and_no_landing_zone_says_so() {
    let mut g = governed(enrolled("SUCCEEDED", "IN_SYNC"), Vec::new());
    g.landing_zone = zone(DRIFTED);
    assert_eq!(g.drift(), ["landing zone"]);
    g.landing_zone = None;
    assert_eq!(g.state(), State::NoLandingZone);
}

#[test]
fn the_card_names_the_ou_and_each_drift() {
    let g = governed(enrolled("SUCCEEDED", DRIFTED), vec![control("X", DRIFTED), control("Y", "IN_SYNC")]);
    let card = g.card(chrono::Utc::now());
    let texts: Vec<String> = card
        .iter()
        .map(|l| match l {
            CardLine::Field { label, text, .. } => format!("{label}: {text}"),
            CardLine::Line { text, .. } => text.clone(),
        })
        .collect();
    assert!(texts.contains(&"enrolment: SUCCEEDED through ou-ab12-tenants".to_string()), "{texts:?}");
    assert!(texts.contains(&"controls: 2 enabled on the OU, 1 in sync".to_string()), "{texts:?}");
    assert!(texts.contains(&"baseline AWSControlTowerBaseline drifted".to_string()), "{texts:?}");
    assert!(texts.contains(&"control X drifted".to_string()), "{texts:?}");
}

#[test]
fn the_csv_keeps_its_header_and_a_failed_row_says_why() {
    let g = governed(enrolled("SUCCEEDED", "IN_SYNC"), vec![control("=HYPERLINK(1)", DRIFTED)]);
    let rows = [row("acme", "111111111111", Ok(Some(&g))), row("bolt", "222222222222", Err("denied".into()))];
    let csv = to_csv(&rows).expect("csv");
    let header = "tenant,account_id,state,ou,landing_zone_version,landing_zone_drift,enrolment_status,enabled_controls,drifted_controls,drifted,error\r\n";
    assert!(csv.starts_with(header), "{csv}");
    assert!(
        csv.contains("acme,111111111111,drifted,ou-ab12-tenants,3.3,IN_SYNC,SUCCEEDED,1,1,control =HYPERLINK(1),"),
        "{csv}"
    );
    assert!(csv.contains("bolt,222222222222,,,,,,0,0,,denied"), "{csv}");
    assert!(to_table(&rows).contains("✗ denied"));
}

#[test]
fn baseline_names_come_from_the_documented_ids() {
    assert_eq!(baseline_name("arn:aws:controltower:us-west-2::baseline/17BSJV3IGJ2QSGA2"), "AWSControlTowerBaseline");
    assert_eq!(baseline_name("arn:aws:controltower:us-west-2::baseline/ABCDEFGHIJKLMNOP"), "ABCDEFGHIJKLMNOP");
}
