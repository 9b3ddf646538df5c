//! What several screens and popups draw with: the list (selection, sort, filter, marks, the titled
//! block, clickable rows) and the centred popup.

pub mod chart;
pub mod list;
pub mod popup;
