//! Role credentials from STS AssumeRole with the person's name as the session name and as
//! `SourceIdentity` (aws-config's AssumeRoleProvider cannot set SourceIdentity). The identity
//! cache around it refreshes the credentials before they expire.

use aws_credential_types::provider::{self, error::CredentialsError, future, ProvideCredentials};
use aws_credential_types::Credentials;
use std::sync::Arc;
use std::time::SystemTime;
use tokio::sync::OnceCell;

/// Who acts: resolved once, from the base identity (GetCallerIdentity), shared by every role.
pub type Person = Arc<OnceCell<String>>;

#[derive(Debug)]
pub struct AssumeRoleAsPerson {
    /// STS with the base credentials.
    pub sts: aws_sdk_sts::Client,
    pub role_arn: String,
    pub person: Person,
}

impl ProvideCredentials for AssumeRoleAsPerson {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.assume())
    }
}

impl AssumeRoleAsPerson {
    async fn assume(&self) -> provider::Result {
        let person = resolve(&self.person, &self.sts).await;
        let call = self.sts.assume_role().role_arn(&self.role_arn).role_session_name(&person);
        let out = call.source_identity(&person).send().await.map_err(CredentialsError::provider_error)?;
        let c = out.credentials().ok_or_else(|| CredentialsError::unhandled("AssumeRole returned no credentials"))?;
        let expires = SystemTime::try_from(*c.expiration()).map_err(CredentialsError::unhandled)?;
        Ok(Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
            Some(expires),
            "AssumeRoleAsPerson",
        ))
    }
}

/// The person behind the base credentials; `silo-<login>` when the caller identity cannot be read.
pub async fn resolve(person: &Person, sts: &aws_sdk_sts::Client) -> String {
    let found = person.get_or_init(|| async {
        let arn = sts.get_caller_identity().send().await.ok().and_then(|o| o.arn().map(str::to_string));
        arn.as_deref().and_then(silo_core::identity::person_from_arn).unwrap_or_else(silo_core::identity::session_name)
    });
    found.await.clone()
}
