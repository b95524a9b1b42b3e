//! Where the events are in a store: the [`Mapping`] from roles (stream, version, position, type, time, payload,
//! metadata) to columns or JSON paths, and its detection by inspecting the schema and a sample of payloads.
//!
//! The mapping is one plain serializable struct: `--mapping FILE.json` reads it, `eventscope layout` prints it,
//! and later the GUI's mapping editor and the presets for real libraries produce it.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::core::codec::Codec;

/// Where one role's value comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The table's implicit rowid (only for positions).
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
pub struct Join {
    pub table: String,
    /// The joined table's key column.
    pub key: String,
    /// The event table's column that references it.
    pub on: String,
}

/// How a table of events maps to the roles Eventscope needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Where the store keeps snapshots of its aggregates, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshots: Option<SnapshotSource>,
}

/// A table of snapshots: one or more rows per stream, each the aggregate's state at a version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
            metadata: None,
            id: None,
            correlation: None,
            causation: None,
            codec: Codec::default(),
            snapshots: None,
        }
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
    pub fn validate(&self, conn: &Connection) -> Result<(), String> {
        let tables = tables(conn).map_err(|e| e.to_string())?;
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
        if let (Some(join), Some(joined)) = (&self.join, joined) {
            if !has(joined, &join.key) {
                return Err(missing(joined, "join key", &join.key));
            }
            if !has(table, &join.on) {
                return Err(missing(table, "join", &join.on));
            }
        }
        if table.without_rowid && self.position == Source::Rowid {
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
            conn.prepare(&sql).map_err(|e| {
                format!("the mapping's filter `{filter}` is not valid SQL for this file: {e}")
            })?;
        }
        Ok(())
    }
}

/// A table's shape, as read from the schema.
#[derive(Clone, Debug)]
pub struct TableInfo {
    pub name: String,
    pub columns: Vec<ColumnInfo>,
    pub without_rowid: bool,
    pub rows_estimate: Option<u64>,
}

/// One column of a table.
#[derive(Clone, Debug)]
pub struct ColumnInfo {
    pub name: String,
    pub decl_type: String,
    /// Position in the primary key (0 = not part of it).
    pub pk: i64,
}

/// Every user table (not SQLite's own), sorted by name. SQLite itself says which tables have no rowid
/// (`pragma table_list`): the DDL text is never parsed, so comments or odd spacing cannot mislead it.
pub fn tables(conn: &Connection) -> rusqlite::Result<Vec<TableInfo>> {
    let mut stmt = conn.prepare(
        "SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )?;
    let rows: Vec<(String, bool)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (name, without_rowid) in rows {
        let mut cols =
            conn.prepare("SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid")?;
        let columns = cols
            .query_map([&name], |r| {
                Ok(ColumnInfo {
                    name: r.get(0)?,
                    decl_type: r.get(1)?,
                    pk: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.push(TableInfo {
            name,
            columns,
            without_rowid,
            rows_estimate: None,
        });
    }
    Ok(out)
}

const STREAM_NAMES: &[&str] = &[
    "stream_id",
    "streamid",
    "aggregate_id",
    "aggregateid",
    "originator_id",
    "stream_name",
    "stream",
    "entity_id",
    "aggregate",
];
const STREAM_TYPE_NAMES: &[&str] = &[
    "stream_type",
    "aggregate_type",
    "category",
    "stream_category",
    "aggregate_name",
    "entity_type",
];
const VERSION_NAMES: &[&str] = &[
    "version",
    "stream_version",
    "originator_version",
    "aggregate_version",
    "sequence",
    "seq",
    "stream_position",
    "sequence_number",
    "revision",
    "event_number",
];
const POSITION_NAMES: &[&str] = &[
    "global_position",
    "position",
    "global_sequence",
    "id",
    "event_id",
    "seq",
    "rowid",
];
const TYPE_NAMES: &[&str] = &[
    "type",
    "event_type",
    "eventtype",
    "event_name",
    "name",
    "topic",
    "message_type",
    "kind",
    "event",
];
const TIME_NAMES: &[&str] = &[
    "created_at",
    "timestamp",
    "occurred_at",
    "recorded_at",
    "datetime",
    "time",
    "ts",
    "created",
    "inserted_at",
    "event_time",
    "date",
];
const DATA_NAMES: &[&str] = &[
    "data",
    "payload",
    "body",
    "state",
    "event_data",
    "message_data",
    "json",
    "content",
    "event",
    "doc",
];
const METADATA_NAMES: &[&str] = &[
    "metadata",
    "meta",
    "event_context",
    "message_metadata",
    "headers",
    "context",
    "event_metadata",
];
/// Columns holding an event's own id (when they are not its position).
const ID_NAMES: &[&str] = &["event_id", "message_id", "event_uuid", "uuid", "id"];
/// Metadata keys holding an event's own id.
const METADATA_ID_KEYS: &[&str] = &["event_id", "eventId", "message_id", "messageId", "$id"];
/// Metadata keys holding the correlation id.
pub const CORRELATION_KEYS: &[&str] = &["correlation_id", "correlationId", "$correlationId"];
/// Metadata keys holding the causation id.
pub const CAUSATION_KEYS: &[&str] = &["causation_id", "causationId", "$causationId"];
/// `*_id` columns that are never the stream.
const NOT_STREAM_IDS: &[&str] = &[
    "event_id",
    "correlation_id",
    "causation_id",
    "message_id",
    "tenant_id",
    "user_id",
];

const JSON_TYPE_KEYS: &[&str] = &[
    "type",
    "eventType",
    "event_type",
    "event",
    "name",
    "kind",
    "@type",
    "_type",
];
const JSON_TIME_KEYS: &[&str] = &[
    "_datetime",
    "datetime",
    "timestamp",
    "time",
    "occurredAt",
    "occurred_at",
    "createdAt",
    "created_at",
    "date",
    "ts",
];
const JSON_STREAM_KEYS: &[&str] = &[
    "streamId",
    "stream_id",
    "aggregateId",
    "aggregate_id",
    "entityId",
    "entity_id",
    "stream",
];

/// Why no layout could be found.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    #[error("the file has no tables")]
    Empty,
    #[error(
        "no table looks like an event log (tables: {0}); write a mapping file (see `eventscope layout --help`) and pass --mapping"
    )]
    NoEventTable(String),
    #[error("reading the schema failed: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error(
        "table {0:?} has no rowid (SQLite says it is WITHOUT ROWID) and no integer key to order its events by; \
         write a mapping that names the position column (`eventscope layout FILE > mapping.json`, edit it, \
         then pass --mapping mapping.json)"
    )]
    NoPosition(String),
}

/// Find the event table(s) and map their columns (and payload paths) to roles: a known library's layout
/// when the schema is one, else the best-scoring table mapped by column names.
pub fn detect(conn: &Connection) -> Result<Vec<Mapping>, DetectError> {
    if let Some(mappings) = crate::core::presets::detect(conn)? {
        return Ok(mappings);
    }
    detect_generic(conn).map(|m| vec![m])
}

/// The best-scoring table, mapped by column names and payload keys.
pub fn detect_generic(conn: &Connection) -> Result<Mapping, DetectError> {
    let tables = tables(conn)?;
    if tables.is_empty() {
        return Err(DetectError::Empty);
    }
    let best = tables
        .iter()
        .map(|t| (score(t), t))
        .filter(|(s, _)| *s >= 3)
        .max_by_key(|(s, t)| (*s, std::cmp::Reverse(t.name.clone())));
    let Some((_, table)) = best else {
        let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
        return Err(DetectError::NoEventTable(names.join(", ")));
    };
    let mut mapping = map_columns(table);
    if table.without_rowid && mapping.position == Source::Rowid {
        return Err(DetectError::NoPosition(table.name.clone()));
    }
    map_payload_paths(conn, &mut mapping)?;
    fill_trace_roles(conn, table, &mut mapping)?;
    mapping.layout = describe_layout(&mapping);
    Ok(mapping)
}

fn find<'a>(table: &'a TableInfo, names: &[&str], taken: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|want| {
        table
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(want) && !taken.contains(&c.name.as_str()))
            .map(|c| c.name.as_str())
    })
}

fn score(table: &TableInfo) -> i32 {
    let has = |names: &[&str]| find(table, names, &[]).is_some();
    let mut s = 0;
    if has(DATA_NAMES) {
        s += 3;
    }
    if has(TYPE_NAMES) {
        s += 2;
    }
    if has(STREAM_NAMES) {
        s += 2;
    }
    if has(VERSION_NAMES) {
        s += 1;
    }
    if has(TIME_NAMES) {
        s += 1;
    }
    let lower = table.name.to_ascii_lowercase();
    if ["event", "history", "log", "message", "journal"]
        .iter()
        .any(|w| lower.contains(w))
    {
        s += 2;
    }
    if ["snapshot", "outbox", "migration", "projection", "cursor"]
        .iter()
        .any(|w| lower.contains(w))
    {
        s -= 4;
    }
    s
}

fn map_columns(table: &TableInfo) -> Mapping {
    let mut taken: Vec<&str> = Vec::new();
    // An INTEGER PRIMARY KEY is the rowid under another name: the global position.
    let int_pk = {
        let pks: Vec<&ColumnInfo> = table.columns.iter().filter(|c| c.pk > 0).collect();
        match pks.as_slice() {
            // Without a rowid it is not an alias of one, but still a unique integer: a fine position.
            [only] if only.decl_type.eq_ignore_ascii_case("INTEGER") => Some(only.name.as_str()),
            _ => None,
        }
    };
    let position_col = int_pk.or_else(|| {
        find(table, POSITION_NAMES, &[]).filter(|name| {
            table
                .columns
                .iter()
                .any(|c| c.name == *name && c.decl_type.to_ascii_uppercase().contains("INT"))
        })
    });
    let position = match position_col {
        Some(name) => {
            taken.push(name);
            Source::Column(name.to_owned())
        }
        None => Source::Rowid,
    };
    fn pick<'a>(table: &'a TableInfo, names: &[&str], taken: &mut Vec<&'a str>) -> Option<String> {
        let found = find(table, names, taken)?;
        taken.push(found);
        Some(found.to_owned())
    }
    let data = pick(table, DATA_NAMES, &mut taken);
    let metadata = pick(table, METADATA_NAMES, &mut taken);
    let stream_type = pick(table, STREAM_TYPE_NAMES, &mut taken);
    let version = pick(table, VERSION_NAMES, &mut taken);
    let event_type = pick(table, TYPE_NAMES, &mut taken);
    let time = pick(table, TIME_NAMES, &mut taken);
    let id = pick(table, ID_NAMES, &mut taken);
    let stream = pick(table, STREAM_NAMES, &mut taken).or_else(|| {
        // `order_id`, `account_id`: a foreign-key-looking column names the aggregate.
        table
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .find(|name| {
                let lower = name.to_ascii_lowercase();
                (lower.ends_with("_id")
                    || lower.ends_with("id") && name.len() > 2 && name.contains(char::is_uppercase))
                    && !taken.contains(name)
                    && !NOT_STREAM_IDS.contains(&lower.as_str())
            })
            .map(str::to_owned)
    });
    Mapping {
        position,
        stream: stream.map(Source::Column).into_iter().collect(),
        stream_type: stream_type.map(Source::Column),
        version: version.map(Source::Column),
        event_type: event_type.map(Source::Column),
        time: time.map(Source::Column),
        data,
        metadata,
        id: id.map(Source::Column),
        ..Mapping::for_table("", &table.name)
    }
}

/// Fill the id, correlation and causation roles the mapping lacks: from columns named for them, else from
/// keys found in a sample of the metadata column (`correlation_id`, `correlationId`, `$correlationId`, ...).
pub fn fill_trace_roles(
    conn: &Connection,
    table: &TableInfo,
    mapping: &mut Mapping,
) -> rusqlite::Result<()> {
    let column =
        |names: &[&str]| find(table, names, &[]).map(|name| Source::Column(name.to_owned()));
    if mapping.correlation.is_none() {
        mapping.correlation = column(&["correlation_id", "correlationid"]);
    }
    if mapping.causation.is_none() {
        mapping.causation = column(&["causation_id", "causationid"]);
    }
    let Some(metadata) = mapping.metadata.clone() else {
        return Ok(());
    };
    if mapping.id.is_some() && mapping.correlation.is_some() && mapping.causation.is_some() {
        return Ok(());
    }
    let samples = sample_objects(conn, &mapping.table, &metadata)?;
    let path_of = |keys: &[&str]| {
        keys.iter()
            .find(|key| samples.iter().any(|m| m.contains_key(**key)))
            .map(|key| Source::Json {
                column: metadata.clone(),
                path: json_path(key),
            })
    };
    if mapping.id.is_none() {
        mapping.id = path_of(METADATA_ID_KEYS);
    }
    if mapping.correlation.is_none() {
        mapping.correlation = path_of(CORRELATION_KEYS);
    }
    if mapping.causation.is_none() {
        mapping.causation = path_of(CAUSATION_KEYS);
    }
    Ok(())
}

/// The JSON objects among the first 200 values of `column` (others are skipped): what detection looks into.
fn sample_objects(
    conn: &Connection,
    table: &str,
    column: &str,
) -> rusqlite::Result<Vec<serde_json::Map<String, serde_json::Value>>> {
    let sql = format!(
        "SELECT CAST({} AS TEXT) FROM {} LIMIT 200",
        quote_ident(column),
        quote_ident(table)
    );
    let mut stmt = conn.prepare(&sql)?;
    let samples = stmt
        .query_map([], |r| r.get::<_, Option<String>>(0))?
        .filter_map(Result::ok)
        .flatten()
        .filter_map(|text| match serde_json::from_str(&text) {
            Ok(serde_json::Value::Object(map)) => Some(map),
            _ => None,
        })
        .collect();
    Ok(samples)
}

/// Fill roles the columns did not provide from keys that (nearly) every sampled payload object carries.
fn map_payload_paths(conn: &Connection, mapping: &mut Mapping) -> rusqlite::Result<()> {
    let Some(data) = mapping.data.clone() else {
        return Ok(());
    };
    if !mapping.stream.is_empty() && mapping.event_type.is_some() && mapping.time.is_some() {
        return Ok(());
    }
    let samples = sample_objects(conn, &mapping.table, &data)?;
    if samples.is_empty() {
        return Ok(());
    }
    // A key counts when at least 90% of the sampled objects have it as a scalar.
    let common = |key: &str| {
        let n = samples
            .iter()
            .filter(|m| m.get(key).is_some_and(|v| v.is_string() || v.is_number()))
            .count();
        n * 10 >= samples.len() * 9
    };
    let path_for = |key: &str| Source::Json {
        column: data.clone(),
        path: json_path(key),
    };
    if mapping.event_type.is_none() {
        mapping.event_type = JSON_TYPE_KEYS
            .iter()
            .find(|k| common(k))
            .map(|k| path_for(k));
    }
    if mapping.time.is_none() {
        mapping.time = JSON_TIME_KEYS
            .iter()
            .find(|k| common(k))
            .map(|k| path_for(k));
    }
    if mapping.stream.is_empty() {
        let explicit = JSON_STREAM_KEYS
            .iter()
            .find(|k| common(k))
            .map(|k| (*k).to_owned());
        let by_suffix = || {
            let mut keys: Vec<&String> = samples.iter().flat_map(|m| m.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .find(|k| {
                    let lower = k.to_ascii_lowercase();
                    (k.ends_with("Id") || lower.ends_with("_id"))
                        && !NOT_STREAM_IDS.contains(&lower.as_str())
                        && !["eventid", "correlationid", "causationid", "messageid"]
                            .contains(&lower.as_str())
                        && common(k)
                })
                .cloned()
        };
        mapping.stream = explicit
            .or_else(by_suffix)
            .map(|k| path_for(&k))
            .into_iter()
            .collect();
    }
    Ok(())
}

fn describe_layout(mapping: &Mapping) -> String {
    let from_payload = mapping
        .stream
        .iter()
        .chain(&mapping.event_type)
        .chain(&mapping.time)
        .any(|s| matches!(s, Source::Json { .. }));
    match (mapping.stream.first(), from_payload) {
        (None, _) => "single event log (no stream column)".to_owned(),
        (Some(_), true) => "events described inside their JSON payload".to_owned(),
        (Some(_), false) => "events table".to_owned(),
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
    use super::*;

    fn conn(sql: &str) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(sql).unwrap();
        conn
    }

    #[test]
    fn a_plain_events_table_maps_every_role_to_its_column() {
        let c = conn(
            "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT, created_at TEXT);
             CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT);",
        );
        let m = detect_generic(&c).unwrap();
        assert_eq!(m.table, "events");
        assert_eq!(m.position, Source::Column("id".into()));
        assert_eq!(m.stream, [Source::Column("stream_id".into())]);
        assert_eq!(m.version, Some(Source::Column("version".into())));
        assert_eq!(m.event_type, Some(Source::Column("type".into())));
        assert_eq!(m.time, Some(Source::Column("created_at".into())));
        assert_eq!(m.data.as_deref(), Some("data"));
        assert_eq!(m.metadata, None);
    }

    #[test]
    fn the_order_history_layout_takes_order_id_as_the_stream() {
        let c = conn(
            "CREATE TABLE order_history(id INTEGER PRIMARY KEY, order_id INTEGER, event_name TEXT, datetime TEXT, data TEXT);",
        );
        let m = detect_generic(&c).unwrap();
        assert_eq!(m.stream, [Source::Column("order_id".into())]);
        assert_eq!(m.event_type, Some(Source::Column("event_name".into())));
        assert_eq!(m.time, Some(Source::Column("datetime".into())));
        assert_eq!(m.version, None);
    }

    #[test]
    fn a_log_without_stream_column_is_one_stream_positioned_by_rowid() {
        let c = conn("CREATE TABLE event_log(type TEXT, timestamp INTEGER, payload BLOB);");
        let m = detect_generic(&c).unwrap();
        assert!(m.stream.is_empty());
        assert_eq!(m.position, Source::Rowid);
        assert_eq!(m.data.as_deref(), Some("payload"));
        assert_eq!(m.layout, "single event log (no stream column)");
    }

    #[test]
    fn roles_missing_from_columns_are_found_inside_the_payload() {
        let c = conn(
            r#"CREATE TABLE person_events(seq INTEGER PRIMARY KEY, body TEXT);
               INSERT INTO person_events(body) VALUES
                 ('{"type":"PERSON_CREATION","personId":7,"_datetime":"2023-11-02T09:15:00Z","name":"A"}'),
                 ('{"type":"NAME_CHANGE","personId":7,"_datetime":"2023-11-03T09:15:00Z","name":"B"}');"#,
        );
        let m = detect_generic(&c).unwrap();
        assert_eq!(m.position, Source::Column("seq".into()));
        assert_eq!(
            m.stream,
            [Source::Json {
                column: "body".into(),
                path: "$.personId".into()
            }]
        );
        assert_eq!(
            m.event_type,
            Some(Source::Json {
                column: "body".into(),
                path: "$.type".into()
            })
        );
        assert_eq!(
            m.time,
            Some(Source::Json {
                column: "body".into(),
                path: "$._datetime".into()
            })
        );
    }

    #[test]
    fn an_event_id_column_and_correlation_keys_in_the_metadata_are_detected() {
        let c = conn(
            r#"CREATE TABLE events(id INTEGER PRIMARY KEY, event_id TEXT, stream_id TEXT, type TEXT, data TEXT, metadata TEXT);
               INSERT INTO events(event_id, stream_id, type, data, metadata) VALUES
                 ('e1', 's', 'A', '{}', '{"$correlationId":"c1"}'),
                 ('e2', 's', 'B', '{}', '{"$correlationId":"c1","$causationId":"e1"}');"#,
        );
        let m = detect_generic(&c).unwrap();
        assert_eq!(m.position, Source::Column("id".into()));
        assert_eq!(m.id, Some(Source::Column("event_id".into())));
        assert_eq!(
            m.correlation,
            Some(Source::Json {
                column: "metadata".into(),
                path: "$.\"$correlationId\"".into()
            })
        );
        assert_eq!(
            m.causation,
            Some(Source::Json {
                column: "metadata".into(),
                path: "$.\"$causationId\"".into()
            })
        );
    }

    #[test]
    fn an_integer_id_that_is_the_position_is_not_the_event_id() {
        let c = conn(
            "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, type TEXT, data TEXT);",
        );
        let m = detect_generic(&c).unwrap();
        assert_eq!(m.position, Source::Column("id".into()));
        assert_eq!((m.id, m.correlation, m.causation), (None, None, None));
    }

    #[test]
    fn snapshot_tables_lose_to_event_tables() {
        let c = conn(
            "CREATE TABLE snapshots(aggregate_id TEXT, version INTEGER, type TEXT, payload TEXT, created_at TEXT);
             CREATE TABLE events(aggregate_id TEXT, version INTEGER, type TEXT, payload TEXT);",
        );
        assert_eq!(detect_generic(&c).unwrap().table, "events");
    }

    #[test]
    fn a_file_without_event_tables_says_which_tables_it_has() {
        let c = conn("CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT);");
        let err = detect_generic(&c).unwrap_err().to_string();
        assert!(err.contains("users"), "{err}");
    }

    #[test]
    fn a_mapping_round_trips_through_json_and_rejects_unknown_columns() {
        let c = conn("CREATE TABLE ev(id INTEGER PRIMARY KEY, s TEXT, body TEXT);");
        let json = r#"{"table":"ev","position":{"column":"id"},"stream":{"json":{"column":"body","path":"$.who"}},"data":"body"}"#;
        let m: Mapping = serde_json::from_str(json).unwrap();
        assert_eq!(m.layout, "custom");
        assert!(m.validate(&c).is_ok());
        let back: Mapping = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
        assert_eq!(back, m);
        let bad = Mapping {
            data: Some("nope".into()),
            ..m
        };
        assert!(bad.validate(&c).unwrap_err().contains("nope"));
    }

    #[test]
    fn the_readme_mapping_example_is_a_valid_mapping() {
        let readme = include_str!("../../README.md");
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
