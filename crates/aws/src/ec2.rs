//! A tenant's site-to-site VPN connections: EC2 DescribeVpnConnections with the read role, one
//! call per tenant and refresh (the API has no pages). Tunnel status is `VgwTelemetry`.

use super::errors::classify;
use super::time::to_chrono;
use aws_sdk_ec2::types::{TelemetryStatus, VgwTelemetry, VpnConnection as SdkConnection, VpnState};
use aws_sdk_ec2::Client;
use silo_core::error::FetchError;
use silo_core::model::AwsService;
use silo_core::sanitize::{clean, clean_truncated};
use silo_core::vpn::{Tunnel, VpnConnection, VpnStatus};

pub fn client(sdk: &aws_config::SdkConfig, account_id: &str) -> Client {
    let conf = aws_sdk_ec2::config::Builder::from(sdk)
        .retry_partition(aws_smithy_runtime::client::retries::RetryPartition::new(format!("ec2-{account_id}")))
        .build();
    Client::from_conf(conf)
}

/// The account's connections that are not deleted; None when there is none.
pub async fn vpn(client: &Client) -> Result<Option<VpnStatus>, FetchError> {
    let out = client.describe_vpn_connections().send().await.map_err(|e| classify(AwsService::Ec2, e))?;
    let connections: Vec<VpnConnection> =
        out.vpn_connections().iter().filter(|c| c.state() != Some(&VpnState::Deleted)).map(connection).collect();
    Ok((!connections.is_empty()).then_some(VpnStatus { connections }))
}

fn connection(c: &SdkConnection) -> VpnConnection {
    VpnConnection {
        vpn_id: clean(c.vpn_connection_id().unwrap_or("?")),
        state: c.state().map(|s| clean(s.as_str())).unwrap_or_default(),
        tunnels: c.vgw_telemetry().iter().map(tunnel).collect(),
    }
}

fn tunnel(t: &VgwTelemetry) -> Tunnel {
    Tunnel {
        outside_ip: clean(t.outside_ip_address().unwrap_or("?")),
        up: t.status() == Some(&TelemetryStatus::Up),
        status: t.status().map(|s| clean(s.as_str())).unwrap_or_else(|| "UNKNOWN".into()),
        last_change: t.last_status_change().and_then(to_chrono),
        message: clean_truncated(t.status_message().unwrap_or(""), 200),
    }
}
