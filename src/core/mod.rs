//! The library core: everything that reads, decodes, replays and compares events. It never imports egui, so
//! the CLI, the GUI and the tests share exactly the same answers.

pub mod cell;
pub mod codec;
pub mod correlate;
pub mod decode;
pub mod diff;
pub mod export;
pub mod indexed;
pub mod inflate;
pub mod jq;
pub mod layout;
pub mod memory;
pub mod model;
pub mod output;
pub mod overview;
pub mod packed;
pub mod pages;
pub mod presets;
pub mod query;
pub mod reducers;
pub mod replay;
pub mod report;
pub mod search;
pub mod snapshots;
pub mod store;
pub mod stream_index;
#[cfg(test)]
pub(crate) mod testing;
pub mod times;
pub mod verify;
pub mod walk;
