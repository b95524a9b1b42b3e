//! A payload's JSON text read straight into jaq's value of `$event.data`, never made a `serde_json::Value`
//! object first: their maps hash with SipHash (serde_json's `preserve_order` maps cannot hash otherwise),
//! and a jq reducer's fold built them only to convert them into jaq's maps (foldhash) and drop them. Of an
//! object payload only the keys a program reads (`data_keys`, see [`super::event_reads`]) are kept; the
//! values of the others are parsed (so the text fails where decoding fails) but not built.
//!
//! The value is exactly what decoding the payload and then [`data_val`] give: objects are read by the
//! decoder's own object reader ([`read_object_with`], natural or as stored), a repeated key keeps its first
//! place and its last value as serde_json's map keeps it, and a payload that is not UTF-8 JSON text gives
//! `None`, for the caller to decode (a payload that does not decode is shown as its raw bytes).

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;

use jaq_json::{Map as ValMap, Val};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::convert::{data_val, text, to_val};
use crate::core::decode::cell::Cell;
use crate::core::decode::codec::{Decoder, JsonText, NUMBER_TOKEN, read_object_with};
use crate::core::model::Payload;

/// `$event.data` of the payload stored as `value`, of an object only `data_keys` when given: what
/// [`data_val`] gives of what `decoder` (which [reads JSON text](Decoder::reads_json_text) as `reading`)
/// decodes of it, without its payload as stored. The text is read straight into jaq's value; a payload
/// that is no such text (compressed, past the cap, not UTF-8 JSON) is decoded.
pub(crate) fn payload_data_val(
    decoder: &Decoder,
    reading: JsonText,
    value: Cell<'_>,
    data_keys: Option<&BTreeSet<String>>,
) -> Val {
    decoder
        .json_text_bytes(value)
        .and_then(|bytes| data_val_of_text(bytes, reading, data_keys))
        .unwrap_or_else(|| data_val(&decoder.decode_keeping(value, false).data, data_keys))
}

/// `$event.data` of a payload whose stored text is `bytes`, read as `reading` says, of an object only
/// `data_keys` when given; `None` when it is not UTF-8 JSON text (decoding says what it is then).
pub(crate) fn data_val_of_text(
    bytes: &[u8],
    reading: JsonText,
    data_keys: Option<&BTreeSet<String>>,
) -> Option<Val> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let read = Read {
        natural: reading == JsonText::Natural,
        keys: data_keys,
    };
    let val = read.deserialize(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    Some(val)
}

/// Reads a value into jaq's; of an object only the keys in `keys` when given (the payload itself).
#[derive(Clone, Copy)]
struct Read<'k> {
    natural: bool,
    keys: Option<&'k BTreeSet<String>>,
}

impl<'de> DeserializeSeed<'de> for Read<'_> {
    type Value = Val;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Val, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Read<'_> {
    type Value = Val;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Val, E> {
        Ok(Val::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Val, E> {
        Ok(to_val(&Value::from(n)))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Val, E> {
        Ok(to_val(&Value::from(n)))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Val, E> {
        Ok(to_val(&Value::from(n)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Val, E> {
        Ok(text(s))
    }

    fn visit_unit<E>(self) -> Result<Val, E> {
        Ok(Val::Null)
    }

    fn visit_none<E>(self) -> Result<Val, E> {
        Ok(Val::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Val, A::Error> {
        let item = Read { keys: None, ..self };
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(value) = seq.next_element_seed(item)? {
            items.push(value);
        }
        Ok(items.into_iter().collect())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Val, A::Error> {
        let wanted = |key: &str| self.keys.is_none_or(|keys| keys.contains(key));
        let mut entries: Vec<(Cow<'de, str>, Val)> = Vec::new();
        let whole = read_object_with(
            &mut map,
            self.natural,
            |key| Entry {
                natural: self.natural,
                keep: wanted(key),
            },
            |key, Kept(value)| {
                if let Some(value) = value.filter(|_| wanted(&key)) {
                    entries.push((key, value));
                }
            },
        )?;
        // A number, or a typed value (whose natural value may be an object, whose keys are then chosen).
        if let Some(value) = whole {
            return Ok(data_val(&Payload::Json(value), self.keys));
        }
        let map: ValMap = match self.keys {
            // Each key at its first place, with its last value (what inserting gives).
            None => {
                let mut map = ValMap::with_capacity_and_hasher(entries.len(), Default::default());
                for (key, value) in entries {
                    map.insert(text(&key), value);
                }
                map
            }
            // In the order of `keys`, each with its last value.
            Some(keys) => keys
                .iter()
                .filter_map(|key| {
                    let (_, value) = entries.iter().rev().find(|(k, _)| k == key)?;
                    Some((text(key), value.clone()))
                })
                .collect(),
        };
        Ok(Val::obj(map))
    }
}

/// An object's value as [`Read`] reads it: `None` when its key is not wanted.
struct Kept(Option<Val>);

impl From<Value> for Kept {
    fn from(value: Value) -> Self {
        Self(Some(to_val(&value)))
    }
}

/// Reads an object's value: whole when kept, else checked as decoding checks it and dropped.
struct Entry {
    natural: bool,
    keep: bool,
}

impl<'de> DeserializeSeed<'de> for Entry {
    type Value = Kept;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Kept, D::Error> {
        if self.keep {
            let read = Read {
                natural: self.natural,
                keys: None,
            };
            return read
                .deserialize(deserializer)
                .map(|value| Kept(Some(value)));
        }
        Skip.deserialize(deserializer).map(|()| Kept(None))
    }
}

/// Parses a value and keeps nothing of it, failing where reading it as a `serde_json::Value` fails: strings
/// are read (escapes and surrogates checked, which serde_json's own skipping does not), nesting counts
/// towards serde_json's depth limit, and an object that is a number's private form must hold a number.
#[derive(Clone, Copy)]
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some(first) = map.next_key_seed(IsNumberToken)? else {
            return Ok(());
        };
        if first {
            // As serde_json's `Value` reads it: the number's digits, and nothing after them.
            let digits: String = map.next_value()?;
            return digits
                .parse::<serde_json::Number>()
                .map(|_| ())
                .map_err(serde::de::Error::custom);
        }
        map.next_value_seed(Skip)?;
        while map.next_key_seed(Skip)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(())
    }
}

/// Reads a map key, answering whether it is the key serde_json reads a number's digits by.
struct IsNumberToken;

impl<'de> DeserializeSeed<'de> for IsNumberToken {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for IsNumberToken {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E>(self, s: &str) -> Result<bool, E> {
        Ok(s == NUMBER_TOKEN)
    }
}

#[cfg(test)]
mod tests;
