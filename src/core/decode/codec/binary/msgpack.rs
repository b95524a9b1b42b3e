//! MessagePack read with `rmp`: each value's marker and lengths by its readers, the tree built by
//! [`Tree`] (extension types shown as `$ext`, binary as `$bytes`, non-string keys stringified).

use rmp::Marker;
use rmp::decode::{self as rmpd, Bytes};
use serde_json::{Map, Number, Value};

use super::Error;
use super::render::{Kind, Tree};

/// The one MessagePack value `bytes` hold, nothing after it.
pub(super) fn decode(bytes: &[u8], tree: &mut Tree) -> Result<Value, Error> {
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    let mut reader = Reader {
        input: bytes,
        rest: bytes,
    };
    let value = reader.value(tree, 0)?;
    if !reader.rest.is_empty() {
        return Err(Error::Trailing {
            offset: reader.offset(),
            left: reader.rest.len(),
        });
    }
    Ok(value)
}

/// The units a container's count is in: an array's items take a byte at least, a map's entries two.
const ITEMS: &str = "items";
const ENTRIES: &str = "entries";

struct Reader<'a> {
    input: &'a [u8],
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn offset(&self) -> usize {
        self.input.len() - self.rest.len()
    }

    fn marker(&self, what: &'static str) -> Result<Marker, Error> {
        match self.rest.first() {
            Some(&byte) => Ok(Marker::from_u8(byte)),
            None => Err(Error::Truncated {
                what,
                offset: self.offset(),
            }),
        }
    }

    /// `what` declares `declared` bytes (or items) where fewer are left.
    fn too_long(&self, what: &'static str, declared: u64, unit: &'static str) -> Error {
        Error::TooLong {
            what,
            declared,
            unit,
            offset: self.offset(),
            left: self.rest.len(),
        }
    }

    /// Run one of `rmp`'s readers (marker and fixed-size data) on what is left; it fails only when the
    /// bytes end inside what it reads.
    fn read<T, E>(
        &mut self,
        what: &'static str,
        read: impl FnOnce(&mut Bytes<'a>) -> Result<T, E>,
    ) -> Result<T, Error> {
        let mut bytes = Bytes::new(self.rest);
        match read(&mut bytes) {
            Ok(value) => {
                self.rest = bytes.remaining_slice();
                Ok(value)
            }
            Err(_) => Err(Error::Truncated {
                what,
                offset: self.offset(),
            }),
        }
    }

    /// The next `len` bytes, refused before anything is allocated when fewer are left.
    fn take(&mut self, what: &'static str, len: u32) -> Result<&'a [u8], Error> {
        let needed = usize::try_from(len).unwrap_or(usize::MAX);
        if needed > self.rest.len() {
            return Err(self.too_long(what, u64::from(len), "bytes"));
        }
        let (taken, rest) = self.rest.split_at(needed);
        self.rest = rest;
        Ok(taken)
    }

    /// A container's count, refused when its items (one byte each at least, `per_item` bytes for a map's
    /// entry) cannot fit in what is left.
    fn count(&self, what: &'static str, count: u32, unit: &'static str) -> Result<usize, Error> {
        let per_item = if unit == ENTRIES { 2 } else { 1 };
        if u64::from(count) * per_item > self.rest.len() as u64 {
            return Err(self.too_long(what, u64::from(count), unit));
        }
        Ok(usize::try_from(count).unwrap_or(usize::MAX))
    }

    fn value(&mut self, tree: &mut Tree, depth: usize) -> Result<Value, Error> {
        let offset = self.offset();
        match self.marker("a value")? {
            Marker::FixPos(_) | Marker::U8 | Marker::U16 | Marker::U32 | Marker::U64 => {
                let n: u64 = self.read("an integer", rmpd::read_int)?;
                tree.number(Number::from(n))
            }
            Marker::FixNeg(_) | Marker::I8 | Marker::I16 | Marker::I32 | Marker::I64 => {
                let n: i64 = self.read("an integer", rmpd::read_int)?;
                tree.number(Number::from(n))
            }
            Marker::Null => {
                self.read("nil", rmpd::read_nil)?;
                tree.null()
            }
            Marker::True | Marker::False => {
                let b = self.read("a boolean", rmpd::read_bool)?;
                tree.bool(b)
            }
            Marker::F32 => {
                let f = self.read("a float", rmpd::read_f32)?;
                tree.float(f64::from(f), depth, offset)
            }
            Marker::F64 => {
                let f = self.read("a float", rmpd::read_f64)?;
                tree.float(f, depth, offset)
            }
            Marker::FixStr(_) | Marker::Str8 | Marker::Str16 | Marker::Str32 => {
                let len = self.read("a str", rmpd::read_str_len)?;
                let text = self.take("a str", len)?;
                tree.text(text, offset)
            }
            Marker::Bin8 | Marker::Bin16 | Marker::Bin32 => {
                let len = self.read("a bin", rmpd::read_bin_len)?;
                let data = self.take("a bin", len)?;
                tree.bytes(data, depth, offset)
            }
            Marker::FixArray(_) | Marker::Array16 | Marker::Array32 => {
                let count = self.read("an array", rmpd::read_array_len)?;
                let count = self.count("an array", count, ITEMS)?;
                let level = tree.enter(depth, offset)?;
                tree.open()?;
                // Grown as items arrive: the count is only a claim until they do.
                let mut items = Vec::with_capacity(count.min(64));
                for _ in 0..count {
                    let item = self.value(tree, level)?;
                    tree.item(&mut items, item)?;
                }
                Ok(Value::Array(items))
            }
            Marker::FixMap(_) | Marker::Map16 | Marker::Map32 => {
                let count = self.read("a map", rmpd::read_map_len)?;
                let count = self.count("a map", count, ENTRIES)?;
                let level = tree.enter(depth, offset)?;
                tree.open()?;
                let mut map = Map::new();
                for _ in 0..count {
                    let key_offset = self.offset();
                    let kind = kind(self.marker("a map key")?);
                    let key = self.value(tree, level)?;
                    let value = self.value(tree, level)?;
                    tree.entry(&mut map, kind, key, value, key_offset)?;
                }
                Ok(Value::Object(map))
            }
            Marker::Reserved => Err(Error::Invalid {
                what: "byte 0xc1, which MessagePack never uses".to_owned(),
                offset,
            }),
            // Every marker left is an extension type (fixext 1 to 16, ext 8 to 32).
            _ => {
                let meta = self.read("an ext", rmpd::read_ext_meta)?;
                let data = self.take("an ext", meta.size)?;
                tree.ext(meta.typeid, data, depth, offset)
            }
        }
    }
}

/// What a key with this marker is, for writing it as a JSON key.
fn kind(marker: Marker) -> Kind {
    match marker {
        Marker::FixStr(_) | Marker::Str8 | Marker::Str16 | Marker::Str32 => Kind::Str,
        Marker::Bin8 | Marker::Bin16 | Marker::Bin32 => Kind::Bytes,
        Marker::Null => Kind::Null,
        Marker::True | Marker::False => Kind::Bool,
        Marker::F32 | Marker::F64 => Kind::Float,
        Marker::FixArray(_) | Marker::Array16 | Marker::Array32 => Kind::Array,
        Marker::FixMap(_) | Marker::Map16 | Marker::Map32 => Kind::Map,
        Marker::FixExt1
        | Marker::FixExt2
        | Marker::FixExt4
        | Marker::FixExt8
        | Marker::FixExt16
        | Marker::Ext8
        | Marker::Ext16
        | Marker::Ext32 => Kind::Ext,
        Marker::FixPos(_)
        | Marker::FixNeg(_)
        | Marker::U8
        | Marker::U16
        | Marker::U32
        | Marker::U64
        | Marker::I8
        | Marker::I16
        | Marker::I32
        | Marker::I64
        | Marker::Reserved => Kind::Int,
    }
}
