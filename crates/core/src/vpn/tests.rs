use super::*;
use chrono::TimeZone;

fn at(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap() + Duration::minutes(i64::from(minute))
}

fn series(vpn: &str, ip: &str, values: &[(u32, f64)]) -> TunnelSeries {
    TunnelSeries {
        vpn_id: vpn.into(),
        outside_ip: ip.into(),
        points: values.iter().map(|(m, v)| (at(*m), *v)).collect(),
    }
}

fn status(tunnels: &[&[(u32, f64)]], end: u32) -> VpnStatus {
    let ips = ["1.1.1.1", "2.2.2.2", "3.3.3.3"];
    let all: Vec<TunnelSeries> = tunnels.iter().zip(ips).map(|(v, ip)| series("vpn-1", ip, v)).collect();
    VpnStatus::from_series(&all, at(end)).expect("a connection")
}

#[test]
fn a_tunnel_is_in_the_state_of_its_last_point_since_the_first_point_of_that_state() {
    // Out of order on purpose: CloudWatch's order is not the tunnel's.
    let points = [(at(10), 0.0), (at(0), 1.0), (at(15), 0.0), (at(5), 1.0)];
    let t = Tunnel::from_points("1.1.1.1", &points, at(20)).expect("points");
    assert_eq!((t.up, t.status.as_str(), t.reporting), (false, "DOWN", true));
    assert_eq!(t.last_change, Some(at(10)));
    assert_eq!(t.changes, [TunnelChange { at: at(10), up: false }]);
    assert_eq!((t.as_of, t.observed_from), (Some(at(15)), Some(at(0))));
}

#[test]
fn a_period_down_for_part_of_its_five_minutes_counts_as_down_and_every_flap_is_kept() {
    let t = Tunnel::from_points("1.1.1.1", &[(at(0), 1.0), (at(5), 0.4), (at(10), 1.0)], at(12)).expect("points");
    assert!(t.up);
    assert_eq!(t.changes, [TunnelChange { at: at(5), up: false }, TunnelChange { at: at(10), up: true }]);
    assert_eq!(t.last_change, Some(at(10)));
}

#[test]
fn a_tunnel_without_a_point_for_thirty_minutes_is_silent_and_left_out_of_the_counts() {
    let v = status(&[&[(0, 1.0), (40, 1.0)], &[(0, 1.0), (10, 1.0)]], 41);
    let silent = &v.connections[0].tunnels[1];
    assert_eq!((silent.reporting, silent.up, silent.status.as_str()), (false, false, "NO DATA"));
    assert_eq!((v.tunnels_up(), v.tunnels_total(), v.tunnels_silent()), (1, 1, 1));
    assert_eq!(v.tunnel_health(), Health::Ok, "a deleted connection's series stops too: not a down tunnel");
    assert!(v.down().is_empty());
    // Thirty minutes exactly still reports.
    assert!(status(&[&[(0, 1.0), (10, 1.0)]], 40).connections[0].tunnels[0].reporting);
}

#[test]
fn a_connection_where_no_tunnel_reports_shows_no_data() {
    let v = status(&[&[(0, 0.0)], &[(0, 1.0)]], 60);
    assert_eq!(v.fleet_cell(), ("no data".to_string(), Role::Muted));
    assert_eq!(v.tunnel_health(), Health::Ok);
}

#[test]
fn series_group_by_connection_and_a_tunnel_without_points_is_not_listed() {
    let all = [
        series("vpn-b", "9.9.9.9", &[(0, 1.0)]),
        series("vpn-a", "2.2.2.2", &[(0, 1.0)]),
        series("vpn-a", "1.1.1.1", &[(0, 0.0)]),
        series("vpn-c", "8.8.8.8", &[]),
    ];
    let v = VpnStatus::from_series(&all, at(1)).expect("two connections");
    let shape: Vec<(&str, Vec<&str>)> = v
        .connections
        .iter()
        .map(|c| (c.vpn_id.as_str(), c.tunnels.iter().map(|t| t.outside_ip.as_str()).collect()))
        .collect();
    assert_eq!(shape, [("vpn-a", vec!["1.1.1.1", "2.2.2.2"]), ("vpn-b", vec!["9.9.9.9"])]);
    assert_eq!(VpnStatus::from_series(&[series("vpn-c", "8.8.8.8", &[])], at(1)), None);
}

#[test]
fn all_tunnels_up_is_ok_one_down_a_warning_all_down_critical() {
    let ok = status(&[&[(0, 1.0)], &[(0, 1.0)]], 1);
    let half = status(&[&[(0, 1.0)], &[(0, 1.0), (5, 0.0)]], 6);
    let none = status(&[&[(0, 0.0)], &[(0, 0.0)]], 1);
    assert_eq!((ok.tunnel_health(), ok.fleet_cell()), (Health::Ok, ("2/2 up".to_string(), Role::Ok)));
    assert_eq!((half.tunnel_health(), half.fleet_cell()), (Health::Warning, ("1/2".to_string(), Role::Warning)));
    assert_eq!((none.tunnel_health(), none.fleet_cell()), (Health::Critical, ("0/2".to_string(), Role::Critical)));
}

#[test]
fn the_report_lists_down_tunnels_longest_down_first() {
    let v = status(&[&[(0, 1.0), (7, 0.0)], &[(0, 1.0), (5, 0.0)], &[(0, 1.0), (9, 1.0)]], 10);
    let report = v.report();
    assert_eq!((report.connections, report.tunnels_up, report.tunnels_total, report.tunnels_silent), (1, 1, 3, 0));
    let down: Vec<(&str, Option<DateTime<Utc>>)> =
        report.down.iter().map(|d| (d.outside_ip.as_str(), d.since)).collect();
    assert_eq!(down, [("2.2.2.2", Some(at(5))), ("1.1.1.1", Some(at(7)))]);
    assert_eq!(report.down[0].as_of, Some(at(5)));
}

#[test]
fn the_card_says_since_when_and_how_old_late_data_is() {
    let v = status(&[&[(0, 1.0), (20, 1.0)], &[(0, 1.0), (5, 0.0), (20, 0.0)], &[(0, 1.0)]], 34);
    let lines = v.lines(at(34));
    assert_eq!(
        lines,
        [
            ("vpn-1 1.1.1.1 UP for over 34m · data 14m old".to_string(), Role::Ok),
            ("vpn-1 2.2.2.2 DOWN for 29m · data 14m old".to_string(), Role::Critical),
            (
                "vpn-1 3.3.3.3 NO DATA · last TunnelState 34m ago (deleted, or CloudWatch is late)".to_string(),
                Role::Muted
            ),
        ]
    );
    let fresh = status(&[&[(0, 1.0), (30, 1.0)]], 31);
    assert_eq!(fresh.lines(at(31))[0].0, "vpn-1 1.1.1.1 UP for over 31m");
}
