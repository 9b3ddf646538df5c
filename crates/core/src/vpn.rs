//! A tenant's site-to-site VPN connections (the way the seed's customers integrate) and their
//! tunnels: the fleet's VPN column, its health rule, the card's lines and the timeline's `vpn`
//! events. Pure: the aws and demo layers hand over `TunnelState` series, this module reads them.
//!
//! The state comes from CloudWatch's `AWS/VPN` namespace, not from EC2 DescribeVpnConnections
//! (whose SDK crate cost more build time than the rest of silo, docs/performance.md). The Site-to-Site
//! VPN guide ("Monitoring your Site-to-Site VPN tunnels using Amazon CloudWatch") defines
//! `TunnelState` per `VpnId` + `TunnelIpAddress`: 1 is UP (static) or ESTABLISHED (BGP), 0 every
//! other state. What that costs compared with `VgwTelemetry`, and how silo shows it:
//! - no status message (AWS's reason, e.g. "IPSEC IS DOWN", is only in DescribeVpnConnections);
//! - the state is as of the last data point (`as_of`), minutes behind; each point is the minimum
//!   of a 5-minute period, so a tunnel counts as up only for a period it was up throughout;
//! - a deleted connection does not say so: its series stops. A tunnel without a point in the
//!   last [`SILENT_AFTER_MINUTES`] is shown as NO DATA and left out of the counts and the health
//!   rule; one without a point in the whole window is not listed at all;
//! - every change inside the window is known (`changes`), not only the latest one.

use crate::model::Health;
use crate::role::Role;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The statistic's period: a point per 5 minutes.
pub const PERIOD_SECONDS: i32 = 300;
/// How far back the fleet's read looks: enough to say since when a tunnel is in its state.
pub const FLEET_LOOKBACK_HOURS: i64 = 24;
/// A tunnel whose last point is older than this, before the end of the read, stopped reporting.
pub const SILENT_AFTER_MINUTES: i64 = 30;
/// The series' metric, namespace and dimensions (AWS/VPN, per tunnel).
pub const NAMESPACE: &str = "AWS/VPN";
pub const METRIC: &str = "TunnelState";
pub const VPN_DIMENSION: &str = "VpnId";
pub const TUNNEL_DIMENSION: &str = "TunnelIpAddress";
/// The statistic asked for each period (see the module's notes).
pub const STATISTIC: &str = "Minimum";

/// The span one VPN read covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VpnWindow {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl VpnWindow {
    /// The fleet's read: the last [`FLEET_LOOKBACK_HOURS`] up to `now`.
    pub fn fleet(now: DateTime<Utc>) -> VpnWindow {
        VpnWindow { from: now - Duration::hours(FLEET_LOOKBACK_HOURS), to: now }
    }
}

/// One tunnel's `TunnelState` points as read, in any order.
#[derive(Debug, Clone, PartialEq)]
pub struct TunnelSeries {
    pub vpn_id: String,
    pub outside_ip: String,
    pub points: Vec<(DateTime<Utc>, f64)>,
}

/// Every VPN connection of one tenant account that reported in the window.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VpnStatus {
    pub connections: Vec<VpnConnection>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VpnConnection {
    pub vpn_id: String,
    pub tunnels: Vec<Tunnel>,
}

/// One tunnel as its `TunnelState` series shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tunnel {
    /// The AWS side's outside address (the `TunnelIpAddress` dimension).
    pub outside_ip: String,
    pub up: bool,
    /// `UP`, `DOWN`, or `NO DATA` for a tunnel that stopped reporting.
    pub status: String,
    /// When the tunnel entered its state; None when it did not change inside the window.
    pub last_change: Option<DateTime<Utc>>,
    /// Kept for the JSON contract; CloudWatch carries no status message (empty).
    pub message: String,
    /// The last data point: the state is as of then.
    #[serde(default)]
    pub as_of: Option<DateTime<Utc>>,
    /// The first data point of the window: "up for over …" when nothing changed.
    #[serde(default)]
    pub observed_from: Option<DateTime<Utc>>,
    /// False when the last point is older than [`SILENT_AFTER_MINUTES`] before the read's end.
    #[serde(default = "reporting_by_default")]
    pub reporting: bool,
    /// Every change of state inside the window, oldest first.
    #[serde(default)]
    pub changes: Vec<TunnelChange>,
}

fn reporting_by_default() -> bool {
    true
}

/// The tunnel was seen in a new state from `at` (the start of the first period in it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TunnelChange {
    pub at: DateTime<Utc>,
    pub up: bool,
}

/// A tunnel that is down, as the fleet JSON says it (`vpn.down[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DownTunnel {
    pub vpn_id: String,
    pub outside_ip: String,
    pub since: Option<DateTime<Utc>>,
    pub message: String,
    pub as_of: Option<DateTime<Utc>>,
}

/// The fleet contract's `vpn` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VpnReport {
    pub connections: usize,
    pub tunnels_up: usize,
    pub tunnels_total: usize,
    pub down: Vec<DownTunnel>,
    /// Tunnels listed in CloudWatch that stopped reporting (not in the counts above).
    pub tunnels_silent: usize,
}

/// A per-tunnel point is 0 or 1; as the minimum of a period, anything under 1 means the tunnel
/// was down for part of it.
fn is_up(value: f64) -> bool {
    value >= 1.0
}

impl Tunnel {
    /// Reads one tunnel's points; None when the window holds none.
    pub fn from_points(outside_ip: &str, points: &[(DateTime<Utc>, f64)], end: DateTime<Utc>) -> Option<Tunnel> {
        let mut points = points.to_vec();
        points.sort_by_key(|(at, _)| *at);
        let (first, last) = (points.first()?.0, points.last()?);
        let changes: Vec<TunnelChange> = points
            .windows(2)
            .filter(|w| is_up(w[0].1) != is_up(w[1].1))
            .map(|w| TunnelChange { at: w[1].0, up: is_up(w[1].1) })
            .collect();
        let reporting = last.0 >= end - Duration::minutes(SILENT_AFTER_MINUTES);
        let up = reporting && is_up(last.1);
        let status = match (reporting, up) {
            (false, _) => "NO DATA",
            (true, true) => "UP",
            (true, false) => "DOWN",
        };
        Some(Tunnel {
            outside_ip: outside_ip.to_string(),
            up,
            status: status.into(),
            last_change: changes.last().map(|c| c.at),
            message: String::new(),
            as_of: Some(last.0),
            observed_from: Some(first),
            reporting,
            changes,
        })
    }

    /// "for 20m", or "for over 1d" when the tunnel did not change inside the window.
    fn held_for(&self, now: DateTime<Utc>) -> String {
        match (self.last_change, self.observed_from) {
            (Some(at), _) => format!(" for {}", crate::format::age(at, now)),
            (None, Some(from)) => format!(" for over {}", crate::format::age(from, now)),
            (None, None) => String::new(),
        }
    }
}

impl VpnStatus {
    /// Groups the series by connection (ids in order); None when no tunnel has a point.
    pub fn from_series(series: &[TunnelSeries], end: DateTime<Utc>) -> Option<VpnStatus> {
        let mut connections: Vec<VpnConnection> = Vec::new();
        let mut sorted: Vec<&TunnelSeries> = series.iter().collect();
        sorted.sort_by(|a, b| (&a.vpn_id, &a.outside_ip).cmp(&(&b.vpn_id, &b.outside_ip)));
        for s in sorted {
            let Some(tunnel) = Tunnel::from_points(&s.outside_ip, &s.points, end) else { continue };
            match connections.last_mut() {
                Some(c) if c.vpn_id == s.vpn_id => c.tunnels.push(tunnel),
                _ => connections.push(VpnConnection { vpn_id: s.vpn_id.clone(), tunnels: vec![tunnel] }),
            }
        }
        (!connections.is_empty()).then_some(VpnStatus { connections })
    }

    fn all_tunnels(&self) -> impl Iterator<Item = (&VpnConnection, &Tunnel)> {
        self.connections.iter().flat_map(|c| c.tunnels.iter().map(move |t| (c, t)))
    }

    /// The tunnels that report: the ones the counts and the health rule are about.
    fn tunnels(&self) -> impl Iterator<Item = (&VpnConnection, &Tunnel)> {
        self.all_tunnels().filter(|(_, t)| t.reporting)
    }

    pub fn tunnels_up(&self) -> usize {
        self.tunnels().filter(|(_, t)| t.up).count()
    }

    pub fn tunnels_total(&self) -> usize {
        self.tunnels().count()
    }

    pub fn tunnels_silent(&self) -> usize {
        self.all_tunnels().filter(|(_, t)| !t.reporting).count()
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
                as_of: t.as_of,
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
            tunnels_silent: self.tunnels_silent(),
        }
    }

    /// The health rule: every tunnel down is critical (the customer cannot reach the tenant),
    /// some down is a warning (traffic runs on the other tunnel, without redundancy). Tunnels
    /// that stopped reporting count neither way: a deleted connection's series stops too.
    pub fn tunnel_health(&self) -> Health {
        let (up, total) = (self.tunnels_up(), self.tunnels_total());
        if total == 0 || up == total {
            Health::Ok
        } else if up == 0 {
            Health::Critical
        } else {
            Health::Warning
        }
    }

    /// The fleet cell: `2/2 up`, `1/2` (warning), `0/2` (critical), `no data` (none reports).
    pub fn fleet_cell(&self) -> (String, Role) {
        let (up, total) = (self.tunnels_up(), self.tunnels_total());
        if total == 0 {
            return ("no data".into(), Role::Muted);
        }
        let role = match self.tunnel_health() {
            Health::Ok | Health::Unknown => Role::Ok,
            Health::Warning => Role::Warning,
            Health::Critical => Role::Critical,
        };
        let text = if up == total { format!("{up}/{total} up") } else { format!("{up}/{total}") };
        (text, role)
    }

    /// The card's lines: one per tunnel, with since when it is in its state and, when the
    /// data is late, how old it is.
    pub fn lines(&self, now: DateTime<Utc>) -> Vec<(String, Role)> {
        self.all_tunnels().map(|(c, t)| tunnel_line(c, t, now)).collect()
    }
}

fn tunnel_line(c: &VpnConnection, t: &Tunnel, now: DateTime<Utc>) -> (String, Role) {
    let head = format!("{} {} {}", c.vpn_id, t.outside_ip, t.status);
    let last = t.as_of.map(|at| crate::format::age(at, now)).unwrap_or_else(|| "?".into());
    if !t.reporting {
        return (format!("{head} · last TunnelState {last} ago (deleted, or CloudWatch is late)"), Role::Muted);
    }
    let late = t.as_of.is_some_and(|at| now - at > Duration::seconds(2 * i64::from(PERIOD_SECONDS)));
    let late = if late { format!(" · data {last} old") } else { String::new() };
    let role = if t.up { Role::Ok } else { Role::Critical };
    (format!("{head}{}{late}", t.held_for(now)), role)
}

#[cfg(test)]
mod tests;

mod column;
pub use column::COLUMN;
