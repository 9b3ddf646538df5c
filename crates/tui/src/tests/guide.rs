//! docs/user-guide.md stays true to the code: its screenshots are the real screens rendered from
//! the fixture organization, and its key table is the built-in keymap. The test fails when either
//! differs; `SILO_UPDATE_GUIDE=1 cargo test --lib guide` rewrites them.

use crate::action::{Action, Screen};
use crate::app::{dispatch, App};
use crate::fixtures;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

const GUIDE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/user-guide.md");
const WIDTH: u16 = 100;
const HEIGHT: u16 = 26;

/// The screen as a person sees it: one line per row, trailing blanks removed.
fn screenshot(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test backend");
    terminal.draw(|f| crate::frame::render(f, app)).expect("draw");
    let buffer = terminal.backend().buffer();
    let rows: Vec<String> = (0..HEIGHT)
        .map(|y| (0..WIDTH).map(|x| buffer[(x, y)].symbol().to_string()).collect::<String>().trim_end().to_string())
        .collect();
    rows.join("\n")
}

fn on(screen: Screen) -> App {
    let mut app = fixtures::app(fixtures::store());
    app.views.fleet.selected = app.store.tenant_by_name("globex").map(|r| r.tenant.account_id.clone());
    dispatch(&mut app, Action::Navigate(screen));
    app.take_requests();
    fixtures::reload_deployments(&mut app.store);
    app
}

fn account(app: &App, name: &str) -> String {
    app.store.tenant_by_name(name).map(|r| r.tenant.account_id.clone()).unwrap_or_default()
}

/// `m` on globex, the demo's incident: the 5xx chart full screen, the cursor three steps back.
fn charts(globex: &str) -> App {
    let mut app = on(Screen::Fleet);
    let now = fixtures::now();
    let tenant = app.store.tenants[globex].tenant.clone();
    let board = silo_demo::dashboard_at(&tenant, silo_demo::Profile::Flapping, silo_core::metrics::Range::H1, now);
    app.store.dashboards.entry(globex.to_string()).or_default().finish(Ok(board), now);
    let status = silo_demo::deployments_at(&tenant, silo_demo::Profile::Flapping, 0, now);
    app.store.deployments.entry(globex.to_string()).or_default().finish(Ok(status), now);
    app.range = silo_core::metrics::Range::H1;
    app.screens.push(Screen::Charts(globex.to_string()));
    let five_xx = app.store.dashboards[globex].value().and_then(|d| d.series.iter().position(|s| s.id == "alb_5xx"));
    app.views.charts =
        crate::screens::charts::ChartsState { selected: five_xx.unwrap_or(0), full: true, cursor: Some(94) };
    app
}

/// `m` on 1.5.0 in `:releases`, the p99 over 24h each side: what the engine answers on the demo
/// (`crates/engine/tests/demo.rs` checks that answer), with figures fixed for the picture.
fn compare() -> App {
    use silo_core::compare::{Ask, Comparison, Method, Move, Row};
    let mut app = on(Screen::Fleet);
    let now = fixtures::now();
    let moved = |hours: i64| {
        let started = now - chrono::Duration::hours(hours);
        Some(Move { started, finished: started + chrono::Duration::minutes(9), task_definition: None })
    };
    let row = |name: &str, hours: i64, before: f64, after: f64| {
        let r = Row { moved: moved(hours), ..Row::new(name, "1") };
        r.judge(&[before; 1440], &[after; 1440], 20.0, hours < 24)
    };
    let mut rows = vec![
        row("ember-textiles", 144, 0.61, 0.86),
        row("cobalt-mining", 144, 0.61, 0.62),
        row("quartz-glass", 144, 0.61, 0.60),
        row("borealis-steel", 1, 0.61, 0.62),
        Row::new("aurora-foods", "2"),
    ];
    silo_core::compare::worst_first(&mut rows);
    let value = silo_core::reads::ReadValue::new(Comparison { method: Method::new(86_400, 60, 20.0), rows });
    let ask = Ask::parse("1.5.0", "p99", "24h", 20.0).expect("ask");
    app.store.apply(silo_core::store::FetchEvent::Read { key: ask.key(), result: Ok(value), at: now });
    app.views.compare = crate::screens::compare::CompareState { metric: 1, window: 2, selected: None };
    app.screens.push(Screen::Compare("1.5.0".into()));
    app
}

/// (marker name, app showing it), in the guide's order.
fn screens() -> Vec<(&'static str, App)> {
    let fleet = on(Screen::Fleet);
    let globex = account(&fleet, "globex");
    let mut tenant = on(Screen::Fleet);
    let board = silo_demo::dashboard_at(
        &tenant.store.tenants[&globex].tenant,
        silo_demo::Profile::Flapping,
        silo_core::metrics::Range::H3,
        fixtures::now(),
    );
    tenant.store.dashboards.entry(globex.clone()).or_default().finish(Ok(board), fixtures::now());
    tenant.screens.push(Screen::Tenant(globex.clone()));
    let mut deploy = on(Screen::Deployments);
    deploy.screens.push(Screen::DeployDetail(globex.clone()));
    let mut help = on(Screen::Fleet);
    help.modals.push(crate::modals::Modal::Help(crate::modals::help::HelpState::default()));
    let mut finding = on(Screen::Findings);
    finding.screens.push(Screen::FindingDetail("sh-1".into()));
    let mut spend_detail = on(Screen::Spend);
    let months = fixtures::twelve_months();
    let key = silo_core::spend::history_key(&spend_detail.store, &globex).expect("globex has a budget");
    let months = silo_core::reads::ReadValue::new(months);
    spend_detail.store.apply(silo_core::store::FetchEvent::Read { key, result: Ok(months), at: fixtures::now() });
    spend_detail.screens.push(Screen::SpendDetail(globex.clone()));
    let mut alarm = on(Screen::Alarms);
    let item = |mins: i64, text: &str| silo_core::alarms::AlarmHistoryItem {
        time: Some(fixtures::now() - chrono::Duration::minutes(mins)),
        kind: "StateUpdate".into(),
        summary: text.into(),
    };
    let history = vec![item(67, "Alarm updated from OK to ALARM"), item(300, "Alarm updated from ALARM to OK")];
    let key = silo_core::alarms::HISTORY.of_tenant(&globex, "alb-5xx-1");
    let history = silo_core::reads::ReadValue::new(history);
    alarm.store.apply(silo_core::store::FetchEvent::Read { key, result: Ok(history), at: fixtures::now() });
    alarm.screens.push(Screen::AlarmDetail(globex.clone(), "alb-5xx-1".into()));
    let mut audit = on(Screen::Fleet);
    audit.views.audit_log = crate::screens::audit::AuditState { entries: Ok(vec![journal_entry()]), selected: 0 };
    audit.session.journal_path = "/home/oncall/.local/state/silo/audit.jsonl".into();
    audit.screens.push(Screen::Audit);
    let mut timeline = on(Screen::Fleet);
    let initech_account = account(&timeline, "initech");
    dispatch(&mut timeline, Action::OpenTimeline(initech_account, Some("initech-alb-5xx".into())));
    let gathered = Box::new(fixtures::incident_timeline());
    dispatch(
        &mut timeline,
        Action::Fetch(silo_core::store::FetchEvent::Timeline { timeline: gathered, at: fixtures::now() }),
    );
    let mut rollback = on(Screen::Deployments);
    let initech = account(&rollback, "initech");
    rollback.screens.push(Screen::DeployDetail(initech.clone()));
    dispatch(&mut rollback, Action::PlanDeploy(initech, crate::action::DeployOp::Rollback { to: None }));
    vec![
        ("fleet", fleet),
        ("tenant", tenant),
        ("charts", charts(&globex)),
        ("alarms", on(Screen::Alarms)),
        ("alarm-detail", alarm),
        ("deployments", on(Screen::Deployments)),
        ("deploy-detail", deploy),
        ("rollback-plan", rollback),
        ("findings", on(Screen::Findings)),
        ("finding-detail", finding),
        ("spend", on(Screen::Spend)),
        ("spend-detail", spend_detail),
        ("queries", on(Screen::Queries)),
        ("query-results", query_results()),
        ("history", {
            let mut h = query_results();
            dispatch(&mut h, Action::Navigate(Screen::QueryHistory));
            h
        }),
        ("timeline", timeline),
        ("health", on(Screen::Health)),
        ("errors", on(Screen::Errors)),
        ("releases", {
            let mut r = on(Screen::Releases);
            fixtures::add_releases(&mut r.store);
            fixtures::reload_schedules(&mut r.store);
            r
        }),
        ("compare", compare()),
        ("rollouts", {
            let mut r = on(Screen::Rollouts);
            fixtures::reload_schedules(&mut r.store);
            r
        }),
        ("schedule-plan", schedule_plan()),
        ("audit", audit),
        ("help", help),
    ]
}

/// `U` on globex in `:rollouts`: its customer has not certified 1.5.0, so the reason comes first,
/// then the exact CreateSchedule and the typed name.
fn schedule_plan() -> App {
    let mut app = fixtures::app(fixtures::store());
    dispatch(&mut app, Action::Navigate(Screen::Rollouts));
    fixtures::reload_schedules(&mut app.store);
    let globex = fixtures::tenant("globex", 1).account_id;
    let ask = crate::action::ScheduleAsk { accounts: vec![globex], ..Default::default() };
    dispatch(&mut app, Action::PlanSchedule(ask, Default::default()));
    for c in "certified by the customer's QA on 2026-03-12".chars() {
        dispatch(&mut app, Action::Key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c))));
    }
    dispatch(&mut app, Action::Key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Enter)));
    app
}

/// A confirmed rollback of initech, as the journal records it.
fn journal_entry() -> silo_core::journal::JournalEntry {
    silo_core::journal::JournalEntry {
        time: "2026-03-14T09:12:03.120Z".into(),
        identity: "arn:aws:sts::100000000001:assumed-role/OnCall/silo-oncall".into(),
        source_identity: Some("silo-oncall".into()),
        tenants: vec![Some("initech".into())],
        tenant_accounts: Vec::new(),
        account: "100000000002".into(),
        region: "sa-east-1".into(),
        api: "ecs:UpdateService".into(),
        parameters: serde_json::json!({ "cluster": "initech", "service": "app", "taskDefinition": "initech-app:56" }),
        ids: vec!["arn:aws:ecs:sa-east-1:100000000002:service/initech/app".into()],
        mode: silo_core::journal::Mode::Confirmed,
        result: "ok: 1 updated".into(),
        request_ids: vec!["5c1e8d2a-0f7b-4c1d-9e55-1b2a3c4d5e6f".into()],
        batches: vec![],
        overrides: vec![],
        prev: None,
        hash: None,
    }
}

/// Run 1 of alb-5xx-by-path for globex, finished with 40 rows.
fn query_results() -> App {
    let mut app = on(Screen::Queries);
    let mut request = fixtures::query_request("alb-5xx-by-path");
    request.tenant = Some("globex".into());
    let run = fixtures::start_query(&mut app, request);
    app.now = fixtures::now() + chrono::Duration::seconds(7);
    fixtures::finish_query(&mut app, run, 3 << 30, fixtures::alb_5xx_page(40, None));
    app.take_requests();
    app
}

/// The key table: every command with its keys, name and description.
fn key_table() -> String {
    let mut lines = vec!["| keys | name (`[keys]`) | what it does |".to_string(), "|---|---|---|".to_string()];
    for (keys, name, description) in crate::keymap::Keymap::default().help_rows() {
        lines.push(format!("| `{}` | `{name}` | {description} |", keys.replace('|', "\\|")));
    }
    lines.join("\n")
}

/// Replaces the text between `<!-- begin NAME -->` and `<!-- end NAME -->`.
fn replace(doc: &str, name: &str, body: &str) -> Option<String> {
    let begin = format!("<!-- begin {name} -->\n");
    let end = format!("<!-- end {name} -->");
    let start = doc.find(&begin)? + begin.len();
    let stop = start + doc[start..].find(&end)?;
    Some(format!("{}{body}\n{}", &doc[..start], &doc[stop..]))
}

fn expected(doc: &str) -> Result<String, String> {
    let mut out = replace(doc, "keys", &key_table()).ok_or("the guide lacks the keys markers")?;
    for (name, app) in screens() {
        let block = format!("```text\n{}\n```", screenshot(&app));
        out = replace(&out, name, &block).ok_or(format!("the guide lacks the markers of screen {name}"))?;
    }
    Ok(out)
}

#[test]
fn the_user_guide_shows_the_real_screens_and_keys() {
    let doc = std::fs::read_to_string(GUIDE).expect("docs/user-guide.md");
    let want = expected(&doc).unwrap_or_else(|e| panic!("{e}"));
    if std::env::var_os("SILO_UPDATE_GUIDE").is_some() {
        std::fs::write(GUIDE, &want).expect("write the guide");
        return;
    }
    assert!(
        doc == want,
        "docs/user-guide.md differs from the screens or the keymap; run SILO_UPDATE_GUIDE=1 cargo test --lib guide and review the diff"
    );
}
