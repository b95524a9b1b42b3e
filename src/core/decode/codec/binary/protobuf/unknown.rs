//! Fields the schema does not know (schema drift: a payload written by a newer schema, or read as the
//! wrong message), shown instead of dropped: protobuf's JSON mapping leaves them out, so each message
//! holding some gets a `"$unknown"` key with their wire tree (see [`super::wire`]), as read without a
//! schema.

use prost_reflect::{DynamicMessage, MapKey, ReflectMessage, Value as Field};
use serde_json::{Map, Value};

use super::super::Error;
use super::super::render::Tree;
use super::wire;

/// The key a message's unknown fields are shown under.
pub const UNKNOWN_KEY: &str = "$unknown";

/// Add `"$unknown"` to `json` (the message's JSON) and to each message inside it that holds fields its
/// descriptor lacks; `tree` charges their JSON to the payload's cap.
pub(super) fn show_unknown(
    message: &DynamicMessage,
    json: &mut Value,
    tree: &mut Tree,
    depth: usize,
) -> Result<(), Error> {
    // Well-known types have JSON forms of their own (a string, a number, a list): nothing to add to.
    if message
        .descriptor()
        .full_name()
        .starts_with("google.protobuf.")
    {
        return Ok(());
    }
    let Value::Object(object) = json else {
        return Ok(());
    };
    let mut bytes = Vec::new();
    for field in message.unknown_fields() {
        field.encode(&mut bytes);
    }
    if !bytes.is_empty() {
        // Read on a copy of the budget: what does not read as a tree is charged as bytes instead.
        let mut trial = tree.clone();
        let shown = match wire::decode(&bytes, &mut trial) {
            Ok(shown) => {
                *tree = trial;
                shown
            }
            Err(err @ (Error::TooLarge { .. } | Error::TooDeep { .. })) => return Err(err),
            Err(_) => tree.bytes(&bytes, depth, 0)?,
        };
        object.insert(UNKNOWN_KEY.to_owned(), shown);
    }
    let level = tree.enter(depth, 0)?;
    for (field, value) in message.fields() {
        let Some(child) = object.get_mut(field.json_name()) else {
            continue;
        };
        match value {
            Field::Message(inner) => show_unknown(inner, child, tree, level)?,
            Field::List(items) => {
                if let Value::Array(children) = child {
                    for (item, child) in items.iter().zip(children) {
                        if let Field::Message(inner) = item {
                            show_unknown(inner, child, tree, level)?;
                        }
                    }
                }
            }
            Field::Map(entries) => {
                if let Value::Object(children) = child {
                    show_in_map(entries, children, tree, level)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn show_in_map(
    entries: &std::collections::HashMap<MapKey, Field>,
    children: &mut Map<String, Value>,
    tree: &mut Tree,
    depth: usize,
) -> Result<(), Error> {
    for (key, value) in entries {
        let Field::Message(inner) = value else {
            continue;
        };
        let key = match key {
            MapKey::Bool(b) => b.to_string(),
            MapKey::I32(n) => n.to_string(),
            MapKey::I64(n) => n.to_string(),
            MapKey::U32(n) => n.to_string(),
            MapKey::U64(n) => n.to_string(),
            MapKey::String(s) => s.clone(),
        };
        if let Some(child) = children.get_mut(&key) {
            show_unknown(inner, child, tree, depth)?;
        }
    }
    Ok(())
}
