//! The fleet's VPN column: tunnels up of tunnels reporting, counted in the tenant's health.

use super::{VpnStatus, PERIOD_SECONDS};
use crate::column::{decode_as, line, CardLine, ColumnData, ColumnSpec, Scope};
use crate::model::{AwsService, Health};
use crate::role::Role;
use chrono::{DateTime, Utc};

pub const COLUMN: ColumnSpec = ColumnSpec {
    name: "vpn",
    title: "VPN",
    width: 8,
    priority: 2,
    service: AwsService::Cloudwatch,
    // One GetMetricData, paged at most once.
    scope: Scope::PerTenant { calls: 2 },
    // The metric's period: an answer younger than one point holds nothing newer.
    reuse_for: Some(std::time::Duration::from_secs(PERIOD_SECONDS as u64)),
    section: "VPN (site-to-site)",
    absent: ("connections", "none"),
    json: "vpn",
    csv: &["vpn_tunnels_up", "vpn_tunnels_total"],
    decode: decode_as::<VpnStatus>,
};

impl ColumnData for VpnStatus {
    fn cell(&self) -> (String, Role) {
        self.fleet_cell()
    }

    /// Tunnels down: the most broken connection sorts first.
    fn sort_key(&self) -> i64 {
        (self.tunnels_total() - self.tunnels_up()) as i64
    }

    fn health(&self) -> Health {
        self.tunnel_health()
    }

    fn report(&self) -> serde_json::Value {
        serde_json::to_value(self.report()).unwrap_or_default()
    }

    fn csv(&self) -> Vec<String> {
        vec![self.tunnels_up().to_string(), self.tunnels_total().to_string()]
    }

    fn card(&self, now: DateTime<Utc>) -> Vec<CardLine> {
        self.lines(now).into_iter().map(|(text, role)| line(text, role)).collect()
    }

    fn encode(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}
