//! Everything that talks to AWS, through the official SDK and the standard configuration chain
//! (env, profiles, SSO, AWS_ENDPOINT_URL). No terminal code here: this layer only returns data.

pub mod athena;
pub mod budgets;
pub mod cloudwatch;
pub mod codepipeline;
pub mod context;
pub mod costexplorer;
pub mod doctor;
pub mod ecs;
pub mod ecs_deploy;
pub mod errors;
pub mod guardduty;
pub mod metrics;
pub mod organizations;
pub mod pacer;
pub mod securityhub;
pub mod securityhub_v2;
pub mod source;
pub mod time;

pub use context::AwsContext;
pub use source::AwsSource;

#[cfg(test)]
mod mock_tests;
