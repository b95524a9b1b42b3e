//! Schemas that binary payloads are read with: named by a codec (`"codec": {"format": "protobuf",
//! "schema": "events.desc"}`) or by `--schema PATH`, loaded once when a store opens, and carried with the
//! codec (an [`Arc`]) into every decoder made from it, so reopening a store, its snapshots and its SQL
//! functions share one copy.
//!
//! A schema is a Protocol Buffers descriptor set or `.proto` file ([`Schema::Protobuf`]), an Avro `.avsc`
//! file ([`Schema::Avro`]) or a Thrift IDL (`.thrift`, [`Schema::Thrift`]), chosen by the file's extension
//! in [`Schema::load`]; each format's decoder takes it from [`Decoder`](super::Decoder).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Format;
use super::binary::avro::Schemas;
use super::binary::protobuf::Descriptors;
use super::binary::thrift_idl::Idl;

/// A schema file a codec names, and the schema once loaded.
#[derive(Clone, Debug)]
pub struct SchemaFile {
    path: PathBuf,
    loaded: Option<Arc<Schema>>,
}

/// Two schema files are the same when they name the same path (loaded or not).
impl PartialEq for SchemaFile {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

impl Eq for SchemaFile {}

impl Serialize for SchemaFile {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.path.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for SchemaFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        PathBuf::deserialize(deserializer).map(Self::new)
    }
}

impl SchemaFile {
    /// The schema at `path`, not read yet.
    pub fn new(path: PathBuf) -> Self {
        Self { path, loaded: None }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema, once [`Self::load`] has read it.
    pub fn loaded(&self) -> Option<&Schema> {
        self.loaded.as_deref()
    }

    /// The same file with a relative path taken from `base` (a mapping file's folder, the store's).
    #[must_use]
    pub fn relative_to(mut self, base: &Path) -> Self {
        if self.path.is_relative() {
            self.path = base.join(&self.path);
        }
        self
    }

    /// Read the file, unless it was read already.
    pub fn load(&mut self) -> Result<&Schema, SchemaError> {
        let schema = match self.loaded.take() {
            Some(schema) => schema,
            None => Arc::new(Schema::load(&self.path)?),
        };
        Ok(self.loaded.insert(schema))
    }
}

/// A schema read from its file.
#[derive(Debug)]
pub enum Schema {
    /// A Protocol Buffers descriptor set (`protoc --descriptor_set_out`) or `.proto` file.
    Protobuf(Descriptors),
    /// Avro schemas (`.avsc`: one schema, or a JSON array of named ones).
    Avro(Schemas),
    /// A Thrift IDL (`.thrift`, with the files it includes), for either protocol.
    Thrift(Idl),
}

impl Schema {
    /// Read the schema at `path`: an Avro `.avsc` file, a Thrift `.thrift` IDL (with its includes), a
    /// Protocol Buffers `.proto` file (compiled with its imports), or a descriptor set (`.desc`, `.pb`, `.binpb`, `.protoset`, or any other name but those kept for other
    /// schemas).
    pub fn load(path: &Path) -> Result<Self, SchemaError> {
        let error = |reason: String| SchemaError {
            path: path.to_owned(),
            reason,
        };
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        match extension.as_str() {
            "proto" if !path.is_file() => return Err(error("no such file".to_owned())),
            "proto" => {
                return Descriptors::from_proto(path)
                    .map(Schema::Protobuf)
                    .map_err(error);
            }
            "avsc" => {
                let text = std::fs::read_to_string(path)
                    .map_err(|err| error(format!("cannot read it: {err}")))?;
                return Schemas::from_avsc(&text).map(Schema::Avro).map_err(error);
            }
            "thrift" if !path.is_file() => return Err(error("no such file".to_owned())),
            "thrift" => return Idl::from_file(path).map(Schema::Thrift).map_err(error),
            "avdl" => {
                return Err(error(format!(
                    "{extension} schemas are not read yet: only Avro .avsc files, Thrift .thrift files and Protocol Buffers (.proto files, descriptor sets)"
                )));
            }
            _ => {}
        }
        let bytes = std::fs::read(path).map_err(|err| error(format!("cannot read it: {err}")))?;
        Descriptors::from_descriptor_set(&bytes)
            .map(Schema::Protobuf)
            .map_err(error)
    }

    /// The names of the types a payload can be read as (protobuf messages, Avro named schemas, Thrift
    /// structs), sorted: what a codec's `types` may name.
    pub fn type_names(&self) -> Vec<String> {
        match self {
            Self::Protobuf(descriptors) => descriptors.message_names(),
            Self::Avro(schemas) => schemas.names(),
            Self::Thrift(idl) => idl.struct_names(),
        }
    }

    /// The payload format this schema reads (for a Thrift IDL, which reads both protocols, the binary
    /// one: a codec names `thrift-compact` for the other).
    pub fn format(&self) -> Format {
        match self {
            Self::Protobuf(_) => Format::Protobuf,
            Self::Avro(_) => Format::Avro,
            Self::Thrift(_) => Format::ThriftBinary,
        }
    }

    /// What the schema is, as people say it (`a {name} schema`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Thrift(_) => "Thrift",
            _ => self.format().name(),
        }
    }

    /// Whether payloads of `format` are read with this schema.
    pub fn reads(&self, format: Format) -> bool {
        match self {
            Self::Thrift(_) => matches!(format, Format::ThriftBinary | Format::ThriftCompact),
            _ => self.format() == format,
        }
    }
}

/// A schema file that could not be used: missing, unreadable, or not a schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("schema {}: {reason}", path.display())]
pub struct SchemaError {
    pub path: PathBuf,
    pub reason: String,
}
