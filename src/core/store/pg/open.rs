//! Opening a [`Store`] on PostgreSQL: connect read-only, find the layout by the same detection as files (in
//! the connection's schema, or the one schema that holds event tables), and prepare each event table's SQL.

use std::cell::RefCell;

use super::sql::{SqlError, source_sql};
use super::store::PgDb;
use std::path::{Path, PathBuf};

use super::{DEFAULT_STATEMENT_TIMEOUT, PgConnection, PgError, PgTarget, ProcessEnv};
use crate::core::decode::codec::Decoder;
use crate::core::layout::{self, DetectError, Mapping};
use crate::core::store::payload_path::PayloadPath;
use crate::core::store::source::{InPayload, Source};
use crate::core::store::{Db, OpenInfo, OpenOptions, Store, StoreError, mappings_for};

impl Store {
    /// Open the PostgreSQL store at `target` read-only and find its layout (or check `options.mappings`): in
    /// the connection's schema, or else in the one schema whose tables hold a layout.
    pub(in crate::core::store) fn open_postgres(
        target: &PgTarget,
        options: OpenOptions,
    ) -> Result<Self, StoreError> {
        let shown = target.shown();
        let mut conn = PgConnection::connect(target, &ProcessEnv, Some(DEFAULT_STATEMENT_TIMEOUT))?;
        let mappings = mappings_for(
            options.mappings,
            options.schema.as_deref(),
            &mut conn,
            Path::new(&shown),
            detect_in_schemas,
        )?;
        let mut sources = Vec::with_capacity(mappings.len());
        let mut sql = Vec::with_capacity(mappings.len());
        let mut snapshot_sql = Vec::with_capacity(mappings.len());
        let sql_err = |err| match err {
            SqlError::Pg(err) => StoreError::Postgres(err),
            SqlError::Mapping(message) => StoreError::Mapping {
                path: PathBuf::from(&shown),
                message,
            },
        };
        for mapping in mappings {
            snapshot_sql.push(match &mapping.snapshots {
                Some(snapshots) => {
                    let decoder = Decoder::new(snapshots.codec.clone(), options.cipher_key.clone())
                        .with_max_payload_bytes(options.max_payload_bytes);
                    let source = postgres_source(
                        Mapping {
                            position: snapshots.version.clone(),
                            snapshots: Some(snapshots.clone()),
                            ..snapshots.as_mapping()
                        },
                        decoder,
                    );
                    let read = source_sql(&mut conn, &source).map_err(sql_err)?;
                    Some((source, read))
                }
                None => None,
            });
            let decoder = Decoder::new(mapping.codec.clone(), options.cipher_key.clone())
                .with_max_payload_bytes(options.max_payload_bytes);
            let source = postgres_source(mapping, decoder);
            sql.push(source_sql(&mut conn, &source).map_err(sql_err)?);
            sources.push(source);
        }
        let info = OpenInfo {
            journal_mode: "postgresql",
            immutable: false,
            wal_index_in_memory: false,
            size_bytes: 0,
            wal_seen: None,
            server: Some(conn.role().clone()),
        };
        Ok(Self {
            db: Db::Postgres(Box::new(PgDb {
                conn: RefCell::new(conn),
                sql,
                horizons: RefCell::new(Vec::new()),
                listening: RefCell::new(None),
                snapshot_sql,
            })),
            guard: crate::core::store::guard::QueryGuard::new(),
            path: PathBuf::from(shown),
            sources,
            info,
        })
    }
}

/// The layout of the connection's schema; when it has none, of the one other schema that has one (its
/// tables then read unqualified). Several such schemas: the user chooses, and the error says how.
fn detect_in_schemas(conn: &mut PgConnection) -> Result<Vec<Mapping>, DetectError> {
    let here = layout::detect(conn);
    let Err(first_error) = here else {
        return here;
    };
    let current = conn.schema().to_owned();
    let mut found =
        detect_each_schema(conn, Some(&current)).map_err(|e| DetectError::Read(e.into()))?;
    match found.len() {
        0 => Err(first_error),
        1 => {
            let (schema, mappings) = found.remove(0);
            conn.use_schema(&schema)
                .map_err(|e| DetectError::Read(e.into()))?;
            Ok(mappings)
        }
        _ => Err(DetectError::SeveralSchemas(
            found.into_iter().map(|(name, _)| name).collect(),
        )),
    }
}

/// The layout detected in each schema that has one (but `skip`), by schema name; the connection reads
/// from its own schema again afterwards.
fn detect_each_schema(
    conn: &mut PgConnection,
    skip: Option<&str>,
) -> Result<Vec<(String, Vec<Mapping>)>, PgError> {
    let current = conn.schema().to_owned();
    let schemas = conn.schemas()?;
    let mut found = Vec::new();
    for schema in schemas.iter().filter(|s| Some(s.name.as_str()) != skip) {
        conn.use_schema(&schema.name)?;
        if let Ok(mappings) = layout::detect(conn) {
            found.push((schema.name.clone(), mappings));
        }
    }
    conn.use_schema(&current)?;
    Ok(found)
}

/// The tables of the connection's schema at `target`, as layout detection reads them (the mapping editor's
/// list of tables).
pub fn inspect_tables(target: &PgTarget) -> Result<Vec<layout::TableInfo>, PgError> {
    let mut conn = PgConnection::connect(target, &ProcessEnv, Some(DEFAULT_STATEMENT_TIMEOUT))?;
    let schema = conn.schema().to_owned();
    conn.tables(&schema)
}

/// A schema whose tables hold an event store Eventscope recognises, as the Connect dialog offers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaLayout {
    pub schema: String,
    /// The layout's name (`eventsourcing (PostgreSQL)`...).
    pub layout: String,
    /// Its event tables.
    pub tables: Vec<String>,
    /// Whether the connection reads this schema without being told (the first of its search path).
    pub current: bool,
}

/// Every schema of the database at `target` that holds a layout Eventscope detects, by name: what to offer
/// when there are several (connected read-only, as for opening).
pub fn schemas_with_layouts(target: &PgTarget) -> Result<Vec<SchemaLayout>, PgError> {
    let mut conn = PgConnection::connect(target, &ProcessEnv, Some(DEFAULT_STATEMENT_TIMEOUT))?;
    let current = conn.schema().to_owned();
    Ok(detect_each_schema(&mut conn, None)?
        .into_iter()
        .map(|(schema, mappings)| SchemaLayout {
            current: schema == current,
            layout: mappings
                .first()
                .map(|m| m.layout.clone())
                .unwrap_or_default(),
            tables: mappings.into_iter().map(|m| m.table).collect(),
            schema,
        })
        .collect())
}

/// A source read on PostgreSQL: every role inside the payload or the metadata read from them once decoded
/// (PostgreSQL's SQL knows no SQLite JSON path, and Eventscope creates no function there).
fn postgres_source(mapping: Mapping, decoder: Decoder) -> Source {
    let mut source = Source::new(mapping, decoder, String::new());
    let m = &source.mapping;
    let inside = |role: Option<&layout::Source>, column: Option<&str>| match role {
        Some(layout::Source::Json { column: c, path }) if Some(c.as_str()) == column => {
            PayloadPath::parse(path)
        }
        _ => None,
    };
    let paths = |column: Option<&str>| InPayload {
        stream_type: inside(m.stream_type.as_ref(), column),
        version: inside(m.version.as_ref(), column),
        event_type: inside(m.event_type.as_ref(), column),
        time: inside(m.time.as_ref(), column),
        id: inside(m.id.as_ref(), column),
        correlation: inside(m.correlation.as_ref(), column),
        causation: inside(m.causation.as_ref(), column),
    };
    let (in_payload, in_metadata) = (paths(m.data.as_deref()), paths(m.metadata.as_deref()));
    source.in_payload = in_payload;
    source.in_metadata = in_metadata;
    source
}
