//! Detection of a store's layout: the tables and columns read from the schema, each table scored as an event
//! table by the names of its columns, roles mapped to columns by name and, when the columns lack them, to keys
//! found inside a sample of payloads.

mod content;
mod json_columns;
mod names;
mod payload;
mod sampled;

use super::*;
pub use names::{CAUSATION_KEYS, CORRELATION_KEYS};
pub(super) use names::{
    DATA_NAMES, ID_NAMES, JSON_STREAM_KEYS, JSON_TIME_KEYS, JSON_TYPE_KEYS, METADATA_ID_KEYS,
    METADATA_NAMES, NOT_STREAM_IDS, POSITION_NAMES, STREAM_NAMES, STREAM_TYPE_NAMES, TIME_NAMES,
    TYPE_NAMES, VERSION_NAMES,
};
pub use payload::fill_trace_roles;
pub(super) use payload::{guess_payload_format, map_payload_paths};

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

/// Why no layout could be found.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    #[error("the store has no tables")]
    Empty,
    #[error(
        "no table looks like an event log (tables: {0}); write a mapping file (see `eventscope layout --help`) and pass --mapping"
    )]
    NoEventTable(String),
    #[error("reading the schema failed: {0}")]
    Read(#[from] CatalogError),
    #[error(
        "event tables are in several schemas ({}): choose one by adding ?options=-csearch_path%3D<schema> to \
         the URL",
        .0.join(", ")
    )]
    SeveralSchemas(Vec<String>),
    #[error(
        "table {0:?} has no rowid (a PostgreSQL table never has one; SQLite says this one is WITHOUT ROWID) and \
         no integer key to order its events by; \
         write a mapping that names the position column (`eventscope layout FILE > mapping.json`, edit it, \
         then pass --mapping mapping.json)"
    )]
    NoPosition(String),
}

/// Find the event table(s) and map their columns (and payload paths) to roles: a known library's layout
/// when the schema is one, else the best-scoring table mapped by column names.
pub fn detect(catalog: &mut dyn Catalog) -> Result<Vec<Mapping>, DetectError> {
    if let Some(mappings) = crate::core::layout::presets::detect(catalog)? {
        return Ok(mappings);
    }
    detect_generic(catalog).map(|m| vec![m])
}

/// The best-scoring table, mapped by column names and payload keys.
pub fn detect_generic(catalog: &mut dyn Catalog) -> Result<Mapping, DetectError> {
    // The content rules read a table's columns more than once: each once.
    let mut sampled = sampled::SampledOnce::new(catalog);
    let catalog: &mut dyn Catalog = &mut sampled;
    let tables = catalog.tables()?;
    if tables.is_empty() {
        return Err(DetectError::Empty);
    }
    let best = tables
        .iter()
        .map(|t| (score(t), t))
        .filter(|(s, _)| *s >= 3)
        .max_by_key(|(s, t)| (*s, std::cmp::Reverse(t.name.clone())));
    let named = best.is_some();
    let (table, mut mapping) = match best {
        Some((_, table)) => (table, map_columns(table)),
        // No table's names say events: one whose values do (times beside a type, payload or stream).
        None => match content::table_by_content(catalog, &tables)? {
            Some(mapping) => {
                let Some(table) = tables.iter().find(|t| t.name == mapping.table) else {
                    return Err(DetectError::NoEventTable(mapping.table));
                };
                (table, mapping)
            }
            None => {
                let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
                return Err(DetectError::NoEventTable(names.join(", ")));
            }
        },
    };
    if table.without_rowid && mapping.position == Source::Rowid {
        return Err(DetectError::NoPosition(table.name.clone()));
    }
    json_columns::payload_by_content(catalog, table, &mut mapping)?;
    guess_payload_format(catalog, &mut mapping)?;
    map_payload_paths(catalog, &mut mapping)?;
    content::roles_by_content(catalog, table, &mut mapping, named)?;
    fill_trace_roles(catalog, table, &mut mapping)?;
    content::data_columns_by_content(table, &mut mapping);
    mapping.layout = describe_layout(&mapping);
    Ok(mapping)
}

pub(super) fn find<'a>(table: &'a TableInfo, names: &[&str], taken: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|want| {
        table
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(want) && !taken.contains(&c.name.as_str()))
            .map(|c| c.name.as_str())
    })
}

pub(super) fn score(table: &TableInfo) -> i32 {
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

pub(super) fn map_columns(table: &TableInfo) -> Mapping {
    let mut taken: Vec<&str> = Vec::new();
    // An INTEGER PRIMARY KEY is the rowid under another name: the global position.
    let int_pk = {
        let pks: Vec<&ColumnInfo> = table.columns.iter().filter(|c| c.pk > 0).collect();
        match pks.as_slice() {
            // Without a rowid it is not an alias of one, but still a unique integer: a fine position.
            [only] if only.decl_type.eq_ignore_ascii_case("INTEGER") => Some(only.name.as_str()),
            // A table without a rowid (every PostgreSQL table): any integer type will do (`bigserial`).
            [only]
                if table.without_rowid
                    && ["BIGINT", "INT", "INT4", "INT8", "SMALLINT"]
                        .iter()
                        .any(|t| only.decl_type.eq_ignore_ascii_case(t)) =>
            {
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

pub(super) fn describe_layout(mapping: &Mapping) -> String {
    let from_payload = mapping
        .stream
        .iter()
        .chain(&mapping.event_type)
        .chain(&mapping.time)
        .any(|s| matches!(s, Source::Json { .. }));
    let layout = match (mapping.stream.first(), from_payload) {
        (None, _) => "single event log (no stream column)",
        (Some(_), true) => "events described inside their JSON payload",
        (Some(_), false) => "events table",
    };
    if mapping.data_columns.is_empty() {
        layout.to_owned()
    } else {
        format!("{layout}, data from its columns")
    }
}

#[cfg(test)]
pub(super) mod tests {
    use rusqlite::Connection;

    use super::*;

    pub(in crate::core::layout) fn conn(sql: &str) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(sql).unwrap();
        conn
    }

    #[test]
    fn a_plain_events_table_maps_every_role_to_its_column() {
        let mut c = conn(
            "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT, created_at TEXT);
             CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT);",
        );
        let m = detect_generic(&mut c).unwrap();
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
    fn a_table_without_rowid_is_ordered_by_its_integer_key_of_any_width() {
        // PostgreSQL's `bigserial PRIMARY KEY` reads as `bigint`; SQLite's WITHOUT ROWID says the same.
        let mut c = conn(
            "CREATE TABLE journal(n BIGINT PRIMARY KEY, agg TEXT, kind TEXT, body TEXT) WITHOUT ROWID;",
        );
        assert_eq!(
            detect_generic(&mut c).unwrap().position,
            Source::Column("n".into())
        );
        // With a rowid, a BIGINT key is not the rowid's alias and need not follow insertion: the rowid stays.
        let mut c =
            conn("CREATE TABLE journal(n BIGINT PRIMARY KEY, agg TEXT, kind TEXT, body TEXT);");
        assert_eq!(detect_generic(&mut c).unwrap().position, Source::Rowid);
    }

    #[test]
    fn the_order_history_layout_takes_order_id_as_the_stream() {
        let mut c = conn(
            "CREATE TABLE order_history(id INTEGER PRIMARY KEY, order_id INTEGER, event_name TEXT, datetime TEXT, data TEXT);",
        );
        let m = detect_generic(&mut c).unwrap();
        assert_eq!(m.stream, [Source::Column("order_id".into())]);
        assert_eq!(m.event_type, Some(Source::Column("event_name".into())));
        assert_eq!(m.time, Some(Source::Column("datetime".into())));
        assert_eq!(m.version, None);
    }

    #[test]
    fn a_log_without_stream_column_is_one_stream_positioned_by_rowid() {
        let mut c = conn("CREATE TABLE event_log(type TEXT, timestamp INTEGER, payload BLOB);");
        let m = detect_generic(&mut c).unwrap();
        assert!(m.stream.is_empty());
        assert_eq!(m.position, Source::Rowid);
        assert_eq!(m.data.as_deref(), Some("payload"));
        assert_eq!(m.layout, "single event log (no stream column)");
    }

    #[test]
    fn roles_missing_from_columns_are_found_inside_the_payload() {
        let mut c = conn(
            r#"CREATE TABLE person_events(seq INTEGER PRIMARY KEY, body TEXT);
               INSERT INTO person_events(body) VALUES
                 ('{"type":"PERSON_CREATION","personId":7,"_datetime":"2023-11-02T09:15:00Z","name":"A"}'),
                 ('{"type":"NAME_CHANGE","personId":7,"_datetime":"2023-11-03T09:15:00Z","name":"B"}');"#,
        );
        let m = detect_generic(&mut c).unwrap();
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
        let mut c = conn(
            r#"CREATE TABLE events(id INTEGER PRIMARY KEY, event_id TEXT, stream_id TEXT, type TEXT, data TEXT, metadata TEXT);
               INSERT INTO events(event_id, stream_id, type, data, metadata) VALUES
                 ('e1', 's', 'A', '{}', '{"$correlationId":"c1"}'),
                 ('e2', 's', 'B', '{}', '{"$correlationId":"c1","$causationId":"e1"}');"#,
        );
        let m = detect_generic(&mut c).unwrap();
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
        let mut c = conn(
            "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, type TEXT, data TEXT);",
        );
        let m = detect_generic(&mut c).unwrap();
        assert_eq!(m.position, Source::Column("id".into()));
        assert_eq!((m.id, m.correlation, m.causation), (None, None, None));
    }

    #[test]
    fn snapshot_tables_lose_to_event_tables() {
        let mut c = conn(
            "CREATE TABLE snapshots(aggregate_id TEXT, version INTEGER, type TEXT, payload TEXT, created_at TEXT);
             CREATE TABLE events(aggregate_id TEXT, version INTEGER, type TEXT, payload TEXT);",
        );
        assert_eq!(detect_generic(&mut c).unwrap().table, "events");
    }

    #[test]
    fn a_file_without_event_tables_says_which_tables_it_has() {
        let mut c = conn("CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT);");
        let err = detect_generic(&mut c).unwrap_err().to_string();
        assert!(err.contains("users"), "{err}");
    }
}
