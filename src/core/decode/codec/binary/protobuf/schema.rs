//! Protocol Buffers payloads read with their schema: a descriptor set (`protoc --descriptor_set_out`, a
//! `FileDescriptorSet`), or a `.proto` file compiled by `protox` (its imports looked up beside it, the
//! `google/protobuf` ones built in), held in a `prost-reflect` [`DescriptorPool`], each payload decoded as the message
//! its event type names and written in protobuf's canonical JSON mapping (what `json_format.MessageToDict`
//! gives in Python: lowerCamelCase names, enums by name, 64-bit integers as strings, default values left
//! out, `Timestamp`, `Duration`, wrappers, `Struct` and resolvable `Any`s in their JSON forms).
//!
//! The message is chosen per event type: the codec's `types` entry for it (`"OrderPlaced":
//! "shop.v1.OrderPlaced"`), else the one message whose simple name is the event type, else the `"*"`
//! entry. A payload that is not that message stays raw with the reason. A map's entries are listed in key
//! order, the same each run; fields the schema does not know are shown under `"$unknown"` ([`super::unknown`]).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use prost_reflect::{DescriptorPool, DynamicMessage, Kind, MessageDescriptor, SerializeOptions};
use serde_json::Value;

use super::super::Error;
use super::super::render::Tree;
use super::unknown::show_unknown;

/// The messages of a descriptor set.
#[derive(Clone)]
pub struct Descriptors {
    pool: DescriptorPool,
}

impl std::fmt::Debug for Descriptors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Descriptors")
            .field("messages", &self.pool.all_messages().len())
            .finish_non_exhaustive()
    }
}

/// The key of [`Descriptors::message_for`]'s fallback: the message every other event type is read as.
pub const ANY_TYPE: &str = "*";

impl Descriptors {
    /// The messages of a serialized `FileDescriptorSet`.
    pub fn from_descriptor_set(bytes: &[u8]) -> Result<Self, String> {
        let pool = DescriptorPool::decode(bytes).map_err(|err| {
            format!("not a protobuf descriptor set (protoc --descriptor_set_out): {err}")
        })?;
        Self::with_messages(pool)
    }

    /// The messages of the `.proto` file at `path` and of what it imports (from its folder, or protobuf's
    /// own `google/protobuf/*.proto`), compiled as protoc would.
    pub fn from_proto(path: &Path) -> Result<Self, String> {
        let folder = path
            .parent()
            .filter(|f| !f.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let pool = protox::Compiler::new([folder])
            .and_then(|mut compiler| {
                compiler.include_imports(true).open_file(path)?;
                Ok(compiler.descriptor_pool())
            })
            .map_err(|err| format!("not a .proto file protox compiles: {err}"))?;
        Self::with_messages(pool)
    }

    fn with_messages(pool: DescriptorPool) -> Result<Self, String> {
        if pool.all_messages().len() == 0 {
            return Err("the schema defines no message".to_owned());
        }
        Ok(Self { pool })
    }

    /// Every message's full name, sorted.
    pub fn message_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .pool
            .all_messages()
            .map(|m| m.full_name().to_owned())
            .collect();
        names.sort();
        names
    }

    /// The message an event of `event_type` holds (see the module's doc), or why there is none.
    pub fn message_for(
        &self,
        event_type: Option<&str>,
        types: &BTreeMap<String, String>,
    ) -> Result<MessageDescriptor, String> {
        let by_name = |name: &str| {
            self.pool.get_message_by_name(name).ok_or_else(|| {
                format!("the schema has no message {name:?} (named in the codec's types)")
            })
        };
        if let Some(name) = event_type.and_then(|t| types.get(t)) {
            return by_name(name);
        }
        if let Some(event_type) = event_type {
            let mut found = self.pool.all_messages().filter(|m| m.name() == event_type);
            match (found.next(), found.next()) {
                (Some(message), None) => return Ok(message),
                (Some(first), Some(second)) => {
                    return Err(format!(
                        "event type {event_type:?} names several messages ({}, {}, ...): choose one in the codec's types",
                        first.full_name(),
                        second.full_name()
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
                "no message named {event_type:?} in the schema: map the event type to a message in the codec's types"
            ),
            None => "the event type is not known here: a \"*\" entry in the codec's types names the message to read".to_owned(),
        })
    }

    /// `bytes` decoded as `message`, in the canonical JSON mapping, its text at most `max_json_bytes`.
    pub fn decode(
        &self,
        message: &MessageDescriptor,
        bytes: &[u8],
        max_json_bytes: usize,
    ) -> Result<Value, String> {
        let decoded = DynamicMessage::decode(message.clone(), bytes)
            .map_err(|err| format!("not a {}: {err}", message.full_name()))?;
        // Written out once within the cap, then read back: the JSON never grows past it.
        let mut text = Capped {
            out: Vec::new(),
            left: max_json_bytes,
        };
        let mut serializer = serde_json::Serializer::new(&mut text);
        decoded
            .serialize_with_options(&mut serializer, &SerializeOptions::new())
            .map_err(|err| {
                if text.left == 0 {
                    format!("its JSON would be over the {max_json_bytes}-byte limit on one decoded payload")
                } else {
                    format!("a {} that has no JSON form: {err}", message.full_name())
                }
            })?;
        let mut value: Value = serde_json::from_slice(&text.out).map_err(|err| {
            format!(
                "a {} whose JSON cannot be read back: {err}",
                message.full_name()
            )
        })?;
        sort_maps(&mut value, message);
        // What the JSON already takes, then the unknown fields' trees on top, within the cap.
        let mut tree = Tree::new(max_json_bytes.saturating_sub(text.out.len()));
        show_unknown(&decoded, &mut value, &mut tree, 0).map_err(|err| match err {
            Error::TooLarge { .. } => format!(
                "its JSON would be over the {max_json_bytes}-byte limit on one decoded payload"
            ),
            err => format!("fields the schema does not know: {err}"),
        })?;
        Ok(value)
    }
}

/// A message's map fields (and `Struct`s) with their entries in key order: `prost-reflect` holds a map in
/// a hash map, so its JSON would list the entries in a new order each run.
fn sort_maps(value: &mut Value, message: &MessageDescriptor) {
    if message.full_name().starts_with("google.protobuf.") {
        if matches!(
            message.full_name(),
            "google.protobuf.Struct" | "google.protobuf.Value" | "google.protobuf.ListValue"
        ) {
            sort_every_object(value);
        }
        return;
    }
    let Value::Object(object) = value else {
        return;
    };
    for field in message.fields() {
        let (Some(inner), Kind::Message(kind)) = (object.get_mut(field.json_name()), field.kind())
        else {
            continue;
        };
        if field.is_map() {
            if let Value::Object(entries) = inner {
                entries.sort_keys();
                if let Kind::Message(values) = kind.map_entry_value_field().kind() {
                    entries.values_mut().for_each(|v| sort_maps(v, &values));
                }
            }
        } else if let Value::Array(items) = inner {
            items.iter_mut().for_each(|item| sort_maps(item, &kind));
        } else {
            sort_maps(inner, &kind);
        }
    }
}

/// Every object inside `value` (a `Struct`'s JSON) with its keys in order.
fn sort_every_object(value: &mut Value) {
    match value {
        Value::Object(object) => {
            object.sort_keys();
            object.values_mut().for_each(sort_every_object);
        }
        Value::Array(items) => items.iter_mut().for_each(sort_every_object),
        _ => {}
    }
}

/// A writer that refuses to grow past `left` more bytes.
struct Capped {
    out: Vec<u8>,
    left: usize,
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() > self.left {
            self.left = 0;
            return Err(std::io::Error::other("over the cap"));
        }
        self.left -= buf.len();
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
