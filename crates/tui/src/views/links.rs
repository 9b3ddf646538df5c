//! What is selected, as an id to copy (`y`) and an AWS console URL to show or open (`o`): the
//! tenant's service, a finding, an alarm, a deployment, a query run, a budget.

use crate::app::{App, Request, Screen};
use crate::keymap::Command;
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
    let text = match &app.opener {
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
    match app.screen().clone() {
        Screen::Fleet => {
            let rows = super::fleet::visible_rows(app);
            let keys: Vec<&str> = rows.iter().map(|r| r.tenant.account_id.as_str()).collect();
            let record = rows.get(app.fleet.selected_index(&keys))?;
            Some(tenant(&record.tenant))
        }
        Screen::Tenant(account) | Screen::DeployDetail(account) => {
            let t = &app.store.tenants.get(&account)?.tenant;
            Some(if matches!(app.screen(), Screen::Tenant(_)) { tenant(t) } else { deployments(t) })
        }
        Screen::Deployments => {
            let rows = super::deployments::visible(app);
            let keys: Vec<&str> = rows.iter().map(|r| r.account_id).collect();
            let account = rows.get(app.deploy.list.selected_index(&keys))?.account_id.to_string();
            Some(deployments(&app.store.tenants.get(&account)?.tenant))
        }
        Screen::Findings => {
            let rows = super::findings::visible(app);
            let keys: Vec<&str> = rows.iter().map(|f| f.id.as_str()).collect();
            let f = rows.get(app.findings.list.selected_index(&keys))?;
            Some(Selected { what: "finding", id: f.id.clone(), url: super::finding_detail::console_url(f) })
        }
        Screen::FindingDetail(id) => {
            let f = app.store.all_findings().find(|f| f.id == id)?;
            Some(Selected { what: "finding", id: f.id.clone(), url: super::finding_detail::console_url(f) })
        }
        Screen::Alarms => {
            let rows = super::alarms::visible(app);
            let keys: Vec<String> = rows.iter().map(|r| format!("{}/{}", r.account_id, r.name)).collect();
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let row = rows.get(app.alarms.list.selected_index(&keys))?;
            Some(alarm(&app.store.tenants.get(&row.account_id)?.tenant, &row.name))
        }
        Screen::AlarmDetail(account, name) => Some(alarm(&app.store.tenants.get(&account)?.tenant, &name)),
        Screen::QueryRun(run) => {
            let id = app.store.queries.get(&run)?.execution_id.clone()?;
            let url = format!("https://console.aws.amazon.com/athena/home#/query-editor/history/{id}");
            Some(Selected { what: "query execution id", id, url })
        }
        Screen::Spend | Screen::SpendDetail(_) => {
            let account = match app.screen() {
                Screen::SpendDetail(a) => a.clone(),
                _ => {
                    let rows = super::spend::visible(app);
                    let keys: Vec<&str> = rows.iter().map(|e| e.account_id.as_str()).collect();
                    rows.get(app.spend.selected_index(&keys))?.account_id.clone()
                }
            };
            let url = "https://console.aws.amazon.com/costmanagement/home#/budgets".to_string();
            Some(Selected { what: "account id", id: account, url })
        }
        Screen::Queries | Screen::QueryHistory | Screen::Audit => None,
    }
}

fn tenant(t: &silo_core::model::Tenant) -> Selected {
    service_page(t, "health")
}

fn deployments(t: &silo_core::model::Tenant) -> Selected {
    service_page(t, "deployments")
}

/// A tab of the tenant's ECS service in the console.
fn service_page(t: &silo_core::model::Tenant, page: &str) -> Selected {
    let (r, cluster, service) = (&t.region, encode(&t.ecs_cluster), encode(&t.ecs_service));
    let url =
        format!("https://{r}.console.aws.amazon.com/ecs/v2/clusters/{cluster}/services/{service}/{page}?region={r}");
    Selected { what: "account id", id: t.account_id.clone(), url }
}

fn alarm(t: &silo_core::model::Tenant, name: &str) -> Selected {
    let r = &t.region;
    let url = format!("https://{r}.console.aws.amazon.com/cloudwatch/home?region={r}#alarmsV2:alarm/{}", encode(name));
    Selected { what: "alarm", id: name.to_string(), url }
}

/// Percent-encodes everything but unreserved characters.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
