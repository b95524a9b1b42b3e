//! One JSON rendering for every binary format, and the limits every decoder is held to while it builds it.
//!
//! What JSON has a word for is itself (null, booleans, numbers of any size, UTF-8 strings, arrays, maps with
//! string keys, in stored order). The rest is a `$`-keyed object:
//!
//! - a byte string: `{"$bytes": "<lowercase hex>"}`;
//! - a MessagePack extension: `{"$ext": {"type": 5, "hex": "<data as hex>"}}`;
//! - a CBOR tag: `{"$tag": 1, "value": <the tagged value>}`;
//! - a CBOR simple value other than false, true and null (`undefined` is 23): `{"$simple": 23}`;
//! - a float JSON cannot write: `{"$float": "NaN"}`, `"Infinity"` or `"-Infinity"`;
//! - a map key that is not a string: `"$<kind>:<its value as compact JSON>"`, the kind one of `int`,
//!   `float`, `bool`, `array`, `map`, `ext`, `tag`, `simple`, so `{1: "a"}` is `{"$int:1": "a"}`; a byte-string
//!   key is `"$bytes:<hex>"` and a null key `"$null"`.
//!
//! A map holding the same key twice (after that rendering) is an error, never a silently lost entry.
//!
//! [`Tree`] counts the JSON text the value will take (at least: strings unescaped) against the
//! decoded-payload cap and the nesting against [`MAX_DEPTH`].

use serde_json::{Map, Number, Value};

use super::{Error, MAX_DEPTH};
use crate::core::decode::hex;

/// What a map key was on the wire, for writing it as a JSON key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Str,
    Bytes,
    Null,
    Int,
    Float,
    Bool,
    Array,
    Map,
    Ext,
    Tag,
    Simple,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::Str => "str",
            Self::Bytes => "bytes",
            Self::Null => "null",
            Self::Int => "int",
            Self::Float => "float",
            Self::Bool => "bool",
            Self::Array => "array",
            Self::Map => "map",
            Self::Ext => "ext",
            Self::Tag => "tag",
            Self::Simple => "simple",
        }
    }
}

/// The value being built: the JSON bytes it may still take (cloned to try a guess on a copy).
#[derive(Clone)]
pub(super) struct Tree {
    limit_bytes: usize,
    left_bytes: usize,
}

impl Tree {
    pub(super) fn new(limit_bytes: usize) -> Self {
        Self {
            limit_bytes,
            left_bytes: limit_bytes,
        }
    }

    /// Count `n` bytes of JSON text.
    pub(super) fn charge(&mut self, n: usize) -> Result<(), Error> {
        match self.left_bytes.checked_sub(n) {
            Some(left) => {
                self.left_bytes = left;
                Ok(())
            }
            None => Err(Error::TooLarge {
                limit_bytes: self.limit_bytes,
            }),
        }
    }

    /// The level of a container opened inside `depth` enclosing ones, refused past [`MAX_DEPTH`].
    pub(super) fn enter(&self, depth: usize, offset: usize) -> Result<usize, Error> {
        let level = depth + 1;
        if level > MAX_DEPTH {
            return Err(Error::TooDeep { offset });
        }
        Ok(level)
    }

    pub(super) fn null(&mut self) -> Result<Value, Error> {
        self.charge(4)?;
        Ok(Value::Null)
    }

    pub(super) fn bool(&mut self, b: bool) -> Result<Value, Error> {
        self.charge(5)?;
        Ok(Value::Bool(b))
    }

    pub(super) fn number(&mut self, n: Number) -> Result<Value, Error> {
        self.charge(n.as_str().len())?;
        Ok(Value::Number(n))
    }

    /// An integer of any size (CBOR's reach below `i64::MIN`), exact.
    pub(super) fn big_int(&mut self, n: i128) -> Result<Value, Error> {
        match n.to_string().parse::<Number>() {
            Ok(number) => self.number(number),
            Err(_) => Err(Error::Invalid {
                what: format!("integer {n} cannot be written as JSON"),
                offset: 0,
            }),
        }
    }

    pub(super) fn float(&mut self, f: f64, depth: usize, offset: usize) -> Result<Value, Error> {
        if let Some(n) = Number::from_f64(f) {
            return self.number(n);
        }
        let text = if f.is_nan() {
            "NaN"
        } else if f > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        };
        self.enter(depth, offset)?;
        self.charge(14 + text.len())?;
        Ok(single("$float", Value::String(text.to_owned())))
    }

    /// A string as stored: UTF-8 or an error.
    pub(super) fn text(&mut self, bytes: &[u8], offset: usize) -> Result<Value, Error> {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Err(Error::Invalid {
                what: "a string that is not UTF-8".to_owned(),
                offset,
            });
        };
        self.charge(text.len() + 2)?;
        Ok(Value::String(text.to_owned()))
    }

    /// `{"$bytes": "<hex>"}`.
    pub(super) fn bytes(
        &mut self,
        bytes: &[u8],
        depth: usize,
        offset: usize,
    ) -> Result<Value, Error> {
        self.enter(depth, offset)?;
        self.charge(bytes.len().saturating_mul(2).saturating_add(14))?;
        Ok(single("$bytes", Value::String(hex(bytes))))
    }

    /// `{"$ext": {"type": t, "hex": "<data>"}}`.
    pub(super) fn ext(
        &mut self,
        type_id: i8,
        data: &[u8],
        depth: usize,
        offset: usize,
    ) -> Result<Value, Error> {
        let level = self.enter(depth, offset)?;
        self.enter(level, offset)?;
        self.charge(data.len().saturating_mul(2).saturating_add(32))?;
        let mut inner = Map::new();
        inner.insert("type".to_owned(), Value::from(type_id));
        inner.insert("hex".to_owned(), Value::String(hex(data)));
        Ok(single("$ext", Value::Object(inner)))
    }

    /// `{"$tag": n, "value": v}`; `value` was built one level inside it.
    pub(super) fn tag(&mut self, tag: u64, value: Value) -> Result<Value, Error> {
        self.charge(20 + 20)?;
        let mut map = Map::new();
        map.insert("$tag".to_owned(), Value::from(tag));
        map.insert("value".to_owned(), value);
        Ok(Value::Object(map))
    }

    /// `{"$simple": n}`.
    pub(super) fn simple(&mut self, n: u8, depth: usize, offset: usize) -> Result<Value, Error> {
        self.enter(depth, offset)?;
        self.charge(16)?;
        Ok(single("$simple", Value::from(n)))
    }

    /// An array or a map's brackets.
    pub(super) fn open(&mut self) -> Result<(), Error> {
        self.charge(2)
    }

    /// An array's item (its comma counted).
    pub(super) fn item(&mut self, items: &mut Vec<Value>, item: Value) -> Result<(), Error> {
        self.charge(1)?;
        items.push(item);
        Ok(())
    }

    /// A map's entry: the key written as a JSON key (see the module's doc), refused when already there.
    pub(super) fn entry(
        &mut self,
        map: &mut Map<String, Value>,
        kind: Kind,
        key: Value,
        value: Value,
        offset: usize,
    ) -> Result<(), Error> {
        let key = key_text(kind, key);
        self.charge(key.len() + 4)?;
        if map.contains_key(&key) {
            return Err(Error::DuplicateKey { key, offset });
        }
        map.insert(key, value);
        Ok(())
    }
}

fn single(key: &str, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(key.to_owned(), value);
    Value::Object(map)
}

/// A map key of `kind`, rendered as `key`, written as a JSON object key.
fn key_text(kind: Kind, key: Value) -> String {
    match (kind, key) {
        (Kind::Str, Value::String(text)) => text,
        (Kind::Null, _) => "$null".to_owned(),
        (Kind::Bytes, Value::Object(mut map)) => match map.remove("$bytes") {
            Some(Value::String(hex)) => format!("$bytes:{hex}"),
            _ => format!("$bytes:{}", Value::Object(map)),
        },
        (kind, key) => format!("${}:{key}", kind.name()),
    }
}
