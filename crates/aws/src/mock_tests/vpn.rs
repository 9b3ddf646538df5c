//! VPN tunnels through DescribeVpnConnections: moto serves the call but never fills
//! `VgwTelemetry`, so tunnel status is mocked here (tests/moto_vpn.rs covers the rest).

use aws_sdk_ec2::operation::describe_vpn_connections::DescribeVpnConnectionsOutput;
use aws_sdk_ec2::types::{TelemetryStatus, VgwTelemetry, VpnConnection, VpnState};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_types::DateTime;

fn telemetry(ip: &str, up: bool, secs: i64, message: &str) -> VgwTelemetry {
    VgwTelemetry::builder()
        .outside_ip_address(ip)
        .status(if up { TelemetryStatus::Up } else { TelemetryStatus::Down })
        .last_status_change(DateTime::from_secs(secs))
        .status_message(message)
        .build()
}

fn connection(id: &str, state: VpnState, tunnels: Vec<VgwTelemetry>) -> VpnConnection {
    VpnConnection::builder().vpn_connection_id(id).state(state).set_vgw_telemetry(Some(tunnels)).build()
}

#[tokio::test]
async fn tunnels_are_counted_and_a_down_one_keeps_its_message_sanitized() {
    let live = connection(
        "vpn-live",
        VpnState::Available,
        vec![
            telemetry("198.51.100.1", true, 1_700_000_000, ""),
            telemetry("198.51.100.2", false, 1_700_000_600, "IPSEC IS DOWN\u{1b}[31m"),
        ],
    );
    let gone = connection("vpn-gone", VpnState::Deleted, vec![telemetry("198.51.100.9", false, 1_600_000_000, "")]);
    let rule = mock!(aws_sdk_ec2::Client::describe_vpn_connections)
        .match_requests(|r| r.vpn_connection_ids().is_empty() && r.filters().is_empty())
        .then_output(move || {
            DescribeVpnConnectionsOutput::builder().vpn_connections(live.clone()).vpn_connections(gone.clone()).build()
        });
    let client = mock_client!(aws_sdk_ec2, RuleMode::Sequential, [&rule]);
    let status = crate::ec2::vpn(&client).await.expect("read").expect("a connection");
    assert_eq!(rule.num_calls(), 1, "one call for the whole account");
    assert_eq!(status.connections.len(), 1, "deleted connections are left out");
    assert_eq!((status.tunnels_up(), status.tunnels_total()), (1, 2));
    let down = status.down();
    assert_eq!(down[0].outside_ip, "198.51.100.2");
    assert_eq!(down[0].message, "IPSEC IS DOWN");
    assert_eq!(down[0].since.map(|t| t.timestamp()), Some(1_700_000_600));
}

#[tokio::test]
async fn an_account_with_only_deleted_connections_has_no_vpn() {
    let gone = connection("vpn-gone", VpnState::Deleted, vec![]);
    let rule = mock!(aws_sdk_ec2::Client::describe_vpn_connections)
        .then_output(move || DescribeVpnConnectionsOutput::builder().vpn_connections(gone.clone()).build());
    let client = mock_client!(aws_sdk_ec2, RuleMode::Sequential, [&rule]);
    assert_eq!(crate::ec2::vpn(&client).await.expect("read"), None);
}
