//! VPN tunnels read with the SDK from CloudWatch (`AWS/VPN` `TunnelState`) in each tenant account
//! of an organization seeded in moto: the points AWS would publish are put into the tenant's
//! CloudWatch, and silo reads state, since when, changes and silence from them, in that account
//! only (accounts stay isolated). The exact requests are asserted in crates/aws/src/mock_tests/vpn.rs.

mod support;

use chrono::{Duration, Utc};
use silo_core::vpn::{TunnelChange, VpnWindow};
use support::seed;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenants_tunnels_are_read_from_its_own_cloudwatch_only() {
    let org = seed::organization().await;
    let alpha = org.account("alpha-vpn", &org.tenants_ou, Some("alpha")).await;
    let beta = org.account("beta-vpn", &org.tenants_ou, Some("beta")).await;
    let inside_alpha = org.inside(&alpha).await;
    // Every five minutes of the last hour; the second tunnel went down 15 minutes ago.
    let up: Vec<(i64, f64)> = (0..12).map(|i| (2 + 5 * i, 1.0)).collect();
    let dropped: Vec<(i64, f64)> = (0..12).map(|i| (2 + 5 * i, if 2 + 5 * i <= 17 { 0.0 } else { 1.0 })).collect();
    seed::tunnel_state(&inside_alpha, "vpn-0live", "198.51.100.1", &up).await;
    seed::tunnel_state(&inside_alpha, "vpn-0live", "198.51.100.2", &dropped).await;
    // A connection deleted about two hours ago: its series stopped then.
    seed::tunnel_state(&inside_alpha, "vpn-0gone", "198.51.100.9", &[(130, 1.0), (125, 1.0)]).await;

    let now = Utc::now();
    let client = silo_aws::cloudwatch::client(&inside_alpha, &alpha);
    let status =
        silo_aws::vpn::status(&client, VpnWindow::fleet(now)).await.expect("alpha read").expect("alpha has a VPN");
    let ids: Vec<&str> = status.connections.iter().map(|c| c.vpn_id.as_str()).collect();
    assert_eq!(ids, ["vpn-0gone", "vpn-0live"]);
    assert_eq!((status.tunnels_up(), status.tunnels_total(), status.tunnels_silent()), (1, 2, 1));
    let down = status.down();
    assert_eq!(down.iter().map(|d| d.outside_ip.as_str()).collect::<Vec<_>>(), ["198.51.100.2"]);
    let since = down[0].since.expect("the drop is inside the window");
    // The point 17 minutes ago is the first 0; its 5-minute period starts up to 5 minutes before.
    assert!(since >= now - Duration::minutes(23) && since <= now - Duration::minutes(12), "{since} vs {now}");
    let live = &status.connections[1];
    assert_eq!(live.tunnels[1].changes.iter().map(|c: &TunnelChange| c.up).collect::<Vec<_>>(), [false]);
    assert!(live.tunnels[0].changes.is_empty(), "a tunnel up all along has no change");

    let inside_beta = org.inside(&beta).await;
    let beta_client = silo_aws::cloudwatch::client(&inside_beta, &beta);
    let none = silo_aws::vpn::status(&beta_client, VpnWindow::fleet(now)).await.expect("beta read");
    assert_eq!(none, None, "beta has no VPN: the VPN column stays blank");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_window_before_the_drop_sees_both_tunnels_up() {
    let org = seed::organization().await;
    let gamma = org.account("gamma-vpn", &org.tenants_ou, Some("gamma")).await;
    let inside = org.inside(&gamma).await;
    let points: Vec<(i64, f64)> = (0..24).map(|i| (2 + 5 * i, if 2 + 5 * i <= 17 { 0.0 } else { 1.0 })).collect();
    seed::tunnel_state(&inside, "vpn-0gamma", "198.51.100.5", &points).await;

    let now = Utc::now();
    let earlier = VpnWindow { from: now - Duration::hours(2), to: now - Duration::minutes(30) };
    let client = silo_aws::cloudwatch::client(&inside, &gamma);
    let status = silo_aws::vpn::status(&client, earlier).await.expect("read").expect("a connection");
    assert_eq!((status.tunnels_up(), status.tunnels_total()), (1, 1));
    assert!(status.connections[0].tunnels[0].changes.is_empty(), "the drop is after the window");
}
