//! A payload's JSON text merged straight into a [`Patch`], never made a `serde_json::Value` object: their
//! maps hash with SipHash (serde_json's `preserve_order` maps cannot hash otherwise), and a payload's maps
//! were built only to be merged into the patch and dropped. Objects are read into [`Fresh`] entries (keys
//! borrowed from the text where they have no escapes) that merge into the patch's maps, or become its maps
//! where it has none; values the patch only sets (scalars, arrays, and objects inside arrays) stay `Value`s.
//!
//! The patch is exactly what decoding the payload and then [`Patch::merge`] give: the objects are read by
//! the decoder's own object reader ([`read_object`], natural or as stored), a repeated key keeps its first
//! place and its last value as serde_json's map keeps it, and a payload that is not an object, not UTF-8,
//! not JSON or cut short merges nothing, as such a payload is skipped when decoded: the whole payload is
//! read before anything is merged.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize as _;
use serde::de::value::SeqAccessDeserializer;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::{Keys, Patch};
use crate::core::decode::cell::Cell;
use crate::core::decode::codec::{Decoder, JsonText, Natural, read_object};
use crate::core::model::Payload;
use crate::core::replay::deep_merge_owned;

/// Merges payloads into a patch as [`Patch::merge`] merges what `decoder` decodes of them, parsing the text
/// of those it would parse as JSON text straight into the patch.
pub struct TextMerge<'d> {
    decoder: &'d Decoder,
    reading: JsonText,
}

impl<'d> TextMerge<'d> {
    /// For the payloads `decoder` decodes; `None` when it does more than parse JSON text (see
    /// [`Decoder::reads_json_text`]), so only decoding gives what it gives.
    pub fn new(decoder: &'d Decoder) -> Option<Self> {
        let reading = decoder.reads_json_text()?;
        Some(Self { decoder, reading })
    }

    /// Merges the payload stored as `value` into `patch` when it is an object, as decoding it (its
    /// payload as stored not kept) and [`Patch::merge`] would.
    pub fn merge(&self, patch: &mut Patch, value: Cell<'_>) {
        let Some(bytes) = self.decoder.json_text_bytes(value) else {
            // Compressed, past the cap, or no text at all: decoded as the decoder decodes it.
            if let Payload::Json(data @ Value::Object(_)) =
                self.decoder.decode_keeping(value, false).data
            {
                patch.merge(data);
            }
            return;
        };
        if let Some(object @ Fresh::Object(_)) = parse(bytes, self.reading) {
            patch.merge_fresh(object);
        }
    }
}

/// The whole payload `bytes` read as `reading` says; `None` when it is not UTF-8 JSON text.
fn parse(bytes: &[u8], reading: JsonText) -> Option<Fresh<'_>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let fresh = Read {
        natural: reading == JsonText::Natural,
    }
    .deserialize(&mut deserializer)
    .ok()?;
    deserializer.end().ok()?;
    Some(fresh)
}

/// A value as read from a payload's text, before it is merged.
#[derive(Debug)]
enum Fresh<'de> {
    /// An object's entries in order, each key once (at its first place, with its last value).
    Object(Vec<(Cow<'de, str>, Fresh<'de>)>),
    /// Anything but an object.
    Value(Value),
}

impl From<Value> for Fresh<'_> {
    fn from(value: Value) -> Self {
        match value {
            Value::Object(object) => Self::Object(
                object
                    .into_iter()
                    .map(|(key, value)| (Cow::Owned(key), value.into()))
                    .collect(),
            ),
            other => Self::Value(other),
        }
    }
}

impl Fresh<'_> {
    /// What [`Patch::of`] makes of this value.
    fn into_patch(self) -> Patch {
        match self {
            Self::Object(entries) => Patch::Merge(
                entries
                    .into_iter()
                    .map(|(key, value)| (key.into_owned(), value.into_patch()))
                    .collect::<Keys>(),
            ),
            Self::Value(value) => Patch::Set(value),
        }
    }

    fn into_value(self) -> Value {
        match self {
            Self::Object(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key.into_owned(), value.into_value()))
                    .collect::<Map<_, _>>(),
            ),
            Self::Value(value) => value,
        }
    }
}

impl Patch {
    /// [`Self::merge`] of the value `fresh` was read from.
    fn merge_fresh(&mut self, fresh: Fresh<'_>) {
        match (&mut *self, fresh) {
            (Self::Set(target), fresh) => deep_merge_owned(target, fresh.into_value()),
            (Self::Merge(keys), Fresh::Object(entries)) => {
                for (key, value) in entries {
                    match keys.get_mut(key.as_ref()) {
                        Some(patch) => patch.merge_fresh(value),
                        None => {
                            keys.insert(key.into_owned(), value.into_patch());
                        }
                    }
                }
            }
            (this, Fresh::Value(value)) => *this = Self::Set(value),
        }
    }
}

/// `entries` with each repeated key once, at its first place with its last value.
fn without_repeats<'de>(
    entries: Vec<(Cow<'de, str>, Fresh<'de>)>,
) -> Vec<(Cow<'de, str>, Fresh<'de>)> {
    // Where each entry's key first appears.
    let first: Vec<usize> = if entries.len() <= 16 {
        entries
            .iter()
            .enumerate()
            .map(|(i, (key, _))| {
                entries
                    .iter()
                    .position(|(other, _)| other == key)
                    .unwrap_or(i)
            })
            .collect()
    } else {
        let mut seen: std::collections::HashMap<&str, usize, foldhash::fast::RandomState> =
            std::collections::HashMap::with_capacity_and_hasher(entries.len(), Default::default());
        entries
            .iter()
            .enumerate()
            .map(|(i, (key, _))| *seen.entry(key.as_ref()).or_insert(i))
            .collect()
    };
    if first.iter().enumerate().all(|(i, &at)| i == at) {
        return entries;
    }
    let mut out: Vec<(Cow<'de, str>, Fresh<'de>)> = Vec::with_capacity(entries.len());
    // Where each first appearance went in `out`.
    let mut placed = vec![0; entries.len()];
    for ((i, (key, value)), at) in entries.into_iter().enumerate().zip(first) {
        if at == i {
            if let Some(slot) = placed.get_mut(i) {
                *slot = out.len();
            }
            out.push((key, value));
        } else if let Some((_, kept)) = placed.get(at).and_then(|&slot| out.get_mut(slot)) {
            *kept = value;
        }
    }
    out
}

/// Reads a [`Fresh`] value: objects natural or as stored, as [`read_object`] reads them.
#[derive(Clone, Copy)]
struct Read {
    natural: bool,
}

impl<'de> DeserializeSeed<'de> for Read {
    type Value = Fresh<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Fresh<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Read {
    type Value = Fresh<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Fresh<'de>, E> {
        Ok(Fresh::Value(Value::Bool(b)))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Fresh<'de>, E> {
        Ok(Fresh::Value(Value::from(n)))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Fresh<'de>, E> {
        Ok(Fresh::Value(Value::from(n)))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Fresh<'de>, E> {
        Ok(Fresh::Value(Value::from(n)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Fresh<'de>, E> {
        Ok(Fresh::Value(Value::String(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Fresh<'de>, E> {
        Ok(Fresh::Value(Value::String(s)))
    }

    fn visit_unit<E>(self) -> Result<Fresh<'de>, E> {
        Ok(Fresh::Value(Value::Null))
    }

    fn visit_none<E>(self) -> Result<Fresh<'de>, E> {
        Ok(Fresh::Value(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Fresh<'de>, A::Error> {
        let items = if self.natural {
            Natural.visit_seq(seq)?
        } else {
            Value::deserialize(SeqAccessDeserializer::new(seq))?
        };
        Ok(Fresh::Value(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fresh<'de>, A::Error> {
        let mut entries = Vec::new();
        match read_object(&mut map, self.natural, self, |key, value| {
            entries.push((key, value));
        })? {
            // A number, or a typed value (whose natural value may be an object).
            Some(value) => Ok(value.into()),
            None => Ok(Fresh::Object(without_repeats(entries))),
        }
    }
}

#[cfg(test)]
mod tests;
