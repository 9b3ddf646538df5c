//! The base SDK configuration and the per-account assumed-role configurations built from it.

use aws_config::identity::IdentityCache;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use silo_core::config::Config;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// Options from the command line that override the standard chain.
#[derive(Debug, Clone, Default)]
pub struct BaseOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
}

pub struct AwsContext {
    base: SdkConfig,
    /// The person every assumed session is named after (and carries as SourceIdentity).
    person: super::assume::Person,
    /// How long an action's one call may take (`fetch.write_timeout_secs`).
    write_timeout: Duration,
    /// One SdkConfig per (account, role, region), each with its own identity cache: the shared
    /// lazy cache holds only 64 partitions by default, which a fleet of tenants would thrash.
    assumed: Mutex<HashMap<(String, String, String), SdkConfig>>,
}

impl AwsContext {
    pub async fn load(config: &Config, options: &BaseOptions) -> AwsContext {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(https_client())
            .timeout_config(timeouts(config.fetch.timeout, config.fetch.request_budget()))
            .retry_config(RetryConfig::standard().with_max_attempts(config.fetch.max_attempts));
        if let Some(profile) = &options.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = options.region.clone().or_else(|| config.region.clone()) {
            loader = loader.region(Region::new(region));
        }
        let base = loader.load().await;
        AwsContext {
            base,
            person: super::assume::Person::default(),
            write_timeout: config.fetch.write_timeout,
            assumed: Mutex::new(HashMap::new()),
        }
    }

    pub fn base(&self) -> &SdkConfig {
        &self.base
    }

    pub fn base_region(&self) -> String {
        self.base.region().map(|r| r.to_string()).unwrap_or_else(|| "us-east-1".into())
    }

    /// The configuration for reading or acting in `account_id` through `role`. Credentials are
    /// fetched lazily on first use and refreshed by the identity cache before they expire.
    pub async fn assumed(&self, account_id: &str, role: &str, region: &str) -> SdkConfig {
        let key = (account_id.to_string(), role.to_string(), region.to_string());
        if let Some(found) = self.lock().get(&key) {
            return found.clone();
        }
        let built = self.build_assumed(account_id, role, region).await;
        self.lock().entry(key).or_insert(built).clone()
    }

    /// A configuration for `role` built for one use and never cached: the operator role is
    /// assumed at the moment of an action only. Its calls are never retried (a retried write whose
    /// first attempt succeeded would report a failure) and have the write timeout.
    pub(crate) async fn once(&self, account_id: &str, role: &str, region: &str) -> SdkConfig {
        let assumed = self.build_assumed(account_id, role, region).await;
        writes_only_once(assumed, self.write_timeout)
    }

    /// The ARN the base credentials act as (STS GetCallerIdentity).
    pub async fn caller_identity(&self) -> Result<String, silo_core::error::FetchError> {
        let sts = aws_sdk_sts::Client::new(&self.base);
        let out = sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| super::errors::classify(silo_core::model::AwsService::Sts, e))?;
        Ok(out.arn().unwrap_or("unknown").to_string())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String, String), SdkConfig>> {
        self.assumed.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn build_assumed(&self, account_id: &str, role: &str, region: &str) -> SdkConfig {
        let sts_config = self.base.to_builder().region(Region::new(self.base_region())).build();
        let provider = super::assume::AssumeRoleAsPerson {
            sts: aws_sdk_sts::Client::new(&sts_config),
            role_arn: role_arn(account_id, role, region),
            person: self.person.clone(),
        };
        self.base
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(provider))
            .identity_cache(IdentityCache::lazy().buffer_time(Duration::from_secs(300)).build())
            .region(Region::new(region.to_string()))
            .build()
    }
}

fn writes_only_once(sdk: SdkConfig, timeout: Duration) -> SdkConfig {
    sdk.to_builder().retry_config(RetryConfig::disabled()).timeout_config(timeouts(timeout, timeout)).build()
}

fn https_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    aws_smithy_http_client::Builder::new().tls_provider(tls::Provider::Rustls(CryptoMode::Ring)).build_https()
}

/// Each attempt gets `attempt`; the whole operation, with its retries, `budget`.
fn timeouts(attempt: Duration, budget: Duration) -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(5).min(attempt))
        .operation_attempt_timeout(attempt)
        .operation_timeout(budget)
        .build()
}

pub use silo_core::arn::{partition_of, role_arn};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arn_uses_region_partition() {
        assert_eq!(role_arn("111122223333", "R", "sa-east-1"), "arn:aws:iam::111122223333:role/R");
        assert_eq!(role_arn("111122223333", "R", "cn-north-1"), "arn:aws-cn:iam::111122223333:role/R");
    }

    #[test]
    fn the_operator_configuration_makes_one_attempt_within_the_write_timeout() {
        let base = SdkConfig::builder()
            .retry_config(RetryConfig::standard().with_max_attempts(3))
            .timeout_config(timeouts(Duration::from_secs(15), Duration::from_secs(49)))
            .build();
        let once = writes_only_once(base, Duration::from_secs(30));
        assert_eq!(once.retry_config().map(|r| r.max_attempts()), Some(1));
        let timeouts = once.timeout_config().cloned().unwrap_or_else(TimeoutConfig::disabled);
        assert_eq!(timeouts.operation_timeout(), Some(Duration::from_secs(30)));
        assert_eq!(timeouts.operation_attempt_timeout(), Some(Duration::from_secs(30)));
    }
}
