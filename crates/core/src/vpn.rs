//! A tenant's site-to-site VPN connections (the way the seed's customers integrate) and their
//! tunnels: the fleet's VPN column, its health rule, the card's lines and the timeline's `vpn`
//! events. Pure: the aws and demo layers fill `VpnStatus`.

use crate::model::Health;
use crate::role::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Every VPN connection of one tenant account that is not deleted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VpnStatus {
    pub connections: Vec<VpnConnection>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VpnConnection {
    pub vpn_id: String,
    /// The connection's own state: `available`, `pending`, `deleting`.
    pub state: String,
    pub tunnels: Vec<Tunnel>,
}

/// One tunnel as AWS reports it (`VgwTelemetry`): AWS keeps only the latest change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tunnel {
    pub outside_ip: String,
    pub up: bool,
    /// `UP` or `DOWN` as AWS says it.
    pub status: String,
    pub last_change: Option<DateTime<Utc>>,
    pub message: String,
}

/// A tunnel that is down, as the fleet JSON says it (`vpn.down[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DownTunnel {
    pub vpn_id: String,
    pub outside_ip: String,
    pub since: Option<DateTime<Utc>>,
    pub message: String,
}

/// The fleet contract's `vpn` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VpnReport {
    pub connections: usize,
    pub tunnels_up: usize,
    pub tunnels_total: usize,
    pub down: Vec<DownTunnel>,
}

impl VpnStatus {
    fn tunnels(&self) -> impl Iterator<Item = (&VpnConnection, &Tunnel)> {
        self.connections.iter().flat_map(|c| c.tunnels.iter().map(move |t| (c, t)))
    }

    pub fn tunnels_up(&self) -> usize {
        self.tunnels().filter(|(_, t)| t.up).count()
    }

    pub fn tunnels_total(&self) -> usize {
        self.tunnels().count()
    }

    /// Tunnels that are down, longest down first.
    pub fn down(&self) -> Vec<DownTunnel> {
        let mut down: Vec<DownTunnel> = self
            .tunnels()
            .filter(|(_, t)| !t.up)
            .map(|(c, t)| DownTunnel {
                vpn_id: c.vpn_id.clone(),
                outside_ip: t.outside_ip.clone(),
                since: t.last_change,
                message: t.message.clone(),
            })
            .collect();
        down.sort_by_key(|d| d.since);
        down
    }

    pub fn report(&self) -> VpnReport {
        VpnReport {
            connections: self.connections.len(),
            tunnels_up: self.tunnels_up(),
            tunnels_total: self.tunnels_total(),
            down: self.down(),
        }
    }

    /// The health rule: every tunnel down is critical (the customer cannot reach the tenant),
    /// some down is a warning (traffic runs on the other tunnel, without redundancy).
    pub fn health(&self) -> Health {
        let (up, total) = (self.tunnels_up(), self.tunnels_total());
        if total == 0 || up == total {
            Health::Ok
        } else if up == 0 {
            Health::Critical
        } else {
            Health::Warning
        }
    }

    /// The fleet cell: `2/2 up`, `1/2` (warning), `0/2` (critical).
    pub fn cell(&self) -> (String, Role) {
        let (up, total) = (self.tunnels_up(), self.tunnels_total());
        let role = match self.health() {
            Health::Ok | Health::Unknown => Role::Ok,
            Health::Warning => Role::Warning,
            Health::Critical => Role::Critical,
        };
        let text = if up == total { format!("{up}/{total} up") } else { format!("{up}/{total}") };
        (text, role)
    }

    /// The card's lines: one per tunnel, down ones with their message and since when.
    pub fn lines(&self, now: DateTime<Utc>) -> Vec<(String, Role)> {
        self.tunnels()
            .map(|(c, t)| {
                let since = t.last_change.map(|at| format!(" for {}", crate::format::age(at, now))).unwrap_or_default();
                let message = if t.message.is_empty() { String::new() } else { format!(" · {}", t.message) };
                let role = if t.up { Role::Ok } else { Role::Critical };
                (format!("{} {} {}{since}{message}", c.vpn_id, t.outside_ip, t.status), role)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn tunnel(ip: &str, up: bool, minute: u32) -> Tunnel {
        Tunnel {
            outside_ip: ip.into(),
            up,
            status: if up { "UP" } else { "DOWN" }.into(),
            last_change: Some(Utc.with_ymd_and_hms(2026, 12, 3, 10, minute, 0).unwrap()),
            message: if up { "" } else { "IPSEC IS DOWN" }.into(),
        }
    }

    fn status(tunnels: Vec<Tunnel>) -> VpnStatus {
        VpnStatus { connections: vec![VpnConnection { vpn_id: "vpn-1".into(), state: "available".into(), tunnels }] }
    }

    #[test]
    fn all_tunnels_up_is_ok_one_down_a_warning_all_down_critical() {
        let ok = status(vec![tunnel("1.1.1.1", true, 0), tunnel("2.2.2.2", true, 0)]);
        let half = status(vec![tunnel("1.1.1.1", true, 0), tunnel("2.2.2.2", false, 5)]);
        let none = status(vec![tunnel("1.1.1.1", false, 7), tunnel("2.2.2.2", false, 5)]);
        assert_eq!((ok.health(), ok.cell().0.as_str()), (Health::Ok, "2/2 up"));
        assert_eq!((half.health(), half.cell()), (Health::Warning, ("1/2".to_string(), Role::Warning)));
        assert_eq!((none.health(), none.cell()), (Health::Critical, ("0/2".to_string(), Role::Critical)));
    }

    #[test]
    fn the_report_lists_down_tunnels_longest_down_first() {
        let none = status(vec![tunnel("1.1.1.1", false, 7), tunnel("2.2.2.2", false, 5)]);
        let report = none.report();
        assert_eq!((report.connections, report.tunnels_up, report.tunnels_total), (1, 0, 2));
        let ips: Vec<&str> = report.down.iter().map(|d| d.outside_ip.as_str()).collect();
        assert_eq!(ips, ["2.2.2.2", "1.1.1.1"]);
        assert_eq!(report.down[0].message, "IPSEC IS DOWN");
    }

    #[test]
    fn a_connection_without_tunnels_is_not_unhealthy() {
        assert_eq!(status(Vec::new()).health(), Health::Ok);
    }
}
