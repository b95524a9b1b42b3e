//! The Avro schemas a user gives, parsed once by `apache-avro`: each made self-contained (a record naming a
//! type another schema of the file defines gets its definition) so it can be fingerprinted and read alone,
//! and each payload read with the one its single-object fingerprint or its event type picks.

use std::collections::BTreeMap;

use apache_avro::Schema;
use serde_json::Value;

use super::super::render::Tree;
use super::super::{Error, protobuf::ANY_TYPE};
use super::{canonical, guard, render};

/// The first two bytes of Avro's single-object encoding; the writer schema's fingerprint follows.
pub const MARKER: [u8; 2] = [0xC3, 0x01];

/// Below this much stack left, a datum is read on a new stack of [`STACK_BYTES`].
const STACK_RED_ZONE_BYTES: usize = 8 * 1024 * 1024;

/// The stack a datum is read on when the thread's has too little left.
const STACK_BYTES: usize = 64 * 1024 * 1024;

/// The header of a single-object payload: the marker and the 8-byte fingerprint.
const HEADER_BYTES: usize = 10;

/// The schemas of an `.avsc` file.
#[derive(Clone)]
pub struct Schemas {
    entries: Vec<Entry>,
}

#[derive(Clone)]
struct Entry {
    /// Self-contained: every named type it uses is defined inside it.
    schema: Schema,
    /// CRC-64-AVRO of its parsing canonical form, as single-object encoding stores it.
    fingerprint: [u8; 8],
}

impl std::fmt::Debug for Schemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schemas")
            .field("names", &self.names())
            .finish_non_exhaustive()
    }
}

impl Schemas {
    /// The schemas of an `.avsc` file's text: one schema, or a JSON array of named schemas (which may name
    /// each other's types).
    pub fn from_avsc(text: &str) -> Result<Self, String> {
        let json: Value = serde_json::from_str(text).map_err(|err| format!("not JSON: {err}"))?;
        let parsed = match &json {
            Value::Array(items) => {
                let texts: Vec<String> = items.iter().map(Value::to_string).collect();
                Schema::parse_list(&texts)
            }
            single => Schema::parse(single).map(|schema| vec![schema]),
        }
        .map_err(|err| format!("not an Avro schema apache-avro reads: {err}"))?;
        let entries = parsed
            .iter()
            .map(|schema| {
                let mut whole = schema.clone();
                whole
                    .denormalize(&parsed)
                    .map_err(|err| format!("a schema that names an unknown type: {err}"))?;
                let fingerprint = canonical::fingerprint(&whole)?;
                Ok(Entry {
                    schema: whole,
                    fingerprint,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        if entries.is_empty() {
            return Err("the file holds no schema".to_owned());
        }
        Ok(Self { entries })
    }

    /// The full names of the named schemas given, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .entries
            .iter()
            .filter_map(|e| e.schema.name().map(|n| n.fullname(None)))
            .collect();
        names.sort();
        names
    }

    /// The fingerprints of the schemas given, as single-object encoding stores them, in hex.
    pub fn fingerprints(&self) -> Vec<String> {
        self.entries
            .iter()
            .map(|e| crate::core::decode::hex(&e.fingerprint))
            .collect()
    }

    /// `bytes` read with the schema its single-object header names, or else as a raw datum of the record
    /// `event_type` names (see the module's doc), in Avro's natural JSON at most `max_json_bytes` long.
    pub fn decode(
        &self,
        bytes: &[u8],
        event_type: Option<&str>,
        types: &BTreeMap<String, String>,
        max_json_bytes: usize,
    ) -> Result<Value, String> {
        let (entry, datum, offset) = if bytes.starts_with(&MARKER) {
            let Some(fingerprint) = bytes.get(2..HEADER_BYTES) else {
                return Err(format!(
                    "a single-object header cut short: {} bytes of the 10",
                    bytes.len()
                ));
            };
            let Some(entry) = self.entries.iter().find(|e| e.fingerprint == fingerprint) else {
                return Err(format!(
                    "single-object encoding whose writer schema fingerprint {} is none of the schemas given ({})",
                    crate::core::decode::hex(fingerprint),
                    self.names().join(", ")
                ));
            };
            (entry, &bytes[HEADER_BYTES..], HEADER_BYTES)
        } else {
            (self.entry_for(event_type, types)?, bytes, 0)
        };
        let name = entry
            .schema
            .name()
            .map_or_else(|| "datum".to_owned(), |n| n.fullname(None));
        let mut tree = Tree::new(max_json_bytes);
        guard::check(&entry.schema, datum, &mut tree).map_err(|err| match err {
            Error::TooLarge { .. } => format!(
                "its JSON would be over the {max_json_bytes}-byte limit on one decoded payload"
            ),
            err => format!("not a {name}: {}", shifted(err, offset)),
        })?;
        // apache-avro recurses a few frames per level: 127 levels need more stack than a thread may have.
        stacker::maybe_grow(STACK_RED_ZONE_BYTES, STACK_BYTES, || {
            let reader = apache_avro::reader::datum::GenericDatumReader::builder(&entry.schema)
                .build()
                .map_err(|err| format!("schema {name}: {err}"))?;
            let mut rest = datum;
            let value = reader
                .read_value(&mut rest)
                .map_err(|err| format!("not a {name}: {err}"))?;
            render::natural_json(&entry.schema, value).map_err(|err| format!("a {name} {err}"))
        })
    }

    /// The schema an event of `event_type` is written with, or why there is none.
    fn entry_for(
        &self,
        event_type: Option<&str>,
        types: &BTreeMap<String, String>,
    ) -> Result<&Entry, String> {
        let by_name = |name: &str| {
            self.entries
                .iter()
                .find(|e| e.schema.name().is_some_and(|n| n.fullname(None) == name))
                .ok_or_else(|| {
                    format!("the schema has no record {name:?} (named in the codec's types)")
                })
        };
        if let Some(name) = event_type.and_then(|t| types.get(t)) {
            return by_name(name);
        }
        if let Some(event_type) = event_type {
            let mut found = self
                .entries
                .iter()
                .filter(|e| e.schema.name().is_some_and(|n| n.name() == event_type));
            match (found.next(), found.next()) {
                (Some(entry), None) => return Ok(entry),
                (Some(_), Some(_)) => {
                    return Err(format!(
                        "event type {event_type:?} names several records: choose one in the codec's types"
                    ));
                }
                _ => {}
            }
        }
        if let Some(name) = types.get(ANY_TYPE) {
            return by_name(name);
        }
        Err(match event_type {
            Some(event_type) => format!(
                "a raw datum, and no record named {event_type:?} in the schema: map the event type to a record in the codec's types"
            ),
            None => "a raw datum whose event type is not known here: a \"*\" entry in the codec's types names the record to read".to_owned(),
        })
    }
}

/// `err` with its offset counted from the start of the payload rather than of the datum.
fn shifted(err: Error, by: usize) -> Error {
    match err {
        Error::Truncated { what, offset } => Error::Truncated {
            what,
            offset: offset + by,
        },
        Error::TooLong {
            what,
            declared,
            unit,
            offset,
            left,
        } => Error::TooLong {
            what,
            declared,
            unit,
            offset: offset + by,
            left,
        },
        Error::TooDeep { offset } => Error::TooDeep {
            offset: offset + by,
        },
        Error::Trailing { offset, left } => Error::Trailing {
            offset: offset + by,
            left,
        },
        Error::Invalid { what, offset } => Error::Invalid {
            what,
            offset: offset + by,
        },
        Error::DuplicateKey { key, offset } => Error::DuplicateKey {
            key,
            offset: offset + by,
        },
        other => other,
    }
}
