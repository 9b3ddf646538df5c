//! silo's terminal interface: the `App` (store + screen state + modal stack), the pure `update`,
//! the screens, keymap and theme, and the event loop. It sees the engine and the core, never the
//! AWS layer or the demo: the binary hands it the source as a trait object.

pub mod app;
pub mod event_loop;
#[cfg(test)]
mod fixtures;
pub mod keymap;
pub mod theme;
pub mod views;
