//! How real libraries store payloads, undone: zlib compression (detected by its header), the AES-GCM
//! encryption of Python's `eventsourcing`, its custom-typed values (`{"_type_": "decimal_str", "_data_": ...}`),
//! and the serde enum encodings of Rust's cqrs-es (`{"Variant": {...}}`, `{"type": .., "data": ..}`, `"Unit"`).
//!
//! A [`Decoder`] turns a stored value into the event's data plus, when a transform changed it, the payload as
//! stored, so nothing is hidden. It is also registered as the SQL function `es_json(x)` so queries can read
//! JSON paths inside compressed or encrypted payloads.
//!
//! The bytes left once decrypted and inflated are read in the codec's [`Format`]: JSON text, or a binary
//! format ([`binary`]: MessagePack, CBOR) rendered as JSON, its stored bytes kept beside it as
//! `{"$bytes": "<hex>"}` in [`Decoded::stored`]. A format read with a schema (Protocol Buffers' descriptor
//! sets, Avro schemas, Thrift IDLs) takes it from the codec ([`schema`]), and the message each payload holds from its event type.
//!
//! Every decoded payload is capped ([`DEFAULT_MAX_PAYLOAD_BYTES`], raised with
//! [`Decoder::with_max_payload_bytes`]): a small stored value may inflate to gigabytes (a decompression
//! bomb). Inflating stops one byte past the cap without allocating more; such a payload stays raw, with the
//! reason naming the cap and its stored size, and every other event stays readable.

use std::collections::BTreeMap;
use std::path::Path;

use crate::core::decode::cell::Cell;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::core::decode::inflate::{Compression, Inflated, inflate};
use crate::core::decode::{decode_bytes_with, decode_payload, parse_json};
use crate::core::model::Payload;
use natural::parse_natural;
use transforms::{apply_transform, natural_values_in_place};

pub mod binary;
mod cipher;
mod json_text;
mod natural;
pub mod schema;
mod transforms;

pub use binary::{Format, FormatGuess, chosen_format, guess_format};

use cipher::decrypt_eventsourcing;
pub use cipher::parse_key;
pub use json_text::JsonText;
pub(crate) use natural::NUMBER_TOKEN;
pub use natural::{Natural, read_object, read_object_with};
pub use schema::{Schema, SchemaError, SchemaFile};

/// Encryption schemes Eventscope can undo.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encryption {
    /// `eventsourcing.cipher:AESCipher`: nonce (12 bytes) + tag (16 bytes) + ciphertext, AES-GCM.
    EventsourcingAesGcm,
}

/// Rewrites of the decoded JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transform {
    /// `eventsourcing`'s `{"_type_": ..., "_data_": ...}` values shown as their natural value.
    EventsourcingTypes,
    /// A serde enum: the event's data is the variant's content.
    SerdeEnum,
}

/// How a layout stores its payloads: encrypted or not, in which format (compression is always detected),
/// rewritten or not. In a mapping file, `"codec": {"format": "msgpack"}`, or just `"codec": "msgpack"`; a
/// format read with a schema: `"codec": {"format": "protobuf", "schema": "events.desc", "types":
/// {"OrderPlaced": "shop.v1.OrderPlaced"}}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "CodecSpec")]
pub struct Codec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<Encryption>,
    /// What the (decrypted, inflated) bytes are: JSON unless a binary format is named.
    #[serde(default, skip_serializing_if = "Format::is_json")]
    pub format: Format,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transform: Option<Transform>,
    /// The schema the format is read with (a path relative to the mapping file, else to the store's
    /// folder), loaded when the store opens ([`Codec::load_schema`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<SchemaFile>,
    /// Event type -> the schema's type its payloads hold (a protobuf message's or an Avro record's full
    /// name, a Thrift struct's name); `"*"` for every other event type. An event type left out is read as
    /// the type of its simple name (for Thrift, also that name with `Event` after it).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub types: BTreeMap<String, String>,
}

impl Codec {
    /// Load the codec's schema once, when its store opens: `given` (`--schema`) replaces the one the
    /// mapping names; a relative path in a mapping is taken from `base` (the store's folder). A codec
    /// reading JSON takes the schema's format when `adopt_format` (a mapping was given, or the payloads
    /// sampled were not all JSON); a schema for another format than the codec's is an error.
    pub fn load_schema(
        &mut self,
        given: Option<&Path>,
        base: &Path,
        adopt_format: bool,
    ) -> Result<(), SchemaError> {
        // `given` is the command line's, relative to the working directory.
        let mut file = match (given, self.schema.take()) {
            (Some(given), _) => SchemaFile::new(given.to_owned()),
            (None, Some(file)) => file.relative_to(base),
            (None, None) => return Ok(()),
        };
        let schema = file.load()?;
        let (format, name) = (schema.format(), schema.name());
        if self.format.is_json() && adopt_format {
            self.format = format;
        }
        if !self.format.is_json() && !schema.reads(self.format) {
            return Err(SchemaError {
                path: file.path().to_owned(),
                reason: format!(
                    "a {name} schema, but the payloads are read as {} (the codec's format)",
                    self.format.name()
                ),
            });
        }
        self.schema = Some(file);
        Ok(())
    }

    /// Whether SQL can read the column as JSON text directly (no function needed).
    pub fn is_plain(&self) -> bool {
        self.encryption.is_none() && self.format.is_json() && self.transform.is_none()
    }
}

/// A codec as a mapping file may write it: a format's name alone (`"msgpack"`), or its fields.
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = r#"a format name ("json", "msgpack", "cbor", "thrift-binary", "thrift-compact", "protobuf", "avro") or an object of encryption, format, transform, schema and types"#
)]
enum CodecSpec {
    Name(Format),
    Fields(CodecFields),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodecFields {
    #[serde(default)]
    encryption: Option<Encryption>,
    #[serde(default)]
    format: Format,
    #[serde(default)]
    transform: Option<Transform>,
    #[serde(default)]
    schema: Option<SchemaFile>,
    #[serde(default)]
    types: BTreeMap<String, String>,
}

impl From<CodecSpec> for Codec {
    fn from(spec: CodecSpec) -> Self {
        match spec {
            CodecSpec::Name(format) => Codec {
                format,
                ..Codec::default()
            },
            CodecSpec::Fields(CodecFields {
                encryption,
                format,
                transform,
                schema,
                types,
            }) => Codec {
                encryption,
                format,
                transform,
                schema,
                types,
            },
        }
    }
}

/// A payload decoded for display and replay.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    pub data: Payload,
    /// The JSON as stored, when a transform made `data` differ from it.
    pub stored: Option<Value>,
}

/// The default cap on one decoded payload: 64 MiB.
pub const DEFAULT_MAX_PAYLOAD_BYTES: usize = 64 * 1024 * 1024;

/// The highest the cap can be raised to: 256 MiB, SQLite's limit on one value as the store's connection sets
/// it (`SQLITE_LIMIT_LENGTH` in `store/open.rs`), so `es_json` never returns more than SQLite accepts.
pub const MAX_PAYLOAD_BYTES_CEILING: usize = 256 * 1024 * 1024;

/// A codec plus the key it may need and the cap on what it decodes.
#[derive(Clone, Debug)]
pub struct Decoder {
    codec: Codec,
    key: Option<Vec<u8>>,
    max_payload_bytes: usize,
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new(Codec::default(), None)
    }
}

impl Decoder {
    /// A decoder with the default cap on decoded payloads.
    pub fn new(codec: Codec, key: Option<Vec<u8>>) -> Self {
        Self {
            codec,
            key,
            max_payload_bytes: DEFAULT_MAX_PAYLOAD_BYTES,
        }
    }

    /// The same decoder with another cap on one decoded payload, in bytes (at most
    /// [`MAX_PAYLOAD_BYTES_CEILING`]; more is taken as the ceiling).
    #[must_use]
    pub fn with_max_payload_bytes(mut self, max_payload_bytes: usize) -> Self {
        self.max_payload_bytes = max_payload_bytes.min(MAX_PAYLOAD_BYTES_CEILING);
        self
    }

    /// The cap on one decoded payload, in bytes.
    pub fn max_payload_bytes(&self) -> usize {
        self.max_payload_bytes
    }

    pub fn codec(&self) -> &Codec {
        &self.codec
    }

    /// The cipher key, when one was given.
    pub fn key(&self) -> Option<&[u8]> {
        self.key.as_deref()
    }

    /// Whether this decoder needs a key it does not have.
    pub fn missing_key(&self) -> bool {
        self.codec.encryption.is_some() && self.key.is_none()
    }

    /// Decode a stored column value.
    pub fn decode(&self, value: Cell<'_>) -> Decoded {
        self.decode_keeping(value, true)
    }

    /// [`Self::decode`], keeping the payload as stored beside what a transform made of it only when
    /// `keep_stored` (a replay that never looks at it transforms the value in place instead of copying it).
    pub fn decode_keeping(&self, value: Cell<'_>, keep_stored: bool) -> Decoded {
        self.decode_typed(value, None, keep_stored)
    }

    /// [`Self::decode_keeping`] for an event of `event_type`, when known: a format read with a schema
    /// reads the payload as the schema's type for it.
    pub fn decode_typed(
        &self,
        value: Cell<'_>,
        event_type: Option<&str>,
        keep_stored: bool,
    ) -> Decoded {
        // Typed values read straight into their natural form when the stored form is not wanted.
        let natural = !keep_stored
            && self.codec.transform == Some(Transform::EventsourcingTypes)
            && self.codec.format.is_json();
        let payload = match value {
            Cell::Blob(bytes) | Cell::Text(bytes) => self.decode_bytes(
                bytes,
                if natural { parse_natural } else { parse_json },
                event_type,
            ),
            other => decode_payload(other),
        };
        let mut decoded = self.transformed(payload, natural, keep_stored);
        // A binary payload's stored form is its bytes, whatever a transform made of it.
        if keep_stored
            && !self.codec.format.is_json()
            && matches!(decoded.data, Payload::Json(_))
            && let Some(bytes) = value.bytes()
        {
            decoded.stored = Some(stored_bytes(bytes));
        }
        decoded
    }

    /// What the codec's transform makes of a decoded payload (`natural` when the payload was already read
    /// into its natural form).
    fn transformed(&self, payload: Payload, natural: bool, keep_stored: bool) -> Decoded {
        match (payload, self.codec.transform) {
            (Payload::Json(mut value), Some(Transform::EventsourcingTypes)) if !keep_stored => {
                if !natural {
                    natural_values_in_place(&mut value);
                }
                Decoded {
                    data: Payload::Json(value),
                    stored: None,
                }
            }
            (Payload::Json(stored), Some(transform)) => match apply_transform(transform, &stored) {
                Some(data) => Decoded {
                    data: Payload::Json(data),
                    stored: Some(stored),
                },
                None => Decoded {
                    data: Payload::Json(stored),
                    stored: None,
                },
            },
            (payload, _) => Decoded {
                data: payload,
                stored: None,
            },
        }
    }

    /// Decode a value that no codec applies to (metadata): JSON text or JSON in a BLOB, within the cap.
    pub fn decode_plain(&self, value: Cell<'_>) -> Payload {
        match value {
            Cell::Blob(bytes) | Cell::Text(bytes) if bytes.len() > self.max_payload_bytes => {
                Payload::Raw {
                    bytes: bytes.to_vec(),
                    reason: self.over_cap("the payload is over", bytes.len()),
                }
            }
            other => decode_payload(other),
        }
    }

    fn decode_bytes(
        &self,
        bytes: &[u8],
        parse: fn(&str) -> serde_json::Result<Value>,
        event_type: Option<&str>,
    ) -> Payload {
        let raw = |reason: String| Payload::Raw {
            bytes: bytes.to_vec(),
            reason,
        };
        let decrypted;
        let plain = match self.codec.encryption {
            None => bytes,
            Some(Encryption::EventsourcingAesGcm) => match &self.key {
                None => {
                    return raw("encrypted (AES-GCM): give the cipher key to decrypt it".to_owned());
                }
                // The plaintext is as long as the ciphertext (less nonce and tag): refuse it before
                // allocating it.
                Some(_) if bytes.len().saturating_sub(28) > self.max_payload_bytes => {
                    return raw(self.over_cap("the decrypted payload would be over", bytes.len()));
                }
                Some(key) => match decrypt_eventsourcing(key, bytes) {
                    Ok(plain) => {
                        decrypted = plain;
                        decrypted.as_slice()
                    }
                    Err(reason) => return raw(reason),
                },
            },
        };
        if let Some(compression) = Compression::of(plain) {
            match inflate(compression, plain, self.max_payload_bytes) {
                Inflated::Done(out) => {
                    return match self.decode_plain_bytes(&out, parse, event_type) {
                        Payload::Json(value) => Payload::Json(value),
                        Payload::Raw { reason, .. } => raw(format!(
                            "{}-compressed, but inside: {reason}",
                            compression.name()
                        )),
                    };
                }
                Inflated::OverCap => {
                    return raw(self.over_cap(
                        &format!(
                            "the {}-compressed payload inflates past",
                            compression.name()
                        ),
                        bytes.len(),
                    ));
                }
                // Not compressed after all: read it as it is.
                Inflated::Invalid => {}
            }
        }
        if plain.len() > self.max_payload_bytes {
            return raw(self.over_cap("the payload is over", bytes.len()));
        }
        match self.decode_plain_bytes(plain, parse, event_type) {
            Payload::Json(value) => Payload::Json(value),
            Payload::Raw { reason, .. } if self.codec.encryption.is_some() => {
                if self.codec.format.is_json() {
                    raw(format!("decrypted, but not JSON: {reason}"))
                } else {
                    raw(format!("decrypted, but {reason}"))
                }
            }
            Payload::Raw { reason, .. } => raw(reason),
        }
    }

    /// Decrypted and inflated bytes read in the codec's format: JSON text by `parse`, a binary format into
    /// its JSON rendering within the cap.
    fn decode_plain_bytes(
        &self,
        bytes: &[u8],
        parse: fn(&str) -> serde_json::Result<Value>,
        event_type: Option<&str>,
    ) -> Payload {
        let format = self.codec.format;
        if let Some(read) = self.decode_with_schema(bytes, event_type) {
            return match read {
                Ok(value) => Payload::Json(value),
                Err(reason) => Payload::Raw {
                    bytes: bytes.to_vec(),
                    reason,
                },
            };
        }
        match format.decode(bytes, self.max_payload_bytes) {
            None => decode_bytes_with(bytes, parse),
            Some(Ok(value)) => Payload::Json(value),
            Some(Err(err)) => Payload::Raw {
                bytes: bytes.to_vec(),
                reason: match err {
                    binary::Error::TooLarge { .. } => self.over_cap(
                        &format!("the {} payload decodes to JSON over", format.name()),
                        bytes.len(),
                    ),
                    err => format!("not {}: {err}", format.name()),
                },
            },
        }
    }

    /// `bytes` read with the codec's schema as the type `event_type` names; `None` when the codec has no
    /// schema for its format.
    fn decode_with_schema(
        &self,
        bytes: &[u8],
        event_type: Option<&str>,
    ) -> Option<Result<Value, String>> {
        let file = self.codec.schema.as_ref()?;
        let schema = file.loaded()?;
        if !schema.reads(self.codec.format) {
            return None;
        }
        let name = file.path().file_name().map_or_else(
            || file.path().display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let read = match schema {
            Schema::Protobuf(descriptors) => descriptors
                .message_for(event_type, &self.codec.types)
                .and_then(|message| descriptors.decode(&message, bytes, self.max_payload_bytes)),
            Schema::Avro(schemas) => {
                schemas.decode(bytes, event_type, &self.codec.types, self.max_payload_bytes)
            }
            Schema::Thrift(idl) => idl.decode(
                self.codec.format,
                bytes,
                event_type,
                &self.codec.types,
                self.max_payload_bytes,
            ),
        };
        Some(read.map_err(|reason| format!("{} ({name}): {reason}", self.codec.format.name())))
    }

    /// Why a payload past the cap is not decoded: what is too large, the cap, and the stored size.
    fn over_cap(&self, what: &str, stored_bytes: usize) -> String {
        format!(
            "too large to decode: {what} the {} limit on one decoded payload ({stored_bytes} bytes stored)",
            size_text(self.max_payload_bytes)
        )
    }

    /// The decoded data as JSON text, for the SQL function `es_json`; `None` when it does not decode (or its
    /// text is longer than SQLite accepts, which would fail the whole query).
    pub fn json_text(&self, value: Cell<'_>) -> Option<String> {
        match self.decode_keeping(value, false).data {
            Payload::Json(value) => serde_json::to_string(&value)
                .ok()
                .filter(|text| text.len() <= MAX_PAYLOAD_BYTES_CEILING),
            Payload::Raw { .. } => None,
        }
    }
}

/// Whether a stored payload looks encrypted (for detection): it is neither JSON nor compressed JSON, and
/// not a compressed payload too large to decode either.
pub fn looks_encrypted(value: Cell<'_>) -> bool {
    let decoder = Decoder::default();
    if let Cell::Blob(bytes) | Cell::Text(bytes) = value
        && let Some(compression) = Compression::of(bytes)
        && matches!(
            inflate(compression, bytes, decoder.max_payload_bytes),
            Inflated::OverCap
        )
    {
        return false;
    }
    matches!(decoder.decode(value).data, Payload::Raw { .. })
}

/// The stored form of a binary payload: its bytes as `{"$bytes": "<hex>"}`, as a byte string is shown.
pub fn stored_bytes(bytes: &[u8]) -> Value {
    serde_json::json!({ "$bytes": crate::core::decode::hex(bytes) })
}

/// The bytes of a stored form made by [`stored_bytes`]; `None` for any other value.
pub fn bytes_of_stored(stored: &Value) -> Option<Vec<u8>> {
    let Value::Object(map) = stored else {
        return None;
    };
    let (1, Some(Value::String(hex))) = (map.len(), map.get("$bytes")) else {
        return None;
    };
    crate::core::decode::unhex(hex)
}

/// `n` bytes as people say it: whole MiB when it is a whole number of them.
fn size_text(n: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else {
        format!("{n}-byte")
    }
}

#[cfg(test)]
mod tests;
