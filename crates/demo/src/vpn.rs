//! The demo's site-to-site VPNs: most customers integrate through one connection with two
//! tunnels; polar-dairy's second tunnel dropped 20 minutes before now.

use super::tenants::Profile;
use chrono::{DateTime, Duration, Utc};
use silo_core::hash::hash;
use silo_core::model::Tenant;
use silo_core::vpn::{Tunnel, VpnConnection, VpnStatus};

/// The tenant whose tunnel is down.
pub const TUNNEL_DOWN: &str = "polar-dairy";

pub fn status(tenant: &Tenant, profile: Profile, now: DateTime<Utc>) -> Option<VpnStatus> {
    // Tenants being onboarded and a third of the rest have no VPN (they integrate over HTTPS).
    if profile == Profile::NoService || hash(&tenant.name, 21).is_multiple_of(3) {
        return None;
    }
    let id = hash(&tenant.account_id, 22);
    let up_since = now - Duration::days(3 + (id % 20) as i64) - Duration::minutes((id % 600) as i64);
    let down = tenant.name == TUNNEL_DOWN;
    let tunnel = |n: u64, up: bool, since: DateTime<Utc>| Tunnel {
        outside_ip: format!("203.0.113.{}", (id + n) % 250 + 1),
        up,
        status: if up { "UP" } else { "DOWN" }.into(),
        last_change: Some(since),
        message: if up { String::new() } else { "IPSEC IS DOWN".into() },
    };
    let connection = VpnConnection {
        vpn_id: format!("vpn-{:017x}", id % 0xfff_ffff_ffff_ffff),
        state: "available".into(),
        tunnels: vec![
            tunnel(0, true, up_since),
            tunnel(1, !down, if down { now - Duration::minutes(20) } else { up_since }),
        ],
    };
    Some(VpnStatus { connections: vec![connection] })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenants::DEMO_TENANTS;

    #[test]
    fn one_tenant_has_a_tunnel_down_since_twenty_minutes_and_others_have_none_or_all_up() {
        let now = Utc::now();
        let mut without = 0;
        for (i, demo) in DEMO_TENANTS.iter().enumerate() {
            let tenant = demo.tenant(i);
            match status(&tenant, demo.profile, now) {
                None => without += 1,
                Some(v) if demo.name == TUNNEL_DOWN => {
                    assert_eq!((v.tunnels_up(), v.tunnels_total()), (1, 2));
                    assert_eq!(v.down()[0].since, Some(now - Duration::minutes(20)));
                }
                Some(v) => assert_eq!(v.tunnels_up(), v.tunnels_total(), "{}", demo.name),
            }
        }
        assert!(without > 0 && without < DEMO_TENANTS.len() / 2, "{without} tenants without VPN");
    }
}
