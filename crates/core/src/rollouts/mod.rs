//! Rollouts at the time each customer agreed: the release train (which version each tenant runs)
//! and the `silo versions` rows, read from the store and the customers' terms (`crate::terms`).

pub mod releases;
pub mod train;
pub mod versions;
