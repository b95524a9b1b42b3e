//! Where the events are in a store: the [`Mapping`] from roles (stream, version, position, type, time, payload,
//! metadata) to columns or JSON paths, and its detection by inspecting the schema and a sample of payloads.
//!
//! The mapping is one plain serializable struct: `--mapping FILE.json` reads it, `eventscope layout` prints it,
//! and later the GUI's mapping editor and the presets for real libraries produce it.

pub mod presets;

use serde::{Deserialize, Serialize};

use crate::core::decode::codec::{Codec, FormatGuess};

mod catalog;
mod detect;
mod guess;

pub use catalog::{Catalog, CatalogError, Dialect, tables};
pub use detect::{
    CAUSATION_KEYS, CORRELATION_KEYS, ColumnInfo, DetectError, TableInfo, detect, detect_generic,
    fill_trace_roles,
};
pub use guess::{Confidence, GuessedRole, RoleGuess};

/// Where one role's value comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The table's implicit rowid (only for positions); on PostgreSQL, the row's `ctid` as one number.
    Rowid,
    /// A column of the event table.
    Column(String),
    /// A column of the joined stream table (see [`Join`]).
    Joined(String),
    /// A value inside a JSON column, as an SQLite JSON path such as `$.personId` or `$.meta.time`.
    Json { column: String, path: String },
}

impl Source {
    /// Short human description: `stream_id`, `rowid`, `body -> $.personId`, `streams.category`.
    pub fn describe(&self) -> String {
        match self {
            Self::Rowid => "rowid".to_owned(),
            Self::Column(name) => name.clone(),
            Self::Joined(name) => format!("joined.{name}"),
            Self::Json { column, path } => format!("{column} -> {path}"),
        }
    }

    fn column(&self) -> Option<&str> {
        match self {
            Self::Rowid | Self::Joined(_) => None,
            Self::Column(name) | Self::Json { column: name, .. } => Some(name),
        }
    }
}

/// A stream table joined to the event table: `JOIN table ON table.key = events.on`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Join {
    pub table: String,
    /// The joined table's key column.
    pub key: String,
    /// The event table's column that references it.
    pub on: String,
}

/// How a table of events maps to the roles Eventscope needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Human name of the layout, e.g. `events table`; `custom` for a user's mapping.
    #[serde(default = "custom_layout")]
    pub layout: String,
    /// The event table.
    pub table: String,
    /// A stream table to join for stream roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join: Option<Join>,
    /// Extra SQL condition every event row must meet (e.g. `message_kind = 'E'`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// Global position: a column or the rowid.
    #[serde(default = "rowid")]
    pub position: Source,
    /// Stream id: one source, or several for a composite key (shown joined by `/`); empty for a single
    /// event log (then the whole table is one stream).
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub stream: Vec<Source>,
    /// Aggregate type or category of the stream.
    #[serde(default)]
    pub stream_type: Option<Source>,
    /// A human name of the stream, where the layout has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_name: Option<Source>,
    /// The tenant owning the stream, where the layout has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<Source>,
    /// Per-stream version or sequence.
    #[serde(default)]
    pub version: Option<Source>,
    /// Event type.
    #[serde(default, rename = "type")]
    pub event_type: Option<Source>,
    /// Event time.
    #[serde(default)]
    pub time: Option<Source>,
    /// The payload column.
    #[serde(default)]
    pub data: Option<String>,
    /// When the table has no payload column: the columns that together are the event's data, read as one
    /// JSON object of column name to value (a table of sensor readings, scores or status changes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_columns: Vec<String>,
    /// The metadata column.
    #[serde(default)]
    pub metadata: Option<String>,
    /// The event's own id (event uuid, message id), what causation ids point at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Source>,
    /// The correlation id shared by every event of one business flow (usually a metadata path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation: Option<Source>,
    /// The id of the message (event or command) that caused the event (usually a metadata path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causation: Option<Source>,
    /// How payloads are stored (compression is always detected).
    #[serde(default, skip_serializing_if = "Codec::is_plain")]
    pub codec: Codec,
    /// Why detection reads the payloads in the codec's format, when their sampled rows were not all JSON:
    /// every format tried, best first, each with its reason (`CBOR: decoded every sampled row (40 of 40)`).
    /// Empty in a mapping written by hand, whose `codec` says the format.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub format_guesses: Vec<FormatGuess>,
    /// Where the store keeps snapshots of its aggregates, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshots: Option<SnapshotSource>,
    /// The roles detection found by what the columns hold rather than by their names, each with the rule
    /// that chose it and how sure it is. Empty in a mapping written by hand or found by names alone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guesses: Vec<RoleGuess>,
}

/// A table of snapshots: one or more rows per stream, each the aggregate's state at a version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotSource {
    pub table: String,
    /// A stream table to join for stream roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join: Option<Join>,
    /// The stream id, in the same shape as the events' (so the same id finds both).
    #[serde(deserialize_with = "one_or_many")]
    pub stream: Vec<Source>,
    /// The stream version the snapshot was taken at.
    pub version: Source,
    /// The snapshot's type (a snapshot class or topic); `Snapshot` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub snapshot_type: Option<Source>,
    /// The column holding the state.
    pub state: String,
    /// Where the aggregate state sits inside the decoded column, as a JSON Pointer (`/state`); the whole
    /// value when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_pointer: Option<String>,
    /// How the state column is stored.
    #[serde(default, skip_serializing_if = "Codec::is_plain")]
    pub codec: Codec,
}

impl SnapshotSource {
    /// The snapshot table seen as an event-like table, so the store's stream lookups work on it.
    pub fn as_mapping(&self) -> Mapping {
        Mapping {
            join: self.join.clone(),
            stream: self.stream.clone(),
            version: Some(self.version.clone()),
            event_type: self.snapshot_type.clone(),
            data: Some(self.state.clone()),
            codec: self.codec.clone(),
            ..Mapping::for_table("snapshots", &self.table)
        }
    }
}

/// Accept one source or a list of them.
fn one_or_many<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<Source>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Source),
        Many(Vec<Source>),
    }
    Ok(match Option::<OneOrMany>::deserialize(deserializer)? {
        None => Vec::new(),
        Some(OneOrMany::One(source)) => vec![source],
        Some(OneOrMany::Many(sources)) => sources,
    })
}

fn custom_layout() -> String {
    "custom".to_owned()
}

fn rowid() -> Source {
    Source::Rowid
}

/// Alias of the event table in every query.
const EVENTS: &str = "e";
/// Alias of the joined stream table.
const JOINED: &str = "s";

impl Mapping {
    /// A mapping with only a table; roles are filled in by the caller.
    pub fn for_table(layout: &str, table: &str) -> Self {
        Self {
            layout: layout.to_owned(),
            table: table.to_owned(),
            join: None,
            filter: None,
            position: Source::Rowid,
            stream: Vec::new(),
            stream_type: None,
            stream_name: None,
            tenant: None,
            version: None,
            event_type: None,
            time: None,
            data: None,
            data_columns: Vec::new(),
            metadata: None,
            id: None,
            correlation: None,
            causation: None,
            codec: Codec::default(),
            format_guesses: Vec::new(),
            snapshots: None,
            guesses: Vec::new(),
        }
    }

    /// Why the payloads are read in the codec's format, when detection chose it from sampled rows
    /// (`CBOR: decoded every sampled row (40 of 40)`), or when a schema was given for them (`Protocol
    /// Buffers, read with the schema events.desc`).
    pub fn format_reason(&self) -> Option<String> {
        if let Some(schema) = &self.codec.schema {
            let name = schema
                .path()
                .file_name()
                .unwrap_or(schema.path().as_os_str());
            return Some(format!(
                "{}, read with the schema {}",
                self.codec.format.name(),
                name.to_string_lossy()
            ));
        }
        self.format_guesses
            .iter()
            .find(|guess| guess.format == self.codec.format)
            .map(|guess| guess.reason.clone())
    }

    /// The id of the single stream of a store without a stream role: the table name.
    pub fn single_stream_id(&self) -> &str {
        &self.table
    }

    /// `FROM` clause with aliases; `not_indexed` forbids index use on the event table (faster full scans).
    pub fn from_sql(&self, not_indexed: bool) -> String {
        let mut sql = format!("{} AS {EVENTS}", quote_ident(&self.table));
        if not_indexed {
            sql.push_str(" NOT INDEXED");
        }
        if let Some(join) = &self.join {
            sql.push_str(&format!(
                " JOIN {} AS {JOINED} ON {JOINED}.{} = {EVENTS}.{}",
                quote_ident(&join.table),
                quote_ident(&join.key),
                quote_ident(&join.on)
            ));
        }
        sql
    }

    /// The condition every event row must meet.
    pub fn filter_sql(&self) -> String {
        self.filter
            .as_ref()
            .map_or_else(|| "1".to_owned(), |f| format!("({f})"))
    }

    /// The SQL expression for `source`; `decode_fn` is the name of the SQL function that decodes this
    /// mapping's payload column when its codec is not plain.
    pub fn sql(&self, source: &Source, decode_fn: &str) -> String {
        match source {
            Source::Rowid => format!("{EVENTS}.rowid"),
            Source::Column(name) => format!("{EVENTS}.{}", quote_ident(name)),
            Source::Joined(name) => format!("{JOINED}.{}", quote_ident(name)),
            Source::Json { column, path } => {
                let col = format!("{EVENTS}.{}", quote_ident(column));
                if self.data.as_deref() == Some(column.as_str()) && !self.codec.is_plain() {
                    format!("json_extract({decode_fn}({col}), {})", quote_literal(path))
                } else {
                    let text = format!("CAST({col} AS TEXT)");
                    format!(
                        "(CASE WHEN json_valid({text}) THEN json_extract({text}, {}) END)",
                        quote_literal(path)
                    )
                }
            }
        }
    }

    /// The event's data as SQLite selects it: the payload column, or the data columns as one JSON object of
    /// column name to value (BLOBs as hex text, which JSON cannot hold), or `NULL`.
    pub fn data_sql(&self) -> String {
        if self.data.is_some() || self.data_columns.is_empty() {
            return self.column_sql(self.data.as_deref());
        }
        let pairs: Vec<String> = self
            .data_columns
            .iter()
            .map(|name| {
                let col = format!("{EVENTS}.{}", quote_ident(name));
                format!(
                    "{}, CASE WHEN typeof({col}) = 'blob' THEN hex({col}) ELSE {col} END",
                    quote_literal(name)
                )
            })
            .collect();
        format!("json_object({})", pairs.join(", "))
    }

    /// Like [`Self::sql`] for an optional role: `NULL` when absent.
    pub fn sql_opt(&self, source: Option<&Source>, decode_fn: &str) -> String {
        source.map_or_else(|| "NULL".to_owned(), |s| self.sql(s, decode_fn))
    }

    /// A plain column of the event table, or `NULL`.
    pub fn column_sql(&self, column: Option<&str>) -> String {
        column.map_or_else(
            || "NULL".to_owned(),
            |c| format!("{EVENTS}.{}", quote_ident(c)),
        )
    }

    /// Check that every named column exists (so a bad mapping fails with a clear message rather than an SQL
    /// error).
    pub fn validate(&self, catalog: &mut dyn Catalog) -> Result<(), String> {
        let tables = catalog.tables().map_err(|e| e.to_string())?;
        let find_table = |name: &str| {
            tables.iter().find(|t| t.name == name).ok_or_else(|| {
                let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
                format!("no table named {name:?} (tables: {})", names.join(", "))
            })
        };
        let table = find_table(&self.table)?;
        let joined = self
            .join
            .as_ref()
            .map(|j| find_table(&j.table))
            .transpose()?;
        let has = |t: &TableInfo, column: &str| t.columns.iter().any(|c| c.name == column);
        let missing = |t: &TableInfo, role: &str, column: &str| {
            format!(
                "the {role} column {column:?} is not in table {:?} (columns: {})",
                t.name,
                t.columns
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let mut roles: Vec<(&str, &Source)> = vec![("position", &self.position)];
        roles.extend(self.stream.iter().map(|s| ("stream", s)));
        for (role, source) in [
            ("stream_type", &self.stream_type),
            ("stream_name", &self.stream_name),
            ("tenant", &self.tenant),
            ("version", &self.version),
            ("type", &self.event_type),
            ("time", &self.time),
            ("id", &self.id),
            ("correlation", &self.correlation),
            ("causation", &self.causation),
        ] {
            if let Some(source) = source {
                roles.push((role, source));
            }
        }
        for (role, source) in roles {
            match source {
                Source::Joined(column) => {
                    let Some(joined) = joined else {
                        return Err(format!(
                            "the {role} role names a joined column, but the mapping has no join"
                        ));
                    };
                    if !has(joined, column) {
                        return Err(missing(joined, role, column));
                    }
                }
                other => {
                    if let Some(column) = other.column().filter(|c| !has(table, c)) {
                        return Err(missing(table, role, column));
                    }
                }
            }
        }
        for (role, column) in [("data", &self.data), ("metadata", &self.metadata)] {
            if let Some(column) = column.as_deref().filter(|c| !has(table, c)) {
                return Err(missing(table, role, column));
            }
        }
        if let Some(column) = self.data_columns.iter().find(|c| !has(table, c)) {
            return Err(missing(table, "data_columns", column));
        }
        if self.data.is_some() && !self.data_columns.is_empty() {
            return Err(
                "the mapping names both a data column and data_columns: keep one of them"
                    .to_owned(),
            );
        }
        if let (Some(join), Some(joined)) = (&self.join, joined) {
            if !has(joined, &join.key) {
                return Err(missing(joined, "join key", &join.key));
            }
            if !has(table, &join.on) {
                return Err(missing(table, "join", &join.on));
            }
        }
        // A PostgreSQL table's rowid is its ctid (see `store::pg::sql`), refused there when partitioned.
        if table.without_rowid
            && self.position == Source::Rowid
            && catalog.dialect() == Dialect::Sqlite
        {
            return Err(format!(
                "table {:?} has no rowid: map the position to a column",
                self.table
            ));
        }
        if let Some(filter) = &self.filter {
            // Compiled, not run: a filter SQLite cannot read is named here, before any query fails on it.
            let sql = format!(
                "SELECT 1 FROM {} WHERE {}",
                self.from_sql(false),
                self.filter_sql()
            );
            catalog.compiles(&sql).map_err(|e| {
                format!("the mapping's filter `{filter}` is not valid SQL for this store: {e}")
            })?;
        }
        Ok(())
    }
}

/// An SQLite JSON path for a top-level key.
pub fn json_path(key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!("$.{key}")
    } else {
        format!("$.\"{}\"", key.replace('"', "\\\""))
    }
}

/// Quote an SQL identifier.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quote an SQL string literal.
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::detect::tests::conn;
    use super::*;

    #[test]
    fn a_mapping_round_trips_through_json_and_rejects_unknown_columns() {
        let mut c = conn("CREATE TABLE ev(id INTEGER PRIMARY KEY, s TEXT, body TEXT);");
        let json = r#"{"table":"ev","position":{"column":"id"},"stream":{"json":{"column":"body","path":"$.who"}},"data":"body"}"#;
        let m: Mapping = serde_json::from_str(json).unwrap();
        assert_eq!(m.layout, "custom");
        assert!(m.validate(&mut c).is_ok());
        let back: Mapping = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
        assert_eq!(back, m);
        let bad = Mapping {
            data: Some("nope".into()),
            ..m
        };
        assert!(bad.validate(&mut c).unwrap_err().contains("nope"));
    }

    #[test]
    fn data_columns_are_checked_and_read_as_one_object_per_row() {
        let mut c = conn(
            "CREATE TABLE readings(device TEXT, temperature REAL, raw BLOB);
             INSERT INTO readings VALUES ('d1', 20.5, x'0102');",
        );
        let json = r#"{"table":"readings","stream":{"column":"device"},"data_columns":["temperature","raw"]}"#;
        let m: Mapping = serde_json::from_str(json).unwrap();
        assert!(m.validate(&mut c).is_ok());
        let sql = format!("SELECT {} FROM {}", m.data_sql(), m.from_sql(false));
        let row: String = c.query_row(&sql, [], |r| r.get(0)).unwrap();
        assert_eq!(row, r#"{"temperature":20.5,"raw":"0102"}"#);
        let missing = Mapping {
            data_columns: vec!["humidity".into()],
            ..m.clone()
        };
        assert!(missing.validate(&mut c).unwrap_err().contains("humidity"));
        let both = Mapping {
            data: Some("raw".into()),
            ..m
        };
        assert!(both.validate(&mut c).unwrap_err().contains("data_columns"));
    }

    #[test]
    fn the_readme_mapping_example_is_a_valid_mapping() {
        let readme = include_str!("../../../README.md");
        let section = readme.split("### Any other layout").nth(1).unwrap();
        let json = section
            .split("```json")
            .nth(1)
            .unwrap()
            .split("```")
            .next()
            .unwrap();
        let m: Mapping = serde_json::from_str(json).unwrap();
        assert_eq!(
            m.stream,
            [
                Source::Joined("category".into()),
                Source::Joined("uuid".into())
            ]
        );
        assert_eq!(m.join.unwrap().on, "stream_ref");
    }
}
