//! What is selected, as an id to copy (`y`) and an AWS console URL to show or open (`o`): the
//! tenant's service, a finding, an alarm, a deployment, a query run, a budget.

use super::App;
use crate::action::{Request, Screen};
use crate::keymap::Command;
use crate::screens;
use silo_core::links;
use silo_core::model::Tenant;
use silo_core::role::Role;

/// The selection of the current screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected {
    pub what: &'static str,
    pub id: String,
    pub url: String,
}

/// `y` copies the selection's id, `o` shows its console URL (and opens it with `opener`).
/// Returns false when the screen has nothing to copy or open (the key then means its own thing).
pub fn handle(app: &mut App, command: Command) -> bool {
    if !matches!(command, Command::Copy | Command::OpenConsole)
        || matches!(app.screen(), Screen::QueryRun(_)) && command == Command::Copy
    {
        return false;
    }
    let Some(selected) = selected(app) else { return false };
    if command == Command::Copy {
        app.status = Some((format!("copied the {} {} to the clipboard", selected.what, selected.id), Role::Ok));
        app.outbox.push(Request::Copy(selected.id));
        return true;
    }
    let text = match &app.session.opener {
        Some(opener) => {
            app.outbox.push(Request::OpenUrl(opener.clone(), selected.url.clone()));
            format!("opening {} with {opener}", selected.url)
        }
        None => format!("{} (set opener = \"xdg-open\" in the config to open it)", selected.url),
    };
    app.status = Some((text, Role::Key));
    true
}

pub fn selected(app: &App) -> Option<Selected> {
    let ctx = app.ctx();
    match app.screen().clone() {
        Screen::Fleet => {
            let rows = screens::fleet::visible_rows(&ctx, &app.views.fleet);
            let keys: Vec<&str> = rows.iter().map(|r| r.tenant.account_id.as_str()).collect();
            let record = rows.get(app.views.fleet.selected_index(&keys))?;
            Some(tenant(&record.tenant))
        }
        Screen::Tenant(account) => Some(tenant(&app.store.tenants.get(&account)?.tenant)),
        Screen::DeployDetail(account) => Some(deployments(&app.store.tenants.get(&account)?.tenant)),
        Screen::Deployments => Some(deployments(&app.store.tenants.get(&app.selected_deployment()?)?.tenant)),
        Screen::Findings => {
            let rows = screens::findings::visible(&ctx, &app.views.findings);
            let keys: Vec<&str> = rows.iter().map(|f| f.id.as_str()).collect();
            let f = rows.get(app.views.findings.list.selected_index(&keys))?;
            Some(Selected { what: "finding", id: f.id.clone(), url: links::finding_url(f) })
        }
        Screen::FindingDetail(id) => {
            let f = app.store.all_findings().find(|f| f.id == id)?;
            Some(Selected { what: "finding", id: f.id.clone(), url: links::finding_url(f) })
        }
        Screen::Alarms => {
            let (account, name) = app.selected_alarm()?;
            Some(alarm(&app.store.tenants.get(&account)?.tenant, &name))
        }
        Screen::AlarmDetail(account, name) => Some(alarm(&app.store.tenants.get(&account)?.tenant, &name)),
        Screen::QueryRun(run) => {
            let id = app.store.queries.get(&run)?.execution_id.clone()?;
            Some(Selected { what: "query execution id", url: links::query_run_url(&id), id })
        }
        Screen::Spend => {
            let rows = screens::spend::visible(&ctx, &app.views.spend);
            let keys: Vec<&str> = rows.iter().map(|e| e.account_id.as_str()).collect();
            let account = rows.get(app.views.spend.selected_index(&keys))?.account_id.clone();
            Some(budget(account))
        }
        Screen::SpendDetail(account) => Some(budget(account)),
        Screen::Timeline(account) => Some(tenant(&app.store.tenants.get(&account)?.tenant)),
        Screen::Queries | Screen::QueryHistory | Screen::Audit | Screen::Health | Screen::Rollouts => None,
    }
}

fn budget(account_id: String) -> Selected {
    Selected { what: "account id", id: account_id, url: links::BUDGETS_URL.to_string() }
}

fn tenant(t: &Tenant) -> Selected {
    Selected { what: "account id", id: t.account_id.clone(), url: links::service_page(t, "health") }
}

fn deployments(t: &Tenant) -> Selected {
    Selected { what: "account id", id: t.account_id.clone(), url: links::service_page(t, "deployments") }
}

fn alarm(t: &Tenant, name: &str) -> Selected {
    Selected { what: "alarm", id: name.to_string(), url: links::alarm_url(t, name) }
}
