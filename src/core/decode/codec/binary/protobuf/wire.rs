//! A Protocol Buffers payload read without its schema: the wire tree of field numbers and wire types, as
//! `protoc --decode_raw` shows it, rendered as JSON a reducer can read.
//!
//! A message is an object whose keys are `"<field number>:<what>"`, in the order the fields first appear:
//!
//! - `varint`, `i64`, `i32`: the number as stored, unsigned (a negative `int32`/`int64` is its 64-bit two's
//!   complement, a `sint` is zigzag-encoded, a `double`/`float` its bits: the wire does not say which);
//! - `group`: a (deprecated) group, as a message;
//! - a length-delimited field is a guess, and its key says so with a `?`: `string?` (UTF-8 text),
//!   `message?` (bytes that parse as a message), or else `bytes` (`{"$bytes": "<hex>"}`, what the wire
//!   holds, no guess). In that order: UTF-8 without control characters is a string (short text often
//!   parses as a message too), then bytes that parse as a message are one, then UTF-8 whose only control
//!   characters are tabs and line breaks is a string. A packed repeated field is bytes or a mistaken
//!   guess.
//!
//! A field stored more than once (a repeated field) is an array of its values in stored order.
//!
//! The same discipline as the other formats: a length is checked against the bytes left before it is
//! sliced, nesting (messages and groups) stops at [`MAX_DEPTH`](super::super::MAX_DEPTH), the value is
//! charged to [`Tree`] as it is built. A guess that fails costs nothing: the tree's budget is restored.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};

use super::super::Error;
use super::super::render::Tree;

/// The message `bytes` hold, its fields read to the end (an empty payload is the empty message).
pub(in crate::core::decode::codec::binary) fn decode(
    bytes: &[u8],
    tree: &mut Tree,
) -> Result<Value, Error> {
    let mut reader = Reader {
        input: bytes,
        at: 0,
    };
    reader.message(tree, 0, bytes.len(), None)
}

/// The wire types (the low three bits of a field's tag).
const VARINT: u64 = 0;
const I64: u64 = 1;
const LEN: u64 = 2;
const START_GROUP: u64 = 3;
const END_GROUP: u64 = 4;
const I32: u64 = 5;

/// The largest field number protobuf allows (2^29 - 1).
const MAX_FIELD: u64 = (1 << 29) - 1;

struct Reader<'a> {
    input: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    /// A varint: at most ten bytes, the tenth holding one bit.
    fn varint(&mut self, what: &'static str, end: usize) -> Result<u64, Error> {
        let start = self.at;
        let mut value: u64 = 0;
        for i in 0..10 {
            let Some(&byte) = self.input.get(self.at).filter(|_| self.at < end) else {
                return Err(Error::Truncated {
                    what,
                    offset: start,
                });
            };
            self.at += 1;
            if i == 9 && byte > 1 {
                break;
            }
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Error::Invalid {
            what: format!("{what} longer than 64 bits"),
            offset: start,
        })
    }

    /// The next `len` bytes before `end`, refused before anything is made of them when fewer are left.
    fn take(&mut self, what: &'static str, len: u64, end: usize) -> Result<&[u8], Error> {
        let left = end.saturating_sub(self.at);
        let taken = usize::try_from(len)
            .ok()
            .filter(|&needed| needed <= left)
            .and_then(|needed| self.input.get(self.at..self.at + needed));
        match taken {
            Some(taken) => {
                self.at += taken.len();
                Ok(taken)
            }
            None => Err(Error::TooLong {
                what,
                declared: len,
                unit: "bytes",
                offset: self.at,
                left,
            }),
        }
    }

    /// A fixed-width little-endian number of `N` bytes.
    fn fixed<const N: u64>(&mut self, what: &'static str, end: usize) -> Result<u64, Error> {
        let offset = self.at;
        let bytes = self
            .take(what, N, end)
            .map_err(|_| Error::Truncated { what, offset })?;
        Ok(bytes
            .iter()
            .rev()
            .fold(0u64, |n, &byte| (n << 8) | u64::from(byte)))
    }

    /// The fields from here to `end` (or to the end of the group numbered `group`), as one object.
    fn message(
        &mut self,
        tree: &mut Tree,
        depth: usize,
        end: usize,
        group: Option<u64>,
    ) -> Result<Value, Error> {
        let level = tree.enter(depth, self.at)?;
        tree.open()?;
        // Each key's values in stored order, keys in the order they first appear (and where, so a
        // message of many fields is not searched field by field).
        let mut fields: Vec<(String, Vec<Value>)> = Vec::new();
        let mut places: HashMap<String, usize> = HashMap::new();
        while self.at < end {
            let offset = self.at;
            let tag = self.varint("a field's tag", end)?;
            let (number, wire) = (tag >> 3, tag & 7);
            if number == 0 || number > MAX_FIELD {
                return Err(Error::Invalid {
                    what: format!("field number {number}, outside 1 to {MAX_FIELD}"),
                    offset,
                });
            }
            let (what, value) = match wire {
                VARINT => (
                    "varint",
                    tree.number(Number::from(self.varint("a varint", end)?))?,
                ),
                I64 => (
                    "i64",
                    tree.number(Number::from(self.fixed::<8>("an i64", end)?))?,
                ),
                I32 => (
                    "i32",
                    tree.number(Number::from(self.fixed::<4>("an i32", end)?))?,
                ),
                LEN => {
                    let len = self.varint("a length", end)?;
                    let start = self.at;
                    let data = self.take("a length-delimited field", len, end)?;
                    let data_end = start + data.len();
                    self.guess(tree, level, start, data_end)?
                }
                START_GROUP => ("group", self.message(tree, level, end, Some(number))?),
                END_GROUP if group == Some(number) => return Ok(object(fields)),
                END_GROUP => {
                    return Err(Error::Invalid {
                        what: format!("the end of group {number}, which was never started"),
                        offset,
                    });
                }
                _ => {
                    return Err(Error::Invalid {
                        what: format!("wire type {wire}, which protobuf never uses"),
                        offset,
                    });
                }
            };
            let key = format!("{number}:{what}");
            match places.get(&key).and_then(|&place| fields.get_mut(place)) {
                Some((_, values)) => tree.item(values, value)?,
                None => {
                    // The key's text, quotes and colon counted as a map key's are.
                    tree.text(key.as_bytes(), offset)?;
                    places.insert(key.clone(), fields.len());
                    fields.push((key, vec![value]));
                }
            }
        }
        match group {
            Some(_) => Err(Error::Truncated {
                what: "a group",
                offset: self.at,
            }),
            None => Ok(object(fields)),
        }
    }

    /// What the length-delimited bytes from `start` to `end` are taken for: text, a message, or bytes.
    fn guess(
        &mut self,
        tree: &mut Tree,
        depth: usize,
        start: usize,
        end: usize,
    ) -> Result<(&'static str, Value), Error> {
        let data = self.input.get(start..end).unwrap_or_default();
        let text = std::str::from_utf8(data).ok();
        // Text without a control character: a message's tags and lengths are mostly below 0x20.
        if let Some(text) = text.filter(|t| !t.chars().any(char::is_control)) {
            return Ok(("string?", tree.text(text.as_bytes(), start)?));
        }
        // Tried on a copy of the budget: bytes that are not a message cost nothing.
        let mut trial = tree.clone();
        let mut nested = Reader {
            input: self.input,
            at: start,
        };
        match nested.message(&mut trial, depth, end, None) {
            Ok(value) => {
                *tree = trial;
                return Ok(("message?", value));
            }
            Err(err @ Error::TooLarge { .. }) => return Err(err),
            Err(_) => {}
        }
        // Text whose only control characters are tabs and line breaks.
        match text.filter(|t| {
            !t.chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        }) {
            Some(text) => Ok(("string?", tree.text(text.as_bytes(), start)?)),
            None => Ok(("bytes", tree.bytes(data, depth, start)?)),
        }
    }
}

/// The fields as an object: a field stored once is its value, a repeated one the array of its values.
fn object(fields: Vec<(String, Vec<Value>)>) -> Value {
    let map = fields
        .into_iter()
        .map(|(key, mut values)| {
            let value = match values.len() {
                1 => values.pop().unwrap_or(Value::Null),
                _ => Value::Array(values),
            };
            (key, value)
        })
        .collect::<Map<String, Value>>();
    Value::Object(map)
}
