//! The fixture store (`silo-fixtures`) plus what the TUI's tests add: an `App` around it and
//! query runs started and finished the way the user would (compiled for tests only).

pub use silo_fixtures::*;

use crate::action::Banner;
use crate::app::App;
use crate::keymap::Keymap;
use crate::theme::Theme;
use silo_core::plan::AuditTarget;
use silo_core::store::Store;
use std::time::Duration;

pub fn app(store: Store) -> App {
    // globex, by account id (the config may name it either way; silo resolves names at start).
    let production = ["100000000001".to_string()].into_iter().collect();
    let banner = Banner { source: "demo".into(), read_only: false, identity: None, organization: None, production };
    let mut app = App::new(Keymap::default(), Theme::default(), banner, Duration::from_secs(60), now());
    app.session.audit = AuditTarget { account_id: "222222222222".into(), region: "us-east-1".into() };
    app.session.user = "silo-oncall".into();
    app.store = store;
    app
}

/// Starts `request` in `app` (as the user would) and has Athena accept it as `q-1`; its run number.
pub fn start_query(app: &mut App, request: silo_core::queries::run::QueryRequest) -> u64 {
    let run = app.next_run;
    crate::app::dispatch(app, crate::action::Action::RunQuery(request));
    let started = silo_core::store::FetchEvent::QueryStarted { run, result: Ok("q-1".into()), at: now() };
    crate::app::dispatch(app, crate::action::Action::Fetch(started));
    run
}

/// Athena says run `run` succeeded and sends `page`.
pub fn finish_query(app: &mut App, run: u64, bytes: i64, page: silo_core::queries::run::ResultPage) {
    let (done, at) = (query_status(silo_core::queries::run::QueryState::Succeeded, bytes), app.now);
    crate::app::dispatch(
        app,
        crate::action::Action::Fetch(silo_core::store::FetchEvent::QueryProgress { run, result: Ok(done), at }),
    );
    crate::app::dispatch(
        app,
        crate::action::Action::Fetch(silo_core::store::FetchEvent::QueryPage { run, result: Ok(page), at }),
    );
}

/// initech's incident, as the timeline gathers it: a deployment started 12 minutes before its
/// 5xx alarm fired (the suspect), a finding, an earlier action, and the findings source failing.
pub fn incident_timeline() -> silo_core::timeline::Timeline {
    use silo_core::timeline::{Event, Source, Timeline};
    let at = |minutes: i64| now() - chrono::Duration::minutes(minutes);
    let event = |minutes, source, kind: &str, title: &str, detail: &str, reference: &str| Event {
        at: at(minutes),
        source,
        kind: kind.into(),
        title: title.into(),
        detail: detail.into(),
        suspect: false,
        reference: reference.into(),
    };
    let mut t = Timeline::new("initech", "100000000002", at(360), now());
    t.add([
        event(2, Source::Alarm, "ALARM", "initech-alb-5xx", "Alarm updated from OK to ALARM", "initech-alb-5xx"),
        event(14, Source::Deployment, "started", "deployment to initech-app:57", "opsfactor/app:2026.11.57", "arn:d57"),
        event(
            50,
            Source::Action,
            "confirmed",
            "ecs:UpdateService by maria@opsfactor.io",
            "ok: 1 updated",
            "ecs:UpdateService",
        ),
        event(95, Source::Alarm, "OK", "initech-alb-5xx", "Alarm updated from ALARM to OK", "initech-alb-5xx"),
    ]);
    let error = silo_core::error::FetchError::new(
        silo_core::model::AwsService::Securityhub,
        silo_core::error::ErrorKind::Denied,
        "AccessDenied on GetFindings",
    );
    t.failed(Source::Finding, &error);
    t.mark_suspects(at(2), chrono::Duration::minutes(30));
    t
}
