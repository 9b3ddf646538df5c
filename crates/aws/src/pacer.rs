//! Client-side pacing for APIs with low, shared rate limits (Security Hub GetFindings,
//! CloudWatch DescribeAlarms), so silo stays inside the quota other tools share.

/// A token bucket for one caller's requests.
pub struct Pacer {
    interval: std::time::Duration,
    burst: u32,
    tokens: f64,
    last: tokio::time::Instant,
}

impl Pacer {
    /// Security Hub GetFindings: 3 requests a second with a burst of 6 on the administrator
    /// account, which other tools share.
    pub fn get_findings() -> Pacer {
        Pacer::new(std::time::Duration::from_millis(334), 6)
    }

    pub fn new(interval: std::time::Duration, burst: u32) -> Pacer {
        Pacer { interval, burst, tokens: f64::from(burst), last: tokio::time::Instant::now() }
    }

    /// Waits until a request may be sent, then takes a token.
    pub async fn wait(&mut self) {
        let now = tokio::time::Instant::now();
        let refill = (now - self.last).as_secs_f64() / self.interval.as_secs_f64();
        self.tokens = (self.tokens + refill).min(f64::from(self.burst));
        self.last = now;
        if self.tokens < 1.0 {
            let missing = (1.0 - self.tokens) * self.interval.as_secs_f64();
            tokio::time::sleep(std::time::Duration::from_secs_f64(missing)).await;
            self.last = tokio::time::Instant::now();
            self.tokens = 1.0;
        }
        self.tokens -= 1.0;
    }
}
