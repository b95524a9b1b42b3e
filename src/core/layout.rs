//! Where the events are in a store: the [`Mapping`] from roles (stream, version, position, type, time, payload,
//! metadata) to columns or JSON paths, and its detection by inspecting the schema and a sample of payloads.
//!
//! The mapping is one plain serializable struct: `--mapping FILE.json` reads it, `eventscope layout` prints it,
//! and later the GUI's mapping editor and the presets for real libraries produce it.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

/// Where one role's value comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The table's implicit rowid (only for positions).
    Rowid,
    /// A column of the event table.
    Column(String),
    /// A value inside a JSON column, as an SQLite JSON path such as `$.personId` or `$.meta.time`.
    Json { column: String, path: String },
}

impl Source {
    /// The SQL expression that yields this value, with every name quoted.
    pub fn sql(&self) -> String {
        match self {
            Self::Rowid => "rowid".to_owned(),
            Self::Column(name) => quote_ident(name),
            Self::Json { column, path } => {
                let text = format!("CAST({} AS TEXT)", quote_ident(column));
                format!(
                    "(CASE WHEN json_valid({text}) THEN json_extract({text}, {}) END)",
                    quote_literal(path)
                )
            }
        }
    }

    /// Short human description: `stream_id`, `rowid`, `body → $.personId`.
    pub fn describe(&self) -> String {
        match self {
            Self::Rowid => "rowid".to_owned(),
            Self::Column(name) => name.clone(),
            Self::Json { column, path } => format!("{column} -> {path}"),
        }
    }

    fn column(&self) -> Option<&str> {
        match self {
            Self::Rowid => None,
            Self::Column(name) | Self::Json { column: name, .. } => Some(name),
        }
    }
}

/// How a table of events maps to the roles Eventscope needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// Human name of the layout, e.g. `plain events table`; `custom` for a user's mapping.
    #[serde(default = "custom_layout")]
    pub layout: String,
    /// The event table.
    pub table: String,
    /// Global position: a column or the rowid.
    #[serde(default = "rowid")]
    pub position: Source,
    /// Stream id; absent for a single event log (then the whole table is one stream).
    #[serde(default)]
    pub stream: Option<Source>,
    /// Aggregate type or category of the stream.
    #[serde(default)]
    pub stream_type: Option<Source>,
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
}

fn custom_layout() -> String {
    "custom".to_owned()
}

fn rowid() -> Source {
    Source::Rowid
}

impl Mapping {
    /// The id of the single stream of a store without a stream role: the table name.
    pub fn single_stream_id(&self) -> &str {
        &self.table
    }

    /// Check that every named column exists in the table (so a bad mapping fails with a clear message
    /// rather than an SQL error).
    pub fn validate(&self, conn: &Connection) -> Result<(), String> {
        let tables = tables(conn).map_err(|e| e.to_string())?;
        let Some(table) = tables.iter().find(|t| t.name == self.table) else {
            let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
            return Err(format!(
                "no table named {:?} (tables: {})",
                self.table,
                names.join(", ")
            ));
        };
        let roles = [
            ("position", Some(&self.position)),
            ("stream", self.stream.as_ref()),
            ("stream_type", self.stream_type.as_ref()),
            ("version", self.version.as_ref()),
            ("type", self.event_type.as_ref()),
            ("time", self.time.as_ref()),
        ];
        let named = roles
            .iter()
            .filter_map(|(role, source)| source.and_then(Source::column).map(|c| (*role, c)))
            .chain(self.data.as_deref().map(|c| ("data", c)))
            .chain(self.metadata.as_deref().map(|c| ("metadata", c)));
        for (role, column) in named {
            if !table.columns.iter().any(|c| c.name == column) {
                return Err(format!(
                    "the {role} column {column:?} is not in table {:?} (columns: {})",
                    self.table,
                    table
                        .columns
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        if table.without_rowid && self.position == Source::Rowid {
            return Err(format!(
                "table {:?} has no rowid: map the position to a column",
                self.table
            ));
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

/// Every user table (not SQLite's own), sorted by name.
pub fn tables(conn: &Connection) -> rusqlite::Result<Vec<TableInfo>> {
    let mut stmt = conn.prepare(
        "SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    let rows: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (name, sql) in rows {
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
        let without_rowid = sql
            .to_ascii_uppercase()
            .replace(char::is_whitespace, "")
            .contains("WITHOUTROWID");
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
}

/// Find the event table and map its columns (and payload paths) to roles.
pub fn detect(conn: &Connection) -> Result<Mapping, DetectError> {
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
    map_payload_paths(conn, &mut mapping)?;
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
            [only] if only.decl_type.eq_ignore_ascii_case("INTEGER") && !table.without_rowid => {
                Some(only.name.as_str())
            }
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
        layout: String::new(),
        table: table.name.clone(),
        position,
        stream: stream.map(Source::Column),
        stream_type: stream_type.map(Source::Column),
        version: version.map(Source::Column),
        event_type: event_type.map(Source::Column),
        time: time.map(Source::Column),
        data,
        metadata,
    }
}

/// Fill roles the columns did not provide from keys that (nearly) every sampled payload object carries.
fn map_payload_paths(conn: &Connection, mapping: &mut Mapping) -> rusqlite::Result<()> {
    let Some(data) = mapping.data.clone() else {
        return Ok(());
    };
    if mapping.stream.is_some() && mapping.event_type.is_some() && mapping.time.is_some() {
        return Ok(());
    }
    let sql = format!(
        "SELECT CAST({} AS TEXT) FROM {} LIMIT 200",
        quote_ident(&data),
        quote_ident(&mapping.table)
    );
    let mut stmt = conn.prepare(&sql)?;
    let samples: Vec<serde_json::Map<String, serde_json::Value>> = stmt
        .query_map([], |r| r.get::<_, Option<String>>(0))?
        .filter_map(Result::ok)
        .flatten()
        .filter_map(|text| match serde_json::from_str(&text) {
            Ok(serde_json::Value::Object(map)) => Some(map),
            _ => None,
        })
        .collect();
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
    if mapping.stream.is_none() {
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
        mapping.stream = explicit.or_else(by_suffix).map(|k| path_for(&k));
    }
    Ok(())
}

fn describe_layout(mapping: &Mapping) -> String {
    let from_payload = [&mapping.stream, &mapping.event_type, &mapping.time]
        .iter()
        .any(|s| matches!(s, Some(Source::Json { .. })));
    match (&mapping.stream, from_payload) {
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
        let m = detect(&c).unwrap();
        assert_eq!(m.table, "events");
        assert_eq!(m.position, Source::Column("id".into()));
        assert_eq!(m.stream, Some(Source::Column("stream_id".into())));
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
        let m = detect(&c).unwrap();
        assert_eq!(m.stream, Some(Source::Column("order_id".into())));
        assert_eq!(m.event_type, Some(Source::Column("event_name".into())));
        assert_eq!(m.time, Some(Source::Column("datetime".into())));
        assert_eq!(m.version, None);
    }

    #[test]
    fn a_log_without_stream_column_is_one_stream_positioned_by_rowid() {
        let c = conn("CREATE TABLE event_log(type TEXT, timestamp INTEGER, payload BLOB);");
        let m = detect(&c).unwrap();
        assert_eq!(m.stream, None);
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
        let m = detect(&c).unwrap();
        assert_eq!(m.position, Source::Column("seq".into()));
        assert_eq!(
            m.stream,
            Some(Source::Json {
                column: "body".into(),
                path: "$.personId".into()
            })
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
    fn snapshot_tables_lose_to_event_tables() {
        let c = conn(
            "CREATE TABLE snapshots(aggregate_id TEXT, version INTEGER, type TEXT, payload TEXT, created_at TEXT);
             CREATE TABLE events(aggregate_id TEXT, version INTEGER, type TEXT, payload TEXT);",
        );
        assert_eq!(detect(&c).unwrap().table, "events");
    }

    #[test]
    fn a_file_without_event_tables_says_which_tables_it_has() {
        let c = conn("CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT);");
        let err = detect(&c).unwrap_err().to_string();
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
}
