//! Eventscope: browse the history kept in SQLite event stores.
//!
//! Module map:
//! - [`core`]: no GUI. [`core::store`] opens a file read-only and reads streams and events through a
//!   [`core::layout::Mapping`] found by [`core::layout::detect`]; [`core::decode`] turns column values into
//!   JSON, times and ids; [`core::replay`] folds events into state with checkpoints; [`core::diff`] compares
//!   two states.
//! - `cli`: the subcommands that print the core's answers as JSON.
//! - `app`: the egui application (panels read state and emit commands).

pub mod core;
