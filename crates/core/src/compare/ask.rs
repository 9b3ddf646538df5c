//! What a comparison asks (version, metric, window, tolerance), checked before anything is read,
//! and its on-demand read (`COMPARE`), keyed by the ask so each answer stays with its question.

use super::{metric, Method, Row};
use crate::metrics::MetricSpec;
use crate::model::AwsService;
use crate::reads::{Read, ReadKey};
use chrono::Duration;

/// The comparison's read: every tenant's deployments, then one metric read per tenant that moved
/// (the engine fans out within the limits; `calls` is not its budget, the limiter's per-read
/// timeouts are).
pub const COMPARE: Read<Comparison> = Read::new("compare", AwsService::Cloudwatch, 1);

/// The windows `:compare` steps through (`silo compare --window` takes any from 1m to 7d).
pub const WINDOWS: [&str; 5] = ["1h", "6h", "24h", "3d", "7d"];

/// The answer: how it was made, and the tenants worst first.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub method: Method,
    pub rows: Vec<Row>,
}

/// A checked question.
#[derive(Debug, Clone)]
pub struct Ask {
    pub version: String,
    pub metric: &'static MetricSpec,
    pub window: Duration,
    pub tolerance_percent: f64,
}

impl Ask {
    /// Checks the flags a person typed: a metric silo knows, a window of 1 minute to 7 days, a
    /// tolerance of 0 to 1000 percent, a version.
    pub fn parse(version: &str, metric_name: &str, window: &str, tolerance: f64) -> Result<Ask, String> {
        let metric = metric(metric_name).map_err(|e| format!("--metric: {e}"))?;
        let window = crate::timeline::parse_since(window).map_err(|e| e.replace("--since", "--window"))?;
        if window > Duration::days(7) {
            return Err(
                "--window: at most 7d (each side is read at one period; a longer one would blur the change)".into()
            );
        }
        if !(0.0..=1000.0).contains(&tolerance) {
            return Err(format!("--tolerance: expected 0 to 1000 (percent), found {tolerance}"));
        }
        let version = version.trim();
        if version.is_empty() {
            return Err("--version: expected an image tag such as 1.5.0".into());
        }
        Ok(Ask { version: version.to_string(), metric, window, tolerance_percent: tolerance })
    }

    /// Its read's key: the question, spelled out (`1.5.0|alb_latency_p99|360|20`).
    pub fn key(&self) -> ReadKey {
        let arg =
            format!("{}|{}|{}|{}", self.version, self.metric.id, self.window.num_minutes(), self.tolerance_percent);
        ReadKey { read: COMPARE.spec.name, account_id: None, arg }
    }

    /// The question back from its key.
    pub fn of_key(key: &ReadKey) -> Result<Ask, String> {
        let parts: Vec<&str> = key.arg.split('|').collect();
        let [version, metric, minutes, tolerance] = parts[..] else {
            return Err(format!("not a comparison: {:?}", key.arg));
        };
        let tolerance: f64 = tolerance.parse().map_err(|_| format!("not a tolerance: {tolerance:?}"))?;
        Ask::parse(version, metric, &format!("{minutes}m"), tolerance)
    }
}
