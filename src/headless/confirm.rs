//! The typed confirmation of headless actions: the expected text read from the terminal. With no
//! terminal (and no `--yes`) nothing is asked and the action is refused and journaled as such.

use anyhow::{bail, Result};
use silo_core::actions::Actions;
use silo_core::plan::ActionPlan;
use std::io::{BufRead, IsTerminal, Write};

/// Asks for `expected` on the terminal; Err says why the action is not confirmed.
fn ask(expected: &str) -> std::result::Result<(), String> {
    if !std::io::stdin().is_terminal() {
        return Err("no terminal to confirm on; pass --yes to confirm non-interactively".into());
    }
    eprint!("Type {expected:?} to confirm (anything else cancels): ");
    let _ = std::io::stderr().flush();
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

/// The tenants (or non-tenant accounts) the plans touch, each once, in name order.
pub fn selection(plans: &[ActionPlan]) -> Vec<String> {
    let mut names: Vec<String> = plans
        .iter()
        .flat_map(|p| &p.targets)
        .map(|t| t.tenant.clone().unwrap_or_else(|| t.account_id.clone()))
        .collect();
    names.sort();
    names.dedup();
    names
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
