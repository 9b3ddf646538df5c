//! AssumeRole with SourceIdentity: moto accepts the parameter but keeps no record of it, so the
//! exact request is asserted against aws-smithy-mocks.

use aws_credential_types::provider::ProvideCredentials;
use aws_sdk_sts::operation::assume_role::AssumeRoleOutput;
use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput;
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_types::DateTime;

const SSO: &str = "arn:aws:sts::100000000001:assumed-role/AWSReservedSSO_OnCall_0123abcd/maria.silva@opsfactor.io";

#[tokio::test]
async fn every_assumed_session_is_named_after_the_person_and_carries_it_as_source_identity() {
    let who = mock!(aws_sdk_sts::Client::get_caller_identity)
        .then_output(|| GetCallerIdentityOutput::builder().arn(SSO).build());
    let assume = mock!(aws_sdk_sts::Client::assume_role)
        .match_requests(|r| {
            r.role_arn() == Some("arn:aws:iam::111122223333:role/SiloOperator")
                && r.role_session_name() == Some("maria.silva@opsfactor.io")
                && r.source_identity() == Some("maria.silva@opsfactor.io")
        })
        .then_output(|| {
            let credentials = aws_sdk_sts::types::Credentials::builder()
                .access_key_id("ASIAEXAMPLE")
                .secret_access_key("secret")
                .session_token("token")
                .expiration(DateTime::from_secs(4_000_000_000))
                .build()
                .expect("complete credentials");
            AssumeRoleOutput::builder().credentials(credentials).build()
        });
    let sts = mock_client!(aws_sdk_sts, RuleMode::MatchAny, [&who, &assume]);
    let person = crate::assume::Person::default();
    for role in ["SiloOperator", "SiloOperator"] {
        let provider = crate::assume::AssumeRoleAsPerson {
            sts: sts.clone(),
            role_arn: format!("arn:aws:iam::111122223333:role/{role}"),
            person: person.clone(),
        };
        let credentials = provider.provide_credentials().await.expect("assumed");
        assert_eq!(credentials.access_key_id(), "ASIAEXAMPLE");
    }
    assert_eq!(assume.num_calls(), 2);
    assert_eq!(who.num_calls(), 1, "the person is read once and remembered");
}
