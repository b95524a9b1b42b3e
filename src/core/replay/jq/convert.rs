//! JSON values in and out of jaq, directly rather than through JSON text (which the app did before: a
//! serialisation and a parse each way, for every event).
//!
//! Numbers keep their text: serde_json's `arbitrary_precision` hands `100.50` to jaq as the decimal it
//! parsed, and jaq's numbers come back through their JSON text, so results are exactly what the text
//! round trip gave. Going out, the result is measured like every value a program builds (see
//! [`super::budget::measure`]): a state that is too large or too deep is a budget error, not a stack overflow
//! or a gigabyte of JSON.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use jaq_json::{Map as ValMap, Num, Val};
use serde_json::{Map, Number, Value};

use super::budget::{Limit, MAX_VALUE_SIZE, measure};
use crate::core::decode::format_time;
use crate::core::model::{Event, Payload};

/// Why a program's result cannot be a JSON value.
#[derive(Debug)]
pub(crate) enum OutError {
    Limit(Limit),
    NotJson(String),
}

/// `value` as jaq sees it. Input values are read from a store with serde_json, whose parser nests at most
/// 128 levels, so this recursion is bounded.
pub fn to_val(value: &Value) -> Val {
    match value {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => number_to_val(n),
        Value::String(s) => text(s),
        Value::Array(items) => items.iter().map(to_val).collect(),
        Value::Object(fields) => Val::obj(
            fields
                .iter()
                .map(|(k, v)| (text(k), to_val(v)))
                .collect::<ValMap>(),
        ),
    }
}

/// A jaq text string holding a copy of `s` (one allocation for the bytes, one for jaq's box).
pub(crate) fn text(s: &str) -> Val {
    Val::utf8_str(s.as_bytes().to_vec())
}

fn number_to_val(n: &Number) -> Val {
    use jaq_core::ValT as _;
    // The number's text as parsed (`arbitrary_precision`): integers become jaq integers, anything else keeps
    // its decimal text.
    let text = n.as_str();
    Val::from_num(text).unwrap_or_else(|_| Val::from(text.to_owned()))
}

/// `value` as JSON, or why it cannot be.
pub(crate) fn from_val(value: &Val) -> Result<Value, OutError> {
    check_json(value)?;
    Ok(to_json(value))
}

/// Whether `value` is a JSON value within the size budget: measured like every value a program builds (see
/// [`measure`]), with no byte string, no object key that is not a string and no number JSON cannot write
/// (NaN, infinities). A checked value converts with [`to_json`] exactly.
pub(crate) fn check_json(value: &Val) -> Result<(), OutError> {
    measure(value, MAX_VALUE_SIZE).map_err(OutError::Limit)?;
    // Measured: at most MAX_VALUE_DEPTH levels deep, so the recursion is bounded.
    check_json_parts(value)
}

pub(crate) fn check_json_parts(value: &Val) -> Result<(), OutError> {
    match value {
        Val::Null | Val::Bool(_) | Val::TStr(_) => Ok(()),
        Val::Num(Num::Float(f)) if !f.is_finite() => {
            let text = value.to_string();
            let why = serde_json::from_str::<Number>(&text)
                .err()
                .map_or_else(String::new, |e| format!(" ({e})"));
            Err(OutError::NotJson(format!("the number {text}{why}")))
        }
        Val::Num(_) => Ok(()),
        Val::BStr(_) => Err(OutError::NotJson(format!("a byte string: {value}"))),
        Val::Arr(items) => items.iter().try_for_each(check_json_parts),
        Val::Obj(fields) => fields.iter().try_for_each(|(key, item)| {
            if !matches!(key, Val::TStr(_)) {
                return Err(OutError::NotJson(format!(
                    "an object key that is not a string: {key}"
                )));
            }
            check_json_parts(item)
        }),
    }
}

/// `value` as JSON. Exact for a value [`check_json`] accepts; anything else is written as jq would print it
/// (a byte string or a non-string key as its text, a number JSON cannot hold as `null`).
pub fn to_json(value: &Val) -> Value {
    match value {
        Val::Null => Value::Null,
        Val::Bool(b) => Value::Bool(*b),
        Val::Num(Num::Int(i)) => Value::from(*i),
        Val::Num(Num::Dec(text)) => text.parse::<Number>().map_or(Value::Null, Value::Number),
        Val::Num(_) => value
            .to_string()
            .parse::<Number>()
            .map_or(Value::Null, Value::Number),
        Val::TStr(bytes) | Val::BStr(bytes) => {
            Value::String(String::from_utf8_lossy(bytes).into_owned())
        }
        Val::Arr(items) => Value::Array(items.iter().map(to_json).collect()),
        Val::Obj(fields) => {
            let mut map = Map::with_capacity(fields.len());
            for (key, item) in fields.iter() {
                let key = match key {
                    Val::TStr(key) => String::from_utf8_lossy(key).into_owned(),
                    other => other.to_string(),
                };
                map.insert(key, to_json(item));
            }
            Value::Object(map)
        }
    }
}

/// The value at JSON Pointer `pointer` (RFC 6901, as [`Value::pointer`] reads it) in `value`, without
/// converting the rest: a field history reads one field of a jq state after every event.
pub fn val_pointer<'v>(value: &'v Val, pointer: &str) -> Option<&'v Val> {
    if pointer.is_empty() {
        return Some(value);
    }
    let tokens = pointer.strip_prefix('/')?;
    tokens.split('/').try_fold(value, |at, token| {
        let token = token.replace("~1", "/").replace("~0", "~");
        match at {
            Val::Obj(fields) => fields.get(&Val::utf8_str(token.into_bytes())),
            Val::Arr(items) => {
                // As serde_json: digits only, no leading zero but "0" itself.
                let plain = token.bytes().all(|b| b.is_ascii_digit())
                    && !(token.len() > 1 && token.starts_with('0'));
                let index: usize = token.parse().ok().filter(|_| plain)?;
                items.get(index)
            }
            _ => None,
        }
    })
}

/// The names of an event's fields in `$event`, made once.
struct EventKeys {
    stream: Val,
    position: Val,
    version: Val,
    event_type: Val,
    time: Val,
    data: Val,
    metadata: Val,
    stored_payload: Val,
    id: Val,
    stored_time: Val,
}

fn event_keys() -> &'static EventKeys {
    static KEYS: OnceLock<EventKeys> = OnceLock::new();
    KEYS.get_or_init(|| EventKeys {
        stream: Val::utf8_str("stream"),
        position: Val::utf8_str("position"),
        version: Val::utf8_str("version"),
        event_type: Val::utf8_str("type"),
        time: Val::utf8_str("time"),
        data: Val::utf8_str("data"),
        metadata: Val::utf8_str("metadata"),
        stored_payload: Val::utf8_str("stored_payload"),
        id: Val::utf8_str("id"),
        stored_time: Val::utf8_str("stored_time"),
    })
}

/// What a program reads of `$event`, as far as its text shows (see [`event_reads`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventReads {
    /// The fields of `$event` it names.
    pub fields: BTreeSet<String>,
    /// The keys of `$event.data` it names, when every use of `$event.data` goes on to name one
    /// (`$event.data.amount`); `None` when it may read the whole payload.
    pub data_keys: Option<BTreeSet<String>>,
}

/// The fields of `$event` a program can read: `None` when it may read any (it uses `$event` other than as
/// `$event.name`, or not at all in a form this can tell), else the names it reads.
pub fn event_fields_read(source: &str) -> Option<BTreeSet<String>> {
    event_reads(source).map(|reads| reads.fields)
}

/// [`event_fields_read`], and of the payload only the keys named when every `$event.data` is followed by
/// `.key`: a program can then see no other part of the payload, so only those keys are converted.
pub fn event_reads(source: &str) -> Option<EventReads> {
    const VAR: &str = "$event";
    let mut reads = EventReads {
        data_keys: Some(BTreeSet::new()),
        ..EventReads::default()
    };
    let mut rest = source;
    while let Some(at) = rest.find(VAR) {
        let tail = rest.get(at + VAR.len()..)?.strip_prefix('.')?;
        let name = identifier(tail)?;
        reads.fields.insert(name.to_owned());
        rest = tail.get(name.len()..)?;
        if name == "data" {
            match rest.strip_prefix('.').and_then(identifier) {
                Some(key) => {
                    if let Some(keys) = &mut reads.data_keys {
                        keys.insert(key.to_owned());
                    }
                }
                None => reads.data_keys = None,
            }
        }
    }
    Some(reads)
}

/// The name at the start of `text` (a letter or `_`, then letters, digits and `_`), if any.
fn identifier(text: &str) -> Option<&str> {
    let len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    text.get(..len).filter(|name| {
        name.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
    })
}

/// `event` as jaq sees it in `$event`: the `events --json` shape ([`Event::to_json`]), built directly.
pub fn event_val(event: &Event) -> Val {
    event_val_of(event, None)
}

/// [`event_val`] with only the fields in `only` (all when `None`): what [`event_fields_read`] says a
/// program reads, so a long payload's stored form is not converted for a program that never looks at it.
pub fn event_val_of(event: &Event, only: Option<&BTreeSet<String>>) -> Val {
    event_val_reading(event, only, None)
}

/// [`event_val_of`] with, of a payload that is a JSON object, only the keys in `data_keys` (all when
/// `None`): what [`event_reads`] says a program reads of it.
pub fn event_val_reading(
    event: &Event,
    only: Option<&BTreeSet<String>>,
    data_keys: Option<&BTreeSet<String>>,
) -> Val {
    event_object(only, |name| event_field(event, name, data_keys))
}

/// `$event` as an object of the fields in `only` (all when `None`) that `field` gives, in the order of
/// [`Event::to_json`].
fn event_object(
    only: Option<&BTreeSet<String>>,
    mut field: impl FnMut(&str) -> Option<Val>,
) -> Val {
    let keys = event_keys();
    let mut map = ValMap::with_capacity_and_hasher(10, Default::default());
    let fields = [
        ("stream", &keys.stream),
        ("position", &keys.position),
        ("version", &keys.version),
        ("type", &keys.event_type),
        ("time", &keys.time),
        ("data", &keys.data),
        ("metadata", &keys.metadata),
        ("stored_payload", &keys.stored_payload),
        ("id", &keys.id),
        ("stored_time", &keys.stored_time),
    ];
    for (name, key) in fields {
        if only.is_none_or(|only| only.contains(name))
            && let Some(value) = field(name)
        {
            map.insert(key.clone(), value);
        }
    }
    Val::obj(map)
}

/// The fields of `$event` an event row read without its event (`core::store::payloads`) supplies.
const ROW_FIELDS: [&str; 4] = ["position", "version", "type", "data"];

/// Whether the fields `only` are all an event row supplies (see [`row_event_val`]).
pub(crate) fn row_supplies(only: &BTreeSet<String>) -> bool {
    only.iter().all(|name| ROW_FIELDS.contains(&name.as_str()))
}

/// An event as its row gives it (`core::store::payloads`), `data` read as `$event.data` holds it: all of
/// `$event` a program reads when the fields it reads are all a row [supplies](row_supplies).
pub(crate) struct RowEvent<'a> {
    pub position: i64,
    pub version: Option<i64>,
    pub event_type: &'a str,
    pub data: Val,
}

impl RowEvent<'_> {
    /// The field `name` of `$event`, as [`event_field`] gives it of the event; `None` for a field a row
    /// does not hold.
    pub(crate) fn field(&self, name: &str) -> Option<Val> {
        Some(match name {
            "position" => position_val(self.position),
            "version" => version_val(self.version),
            "type" => text(self.event_type),
            "data" => self.data.clone(),
            _ => return None,
        })
    }

    /// `$event` of the fields `only` (all of which a row supplies): what [`event_val_reading`] gives of
    /// the event.
    pub(crate) fn val(&self, only: &BTreeSet<String>) -> Val {
        event_object(Some(only), |name| self.field(name))
    }
}

fn position_val(position: i64) -> Val {
    Val::Num(Num::from_integral(position))
}

fn version_val(version: Option<i64>) -> Val {
    version.map_or(Val::Null, |v| Val::Num(Num::from_integral(v)))
}

/// What a reducer's `$event` is read from: an event, or its row.
#[derive(Clone, Copy)]
pub(crate) enum EventRef<'e> {
    Decoded(&'e Event),
    Row(&'e RowEvent<'e>),
}

/// The field `name` of `$event` as [`event_val_reading`] builds it (of the payload only `data_keys` when
/// given); `None` for a field the event does not have (no stored payload, id or stored time) or no field of
/// `$event` at all.
pub(crate) fn event_field(
    event: &Event,
    name: &str,
    data_keys: Option<&BTreeSet<String>>,
) -> Option<Val> {
    Some(match name {
        "stream" => text(&event.stream),
        "position" => position_val(event.position),
        "version" => version_val(event.version),
        "type" => text(&event.event_type),
        "time" => event.time.map_or(Val::Null, |t| text(&format_time(&t))),
        "data" => data_val(&event.data, data_keys),
        "metadata" => event.metadata.as_ref().map_or(Val::Null, payload_val),
        "stored_payload" => to_val(event.stored.as_ref()?),
        "id" => text(event.id.as_ref()?),
        "stored_time" => text(event.stored_time.as_ref()?),
        _ => return None,
    })
}

/// A payload as `$event` holds it.
fn payload_val(payload: &Payload) -> Val {
    match payload {
        Payload::Json(value) => to_val(value),
        Payload::Raw { .. } => to_val(&payload.to_json()),
    }
}

/// `$event.data` of an event whose payload is `data`: of a JSON object only the keys in `data_keys`, in
/// their order, when given.
pub(crate) fn data_val(data: &Payload, data_keys: Option<&BTreeSet<String>>) -> Val {
    match (data, data_keys) {
        (Payload::Json(Value::Object(fields)), Some(data_keys)) => Val::obj(
            data_keys
                .iter()
                .filter_map(|key| fields.get(key).map(|value| (text(key), to_val(value))))
                .collect::<ValMap>(),
        ),
        (other, _) => payload_val(other),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_go_in_and_out_unchanged() {
        let value: Value = serde_json::from_str(
            r#"{"a": [1, -2, 3.5, 100.50, 1e3, 123456789012345678901234567890], "b": {"c": null, "d": true},
                "s": "Kraków \"x\" \n", "empty": {}, "list": []}"#,
        )
        .unwrap();
        let back = from_val(&to_val(&value)).unwrap();
        assert_eq!(back, value);
        assert_eq!(back.to_string(), value.to_string());
    }

    #[test]
    fn a_pointer_into_jaqs_value_finds_what_serde_json_finds() {
        let value = json!({"a": {"b/c": [10, {"~x": 2}], "": 1}, "list": [0, 1, 2], "n": null});
        let val = to_val(&value);
        for pointer in [
            "",
            "/a",
            "/a/b~1c",
            "/a/b~1c/0",
            "/a/b~1c/1/~0x",
            "/a/",
            "/list/2",
            "/list/02",
            "/list/+1",
            "/list/3",
            "/list/-",
            "/n",
            "/n/x",
            "/missing",
            "a",
            "/a/b~1c/1/~0x/deeper",
        ] {
            assert_eq!(
                val_pointer(&val, pointer).map(to_json),
                value.pointer(pointer).cloned(),
                "{pointer}"
            );
        }
    }

    #[test]
    fn byte_strings_and_non_string_keys_are_not_json() {
        assert!(matches!(
            from_val(&Val::byte_str(b"x".to_vec())),
            Err(OutError::NotJson(_))
        ));
        let odd = Val::obj([(Val::from(1_isize), Val::Null)].into_iter().collect());
        assert!(matches!(from_val(&odd), Err(OutError::NotJson(_))));
        assert_eq!(from_val(&to_val(&json!([]))).unwrap(), json!([]));
    }
}
