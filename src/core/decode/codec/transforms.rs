//! The rewrites a codec makes of a decoded payload: `eventsourcing`'s custom-typed values
//! (`{"_type_": "decimal_str", "_data_": "4.20"}`) shown as their natural value, and cqrs-es's serde enum
//! encodings unwrapped to the variant's content.
//!
//! [`parse_natural`] reads JSON text straight into the natural form, giving exactly what parsing it and then
//! [`natural_values_in_place`] gives, without building the typed objects it replaces: a replay that never
//! shows the payload as stored reads each event's payload once.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize as _;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
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

fn natural_value(kind: &str, data: &Value) -> Option<Value> {
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

/// The key serde_json hands a visitor in place of a number's digits when it keeps numbers exact (its
/// `arbitrary_precision` feature, which Eventscope uses). A test below fails should it ever change.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Parse JSON text into its natural form: the same value as `serde_json::from_str` followed by
/// [`natural_values_in_place`], with the same errors and the same depth limit.
pub(super) fn parse_natural(text: &str) -> serde_json::Result<Value> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Natural.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Deserializes one JSON value, turning every typed value in it into its natural value.
#[derive(Clone, Copy)]
struct Natural;

impl<'de> DeserializeSeed<'de> for Natural {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Natural {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(Natural)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let Some(first) = map.next_key_seed(Text)? else {
            return Ok(Value::Object(Map::new()));
        };
        if first == NUMBER_TOKEN {
            let digits: String = map.next_value()?;
            return digits
                .parse::<serde_json::Number>()
                .map(Value::Number)
                .map_err(serde::de::Error::custom);
        }
        // `_type_` and `_data_` are read as stored until the object is known: a typed value's data is made
        // natural by `natural_value` (as the in-place pass does it, from the outside in), anything else's
        // afterwards. While only they have been read they are held borrowed, so a typed value whose data
        // is text costs one allocation, its natural value.
        let mut typed = Typed::default();
        let mut key = Some(first);
        while let Some(name) = key.take_if(|name| is_type_key(name)) {
            typed.read(&name, &mut map)?;
            key = map.next_key_seed(Text)?;
        }
        let Some(name) = key else {
            return Ok(typed.into_value());
        };
        // Any other key: an object whose typed keys (if any) keep their first places and their last values,
        // as serde_json keeps a repeated key's.
        let mut object = typed.into_map();
        let mut key = Some(name);
        while let Some(name) = key {
            let value = if is_type_key(&name) {
                map.next_value::<Value>()?
            } else {
                map.next_value_seed(Natural)?
            };
            object.insert(name.into_owned(), value);
            key = map.next_key_seed(Text)?;
        }
        for name in ["_type_", "_data_"] {
            if let Some(value) = object.get_mut(name) {
                natural_values_in_place(value);
            }
        }
        Ok(Value::Object(object))
    }
}

/// The `_type_` and `_data_` of an object read so far, as stored, in the order they first appeared.
#[derive(Default)]
struct Typed<'de> {
    kind: Option<Stored<'de>>,
    data: Option<Stored<'de>>,
    /// `_data_` came before `_type_`.
    data_first: bool,
}

impl<'de> Typed<'de> {
    fn read<A: MapAccess<'de>>(&mut self, name: &str, map: &mut A) -> Result<(), A::Error> {
        let value = map.next_value_seed(StoredSeed)?;
        if name == "_type_" {
            self.kind = Some(value);
        } else {
            self.data_first |= self.kind.is_none();
            self.data = Some(value);
        }
        Ok(())
    }

    /// The object when nothing else is in it: the natural value when it is a typed value of a known kind.
    fn into_value(self) -> Value {
        if let (Some(Stored::Text(kind)), Some(data)) = (&self.kind, &self.data) {
            let natural = match data {
                Stored::Text(text) => natural_text(kind, text),
                Stored::Value(data) => natural_value(kind, data),
            };
            if let Some(natural) = natural {
                return natural;
            }
        }
        let mut object = self.into_map();
        for value in object.values_mut() {
            natural_values_in_place(value);
        }
        Value::Object(object)
    }

    /// The object with these keys as stored, in order.
    fn into_map(self) -> Map<String, Value> {
        let mut object = Map::new();
        let kind = self.kind.map(|v| ("_type_", v.into_value()));
        let data = self.data.map(|v| ("_data_", v.into_value()));
        let (a, b) = if self.data_first {
            (data, kind)
        } else {
            (kind, data)
        };
        for (name, value) in a.into_iter().chain(b) {
            object.insert(name.to_owned(), value);
        }
        object
    }
}

/// [`natural_value`] of a typed value whose data is the string `text`.
fn natural_text(kind: &str, text: &str) -> Option<Value> {
    match kind {
        "uuid_hex" => {
            let uuid = crate::core::decode::parse_uuid(text)?;
            Some(Value::String(crate::core::decode::format_uuid(&uuid)))
        }
        "decimal_str" => text.parse::<serde_json::Number>().ok().map(Value::Number),
        "datetime_iso" | "date_iso" | "time_iso" | "timedelta_str" | "str" | "tuple_as_list"
        | "set_as_list" | "frozenset_as_list" => Some(Value::String(text.to_owned())),
        _ => None,
    }
}

/// A value as stored: text borrowed from the JSON when it has no escapes, anything else as serde_json reads it.
enum Stored<'de> {
    Text(Cow<'de, str>),
    Value(Value),
}

impl Stored<'_> {
    fn into_value(self) -> Value {
        match self {
            Stored::Text(text) => Value::String(text.into_owned()),
            Stored::Value(value) => value,
        }
    }
}

/// Reads a [`Stored`].
struct StoredSeed;

impl<'de> DeserializeSeed<'de> for StoredSeed {
    type Value = Stored<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Stored<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StoredSeed {
    type Value = Stored<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Stored<'de>, E> {
        Ok(Stored::Text(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Stored<'de>, E> {
        Ok(Stored::Text(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Stored<'de>, E> {
        Ok(Stored::Text(Cow::Owned(s)))
    }

    fn visit_bool<E>(self, b: bool) -> Result<Stored<'de>, E> {
        Ok(Stored::Value(Value::Bool(b)))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Stored<'de>, E> {
        Ok(Stored::Value(Value::from(n)))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Stored<'de>, E> {
        Ok(Stored::Value(Value::from(n)))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Stored<'de>, E> {
        Ok(Stored::Value(Value::from(n)))
    }

    fn visit_unit<E>(self) -> Result<Stored<'de>, E> {
        Ok(Stored::Value(Value::Null))
    }

    fn visit_none<E>(self) -> Result<Stored<'de>, E> {
        Ok(Stored::Value(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Stored<'de>, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Stored::Value)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Stored<'de>, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Stored::Value)
    }
}

/// Reads a map key, borrowed when it has no escapes.
struct Text;

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Text {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(s))
    }

    fn visit_str<E>(self, s: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s))
    }
}

fn is_type_key(name: &str) -> bool {
    name == "_type_" || name == "_data_"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What reading the text and then making it natural in place gives.
    fn two_passes(text: &str) -> serde_json::Result<Value> {
        let mut value: Value = serde_json::from_str(text)?;
        natural_values_in_place(&mut value);
        Ok(value)
    }

    #[test]
    fn reading_into_the_natural_form_gives_what_two_passes_give() {
        for text in [
            r#"{"timestamp": {"_type_": "datetime_iso", "_data_": "2024-01-01T00:00:08+00:00"},
                "amount": {"_type_": "decimal_str", "_data_": "4923.540"}, "n": [1, {"_type_": "uuid_hex",
                "_data_": "7688a85613565493a5057bf2d8850f1a"}], "odd": {"_type_": "nope", "_data_": 1}}"#,
            r#"{"t": {"_type_": "tuple_as_list", "_data_": [{"_type_": "str", "_data_": "x"}]}}"#,
            // Data reversed, and typed values nested where a typed value's data is read as stored.
            r#"{"_data_": "1.50", "_type_": "decimal_str"}"#,
            r#"{"_type_": "str", "_data_": {"_type_": "str", "_data_": "x"}}"#,
            r#"{"_type_": {"_type_": "str", "_data_": "uuid_hex"}, "_data_": "7688a85613565493a5057bf2d8850f1a"}"#,
            r#"[{"_type_": "tuple_as_list", "_data_": [{"_type_": "str", "_data_": {"_type_": "str", "_data_": "y"}}]}]"#,
            // Extra keys, a repeated key, a bad uuid, a non-string kind.
            r#"{"_type_": "decimal_str", "_data_": "2", "more": {"_type_": "str", "_data_": "z"}}"#,
            r#"{"_type_": "str", "_data_": "a", "_type_": "decimal_str"}"#,
            r#"{"_type_": "uuid_hex", "_data_": "not a uuid"}"#,
            // Escapes in keys and data (read owned, not borrowed), typed keys alone, or before others.
            r#"{"_ty\u0070e_": "str", "_data_": "a\nb", "k\u00e9": {"_type_": "datetime_iso", "_data_": "\u0032"}}"#,
            r#"{"_data_": "x", "_type_": "nope"}"#,
            r#"{"_data_": [1, {"_type_": "str", "_data_": "y"}]}"#,
            r#"{"_type_": "str"}"#,
            r#"{"_data_": "1", "_type_": "decimal_str", "_data_": "2"}"#,
            r#"{"_data_": {"_type_": "str", "_data_": "y"}, "_type_": "str", "z": 1, "_type_": "tuple_as_list"}"#,
            r#"{"_type_": "set_as_list", "_data_": "abc"}"#,
            r#"{"_type_": 3, "_data_": {"_type_": "date_iso", "_data_": "2024-01-01"}}"#,
            // Numbers stay exact; other scalars and empties.
            r#"[1e400, -0.0, 18446744073709551616, 12345678901234567890.123456789, true, null, "s", {}, []]"#,
            r#""just a string""#,
            "3.14159265358979323846264338327950288",
        ] {
            let fused = parse_natural(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(fused, two_passes(text).unwrap(), "{text}");
            // Key order too, as shown to a user.
            assert_eq!(
                serde_json::to_string(&fused).unwrap(),
                serde_json::to_string(&two_passes(text).unwrap()).unwrap(),
                "{text}"
            );
        }
    }

    #[test]
    fn reading_into_the_natural_form_fails_where_serde_json_fails() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        for text in ["{", "[1,]", "{\"a\" 1}", "1 2", "nul", deep.as_str()] {
            let fused = parse_natural(text).map_err(|e| e.to_string());
            let plain = two_passes(text).map_err(|e| e.to_string());
            assert!(fused.is_err(), "{text}");
            assert_eq!(fused, plain, "{text}");
        }
    }
}
