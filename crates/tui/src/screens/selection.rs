//! What is selected on a screen, as an id to copy (`y`) and an AWS console URL to show or open
//! (`o`): the tenant's service, a finding, an alarm, a deployment, a query run, a budget. Which
//! screen offers which is `registry::selected`.

use super::*;
use crate::context::Ctx;
use silo_core::links;
use silo_core::model::Tenant;

/// The selection of the current screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected {
    pub what: &'static str,
    pub id: String,
    pub url: String,
}

/// The fleet's selected tenant (account id).
pub fn fleet_row(state: &fleet::FleetState, ctx: &Ctx) -> Option<String> {
    let rows = fleet::visible_rows(ctx, state);
    let keys: Vec<&str> = rows.iter().map(|r| r.tenant.account_id.as_str()).collect();
    rows.get(state.selected_index(&keys)).map(|r| r.tenant.account_id.clone())
}

/// The alarm selected in `:alarms` (account id, name).
pub fn alarm_row(state: &alarms::AlarmsState, ctx: &Ctx) -> Option<(String, String)> {
    let rows = alarms::visible(ctx, state);
    let keys: Vec<String> = rows.iter().map(|r| format!("{}/{}", r.account_id, r.name)).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    rows.get(state.list.selected_index(&keys)).map(|r| (r.account_id.clone(), r.name.clone()))
}

/// The tenant selected in `:deployments` (account id).
pub fn deployment_row(state: &deploy::DeployState, ctx: &Ctx) -> Option<String> {
    let rows = deploy::visible(ctx, state);
    let keys: Vec<&str> = rows.iter().map(|r| r.account_id).collect();
    rows.get(state.list.selected_index(&keys)).map(|r| r.account_id.to_string())
}

pub fn finding_row(state: &findings::FindingsState, ctx: &Ctx) -> Option<Selected> {
    let rows = findings::visible(ctx, state);
    let keys: Vec<&str> = rows.iter().map(|f| f.id.as_str()).collect();
    rows.get(state.list.selected_index(&keys)).map(|f| finding(f))
}

pub fn spend_row(state: &spend::SpendState, ctx: &Ctx) -> Option<String> {
    let rows = spend::visible(ctx, state);
    let keys: Vec<&str> = rows.iter().map(|e| e.account_id.as_str()).collect();
    rows.get(state.selected_index(&keys)).map(|e| e.account_id.clone())
}

/// A version: its image digest to copy, its build's own page (CodeBuild) or its pipeline run.
pub fn release(r: &silo_core::rollouts::releases::ReleaseRow) -> Option<Selected> {
    let build = r.build.as_ref();
    let url = build
        .and_then(|b| b.failure.as_ref())
        .and_then(|f| f.url.clone())
        .or_else(|| build.map(|b| links::pipeline_execution_url(&b.pipeline, &b.execution_id)));
    let (what, id) = match &r.digest {
        Some(digest) => ("image digest", digest.clone()),
        None => ("pipeline execution id", build?.execution_id.clone()),
    };
    Some(Selected { what, id, url: url.unwrap_or_default() })
}

pub fn finding(f: &silo_core::findings::Finding) -> Selected {
    Selected { what: "finding", id: f.id.clone(), url: links::finding_url(f) }
}

pub fn budget(account_id: String) -> Selected {
    Selected { what: "account id", id: account_id, url: links::BUDGETS_URL.to_string() }
}

pub fn tenant(t: &Tenant) -> Selected {
    Selected { what: "account id", id: t.account_id.clone(), url: links::service_page(t, "health") }
}

pub fn deployments(t: &Tenant) -> Selected {
    Selected { what: "account id", id: t.account_id.clone(), url: links::service_page(t, "deployments") }
}

pub fn alarm(t: &Tenant, name: &str) -> Selected {
    Selected { what: "alarm", id: name.to_string(), url: links::alarm_url(t, name) }
}
