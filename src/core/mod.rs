//! The library core: everything that reads, decodes, replays and compares events. It never imports egui, so
//! the CLI, the GUI and the tests share exactly the same answers.
//!
//! Its modules follow the path of an event: [`store`] reads rows from either database (SQLite files and
//! PostgreSQL, one seam: nothing above it knows which), [`layout`] says which columns hold which role,
//! [`decode`] turns stored cells into payloads and times, [`replay`] folds a stream into states and diffs,
//! [`timeline`] holds a stream compactly for the window, [`audit`] checks, searches, exports and reports over
//! a whole store, and [`explore`] shows it from above (activity over time, correlated flows). [`model`] is
//! the vocabulary they share.

pub mod audit;
pub mod decode;
pub mod explore;
pub mod layout;
pub mod memory;
pub mod model;
pub mod plot;
pub mod replay;
pub mod store;
#[cfg(test)]
pub(crate) mod testing;
pub mod timeline;
