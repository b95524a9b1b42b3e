//! Payloads written with a newer schema than the one given: a Protocol Buffers message decoded with a
//! descriptor that does not know some of its fields, or a Thrift struct read with an IDL that does not
//! declare some of its field ids, keeps them under `"$unknown"` (see `codec::binary::protobuf` and
//! `codec::binary::thrift_idl`), and verify says which events carry such fields and where, so an auditor
//! knows the schema in hand is not the one the writer used.

use serde_json::Value;

use crate::core::decode::codec::binary::protobuf::UNKNOWN_KEY;

/// How many places a finding lists before "and N more".
const SHOWN: usize = 3;

/// How deep the search goes: as deep as a decoded payload may nest.
const MAX_DEPTH: usize = 128;

/// Where `value` holds fields the schema did not know: each message's JSON Pointer (`/` for the payload
/// itself) with the unknown fields' keys (protobuf's wire keys `9:varint`, Thrift's field ids `9`), in
/// document order.
pub(super) fn unknown_fields(value: &Value) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    walk(value, &mut String::new(), 0, &mut found);
    found
}

fn walk(value: &Value, pointer: &mut String, depth: usize, found: &mut Vec<(String, Vec<String>)>) {
    if depth > MAX_DEPTH {
        return;
    }
    let children: Box<dyn Iterator<Item = (String, &Value)> + '_> = match value {
        Value::Object(map) => {
            if let Some(Value::Object(unknown)) = map.get(UNKNOWN_KEY) {
                let at = if pointer.is_empty() {
                    "/"
                } else {
                    pointer.as_str()
                };
                found.push((at.to_owned(), unknown.keys().cloned().collect()));
            }
            Box::new(
                map.iter()
                    .filter(|(key, inner)| *key != UNKNOWN_KEY && holds_more(inner))
                    .map(|(key, inner)| (key.replace('~', "~0").replace('/', "~1"), inner)),
            )
        }
        Value::Array(items) => Box::new(
            (items.iter().enumerate())
                .filter(|(_, inner)| holds_more(inner))
                .map(|(i, inner)| (i.to_string(), inner)),
        ),
        _ => return,
    };
    for (step, inner) in children {
        let before = pointer.len();
        pointer.push('/');
        pointer.push_str(&step);
        walk(inner, pointer, depth + 1, found);
        pointer.truncate(before);
    }
}

/// Whether a value can hold a message (a scalar is passed by without making its pointer).
fn holds_more(value: &Value) -> bool {
    value.is_object() || value.is_array()
}

/// The places of [`unknown_fields`] for a finding's message: `/ (9:varint), /amount (5:varint)`.
pub(super) fn describe(found: &[(String, Vec<String>)]) -> String {
    let mut text = found
        .iter()
        .take(SHOWN)
        .map(|(at, keys)| format!("{at} ({})", keys.join(", ")))
        .collect::<Vec<_>>()
        .join(", ");
    if found.len() > SHOWN {
        text.push_str(&format!(" and {} more", found.len() - SHOWN));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_fields_are_found_at_any_depth_with_their_pointers() {
        let payload = json!({
            "orderId": "o",
            "$unknown": {"9:varint": 7},
            "lines": [{"sku": "a"}, {"sku": "b", "$unknown": {"4:string?": "x", "5:fixed32": 1}}],
            "a/b": {"$unknown": {"2:varint": 1}},
        });
        let found = unknown_fields(&payload);
        assert_eq!(
            found,
            [
                ("/".to_owned(), vec!["9:varint".to_owned()]),
                (
                    "/lines/1".to_owned(),
                    vec!["4:string?".to_owned(), "5:fixed32".to_owned()]
                ),
                ("/a~1b".to_owned(), vec!["2:varint".to_owned()]),
            ]
        );
        assert_eq!(
            describe(&found),
            "/ (9:varint), /lines/1 (4:string?, 5:fixed32), /a~1b (2:varint)"
        );
        assert!(unknown_fields(&json!({"x": [1, {"y": 2}]})).is_empty());
    }
}
