//! After a write answered with an error or timed out, what is true now: the data layer re-reads
//! the state the change was meant to make, and this decides whether the change took effect
//! (a write whose answer was lost may well have run).

use super::deploy::change::DeployChange;
use crate::deploy::family_revision;

/// The state re-read after a failed write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// A service deployment's status and the status of the lifecycle hook the change named.
    Deployment { status: String, hook_status: Option<String> },
    /// The task definition (family:revision) the service runs.
    Service { task_definition: String },
    /// Whether the stage's inbound transition is enabled.
    Transition { enabled: bool },
}

/// What the re-read found and whether it shows the change in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reread {
    pub took_effect: bool,
    pub now: String,
}

impl DeployChange {
    /// Whether `seen` shows this change made.
    pub fn took_effect(&self, seen: &Seen) -> bool {
        match (self, seen) {
            (DeployChange::StopRollback { .. }, Seen::Deployment { status, .. }) => status.starts_with("ROLLBACK_"),
            (DeployChange::ContinueHook { .. }, Seen::Deployment { hook_status, .. }) => {
                // The hook no longer waits: the continue (or rollback) was taken.
                hook_status.as_deref().is_some_and(|s| s != "AWAITING_ACTION")
            }
            (DeployChange::UpdateService { to, .. }, Seen::Service { task_definition }) => {
                family_revision(to) == family_revision(task_definition)
            }
            (DeployChange::Freeze { .. }, Seen::Transition { enabled }) => !enabled,
            (DeployChange::Unfreeze { .. }, Seen::Transition { enabled }) => *enabled,
            (
                DeployChange::StopRollback { .. }
                | DeployChange::ContinueHook { .. }
                | DeployChange::UpdateService { .. }
                | DeployChange::Freeze { .. }
                | DeployChange::Unfreeze { .. },
                Seen::Deployment { .. } | Seen::Service { .. } | Seen::Transition { .. },
            ) => false,
        }
    }

    /// The re-read's verdict in words, for the outcome and the journal.
    pub fn reread(&self, seen: &Seen) -> Reread {
        Reread { took_effect: self.took_effect(seen), now: seen.describe() }
    }
}

impl Seen {
    pub fn describe(&self) -> String {
        match self {
            Seen::Deployment { status, hook_status: Some(hook) } => {
                format!("the deployment is {status}, its hook {hook}")
            }
            Seen::Deployment { status, hook_status: None } => format!("the deployment is {status}"),
            Seen::Service { task_definition } => format!("the service runs {task_definition}"),
            Seen::Transition { enabled: true } => "the stage's inbound transition is enabled".into(),
            Seen::Transition { enabled: false } => "the stage's inbound transition is disabled (frozen)".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(status: &str, hook: Option<&str>) -> Seen {
        Seen::Deployment { status: status.into(), hook_status: hook.map(str::to_string) }
    }

    #[test]
    fn a_stop_took_effect_once_the_deployment_rolls_back() {
        let stop = DeployChange::StopRollback { deployment_arn: "d".into() };
        assert!(stop.took_effect(&deployment("ROLLBACK_REQUESTED", None)));
        assert!(stop.took_effect(&deployment("ROLLBACK_IN_PROGRESS", None)));
        assert!(!stop.took_effect(&deployment("IN_PROGRESS", None)));
    }

    #[test]
    fn a_continue_took_effect_once_the_hook_stops_waiting() {
        let cont =
            DeployChange::ContinueHook { deployment_arn: "d".into(), hook_id: "h".into(), action: "CONTINUE".into() };
        assert!(!cont.took_effect(&deployment("IN_PROGRESS", Some("AWAITING_ACTION"))));
        assert!(cont.took_effect(&deployment("IN_PROGRESS", Some("SUCCEEDED"))));
        assert!(!cont.took_effect(&deployment("IN_PROGRESS", None)));
    }

    #[test]
    fn an_update_took_effect_when_the_service_runs_the_target_whatever_the_arn_form() {
        let update = DeployChange::UpdateService {
            cluster: "c".into(),
            service: "s".into(),
            from: "app:7".into(),
            to: "arn:aws:ecs:sa-east-1:1:task-definition/app:5".into(),
        };
        assert!(update.took_effect(&Seen::Service { task_definition: "app:5".into() }));
        assert!(!update.took_effect(&Seen::Service { task_definition: "app:7".into() }));
    }

    #[test]
    fn freeze_and_unfreeze_are_judged_by_the_transition_and_nothing_else() {
        let freeze = DeployChange::Freeze { pipeline: "p".into(), stage: "s".into(), reason: "r".into() };
        let unfreeze = DeployChange::Unfreeze { pipeline: "p".into(), stage: "s".into(), frozen_at: None };
        assert!(freeze.took_effect(&Seen::Transition { enabled: false }));
        assert!(!freeze.took_effect(&Seen::Transition { enabled: true }));
        assert!(unfreeze.took_effect(&Seen::Transition { enabled: true }));
        assert!(!unfreeze.took_effect(&deployment("ROLLBACK_REQUESTED", None)));
    }
}
