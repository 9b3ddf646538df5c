//! What a popup's key handling asks for: its own module, so the popups and the `Modal` stack
//! that holds them do not import each other.

use crate::action::Action;

pub enum ModalOutcome {
    Stay,
    Close,
    /// Boxed: an action can carry a whole plan, and outcomes are moved around a lot.
    Dispatch(Box<Action>),
}
