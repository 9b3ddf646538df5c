//! ECS service events through DescribeServices: moto keeps `events` empty, so the answer is
//! mocked and the exact request (cluster and service of the tenant) asserted.

use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
use aws_sdk_ecs::types::{Service, ServiceEvent};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_types::DateTime;
use silo_core::model::Tenant;

fn tenant() -> Tenant {
    Tenant {
        name: "acme".into(),
        account_id: "111122223333".into(),
        region: "sa-east-1".into(),
        ecs_cluster: "acme-prod".into(),
        ecs_service: "app".into(),
        terms: Default::default(),
    }
}

fn event(secs: i64, message: &str) -> ServiceEvent {
    ServiceEvent::builder().id(format!("e{secs}")).created_at(DateTime::from_secs(secs)).message(message).build()
}

#[tokio::test]
async fn newest_first_sanitized_from_the_tenants_service() {
    let events: Vec<ServiceEvent> = (0..12).map(|i| event(1_700_000_000 + i * 60, &format!("event {i}"))).collect();
    let mut events = events;
    events.push(event(1_700_000_900, "(service app) was unable to place a task\u{1b}[2J."));
    let service = Service::builder().service_name("app").status("ACTIVE").set_events(Some(events)).build();
    let rule = mock!(aws_sdk_ecs::Client::describe_services)
        .match_requests(|r| r.cluster() == Some("acme-prod") && r.services() == ["app".to_string()])
        .then_output(move || DescribeServicesOutput::builder().services(service.clone()).build());
    let client = mock_client!(aws_sdk_ecs, RuleMode::Sequential, [&rule]);
    let read = crate::ecs_events::events(&client, &tenant()).await.expect("events");
    assert_eq!(rule.num_calls(), 1, "the exact request was sent once");
    assert_eq!(read.events.len(), silo_core::service_events::SHOWN);
    assert_eq!(read.events[0].message, "(service app) was unable to place a task.");
    assert_eq!(read.events[1].message, "event 11");
}

#[tokio::test]
async fn an_inactive_service_is_not_found() {
    let service = Service::builder().service_name("app").status("INACTIVE").build();
    let rule = mock!(aws_sdk_ecs::Client::describe_services)
        .then_output(move || DescribeServicesOutput::builder().services(service.clone()).build());
    let client = mock_client!(aws_sdk_ecs, RuleMode::Sequential, [&rule]);
    let err = crate::ecs_events::events(&client, &tenant()).await.unwrap_err();
    assert_eq!(err.kind, silo_core::error::ErrorKind::NotFound);
}
