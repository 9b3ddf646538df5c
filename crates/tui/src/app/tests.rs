use super::*;
use crate::fixtures;
use crate::screens::fleet::visible_rows;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn press(app: &mut App, code: KeyCode) {
    let mut action = Some(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    while let Some(a) = action {
        action = update(app, a);
    }
}

fn type_text(app: &mut App, text: &str) {
    text.chars().for_each(|c| press(app, KeyCode::Char(c)));
}

fn names(app: &App) -> Vec<String> {
    visible_rows(&app.ctx(), &app.views.fleet).iter().map(|r| r.tenant.name.clone()).collect()
}

#[test]
fn q_quits() {
    let mut app = fixtures::app(fixtures::store());
    press(&mut app, KeyCode::Char('q'));
    assert!(app.should_quit);
}

#[test]
fn default_sort_puts_worst_health_first() {
    let app = fixtures::app(fixtures::store());
    let names = names(&app);
    assert_eq!(&names[..3], &["globex", "initech", "stark"]);
    assert_eq!(names.last().map(String::as_str), Some("acme"));
}

#[test]
fn filter_modal_consumes_keys_and_filters_on_any_column() {
    let mut app = fixtures::app(fixtures::store());
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "FAILED");
    assert!(!app.should_quit);
    assert_eq!(names(&app), vec!["initech"]);
    press(&mut app, KeyCode::Enter);
    assert!(app.modals.is_empty());
    assert_eq!(app.views.fleet.filter, "FAILED");
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "q");
    assert!(!app.should_quit, "q is text while the filter prompt is open");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.views.fleet.filter, "FAILED", "Esc restores the filter from before the prompt");
}

#[test]
fn filter_matches_account_ids_and_esc_on_fleet_clears_it() {
    let mut app = fixtures::app(fixtures::store());
    app.views.fleet.filter = "100000000004".into();
    assert_eq!(names(&app), vec!["hooli"]);
    press(&mut app, KeyCode::Esc);
    assert_eq!(names(&app).len(), 6);
}

#[test]
fn enter_opens_the_selected_tenant_and_esc_returns() {
    let mut app = fixtures::app(fixtures::store());
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let initech = fixtures::tenant("initech", 2).account_id;
    assert_eq!(app.screen(), &Screen::Tenant(initech));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.screen(), &Screen::Fleet);
}

#[test]
fn selection_follows_the_tenant_across_resorting() {
    let mut app = fixtures::app(fixtures::store());
    press(&mut app, KeyCode::Down);
    let selected = app.views.fleet.selected.clone();
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(app.views.fleet.sort, crate::screens::fleet::Column::Alarms);
    assert_eq!(app.views.fleet.selected, selected);
    assert_eq!(names(&app).first().map(String::as_str), Some("globex"), "most alarms firing first");
    press(&mut app, KeyCode::Char('S'));
    assert_eq!(names(&app).first().map(String::as_str), Some("umbrella"), "unknown alarms sort lowest");
}

#[test]
fn refresh_is_requested_once_and_not_while_running() {
    let mut app = fixtures::app(fixtures::store());
    press(&mut app, KeyCode::Char('r'));
    press(&mut app, KeyCode::Char('r'));
    assert_eq!(app.take_requests(), vec![Request::Refresh { force: true }]);
    update(
        &mut app,
        Action::Fetch(silo_core::store::FetchEvent::RefreshStarted {
            at: fixtures::now(),
            slots: silo_core::store::Slot::all(&silo_fixtures::columns()),
            columns: silo_fixtures::columns(),
        }),
    );
    press(&mut app, KeyCode::Char('r'));
    assert!(app.take_requests().is_empty());
}

#[test]
fn tick_requests_auto_refresh_only_when_due() {
    let mut app = fixtures::app(fixtures::store());
    let started = app.store.refresh_started.unwrap();
    update(&mut app, Action::Tick(started + chrono::Duration::seconds(59)));
    assert!(app.take_requests().is_empty());
    update(&mut app, Action::Tick(started + chrono::Duration::seconds(60)));
    assert_eq!(app.take_requests(), vec![Request::Refresh { force: false }], "auto-refresh keeps cached budgets");
}

#[test]
fn a_failed_tenant_keeps_its_error_and_others_are_untouched() {
    let mut app = fixtures::app(fixtures::store());
    let acme = fixtures::tenant("acme", 0).account_id;
    let err = silo_core::error::FetchError::new(
        silo_core::model::AwsService::Ecs,
        silo_core::error::ErrorKind::Throttled,
        "Rate exceeded",
    );
    let event = silo_core::store::FetchEvent::Slot {
        account_id: acme.clone(),
        slot: silo_core::store::Slot::Service,
        result: Err(err),
        at: fixtures::now(),
    };
    update(&mut app, Action::Fetch(event));
    let acme_rec = &app.store.tenants[&acme];
    assert_eq!(acme_rec.errors().len(), 1);
    assert!(acme_rec.service.value().is_some(), "the last good value stays visible");
    let globex = fixtures::tenant("globex", 1).account_id;
    assert!(app.store.tenants[&globex].errors().is_empty());
}

#[test]
fn help_opens_on_top_and_closes() {
    let mut app = fixtures::app(fixtures::store());
    press(&mut app, KeyCode::Char('?'));
    assert_eq!(app.modals.len(), 1);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.views.fleet.selected, None, "keys go to the help popup, not the table");
    press(&mut app, KeyCode::Esc);
    assert!(app.modals.is_empty());
}

#[test]
fn tenant_card_scrolls_and_resets_when_reopened() {
    let mut app = fixtures::app(fixtures::store());
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.views.tenant_scroll, 2);
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.views.tenant_scroll, 1);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.views.tenant_scroll, 0);
}

#[test]
fn cost_explorer_asks_first_and_any_key_but_y_cancels() {
    let mut app = fixtures::app(fixtures::store());
    app.screens.push(Screen::Spend);
    press(&mut app, KeyCode::Char('c'));
    assert!(matches!(app.modals.last(), Some(crate::modals::Modal::CostConfirm(c)) if c.tenants == 1));
    press(&mut app, KeyCode::Enter);
    assert!(app.modals.is_empty() && app.take_requests().is_empty() && !app.session.cost_explorer, "Enter cancels");
    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Char('y'));
    let stark = fixtures::tenant("stark", 5).account_id;
    assert_eq!(app.take_requests(), vec![Request::CostExplorer(vec![stark])], "only tenants without a budget");
    assert!(app.session.cost_explorer);
}

#[test]
fn configured_cost_explorer_reads_once_after_the_first_refresh() {
    let mut app = fixtures::app(fixtures::store());
    app.session.cost_explorer = true;
    let cost_explorer_reads =
        |app: &mut App| app.take_requests().into_iter().filter(|r| matches!(r, Request::CostExplorer(_))).count();
    update(&mut app, Action::Fetch(silo_core::store::FetchEvent::RefreshFinished { at: fixtures::now() }));
    assert_eq!(cost_explorer_reads(&mut app), 1);
    update(&mut app, Action::Fetch(silo_core::store::FetchEvent::RefreshFinished { at: fixtures::now() }));
    assert_eq!(cost_explorer_reads(&mut app), 0, "not again on every refresh: each read is billed");
}

fn findings_app() -> App {
    let mut app = fixtures::app(fixtures::store());
    app.screens.push(Screen::Findings);
    app
}

#[test]
fn findings_sort_by_severity_and_filter_by_field() {
    let mut app = findings_app();
    let ids = |app: &App| {
        crate::screens::findings::visible(&app.ctx(), &app.views.findings)
            .iter()
            .map(|f| f.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&app), vec!["sh-1", "sh-2", "sh-3", "sh-4"]);
    app.views.findings.list.filter = "tenant:none".into();
    assert_eq!(ids(&app), vec!["sh-4"]);
    app.views.findings.list.filter = "sev:critical mfa".into();
    assert_eq!(ids(&app), vec!["sh-2"]);
}

#[test]
fn status_change_goes_through_plan_and_typed_confirmation() {
    let mut app = findings_app();
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.views.findings.marked.len(), 2, "space marks and moves down");
    press(&mut app, KeyCode::Char('w'));
    press(&mut app, KeyCode::Char('2'));
    type_text(&mut app, "rotated keys");
    press(&mut app, KeyCode::Enter);
    let Some(crate::modals::Modal::Confirm(confirm)) = app.modals.last() else { panic!("the plan is shown") };
    assert_eq!(confirm.plans[0].confirmation(&silo_core::tenant_lookup::SharedNames::none()), "globex");
    assert_eq!(confirm.plans[0].targets.len(), 2);
    type_text(&mut app, "globx");
    press(&mut app, KeyCode::Enter);
    assert!(app.take_requests().is_empty(), "a wrong name runs nothing");
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    type_text(&mut app, "bex");
    press(&mut app, KeyCode::Enter);
    let requests = app.take_requests();
    let [Request::Execute(plan)] = requests.as_slice() else { panic!("one execute request: {requests:?}") };
    assert_eq!(plan.api, "securityhub:BatchUpdateFindings");
    assert_eq!(plan.parameters["Workflow"]["Status"], "RESOLVED");
    assert!(app.views.findings.marked.is_empty());
}

#[test]
fn esc_cancels_the_confirmation_and_runs_nothing() {
    let mut app = findings_app();
    press(&mut app, KeyCode::Char('w'));
    press(&mut app, KeyCode::Char('3'));
    type_text(&mut app, "noise");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    assert!(app.modals.is_empty() && app.take_requests().is_empty());
}

#[test]
fn audit_view_reads_the_journal_through_a_request() {
    let mut app = fixtures::app(fixtures::store());
    update(&mut app, Action::Navigate(Screen::Audit));
    assert_eq!(app.take_requests(), vec![Request::LoadAudit], "no file I/O inside update");
    update(&mut app, Action::Fetch(silo_core::store::FetchEvent::AuditJournal(Err("audit.jsonl:3: bad".into()))));
    assert_eq!(app.views.audit_log.entries, Err("audit.jsonl:3: bad".to_string()));
}

#[test]
fn a_finished_refresh_replaces_the_snapshot_and_saves_a_new_one() {
    let mut app = fixtures::app(fixtures::store());
    app.snapshot_at = Some(fixtures::now() - chrono::Duration::hours(3));
    update(&mut app, Action::Fetch(silo_core::store::FetchEvent::RefreshFinished { at: fixtures::now() }));
    assert_eq!(app.snapshot_at, None, "no longer stale");
    assert!(app.take_requests().contains(&Request::SaveSnapshot));
}

#[test]
fn offline_never_asks_for_a_refresh() {
    let mut app = fixtures::app(fixtures::store());
    app.offline = true;
    press(&mut app, KeyCode::Char('r'));
    update(&mut app, Action::Tick(fixtures::now() + chrono::Duration::hours(1)));
    assert!(app.take_requests().is_empty());
}

#[test]
fn alarms_view_toggles_states_and_opens_the_tenant() {
    let mut app = fixtures::app(fixtures::store());
    update(&mut app, Action::Navigate(Screen::Alarms));
    assert_eq!(crate::screens::alarms::visible(&app.ctx(), &app.views.alarms).len(), 3, "only firing alarms");
    press(&mut app, KeyCode::Char('t'));
    assert!(crate::screens::alarms::visible(&app.ctx(), &app.views.alarms).len() > 3);
    press(&mut app, KeyCode::Char('t'));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), &Screen::Tenant(fixtures::tenant("globex", 1).account_id), "longest-firing first: globex");
}

#[test]
fn opening_a_tenant_asks_for_its_dashboard_and_r_cycles_the_range() {
    let mut app = fixtures::app(fixtures::store());
    press(&mut app, KeyCode::Enter);
    let globex = fixtures::tenant("globex", 1);
    let requests = app.take_requests();
    assert_eq!(
        requests,
        vec![
            Request::Dashboard(globex.account_id.clone(), silo_core::metrics::Range::H3, None),
            Request::DeployStatus(vec![globex.clone()]),
            Request::Details(globex.clone()),
            Request::Scheduled(vec![globex.clone()])
        ]
    );
    let globex = globex.account_id;
    press(&mut app, KeyCode::Char('R'));
    assert_eq!(app.range, silo_core::metrics::Range::H6);
    assert_eq!(app.take_requests(), vec![Request::Dashboard(globex.clone(), silo_core::metrics::Range::H6, None)]);
    assert!(app.store.dashboards[&globex].is_loading());
}

#[test]
fn i_on_an_alarm_opens_its_detail_and_asks_for_its_history() {
    let mut app = fixtures::app(fixtures::store());
    update(&mut app, Action::Navigate(Screen::Alarms));
    press(&mut app, KeyCode::Char('i'));
    let globex = fixtures::tenant("globex", 1).account_id;
    assert_eq!(app.screen(), &Screen::AlarmDetail(globex.clone(), "alb-5xx-1".into()));
    let key = silo_core::alarms::HISTORY.of_tenant(&globex, "alb-5xx-1");
    assert!(app.take_requests().contains(&Request::Read(key.clone())));
    assert!(app.store.reading(&key).is_some_and(|l| l.is_loading()), "shown loading until it answers");
}

#[test]
fn colon_t_opens_a_tenant_by_its_name_tab_completes_a_part_and_a_typo_says_what_is_close() {
    let mut app = fixtures::app(fixtures::store());
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "t init");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), &Screen::Fleet, "a part of a name is not a tenant (like --tenant)");
    assert_eq!(app.status.as_ref().map(|s| s.0.as_str()), Some("unknown tenant \"init\"; did you mean initech?"));
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "t init");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), &Screen::Tenant(fixtures::tenant("initech", 2).account_id));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "t globx");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), &Screen::Fleet);
    assert_eq!(app.status.as_ref().map(|s| s.0.as_str()), Some("unknown tenant \"globx\"; did you mean globex?"));
}

/// The fixtures' fleet with a second account named globex (account id 100000000099).
fn fleet_with_two_globex() -> App {
    let mut store = fixtures::store();
    let mut tenants: Vec<silo_core::model::Tenant> = store.tenants.values().map(|r| r.tenant.clone()).collect();
    tenants.push(silo_core::model::Tenant { account_id: "100000000099".into(), ..fixtures::tenant("globex", 1) });
    store.set_tenants(tenants, fixtures::now());
    fixtures::app(store)
}

#[test]
fn a_name_two_accounts_carry_is_refused_by_colon_t_and_each_is_offered_by_account_id() {
    let mut app = fleet_with_two_globex();
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "t globex");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), &Screen::Fleet);
    let first = fixtures::tenant("globex", 1).account_id;
    let status = app.status.as_ref().map(|s| s.0.clone()).unwrap_or_default();
    assert_eq!(
        status,
        format!("2 accounts are named \"globex\": globex ({first}), globex (100000000099); name one by its account id")
    );
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "t globex");
    let Some(crate::modals::Modal::Command(palette)) = app.modals.last() else { panic!("the palette is open") };
    let offered: Vec<String> = palette.matches().into_iter().filter(|m| m.starts_with("t ")).collect();
    assert!(offered.contains(&"t 100000000099 (globex)".to_string()), "{offered:?}");
    assert!(!offered.contains(&"t globex".to_string()), "the bare name would be refused: {offered:?}");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen(), Screen::Tenant(a) if a == &first || a == "100000000099"), "{:?}", app.screen());
}

#[test]
fn an_action_on_a_tenant_whose_name_another_account_carries_is_confirmed_by_its_account_id() {
    let app = fleet_with_two_globex();
    let mut f =
        silo_core::findings::tests_support::finding("f-1", "100000000099", silo_core::findings::Severity::High, true);
    f.tenant = Some("globex".into());
    let plan =
        silo_core::plan::ActionPlan::finding_status(&[&f], "RESOLVED", "fixed", ("2", "r"), "me").expect("a plan");
    let confirm = crate::modals::confirm::ConfirmState::new(plan.clone(), &app.store.shared_names());
    assert_eq!(confirm.expected(), "100000000099");
    let alone = crate::modals::confirm::ConfirmState::new(plan, &fixtures::app(fixtures::store()).store.shared_names());
    assert_eq!(alone.expected(), "globex", "one account with the name: the name");
}

#[test]
fn the_fleet_marks_a_name_two_accounts_carry_with_each_accounts_last_digits() {
    let app = fleet_with_two_globex();
    let names: Vec<String> = app
        .store
        .tenants
        .values()
        .map(|r| silo_core::fleet::column_cell(r, silo_core::fleet::Column::Tenant, fixtures::now()).text)
        .collect();
    let first = fixtures::tenant("globex", 1).account_id;
    assert!(names.contains(&format!("globex (…{})", &first[8..])) && names.contains(&"globex (…0099)".to_string()));
    assert!(names.contains(&"initech".to_string()), "a name one account carries is shown as it is");
}

#[test]
fn a_start_tenant_opens_once_the_tenant_list_arrives() {
    let mut app = fixtures::app(silo_core::store::Store::default());
    app.pending_tenant = Some("hooli".into());
    let tenants = fixtures::store().tenants.values().map(|r| r.tenant.clone()).collect();
    dispatch(
        &mut app,
        Action::Fetch(silo_core::store::FetchEvent::TenantsListed { result: Ok(tenants), at: fixtures::now() }),
    );
    assert_eq!(app.screen(), &Screen::Tenant(fixtures::tenant("hooli", 4).account_id));
    assert_eq!(app.pending_tenant, None);
}

#[test]
fn offline_lets_nothing_reach_aws_whichever_screen_asks() {
    let mut app = fixtures::app(fixtures::store());
    app.offline = true;
    app.screens.push(Screen::Spend);
    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Char('y'));
    update(&mut app, Action::Navigate(Screen::Audit));
    assert_eq!(app.take_requests(), vec![Request::LoadAudit], "the local journal is still read");
    assert!(app.status.as_ref().is_some_and(|s| s.0.starts_with("offline: nothing is asked of AWS")));
}

fn deploy_app(name: &str) -> (App, String) {
    let mut app = fixtures::app(fixtures::store());
    let account = app.store.tenant_by_name(name).map(|r| r.tenant.account_id.clone()).unwrap_or_default();
    dispatch(&mut app, Action::OpenDeploy(account.clone()));
    app.take_requests();
    (app, account)
}

#[test]
fn the_deployments_view_reads_every_tenant_and_refresh_reads_again() {
    let mut app = fixtures::app(fixtures::store());
    dispatch(&mut app, Action::Navigate(Screen::Deployments));
    let requests = app.take_requests();
    let [Request::DeployStatus(tenants)] = requests.as_slice() else { panic!("{requests:?}") };
    assert_eq!(tenants.len(), 6);
    assert!(app.store.deployments.values().all(|l| l.is_loading()));
    press(&mut app, KeyCode::Char('r'));
    let requests = app.take_requests();
    assert!(requests.contains(&Request::Refresh { force: true }));
    assert!(requests.iter().any(|r| matches!(r, Request::DeployStatus(t) if t.len() == 6)));
}

#[test]
fn resume_at_the_hook_needs_the_tenant_name_then_follows_the_deployment() {
    let (mut app, globex) = deploy_app("globex");
    press(&mut app, KeyCode::Char('u'));
    // globex's window is closed and 1.5.0 is not certified: the reason comes first.
    let Some(crate::modals::Modal::Reason(_)) = app.modals.last() else { panic!("the reason is asked") };
    type_text(&mut app, "customer asked on the bridge call");
    press(&mut app, KeyCode::Enter);
    let Some(crate::modals::Modal::Confirm(confirm)) = app.modals.last() else { panic!("the plan is shown") };
    assert_eq!(confirm.plans[0].api, "ecs:ContinueServiceDeployment");
    assert_eq!(confirm.plans[0].parameters["action"], "CONTINUE");
    press(&mut app, KeyCode::Enter);
    assert!(app.take_requests().is_empty(), "Enter alone is no yes");
    type_text(&mut app, "globex");
    press(&mut app, KeyCode::Enter);
    let requests = app.take_requests();
    assert!(matches!(requests.as_slice(), [Request::Execute(p)] if p.api == "ecs:ContinueServiceDeployment"));
    assert!(app.views.deploy.following.contains_key(&globex));
    let finished = silo_core::store::FetchEvent::ActionFinished {
        api: "ecs:ContinueServiceDeployment".into(),
        ok: true,
        message: "done".into(),
        at: fixtures::now(),
    };
    dispatch(&mut app, Action::Fetch(finished));
    let requests = app.take_requests();
    assert!(requests.iter().any(|r| matches!(r, Request::DeployStatus(t) if t[0].account_id == globex)));
}

#[test]
fn following_stops_once_the_deployment_has_ended() {
    let (mut app, initech) = deploy_app("initech");
    app.views.deploy.following.insert(initech.clone(), fixtures::now());
    dispatch(&mut app, Action::Tick(fixtures::now() + chrono::Duration::seconds(6)));
    assert!(app.views.deploy.following.contains_key(&initech), "the last read is older than the action");
    let mut ended = app.store.deployments[&initech].value().cloned().unwrap();
    ended.deployments[0].status = "SUCCESSFUL".into();
    let at = fixtures::now() + chrono::Duration::seconds(10);
    dispatch(
        &mut app,
        Action::Fetch(silo_core::store::FetchEvent::Deploy {
            account_id: initech.clone(),
            result: Ok(Box::new(ended)),
            at,
        }),
    );
    dispatch(&mut app, Action::Tick(at + chrono::Duration::seconds(1)));
    assert!(!app.views.deploy.following.contains_key(&initech));
    assert!(app.status.as_ref().is_some_and(|(t, _)| t.starts_with("initech: deployment ended (SUCCESSFUL)")));
}

#[test]
fn rollback_of_a_completed_deployment_picks_a_revision_first() {
    let (mut app, _) = deploy_app("initech");
    press(&mut app, KeyCode::Char('b'));
    let Some(crate::modals::Modal::RevisionPicker(picker)) = app.modals.last() else { panic!("the picker opens") };
    let good = picker.numbers[picker.selected];
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let Some(crate::modals::Modal::Confirm(confirm)) = app.modals.last() else { panic!("the plan is shown") };
    assert_eq!(confirm.plans[0].api, "ecs:UpdateService");
    let chosen = confirm.plans[0].parameters["taskDefinition"].as_str().unwrap_or_default().to_string();
    assert!(chosen.ends_with(&format!("initech-app:{}", good - 1)), "one below the last good: {chosen}");
}

#[test]
fn fleet_rollback_of_marked_tenants_is_one_confirmation_with_the_count() {
    let mut app = fixtures::app(fixtures::store());
    dispatch(&mut app, Action::Navigate(Screen::Deployments));
    app.take_requests();
    let accounts: Vec<String> = ["acme", "globex"]
        .iter()
        .filter_map(|n| app.store.tenant_by_name(n).map(|r| r.tenant.account_id.clone()))
        .collect();
    fixtures::reload_deployments(&mut app.store);
    app.views.deploy.marked = accounts.iter().cloned().collect();
    press(&mut app, KeyCode::Char('b'));
    type_text(&mut app, "roll back 2 tenants");
    press(&mut app, KeyCode::Enter);
    let requests = app.take_requests();
    let [Request::ExecuteSequence(plans)] = requests.as_slice() else { panic!("{requests:?}") };
    let apis: Vec<&str> = plans.iter().map(|p| p.api.as_str()).collect();
    assert_eq!(
        apis,
        vec!["ecs:StopServiceDeployment", "ecs:ContinueServiceDeployment"],
        "acme in flight, globex at its hook"
    );
    assert!(app.views.deploy.marked.is_empty());
}

#[test]
fn a_fleet_rollback_with_an_unplannable_tenant_is_not_offered() {
    let mut app = fixtures::app(fixtures::store());
    app.screens.push(Screen::Deployments);
    let stark = app.store.tenant_by_name("stark").map(|r| r.tenant.account_id.clone()).unwrap_or_default();
    let acme = app.store.tenant_by_name("acme").map(|r| r.tenant.account_id.clone()).unwrap_or_default();
    app.views.deploy.marked = [stark, acme].into_iter().collect();
    press(&mut app, KeyCode::Char('b'));
    assert!(app.modals.is_empty());
    assert!(app.status.as_ref().is_some_and(|(t, _)| t.contains("stark: deployments not loaded")), "{:?}", app.status);
}

#[test]
fn deployments_opened_before_the_tenants_are_known_are_read_once_they_are() {
    let mut app = fixtures::app(silo_core::store::Store::default());
    dispatch(&mut app, Action::Navigate(Screen::Deployments));
    assert!(app.take_requests().is_empty(), "no tenants yet");
    let tenants = vec![fixtures::tenant("acme", 0), fixtures::tenant("globex", 1)];
    let listed = silo_core::store::FetchEvent::TenantsListed { result: Ok(tenants.clone()), at: fixtures::now() };
    dispatch(&mut app, Action::Fetch(listed));
    assert_eq!(app.take_requests(), vec![Request::DeployStatus(tenants)]);
}

#[test]
fn y_copies_the_selected_id_and_o_shows_or_opens_its_console_page() {
    let mut app = fixtures::app(fixtures::store());
    let globex = app.store.tenant_by_name("globex").map(|r| r.tenant.account_id.clone()).unwrap();
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(app.take_requests(), vec![Request::Copy(globex.clone())], "the first row: globex");
    press(&mut app, KeyCode::Char('o'));
    let url = "https://sa-east-1.console.aws.amazon.com/ecs/v2/clusters/globex/services/app/health?region=sa-east-1";
    assert!(app.status.as_ref().is_some_and(|(t, _)| t.starts_with(url)), "{:?}", app.status);
    assert!(app.take_requests().is_empty(), "no opener configured: the URL is shown only");
    app.session.opener = Some("xdg-open".into());
    dispatch(&mut app, Action::Navigate(Screen::Alarms));
    app.take_requests();
    press(&mut app, KeyCode::Char('o'));
    let requests = app.take_requests();
    let [Request::OpenUrl(opener, url)] = requests.as_slice() else { panic!("{requests:?}") };
    assert_eq!(opener, "xdg-open");
    assert!(url.contains("cloudwatch/home?region=sa-east-1#alarmsV2:alarm/"), "{url}");
}

#[test]
fn the_header_names_who_silo_acts_as_once_known() {
    let mut app = fixtures::app(fixtures::store());
    let arn = "arn:aws:sts::100000000001:assumed-role/OnCall/maria".to_string();
    dispatch(&mut app, Action::Fetch(silo_core::store::FetchEvent::Identity(arn)));
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 10)).unwrap();
    terminal.draw(|f| crate::frame::render(f, &app)).unwrap();
    let top: String = (0..120).map(|x| terminal.backend().buffer()[(x, 0)].symbol().to_string()).collect();
    assert!(top.contains("OnCall/maria@100000000001"), "{top}");
    assert_eq!(crate::frame::short_identity("arn:aws:iam::123456789012:user/ops"), "ops@123456789012");
}

#[test]
fn a_click_selects_the_row_under_it_and_a_second_click_opens_it() {
    let mut app = fixtures::app(fixtures::store());
    let draw = |app: &App| {
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 20)).unwrap();
        terminal.draw(|f| crate::frame::render(f, app)).unwrap();
    };
    draw(&app);
    // Header line, table title, column titles: the second tenant (initech) is on row 4.
    dispatch(&mut app, Action::Click(4));
    assert_eq!(names(&app)[1], "initech");
    assert_eq!(app.views.fleet.selected, app.store.tenant_by_name("initech").map(|r| r.tenant.account_id.clone()));
    draw(&app);
    dispatch(&mut app, Action::Click(4));
    assert!(matches!(app.screen(), Screen::Tenant(_)), "a click on the selected row opens it");
    draw(&app);
    dispatch(&mut app, Action::Click(1));
    assert!(matches!(app.screen(), Screen::Tenant(_)), "no list on the tenant screen: a click does nothing");
}

#[test]
fn a_refused_action_is_not_followed_as_if_it_had_changed_something() {
    let (mut app, globex) = deploy_app("globex");
    press(&mut app, KeyCode::Char('u'));
    type_text(&mut app, "customer asked");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "globex");
    press(&mut app, KeyCode::Enter);
    assert!(app.views.deploy.following.contains_key(&globex));
    let refused = silo_core::store::FetchEvent::ActionFinished {
        api: "ecs:ContinueServiceDeployment".into(),
        ok: false,
        message: "ecs:ContinueServiceDeployment: refused: silo runs read-only".into(),
        at: fixtures::now(),
    };
    dispatch(&mut app, Action::Fetch(refused));
    assert!(app.views.deploy.following.is_empty());
    assert!(app.status.as_ref().is_some_and(|(t, _)| t.contains("refused")));
}

#[test]
fn a_tenant_card_shows_each_detail_loading_then_read_or_failed() {
    use silo_core::detail::DetailValue;
    use silo_core::service_events::{ServiceEvent, ServiceEvents, SPEC};
    let mut app = fixtures::app(fixtures::store());
    press(&mut app, KeyCode::Enter);
    let globex = fixtures::tenant("globex", 1).account_id;
    let asked = silo_core::store::FetchEvent::DetailsAsked { account_id: globex.clone(), names: vec![SPEC.name] };
    update(&mut app, Action::Fetch(asked));
    assert!(app.store.details[&(globex.clone(), SPEC.name)].is_loading());
    let events = ServiceEvents::new(vec![ServiceEvent {
        at: Some(fixtures::now() - chrono::Duration::minutes(4)),
        message: "(service app) was unable to place a task.".into(),
    }]);
    let read = silo_core::store::FetchEvent::Detail {
        account_id: globex.clone(),
        name: SPEC.name,
        result: Ok(DetailValue::new(events)),
        at: fixtures::now(),
    };
    update(&mut app, Action::Fetch(read));
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 50)).unwrap();
    terminal.draw(|f| crate::frame::render(f, &app)).unwrap();
    let buffer = terminal.backend().buffer();
    let screen: String =
        (0..50).map(|y| (0..200).map(|x| buffer[(x, y)].symbol().to_string()).collect::<String>() + "\n").collect();
    assert!(screen.contains("ECS service events"), "{screen}");
    assert!(screen.contains("4m ago  (service app) was unable to place a task."), "{screen}");
    press(&mut app, KeyCode::Char('r'));
    assert!(app.take_requests().contains(&Request::Details(fixtures::tenant("globex", 1))), "r re-reads the details");
}

#[test]
fn a_click_on_the_spend_list_selects_the_row_and_a_second_opens_it() {
    let mut app = fixtures::app(fixtures::store());
    dispatch(&mut app, Action::Navigate(Screen::Spend));
    let draw = |app: &App| {
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 30)).unwrap();
        terminal.draw(|f| crate::frame::render(f, app)).unwrap();
    };
    draw(&app);
    let area = app.clickable.get().expect("the spend list notes where its rows are");
    let second = crate::screens::spend::visible(&app.ctx(), &app.views.spend)[1].account_id.clone();
    dispatch(&mut app, Action::Click(area.first_y + 1));
    assert_eq!(app.views.spend.selected.as_deref(), Some(second.as_str()));
    draw(&app);
    dispatch(&mut app, Action::Click(area.first_y + 1));
    assert_eq!(app.screen(), &Screen::SpendDetail(second));
}

fn an_action_in_flight(app: &mut App) {
    let f =
        silo_core::findings::tests_support::finding("f-1", "000000000000", silo_core::findings::Severity::High, true);
    let plan = silo_core::plan::ActionPlan::finding_status(&[&f], "RESOLVED", "fixed", ("1", "r"), "me").unwrap();
    dispatch(app, Action::Execute(Box::new(plan)));
    app.take_requests();
}

fn finished(app: &mut App) {
    let at = fixtures::now();
    let event = silo_core::store::FetchEvent::ActionFinished { api: "x".into(), ok: true, message: "done".into(), at };
    dispatch(app, Action::Fetch(event));
}

/// Quitting never abandons an action: `q` asks, `a` lets the call in progress finish and starts
/// nothing more, and silo leaves once the action has reported its end.
#[test]
fn q_with_an_action_in_flight_asks_and_abort_leaves_once_the_call_ends() {
    let mut app = fixtures::app(fixtures::store());
    an_action_in_flight(&mut app);
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.should_quit);
    assert!(matches!(app.modals.last(), Some(crate::modals::Modal::Quit(q)) if q.in_flight == 1));
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(app.take_requests(), vec![Request::AbortActions]);
    assert!(!app.should_quit, "the call in progress is not abandoned");
    finished(&mut app);
    assert!(app.should_quit);
}

#[test]
fn wait_leaves_after_the_last_action_and_any_other_key_stays() {
    let mut app = fixtures::app(fixtures::store());
    an_action_in_flight(&mut app);
    an_action_in_flight(&mut app);
    press(&mut app, KeyCode::Char('q'));
    press(&mut app, KeyCode::Esc);
    assert!(app.modals.is_empty() && !app.quitting, "Esc stays");
    press(&mut app, KeyCode::Char('q'));
    press(&mut app, KeyCode::Char('w'));
    assert!(app.take_requests().is_empty(), "waiting aborts nothing");
    finished(&mut app);
    assert!(!app.should_quit, "one action is still running");
    finished(&mut app);
    assert!(app.should_quit);
}

#[test]
fn a_signal_with_nothing_in_flight_quits_at_once() {
    let mut app = fixtures::app(fixtures::store());
    dispatch(&mut app, Action::QuitWhenDone { abort: true });
    assert!(app.should_quit);
}

#[test]
fn offline_an_action_is_never_sent_so_it_never_holds_up_quitting() {
    let mut app = fixtures::app(fixtures::store());
    app.offline = true;
    an_action_in_flight(&mut app);
    assert_eq!(app.actions_in_flight, 0, "dropped offline: nothing is in flight");
    press(&mut app, KeyCode::Char('q'));
    assert!(app.should_quit);
}

/// `T` on an alarm opens its tenant's timeline around it; `R` reads the next range; Enter on a
/// deployment row pivots to the tenant's deployments.
#[test]
fn t_on_an_alarm_opens_the_timeline_around_it_and_enter_pivots() {
    let mut app = fixtures::app(fixtures::store());
    let initech = app.store.tenant_by_name("initech").map(|r| r.tenant.account_id.clone()).unwrap();
    dispatch(&mut app, Action::OpenAlarm(initech.clone(), "initech-alb-5xx".into()));
    app.take_requests();
    press(&mut app, KeyCode::Char('T'));
    assert_eq!(app.screen(), &Screen::Timeline(initech.clone()));
    let asked = Request::Timeline { account_id: initech.clone(), alarm: Some("initech-alb-5xx".into()), hours: 6 };
    assert_eq!(app.take_requests(), vec![asked]);
    press(&mut app, KeyCode::Char('R'));
    assert!(matches!(app.take_requests().as_slice(), [Request::Timeline { hours: 24, .. }]));
    let event = silo_core::store::FetchEvent::Timeline {
        timeline: Box::new(fixtures::incident_timeline()),
        at: fixtures::now(),
    };
    dispatch(&mut app, Action::Fetch(event));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), &Screen::DeployDetail(initech));
}

#[test]
fn t_without_a_tenant_says_how_to_get_one() {
    let mut app = fixtures::app(fixtures::store());
    dispatch(&mut app, Action::Navigate(Screen::Queries));
    press(&mut app, KeyCode::Char('T'));
    assert_eq!(app.screen(), &Screen::Queries);
    let text = app.status.clone().map(|(t, _)| t).unwrap_or_default();
    assert!(text.contains("select a tenant first"), "{text}");
}

/// `C` on a timeline opens the CloudTrail write-events query for exactly its tenant and range;
/// nothing runs (and nothing is billed) before the form is accepted.
#[test]
fn shift_c_on_a_timeline_opens_the_cloudtrail_query_for_its_range() {
    let mut app = fixtures::app(fixtures::store());
    let initech = app.store.tenant_by_name("initech").map(|r| r.tenant.account_id.clone()).unwrap();
    dispatch(&mut app, Action::OpenTimeline(initech.clone(), None));
    let timeline = fixtures::incident_timeline();
    let (from, to) = (timeline.from, timeline.to);
    dispatch(&mut app, Action::Fetch(silo_core::store::FetchEvent::Timeline { timeline: Box::new(timeline), at: to }));
    app.take_requests();
    press(&mut app, KeyCode::Char('C'));
    let Some(crate::modals::Modal::QueryForm(form)) = app.modals.last() else { panic!("the form opens") };
    assert_eq!(form.query.name, "cloudtrail-write-events");
    let time = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert_eq!(form.values, vec![initech, time(from), time(to), time(from), time(to)]);
    assert!(app.take_requests().is_empty(), "nothing sent to Athena yet");
}

#[test]
fn t_on_the_alarm_list_opens_the_timeline_around_the_selected_alarm() {
    let mut app = fixtures::app(fixtures::store());
    dispatch(&mut app, Action::Navigate(Screen::Alarms));
    app.take_requests();
    press(&mut app, KeyCode::Char('T'));
    let requests = app.take_requests();
    let [Request::Timeline { account_id, alarm: Some(alarm), hours: 6 }] = requests.as_slice() else {
        panic!("{requests:?}")
    };
    assert_eq!(app.screen(), &Screen::Timeline(account_id.clone()));
    let first = crate::screens::alarms::visible(&app.ctx(), &app.views.alarms).first().map(|r| r.name.clone());
    assert_eq!(Some(alarm.clone()), first, "the selected (first) alarm");
}

/// The card's p/u/b plan from the tenant's deployments, so a refresh on the card re-reads them:
/// a plan built from data older than two refreshes would be refused.
#[test]
fn a_refresh_on_the_tenant_card_re_reads_its_deployments() {
    let mut app = fixtures::app(fixtures::store());
    let acme = app.store.tenant_by_name("acme").map(|r| r.tenant.account_id.clone()).unwrap();
    dispatch(&mut app, Action::OpenTenant(acme.clone()));
    app.take_requests();
    app.store.refresh_finished = Some(fixtures::now());
    press(&mut app, KeyCode::Char('r'));
    let requests = app.take_requests();
    let asked =
        requests.iter().any(|r| matches!(r, Request::DeployStatus(t) if t.len() == 1 && t[0].account_id == acme));
    assert!(asked, "{requests:?}");
}

#[test]
fn enter_on_an_aws_health_event_opens_the_first_affected_tenant_and_j_moves_on() {
    let mut app = fixtures::app(fixtures::store());
    update(&mut app, Action::Navigate(Screen::Health));
    let key = silo_core::aws_health::EVENTS.of_org();
    assert_eq!(app.take_requests(), vec![Request::Read(key.clone())], "the list is read when the screen opens");
    assert!(app.store.reading(&key).is_some_and(|l| l.value().is_some()), "the last list stays while it loads");
    press(&mut app, KeyCode::Char('r'));
    assert!(app.take_requests().contains(&Request::Read(key)), "and again on r");
    let globex = app.store.tenant_by_name("globex").map(|r| r.tenant.account_id.clone()).expect("globex");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), &Screen::Tenant(globex), "the open EC2 issue affects globex first");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    let acme = app.store.tenant_by_name("acme").map(|r| r.tenant.account_id.clone()).expect("acme");
    assert_eq!(app.screen(), &Screen::Tenant(acme), "the closed event below it affects acme");
}

#[test]
fn a_failed_health_read_keeps_the_last_list_marked_by_its_error() {
    let mut app = fixtures::app(fixtures::store());
    let denied = silo_core::error::FetchError::new(
        silo_core::model::AwsService::Health,
        silo_core::error::ErrorKind::Denied,
        "SubscriptionRequiredException",
    );
    let key = silo_core::aws_health::EVENTS.of_org();
    let failed = silo_core::store::FetchEvent::Read { key: key.clone(), result: Err(denied), at: fixtures::now() };
    update(&mut app, Action::Fetch(failed));
    let list = app.store.answer(&silo_core::aws_health::EVENTS, &key);
    assert_eq!(list.error().map(|e| e.kind), Some(silo_core::error::ErrorKind::Denied));
    assert!(list.value().is_some(), "the last list stays, marked by the error");
}

#[test]
fn the_release_train_reads_schedules_filters_by_version_and_opens_a_tenant() {
    let mut app = fixtures::app(fixtures::store());
    update(&mut app, Action::Navigate(Screen::Rollouts));
    let asked = app.take_requests();
    assert!(matches!(asked.as_slice(), [Request::Scheduled(t)] if t.len() == 6), "{asked:?}");
    assert!(app.store.scheduled.values().all(|s| s.is_loading()), "shown as loading until they answer");
    app.views.rollouts.filter = "version:1.4".into();
    press(&mut app, KeyCode::Enter);
    let first_of_1_4_2 = app.store.tenant_by_name("acme").map(|r| r.tenant.account_id.clone()).expect("acme");
    assert_eq!(app.screen(), &Screen::Tenant(first_of_1_4_2), "1.5.0 (globex) is filtered out; 1.4.2 comes first");
}

fn top_plan(app: &App) -> silo_core::plan::ActionPlan {
    match app.modals.last() {
        Some(crate::modals::Modal::Confirm(c)) => c.plans[0].clone(),
        other => panic!("expected a confirmation, found {other:?}"),
    }
}

#[test]
fn scheduling_an_uncertified_version_asks_why_then_plans_the_exact_schedule_with_the_reason() {
    let mut app = fixtures::app(fixtures::store());
    let globex = fixtures::tenant("globex", 1).account_id;
    update(&mut app, Action::PlanSchedule(ask(vec![globex]), Default::default()));
    let Some(crate::modals::Modal::Reason(reason)) = app.modals.last() else {
        panic!("{:?} {:?}", app.modals, app.status)
    };
    let crate::modals::reason::ReasonFor::ScheduleOverride { terms, problems, .. } = &reason.purpose else {
        panic!("{:?}", reason.purpose)
    };
    assert_eq!(terms, &[silo_core::plan::Term::Uncertified]);
    assert_eq!(problems, &["globex: 1.5.0 is NOT certified by the customer (certified: 1.4.x)"]);
    type_text(&mut app, "customer certified by email");
    press(&mut app, KeyCode::Enter);
    let plan = top_plan(&app);
    assert_eq!(plan.api, "scheduler:CreateSchedule");
    assert_eq!(plan.confirmation(&silo_core::tenant_lookup::SharedNames::none()), "globex");
    // globex's window: Sundays 02:00-04:00 in São Paulo, the next one tomorrow.
    assert_eq!(plan.parameters["ScheduleExpression"], "at(2026-03-15T02:00:00)");
    assert_eq!(plan.parameters["ScheduleExpressionTimezone"], "America/Sao_Paulo");
    assert_eq!(plan.overrides[0].reason, "customer certified by email");
    assert!(app.outbox.is_empty(), "nothing runs before the typed confirmation");
}

#[test]
fn a_second_schedule_at_the_same_window_is_refused_and_the_soonest_can_be_cancelled() {
    let mut app = fixtures::app(fixtures::store());
    let acme = fixtures::tenant("acme", 0).account_id;
    update(&mut app, Action::PlanSchedule(ask(vec![acme.clone()]), Default::default()));
    assert!(app.modals.is_empty());
    let (text, _) = app.status.clone().expect("a refusal");
    assert!(text.contains("already has a schedule at 2026-03-15T01:00:00Z: silo-acme-r13-20260314T2200"), "{text}");
    update(&mut app, Action::PlanCancelSchedule(acme));
    let plan = top_plan(&app);
    assert_eq!(plan.api, "scheduler:DeleteSchedule");
    assert_eq!(
        plan.parameters,
        serde_json::json!({ "Name": "silo-acme-r13-20260314T2200", "GroupName": "silo-rollouts" })
    );
}

#[test]
fn scheduling_a_tenant_whose_deployments_are_denied_says_so_without_asking_again() {
    let mut app = fixtures::app(fixtures::store());
    let umbrella = fixtures::tenant("umbrella", 3).account_id;
    update(&mut app, Action::PlanSchedule(ask(vec![umbrella]), Default::default()));
    let (text, _) = app.status.clone().expect("a refusal");
    assert!(text.starts_with("cannot schedule: umbrella's deployments cannot be read: cannot assume role"), "{text}");
    assert!(app.outbox.is_empty(), "no read that would fail the same way");
}

#[test]
fn scheduling_before_the_revisions_are_read_reads_them_then_plans() {
    let mut app = fixtures::app(fixtures::store());
    let hooli = fixtures::tenant("hooli", 4).account_id;
    update(&mut app, Action::PlanSchedule(ask(vec![hooli.clone()]), Default::default()));
    assert!(app.modals.is_empty());
    let requests = app.take_requests();
    assert!(requests.iter().any(|r| matches!(r, Request::DeployStatus(t) if t.len() == 1)), "{requests:?}");
    assert!(requests.iter().any(|r| matches!(r, Request::Scheduled(t) if t.len() == 1)), "{requests:?}");
    let tenant = app.store.tenants[&hooli].tenant.clone();
    let status = silo_demo::deployments_at(&tenant, silo_demo::Profile::Healthy, 3, fixtures::now());
    let at = fixtures::now();
    let deployed = silo_core::store::FetchEvent::Deploy { account_id: hooli.clone(), result: Ok(Box::new(status)), at };
    let mut next = update(&mut app, Action::Fetch(deployed));
    assert!(next.is_none(), "the schedules are still being read");
    let scheduled = silo_core::store::FetchEvent::Scheduled { account_id: hooli, result: Ok(Vec::new()), at };
    next = update(&mut app, Action::Fetch(scheduled));
    while let Some(a) = next {
        next = update(&mut app, a);
    }
    let (text, _) = app.status.clone().expect("the plan's answer");
    assert!(text.contains("hooli has no maintenance window stated"), "planned once read: {text}");
    assert_eq!(app.views.rollouts.pending, None);
}

#[test]
fn marked_tenants_are_scheduled_together_after_one_reason_and_one_typed_count() {
    let mut app = fixtures::app(fixtures::store());
    update(&mut app, Action::Navigate(Screen::Rollouts));
    fixtures::reload_schedules(&mut app.store);
    let (globex, initech) = (fixtures::tenant("globex", 1), fixtures::tenant("initech", 2));
    // initech's last deployment succeeded in this test: the newest revision is ahead of it.
    let healthy = silo_demo::deployments_at(&initech, silo_demo::Profile::Healthy, 3, fixtures::now());
    let at = fixtures::now();
    let event = silo_core::store::FetchEvent::Deploy {
        account_id: initech.account_id.clone(),
        result: Ok(Box::new(healthy)),
        at,
    };
    update(&mut app, Action::Fetch(event));
    app.views.rollouts.marked = [globex.account_id.clone(), initech.account_id.clone()].into_iter().collect();
    press(&mut app, KeyCode::Char('U'));
    let Some(crate::modals::Modal::ScheduleForm(form)) = app.modals.last() else { panic!("{:?}", app.modals) };
    assert!(form.revisions.is_empty(), "several tenants: each one's newest revision");
    press(&mut app, KeyCode::Enter);
    let Some(crate::modals::Modal::Reason(reason)) = app.modals.last() else { panic!("{:?}", app.status) };
    let crate::modals::reason::ReasonFor::ScheduleOverride { ask, terms, .. } = &reason.purpose else {
        panic!("{:?}", reason.purpose)
    };
    assert_eq!((ask.accounts.len(), terms.as_slice()), (2, &[silo_core::plan::Term::Uncertified][..]));
    type_text(&mut app, "both customers signed off");
    press(&mut app, KeyCode::Enter);
    let Some(crate::modals::Modal::Confirm(confirm)) = app.modals.last() else { panic!("{:?}", app.modals) };
    assert_eq!(confirm.expected(), "schedule 2 tenants");
    let tenants: Vec<String> = confirm.plans.iter().flat_map(|p| p.tenants()).flatten().collect();
    assert_eq!(tenants, ["globex", "initech"]);
    assert!(confirm.plans.iter().all(|p| p.overrides[0].reason == "both customers signed off"));
    type_text(&mut app, "schedule 2 tenants");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.take_requests().last(), Some(Request::ExecuteSequence(plans)) if plans.len() == 2));
    assert!(app.views.rollouts.marked.is_empty(), "the marks are spent");
    assert_eq!(app.status.as_ref().map(|s| s.0.as_str()), Some("scheduling 2 tenants in order…"));
}

fn ask(accounts: Vec<String>) -> crate::action::ScheduleAsk {
    crate::action::ScheduleAsk { accounts, ..Default::default() }
}

#[test]
fn one_tenant_is_scheduled_to_the_revision_and_the_time_chosen_in_its_zone() {
    let mut app = fixtures::app(fixtures::store());
    let acme = fixtures::tenant("acme", 0).account_id;
    update(&mut app, Action::AskSchedule(vec![acme]));
    let Some(crate::modals::Modal::ScheduleForm(form)) = app.modals.last() else { panic!("{:?}", app.modals) };
    // acme rolls out its newest revision; the one before runs now: pick the one before that.
    let (newest, older) = (form.revisions[0], form.revisions[2]);
    assert!(newest > older, "newest first: {:?}", form.revisions);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    type_text(&mut app, "next sunday");
    press(&mut app, KeyCode::Enter);
    let Some(crate::modals::Modal::ScheduleForm(form)) = app.modals.last() else { panic!("the form stays") };
    assert!(form.error.as_deref().is_some_and(|e| e.contains("expected yyyy-mm-dd hh:mm")), "{:?}", form.error);
    "next sunday".chars().for_each(|_| press(&mut app, KeyCode::Backspace));
    // acme's window: daily 22:00-01:00 in São Paulo; 23:00 there is 02:00 UTC the next day.
    type_text(&mut app, "2026-03-16 23:00");
    press(&mut app, KeyCode::Enter);
    assert!(app.modals.last().is_some(), "{:?}", app.status);
    let plan = top_plan(&app);
    assert_eq!(plan.parameters["ScheduleExpression"], "at(2026-03-16T23:00:00)");
    assert_eq!(plan.parameters["ScheduleExpressionTimezone"], "America/Sao_Paulo");
    assert!(plan.parameters["Target"]["Input"].as_str().unwrap().ends_with(&format!(":{older}\"}}")));
    assert_eq!(plan.parameters["Name"], format!("silo-100000000000-r{older}-20260316T2300"));
}

#[test]
fn a_schedule_form_opened_before_the_revisions_are_read_offers_them_once_they_are() {
    let mut app = fixtures::app(fixtures::store());
    let hooli = fixtures::tenant("hooli", 4);
    update(&mut app, Action::AskSchedule(vec![hooli.account_id.clone()]));
    let Some(crate::modals::Modal::ScheduleForm(form)) = app.modals.last() else { panic!("{:?}", app.modals) };
    assert!(form.revisions.is_empty(), "not read yet");
    let status = silo_demo::deployments_at(&hooli, silo_demo::Profile::Healthy, 3, fixtures::now());
    let newest = status.revisions.iter().map(|r| r.number).max();
    let at = fixtures::now();
    let event = silo_core::store::FetchEvent::Deploy { account_id: hooli.account_id, result: Ok(Box::new(status)), at };
    update(&mut app, Action::Fetch(event));
    let Some(crate::modals::Modal::ScheduleForm(form)) = app.modals.last() else { panic!("{:?}", app.modals) };
    assert_eq!(form.revisions.first().copied(), newest, "newest first, now offered");
}

#[test]
fn after_a_schedule_action_only_its_tenants_schedules_are_read_again() {
    let mut app = fixtures::app(fixtures::store());
    let acme = fixtures::tenant("acme", 0);
    update(&mut app, Action::PlanCancelSchedule(acme.account_id.clone()));
    let plan = top_plan(&app);
    app.modals.clear();
    update(&mut app, Action::Execute(Box::new(plan)));
    app.take_requests();
    let finished = silo_core::store::FetchEvent::ActionFinished {
        api: "scheduler:DeleteSchedule".into(),
        ok: true,
        message: "done".into(),
        at: fixtures::now(),
    };
    update(&mut app, Action::Fetch(finished));
    let scheduled: Vec<Request> =
        app.take_requests().into_iter().filter(|r| matches!(r, Request::Scheduled(_))).collect();
    assert_eq!(scheduled, [Request::Scheduled(vec![acme])], "acme's, not the fleet's");
}

#[test]
fn a_budget_detail_reads_its_history_once_and_a_tenant_without_a_budget_reads_nothing() {
    let mut app = fixtures::app(fixtures::store());
    let globex = fixtures::tenant("globex", 1).account_id;
    dispatch(&mut app, Action::OpenSpendDetail(globex.clone()));
    let key = silo_core::spend::history_key(&app.store, &globex).expect("globex has a budget");
    assert_eq!(key.arg, "monthly", "read by the budget's name");
    assert_eq!(app.take_requests(), vec![Request::Read(key)]);
    dispatch(&mut app, Action::Back);
    dispatch(&mut app, Action::OpenSpendDetail(globex));
    assert!(app.take_requests().is_empty(), "on its way already");
    let stark = fixtures::tenant("stark", 5).account_id;
    dispatch(&mut app, Action::OpenSpendDetail(stark));
    assert!(app.take_requests().is_empty(), "stark has no budget");
}

#[test]
fn errors_opens_by_name_lists_denied_first_and_enter_opens_that_tenants_card() {
    let mut app = fixtures::app(fixtures::store());
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "errors");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), &Screen::Errors);
    assert!(app.take_requests().is_empty(), "the list is read from the store: nothing to fetch");
    let umbrella = app.store.tenant_by_name("umbrella").map(|r| r.tenant.account_id.clone()).unwrap();
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(app.take_requests(), vec![Request::Copy(umbrella.clone())], "denied comes first");
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "not found");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let stark = app.store.tenant_by_name("stark").map(|r| r.tenant.account_id.clone()).unwrap();
    assert_eq!(app.screen(), &Screen::Tenant(stark.clone()), "the filter left stark's missing service");
    assert!(app.take_requests().contains(&Request::Dashboard(stark, app.range, None)), "the card reads its dashboard");
}

#[test]
fn releases_reads_the_registry_and_the_schedules_enter_shows_the_version_on_the_train() {
    let mut store = fixtures::store();
    fixtures::add_releases(&mut store);
    let mut app = fixtures::app(store);
    dispatch(&mut app, Action::Navigate(Screen::Releases));
    let requests = app.take_requests();
    assert_eq!(requests.first(), Some(&Request::Read(silo_core::releases::RELEASES.of_org())));
    assert!(requests.iter().any(|r| matches!(r, Request::Scheduled(_))), "{requests:?}");
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('y'));
    let digest = fixtures::releases().images[2].digest.clone();
    assert_eq!(app.take_requests(), vec![Request::Copy(digest)], "the second row, 1.5.0, copies its image digest");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), &Screen::Rollouts);
    assert_eq!(app.views.rollouts.filter, "version:1.5.0");
}

#[test]
fn d_on_a_finding_opens_its_detective_investigation_only_when_detective_is_configured() {
    let mut app = fixtures::app(fixtures::store());
    let finding = app.store.all_findings().next().expect("a fixture finding").clone();
    dispatch(&mut app, Action::OpenFinding(finding.id.clone()));
    press(&mut app, KeyCode::Char('D'));
    assert!(app.status.as_ref().is_some_and(|(t, _)| t.contains("detective = true in [audit]")), "{:?}", app.status);
    assert!(app.take_requests().is_empty());
    app.session.detective = true;
    app.session.opener = Some("xdg-open".into());
    press(&mut app, KeyCode::Char('D'));
    let url = silo_core::links::detective_url(&finding);
    assert!(url.contains("/detective/home?region="), "{url}");
    assert_eq!(app.take_requests(), vec![Request::OpenUrl("xdg-open".into(), url)]);
}

#[test]
fn with_releases_set_up_the_train_reads_the_registry_and_a_plan_checks_the_versions_scan() {
    let mut app = fixtures::app(fixtures::store());
    app.session.releases = Some(1);
    update(&mut app, Action::Navigate(Screen::Rollouts));
    let asked = app.take_requests();
    assert!(asked.contains(&Request::Read(silo_core::releases::RELEASES.of_org())), "{asked:?}");
    fixtures::reload_schedules(&mut app.store);
    let globex = fixtures::tenant("globex", 1).account_id;
    // The registry has not answered yet: no version can be cleared.
    update(&mut app, Action::PlanSchedule(ask(vec![globex.clone()]), Default::default()));
    let terms_asked = |app: &App| match app.modals.last() {
        Some(crate::modals::Modal::Reason(r)) => match &r.purpose {
            crate::modals::reason::ReasonFor::ScheduleOverride { terms, problems, .. } => {
                (terms.clone(), problems.clone())
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?} {:?}", app.status),
    };
    let (terms, problems) = terms_asked(&app);
    assert_eq!(terms, [silo_core::plan::Term::Uncertified, silo_core::plan::Term::Vulnerable]);
    assert!(problems[1].contains("is not known (the registry is still being read)"), "{problems:?}");
    app.modals.clear();
    fixtures::add_releases(&mut app.store);
    update(&mut app, Action::PlanSchedule(ask(vec![globex]), Default::default()));
    let (_, problems) = terms_asked(&app);
    assert_eq!(problems[1], "globex: 1.5.0's image has no completed scan (IN_PROGRESS)");
}

/// The fleet shows its first row selected before the cursor moves (and after a filter leaves one
/// row): T, and every key that acts on the selected tenant, acts on that row.
#[test]
fn after_a_filter_the_only_row_shown_is_the_selected_tenant() {
    let mut app = fixtures::app(fixtures::store());
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "initech");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('T'));
    let initech = fixtures::tenant("initech", 2).account_id;
    assert_eq!(app.screen(), &Screen::Timeline(initech), "{:?}", app.status);
}
