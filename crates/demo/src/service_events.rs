//! Simulated ECS service events: what ECS would say about each profile's service — steady states
//! for healthy tenants, started tasks during a rollout, a failed deployment and the task that
//! could not start, a stopped task and an unplaceable one for a degraded tenant. Times move on with
//! the demo's steps.

use super::{hash, Profile};
use chrono::{DateTime, Duration, Utc};
use silo_core::detail::DetailValue;
use silo_core::error::{ErrorKind, FetchError};
use silo_core::model::{AwsService, Tenant};
use silo_core::service_events::{ServiceEvent, ServiceEvents};

/// The detail reader registered in `lib.rs`.
pub fn read(tenant: &Tenant, profile: Profile, step: u64, now: DateTime<Utc>) -> Result<DetailValue, FetchError> {
    if profile == Profile::NoService {
        let message = format!("ECS service {} not found in cluster {}", tenant.ecs_service, tenant.ecs_cluster);
        return Err(FetchError::new(AwsService::Ecs, ErrorKind::NotFound, message));
    }
    Ok(DetailValue::new(ServiceEvents::new(events(tenant, profile, step, now))))
}

pub(crate) fn events(tenant: &Tenant, profile: Profile, step: u64, now: DateTime<Utc>) -> Vec<ServiceEvent> {
    let svc = &tenant.ecs_service;
    let task = |salt: u64| format!("{:032x}", u128::from(hash(&tenant.account_id, salt + step)) << 64 | 0xa1);
    let ago = |minutes: i64| Some(now - Duration::minutes(minutes));
    let event = |minutes: i64, message: String| ServiceEvent { at: ago(minutes), message };
    let mut list = steady_states(tenant, now);
    match profile {
        Profile::Deploying => {
            list.push(event(1, format!("(service {svc}) has started 2 tasks: (task {}).", task(1))));
            list.push(event(3, format!("(service {svc}) has begun draining connections on 1 tasks.")));
        }
        Profile::DeployFailed => {
            let deployment = format!("ecs-svc/{}", hash(&tenant.account_id, 3) % 10_000_000_000_000_000);
            list.push(event(
                14,
                format!("(service {svc}) (deployment {deployment}) deployment failed: tasks failed to start."),
            ));
            list.push(event(17, format!("(service {svc}) failed to launch a task with (error CannotPullContainerError: pull image manifest has been retried 5 time(s): image tag not found).")));
        }
        Profile::Degraded => {
            list.push(event(6, format!("(service {svc}) was unable to place a task because no container instance met all of its requirements. Reason: insufficient memory.")));
            list.push(event(9, format!("(service {svc}) has stopped 1 running tasks: (task {}).", task(2))));
        }
        Profile::DeployPaused => {
            list.push(event(
                8,
                format!("(service {svc}) deployment is waiting at lifecycle hook POST_TEST_TRAFFIC_SHIFT."),
            ));
        }
        Profile::Healthy
        | Profile::Flapping
        | Profile::Compromised
        | Profile::OverBudget
        | Profile::ForecastOver
        | Profile::NoBudget
        | Profile::RoleDenied
        | Profile::BatchBacklog
        | Profile::NoService => {}
    }
    list
}

/// ECS reports a steady state about every six hours while nothing changes.
fn steady_states(tenant: &Tenant, now: DateTime<Utc>) -> Vec<ServiceEvent> {
    let first = 20 + (hash(&tenant.account_id, 4) % 300) as i64;
    (0..4)
        .map(|i| ServiceEvent {
            at: Some(now - Duration::minutes(first + i * 360)),
            message: format!("(service {}) has reached a steady state.", tenant.ecs_service),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DemoOrg;

    fn tenant(name: &str) -> (Tenant, Profile) {
        let demo = DemoOrg::frozen(0);
        let i = crate::DEMO_TENANTS.iter().position(|t| t.name == name).unwrap();
        (demo.tenants()[i].clone(), crate::DEMO_TENANTS[i].profile)
    }

    #[test]
    fn a_failed_deployment_says_why_and_healthy_tenants_are_steady() {
        let now = Utc::now();
        let (failed, profile) = tenant("delta-aero");
        let events = events(&failed, profile, 3, now);
        assert!(events.iter().any(|e| e.message.contains("deployment failed")), "{events:?}");
        let (healthy, profile) = tenant("aurora-foods");
        let kept = ServiceEvents::new(events_of(&healthy, profile, now));
        assert!(kept.events.iter().all(|e| e.message.ends_with("has reached a steady state.")));
    }

    fn events_of(t: &Tenant, p: Profile, now: DateTime<Utc>) -> Vec<ServiceEvent> {
        events(t, p, 0, now)
    }

    #[test]
    fn a_tenant_without_its_service_has_no_events_but_an_error() {
        let (onboarding, profile) = tenant("rivet-industrial");
        let err = read(&onboarding, profile, 0, Utc::now()).unwrap_err();
        assert_eq!((err.service, err.kind), (AwsService::Ecs, ErrorKind::NotFound));
    }
}
