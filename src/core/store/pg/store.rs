//! A [`Store`] on PostgreSQL: the same detection (through `layout::Catalog`), the same sources and the same events
//! as on SQLite, read with PostgreSQL's SQL. What SQLite reads through Eventscope's SQL functions
//! (`es_json`: a role inside a payload only Rust decodes) is read here from the decoded payload or metadata,
//! so nothing is created on the server. The streams list, a stream's summary, keyset pages and snapshots are
//! read here; whole-store scans in `pg::scan`, live follow in `pg::follow`.
//!
//! A stream id is looked up by the stored forms its key columns can hold, typed as the column is typed
//! (a `uuid` column compared with a `uuid`, an integer column with an `int8`), so each lookup uses the
//! table's index.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use postgres::types::{ToSql, Type};

use super::cells::read_as_is;
use super::follow::Horizon;
use super::{DEFAULT_STATEMENT_TIMEOUT, PgConnection, PgError, PgTarget, ProcessEnv};
use crate::core::cell::{Cell, Datum};
use crate::core::codec::Decoder;
use crate::core::layout::{self, DetectError, Mapping, quote_ident, quote_literal};
use crate::core::model::{Event, Payload, StreamSummary};
use crate::core::store::ids::{canonical_id, category_of, composite_id, split_composite};
use crate::core::store::payload_path::PayloadPath;
use crate::core::store::source::{EVENT_COLUMNS, InPayload, Source, event_from_cells};
use crate::core::store::streams::aggregate_type;
use crate::core::store::streams::{End, StreamRow};
use crate::core::store::{Db, OpenInfo, OpenOptions, PageCursor, Store, StoreError, mappings_for};
use crate::core::times::StoredTime;

/// What a PostgreSQL store keeps beside its [`Source`]s: the connection and each source's SQL.
pub(in crate::core::store) struct PgDb {
    pub(super) conn: RefCell<PgConnection>,
    sql: Vec<SourceSql>,
    /// Where following each event table stands (see `pg::follow`).
    horizons: RefCell<Vec<Option<Horizon>>>,
    /// Each event table's snapshot table, read as a source whose position is the version.
    snapshot_sql: Vec<Option<(Source, SourceSql)>>,
}

/// One event table's SQL on PostgreSQL.
pub(in crate::core::store) struct SourceSql {
    /// The [`EVENT_COLUMNS`] select list, a type the reader does not take as it is cast to text.
    pub(in crate::core::store) columns: String,
    /// `FROM ... WHERE <filter>`.
    pub(in crate::core::store) from_where: String,
    /// The stream key's parts, each with the type of its column.
    keys: Vec<(String, Type)>,
    pub(in crate::core::store) position: String,
    /// The version, when it is a column SQL can order by.
    pub(in crate::core::store) version: Option<String>,
}

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
    let schemas = conn.schemas().map_err(|e| DetectError::Read(e.into()))?;
    let mut found = Vec::new();
    for schema in schemas.iter().filter(|s| s.name != current) {
        conn.use_schema(&schema.name)
            .map_err(|e| DetectError::Read(e.into()))?;
        if let Ok(mappings) = layout::detect(conn) {
            found.push((schema.name.clone(), mappings));
        }
    }
    match found.len() {
        0 => {
            conn.use_schema(&current)
                .map_err(|e| DetectError::Read(e.into()))?;
            Err(first_error)
        }
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

enum SqlError {
    Pg(PgError),
    Mapping(String),
}

impl From<PgError> for SqlError {
    fn from(err: PgError) -> Self {
        Self::Pg(err)
    }
}

/// A role as PostgreSQL selects it: a column of the event table or of the joined one; `NULL` when it is
/// read from the decoded payload or metadata.
fn role_sql(source: &Source, role: Option<&layout::Source>) -> Result<String, SqlError> {
    let Some(role) = role else {
        return Ok("NULL".to_owned());
    };
    let m = &source.mapping;
    Ok(match role {
        layout::Source::Rowid => {
            return Err(SqlError::Mapping(format!(
                "table {:?}: PostgreSQL tables have no rowid; map the position to a column",
                m.table
            )));
        }
        layout::Source::Column(name) => format!("e.{}", quote_ident(name)),
        layout::Source::Joined(name) => format!("s.{}", quote_ident(name)),
        layout::Source::Json { column, path } => {
            let read_in_rust = (m.data.as_deref() == Some(column.as_str())
                || m.metadata.as_deref() == Some(column.as_str()))
                && PayloadPath::parse(path).is_some();
            if read_in_rust {
                "NULL".to_owned()
            } else {
                let steps = PayloadPath::parse(path)
                    .map(|p| p.text_array())
                    .ok_or_else(|| {
                        SqlError::Mapping(format!(
                            "the JSON path {path:?} on column {column:?} is not one PostgreSQL can read \
                             (use $.key, $.\"odd key\" and [N] steps)"
                        ))
                    })?;
                format!(
                    "(e.{}::jsonb #>> {})",
                    quote_ident(column),
                    quote_literal(&steps)
                )
            }
        }
    })
}

/// The SQL of `source` on PostgreSQL, its column types read from the server (nothing run).
fn source_sql(conn: &mut PgConnection, source: &Source) -> Result<SourceSql, SqlError> {
    let m = &source.mapping;
    let column = |name: Option<&str>| {
        name.map_or_else(|| "NULL".to_owned(), |c| format!("e.{}", quote_ident(c)))
    };
    let mut from = format!("{} AS e", quote_ident(&m.table));
    if let Some(join) = &m.join {
        from.push_str(&format!(
            " JOIN {} AS s ON s.{} = e.{}",
            quote_ident(&join.table),
            quote_ident(&join.key),
            quote_ident(&join.on)
        ));
    }
    let from_where = format!(
        "FROM {from} WHERE {}",
        m.filter
            .as_ref()
            .map_or_else(|| "true".to_owned(), |f| format!("({f})"))
    );
    let position = role_sql(source, Some(&m.position))?;
    let version = match &m.version {
        Some(v @ (layout::Source::Column(_) | layout::Source::Joined(_))) => {
            Some(role_sql(source, Some(v))?)
        }
        _ => None,
    };
    let exprs = [
        position.clone(),
        role_sql(source, m.version.as_ref())?,
        role_sql(source, m.event_type.as_ref())?,
        role_sql(source, m.time.as_ref())?,
        column(m.data.as_deref()),
        column(m.metadata.as_deref()),
        role_sql(source, m.id.as_ref())?,
        role_sql(source, m.correlation.as_ref())?,
        role_sql(source, m.causation.as_ref())?,
    ];
    let types = column_types(conn, &exprs, &from_where)?;
    let columns = exprs
        .iter()
        .zip(&types)
        .map(|(expr, ty)| as_read(expr, ty))
        .collect::<Vec<_>>()
        .join(", ");
    let key_exprs = m
        .stream
        .iter()
        .map(|part| role_sql(source, Some(part)))
        .collect::<Result<Vec<_>, _>>()?;
    let key_types = column_types(conn, &key_exprs, &from_where)?;
    Ok(SourceSql {
        columns,
        from_where,
        keys: key_exprs.into_iter().zip(key_types).collect(),
        position,
        version,
    })
}

impl SourceSql {
    /// How many parts the stream key has (0 for a single log).
    pub(in crate::core::store) fn key_count(&self) -> usize {
        self.keys.len()
    }

    /// The stream key's parts as selected after the event columns (`, e."a", e."b"`; empty for a single
    /// log).
    pub(in crate::core::store) fn key_list(&self) -> String {
        self.keys
            .iter()
            .map(|(expr, ty)| format!(", {}", as_read(expr, ty)))
            .collect()
    }
}

/// `expr`, cast to text when its type is not read as it is.
fn as_read(expr: &str, ty: &Type) -> String {
    if read_as_is(ty) {
        expr.to_owned()
    } else {
        format!("({expr})::text")
    }
}

/// The types PostgreSQL gives `exprs` selected `from_where` (prepared, not run).
fn column_types(
    conn: &mut PgConnection,
    exprs: &[String],
    from_where: &str,
) -> Result<Vec<Type>, SqlError> {
    if exprs.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {} {from_where}", exprs.join(", "));
    conn.read(|tx| {
        let statement = tx.prepare(&sql)?;
        Ok(statement
            .columns()
            .iter()
            .map(|c| c.type_().clone())
            .collect())
    })
    .map_err(SqlError::from)
}

/// A parameter for a stream key part compared with a column of type `ty`, or `None` when no value of that
/// type prints as `part` (the stream is then not in this table).
fn key_condition(
    expr: &str,
    ty: &Type,
    part: &str,
    params: &mut Vec<Box<dyn ToSql + Sync>>,
) -> Option<String> {
    let n = params.len() + 1;
    match *ty {
        Type::UUID => {
            let uuid = uuid::Uuid::parse_str(part).ok()?;
            params.push(Box::new(uuid));
            Some(format!("{expr} = ${n}"))
        }
        Type::INT2 | Type::INT4 | Type::INT8 => {
            let number: i64 = part.parse().ok()?;
            params.push(Box::new(number));
            Some(format!("{expr} = ${n}::int8"))
        }
        _ => {
            // Every stored text form that prints as `part` (a UUID in upper case or without dashes).
            let forms: Vec<String> = crate::core::decode::stream_key_candidates(part)
                .into_iter()
                .filter_map(|value| match value {
                    rusqlite::types::Value::Text(text) => Some(text),
                    _ => None,
                })
                .collect();
            params.push(Box::new(forms));
            if read_as_is(ty) && !matches!(*ty, Type::BYTEA) {
                Some(format!("{expr}::text = ANY(${n})"))
            } else {
                Some(format!("({expr})::text = ANY(${n})"))
            }
        }
    }
}

impl PgDb {
    /// The server this store reads (password included, for connections opened again).
    pub(in crate::core::store) fn target(&self) -> std::sync::Arc<PgTarget> {
        std::sync::Arc::new(self.conn.borrow().target().clone())
    }

    fn shown_err(&self, err: PgError) -> StoreError {
        StoreError::Postgres(err)
    }

    /// The event of a row of [`EVENT_COLUMNS`] datums (then anything else); a position that is not an
    /// integer is the mapping's error, named.
    fn event(
        &self,
        source: &Source,
        datums: &[Datum],
        stream: String,
        keep_stored: bool,
    ) -> Result<Event, StoreError> {
        let Some(Datum::Integer(position)) = datums.first() else {
            return Err(StoreError::Mapping {
                path: PathBuf::from(self.conn.borrow().target().shown()),
                message: format!(
                    "the position of table {:?} ({}) is not an integer: {:?}",
                    source.mapping.table,
                    source.mapping.position.describe(),
                    datums.first()
                ),
            });
        };
        let mut cells = [Cell::Null; EVENT_COLUMNS];
        for (cell, datum) in cells.iter_mut().zip(datums) {
            *cell = datum.cell();
        }
        Ok(event_from_cells(
            source,
            *position,
            &cells,
            stream,
            keep_stored,
        ))
    }

    /// The conditions finding stream `id` in `source`, their parameters pushed to `params`; `None` when no
    /// row of it can hold that id.
    fn key_conditions(
        &self,
        index: usize,
        source: &Source,
        id: &str,
        params: &mut Vec<Box<dyn ToSql + Sync>>,
    ) -> Option<Vec<String>> {
        key_conditions(&self.sql[index], source, id, params)
    }

    /// The snapshots of stream `id` kept beside event table `index`, by version.
    pub(in crate::core::store) fn snapshots(
        &self,
        index: usize,
        id: &str,
    ) -> Result<Vec<crate::core::store::Snapshot>, StoreError> {
        let Some((source, sql)) = self.snapshot_sql.get(index).and_then(Option::as_ref) else {
            return Ok(Vec::new());
        };
        let mut params: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        let Some(conds) = key_conditions(sql, source, id, &mut params) else {
            return Ok(Vec::new());
        };
        let text = format!(
            "SELECT {}{} {}{} ORDER BY 1",
            sql.columns,
            sql.key_list(),
            sql.from_where,
            conds
                .iter()
                .map(|c| format!(" AND {c}"))
                .collect::<String>()
        );
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
        let events = self.read_events_of(sql, source, &text, &refs, false)?;
        let pointer = source
            .mapping
            .snapshots
            .as_ref()
            .and_then(|s| s.state_pointer.clone());
        Ok(events
            .into_iter()
            .map(|event| crate::core::store::Snapshot {
                version: event.version.unwrap_or(event.position),
                snapshot_type: Some(event.event_type)
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| "Snapshot".to_owned()),
                state: match (event.data, &pointer) {
                    (Payload::Json(value), Some(pointer)) => match value.pointer(pointer) {
                        Some(inner) => Payload::Json(inner.clone()),
                        None => Payload::Json(value),
                    },
                    (other, _) => other,
                },
            })
            .collect())
    }
}

/// The conditions finding stream `id` in the table `sql` reads, their parameters pushed to `params`; `None`
/// when no row of it can hold that id.
fn key_conditions(
    sql: &SourceSql,
    source: &Source,
    id: &str,
    params: &mut Vec<Box<dyn ToSql + Sync>>,
) -> Option<Vec<String>> {
    if sql.keys.is_empty() {
        return (id == source.mapping.single_stream_id()).then(Vec::new);
    }
    let parts = split_composite(id, sql.keys.len())?;
    sql.keys
        .iter()
        .zip(parts)
        .map(|((expr, ty), part)| key_condition(expr, ty, part, params))
        .collect()
}

impl PgDb {
    /// Up to `limit` events of stream `id` in `source` after `after`, in stream order.
    pub(in crate::core::store) fn events_page(
        &self,
        index: usize,
        source: &Source,
        id: &str,
        after: Option<PageCursor>,
        limit: usize,
        keep_stored: bool,
    ) -> Result<Vec<Event>, StoreError> {
        let sql = &self.sql[index];
        let mut params: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        let Some(mut conds) = self.key_conditions(index, source, id, &mut params) else {
            return Ok(Vec::new());
        };
        let pos = &sql.position;
        let order = match (&sql.version, after) {
            (None, after) => {
                if let Some(cursor) = after {
                    params.push(Box::new(cursor.position));
                    conds.push(format!("{pos} > ${}::int8", params.len()));
                }
                pos.clone()
            }
            (Some(v), after) => {
                match after {
                    None => {}
                    Some(PageCursor {
                        version: None,
                        position,
                    }) => {
                        params.push(Box::new(position));
                        conds.push(format!(
                            "(({v}) IS NULL AND {pos} > ${n}::int8 OR ({v}) IS NOT NULL)",
                            n = params.len()
                        ));
                    }
                    Some(PageCursor {
                        version: Some(version),
                        position,
                    }) => {
                        params.push(Box::new(version));
                        params.push(Box::new(position));
                        let (a, b) = (params.len() - 1, params.len());
                        conds.push(format!(
                            "({v}) >= ${a}::int8 AND (({v}) > ${a}::int8 OR {pos} > ${b}::int8)"
                        ));
                    }
                }
                format!("{v} NULLS FIRST, {pos}")
            }
        };
        let mut text = format!("SELECT {} {}", sql.columns, sql.from_where);
        for cond in &conds {
            text.push_str(" AND ");
            text.push_str(cond);
        }
        text.push_str(&format!(" ORDER BY {order} LIMIT {limit}"));
        let canonical = canonical_id(id, source.mapping.stream.len());
        let rows = self
            .conn
            .borrow_mut()
            .read(|tx| {
                let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
                let rows = tx.query(text.as_str(), &refs)?;
                rows.iter()
                    .map(|row| {
                        (0..EVENT_COLUMNS)
                            .map(|i| row.try_get::<_, Datum>(i))
                            .collect::<Result<Vec<_>, _>>()
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(|e| self.shown_err(e))?;
        rows.iter()
            .map(|datums| self.event(source, datums, canonical.clone(), keep_stored))
            .collect()
    }

    /// The streams of `source`, one row per stored key: the count, and the first and last events by
    /// position read again for their times (two seeks of the position's index per stream).
    pub(in crate::core::store) fn stream_rows(
        &self,
        index: usize,
        source: &Source,
        table: Option<String>,
        only: Option<&str>,
    ) -> Result<Vec<StreamRow>, StoreError> {
        let sql = &self.sql[index];
        let mut params: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        let mut conds = String::new();
        if let Some(id) = only {
            match self.key_conditions(index, source, id, &mut params) {
                Some(found) => {
                    for cond in found {
                        conds.push_str(" AND ");
                        conds.push_str(&cond);
                    }
                }
                None => return Ok(Vec::new()),
            }
        }
        let pos = &sql.position;
        let m = &source.mapping;
        let keys: Vec<String> = sql.keys.iter().map(|(e, ty)| as_read(e, ty)).collect();
        let extra = |role: Option<&layout::Source>, in_payload: bool| -> String {
            match role {
                Some(layout::Source::Column(c)) if !in_payload => {
                    format!("e.{}", quote_ident(c))
                }
                Some(layout::Source::Joined(c)) if !in_payload => format!("s.{}", quote_ident(c)),
                _ => "NULL".to_owned(),
            }
        };
        let named = [
            extra(m.stream_type.as_ref(), false),
            extra(m.stream_name.as_ref(), false),
            extra(m.tenant.as_ref(), false),
        ];
        let group = if keys.is_empty() {
            String::new()
        } else {
            format!(
                " GROUP BY {}",
                (1..=keys.len())
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let key_list = if keys.is_empty() {
            String::new()
        } else {
            format!("{}, ", keys.join(", "))
        };
        let text = format!(
            "SELECT {key_list}count(*), min({pos}), max({pos}), {} {}{conds}{group}",
            named
                .iter()
                .map(|e| format!("(array_agg(({e})::text ORDER BY {pos}))[1]"))
                .collect::<Vec<_>>()
                .join(", "),
            sql.from_where,
        );
        let n = keys.len();
        let grouped = self
            .conn
            .borrow_mut()
            .read(|tx| {
                let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
                tx.query(text.as_str(), &refs)?
                    .iter()
                    .filter(|row| {
                        // A single log's aggregate row when the log is empty.
                        !matches!(row.try_get::<_, i64>(n), Ok(0))
                    })
                    .map(|row| {
                        (0..n + 6)
                            .map(|i| row.try_get::<_, Datum>(i))
                            .collect::<Result<Vec<_>, _>>()
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(|e| self.shown_err(e))?;
        let mut out = Vec::with_capacity(grouped.len());
        for chunk in grouped.chunks(500) {
            let ends: Vec<i64> = chunk
                .iter()
                .flat_map(|row| [&row[n + 1], &row[n + 2]])
                .filter_map(|d| match d {
                    Datum::Integer(p) => Some(*p),
                    _ => None,
                })
                .collect();
            let events = self.events_at(index, source, &ends)?;
            for row in chunk {
                let ids: Vec<String> = row[..n]
                    .iter()
                    .map(|d| crate::core::decode::format_stream_id(d.cell()))
                    .collect();
                let id = if n == 0 {
                    m.single_stream_id().to_owned()
                } else {
                    composite_id(&ids)
                };
                let at = |d: &Datum| match d {
                    Datum::Integer(p) => events.iter().find(|(q, _)| q == p).map(|(_, e)| e),
                    _ => None,
                };
                let (first, last) = (at(&row[n + 1]), at(&row[n + 2]));
                let text = |d: &Datum| match d {
                    Datum::Null => None,
                    other => crate::core::store::sql_text(other.cell()),
                };
                let stream_type = text(&row[n + 3])
                    .or_else(|| {
                        let path = source.in_payload.stream_type.as_ref()?;
                        let value = match &first?.data {
                            crate::core::model::Payload::Json(v) => path.extract(v),
                            _ => return None,
                        };
                        crate::core::store::sql_text(Cell::from(&value))
                    })
                    .and_then(|t| aggregate_type(&t))
                    .or_else(|| (n > 0).then(|| category_of(&id)).flatten());
                let end = |event: Option<&Event>| End {
                    position: event.map(|e| e.position),
                    time: event.map_or(StoredTime::Absent, |e| match (e.time, &e.stored_time) {
                        (Some(time), _) => StoredTime::Time(time),
                        (None, Some(stored)) => StoredTime::Unreadable(stored.clone()),
                        (None, None) => StoredTime::Absent,
                    }),
                };
                out.push(StreamRow {
                    summary: StreamSummary {
                        id,
                        stream_type,
                        name: text(&row[n + 4]),
                        tenant: text(&row[n + 5]),
                        table: table.clone(),
                        events: match row[n] {
                            Datum::Integer(c) => u64::try_from(c).unwrap_or(0),
                            _ => 0,
                        },
                        first_time: None,
                        first_stored_time: None,
                        last_time: None,
                        last_stored_time: None,
                    },
                    first: end(first),
                    last: end(last),
                });
            }
        }
        Ok(out)
    }

    /// The events at `positions` of `source` (whatever stream), by position.
    fn events_at(
        &self,
        index: usize,
        source: &Source,
        positions: &[i64],
    ) -> Result<Vec<(i64, Event)>, StoreError> {
        let sql = &self.sql[index];
        let text = format!(
            "SELECT {}{} {} AND {} = ANY($1)",
            sql.columns,
            sql.key_list(),
            sql.from_where,
            sql.position
        );
        let positions = positions.to_vec();
        let events = self.read_events(index, source, &text, &[&positions], false)?;
        Ok(events.into_iter().map(|e| (e.position, e)).collect())
    }

    /// The events of the rows `text` selects: [`SourceSql::columns`] then the stream key
    /// ([`SourceSql::key_list`]), each event's stream id read from its key.
    pub(in crate::core::store) fn read_events(
        &self,
        index: usize,
        source: &Source,
        text: &str,
        params: &[&(dyn ToSql + Sync)],
        keep_stored: bool,
    ) -> Result<Vec<Event>, StoreError> {
        self.read_events_of(&self.sql[index], source, text, params, keep_stored)
    }

    /// [`Self::read_events`] of the table `sql` reads.
    pub(in crate::core::store) fn read_events_of(
        &self,
        sql: &SourceSql,
        source: &Source,
        text: &str,
        params: &[&(dyn ToSql + Sync)],
        keep_stored: bool,
    ) -> Result<Vec<Event>, StoreError> {
        let n = sql.keys.len();
        let rows = self.query(text, params, |row| {
            (0..EVENT_COLUMNS + n)
                .map(|i| row.try_get::<_, Datum>(i))
                .collect::<Result<Vec<_>, _>>()
        })?;
        rows.iter()
            .map(|datums| {
                let stream = if n == 0 {
                    source.mapping.single_stream_id().to_owned()
                } else {
                    let ids: Vec<String> = datums[EVENT_COLUMNS..]
                        .iter()
                        .map(|d| crate::core::decode::format_stream_id(d.cell()))
                        .collect();
                    composite_id(&ids)
                };
                self.event(source, datums, stream, keep_stored)
            })
            .collect()
    }

    /// Each row of `text` read by `row`, in a read-only transaction.
    pub(in crate::core::store) fn query<T>(
        &self,
        text: &str,
        params: &[&(dyn ToSql + Sync)],
        row: impl Fn(&postgres::Row) -> Result<T, postgres::Error>,
    ) -> Result<Vec<T>, StoreError> {
        self.conn
            .borrow_mut()
            .read(|tx| tx.query(text, params)?.iter().map(&row).collect())
            .map_err(|e| self.shown_err(e))
    }

    /// The one row of `text` read by `row`.
    pub(in crate::core::store) fn query_one<T>(
        &self,
        text: &str,
        params: &[&(dyn ToSql + Sync)],
        row: impl Fn(&postgres::Row) -> Result<T, postgres::Error>,
    ) -> Result<T, StoreError> {
        self.conn
            .borrow_mut()
            .read(|tx| row(&tx.query_one(text, params)?))
            .map_err(|e| self.shown_err(e))
    }

    pub(in crate::core::store) fn source_sql(&self, index: usize) -> &SourceSql {
        &self.sql[index]
    }

    /// The snapshot table beside event table `index`, read as a source.
    pub(in crate::core::store) fn snapshot_source(
        &self,
        index: usize,
    ) -> Option<(&Source, &SourceSql)> {
        self.snapshot_sql
            .get(index)
            .and_then(Option::as_ref)
            .map(|(source, sql)| (source, sql))
    }

    pub(in crate::core::store) fn horizon(&self, index: usize) -> Option<Horizon> {
        self.horizons.borrow().get(index).cloned().flatten()
    }

    pub(in crate::core::store) fn set_horizon(&self, index: usize, horizon: Horizon) {
        let mut horizons = self.horizons.borrow_mut();
        if horizons.len() <= index {
            horizons.resize(index + 1, None);
        }
        horizons[index] = Some(horizon);
    }
}
