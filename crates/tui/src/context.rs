//! The read-only context every screen and popup draws from and decides with: the store, the theme
//! and keymap, the clock and what the header knows. It borrows the `App`'s shared fields one by one
//! (see `App::ctx` and the `ctx!` macro) so that a screen's own state can be lent mutably beside
//! it; screens never see the `App` itself.

use crate::action::{Banner, Screen};
use crate::keymap::Keymap;
use crate::theme::Theme;
use chrono::{DateTime, Utc};
use silo_core::metrics::Range;
use silo_core::model::Tenant;
use silo_core::plan::AuditTarget;
use silo_core::queries::Library;
use silo_core::store::Store;
use std::cell::Cell;
use std::path::Path;

/// The rows a list drew (for mouse clicks): the terminal row of the first, which list row that is,
/// how many, and which is selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClickArea {
    pub first_y: u16,
    pub start: usize,
    pub shown: usize,
    pub selected: usize,
}

pub struct Ctx<'a> {
    pub store: &'a Store,
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    pub banner: &'a Banner,
    pub now: DateTime<Utc>,
    /// Plans older than this are refused by the data layer (twice the refresh interval).
    pub max_plan_age: chrono::Duration,
    pub screens: &'a [Screen],
    pub library: &'a Library,
    pub range: Range,
    /// Where the charts' range ends (None: now).
    pub range_end: Option<DateTime<Utc>>,
    pub audit: &'a AuditTarget,
    /// `[audit] detective`: findings offer their Amazon Detective investigation.
    pub detective: bool,
    /// `[releases]` is set up: the train and the card read the registry (plans check its scans).
    pub releases: bool,
    /// `[releases] stale_scan_days`: a completed scan older than this is marked old (0: never).
    pub stale_scan_days: u32,
    /// The operator's zone: chart axes are labelled in it.
    pub zone: chrono_tz::Tz,
    pub user: &'a str,
    pub opener: Option<&'a str>,
    pub journal_path: &'a Path,
    pub snapshot_at: Option<DateTime<Utc>>,
    pub offline: bool,
    /// Cost Explorer may be read (configured, or accepted this session).
    pub cost_explorer: bool,
    /// The tenant a query is about (account id): the one open, else the fleet's selected row.
    pub selected_account: Option<String>,
    /// Written by the frame that draws a list, read by mouse clicks.
    pub clickable: &'a Cell<Option<ClickArea>>,
}

impl Ctx<'_> {
    pub fn screen(&self) -> &Screen {
        self.screens.last().unwrap_or(&Screen::Fleet)
    }

    /// The tenant the current screen is about, if any.
    pub fn screen_tenant(&self) -> Option<&str> {
        self.screen().tenant()
    }

    /// Whether the tenant with this account id is marked production.
    pub fn is_production(&self, account_id: &str) -> bool {
        self.banner.production.contains(account_id)
    }

    /// The tenant a query is about, if any.
    pub fn selected_tenant(&self) -> Option<&Tenant> {
        self.store.tenants.get(self.selected_account.as_deref()?).map(|r| &r.tenant)
    }

    /// (account, region) finding actions are sent to.
    pub fn audit_target(&self) -> (&str, &str) {
        (self.audit.account_id.as_str(), self.audit.region.as_str())
    }
}
