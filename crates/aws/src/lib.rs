//! Everything that talks to AWS, through the official SDK and the standard configuration chain
//! (env, profiles, SSO, AWS_ENDPOINT_URL). No terminal code here: this layer only returns data.

pub mod assume;
pub mod athena;
pub mod budgets;
pub mod cloudwatch;
pub mod codepipeline;
pub mod column_call;
pub mod columns;
pub mod configservice;
pub mod context;
pub mod controltower;
pub mod costexplorer;
pub mod deployments;
pub mod doctor;
pub mod doctor_deep;
pub mod ecr;
pub mod ecs;
pub mod ecs_deploy;
pub mod ecs_events;
pub mod errors;
pub mod guardduty;
pub mod health;
pub mod inspector;
pub mod metrics;
pub mod organizations;
pub mod pacer;
pub mod paging;
pub mod pipeline_runs;
pub mod probes;
pub mod queue;
pub mod releases;
pub mod scheduler;
pub mod scheduler_metrics;
pub mod securityhub;
pub mod securityhub_v2;
pub mod servicecatalog;
pub mod source;
pub mod time;
pub mod vpn;

pub use context::AwsContext;

use silo_core::detail::{DetailSpec, DetailValue};
use silo_core::error::FetchError;
use silo_core::model::Tenant;

/// Reads one tenant detail with the tenant's read-role configuration.
pub type DetailReader =
    fn(aws_config::SdkConfig, Tenant) -> futures::future::BoxFuture<'static, Result<DetailValue, FetchError>>;

/// The tenant-card details read from AWS, in card order. A new detail: its module above and a
/// line here (docs/architecture.md, "Adding a source").
pub const DETAILS: &[(DetailSpec, DetailReader)] = &[(silo_core::service_events::SPEC, ecs_events::read)];
pub use source::AwsSource;

#[cfg(test)]
mod mock_tests;
