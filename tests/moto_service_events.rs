//! ECS service events, the tenant-card detail walked through the "Adding a source" recipe, read
//! with the SDK from a tenant account of an organization seeded in moto. moto keeps a service's
//! `events` empty, so the events themselves (order, cap, sanitizing) are covered with
//! aws-smithy-mocks in `crates/aws/src/mock_tests/service_events.rs`.

mod support;

use silo_core::error::ErrorKind;
use silo_core::model::Tenant;
use support::seed;

fn tenant(name: &str, account_id: &str) -> Tenant {
    Tenant {
        name: name.into(),
        account_id: account_id.into(),
        region: "us-east-1".into(),
        ecs_cluster: name.into(),
        ecs_service: "app".into(),
        terms: Default::default(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_are_read_in_the_tenants_account_and_a_missing_service_is_not_found() {
    let org = seed::organization().await;
    let alpha = org.account("alpha-prod", &org.tenants_ou, Some("alpha")).await;
    let epsilon = org.account("epsilon-prod", &org.tenants_ou, Some("epsilon")).await;
    let inside_alpha = org.inside(&alpha).await;
    seed::ecs_service(&inside_alpha, "alpha", 2).await;

    let client = aws_sdk_ecs::Client::new(&inside_alpha);
    let events = silo_aws::ecs_events::events(&client, &tenant("alpha", &alpha)).await.expect("events read");
    assert!(events.events.len() <= silo_core::service_events::SHOWN);

    let inside_epsilon = aws_sdk_ecs::Client::new(&org.inside(&epsilon).await);
    let err = silo_aws::ecs_events::events(&inside_epsilon, &tenant("epsilon", &epsilon)).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound, "{err}");
    assert!(err.message.contains("epsilon"), "names the cluster: {err}");
}
