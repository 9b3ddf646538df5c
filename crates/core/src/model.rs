//! Domain types shared by the AWS layer, the demo organization, the store and the views.
//! Serialized field names are part of the JSON contract in docs/cli.md: add, never rename.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A customer of the SaaS: one AWS account with one ECS service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub name: String,
    pub account_id: String,
    pub region: String,
    pub ecs_cluster: String,
    pub ecs_service: String,
    /// What the customer agreed for updates: its window and certified versions, as written
    /// (account tags or static config); parsed where they are used, an error on this tenant only.
    #[serde(default)]
    pub terms: Terms,
}

/// A customer's update terms, as its account tags (`[tenants] window_tag`, `certified_tag`) or
/// its static entry say them; None: not stated.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Terms {
    pub window: Option<String>,
    pub certified: Option<String>,
}

/// The AWS service a piece of tenant data came from; the `source` of an error in the JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AwsService {
    Sts,
    Ecs,
    Cloudwatch,
    Securityhub,
    Guardduty,
    Budgets,
    Organizations,
    Codepipeline,
    Athena,
    Health,
    Config,
    Scheduler,
    ServiceCatalog,
    Ecr,
    /// Amazon Inspector (its API and IAM prefix: `inspector2`).
    #[serde(rename = "inspector2")]
    Inspector,
    ControlTower,
}

impl AwsService {
    pub fn as_str(self) -> &'static str {
        match self {
            AwsService::Sts => "sts",
            AwsService::Ecs => "ecs",
            AwsService::Cloudwatch => "cloudwatch",
            AwsService::Securityhub => "securityhub",
            AwsService::Guardduty => "guardduty",
            AwsService::Budgets => "budgets",
            AwsService::Organizations => "organizations",
            AwsService::Codepipeline => "codepipeline",
            AwsService::Athena => "athena",
            AwsService::Health => "health",
            AwsService::Config => "config",
            AwsService::Scheduler => "scheduler",
            AwsService::ServiceCatalog => "servicecatalog",
            AwsService::Ecr => "ecr",
            AwsService::Inspector => "inspector2",
            AwsService::ControlTower => "controltower",
        }
    }
}

impl fmt::Display for AwsService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// State of the primary ECS deployment, as ECS reports its `rolloutState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Rollout {
    Completed,
    InProgress,
    Failed,
    Unknown,
}

impl Rollout {
    pub fn parse(value: &str) -> Self {
        match value {
            "COMPLETED" => Rollout::Completed,
            "IN_PROGRESS" => Rollout::InProgress,
            "FAILED" => Rollout::Failed,
            _ => Rollout::Unknown,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Rollout::Completed => "completed",
            Rollout::InProgress => "in progress",
            Rollout::Failed => "failed",
            Rollout::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSummary {
    pub cluster: String,
    pub name: String,
    pub desired: i32,
    pub running: i32,
    pub pending: i32,
    /// `family:revision`, taken from the task definition ARN.
    pub task_definition: String,
    pub rollout: Rollout,
    /// The essential container's image of that task definition (added field).
    #[serde(default)]
    pub image: Option<String>,
    /// The image's tag: the version the tenant runs (`registry/app:1.4.0` → `1.4.0`; added field).
    #[serde(default)]
    pub version: Option<String>,
}

/// Tenant health, ordered from best to worst so `max` gives the worst of the parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Health {
    Ok,
    Unknown,
    Warning,
    Critical,
}

impl Health {
    pub fn label(self) -> &'static str {
        match self {
            Health::Ok => "ok",
            Health::Unknown => "unknown",
            Health::Warning => "warning",
            Health::Critical => "critical",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_orders_worst_last() {
        let worst = [Health::Ok, Health::Critical, Health::Unknown].into_iter().max();
        assert_eq!(worst, Some(Health::Critical));
        assert!(Health::Unknown > Health::Ok && Health::Warning > Health::Unknown);
    }
}
