//! The rewrites a codec makes of a decoded payload: `eventsourcing`'s custom-typed values
//! (`{"_type_": "decimal_str", "_data_": "4.20"}`) shown as their natural value, and cqrs-es's serde enum
//! encodings unwrapped to the variant's content, both done to a value already read (the reader that makes
//! values natural while parsing is [`super::natural`]).

use serde_json::{Map, Value};

use super::Transform;

/// The value as shown, or `None` when the transform leaves it as stored (nothing is copied then).
pub(super) fn apply_transform(transform: Transform, value: &Value) -> Option<Value> {
    match transform {
        Transform::EventsourcingTypes => natural_values(value),
        Transform::SerdeEnum => unwrap_serde_enum(value),
    }
}

/// Replace `{"_type_": T, "_data_": D}` with D's natural value wherever it appears; unknown types stay as stored.
/// `None` when there is none: only the parts of a value that change are rebuilt.
fn natural_values(value: &Value) -> Option<Value> {
    match value {
        Value::Object(map) => {
            if let (Some(Value::String(kind)), Some(data), 2) =
                (map.get("_type_"), map.get("_data_"), map.len())
                && let Some(natural) = natural_value(kind, data)
            {
                return Some(natural);
            }
            let mut changed: Option<Map<String, Value>> = None;
            for (index, (key, item)) in map.iter().enumerate() {
                match (natural_values(item), &mut changed) {
                    (Some(new), Some(out)) => {
                        out.insert(key.clone(), new);
                    }
                    (Some(new), None) => {
                        let mut out: Map<String, Value> = map
                            .iter()
                            .take(index)
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect();
                        out.insert(key.clone(), new);
                        changed = Some(out);
                    }
                    (None, Some(out)) => {
                        out.insert(key.clone(), item.clone());
                    }
                    (None, None) => {}
                }
            }
            changed.map(Value::Object)
        }
        Value::Array(items) => {
            let mut changed: Option<Vec<Value>> = None;
            for (index, item) in items.iter().enumerate() {
                match (natural_values(item), &mut changed) {
                    (Some(new), Some(out)) => out.push(new),
                    (Some(new), None) => {
                        let mut out = Vec::with_capacity(items.len());
                        out.extend(items.iter().take(index).cloned());
                        out.push(new);
                        changed = Some(out);
                    }
                    (None, Some(out)) => out.push(item.clone()),
                    (None, None) => {}
                }
            }
            changed.map(Value::Array)
        }
        _ => None,
    }
}

/// [`natural_values`] done to `value` itself: nothing copied.
pub(super) fn natural_values_in_place(value: &mut Value) {
    let natural = match &*value {
        Value::Object(map) => match (map.get("_type_"), map.get("_data_"), map.len()) {
            (Some(Value::String(kind)), Some(data), 2) => natural_value(kind, data),
            _ => None,
        },
        _ => None,
    };
    match (natural, value) {
        (Some(natural), value) => *value = natural,
        (None, Value::Object(map)) => map.values_mut().for_each(natural_values_in_place),
        (None, Value::Array(items)) => items.iter_mut().for_each(natural_values_in_place),
        (None, _) => {}
    }
}

pub(super) fn natural_value(kind: &str, data: &Value) -> Option<Value> {
    let text = data.as_str();
    match kind {
        "uuid_hex" => {
            let uuid = crate::core::decode::parse_uuid(text?)?;
            Some(Value::String(crate::core::decode::format_uuid(&uuid)))
        }
        // Exact: the number keeps the digits as written.
        "decimal_str" => text?.parse::<serde_json::Number>().ok().map(Value::Number),
        "datetime_iso" | "date_iso" | "time_iso" | "timedelta_str" | "str" => {
            Some(Value::String(text?.to_owned()))
        }
        // Tuples, sets and frozensets are stored as lists.
        "tuple_as_list" | "set_as_list" | "frozenset_as_list" => {
            Some(natural_values(data).unwrap_or_else(|| data.clone()))
        }
        _ => None,
    }
}

/// The content of a serde enum value: `{"Variant": content}` -> content, `{"type": .., "data": content}` ->
/// content, `"UnitVariant"` -> `{}`. `None` for anything else: it is already plain data.
fn unwrap_serde_enum(value: &Value) -> Option<Value> {
    match value {
        Value::String(_) => Some(Value::Object(Map::new())),
        Value::Object(map) => {
            let variant_key = |k: &String| k.chars().next().is_some_and(char::is_uppercase);
            match (map.len(), map.iter().next()) {
                (1, Some((key, content))) if variant_key(key) => Some(match content {
                    Value::Null => Value::Object(Map::new()),
                    other => other.clone(),
                }),
                _ if map.contains_key("type") && map.keys().all(|k| k == "type" || k == "data") => {
                    Some(
                        map.get("data")
                            .cloned()
                            .unwrap_or_else(|| Value::Object(Map::new())),
                    )
                }
                _ => None,
            }
        }
        _ => None,
    }
}
