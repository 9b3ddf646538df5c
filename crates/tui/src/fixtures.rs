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
    app.audit = AuditTarget { account_id: "222222222222".into(), region: "us-east-1".into() };
    app.user = "silo-oncall".into();
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
