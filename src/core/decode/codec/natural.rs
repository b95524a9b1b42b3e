//! JSON text read straight into its natural form (`eventsourcing`'s typed values
//! `{"_type_": "decimal_str", "_data_": "4.20"}` as their natural value): [`parse_natural`] gives exactly what
//! parsing the text and then [`natural_values_in_place`] gives, without building the typed objects it
//! replaces, so a replay that never shows the payload as stored reads each event's payload once.
//!
//! How an object is read, natural or as stored, is one function, [`read_object`], shared with readers that
//! build something else than a [`Value`] of an object's entries (a deep merge's patch read from a payload's
//! text, `core::replay::patch::text`).

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize as _;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::transforms::{natural_value, natural_values_in_place};

/// The key serde_json hands a visitor in place of a number's digits when it keeps numbers exact (its
/// `arbitrary_precision` feature, which Eventscope uses). A test below fails should it ever change.
pub(crate) const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Parse JSON text into its natural form: the same value as `serde_json::from_str` followed by
/// [`natural_values_in_place`], with the same errors and the same depth limit.
pub(crate) fn parse_natural(text: &str) -> serde_json::Result<Value> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Natural.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Deserializes one JSON value, turning every typed value in it into its natural value.
#[derive(Clone, Copy)]
pub struct Natural;

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
        let mut object = Map::new();
        let whole = read_object(&mut map, true, Natural, |name, value| {
            object.insert(name.into_owned(), value);
        })?;
        Ok(whole.unwrap_or(Value::Object(object)))
    }
}

/// Reads the entries of an object (a [`MapAccess`] of serde_json's) in order, handing each to `entry`,
/// repeated keys every time they appear: whoever keeps them keeps a repeated key's first place and last
/// value, as serde_json's map does. A value is read by `seed`, except, when `natural`, the value of a
/// `_type_` or `_data_` key, read as stored and then made natural (as [`natural_values_in_place`] makes it).
///
/// `Some` when the map is not an object's entries after all: a number serde_json hands over as a map (its
/// `arbitrary_precision` form, also taken for an object whose first key is that form's, as
/// `serde_json::Value` takes it), or, when `natural`, an object of `_type_` and `_data_` keys alone, as the
/// value [`Natural`] reads (its natural value when it is a typed value of a known kind). Nothing was handed
/// to `entry` then.
pub fn read_object<'de, A, S>(
    map: &mut A,
    natural: bool,
    seed: S,
    entry: impl FnMut(Cow<'de, str>, S::Value),
) -> Result<Option<Value>, A::Error>
where
    A: MapAccess<'de>,
    S: DeserializeSeed<'de> + Copy,
    S::Value: From<Value>,
{
    read_object_with(map, natural, |_| seed, entry)
}

/// [`read_object`] reading each entry's value by the seed `seed_for` gives for its key (one that skips
/// what its reader has no use for, say).
pub fn read_object_with<'de, A, S>(
    map: &mut A,
    natural: bool,
    mut seed_for: impl FnMut(&str) -> S,
    mut entry: impl FnMut(Cow<'de, str>, S::Value),
) -> Result<Option<Value>, A::Error>
where
    A: MapAccess<'de>,
    S: DeserializeSeed<'de>,
    S::Value: From<Value>,
{
    let Some(first) = map.next_key_seed(Text)? else {
        return Ok(None);
    };
    if first == NUMBER_TOKEN {
        let digits: String = map.next_value()?;
        return digits
            .parse::<serde_json::Number>()
            .map(|number| Some(Value::Number(number)))
            .map_err(serde::de::Error::custom);
    }
    let mut key = Some(first);
    if natural {
        // `_type_` and `_data_` are read as stored until the object is known: a typed value's data is made
        // natural by `natural_value` (as the in-place pass does it, from the outside in), anything else's
        // afterwards. While only they have been read they are held borrowed, so a typed value whose data
        // is text costs one allocation, its natural value.
        let mut typed = Typed::default();
        while let Some(name) = key.take_if(|name| is_type_key(name)) {
            typed.read(&name, map)?;
            key = map.next_key_seed(Text)?;
        }
        if key.is_none() {
            return Ok(Some(typed.into_value()));
        }
        // Any other key: an object, whose typed keys (if any) come first, as they came.
        for (name, mut value) in typed.into_entries() {
            natural_values_in_place(&mut value);
            entry(Cow::Borrowed(name), value.into());
        }
    }
    while let Some(name) = key {
        let value = if natural && is_type_key(&name) {
            let mut value: Value = map.next_value()?;
            natural_values_in_place(&mut value);
            value.into()
        } else {
            map.next_value_seed(seed_for(&name))?
        };
        entry(name, value);
        key = map.next_key_seed(Text)?;
    }
    Ok(None)
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
        let object = self
            .into_entries()
            .map(|(name, mut value)| {
                natural_values_in_place(&mut value);
                (name.to_owned(), value)
            })
            .collect();
        Value::Object(object)
    }

    /// These keys and their values as stored, in the order they first appeared.
    fn into_entries(self) -> impl Iterator<Item = (&'static str, Value)> {
        let kind = self.kind.map(|v| ("_type_", v.into_value()));
        let data = self.data.map(|v| ("_data_", v.into_value()));
        let (a, b) = if self.data_first {
            (data, kind)
        } else {
            (kind, data)
        };
        a.into_iter().chain(b)
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
            // Typed keys after another key, their values typed values themselves.
            r#"{"z": 1, "_type_": {"_type_": "str", "_data_": "s"}, "_data_": [{"_type_": "str", "_data_": "t"}]}"#,
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
