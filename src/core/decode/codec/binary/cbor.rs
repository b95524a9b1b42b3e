//! CBOR (RFC 8949) read with `ciborium-ll`: each item's header by its decoder, the tree built by [`Tree`]
//! (tags shown as `$tag`, byte strings as `$bytes`, simple values as `$simple`, non-string keys
//! stringified). Indefinite-length strings, arrays and maps are read to their break.

use ciborium_ll::{Decoder, Header, simple};
use serde_json::{Map, Number, Value};

use super::Error;
use super::render::{Kind, Tree};

/// The one CBOR item `bytes` hold, nothing after it.
pub(super) fn decode(bytes: &[u8], tree: &mut Tree) -> Result<Value, Error> {
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    let mut reader = Reader {
        input: bytes,
        offset: 0,
    };
    let header = reader.header("an item")?;
    let value = reader.value(header, tree, 0)?;
    let left = reader.left();
    if left > 0 {
        return Err(Error::Trailing {
            offset: reader.offset,
            left,
        });
    }
    Ok(value)
}

/// The units a container's count is in: an array's items take a byte at least, a map's entries two.
const ITEMS: &str = "items";
const ENTRIES: &str = "entries";

struct Reader<'a> {
    input: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    fn left(&self) -> usize {
        self.input.len().saturating_sub(self.offset)
    }

    /// The next item's header (read by a decoder over what is left, so the bytes stay ours to slice).
    fn header(&mut self, what: &'static str) -> Result<(Header, usize), Error> {
        let at = self.offset;
        let rest = self.input.get(at..).unwrap_or_default();
        let mut decoder = Decoder::from(rest);
        match decoder.pull() {
            Ok(header) => {
                self.offset = at + decoder.offset();
                Ok((header, at))
            }
            Err(ciborium_ll::Error::Syntax(_)) => Err(Error::Invalid {
                what: "a header CBOR does not define".to_owned(),
                offset: at,
            }),
            Err(ciborium_ll::Error::Io(_)) => Err(Error::Truncated { what, offset: at }),
        }
    }

    /// The next `len` bytes, refused before anything is allocated when fewer are left.
    fn take(&mut self, what: &'static str, len: usize) -> Result<&'a [u8], Error> {
        let Some(taken) = self
            .offset
            .checked_add(len)
            .and_then(|end| self.input.get(self.offset..end))
        else {
            return Err(Error::TooLong {
                what,
                declared: len as u64,
                unit: "bytes",
                offset: self.offset,
                left: self.left(),
            });
        };
        self.offset += len;
        Ok(taken)
    }

    /// A container's count, refused when its items (one byte each at least, `per_item` for a map's entry)
    /// cannot fit in what is left.
    fn count(&self, what: &'static str, count: usize, unit: &'static str) -> Result<usize, Error> {
        let per_item = if unit == ENTRIES { 2 } else { 1 };
        if count.saturating_mul(per_item) > self.left() {
            return Err(Error::TooLong {
                what,
                declared: count as u64,
                unit,
                offset: self.offset,
                left: self.left(),
            });
        }
        Ok(count)
    }

    /// A string's bytes: one run, or an indefinite-length string's chunks (each a definite string of the
    /// same major type) joined up to its break.
    fn string(&mut self, len: Option<usize>, text: bool) -> Result<Vec<u8>, Error> {
        let what = if text {
            "a text string"
        } else {
            "a byte string"
        };
        if let Some(len) = len {
            return Ok(self.take(what, len)?.to_vec());
        }
        let mut out = Vec::new();
        loop {
            match self.header(what)? {
                (Header::Break, _) => return Ok(out),
                (Header::Text(Some(len)), _) if text => {
                    out.extend_from_slice(self.take(what, len)?)
                }
                (Header::Bytes(Some(len)), _) if !text => {
                    out.extend_from_slice(self.take(what, len)?);
                }
                (_, offset) => {
                    return Err(Error::Invalid {
                        what: format!("a chunk of {what} that is not one"),
                        offset,
                    });
                }
            }
        }
    }

    fn value(
        &mut self,
        (header, offset): (Header, usize),
        tree: &mut Tree,
        depth: usize,
    ) -> Result<Value, Error> {
        match header {
            Header::Positive(n) => tree.number(Number::from(n)),
            Header::Negative(n) => match i64::try_from(n) {
                // -1 - n, which for n <= i64::MAX is at least i64::MIN.
                Ok(n) => tree.number(Number::from(-1 - n)),
                Err(_) => tree.big_int(-1 - i128::from(n)),
            },
            Header::Float(f) => tree.float(f, depth, offset),
            Header::Simple(simple::FALSE) => tree.bool(false),
            Header::Simple(simple::TRUE) => tree.bool(true),
            Header::Simple(simple::NULL) => tree.null(),
            Header::Simple(n) => tree.simple(n, depth, offset),
            Header::Break => Err(Error::Invalid {
                what: "a break outside an indefinite-length item".to_owned(),
                offset,
            }),
            Header::Bytes(len) => {
                let bytes = self.string(len, false)?;
                tree.bytes(&bytes, depth, offset)
            }
            Header::Text(len) => {
                let bytes = self.string(len, true)?;
                tree.text(&bytes, offset)
            }
            Header::Tag(tag) => {
                let level = tree.enter(depth, offset)?;
                let inner = self.header("a tagged item")?;
                let value = self.value(inner, tree, level)?;
                tree.tag(tag, value)
            }
            Header::Array(len) => {
                let level = tree.enter(depth, offset)?;
                tree.open()?;
                let count = len.map(|n| self.count("an array", n, ITEMS)).transpose()?;
                // Grown as items arrive: the count is only a claim until they do.
                let mut items = Vec::with_capacity(count.unwrap_or(0).min(64));
                let mut read = 0;
                while count.is_none_or(|n| read < n) {
                    let next = self.header("an array item")?;
                    if count.is_none() && next.0 == Header::Break {
                        break;
                    }
                    let item = self.value(next, tree, level)?;
                    tree.item(&mut items, item)?;
                    read += 1;
                }
                Ok(Value::Array(items))
            }
            Header::Map(len) => {
                let level = tree.enter(depth, offset)?;
                tree.open()?;
                let count = len.map(|n| self.count("a map", n, ENTRIES)).transpose()?;
                let mut map = Map::new();
                let mut read = 0;
                while count.is_none_or(|n| read < n) {
                    let key = self.header("a map key")?;
                    if count.is_none() && key.0 == Header::Break {
                        break;
                    }
                    let (kind, key_offset) = (kind(key.0), key.1);
                    let key = self.value(key, tree, level)?;
                    let value_header = self.header("a map value")?;
                    let value = self.value(value_header, tree, level)?;
                    tree.entry(&mut map, kind, key, value, key_offset)?;
                    read += 1;
                }
                Ok(Value::Object(map))
            }
        }
    }
}

/// What a key with this header is, for writing it as a JSON key.
fn kind(header: Header) -> Kind {
    match header {
        Header::Positive(_) | Header::Negative(_) => Kind::Int,
        Header::Float(_) => Kind::Float,
        Header::Simple(simple::FALSE | simple::TRUE) => Kind::Bool,
        Header::Simple(simple::NULL) => Kind::Null,
        Header::Simple(_) | Header::Break => Kind::Simple,
        Header::Tag(_) => Kind::Tag,
        Header::Bytes(_) => Kind::Bytes,
        Header::Text(_) => Kind::Str,
        Header::Array(_) => Kind::Array,
        Header::Map(_) => Kind::Map,
    }
}
