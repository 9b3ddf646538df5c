//! The application state (store + view state) and its pure `update` function. Side effects are
//! requests left in `outbox` for the event loop to hand to the fetch layer.

mod update;

pub use update::update;

use crate::fetch::FetchEvent;
use crate::keymap::{Command, Keymap};
use crate::store::Store;
use crate::theme::Theme;
use crate::views::fleet::FleetState;
use crate::views::Modal;
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Key(KeyEvent),
    Command(Command),
    /// The clock moved on (once a second): ages and auto-refresh.
    Tick(DateTime<Utc>),
    Resize,
    Fetch(FetchEvent),
    OpenTenant(String),
    Back,
    Quit,
}

/// Side effects requested by `update`, carried out by the event loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    Refresh,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Fleet,
    /// A tenant's card, by account id.
    Tenant(String),
}

/// What the header shows about where the data comes from.
#[derive(Debug, Clone, Default)]
pub struct Banner {
    pub source: String,
    pub read_only: bool,
}

pub struct App {
    pub store: Store,
    pub screens: Vec<Screen>,
    pub modals: Vec<Modal>,
    pub fleet: FleetState,
    /// Scroll offset of the tenant card.
    pub tenant_scroll: u16,
    pub keymap: Keymap,
    pub theme: Theme,
    pub banner: Banner,
    pub now: DateTime<Utc>,
    pub refresh_interval: Duration,
    pub outbox: Vec<Request>,
    pub dirty: bool,
    pub should_quit: bool,
}

impl App {
    pub fn new(keymap: Keymap, theme: Theme, banner: Banner, refresh_interval: Duration, now: DateTime<Utc>) -> App {
        App {
            store: Store::default(),
            screens: vec![Screen::Fleet],
            modals: Vec::new(),
            fleet: FleetState::default(),
            tenant_scroll: 0,
            keymap,
            theme,
            banner,
            now,
            refresh_interval,
            outbox: Vec::new(),
            dirty: true,
            should_quit: false,
        }
    }

    pub fn screen(&self) -> &Screen {
        self.screens.last().unwrap_or(&Screen::Fleet)
    }

    /// Asks for a refresh unless one is running: overlapping refreshes would double the load
    /// on every account for nothing.
    pub fn request_refresh(&mut self) {
        if !self.store.is_refreshing() && !self.outbox.contains(&Request::Refresh) {
            self.outbox.push(Request::Refresh);
        }
    }

    pub fn take_requests(&mut self) -> Vec<Request> {
        std::mem::take(&mut self.outbox)
    }
}

#[cfg(test)]
mod tests;
