//! Protocol Buffers payloads: without a schema, the wire tree of field numbers and wire types with each
//! length-delimited field's reading labelled as a guess ([`wire`]); with a descriptor set, each message
//! decoded by `prost-reflect` into protobuf's canonical JSON mapping ([`schema`]).
//!
//! Protobuf bytes say too little to be told from noise, so detection never chooses this format by itself:
//! a mapping's codec names it, or a schema is given (see [`super::guess`]).

mod schema;
mod unknown;
pub(super) mod wire;

pub use schema::{ANY_TYPE, Descriptors};
pub use unknown::UNKNOWN_KEY;

#[cfg(test)]
mod tests;
