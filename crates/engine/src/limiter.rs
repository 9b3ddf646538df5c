//! Bounded concurrency for every fetch: one global budget and one per AWS account, plus an outer
//! timeout so a hung call can never stall a refresh. Shared by the AWS and demo sources.
//!
//! An account whose last call was throttled or timed out is "suspect": its calls take slots from a
//! small pool of their own (a quarter of the global budget), so a few slow or throttled tenants,
//! each holding a slot for its whole retry budget, cannot crowd the healthy ones out. A successful
//! call clears the mark.

use futures::FutureExt;
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::AwsService;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

#[derive(Debug)]
pub struct Limiter {
    global: Arc<Semaphore>,
    /// Slots for accounts whose last call was throttled or timed out.
    suspect_pool: Arc<Semaphore>,
    per_account: usize,
    accounts: Mutex<HashMap<String, Arc<Semaphore>>>,
    suspects: Mutex<std::collections::HashSet<String>>,
    timeout: Duration,
}

impl Limiter {
    pub fn new(global: usize, per_account: usize, timeout: Duration) -> Self {
        Limiter {
            global: Arc::new(Semaphore::new(global.max(1))),
            suspect_pool: Arc::new(Semaphore::new((global / 4).max(1))),
            per_account: per_account.max(1),
            accounts: Mutex::new(HashMap::new()),
            suspects: Mutex::new(std::collections::HashSet::new()),
            timeout,
        }
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    fn account(&self, account: &str) -> Arc<Semaphore> {
        let mut map = self.accounts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        map.entry(account.to_string()).or_insert_with(|| Arc::new(Semaphore::new(self.per_account))).clone()
    }

    /// Runs `work` once a global and a per-account slot are free; `calls` scales the outer
    /// timeout for work that pages through several requests.
    pub async fn run<T, F>(&self, service: AwsService, account: &str, calls: u32, work: F) -> Result<T, FetchError>
    where
        F: Future<Output = Result<T, FetchError>>,
    {
        let account_sem = self.account(account);
        let _account = account_sem.acquire().await.map_err(|_| closed(service))?;
        let pool = if self.is_suspect(account) { &self.suspect_pool } else { &self.global };
        let _global = pool.acquire().await.map_err(|_| closed(service))?;
        let budget = self.timeout * calls.max(1) + Duration::from_secs(1);
        // A read that panics (a silo bug) ends as its own error; the other reads go on.
        let guarded = std::panic::AssertUnwindSafe(work)
            .catch_unwind()
            .map(|outcome| outcome.unwrap_or_else(|panic| Err(panicked(service, panic.as_ref()))));
        let result = match tokio::time::timeout(budget, guarded).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::new(
                service,
                ErrorKind::TimedOut,
                format!("no answer from {service} within {}s", budget.as_secs()),
            )),
        };
        let slow = matches!(&result, Err(e) if matches!(e.kind, ErrorKind::Throttled | ErrorKind::TimedOut));
        self.mark(account, slow);
        result
    }

    pub fn is_suspect(&self, account: &str) -> bool {
        self.suspects.lock().map(|s| s.contains(account)).unwrap_or(false)
    }

    fn mark(&self, account: &str, suspect: bool) {
        if let Ok(mut suspects) = self.suspects.lock() {
            if suspect {
                suspects.insert(account.to_string());
            } else {
                suspects.remove(account);
            }
        }
    }
}

fn closed(service: AwsService) -> FetchError {
    FetchError::new(service, ErrorKind::Other, "fetch layer shut down")
}

/// The error a panicking read ends with, with the panic's message.
fn panicked(service: AwsService, payload: &(dyn std::any::Any + Send)) -> FetchError {
    let what = panic_text(payload);
    FetchError::new(
        service,
        ErrorKind::Other,
        format!("silo bug: this read panicked ({what}); the others are unaffected"),
    )
}

/// What a panic said, when it said it as text.
pub(crate) use silo_core::error::panic_text;

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(start_paused = true)]
    async fn per_account_limit_holds_and_other_accounts_proceed() {
        let limiter = Arc::new(Limiter::new(8, 2, Duration::from_secs(10)));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..6 {
            let (l, f, p) = (limiter.clone(), in_flight.clone(), peak.clone());
            tasks.push(tokio::spawn(async move {
                l.run(AwsService::Ecs, "111111111111", 1, async {
                    let now = f.fetch_add(1, Ordering::SeqCst) + 1;
                    p.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    f.fetch_sub(1, Ordering::SeqCst);
                    Ok::<_, FetchError>(())
                })
                .await
            }));
        }
        let other = limiter.run(AwsService::Ecs, "222222222222", 1, async { Ok::<_, FetchError>(7) }).await;
        assert_eq!(other, Ok(7));
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn throttled_accounts_wait_in_their_own_pool_and_healthy_ones_keep_the_main_one() {
        // Global 4: the suspect pool has 1 slot.
        let limiter = Arc::new(Limiter::new(4, 4, Duration::from_secs(60)));
        for account in ["s1", "s2", "s3", "s4"] {
            let throttled = FetchError::new(AwsService::Ecs, ErrorKind::Throttled, "Rate exceeded");
            let _ = limiter.run(AwsService::Ecs, account, 1, async { Err::<(), _>(throttled) }).await;
            assert!(limiter.is_suspect(account));
        }
        // Four slow calls of suspect accounts: without the pool they would take every global slot.
        let mut slow = Vec::new();
        for account in ["s1", "s2", "s3", "s4"] {
            let l = limiter.clone();
            slow.push(tokio::spawn(async move {
                l.run(AwsService::Ecs, account, 1, async {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    Ok::<_, FetchError>(())
                })
                .await
            }));
        }
        tokio::task::yield_now().await;
        let started = tokio::time::Instant::now();
        let healthy = limiter.run(AwsService::Ecs, "h1", 1, async { Ok::<_, FetchError>(1) }).await;
        assert_eq!(healthy, Ok(1));
        assert_eq!(started.elapsed(), Duration::ZERO, "the healthy call did not wait behind the suspects");
        for t in slow {
            t.await.unwrap().unwrap();
        }
        assert!(!limiter.is_suspect("s1"), "a success clears the mark");
    }

    #[tokio::test(start_paused = true)]
    async fn hung_work_times_out_as_data() {
        let limiter = Limiter::new(1, 1, Duration::from_secs(2));
        let result: Result<(), _> = limiter.run(AwsService::Cloudwatch, "1", 1, std::future::pending()).await;
        let err = result.unwrap_err();
        assert_eq!((err.service, err.kind), (AwsService::Cloudwatch, ErrorKind::TimedOut));
    }
}
