//! VPN connections read with the SDK in each tenant account of an organization seeded in moto:
//! the connection is found where it was created and nowhere else (accounts stay isolated). moto
//! leaves `VgwTelemetry` empty, so tunnel status (up, down, since, message) is covered with
//! aws-smithy-mocks in `crates/aws/src/mock_tests/vpn.rs`.

mod support;

use support::seed;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenants_vpn_connection_is_read_in_its_own_account_only() {
    let org = seed::organization().await;
    let alpha = org.account("alpha-vpn", &org.tenants_ou, Some("alpha")).await;
    let beta = org.account("beta-vpn", &org.tenants_ou, Some("beta")).await;
    let inside_alpha = org.inside(&alpha).await;
    let vpn_id = seed::vpn_connection(&inside_alpha, "198.51.100.7").await;

    let read = silo_aws::ec2::vpn(&silo_aws::ec2::client(&inside_alpha, &alpha)).await.expect("alpha read");
    let status = read.expect("alpha has a connection");
    assert_eq!(status.connections.iter().map(|c| c.vpn_id.as_str()).collect::<Vec<_>>(), [vpn_id.as_str()]);
    assert_eq!(status.connections[0].state, "available");

    let inside_beta = org.inside(&beta).await;
    let none = silo_aws::ec2::vpn(&silo_aws::ec2::client(&inside_beta, &beta)).await.expect("beta read");
    assert_eq!(none, None, "beta has no VPN: the VPN column stays blank");
}
