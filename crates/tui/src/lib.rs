//! silo's terminal interface: the `App` (store + screen state + modal stack), the pure `update`,
//! the screens, popups and widgets, keymap and theme, and the event loop. It sees the engine and
//! the core, never the AWS layer or the demo: the binary hands it the source as a trait object.
//!
//! Layers inside the crate (no module reaches up; a test in the `silo` package checks it):
//! `keymap`, `theme` ← `action`, `context` ← `widgets` ← `screens`, `modals` ← `app` ← `frame`
//! ← `event_loop`.

pub mod action;
pub mod app;
pub mod context;
pub mod event_loop;
#[cfg(test)]
mod fixtures;
pub mod frame;
pub mod keymap;
pub mod modals;
pub mod screen;
pub mod screens;
pub mod theme;
pub mod widgets;

#[cfg(test)]
mod tests;
