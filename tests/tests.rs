//! One integration-test binary: each module tests one side of Eventscope against the real SQLite files in
//! `sample-data/` (and stores built in temporary directories).

mod cli;
mod common;
mod gui;
mod layouts;
mod library;
mod read_only;
