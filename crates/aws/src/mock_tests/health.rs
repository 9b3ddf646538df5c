//! AWS Health's organizational view: moto does not serve the Health API, so every call is mocked
//! and its exact request asserted (the filter, each event's ARN, the event/account pairs).

use aws_sdk_health::operation::describe_affected_accounts_for_organization::DescribeAffectedAccountsForOrganizationOutput;
use aws_sdk_health::operation::describe_affected_entities_for_organization::DescribeAffectedEntitiesForOrganizationOutput;
use aws_sdk_health::operation::describe_events_for_organization::DescribeEventsForOrganizationOutput;
use aws_sdk_health::types::{AffectedEntity, EventStatusCode, EventTypeCategory, OrganizationEvent};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_types::DateTime;
use chrono::TimeZone;

const OPEN: &str = "arn:aws:health:sa-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/1";
const CLOSED: &str = "arn:aws:health:us-east-1::event/RDS/AWS_RDS_MAINTENANCE/2";

fn event(arn: &str, status: EventStatusCode, start: i64) -> OrganizationEvent {
    OrganizationEvent::builder()
        .arn(arn)
        .service("EC2")
        .event_type_code("AWS_EC2_OPERATIONAL_ISSUE")
        .event_type_category(EventTypeCategory::Issue)
        .region("sa-east-1")
        .status_code(status)
        .start_time(DateTime::from_secs(start))
        .build()
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap()
}

#[tokio::test]
async fn events_of_the_last_week_with_accounts_and_the_entities_of_open_ones() {
    let since = (now() - chrono::Duration::days(7)).timestamp();
    let events = mock!(aws_sdk_health::Client::describe_events_for_organization)
        .match_requests(move |r| {
            let range = r.filter().and_then(|f| f.last_updated_time());
            range.and_then(|r| r.from()).map(|t| t.secs()) == Some(since) && r.next_token().is_none()
        })
        .then_output(|| {
            DescribeEventsForOrganizationOutput::builder()
                .events(event(CLOSED, EventStatusCode::Closed, 1_764_000_000))
                .events(event(OPEN, EventStatusCode::Open, 1_764_700_000))
                .build()
        });
    let open_accounts = mock!(aws_sdk_health::Client::describe_affected_accounts_for_organization)
        .match_requests(|r| r.event_arn() == Some(OPEN))
        .then_output(|| {
            DescribeAffectedAccountsForOrganizationOutput::builder()
                .affected_accounts("111111111111")
                .affected_accounts("222222222222")
                .build()
        });
    let closed_accounts = mock!(aws_sdk_health::Client::describe_affected_accounts_for_organization)
        .match_requests(|r| r.event_arn() == Some(CLOSED))
        .then_output(|| {
            DescribeAffectedAccountsForOrganizationOutput::builder().affected_accounts("333333333333").build()
        });
    let entities = mock!(aws_sdk_health::Client::describe_affected_entities_for_organization)
        .match_requests(|r| {
            let pairs: Vec<(&str, Option<&str>)> =
                r.organization_entity_account_filters().iter().map(|f| (f.event_arn(), f.aws_account_id())).collect();
            pairs == [(OPEN, Some("111111111111")), (OPEN, Some("222222222222"))]
        })
        .then_output(|| {
            let entity =
                AffectedEntity::builder().event_arn(OPEN).aws_account_id("111111111111").entity_value("i-0abc").build();
            DescribeAffectedEntitiesForOrganizationOutput::builder().entities(entity).build()
        });
    let client =
        mock_client!(aws_sdk_health, RuleMode::MatchAny, [&events, &closed_accounts, &open_accounts, &entities]);
    let read = crate::health::events(&client, now()).await.expect("events");
    assert_eq!(
        [events.num_calls(), open_accounts.num_calls(), closed_accounts.num_calls(), entities.num_calls()],
        [1, 1, 1, 1]
    );
    assert_eq!(read.iter().map(|e| e.arn.as_str()).collect::<Vec<_>>(), [OPEN, CLOSED], "open first");
    assert_eq!(read[0].entities_of("111111111111"), ["i-0abc"]);
    assert!(read[0].affects("222222222222") && read[1].affects("333333333333"));
    assert_eq!(read[0].status, "open");
}

#[tokio::test]
async fn a_missing_support_plan_says_what_the_health_api_needs() {
    let denied = mock!(aws_sdk_health::Client::describe_events_for_organization).then_error(|| {
        aws_sdk_health::operation::describe_events_for_organization::DescribeEventsForOrganizationError::generic(
            aws_smithy_types::error::ErrorMetadata::builder()
                .code("SubscriptionRequiredException")
                .message("The AWS Premium Support Subscription is required to use this service.")
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_health, RuleMode::Sequential, [&denied]);
    let err = crate::health::events(&client, now()).await.unwrap_err();
    assert!(err.message.contains("Business, Enterprise On-Ramp or Enterprise Support"), "{err}");
}

#[tokio::test]
async fn a_denied_organizational_view_names_the_api_that_enables_it() {
    let denied = mock!(aws_sdk_health::Client::describe_events_for_organization).then_error(|| {
        aws_sdk_health::operation::describe_events_for_organization::DescribeEventsForOrganizationError::generic(
            aws_smithy_types::error::ErrorMetadata::builder()
                .code("AccessDeniedException")
                .message("not allowed")
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_health, RuleMode::Sequential, [&denied]);
    let err = crate::health::events(&client, now()).await.unwrap_err();
    assert!(err.message.contains("EnableHealthServiceAccessForOrganization"), "{err}");
}
