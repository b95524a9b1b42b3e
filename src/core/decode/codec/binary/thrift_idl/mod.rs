//! Thrift payloads read with their IDL: the user gives a `.thrift` file (`--schema`, or the codec's
//! `schema`), read with its includes by `pilota-thrift-parser` and resolved here ([`load`]) into the
//! [`Idl`]: every struct's fields by id with their names and declared types (typedefs followed), and every
//! enum's names by number. The payload is then walked by the same reader as without an IDL
//! ([`super::thrift`]), each field checked against its declared type, so the same guards hold (lengths
//! checked against the bytes left, nesting capped, the JSON charged to the payload's cap).
//!
//! The struct is chosen per event type as protobuf chooses its message: the codec's `types` entry for it
//! (`"UserCreated": "UserCreatedEvent"`, a simple or `file.Struct` name), else the struct named as the
//! event type or as it with `Event` after it (`UserCreated` or `UserCreatedEvent` → `UserCreatedEvent`),
//! else the `"*"` entry.
//!
//! With an IDL a field is keyed by its name, an enum by its value's name (a number the enum lacks stays a
//! number), a `binary` field is always `{"$bytes": "<hex>"}` and a `string` field text; a field id the
//! struct does not declare is kept under `"$unknown"` by its id, as read without an IDL (schema drift,
//! reported by verify as protobuf's are). A field stored with another wire type than its declared one
//! fails the payload, which then stays raw with the reason.
//!
//! The ThriftPy single-log envelope (`Event{1: string id, 2: string type, 3: i64 timestamp, 4: binary
//! payload}`, when a whole envelope is one payload): a struct with a `string type` field and a `binary
//! payload` field has its payload read as the struct its type names, left as bytes with the reason
//! beside it (`"payload_error"`) when it does not read.

mod load;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::protobuf::ANY_TYPE;
use super::render::Tree;
use super::thrift::{self, Type};
use super::{Error, Format};

/// A declared type, typedefs followed; structs and enums by their key in [`Idl`] (`file.Name`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Ty {
    /// A type the IDL names as the wire does: bool, byte, i16, i32, i64, double, uuid.
    Scalar(Type),
    /// Text; the wire does not tell it from a binary.
    String,
    Binary,
    Enum(String),
    Struct(String),
    List(Box<Ty>),
    Set(Box<Ty>),
    Map(Box<Ty>, Box<Ty>),
}

impl Ty {
    /// The type a value of this declared type has on the wire.
    pub(super) fn wire(&self) -> Type {
        match self {
            Self::Scalar(ty) => *ty,
            Self::Enum(_) => Type::I32,
            Self::String | Self::Binary => Type::Binary,
            Self::Struct(_) => Type::Struct,
            Self::List(_) => Type::List,
            Self::Set(_) => Type::Set,
            Self::Map(..) => Type::Map,
        }
    }

    /// How the IDL writes it, for error messages.
    fn text(&self) -> String {
        match self {
            // "a bool" -> "bool".
            Self::Scalar(ty) => (ty.text().split_once(' '))
                .map_or(ty.text(), |(_, name)| name)
                .to_owned(),
            Self::String => "string".to_owned(),
            Self::Binary => "binary".to_owned(),
            Self::Enum(name) | Self::Struct(name) => name.clone(),
            Self::List(item) => format!("list<{}>", item.text()),
            Self::Set(item) => format!("set<{}>", item.text()),
            Self::Map(key, value) => format!("map<{}, {}>", key.text(), value.text()),
        }
    }
}

/// A struct's (or union's, or exception's) fields by id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructDef {
    /// `file.Name`.
    pub(super) name: String,
    pub(super) fields: BTreeMap<i16, FieldDef>,
}

/// A declared field: its name and type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldDef {
    pub(super) name: String,
    pub(super) ty: Ty,
}

impl StructDef {
    /// `file.Name`.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// The structs and enums of a `.thrift` file and of those it includes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Idl {
    /// The given file's name without its extension: its types are preferred when names clash.
    root: String,
    /// By `file.Name`.
    structs: BTreeMap<String, StructDef>,
    /// `file.Name` -> value -> name.
    enums: BTreeMap<String, BTreeMap<i32, String>>,
}

impl Idl {
    /// The IDL at `path` with the files it includes (relative to the including file).
    pub fn from_file(path: &Path) -> Result<Self, String> {
        load::load(path)
    }

    /// Every struct's `file.Name`, sorted.
    pub fn struct_names(&self) -> Vec<String> {
        self.structs.keys().cloned().collect()
    }

    pub(super) fn struct_def(&self, key: &str) -> Option<&StructDef> {
        self.structs.get(key)
    }

    /// The name of enum `key`'s value `number`, when it has one.
    pub(super) fn enum_name(&self, key: &str, number: i32) -> Option<&str> {
        self.enums.get(key)?.get(&number).map(String::as_str)
    }

    /// The struct named `name`: `file.Name`, or a simple name (the given file's first, else the one
    /// struct of that name).
    fn by_name(&self, name: &str) -> Result<Option<&StructDef>, String> {
        if let Some(found) = self.structs.get(name) {
            return Ok(Some(found));
        }
        if let Some(found) = self.structs.get(&format!("{}.{name}", self.root)) {
            return Ok(Some(found));
        }
        let mut found = self.structs.values().filter(|s| simple(&s.name) == name);
        match (found.next(), found.next()) {
            (Some(first), Some(second)) => Err(format!(
                "{name:?} names several structs ({}, {}, ...): choose one in the codec's types",
                first.name, second.name
            )),
            (one, _) => Ok(one),
        }
    }

    /// The struct an event of `event_type` holds (see the module's doc), or why there is none.
    pub fn struct_for(
        &self,
        event_type: Option<&str>,
        types: &BTreeMap<String, String>,
    ) -> Result<&StructDef, String> {
        let named = |name: &str| {
            self.by_name(name)?.ok_or_else(|| {
                format!("the IDL has no struct {name:?} (named in the codec's types)")
            })
        };
        if let Some(name) = event_type.and_then(|t| types.get(t)) {
            return named(name);
        }
        if let Some(event_type) = event_type {
            if let Some(found) = self.by_name(event_type)? {
                return Ok(found);
            }
            if let Some(found) = self.by_name(&format!("{event_type}Event"))? {
                return Ok(found);
            }
        }
        if let Some(name) = types.get(ANY_TYPE) {
            return named(name);
        }
        Err(match event_type {
            Some(event_type) => format!(
                "no struct named {event_type:?} or {:?} in the IDL: map the event type to a struct in the codec's types",
                format!("{event_type}Event")
            ),
            None => "the event type is not known here: a \"*\" entry in the codec's types names the struct to read".to_owned(),
        })
    }

    /// `bytes`, one struct in `format`'s protocol, read as the struct for `event_type`, its JSON at most
    /// `max_json_bytes` long.
    pub fn decode(
        &self,
        format: Format,
        bytes: &[u8],
        event_type: Option<&str>,
        types: &BTreeMap<String, String>,
        max_json_bytes: usize,
    ) -> Result<Value, String> {
        let def = self.struct_for(event_type, types)?;
        let mut tree = Tree::new(max_json_bytes);
        let mut value = self
            .read(format, bytes, def, &mut tree)
            .map_err(|err| format!("not a {}: {err}", def.name))?;
        self.open_envelope(format, def, &mut value, types, &mut tree);
        Ok(value)
    }

    fn read(
        &self,
        format: Format,
        bytes: &[u8],
        def: &StructDef,
        tree: &mut Tree,
    ) -> Result<Value, Error> {
        let typed = Some(thrift::Typed { idl: self, def });
        thrift::decode_protocol(format, bytes, tree, typed)
    }

    /// An envelope's `payload` read as the struct its `type` names (see the module's doc).
    fn open_envelope(
        &self,
        format: Format,
        def: &StructDef,
        value: &mut Value,
        types: &BTreeMap<String, String>,
        tree: &mut Tree,
    ) {
        let declares =
            |name: &str, ty: &Ty| def.fields.values().any(|f| f.name == name && f.ty == *ty);
        if !declares("type", &Ty::String) || !declares("payload", &Ty::Binary) {
            return;
        }
        let Value::Object(fields) = value else {
            return;
        };
        let (Some(Value::String(kind)), Some(payload)) =
            (fields.get("type"), fields.get("payload"))
        else {
            return;
        };
        let Some(bytes) = super::super::bytes_of_stored(payload) else {
            return;
        };
        let inner = self.struct_for(Some(kind), types).and_then(|inner| {
            self.read(format, &bytes, inner, tree)
                .map_err(|err| format!("not a {}: {err}", inner.name))
        });
        match inner {
            Ok(inner) => {
                fields.insert("payload".to_owned(), inner);
            }
            Err(reason) => {
                fields.insert("payload_error".to_owned(), Value::String(reason));
            }
        }
    }

    /// Why a field stored as `stored` is not its declared `ty`.
    pub(super) fn mismatch(field: &str, ty: &Ty, stored: Type, offset: usize) -> Error {
        Error::Invalid {
            what: format!(
                "{field} is declared {} but stored as {}",
                ty.text(),
                stored.text()
            ),
            offset,
        }
    }
}

/// `Name` of `file.Name`.
fn simple(key: &str) -> &str {
    key.rsplit_once('.').map_or(key, |(_, name)| name)
}
