//! Whole-store work an auditor runs: integrity findings ([`verify`]), search ([`search`]), exports
//! ([`export`]), the HTML report ([`report`]), and the one way every output file is written ([`output`]).
//! Each reads the store through `core::store`'s scans, whichever database it is.

pub mod export;
pub mod output;
pub mod report;
pub mod search;
pub mod verify;
