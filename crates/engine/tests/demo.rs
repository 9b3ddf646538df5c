//! A full refresh of the demo organization through the fetcher. Moved from the demo crate's unit
//! tests (the demo does not depend on the engine).

use silo_core::error::ErrorKind;
use silo_core::model::AwsService;
use silo_core::store::Store;
use silo_demo::{DemoOrg, DEMO_TENANTS};
use silo_engine::{Fetcher, Limiter};
use std::sync::Arc;
use std::time::Duration;

#[tokio::test]
async fn full_refresh_fills_every_tenant_and_denied_role_shows_as_error() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let limiter = Arc::new(Limiter::new(8, 2, Duration::from_secs(5)));
    let fetcher = Fetcher::new(Arc::new(DemoOrg::frozen(0)), limiter, tx);
    fetcher.refresh().await;
    let mut store = Store::default();
    while let Ok(event) = rx.try_recv() {
        store.apply(event);
    }
    assert_eq!(store.tenants.len(), DEMO_TENANTS.len());
    assert_eq!(store.loaded_count(), DEMO_TENANTS.len());
    let denied = store.tenant_by_name("kestrel-motors").unwrap();
    let errors = denied.errors();
    assert_eq!(errors.len(), 1, "same STS error on both slots is reported once");
    assert_eq!((errors[0].service, errors[0].kind), (AwsService::Sts, ErrorKind::Denied));
    let compromised = store.tenant_by_name("fjord-logistics").unwrap();
    assert!(compromised.findings().unwrap().critical >= 3);
    assert_eq!(store.tenant_by_name("jade-beverages").unwrap().spend.value(), Some(&None));
}
