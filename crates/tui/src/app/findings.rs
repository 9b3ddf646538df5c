//! Finding actions beyond the list: the workflow-status plan built from the triage popup's
//! answers, shown for its typed confirmation (or why there is none).

use super::{Action, App};
use crate::modals::confirm::ConfirmState;
use crate::modals::Modal;
use silo_core::findings::Finding;
use silo_core::plan::ActionPlan;
use silo_core::role::Role;

pub fn plan_status(app: &mut App, ids: &[String], status: &str, note: &str) -> Option<Action> {
    let chosen: Vec<&Finding> = app.store.all_findings().filter(|f| ids.contains(&f.id)).collect();
    let target = (app.session.audit.account_id.as_str(), app.session.audit.region.as_str());
    match ActionPlan::finding_status(&chosen, status, note, target, &app.session.user) {
        Ok(plan) => {
            let plan = match app.store.findings_read_at() {
                Some(at) => plan.read_at(at),
                None => plan,
            };
            app.modals.push(Modal::Confirm(ConfirmState::new(plan, &app.store.shared_names())))
        }
        Err(e) => app.status = Some((format!("cannot act: {e}"), Role::Error)),
    }
    None
}

/// A finding action was sent: the marks it used are spent.
pub fn started(app: &mut App, plan: &ActionPlan) -> String {
    app.views.findings.marked.clear();
    format!("{} finding(s)", plan.targets.len())
}
