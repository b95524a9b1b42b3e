//! Thrift payloads read without an IDL, and the same walk with one ([`Typed`]: see
//! [`thrift_idl`](super::thrift_idl) for what it changes): what the binary and compact protocols share. A payload is one
//! struct; its fields are keyed by field id (`{"1": "ann", "2": {...}}`) in stored order, lists and sets
//! are arrays, maps are objects with their keys written as [`render`](super::render) writes any key
//! that is not a string (`"$int:5"`), and a string or binary field is a string when its bytes are UTF-8
//! and `{"$bytes": "<hex>"}` otherwise (the wire does not tell the two apart). A UUID (Thrift 0.19's type)
//! is its dashed lowercase text. Enums are their i32 numbers: without an IDL there are no names.
//!
//! The walk over values is here, once; each protocol ([`thrift_binary`](super::thrift_binary),
//! [`thrift_compact`](super::thrift_compact)) reads only headers and scalars through [`Wire`]. A count
//! is refused when its elements, at their smallest on the wire, could not fit in the bytes left, so
//! nothing is allocated for a claim the bytes cannot back.

use serde_json::{Map, Number, Value};

use super::protobuf::UNKNOWN_KEY;
use super::render::{Kind, Tree};
use super::thrift_idl::{Idl, StructDef, Ty};
use super::{Error, Format, thrift_binary, thrift_compact};

/// A Thrift value's type, as both protocols name it (each with its own ids).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Type {
    Bool,
    Byte,
    I16,
    I32,
    I64,
    Double,
    Binary,
    Struct,
    Map,
    Set,
    List,
    Uuid,
}

impl Type {
    /// The wire type as an error message says it (a string and a binary share it).
    pub(super) fn text(self) -> &'static str {
        match self {
            Self::Bool => "a bool",
            Self::Byte => "a byte",
            Self::I16 => "an i16",
            Self::I32 => "an i32",
            Self::I64 => "an i64",
            Self::Double => "a double",
            Self::Binary => "a string or binary",
            Self::Struct => "a struct",
            Self::Map => "a map",
            Self::Set => "a set",
            Self::List => "a list",
            Self::Uuid => "a uuid",
        }
    }
}

/// The struct a payload is read as, with the IDL that declares it.
#[derive(Clone, Copy)]
pub(super) struct Typed<'i> {
    pub(super) idl: &'i Idl,
    pub(super) def: &'i StructDef,
}

/// A value's declared type, with the IDL naming its structs and enums; `None` without an IDL or for a
/// field the IDL does not declare.
type Hint<'i> = Option<(&'i Idl, &'i Ty)>;

/// A field's header: the struct's end, or a field's id and type (a compact bool carries its value).
pub(super) enum Field {
    Stop,
    Value {
        id: i16,
        ty: Type,
        bool: Option<bool>,
    },
}

/// The bytes being read, and where.
pub(super) struct Cursor<'a> {
    input: &'a [u8],
    offset: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(input: &'a [u8]) -> Self {
        Self { input, offset: 0 }
    }

    pub(super) fn offset(&self) -> usize {
        self.offset
    }

    pub(super) fn left(&self) -> usize {
        self.input.len().saturating_sub(self.offset)
    }

    /// The next byte of `what`.
    pub(super) fn byte(&mut self, what: &'static str) -> Result<u8, Error> {
        let Some(&byte) = self.input.get(self.offset) else {
            return Err(Error::Truncated {
                what,
                offset: self.offset,
            });
        };
        self.offset += 1;
        Ok(byte)
    }

    /// The next `N` bytes of a fixed-size `what`.
    pub(super) fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], Error> {
        let Some(bytes) = self
            .input
            .get(self.offset..self.offset.saturating_add(N))
            .and_then(|b| <[u8; N]>::try_from(b).ok())
        else {
            return Err(Error::Truncated {
                what,
                offset: self.offset,
            });
        };
        self.offset += N;
        Ok(bytes)
    }

    /// The next `len` bytes of `what`, refused before anything is allocated when fewer are left.
    pub(super) fn take(&mut self, what: &'static str, len: u64) -> Result<&'a [u8], Error> {
        let taken = usize::try_from(len)
            .ok()
            .and_then(|len| self.offset.checked_add(len))
            .and_then(|end| self.input.get(self.offset..end));
        let Some(taken) = taken else {
            return Err(Error::TooLong {
                what,
                declared: len,
                unit: "bytes",
                offset: self.offset,
                left: self.left(),
            });
        };
        self.offset += taken.len();
        Ok(taken)
    }
}

/// One protocol's encoding of headers and scalars.
pub(super) trait Wire<'a> {
    fn cursor(&mut self) -> &mut Cursor<'a>;
    /// The next field's header; `last_id` is the id of the struct's previous field (0 before the first).
    fn field(&mut self, last_id: i16) -> Result<Field, Error>;
    /// A list's or set's element type and count.
    fn list(&mut self) -> Result<(Type, u64), Error>;
    /// A map's key and value types (none for the compact protocol's empty map) and count.
    fn map(&mut self) -> Result<(Option<(Type, Type)>, u64), Error>;
    fn bool(&mut self) -> Result<bool, Error>;
    fn i8(&mut self) -> Result<i8, Error>;
    fn i16(&mut self) -> Result<i16, Error>;
    fn i32(&mut self) -> Result<i32, Error>;
    fn i64(&mut self) -> Result<i64, Error>;
    fn double(&mut self) -> Result<f64, Error>;
    /// A string's or binary's length in bytes.
    fn binary_len(&mut self) -> Result<u64, Error>;
    /// The fewest bytes a value of `ty` takes on this wire.
    fn min_bytes(ty: Type) -> u64;
}

/// The one struct `bytes` hold in `format`'s protocol (the compact one for
/// [`Format::ThriftCompact`], else the binary one), read as `typed` when given.
pub(super) fn decode_protocol(
    format: Format,
    bytes: &[u8],
    tree: &mut Tree,
    typed: Option<Typed<'_>>,
) -> Result<Value, Error> {
    if format == Format::ThriftCompact {
        decode(thrift_compact::wire(bytes), tree, typed)
    } else {
        decode(thrift_binary::wire(bytes), tree, typed)
    }
}

/// The one struct a wire's bytes hold, nothing after it; read as `typed` when given.
fn decode<'a, W: Wire<'a>>(
    mut wire: W,
    tree: &mut Tree,
    typed: Option<Typed<'_>>,
) -> Result<Value, Error> {
    if wire.cursor().left() == 0 {
        return Err(Error::Empty);
    }
    let value = read_struct(&mut wire, tree, 0, typed)?;
    let cursor = wire.cursor();
    if cursor.left() > 0 {
        return Err(Error::Trailing {
            offset: cursor.offset(),
            left: cursor.left(),
        });
    }
    Ok(value)
}

fn read_struct<'a, W: Wire<'a>>(
    wire: &mut W,
    tree: &mut Tree,
    depth: usize,
    typed: Option<Typed<'_>>,
) -> Result<Value, Error> {
    let level = tree.enter(depth, wire.cursor().offset())?;
    tree.open()?;
    let mut fields = Map::new();
    // The fields the IDL does not declare, by id.
    let mut unknown = Map::new();
    let mut last_id = 0;
    loop {
        let at = wire.cursor().offset();
        let Field::Value { id, ty, bool } = wire.field(last_id)? else {
            if !unknown.is_empty() {
                let unknown = Value::Object(unknown);
                tree.entry(&mut fields, Kind::Str, UNKNOWN_KEY.into(), unknown, at)?;
            }
            return Ok(Value::Object(fields));
        };
        last_id = id;
        let declared = typed.and_then(|t| t.def.fields.get(&id).map(|f| (t.idl, f)));
        if let Some((_, field)) = declared
            && field.ty.wire() != ty
        {
            let name = format!("field {id} ({})", field.name);
            return Err(Idl::mismatch(&name, &field.ty, ty, at));
        }
        // An unknown field sits one level deeper, under `"$unknown"`.
        let inside = match (typed, declared) {
            (Some(_), None) => tree.enter(level, at)?,
            _ => level,
        };
        let value = match bool {
            Some(b) => tree.bool(b)?,
            None => read_value(
                wire,
                ty,
                declared.map(|(idl, f)| (idl, &f.ty)),
                tree,
                inside,
            )?,
        };
        let (map, key) = match (typed, declared) {
            (_, Some((_, field))) => (&mut fields, field.name.clone()),
            (Some(_), None) => {
                if unknown.is_empty() {
                    tree.open()?;
                }
                (&mut unknown, id.to_string())
            }
            (None, None) => (&mut fields, id.to_string()),
        };
        tree.entry(map, Kind::Str, Value::String(key), value, at)?;
    }
}

/// The element type `hint` declares for a container stored with elements of `stored`, checked.
fn element<'i>(
    hint: Option<(&'i Idl, &'i Ty)>,
    stored: Type,
    what: &str,
    offset: usize,
) -> Result<Hint<'i>, Error> {
    let Some((idl, ty)) = hint else {
        return Ok(None);
    };
    if ty.wire() != stored {
        return Err(Idl::mismatch(what, ty, stored, offset));
    }
    Ok(Some((idl, ty)))
}

/// A count of `count` elements of `per_element` bytes at least, refused when the bytes left cannot hold
/// them.
fn check_count<'a, W: Wire<'a>>(
    wire: &mut W,
    what: &'static str,
    count: u64,
    unit: &'static str,
    per_element: u64,
) -> Result<(), Error> {
    let cursor = wire.cursor();
    if count.saturating_mul(per_element) > cursor.left() as u64 {
        return Err(Error::TooLong {
            what,
            declared: count,
            unit,
            offset: cursor.offset(),
            left: cursor.left(),
        });
    }
    Ok(())
}

fn read_value<'a, W: Wire<'a>>(
    wire: &mut W,
    ty: Type,
    hint: Hint<'_>,
    tree: &mut Tree,
    depth: usize,
) -> Result<Value, Error> {
    let offset = wire.cursor().offset();
    match ty {
        Type::Bool => tree.bool(wire.bool()?),
        Type::Byte => tree.number(Number::from(wire.i8()?)),
        Type::I16 => tree.number(Number::from(wire.i16()?)),
        Type::I32 => {
            let n = wire.i32()?;
            match hint {
                Some((idl, Ty::Enum(key))) => match idl.enum_name(key, n) {
                    Some(name) => tree.text(name.as_bytes(), offset),
                    None => tree.number(Number::from(n)),
                },
                _ => tree.number(Number::from(n)),
            }
        }
        Type::I64 => tree.number(Number::from(wire.i64()?)),
        Type::Double => tree.float(wire.double()?, depth, offset),
        Type::Binary => {
            let len = wire.binary_len()?;
            let data = wire.cursor().take("a string", len)?;
            let binary = matches!(hint, Some((_, Ty::Binary)));
            if !binary && std::str::from_utf8(data).is_ok() {
                tree.text(data, offset)
            } else {
                tree.bytes(data, depth, offset)
            }
        }
        Type::Uuid => {
            let data = wire.cursor().array::<16>("a uuid")?;
            let text = uuid::Uuid::from_bytes(data).hyphenated().to_string();
            tree.text(text.as_bytes(), offset)
        }
        Type::Struct => {
            let typed = hint.and_then(|(idl, ty)| match ty {
                Ty::Struct(key) => idl.struct_def(key).map(|def| Typed { idl, def }),
                _ => None,
            });
            read_struct(wire, tree, depth, typed)
        }
        Type::List | Type::Set => {
            let what = if ty == Type::List { "a list" } else { "a set" };
            let (element_type, count) = wire.list()?;
            let item_hint = match hint {
                Some((idl, Ty::List(item) | Ty::Set(item))) if count > 0 => {
                    element(Some((idl, item)), element_type, "an item", offset)?
                }
                _ => None,
            };
            check_count(wire, what, count, "items", W::min_bytes(element_type))?;
            let level = tree.enter(depth, offset)?;
            tree.open()?;
            // Grown as items arrive: the count is only a claim until they do.
            let mut items = Vec::with_capacity(usize::try_from(count.min(64)).unwrap_or(64));
            for _ in 0..count {
                let item = read_value(wire, element_type, item_hint, tree, level)?;
                tree.item(&mut items, item)?;
            }
            Ok(Value::Array(items))
        }
        Type::Map => {
            let (types, count) = wire.map()?;
            let level = tree.enter(depth, offset)?;
            tree.open()?;
            let mut map = Map::new();
            let Some((key_type, value_type)) = types else {
                return Ok(Value::Object(map));
            };
            let (key_hint, value_hint) = match hint {
                Some((idl, Ty::Map(key, value))) if count > 0 => (
                    element(Some((idl, key)), key_type, "a map key", offset)?,
                    element(Some((idl, value)), value_type, "a map value", offset)?,
                ),
                _ => (None, None),
            };
            let per_entry = W::min_bytes(key_type) + W::min_bytes(value_type);
            check_count(wire, "a map", count, "entries", per_entry)?;
            for _ in 0..count {
                let key_offset = wire.cursor().offset();
                let key = read_value(wire, key_type, key_hint, tree, level)?;
                let kind = key_kind(key_type, &key);
                let value = read_value(wire, value_type, value_hint, tree, level)?;
                tree.entry(&mut map, kind, key, value, key_offset)?;
            }
            Ok(Value::Object(map))
        }
    }
}

/// What a map key of `ty`, read as `key`, is for writing it as a JSON key.
fn key_kind(ty: Type, key: &Value) -> Kind {
    match ty {
        // A string, or an enum's name.
        _ if key.is_string() => Kind::Str,
        Type::Uuid => Kind::Str,
        Type::Binary => Kind::Bytes,
        Type::Bool => Kind::Bool,
        Type::Byte | Type::I16 | Type::I32 | Type::I64 => Kind::Int,
        Type::Double => Kind::Float,
        Type::Struct | Type::Map => Kind::Map,
        Type::List | Type::Set => Kind::Array,
    }
}

/// An unknown type id's error.
pub(super) fn unknown_type(id: u8, offset: usize) -> Error {
    Error::Invalid {
        what: format!("unknown type id {id}"),
        offset,
    }
}
