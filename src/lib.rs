//! Eventscope: browse the history kept in SQLite event stores.
//!
//! Module map:
//! - [`core`]: no GUI. [`core::store`] opens a file read-only and reads streams and events through a
//!   [`core::layout::Mapping`] found by [`core::layout::detect`]; [`core::decode`] turns column values into
//!   JSON, times and ids; [`core::replay`] folds events into state with checkpoints; [`core::replay::diff`] compares
//!   two states.
//! - [`session`]: what the user is looking at (streams, selection, playhead) as plain data changed only by
//!   [`session::Command`]s, with a worker thread doing the slow reads. No egui either.
//! - [`jobs`]: the one way slow work runs off the UI thread (a named thread, the newest job of a kind
//!   cancelling the older, progress, a result the UI polls); the worker, explorer and audit are built on it.
//! - `cli`: the subcommands that print the core's answers as JSON.
//! - `app`: the egui application (panels read state and emit commands).

pub mod app;
pub mod cli;
pub mod core;
pub mod jobs;
pub mod session;
