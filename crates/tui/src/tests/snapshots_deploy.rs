//! Snapshots of the deployment screens and dialogs at 80×24 and 200×50.

use crate::action::{Action, DeployOp, Screen};
use crate::app::{update, App};
use crate::fixtures;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal.draw(|f| crate::frame::render(f, app)).expect("draw");
    terminal
}

fn run(app: &mut App, action: Action) {
    let mut next = Some(action);
    while let Some(a) = next {
        next = update(app, a);
    }
}

fn press(app: &mut App, code: KeyCode) {
    run(app, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn account(app: &App, name: &str) -> String {
    app.store.tenant_by_name(name).map(|r| r.tenant.account_id.clone()).unwrap_or_default()
}

fn deployments_app() -> App {
    let mut app = fixtures::app(fixtures::store());
    app.screens.push(Screen::Deployments);
    app
}

fn detail_app(name: &str) -> App {
    let mut app = fixtures::app(fixtures::store());
    let account = account(&app, name);
    app.screens.push(Screen::DeployDetail(account));
    app
}

#[test]
fn deployments_list_small() {
    insta::assert_snapshot!(draw(&deployments_app(), 80, 24).backend());
}

#[test]
fn deployments_list_large() {
    insta::assert_snapshot!(draw(&deployments_app(), 200, 50).backend());
}

#[test]
fn deploy_detail_paused_small() {
    insta::assert_snapshot!(draw(&detail_app("globex"), 80, 24).backend());
}

#[test]
fn deploy_detail_paused_large() {
    insta::assert_snapshot!(draw(&detail_app("globex"), 200, 50).backend());
}

#[test]
fn deploy_detail_failed() {
    insta::assert_snapshot!(draw(&detail_app("initech"), 120, 40).backend());
}

#[test]
fn revision_picker_preselects_the_last_good_revision() {
    let mut app = detail_app("initech");
    press(&mut app, KeyCode::Char('b'));
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn rollback_plan_confirmation_small() {
    let mut app = detail_app("initech");
    press(&mut app, KeyCode::Char('b'));
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn rollback_plan_confirmation_large() {
    let mut app = detail_app("initech");
    press(&mut app, KeyCode::Char('b'));
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(draw(&app, 200, 50).backend());
}

#[test]
fn resume_at_the_hook_confirmation() {
    let mut app = detail_app("globex");
    press(&mut app, KeyCode::Char('u'));
    "customer asked".chars().for_each(|c| press(&mut app, KeyCode::Char(c)));
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
}

/// Resuming outside globex's window, to a version it has not certified: why, first.
#[test]
fn outside_the_terms_reason_prompt() {
    let mut app = detail_app("globex");
    press(&mut app, KeyCode::Char('u'));
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
}

#[test]
fn reason_prompt() {
    let mut app = detail_app("globex");
    press(&mut app, KeyCode::Char('p'));
    "customer asked".chars().for_each(|c| press(&mut app, KeyCode::Char(c)));
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn fleet_rollback_confirmation_names_the_count() {
    let mut app = deployments_app();
    let (acme, globex) = (account(&app, "acme"), account(&app, "globex"));
    app.views.deploy.marked = [acme, globex].into_iter().collect();
    press(&mut app, KeyCode::Char('b'));
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
}

#[test]
fn fleet_rollback_results_are_listed_per_tenant() {
    use silo_core::plan::{SequenceStep, StepOutcome};
    let mut app = deployments_app();
    let step = |tenant: &str, outcome| SequenceStep {
        tenant: tenant.into(),
        account_id: String::new(),
        api: "ecs:StopServiceDeployment".into(),
        outcome,
    };
    let results = vec![
        step("acme", StepOutcome::Done("req-1".into())),
        step("globex", StepOutcome::Failed("ecs denied: not authorized".into())),
        step("initech", StepOutcome::NotAttempted),
    ];
    run(&mut app, Action::Fetch(silo_core::store::FetchEvent::SequenceFinished { results, at: fixtures::now() }));
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
}

#[test]
fn nothing_to_resume_is_said_in_the_footer() {
    let mut app = detail_app("hooli");
    let hooli = account(&app, "hooli");
    run(&mut app, Action::PlanDeploy(hooli, DeployOp::Resume));
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

/// `U` on acme in `:rollouts`: its family's revisions, newest first, and the time to type.
#[test]
fn schedule_form() {
    let mut app = fixtures::app(fixtures::store());
    run(&mut app, Action::Navigate(Screen::Rollouts));
    fixtures::reload_schedules(&mut app.store);
    let acme = account(&app, "acme");
    run(&mut app, Action::AskSchedule(vec![acme]));
    press(&mut app, KeyCode::Down);
    "2026-03-16 23:00".chars().for_each(|c| press(&mut app, KeyCode::Char(c)));
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
}

/// `:rollouts` on a wide terminal: what became of each tenant's last schedule (acme's landed,
/// initech's failed at the target), beside the next one.
#[test]
fn rollouts_last_run_wide() {
    let mut app = fixtures::app(fixtures::store());
    run(&mut app, Action::Navigate(Screen::Rollouts));
    fixtures::reload_schedules(&mut app.store);
    insta::assert_snapshot!(draw(&app, 140, 16).backend());
}
