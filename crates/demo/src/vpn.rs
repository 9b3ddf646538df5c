//! The demo's site-to-site VPNs, as CloudWatch would report them: a `TunnelState` point every
//! five minutes per tunnel, read through the same `VpnStatus::from_series` as AWS's. Most
//! customers integrate through one connection with two tunnels; polar-dairy's second tunnel
//! flapped five hours ago and dropped 20 minutes before now; lumen-energy replaced a connection
//! two hours ago (the old one's series stopped: NO DATA on its card).

use super::tenants::Profile;
use chrono::{DateTime, Duration, DurationRound, Utc};
use silo_core::hash::hash;
use silo_core::model::Tenant;
use silo_core::vpn::{TunnelSeries, VpnStatus, VpnWindow, PERIOD_SECONDS};

/// The tenant whose tunnel is down.
pub const TUNNEL_DOWN: &str = "polar-dairy";
/// The tenant with a connection that stopped reporting (replaced).
pub const REPLACED: &str = "lumen-energy";
/// CloudWatch's points lag behind: the newest one is this old.
const LAG_MINUTES: i64 = 3;

pub fn status(tenant: &Tenant, profile: Profile, window: VpnWindow, now: DateTime<Utc>) -> Option<VpnStatus> {
    // Tenants being onboarded and a third of the rest have no VPN (they integrate over HTTPS).
    if profile == Profile::NoService || hash(&tenant.name, 21).is_multiple_of(3) {
        return None;
    }
    let id = hash(&tenant.account_id, 22);
    let vpn_id = format!("vpn-{:017x}", id % 0xfff_ffff_ffff_ffff);
    let ip = |n: u64| format!("203.0.113.{}", (id + n) % 250 + 1);
    let times = grid(window, now);
    let down = tenant.name == TUNNEL_DOWN;
    let mut series = vec![
        tunnel(&vpn_id, ip(0), &times, |_| true),
        tunnel(&vpn_id, ip(1), &times, |at| !down || second_tunnel_up(at, now)),
    ];
    if tenant.name == REPLACED {
        let old = format!("vpn-{:017x}", (id + 1) % 0xfff_ffff_ffff_ffff);
        let stopped = now - Duration::hours(2);
        let before: Vec<DateTime<Utc>> = times.iter().copied().filter(|at| *at < stopped).collect();
        series.push(tunnel(&old, ip(2), &before, |_| true));
        series.push(tunnel(&old, ip(3), &before, |_| true));
    }
    VpnStatus::from_series(&series, window.to)
}

/// polar-dairy's second tunnel: down 15 minutes five hours ago, down again for the last 20.
pub fn second_tunnel_up(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    let flap = (now - Duration::hours(5))..(now - Duration::hours(5) + Duration::minutes(15));
    !flap.contains(&at) && at < now - Duration::minutes(20)
}

fn tunnel(vpn_id: &str, ip: String, times: &[DateTime<Utc>], up: impl Fn(DateTime<Utc>) -> bool) -> TunnelSeries {
    let points = times.iter().map(|at| (*at, if up(*at) { 1.0 } else { 0.0 })).collect();
    TunnelSeries { vpn_id: vpn_id.to_string(), outside_ip: ip, points }
}

/// Period starts inside the window, up to the newest point CloudWatch would have by `now`.
fn grid(window: VpnWindow, now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let step = Duration::seconds(i64::from(PERIOD_SECONDS));
    let Ok(mut at) = window.from.duration_trunc(step) else { return Vec::new() };
    let last = window.to.min(now - Duration::minutes(LAG_MINUTES));
    let mut times = Vec::new();
    while at <= last {
        if at >= window.from {
            times.push(at);
        }
        at += step;
    }
    times
}

/// The fleet's VPN column (`silo_core::vpn::COLUMN`): the last day of the tenant's tunnels.
pub fn column(tenant: &Tenant, profile: Profile, now: DateTime<Utc>) -> Option<silo_core::column::ColumnValue> {
    status(tenant, profile, VpnWindow::fleet(now), now).map(silo_core::column::ColumnValue::new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenants::DEMO_TENANTS;

    fn read(name: &str, window: impl Fn(DateTime<Utc>) -> VpnWindow) -> (DateTime<Utc>, Option<VpnStatus>) {
        let now = Utc::now();
        let (i, demo) = DEMO_TENANTS.iter().enumerate().find(|(_, d)| d.name == name).expect("a demo tenant");
        (now, status(&demo.tenant(i), demo.profile, window(now), now))
    }

    #[test]
    fn one_tenant_has_a_tunnel_down_and_others_have_none_or_all_up() {
        let now = Utc::now();
        let mut without = 0;
        for (i, demo) in DEMO_TENANTS.iter().enumerate() {
            match status(&demo.tenant(i), demo.profile, VpnWindow::fleet(now), now) {
                None => without += 1,
                Some(v) if demo.name == TUNNEL_DOWN => assert_eq!((v.tunnels_up(), v.tunnels_total()), (1, 2)),
                Some(v) => assert_eq!(v.tunnels_up(), v.tunnels_total(), "{}", demo.name),
            }
        }
        assert!(without > 0 && without < DEMO_TENANTS.len() / 2, "{without} tenants without VPN");
    }

    #[test]
    fn the_down_tunnel_went_down_about_twenty_minutes_ago_after_an_earlier_flap() {
        let (now, v) = read(TUNNEL_DOWN, VpnWindow::fleet);
        let v = v.expect("polar-dairy has a VPN");
        let since = v.down()[0].since.expect("a change inside the window");
        assert!(since > now - Duration::minutes(20) && since <= now - Duration::minutes(15), "{since} vs {now}");
        let changes = &v.connections[0].tunnels[1].changes;
        assert_eq!(changes.iter().map(|c| c.up).collect::<Vec<_>>(), [false, true, false], "{changes:?}");
    }

    #[test]
    fn the_replaced_connection_is_silent_and_does_not_count() {
        let (_, v) = read(REPLACED, VpnWindow::fleet);
        let v = v.expect("lumen-energy has a VPN");
        assert_eq!((v.connections.len(), v.tunnels_total(), v.tunnels_up(), v.tunnels_silent()), (2, 2, 2, 2));
        // A window that ends before the replacement still shows the old connection reporting.
        let (_, earlier) =
            read(REPLACED, |now| VpnWindow { from: now - Duration::hours(6), to: now - Duration::hours(3) });
        assert_eq!(earlier.expect("both connections").tunnels_total(), 4);
    }
}
