//! One throttled ListTagsForResource must not fail the fleet: moto never throttles, so the
//! fallback runs against aws-smithy-mocks with the exact requests asserted.

use aws_sdk_organizations::operation::list_accounts_for_parent::ListAccountsForParentOutput;
use aws_sdk_organizations::operation::list_organizational_units_for_parent::ListOrganizationalUnitsForParentOutput;
use aws_sdk_organizations::operation::list_tags_for_resource::{ListTagsForResourceError, ListTagsForResourceOutput};
use aws_sdk_organizations::types::{Account, AccountState, Tag};
use aws_smithy_mocks::{mock, mock_client, RuleMode};

const KEYS: crate::organizations::TagKeys<'static> =
    crate::organizations::TagKeys { name: "tenant", window: "maintenance-window", certified: "certified-versions" };

fn account(id: &str, name: &str) -> Account {
    Account::builder().id(id).name(name).state(AccountState::Active).build()
}

#[tokio::test]
async fn a_tenant_whose_tags_cannot_be_read_keeps_its_account_name_and_the_error() {
    let accounts = mock!(aws_sdk_organizations::Client::list_accounts_for_parent)
        .match_requests(|r| r.parent_id() == Some("ou-tenants"))
        .then_output(|| {
            let list = vec![account("111111111111", "alpha-prod"), account("222222222222", "beta-prod")];
            ListAccountsForParentOutput::builder().set_accounts(Some(list)).build()
        });
    let ous = mock!(aws_sdk_organizations::Client::list_organizational_units_for_parent)
        .then_output(|| ListOrganizationalUnitsForParentOutput::builder().build());
    let tagged = mock!(aws_sdk_organizations::Client::list_tags_for_resource)
        .match_requests(|r| r.resource_id() == Some("111111111111"))
        .then_output(|| {
            let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build().expect("tag");
            ListTagsForResourceOutput::builder()
                .tags(tag("tenant", "alpha"))
                .tags(tag("maintenance-window", "sun 02:00-04:00 America/Sao_Paulo"))
                .tags(tag("certified-versions", "1.4.x 1.5.0"))
                .build()
        });
    let throttled = mock!(aws_sdk_organizations::Client::list_tags_for_resource)
        .match_requests(|r| r.resource_id() == Some("222222222222"))
        .then_error(|| ListTagsForResourceError::unhandled("TooManyRequestsException: Rate exceeded"));
    let client = mock_client!(aws_sdk_organizations, RuleMode::MatchAny, [&accounts, &ous, &tagged, &throttled]);
    let listed = crate::organizations::tenant_accounts(&client, "ou-tenants", KEYS, 2).await.expect("listed");
    let names: Vec<(&str, &str)> = listed.iter().map(|a| (a.account_id.as_str(), a.name.as_str())).collect();
    assert_eq!(names, [("111111111111", "alpha"), ("222222222222", "beta-prod")]);
    assert!(listed[0].naming.is_none());
    let terms = &listed[0].terms;
    assert_eq!(terms.window.as_deref(), Some("sun 02:00-04:00 America/Sao_Paulo"), "from the same answer");
    assert_eq!(terms.certified.as_deref(), Some("1.4.x 1.5.0"));
    assert_eq!(listed[1].terms, silo_core::model::Terms::default(), "unread tags state no terms");
    let why = listed[1].naming.as_ref().map(|e| e.message.clone()).unwrap_or_default();
    assert!(why.starts_with("named after the account: its tag \"tenant\" could not be read"), "{why}");
    assert_eq!((tagged.num_calls(), throttled.num_calls()), (1, 1));
}
