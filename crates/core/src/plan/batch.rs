//! Confirming several plans at once (a fleet rollback, schedules for a wave).

use super::action::{ActionKind, ActionPlan};
use super::{deploy, schedule};

/// What the user types to confirm several plans in one go: the count, and what they do.
pub fn batch_confirmation(plans: &[ActionPlan]) -> String {
    match plans.first().map(|p| &p.kind) {
        Some(ActionKind::Schedule(_)) => schedule::batch_confirmation(plans),
        Some(
            ActionKind::Deploy(_)
            | ActionKind::FindingStatus { .. }
            | ActionKind::GuardDutyArchive { .. }
            | ActionKind::AthenaStatement { .. },
        )
        | None => deploy::batch_confirmation(plans),
    }
}
