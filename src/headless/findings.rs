//! `silo findings` and `silo findings update`: the headless twins of `:findings` and its actions.

use crate::cli::{FindingsArgs, FindingsCmd, Format};
use anyhow::{bail, Result};
use silo_core::actions::Actions;
use silo_core::findings::{Finding, FindingList, FindingRow, FindingSource, FindingsAsk, Selection, Severity};
use silo_core::plan::ActionPlan;
use silo_core::source::FleetSource;
use silo_core::store::{Slot, Store};
use silo_engine::Limiter;
use std::collections::HashMap;
use std::sync::Arc;

/// Parses the listing flags; a bad value is an error naming the choices.
pub fn selection(args: &FindingsArgs) -> Result<Selection> {
    let severities = args
        .severity
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            Severity::parse(s).ok_or_else(|| {
                anyhow::anyhow!("unknown severity {s:?}: expected critical, high, medium, low or informational")
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let source = match &args.source {
        None => None,
        Some(s) => Some(
            FindingSource::parse(s)
                .ok_or_else(|| anyhow::anyhow!("unknown source {s:?}: expected securityhub or guardduty"))?,
        ),
    };
    let open_only = match args.status.as_str() {
        "open" => true,
        "all" => false,
        other => bail!("unknown status {other:?}: expected open or all"),
    };
    Ok(Selection { tenant: args.tenant.clone(), severities, source, open_only })
}

/// What `ask` names of both sources, attributed to the tenants of `store`, with what each
/// counted beyond the per-tenant cap. A source that fails is reported on stderr and the other is
/// still listed; if every configured source fails, that is an error.
pub async fn read(
    store: &Store,
    source: Arc<dyn FleetSource>,
    limiter: &Limiter,
    ask: &FindingsAsk,
) -> Result<FindingList> {
    let names: HashMap<String, String> =
        store.tenants.values().map(|r| (r.tenant.account_id.clone(), r.tenant.name.clone())).collect();
    let mut all = FindingList::default();
    let mut failures = Vec::new();
    let mut configured = 0;
    for (kind, slot) in [(FindingSource::Securityhub, Slot::SecurityHub), (FindingSource::Guardduty, Slot::GuardDuty)] {
        // The same account key as the fetch layer's, so the per-account limit is one limit.
        let (service, account) = source.org_account(slot);
        let work = source.clone().findings(kind, ask.clone());
        match limiter.run(service, &account, silo_engine::ORG_WIDE_PAGES, work).await {
            Ok(Some(list)) => {
                configured += 1;
                all.join(list);
            }
            Ok(None) => {}
            Err(e) => {
                configured += 1;
                say!("silo: {}: {e}", kind.as_str());
                failures.push(e);
            }
        }
    }
    if configured == 0 {
        bail!("no finding source is configured: add [audit] account_id (the Security Hub / GuardDuty administrator)");
    }
    if failures.len() == configured {
        bail!("no finding source could be read");
    }
    silo_core::findings::attribute(&mut all, &names);
    Ok(all)
}

/// What the server is asked for `silo findings`: open or all, one tenant's account when chosen.
pub fn ask(selection: &Selection) -> FindingsAsk {
    let base = if selection.open_only { FindingsAsk::open() } else { FindingsAsk::all() };
    FindingsAsk { accounts: selection.tenant.clone().map(|account| vec![account]), ..base }
}

/// Prints the selected findings; each tenant with findings beyond the per-tenant cap is named
/// on stderr with how many more there are (they count in `silo fleet`, they are not listed).
pub fn print(list: &FindingList, selection: &Selection, format: Format) -> Result<()> {
    for (account, beyond) in &list.beyond {
        if selection.tenant.as_ref().is_none_or(|t| t == account) {
            let name = list.iter().find(|f| &f.account_id == account).and_then(|f| f.tenant.clone());
            let who = name.map(|n| format!("{n} ({account})")).unwrap_or_else(|| account.clone());
            say!("silo: {who}: +{} more findings beyond the per-tenant cap ([audit] findings_per_tenant), counted, not listed", beyond.total);
        }
    }
    let mut chosen: Vec<&Finding> = list.iter().filter(|f| selection.matches(f)).collect();
    silo_core::findings::sort_for_review(&mut chosen);
    let rows: Vec<FindingRow> = chosen.into_iter().map(FindingRow::from).collect();
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&rows)? + "\n",
        Format::Csv => silo_core::findings::to_csv(&rows)?,
        Format::Table => silo_core::findings::to_table(&rows),
    };
    crate::headless::write_stdout(&text)
}

/// The plans for an update: one per source the ids belong to.
pub fn plans(findings: &[Finding], cmd: &FindingsCmd, audit: (&str, &str)) -> Result<Vec<ActionPlan>> {
    let FindingsCmd::Update { ids, status, note, .. } = cmd;
    let missing: Vec<&String> = ids.iter().filter(|id| !findings.iter().any(|f| &f.id == *id)).collect();
    if !missing.is_empty() {
        let list: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
        bail!("no such finding: {}", list.join(", "));
    }
    let chosen: Vec<&Finding> = findings.iter().filter(|f| ids.contains(&f.id)).collect();
    // A finding read through Security Hub v2 (OCSF) takes a workflow status whatever product
    // found it: GuardDuty's too (v2 has no detector id to archive with).
    let (sh, gd): (Vec<&Finding>, Vec<&Finding>) =
        chosen.into_iter().partition(|f| f.source == FindingSource::Securityhub || f.is_ocsf());
    let status = status.trim().to_ascii_uppercase();
    let mut out = Vec::new();
    if !sh.is_empty() {
        let user = silo_core::identity::session_name();
        out.push(ActionPlan::finding_status(&sh, &status, note.as_deref().unwrap_or(""), audit, &user)?);
    }
    if !gd.is_empty() {
        let archive = match status.as_str() {
            "ARCHIVED" => true,
            "ACTIVE" => false,
            other => bail!("GuardDuty findings take --status ARCHIVED or ACTIVE, not {other:?}"),
        };
        out.push(ActionPlan::guardduty_archive(&gd, archive, audit)?);
    }
    Ok(out)
}

/// How `silo findings update` confirms: `--yes` (with `--expect N` when the findings belong to
/// more than one tenant) or the typed text on a terminal, and `--dry-run`.
#[derive(Debug, Clone)]
pub struct Confirmation {
    pub yes: bool,
    pub expect: Option<usize>,
    pub dry_run: bool,
    /// Names several accounts carry: a tenant of those is confirmed by its account id.
    pub shared: silo_core::tenant_lookup::SharedNames,
}

/// Shows each plan, then dry-runs, asks for the typed confirmation, or refuses without one.
pub async fn carry_out(actions: &Actions, plans: Vec<ActionPlan>, how: Confirmation) -> Result<()> {
    let Confirmation { yes, expect, dry_run, shared } = how;
    // Built moments ago from what was just read: a confirmation left waiting ages them.
    let now = chrono::Utc::now();
    let plans: Vec<ActionPlan> = plans.into_iter().map(|p| p.read_at(now)).collect();
    if yes && !dry_run {
        // Counted over every plan: the tenants the whole update touches.
        crate::headless::confirm::confirm(actions, &plans, "", true, expect).await?;
    }
    // A signal lets the call in progress finish and journal; nothing after it starts.
    let _stop = crate::headless::abort_on_signal(actions.clone());
    for plan in plans {
        println!("{}", plan.describe().join("\n"));
        if dry_run {
            actions.dry_run(&plan).await?;
            println!("dry run: nothing was changed");
            continue;
        }
        if !yes {
            crate::headless::confirm::confirm(
                actions,
                std::slice::from_ref(&plan),
                &plan.confirmation(&shared),
                false,
                None,
            )
            .await?;
        }
        let outcome = actions.execute(plan).await?;
        print_batches(&outcome.batches);
        println!("{} updated", outcome.succeeded);
        if let Some(why) = &outcome.not_journaled {
            bail!("done (request ids {}), not journaled: {why}", outcome.request_ids.join(", "));
        }
        if !outcome.failed.is_empty() {
            for (id, e) in &outcome.failed {
                say!("not processed: {id}: {e}");
            }
            bail!("{} finding(s) were not processed", outcome.failed.len());
        }
    }
    Ok(())
}

/// One line per call when the action took more than one, or one failed: what each call did.
fn print_batches(batches: &[silo_core::plan::BatchResult]) {
    use silo_core::plan::BatchOutcome;
    let failed = batches.iter().any(|b| matches!(b.outcome, BatchOutcome::Failed { .. }));
    if batches.len() < 2 && !failed {
        return;
    }
    for (n, batch) in batches.iter().enumerate() {
        let what = match &batch.outcome {
            BatchOutcome::Done { request_id, unprocessed } => {
                format!("done, {unprocessed} not processed (request {})", request_id.as_deref().unwrap_or("-"))
            }
            BatchOutcome::Failed { error } => format!("failed: {error}"),
        };
        println!("call {}/{}: {} findings {what}", n + 1, batches.len(), batch.ids.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use silo_core::findings::tests_support::finding;
    use silo_core::findings::Severity;

    fn update(ids: &[&str], status: &str) -> FindingsCmd {
        FindingsCmd::Update {
            ids: ids.iter().map(|s| s.to_string()).collect(),
            status: status.into(),
            note: Some("handled in OPS-7".into()),
            yes: false,
            expect: None,
            dry_run: true,
        }
    }

    /// GuardDuty's findings read through Security Hub v2 change their workflow status with
    /// BatchUpdateFindingsV2; only the ones read from GuardDuty itself are archived.
    #[test]
    fn a_guardduty_finding_read_through_v2_takes_the_v2_status_call_not_the_archive() {
        let mut v2 = finding("uid-7", "111111111111", Severity::High, true);
        v2.product = format!("{}aws/guardduty", silo_core::findings::OCSF_PRODUCT_PREFIX);
        v2.source = FindingSource::Guardduty;
        let plans = plans(&[v2], &update(&["uid-7"], "RESOLVED"), ("222222222222", "us-east-1")).expect("planned");
        let apis: Vec<&str> = plans.iter().map(|p| p.api.as_str()).collect();
        assert_eq!(apis, ["securityhub:BatchUpdateFindingsV2"]);
    }
}
