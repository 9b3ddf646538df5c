//! silo: a terminal operations console for SaaS fleets that run each tenant in its own AWS
//! account. This package is the binary's edge: the command line, the set-up that wires a source
//! (AWS or the demo) to the engine and the TUI, and the headless twins of every screen. The layers
//! live in `crates/` (see docs/architecture.md); tests and benchmarks reach them from here.

pub mod cli;
pub mod headless;
pub mod setup;
