//! The typed confirmation of headless actions: the expected text read from the terminal. With no
//! terminal (and no `--yes`) nothing is asked and the action is refused and journaled as such.

use anyhow::{bail, Result};
use silo_core::actions::Actions;
use silo_core::plan::{ActionPlan, SequenceStep, StepOutcome};
use std::io::{BufRead, IsTerminal};

/// Asks for `expected` on the terminal; Err says why the action is not confirmed.
fn ask(expected: &str) -> std::result::Result<(), String> {
    if !std::io::stdin().is_terminal() {
        return Err("no terminal to confirm on; pass --yes to confirm non-interactively".into());
    }
    say_inline!("Type {expected:?} to confirm (anything else cancels): ");
    let mut line = String::new();
    if let Err(e) = std::io::stdin().lock().read_line(&mut line) {
        return Err(format!("cannot read the confirmation: {e}"));
    }
    if line.trim_end_matches(['\n', '\r']) != expected {
        return Err("the typed text did not match".into());
    }
    Ok(())
}

/// Confirms `plans` (one typed answer for all of them) unless `yes`; a refusal is journaled for
/// every plan and nothing runs. `--yes` on more than one tenant also needs `--expect` with their
/// number, so a selection wider than meant (a loose `--image`) changes nothing.
pub async fn confirm(
    actions: &Actions,
    plans: &[ActionPlan],
    expected: &str,
    yes: bool,
    expect: Option<usize>,
) -> Result<()> {
    if yes {
        return expected_count(actions, plans, expect).await;
    }
    if let Err(why) = ask(expected) {
        for plan in plans {
            actions.refuse_unconfirmed(plan, &why).await;
        }
        bail!("refused: {why}; nothing was changed");
    }
    Ok(())
}

/// The accounts the plans touch, each once, in name order: by tenant name, or by account id for
/// non-tenant accounts; a name two accounts share is said with each account id, and each counts
/// (`--expect` counts accounts, not names).
pub fn selection(plans: &[ActionPlan]) -> Vec<String> {
    let mut accounts: Vec<(String, String)> = plans
        .iter()
        .flat_map(|p| &p.targets)
        .map(|t| (t.tenant.clone().unwrap_or_else(|| t.account_id.clone()), t.account_id.clone()))
        .collect();
    accounts.sort();
    accounts.dedup();
    let shared = |name: &str| accounts.iter().filter(|(n, _)| n == name).count() > 1;
    accounts
        .iter()
        .map(|(name, account)| if shared(name) { format!("{name} ({account})") } else { name.clone() })
        .collect()
}

async fn expected_count(actions: &Actions, plans: &[ActionPlan], expect: Option<usize>) -> Result<()> {
    let chosen = selection(plans);
    match expect {
        Some(n) if n == chosen.len() => return Ok(()),
        None if chosen.len() <= 1 => return Ok(()),
        Some(_) | None => {}
    }
    let why = match expect {
        Some(n) => format!("--expect {n} but {} tenants are selected", chosen.len()),
        None => format!("--yes on {} tenants also needs --expect {}", chosen.len(), chosen.len()),
    };
    for plan in plans {
        actions.refuse_unconfirmed(plan, &why).await;
    }
    bail!("refused: {why}; nothing was changed. Selected: {}", chosen.join(", "))
}

/// Dry-runs the plans (None), or confirms them (the typed `expected`, or `--yes`) and runs them in
/// order, stopping at the first failure: their steps. `report` hears of each step as it ends. A
/// signal (Ctrl-C, SIGTERM, SIGHUP) lets the call in progress finish and journal, and stops the
/// steps after it (journaled `aborted`) instead of killing silo mid-call.
pub async fn dry_run_or_run(
    actions: &Actions,
    plans: Vec<ActionPlan>,
    args: &crate::cli::PlanArgs,
    expected: &str,
    report: impl Fn(usize, usize, &SequenceStep),
) -> Result<Option<Vec<SequenceStep>>> {
    if args.dry_run {
        for plan in &plans {
            actions.dry_run(plan).await?;
        }
        println!("dry run: nothing was changed");
        return Ok(None);
    }
    confirm(actions, &plans, expected, args.yes, args.expect).await?;
    let stop = crate::headless::abort_on_signal(actions.clone());
    let results = actions.execute_in_order(plans, report).await;
    stop.abort();
    Ok(Some(results))
}

/// Prints how each step ended; the first tenant whose change was not made, if any.
pub fn print_steps(results: &[SequenceStep]) -> Option<String> {
    let mut failed = None;
    for step in results {
        match &step.outcome {
            StepOutcome::Done(ids) => println!("{}: {} done (request {ids})", step.tenant, step.api),
            StepOutcome::Failed(e) => {
                say!("{}: {} failed: {e}", step.tenant, step.api);
                failed = failed.or(Some(step.tenant.clone()));
            }
            StepOutcome::NotAttempted => say!("{}: not attempted (an earlier tenant failed)", step.tenant),
            StepOutcome::Aborted => {
                say!("{}: aborted (a signal asked silo to stop before it started)", step.tenant);
                failed = failed.or(Some(step.tenant.clone()));
            }
        }
    }
    failed
}

#[cfg(test)]
mod tests {
    use super::*;
    use silo_core::plan::Target;

    fn touching(targets: &[(&str, &str)]) -> ActionPlan {
        let statement = silo_core::queries::statement::classify("DROP TABLE t").expect("a statement");
        let request = silo_core::queries::run::QueryRequest {
            name: "x".into(),
            sql: "DROP TABLE t".into(),
            parameters: vec![],
            tenant: None,
        };
        let mut plan = ActionPlan::athena_statement(&request, &statement, &silo_core::plan::AthenaTarget::default());
        plan.targets = targets
            .iter()
            .map(|(name, account)| Target {
                id: account.to_string(),
                product: String::new(),
                account_id: account.to_string(),
                tenant: Some(name.to_string()),
            })
            .collect();
        plan
    }

    #[test]
    fn two_accounts_with_one_name_count_twice_and_are_told_apart() {
        let plans =
            [touching(&[("acme", "111111111111")]), touching(&[("acme", "222222222222"), ("acme", "111111111111")])];
        assert_eq!(selection(&plans), ["acme (111111111111)", "acme (222222222222)"]);
        assert_eq!(selection(&[touching(&[("globex", "333333333333")])]), ["globex"]);
    }
}
