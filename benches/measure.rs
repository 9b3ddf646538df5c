//! Timing and memory helpers shared by the benchmarks.
#![allow(dead_code)]

use std::time::{Duration, Instant};

/// Runs `f` `runs` times: (mean, 99th percentile).
pub fn timed<F: FnMut()>(runs: usize, mut f: F) -> (Duration, Duration) {
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    samples.sort();
    let mean = samples.iter().sum::<Duration>() / runs as u32;
    (mean, samples[runs * 99 / 100])
}

/// Resident memory of this process, in MB.
pub fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
