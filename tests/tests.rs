//! One integration-test binary: each module tests one side of Eventscope against the real SQLite files in
//! `sample-data/` (and stores built in temporary directories).

#![allow(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions unwrap like the tests do"
)]

mod audit;
mod audit_gui;
mod avro_payloads;
mod binary_payloads;
mod cli;
mod cli_errors;
mod cli_formats;
mod common;
mod decoding;
mod fuzz;
mod gui;
mod gui_chart;
mod gui_copy_command;
mod gui_explore;
mod gui_help;
mod gui_mapping;
mod gui_navigation;
mod gui_replay;
mod gui_schema;
mod hostile_store;
mod install;
mod jq_budget;
mod layouts;
mod library;
mod live;
#[cfg(unix)]
mod outputs;
mod overview;
mod plot;
mod postgres;
mod postgres_connect;
mod postgres_listen;
mod postgres_listing;
mod protobuf_payloads;
mod read_only;
mod replays;
mod report_golden;
mod stream_times;
mod thrift_payloads;
mod wild_layouts;
