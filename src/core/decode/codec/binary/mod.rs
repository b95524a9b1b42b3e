//! Binary payload formats decoded into the JSON values everything else reads: MessagePack, CBOR and
//! Thrift's binary and compact protocols (without an IDL, or with one: [`thrift_idl`]), Protocol Buffers,
//! and Avro. A format read with a schema ([`protobuf`]'s descriptors, [`avro`]'s `.avsc` schemas, a
//! Thrift IDL) gets it from the codec, loaded once per open (see `codec::schema`).
//!
//! The wire formats are read by well-kept crates' low-level readers (`rmp`'s markers and length readers,
//! `ciborium-ll`'s headers) or, for Thrift, by a small reader here ([`thrift`]); the tree is built here,
//! so every format is held to the same limits and shown one way ([`render`]): what JSON has no word for
//! (byte strings, extension types, tags, non-string map keys, non-finite floats) is shown as a small
//! `$`-keyed object, never dropped. See the README's "Binary payloads" section for the rendering.
//!
//! Hostile bytes give an error, never a panic or a huge allocation: a declared length is checked against
//! the bytes left before anything is allocated for it, nesting stops at the depth serde_json allows JSON
//! ([`MAX_DEPTH`]), the value made stops once its JSON text would pass the decoded-payload cap, and bytes
//! left after the value, or a value cut short, are errors.

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub mod avro;
mod cbor;
mod guess;
mod msgpack;
pub mod protobuf;
mod render;
#[cfg(test)]
mod tests;
mod thrift;
mod thrift_binary;
mod thrift_compact;
pub mod thrift_idl;
#[cfg(test)]
mod thrift_tests;

pub use guess::{FormatGuess, chosen_format, guess_format};

/// How a payload's bytes (once decrypted and inflated) are read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    /// JSON text (the default).
    #[default]
    #[serde(rename = "json")]
    Json,
    /// MessagePack (<https://msgpack.org>).
    #[serde(rename = "msgpack")]
    MessagePack,
    /// CBOR (RFC 8949).
    #[serde(rename = "cbor")]
    Cbor,
    /// A Thrift struct in the binary protocol: fields keyed by id, or by name with an IDL.
    #[serde(rename = "thrift-binary")]
    ThriftBinary,
    /// A Thrift struct in the compact protocol: fields keyed by id, or by name with an IDL.
    #[serde(rename = "thrift-compact")]
    ThriftCompact,
    /// Protocol Buffers (<https://protobuf.dev>): the wire tree without a schema, messages with one.
    #[serde(rename = "protobuf")]
    Protobuf,
    /// Avro (<https://avro.apache.org>): single-object encoded or raw datums, read only with a schema.
    #[serde(rename = "avro")]
    Avro,
}

impl Format {
    /// The binary formats, in the order detection tries them.
    pub const BINARY: [Self; 6] = [
        Self::MessagePack,
        Self::Cbor,
        Self::ThriftBinary,
        Self::ThriftCompact,
        Self::Protobuf,
        Self::Avro,
    ];

    /// Every format, JSON first: the order the mapping editor offers them and detection tries them.
    pub const ALL: [Self; 7] = [
        Self::Json,
        Self::MessagePack,
        Self::Cbor,
        Self::ThriftBinary,
        Self::ThriftCompact,
        Self::Protobuf,
        Self::Avro,
    ];

    /// The format's name as people write it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Json => "JSON",
            Self::MessagePack => "MessagePack",
            Self::Cbor => "CBOR",
            Self::ThriftBinary => "Thrift (binary)",
            Self::ThriftCompact => "Thrift (compact)",
            Self::Protobuf => "Protocol Buffers",
            Self::Avro => "Avro",
        }
    }

    /// Whether sampled bytes alone may choose this format: not for Protocol Buffers, whose wire format
    /// most short byte strings happen to fit (it is ranked, with its reason, but chosen only by a mapping
    /// or a schema), nor for Avro, whose datums cannot be read without their schema (its single-object
    /// marker is ranked, and a schema given makes the codec read Avro).
    pub fn is_chosen_by_bytes(self) -> bool {
        !matches!(self, Self::Protobuf | Self::Avro)
    }

    pub fn is_json(&self) -> bool {
        *self == Self::Json
    }

    /// Whether the bytes name their own types (JSON, MessagePack, CBOR), so decoding them is good
    /// evidence; Thrift's bytes are only field ids and wire types, so detection prefers the others on a
    /// tie.
    pub fn is_self_describing(self) -> bool {
        !matches!(
            self,
            Self::ThriftBinary | Self::ThriftCompact | Self::Protobuf | Self::Avro
        )
    }

    /// Decode one payload of this binary format into its JSON rendering, its JSON text at most
    /// `max_json_bytes` long; `None` for JSON, which is parsed as text instead.
    pub(crate) fn decode(
        self,
        bytes: &[u8],
        max_json_bytes: usize,
    ) -> Option<Result<Value, Error>> {
        let mut tree = render::Tree::new(max_json_bytes);
        match self {
            Self::Json => None,
            Self::MessagePack => Some(msgpack::decode(bytes, &mut tree)),
            Self::Cbor => Some(cbor::decode(bytes, &mut tree)),
            Self::ThriftBinary | Self::ThriftCompact => {
                Some(thrift::decode_protocol(self, bytes, &mut tree, None))
            }
            Self::Protobuf => Some(protobuf::wire::decode(bytes, &mut tree)),
            Self::Avro => Some(Err(Error::Invalid {
                what: "an Avro datum, which is read only with its schema (--schema, or the codec's \"schema\")"
                    .to_owned(),
                offset: 0,
            })),
        }
    }
}

/// How deeply a binary payload may nest, counted as the JSON it becomes (a tag or a byte string is an
/// object too): 127, what serde_json accepts for a JSON payload (its recursion limit of 128 counts the
/// level it refuses), so a binary payload is never deeper than a JSON one could be.
pub const MAX_DEPTH: usize = 127;

/// Why a binary payload did not decode. Offsets count bytes from the start of the decoded bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("empty payload")]
    Empty,
    #[error("cut short inside {what} at offset {offset}")]
    Truncated { what: &'static str, offset: usize },
    /// A length or count larger than the bytes left could hold (each item takes a byte at least, each map
    /// entry two); `offset` is where its content starts.
    #[error("{what} declares {declared} {unit}, only {left} bytes are left at offset {offset}")]
    TooLong {
        what: &'static str,
        declared: u64,
        unit: &'static str,
        offset: usize,
        left: usize,
    },
    #[error("nested deeper than {MAX_DEPTH} levels at offset {offset}")]
    TooDeep { offset: usize },
    #[error("its JSON would be over the {limit_bytes}-byte limit on one decoded payload")]
    TooLarge { limit_bytes: usize },
    #[error("{left} bytes of trailing data after the value, at offset {offset}")]
    Trailing { offset: usize, left: usize },
    #[error("{what} at offset {offset}")]
    Invalid { what: String, offset: usize },
    #[error("map key {key:?} appears twice (at offset {offset})")]
    DuplicateKey { key: String, offset: usize },
}
