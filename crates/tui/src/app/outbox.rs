//! The requests `update` left for the event loop, handed over through the offline gate.

use super::{quitting, App};
use crate::action::Request;

impl App {
    /// The requests to carry out. With `--offline` this is the one gate that keeps everything
    /// bound for AWS (reads, Cost Explorer, actions) from leaving, whichever screen asked.
    pub fn take_requests(&mut self) -> Vec<Request> {
        let requests = std::mem::take(&mut self.outbox);
        if !self.offline {
            return requests;
        }
        let (kept, refused): (Vec<Request>, Vec<Request>) = requests.into_iter().partition(|r| !r.needs_aws());
        quitting::never_sent(self, &refused);
        if !refused.is_empty() {
            let text = "offline: nothing is asked of AWS (start silo without --offline)".to_string();
            self.status = Some((text, silo_core::role::Role::Muted));
            self.dirty = true;
        }
        kept
    }
}
