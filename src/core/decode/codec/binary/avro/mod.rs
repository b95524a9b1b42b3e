//! Avro payloads, which cannot be read without the schema that wrote them: the user gives an `.avsc` file
//! (one schema, or a JSON array of named schemas) through `--schema` or the codec's `schema`, parsed by the
//! `apache-avro` crate ([`Schemas`]). A payload is either
//!
//! - in the single-object encoding (`C3 01`, the writer schema's 8-byte CRC-64-AVRO fingerprint, then the
//!   datum): the fingerprint picks the schema among those given, and a fingerprint none of them has leaves
//!   the payload raw, the reason naming it; or
//! - a raw datum, read as the record the event type names, chosen as protobuf chooses its message (the
//!   codec's `types`, else the record whose simple name is the event type, else the `"*"` entry).
//!
//! Before `apache-avro` decodes a datum, [`guard`] walks it against the schema: the crate allocates a
//! declared length up to 512 MiB before reading it, takes a string or a union cut short for a null, and
//! recurses as deep as the bytes say. The walk refuses lengths past the bytes left, items that take no
//! bytes declared by the million, nesting past [`super::MAX_DEPTH`], JSON past the payload cap, truncation
//! and trailing bytes, so the crate only ever reads a datum known to be whole and small. The value is then
//! written as Avro's natural JSON ([`render`]).

mod canonical;
mod guard;
mod render;
mod schema;

pub use schema::{MARKER, Schemas};

#[cfg(test)]
mod tests;
