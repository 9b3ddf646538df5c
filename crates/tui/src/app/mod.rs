//! The application state (store + screen states + modal stack) and its pure `update` function.
//! Side effects are requests left in `outbox` for the event loop to hand to the engine. Feature
//! logic that changes more than one screen's state lives beside `update`, one module per feature.

mod deploy;
mod fetch;
mod findings;
pub mod links;
mod loads;
mod outbox;
mod queries;
mod quitting;
mod rollouts;
mod session;
mod timeline;
mod update;

pub use session::Session;
pub use update::update;

use crate::action::{Action, Banner, Request, Screen};
use crate::context::{ClickArea, Ctx};
use crate::keymap::Keymap;
use crate::modals::Modal;
use crate::screens;
use crate::screens::registry::{self, Views};
use crate::theme::Theme;
use chrono::{DateTime, Utc};
use silo_core::store::Store;
use std::time::Duration;

/// Runs `action` and every action it leads to.
pub fn dispatch(app: &mut App, action: Action) {
    let mut next = Some(action);
    while let Some(a) = next {
        next = update(app, a);
    }
}

/// The read-only context of `$app`, borrowing its shared fields one by one, so that a screen's
/// own state (`&mut $app.views.fleet`…) can be lent beside it.
macro_rules! ctx {
    ($app:expr) => {
        ctx!($app, $app.selected_account())
    };
    ($app:expr, $selected_account:expr) => {
        $crate::context::Ctx {
            store: &$app.store,
            theme: &$app.theme,
            keymap: &$app.keymap,
            banner: &$app.banner,
            now: $app.now,
            max_plan_age: $app.max_plan_age(),
            screens: &$app.screens,
            library: &$app.session.library,
            range: $app.range,
            range_end: $app.range_end,
            audit: &$app.session.audit,
            detective: $app.session.detective,
            releases: $app.session.releases.is_some(),
            stale_scan_days: $app.session.stale_scan_days,
            zone: $app.session.zone,
            user: &$app.session.user,
            opener: $app.session.opener.as_deref(),
            journal_path: &$app.session.journal_path,
            snapshot_at: $app.snapshot_at,
            offline: $app.offline,
            cost_explorer: $app.session.cost_explorer,
            selected_account: $selected_account,
            clickable: &$app.clickable,
        }
    };
}
pub(crate) use ctx;

pub struct App {
    pub store: Store,
    pub screens: Vec<Screen>,
    pub modals: Vec<Modal>,
    /// Every screen's own state (selection, filter, scroll), kept while it is not on top.
    pub views: Views,
    /// What this run was started with (config and flags), fixed for the session.
    pub session: Session,
    /// Number of the next query run of this session.
    pub next_run: u64,
    /// Where the last frame drew the current list's rows, for mouse clicks.
    pub clickable: std::cell::Cell<Option<ClickArea>>,
    /// A message for the footer (action results), until the next key.
    pub status: Option<(String, silo_core::role::Role)>,
    /// Set while the screen shows a snapshot from disk rather than a refresh of this run.
    pub snapshot_at: Option<DateTime<Utc>>,
    /// `--offline`: browse the snapshot, never call AWS.
    pub offline: bool,
    /// `--tenant NAME`: opened as soon as the tenant list is known.
    pub pending_tenant: Option<String>,
    /// Time range of tenant dashboards.
    pub range: silo_core::metrics::Range,
    /// Where the charts' range ends when panned into the past (`[`, `]`); None: now.
    pub range_end: Option<DateTime<Utc>>,
    pub keymap: Keymap,
    pub theme: Theme,
    pub banner: Banner,
    pub now: DateTime<Utc>,
    pub outbox: Vec<Request>,
    pub dirty: bool,
    pub should_quit: bool,
    /// Actions handed to the data layer that have not reported their end.
    pub actions_in_flight: usize,
    /// Runs started as confirmed statements: their start is an action's end.
    pub statement_runs: std::collections::BTreeSet<u64>,
    /// Quit once `actions_in_flight` reaches 0.
    pub quitting: bool,
}

impl App {
    /// Twice the refresh interval: the data layer refuses plans built from older data.
    pub fn max_plan_age(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.session.refresh_interval).unwrap_or(chrono::Duration::MAX) * 2
    }

    pub fn new(keymap: Keymap, theme: Theme, banner: Banner, refresh_interval: Duration, now: DateTime<Utc>) -> App {
        App {
            store: Store::default(),
            screens: vec![Screen::Fleet],
            modals: Vec::new(),
            views: Views::default(),
            session: Session::new(refresh_interval),
            next_run: 1,
            clickable: std::cell::Cell::new(None),
            status: None,
            snapshot_at: None,
            offline: false,
            pending_tenant: None,
            range: silo_core::metrics::Range::H3,
            range_end: None,
            keymap,
            theme,
            banner,
            now,
            outbox: Vec::new(),
            dirty: true,
            should_quit: false,
            actions_in_flight: 0,
            statement_runs: Default::default(),
            quitting: false,
        }
    }

    pub fn screen(&self) -> &Screen {
        self.screens.last().unwrap_or(&Screen::Fleet)
    }

    /// The filter text of the current list screen (a scratch string elsewhere).
    pub fn active_filter_mut(&mut self) -> &mut String {
        let screen = self.screen().clone();
        registry::filter_mut(&mut self.views, &screen)
    }

    /// The tenant a query is about (account id): the one open (tenant card or deployments), else
    /// the fleet's selected row.
    pub fn selected_account(&self) -> Option<String> {
        let open = self.screens.iter().rev().find_map(|s| match s {
            Screen::Tenant(a) | Screen::DeployDetail(a) | Screen::SpendDetail(a) | Screen::Timeline(a) => {
                Some(a.as_str())
            }
            _ => None,
        });
        let account = match (open, self.screen()) {
            (Some(account), _) => account.to_string(),
            // On the fleet, the row it shows selected: the first one shown until the cursor
            // moves, also after a filter left the remembered one out.
            (None, Screen::Fleet) => screens::selection::fleet_row(&self.views.fleet, &ctx!(self, None))?,
            (None, _) => self.views.fleet.selected.clone()?,
        };
        self.store.tenants.contains_key(&account).then_some(account)
    }

    /// The alarm selected in `:alarms` (account id, name).
    pub fn selected_alarm(&self) -> Option<(String, String)> {
        screens::selection::alarm_row(&self.views.alarms, &self.ctx())
    }

    /// The tenant selected in `:deployments` (account id).
    pub fn selected_deployment(&self) -> Option<String> {
        screens::selection::deployment_row(&self.views.deploy, &self.ctx())
    }

    /// What the registry says of the versions' images, for plans (`[releases]`).
    pub fn scans(&self) -> silo_core::releases::scans::Scans<'_> {
        use silo_core::releases::{scans::Scans, RELEASES};
        let Some(critical_threshold) = self.session.releases else { return Scans::Off };
        let key = RELEASES.of_org();
        let failed = self.store.reading(&key).and_then(|l| l.error());
        match (self.store.answer(&RELEASES, &key).value().copied(), failed) {
            (Some(Some(releases)), _) => Scans::Read { releases, critical_threshold },
            (Some(None), _) => Scans::Off,
            (None, Some(e)) => Scans::Unknown(e.message.as_str()),
            (None, None) => Scans::Unknown("the registry is still being read"),
        }
    }

    /// The read-only context screens and popups draw from.
    pub fn ctx(&self) -> Ctx<'_> {
        ctx!(self)
    }
}

#[cfg(test)]
mod query_tests;
#[cfg(test)]
mod tests;
