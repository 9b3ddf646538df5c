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
/// every plan and nothing runs.
pub async fn confirm(actions: &Actions, plans: &[ActionPlan], expected: &str, yes: bool) -> Result<()> {
    if yes {
        return Ok(());
    }
    if let Err(why) = ask(expected) {
        for plan in plans {
            actions.refuse_unconfirmed(plan, &why).await;
        }
        bail!("refused: {why}; nothing was changed");
    }
    Ok(())
}
