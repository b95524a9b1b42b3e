//! Opening a user's SQLite file without ever changing it, and reading streams and events through a
//! [`Mapping`].
//!
//! Read-only is a promise to auditors: the file is opened with `SQLITE_OPEN_READONLY`, `query_only`, and the
//! connection is hardened as SQLite advises for untrusted files (defensive mode, untrusted schema, no mmap,
//! no attached databases, tight limits). A WAL-mode file with no `-wal` beside it is opened `immutable` so
//! SQLite creates no `-wal`/`-shm` files next to it. Nothing here loads a whole table: streams come from one
//! grouped query and events from keyset pages.

mod guard;
mod integrity;
mod key;
mod listing;
mod open;
mod payload_path;
mod read;
mod scan;
mod streams;

use guard::QueryGuard;
pub use guard::{CancelCheck, DEFAULT_QUERY_TIMEOUT, Stopped};
pub use integrity::{Integrity, check_integrity};
pub use listing::StreamPage;
use open::{open_read_only, sidecar};
use payload_path::PayloadPath;
pub use read::StreamEvents;
pub use scan::{OrphanRows, ScanFilter, ScanOrder};
use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, OpenFlags, OptionalExtension as _};

use crate::core::codec::{DEFAULT_MAX_PAYLOAD_BYTES, Decoder};
use crate::core::decode::{
    candidate_marks, format_stream_id, parse_time_sql, stream_key_candidates,
};
use crate::core::layout::{self, DetectError, Mapping};
use crate::core::model::{Event, Payload, Progress, StreamSummary};
use crate::core::times::read_time_sql;

/// Rows read per page when a caller asks for a whole stream.
pub const PAGE_SIZE: usize = 2_000;

/// Everything that can go wrong with a store; every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a SQLite database: {reason}")]
    NotSqlite { path: PathBuf, reason: String },
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{path}: {source}")]
    Layout { path: PathBuf, source: DetectError },
    #[error("{path}: the mapping does not fit this file: {message}")]
    Mapping { path: PathBuf, message: String },
    #[error("{path}: no stream {id:?}")]
    NoSuchStream { path: PathBuf, id: String },
    #[error(
        "{path}: stream {id:?} changed since it was indexed: event {first} is no longer where it was"
    )]
    StreamChanged {
        path: PathBuf,
        id: String,
        first: usize,
    },
    #[error("{path}: {}", stopped_message(*.why))]
    Stopped { path: PathBuf, why: Stopped },
}

fn stopped_message(why: Stopped) -> String {
    match why {
        Stopped::Timeout(limit) => format!(
            "a query ran longer than {} s and was stopped (a mapping's filter or the file's size may be the \
             cause; raise the limit with --query-timeout SECS, 0 for none)",
            limit.as_secs_f64()
        ),
        Stopped::Cancelled => "the read was cancelled".to_owned(),
    }
}

/// A SQLite error on `path`, or why the guard stopped the query it interrupted.
fn sql_error(path: &Path, guard: &QueryGuard, source: rusqlite::Error) -> StoreError {
    match (source.sqlite_error_code(), guard.stopped()) {
        (Some(rusqlite::ErrorCode::OperationInterrupted), Some(why)) => StoreError::Stopped {
            path: path.to_owned(),
            why,
        },
        _ => StoreError::Sqlite {
            path: path.to_owned(),
            source,
        },
    }
}

/// How the file was opened, for the status bar and the audit trail.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OpenInfo {
    /// `wal` or `rollback`.
    pub journal_mode: &'static str,
    /// Opened with `immutable=1` (a WAL file with no `-wal` beside it).
    pub immutable: bool,
    /// A WAL file with a `-wal` but no `-shm`, read with the WAL index in memory: a snapshot of the file
    /// when it was opened, with nothing created beside it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub wal_index_in_memory: bool,
    /// File size when opened.
    pub size_bytes: u64,
    /// The `-wal`'s size and modification time when opened, if it had one.
    #[serde(skip)]
    pub wal_seen: Option<(u64, std::time::SystemTime)>,
}

/// Where to continue reading a stream: the last event of the previous page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageCursor {
    pub version: Option<i64>,
    pub position: i64,
}

impl PageCursor {
    /// The cursor just after `event`.
    pub fn after(event: &Event) -> Self {
        Self {
            version: event.version,
            position: event.position,
        }
    }
}

/// A snapshot the store keeps: the aggregate's state at a version.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub version: i64,
    /// Its type (snapshot class or topic), `Snapshot` when the layout has none.
    pub snapshot_type: String,
    /// The decoded state (raw bytes and the reason when it does not decode).
    pub state: Payload,
}

/// What to open a store with.
#[derive(Clone, Debug)]
pub struct OpenOptions {
    /// Mappings to use instead of detection (one per event table).
    pub mappings: Option<Vec<Mapping>>,
    /// The key for encrypted payloads.
    pub cipher_key: Option<Vec<u8>>,
    /// The cap on one decoded (inflated, decrypted) payload, in bytes: a payload past it stays raw with the
    /// reason. [`DEFAULT_MAX_PAYLOAD_BYTES`] by default, at most
    /// [`crate::core::codec::MAX_PAYLOAD_BYTES_CEILING`].
    pub max_payload_bytes: usize,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self {
            mappings: None,
            cipher_key: None,
            max_payload_bytes: DEFAULT_MAX_PAYLOAD_BYTES,
        }
    }
}

/// One event table with its mapping and payload decoder.
struct Source {
    mapping: Mapping,
    decoder: Decoder,
    /// The SQL function decoding this source's payloads.
    decode_fn: String,
    /// The roles read from the decoded payload rather than by SQL (see [`payload_path`]).
    in_payload: InPayload,
}

/// For each role [`event_from_row`] reads besides the payload, its path in the decoded payload when it is
/// taken from there rather than selected by SQL.
#[derive(Default)]
struct InPayload {
    /// Read by [`Store::stream`] from the stream's first event that has one, not by every event's.
    stream_type: Option<PayloadPath>,
    version: Option<PayloadPath>,
    event_type: Option<PayloadPath>,
    time: Option<PayloadPath>,
    id: Option<PayloadPath>,
    correlation: Option<PayloadPath>,
    causation: Option<PayloadPath>,
}

impl Source {
    fn new(mapping: Mapping, decoder: Decoder, decode_fn: String) -> Self {
        // Only a payload that SQL must call back into Rust to decode: a plain JSON column is cheaper for
        // SQLite to read than a second decoding would be.
        let in_payload = |role: Option<&layout::Source>| match role {
            Some(layout::Source::Json { column, path })
                if mapping.data.as_deref() == Some(column.as_str())
                    && !mapping.codec.is_plain() =>
            {
                PayloadPath::parse(path)
            }
            _ => None,
        };
        let in_payload = InPayload {
            stream_type: in_payload(mapping.stream_type.as_ref()),
            version: in_payload(mapping.version.as_ref()),
            event_type: in_payload(mapping.event_type.as_ref()),
            time: in_payload(mapping.time.as_ref()),
            id: in_payload(mapping.id.as_ref()),
            correlation: in_payload(mapping.correlation.as_ref()),
            causation: in_payload(mapping.causation.as_ref()),
        };
        Self {
            mapping,
            decoder,
            decode_fn,
            in_payload,
        }
    }

    /// A role's SQL in the select list: NULL when it is read from the decoded payload instead.
    fn role_sql(&self, role: Option<&layout::Source>, in_payload: Option<&PayloadPath>) -> String {
        match in_payload {
            Some(_) => "NULL".to_owned(),
            None => self.sql_opt(role),
        }
    }

    /// The SQL expression for a role; a path inside a payload only Rust decodes is read by
    /// `{decode_fn}_at(payload, path)` (decoded once, no JSON text made for SQLite to parse again) when
    /// [`PayloadPath`] reads that path, else by `json_extract({decode_fn}(payload), path)`.
    fn sql(&self, source: &layout::Source) -> String {
        let m = &self.mapping;
        match source {
            layout::Source::Json { column, path }
                if m.data.as_deref() == Some(column.as_str())
                    && !m.codec.is_plain()
                    && PayloadPath::parse(path).is_some() =>
            {
                format!(
                    "{}_at({}, {})",
                    self.decode_fn,
                    m.column_sql(Some(column)),
                    layout::quote_literal(path)
                )
            }
            other => m.sql(other, &self.decode_fn),
        }
    }

    fn sql_opt(&self, source: Option<&layout::Source>) -> String {
        source.map_or_else(|| "NULL".to_owned(), |s| self.sql(s))
    }

    /// The [`EVENT_COLUMNS`] columns [`event_from_row`] reads, in its order.
    fn event_columns(&self) -> String {
        let (m, p) = (&self.mapping, &self.in_payload);
        format!(
            "{pos}, {ver}, {ty}, {time}, {data}, {meta}, {id}, {corr}, {cause}",
            pos = self.sql(&m.position),
            ver = self.role_sql(m.version.as_ref(), p.version.as_ref()),
            ty = self.role_sql(m.event_type.as_ref(), p.event_type.as_ref()),
            time = self.role_sql(m.time.as_ref(), p.time.as_ref()),
            data = m.column_sql(m.data.as_deref()),
            meta = m.column_sql(m.metadata.as_deref()),
            id = self.role_sql(m.id.as_ref(), p.id.as_ref()),
            corr = self.role_sql(m.correlation.as_ref(), p.correlation.as_ref()),
            cause = self.role_sql(m.causation.as_ref(), p.causation.as_ref()),
        )
    }
}

/// How many columns [`Source::event_columns`] selects.
const EVENT_COLUMNS: usize = 9;

/// An open event store.
pub struct Store {
    conn: Connection,
    /// The deadline and cancel of every query on `conn`.
    guard: std::sync::Arc<QueryGuard>,
    path: PathBuf,
    sources: Vec<Source>,
    info: OpenInfo,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field(
                "tables",
                &self
                    .sources
                    .iter()
                    .map(|s| &s.mapping.table)
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// A role whose value finds events across every stream (see [`Store::events_by_trace`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceRole {
    /// The event's own id.
    Id,
    /// The correlation id.
    Correlation,
    /// The causation id.
    Causation,
}

/// One event table as whole-store scans see it: SQL expressions to use in `SELECT ... FROM {from} WHERE
/// {filter}` (the event table is `e`).
#[derive(Clone, Debug)]
pub(crate) struct ScanPlan {
    pub from: String,
    pub filter: String,
    /// The global position.
    pub position: String,
    /// Whether a range on the position is a seek (rowid or INTEGER PRIMARY KEY) rather than a scan.
    pub position_indexed: bool,
    /// The time expression, when the layout has a time.
    pub time: Option<String>,
    /// The event type, or `NULL`.
    pub event_type: String,
    /// The stream id exactly as `streams` lists it (`es_stream_id(...)`, or the single log's id).
    pub stream_id: String,
}

impl Store {
    /// Open `path` read-only and find its layout (or use `mapping`).
    pub fn open(path: &Path, mapping: Option<Mapping>) -> Result<Self, StoreError> {
        Self::open_with(
            path,
            OpenOptions {
                mappings: mapping.map(|m| vec![m]),
                ..OpenOptions::default()
            },
        )
    }

    /// Open `path` read-only with explicit options.
    pub fn open_with(path: &Path, options: OpenOptions) -> Result<Self, StoreError> {
        let (conn, info, guard) = open_read_only(path)?;
        let sql_err = |source| sql_error(path, &guard, source);
        // The first real read: a corrupt file fails here with SQLite's own words.
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(|source| match source.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotSqlite {
                path: path.to_owned(),
                reason: source.to_string(),
            },
            _ => sql_err(source),
        })?;
        let mappings = match options.mappings {
            Some(mappings) if !mappings.is_empty() => {
                for mapping in &mappings {
                    mapping
                        .validate(&conn)
                        .map_err(|message| StoreError::Mapping {
                            path: path.to_owned(),
                            message,
                        })?;
                }
                mappings
            }
            _ => layout::detect(&conn).map_err(|source| StoreError::Layout {
                path: path.to_owned(),
                source,
            })?,
        };
        register_scan_functions(&conn).map_err(sql_err)?;
        let mut sources = Vec::with_capacity(mappings.len());
        for (index, mapping) in mappings.into_iter().enumerate() {
            let decoder = Decoder::new(mapping.codec.clone(), options.cipher_key.clone())
                .with_max_payload_bytes(options.max_payload_bytes);
            let decode_fn = format!("es_json{index}");
            register_decoder(&conn, &decode_fn, decoder.clone()).map_err(sql_err)?;
            sources.push(Source::new(mapping, decoder, decode_fn));
        }
        Ok(Self {
            conn,
            guard,
            path: path.to_owned(),
            sources,
            info,
        })
    }

    /// The connection, with the deadline of a new query starting now. Every query goes through here.
    fn db(&self) -> &Connection {
        self.guard.arm();
        &self.conn
    }

    /// How long one query may run (`None`: no limit); [`DEFAULT_QUERY_TIMEOUT`] unless set.
    pub fn set_query_timeout(&self, timeout: Option<std::time::Duration>) {
        self.guard.set_timeout(timeout);
    }

    /// A check the job layer answers: once it returns `true`, the query in flight stops with
    /// [`StoreError::Stopped`] and so does every later one until the check is replaced.
    pub fn set_cancel(&self, cancel: Option<CancelCheck>) {
        self.guard.set_cancel(cancel);
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The mapping of the first (usually only) event table.
    pub fn mapping(&self) -> &Mapping {
        // `open_with` never builds a store without sources.
        #[expect(
            clippy::indexing_slicing,
            reason = "a store always has at least one source"
        )]
        &self.sources[0].mapping
    }

    /// Every event table's mapping.
    pub fn mappings(&self) -> Vec<&Mapping> {
        self.sources.iter().map(|s| &s.mapping).collect()
    }

    pub fn info(&self) -> &OpenInfo {
        &self.info
    }

    /// Whether some payloads are encrypted and no key was given.
    pub fn missing_cipher_key(&self) -> bool {
        self.sources.iter().any(|s| s.decoder.missing_key())
    }

    /// The read-only, hardened connection (`query_only`, never used to write): for whole-store scans built
    /// from [`Self::scan_plans`] and the audit's questions about tables that are not events (an outbox).
    pub(crate) fn connection(&self) -> &Connection {
        self.db()
    }

    /// Every event table as whole-store scans see it.
    pub(crate) fn scan_plans(&self) -> Result<Vec<ScanPlan>, StoreError> {
        let tables = layout::tables(self.db()).map_err(|e| self.sql_err(e))?;
        Ok(self
            .sources
            .iter()
            .map(|source| {
                let m = &source.mapping;
                let position_indexed = match &m.position {
                    layout::Source::Rowid => true,
                    layout::Source::Column(name) => tables
                        .iter()
                        .find(|t| t.name == m.table && !t.without_rowid)
                        .is_some_and(|t| {
                            let pks: Vec<_> = t.columns.iter().filter(|c| c.pk > 0).collect();
                            matches!(pks.as_slice(), [only] if only.name == *name
                                && only.decl_type.eq_ignore_ascii_case("INTEGER"))
                        }),
                    _ => false,
                };
                let stream_id = if m.stream.is_empty() {
                    layout::quote_literal(m.single_stream_id())
                } else {
                    let parts: Vec<String> = m.stream.iter().map(|p| source.sql(p)).collect();
                    format!("es_stream_id({})", parts.join(", "))
                };
                ScanPlan {
                    from: m.from_sql(false),
                    filter: m.filter_sql(),
                    position: source.sql(&m.position),
                    position_indexed,
                    time: m.time.as_ref().map(|t| source.sql(t)),
                    event_type: source.sql_opt(m.event_type.as_ref()),
                    stream_id,
                }
            })
            .collect())
    }

    /// Split `plan`'s table into about `chunks` ranges of positions (inclusive bounds) for scans that report
    /// progress; one `None` (the whole table) when a position range would not be a seek.
    pub(crate) fn position_chunks(
        &self,
        plan: &ScanPlan,
        chunks: u64,
    ) -> Result<Vec<Option<(i64, i64)>>, StoreError> {
        if !plan.position_indexed {
            return Ok(vec![None]);
        }
        let end = |order: &str| {
            let sql = format!(
                "SELECT {pos} FROM {from} WHERE {filter} ORDER BY {pos} {order} LIMIT 1",
                pos = plan.position,
                from = plan.from,
                filter = plan.filter,
            );
            self.db()
                .query_row(&sql, [], |r| r.get::<_, Option<i64>>(0))
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    other => Err(self.sql_err(other)),
                })
        };
        let (Some(first), Some(last)) = (end("ASC")?, end("DESC")?) else {
            return Ok(Vec::new());
        };
        let span = u64::try_from(i128::from(last) - i128::from(first) + 1).unwrap_or(u64::MAX);
        let step = i64::try_from(span.div_ceil(chunks.max(1))).unwrap_or(i64::MAX);
        let mut out = Vec::new();
        let mut low = first;
        loop {
            let high = low.saturating_add(step - 1).min(last);
            out.push(Some((low, high)));
            if high >= last {
                break;
            }
            low = high + 1;
        }
        Ok(out)
    }

    /// Every event, in every stream and event table, whose `role` is `value` (a UUID in any stored form),
    /// in position order within each table; empty when no mapping has the role. `progress` is called between
    /// position ranges; returning `false` cancels (then the answer is `Ok(None)`).
    pub fn events_by_trace(
        &self,
        role: TraceRole,
        value: &str,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<Option<Vec<Event>>, StoreError> {
        let plans = self.scan_plans()?;
        let mut work = Vec::new();
        for (source, plan) in self.sources.iter().zip(&plans) {
            let m = &source.mapping;
            let role_source = match role {
                TraceRole::Id => m.id.as_ref(),
                TraceRole::Correlation => m.correlation.as_ref(),
                TraceRole::Causation => m.causation.as_ref(),
            };
            if let Some(role_source) = role_source {
                work.push((
                    source,
                    plan,
                    source.sql(role_source),
                    self.position_chunks(plan, 32)?,
                ));
            }
        }
        let total = work.iter().map(|(.., chunks)| chunks.len() as u64).sum();
        let (marks, candidates) = candidate_marks(&stream_key_candidates(value));
        let mut done = 0;
        let mut out = Vec::new();
        for (source, plan, role_sql, chunks) in work {
            let m = &source.mapping;
            let parts = m.stream.len().max(1);
            let stream = if m.stream.is_empty() {
                layout::quote_literal(m.single_stream_id())
            } else {
                m.stream
                    .iter()
                    .map(|p| source.sql(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            for chunk in chunks {
                let range = chunk.map_or_else(
                    || "1".to_owned(),
                    |(low, high)| format!("{} BETWEEN {low} AND {high}", plan.position),
                );
                let sql = format!(
                    "SELECT {columns}, {stream} FROM {from} WHERE {filter} AND {range} AND {role_sql} IN ({marks}) \
                     ORDER BY {pos}",
                    columns = source.event_columns(),
                    from = plan.from,
                    filter = plan.filter,
                    pos = plan.position,
                );
                let mut stmt = self.db().prepare(&sql).map_err(|e| self.sql_err(e))?;
                let rows = stmt
                    .query_map(rusqlite::params_from_iter(&candidates), |r| {
                        let mut ids = Vec::with_capacity(parts);
                        for i in 0..parts {
                            ids.push(format_stream_id(r.get_ref(EVENT_COLUMNS + i)?));
                        }
                        event_from_row(source, r, composite_id(&ids), true)
                    })
                    .map_err(|e| self.sql_err(e))?;
                for event in rows {
                    out.push(event.map_err(|e| self.sql_err(e))?);
                }
                done += 1;
                if !progress(Progress {
                    what: "finding events",
                    done,
                    total,
                }) {
                    return Ok(None);
                }
            }
        }
        Ok(Some(out))
    }

    /// The SQL error of this store's file.
    /// A row of a long read was taken: the query's deadline restarts (see [`DEFAULT_QUERY_TIMEOUT`]).
    pub(crate) fn row_read(&self) {
        self.guard.row_read();
    }

    pub(crate) fn sql_err(&self, source: rusqlite::Error) -> StoreError {
        sql_error(&self.path, &self.guard, source)
    }

    /// Up to `limit` events of stream `id` after `after` (from the start when `None`), in stream order: by
    /// version then position when the layout has versions, else by position.
    pub fn events_page(
        &self,
        id: &str,
        after: Option<PageCursor>,
        limit: usize,
    ) -> Result<Vec<Event>, StoreError> {
        self.events_page_keeping(id, after, limit, true)
    }

    /// [`Self::events_page`], with each event's payload as stored (`Event::stored`) only when `keep_stored`.
    pub fn events_page_keeping(
        &self,
        id: &str,
        after: Option<PageCursor>,
        limit: usize,
        keep_stored: bool,
    ) -> Result<Vec<Event>, StoreError> {
        for source in &self.sources {
            let Some((cond, params)) = self.present_stream_condition(source, id)? else {
                continue;
            };
            let page = self.page_from(source, id, cond, params, (after, limit), keep_stored)?;
            if !page.is_empty() || self.sources.len() == 1 {
                return Ok(page);
            }
        }
        Ok(Vec::new())
    }

    fn page_from(
        &self,
        source: &Source,
        id: &str,
        cond: String,
        mut params: Vec<SqlValue>,
        (after, limit): (Option<PageCursor>, usize),
        keep_stored: bool,
    ) -> Result<Vec<Event>, StoreError> {
        let m = &source.mapping;
        let pos = source.sql(&m.position);
        let (order, keyset) = match (&m.version, after) {
            (None, None) => (pos.clone(), "1".to_owned()),
            (None, Some(c)) => {
                params.push(SqlValue::Integer(c.position));
                (pos.clone(), format!("{pos} > ?"))
            }
            (Some(v), cursor) => {
                let v = source.sql(v);
                let keyset = match cursor {
                    None => "1".to_owned(),
                    // NULL versions sort first; after one, the rest of the NULLs and then every versioned row.
                    Some(PageCursor {
                        version: None,
                        position,
                    }) => {
                        params.push(SqlValue::Integer(position));
                        format!("(({v}) IS NULL AND {pos} > ?) OR ({v}) IS NOT NULL")
                    }
                    Some(PageCursor {
                        version: Some(version),
                        position,
                    }) => {
                        params.extend([
                            SqlValue::Integer(version),
                            SqlValue::Integer(version),
                            SqlValue::Integer(position),
                        ]);
                        // `v >= ?` first lets SQLite seek the (stream, version) index straight to the page
                        // instead of rescanning the stream from its start.
                        format!("({v}) >= ? AND (({v}) > ? OR {pos} > ?)")
                    }
                };
                (format!("{v}, {pos}"), keyset)
            }
        };
        params.push(SqlValue::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        let sql = format!(
            "SELECT {columns} FROM {from} \
             WHERE ({cond}) AND {filter} AND ({keyset}) ORDER BY {order} LIMIT ?",
            columns = source.event_columns(),
            from = m.from_sql(false),
            filter = m.filter_sql(),
        );
        let mut stmt = self.db().prepare(&sql).map_err(|e| self.sql_err(e))?;
        let canonical = canonical_id(id, m.stream.len());
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                event_from_row(source, r, canonical.clone(), keep_stored)
            })
            .map_err(|e| self.sql_err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.sql_err(e))
    }

    /// Every event of a stream, read page by page; `progress(read, total)` returns false to stop early
    /// (then the events read so far are returned).
    pub fn events_with_progress(
        &self,
        id: &str,
        progress: &mut dyn FnMut(usize, u64) -> bool,
    ) -> Result<Vec<Event>, StoreError> {
        let total = self.stream(id)?.events;
        let mut out: Vec<Event> =
            Vec::with_capacity(usize::try_from(total).unwrap_or(0).min(10_000_000));
        let mut cursor = None;
        loop {
            let page = self.events_page(id, cursor, PAGE_SIZE)?;
            let Some(last) = page.last() else { break };
            cursor = Some(PageCursor::after(last));
            let full = page.len() == PAGE_SIZE;
            out.extend(page);
            if !progress(out.len(), total) || !full {
                break;
            }
        }
        Ok(out)
    }

    /// Every event of a stream.
    pub fn events(&self, id: &str) -> Result<Vec<Event>, StoreError> {
        self.events_with_progress(id, &mut |_, _| true)
    }

    /// The snapshots the store keeps for stream `id`, by version (empty when the layout has none).
    pub fn snapshots(&self, id: &str) -> Result<Vec<Snapshot>, StoreError> {
        let mut out = Vec::new();
        for events_source in &self.sources {
            let Some(snapshots) = &events_source.mapping.snapshots else {
                continue;
            };
            let mapping = snapshots.as_mapping();
            let decoder = Decoder::new(
                mapping.codec.clone(),
                events_source.decoder.key().map(<[u8]>::to_vec),
            )
            .with_max_payload_bytes(events_source.decoder.max_payload_bytes());
            let source = Source::new(mapping, decoder, events_source.decode_fn.clone());
            let Some((cond, params)) = stream_condition(&source, id) else {
                continue;
            };
            let m = &source.mapping;
            let sql = format!(
                "SELECT {ver}, {ty}, {state} FROM {from} WHERE {cond} ORDER BY 1",
                ver = source.sql_opt(m.version.as_ref()),
                ty = source.sql_opt(m.event_type.as_ref()),
                state = m.column_sql(m.data.as_deref()),
                from = m.from_sql(false),
            );
            let mut stmt = self.db().prepare(&sql).map_err(|e| self.sql_err(e))?;
            let rows = stmt
                .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                    let decoded = source.decoder.decode(r.get_ref(2)?).data;
                    let state = match (decoded, &snapshots.state_pointer) {
                        (Payload::Json(value), Some(pointer)) => match value.pointer(pointer) {
                            Some(inner) => Payload::Json(inner.clone()),
                            None => Payload::Json(value),
                        },
                        (other, _) => other,
                    };
                    Ok(Snapshot {
                        version: r.get(0)?,
                        snapshot_type: sql_text(r.get_ref(1)?)
                            .unwrap_or_else(|| "Snapshot".to_owned()),
                        state,
                    })
                })
                .map_err(|e| self.sql_err(e))?;
            out.extend(
                rows.collect::<rusqlite::Result<Vec<_>>>()
                    .map_err(|e| self.sql_err(e))?,
            );
        }
        Ok(out)
    }

    /// Every distinct event type in the store, sorted.
    pub fn event_types(&self) -> Result<Vec<String>, StoreError> {
        let mut out = std::collections::BTreeSet::new();
        for source in &self.sources {
            let m = &source.mapping;
            let Some(ty) = &m.event_type else { continue };
            let sql = format!(
                "SELECT DISTINCT {} FROM {} WHERE {}",
                source.sql(ty),
                m.from_sql(false),
                m.filter_sql()
            );
            let mut stmt = self.db().prepare(&sql).map_err(|e| self.sql_err(e))?;
            let mut rows = stmt.query([]).map_err(|e| self.sql_err(e))?;
            while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
                self.row_read();
                if let Some(text) = row.get_ref(0).ok().and_then(sql_text) {
                    out.insert(text);
                }
            }
        }
        Ok(out.into_iter().collect())
    }

    /// The first `limit` events of the first event table in position order, whatever their stream (the
    /// mapping editor's live preview).
    pub fn first_events(&self, limit: usize) -> Result<Vec<Event>, StoreError> {
        let Some(source) = self.sources.first() else {
            return Ok(Vec::new());
        };
        self.rows_after(source, None, limit)
    }

    /// The newest position of each event table: where a `tail` starts.
    pub fn last_positions(&self) -> Result<Vec<i64>, StoreError> {
        self.sources
            .iter()
            .map(|source| {
                let m = &source.mapping;
                let sql = format!(
                    "SELECT max({}) FROM {} WHERE {}",
                    source.sql(&m.position),
                    m.from_sql(false),
                    m.filter_sql()
                );
                self.db()
                    .query_row(&sql, [], |r| r.get::<_, Option<i64>>(0))
                    .map(|max| max.unwrap_or(0))
                    .map_err(|e| self.sql_err(e))
            })
            .collect()
    }

    /// Events committed after `positions` (one per event table, as [`Self::last_positions`] gives), oldest
    /// first in each table, at most `limit` per table; `positions` moves to the newest one read.
    pub fn events_after(
        &self,
        positions: &mut [i64],
        limit: usize,
    ) -> Result<Vec<Event>, StoreError> {
        let mut out = Vec::new();
        for (source, position) in self.sources.iter().zip(positions.iter_mut()) {
            let events = self.rows_after(source, Some(*position), limit)?;
            if let Some(last) = events.last() {
                *position = last.position;
            }
            out.extend(events);
        }
        Ok(out)
    }

    /// SQLite's `data_version`: changes whenever another connection commits to the file.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        self.db()
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(|e| self.sql_err(e))
    }

    /// Whether this connection cannot see new commits and must be opened again: it was opened `immutable`
    /// (a WAL file nobody was writing) and a writer has since started (its `-wal` now exists), or it keeps
    /// the WAL index in memory and the `-wal` has changed or a `-shm` has appeared.
    pub fn must_reopen_to_follow(&self) -> bool {
        let real = std::fs::canonicalize(&self.path).unwrap_or_else(|_| self.path.clone());
        if self.info.immutable {
            return sidecar(&real, "-wal").exists();
        }
        self.info.wal_index_in_memory
            && (sidecar(&real, "-shm").exists() || open::wal_signature(&real) != self.info.wal_seen)
    }

    /// The options this store was opened with, with the mappings in force (to open it again the same way).
    pub fn reopen_options(&self) -> OpenOptions {
        OpenOptions {
            mappings: Some(self.sources.iter().map(|s| s.mapping.clone()).collect()),
            cipher_key: self
                .sources
                .first()
                .and_then(|s| s.decoder.key().map(<[u8]>::to_vec)),
            max_payload_bytes: self
                .sources
                .first()
                .map_or(DEFAULT_MAX_PAYLOAD_BYTES, |s| s.decoder.max_payload_bytes()),
        }
    }

    /// Events of `source` in position order, after `after` when given.
    fn rows_after(
        &self,
        source: &Source,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Vec<Event>, StoreError> {
        let m = &source.mapping;
        let stream = if m.stream.is_empty() {
            crate::core::layout::quote_literal(m.single_stream_id())
        } else {
            m.stream
                .iter()
                .map(|p| source.sql(p))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let parts = m.stream.len().max(1);
        let pos = source.sql(&m.position);
        let sql = format!(
            "SELECT {columns}, {stream} FROM {from} WHERE {filter} AND {pos} > ?1 \
             ORDER BY {pos} LIMIT ?2",
            columns = source.event_columns(),
            from = m.from_sql(false),
            filter = m.filter_sql(),
        );
        let mut stmt = self.db().prepare(&sql).map_err(|e| self.sql_err(e))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map([after.unwrap_or(i64::MIN), limit], |r| {
                let mut ids = Vec::with_capacity(parts);
                for i in 0..parts {
                    ids.push(format_stream_id(r.get_ref(EVENT_COLUMNS + i)?));
                }
                event_from_row(source, r, composite_id(&ids), true)
            })
            .map_err(|e| self.sql_err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.sql_err(e))
    }
}

/// The user tables of a file (for choosing a table in the mapping editor), opened read-only like a store.
pub fn inspect_tables(path: &Path) -> Result<Vec<layout::TableInfo>, StoreError> {
    let (conn, _, _guard) = open_read_only(path)?;
    layout::tables(&conn).map_err(|source| match source.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotSqlite {
            path: path.to_owned(),
            reason: source.to_string(),
        },
        _ => StoreError::Sqlite {
            path: path.to_owned(),
            source,
        },
    })
}

/// An event from a row whose first [`EVENT_COLUMNS`] columns are [`Source::event_columns`].
fn event_from_row(
    source: &Source,
    r: &rusqlite::Row<'_>,
    stream: String,
    keep_stored: bool,
) -> rusqlite::Result<Event> {
    let decoded = source.decoder.decode_keeping(r.get_ref(4)?, keep_stored);
    // A role read from the decoded payload, or else the column SQL selected for it.
    let p = &source.in_payload;
    let found = |path: Option<&PayloadPath>| {
        path.map(|path| match &decoded.data {
            Payload::Json(value) => path.extract(value),
            Payload::Raw { .. } => SqlValue::Null,
        })
    };
    let (version, event_type, time, id, correlation, causation) = (
        found(p.version.as_ref()),
        found(p.event_type.as_ref()),
        found(p.time.as_ref()),
        found(p.id.as_ref()),
        found(p.correlation.as_ref()),
        found(p.causation.as_ref()),
    );
    fn role<'a>(
        value: &'a Option<SqlValue>,
        r: &'a rusqlite::Row<'_>,
        column: usize,
    ) -> rusqlite::Result<ValueRef<'a>> {
        match value {
            Some(value) => Ok(ValueRef::from(value)),
            None => r.get_ref(column),
        }
    }
    let (time, stored_time) = read_time_sql(role(&time, r, 3)?).into_parts();
    Ok(Event {
        stream,
        position: r.get(0)?,
        version: match role(&version, r, 1)? {
            ValueRef::Integer(n) => Some(n),
            other => sql_text(other).and_then(|t| t.trim().parse().ok()),
        },
        event_type: sql_text(role(&event_type, r, 2)?).unwrap_or_default(),
        time,
        stored_time,
        metadata: source
            .mapping
            .metadata
            .as_ref()
            .map(|_| r.get_ref(5).map(|v| source.decoder.decode_plain(v)))
            .transpose()?,
        id: trace_id(role(&id, r, 6)?),
        correlation: trace_id(role(&correlation, r, 7)?),
        causation: trace_id(role(&causation, r, 8)?),
        data: decoded.data,
        stored: decoded.stored,
    })
}

/// An id read for the id, correlation or causation role: UUIDs in any stored form shown dashed lowercase (so
/// an Event Sourcery event's 32-hex `uuid` equals the dashed causation id pointing at it); `None` when NULL
/// or empty.
pub fn trace_id(value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Null => None,
        other => Some(format_stream_id(other)).filter(|id| !id.is_empty()),
    }
}

/// The SQL condition selecting stream `id` in `source`, with its parameters; `None` when the id cannot be
/// one of this source's streams.
fn stream_condition(source: &Source, id: &str) -> Option<(String, Vec<SqlValue>)> {
    let m = &source.mapping;
    if m.stream.is_empty() {
        return (id == m.single_stream_id()).then(|| ("1".to_owned(), Vec::new()));
    }
    let pieces = split_composite(id, m.stream.len())?;
    let mut conds = Vec::with_capacity(pieces.len());
    let mut params = Vec::new();
    for (part, piece) in m.stream.iter().zip(pieces) {
        let (marks, candidates) = candidate_marks(&stream_key_candidates(piece));
        conds.push(format!("{} IN ({marks})", source.sql(part)));
        params.extend(candidates);
    }
    Some((conds.join(" AND "), params))
}

/// The readable id of a composite key: its parts joined by `/`, leading empty parts left out (an Event
/// Sourcery stream in the default tenant and no category is just its uuid).
fn composite_id(parts: &[String]) -> String {
    let first = parts
        .iter()
        .position(|p| !p.is_empty())
        .unwrap_or(parts.len().saturating_sub(1));
    parts.get(first..).unwrap_or_default().join("/")
}

/// The parts of a composite id, padded at the front with the empty parts [`composite_id`] left out.
fn split_composite(id: &str, parts: usize) -> Option<Vec<&str>> {
    if parts <= 1 {
        return Some(vec![id]);
    }
    let mut pieces: Vec<&str> = id.rsplitn(parts, '/').collect();
    pieces.reverse();
    if pieces.iter().any(|p| p.is_empty()) && pieces.len() < parts {
        return None;
    }
    let mut out = vec![""; parts - pieces.len()];
    out.extend(pieces);
    Some(out)
}

/// Register `name(x)` returning the JSON text of payload `x` as `decoder` decodes it (NULL if it does not),
/// and `name_at(x, path)`, what `json_extract(name(x), path)` gives for a path [`PayloadPath`] reads.
fn register_decoder(conn: &Connection, name: &str, decoder: Decoder) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags = FunctionFlags::SQLITE_UTF8
        | FunctionFlags::SQLITE_DETERMINISTIC
        | FunctionFlags::SQLITE_DIRECTONLY;
    let at = decoder.clone();
    conn.create_scalar_function(name, 1, flags, move |ctx| {
        Ok(decoder.json_text(ctx.get_raw(0)))
    })?;
    conn.create_scalar_function(format!("{name}_at").as_str(), 2, flags, move |ctx| {
        let path = ctx.get_or_create_aux(1, |path| {
            path.as_str()
                .ok()
                .and_then(PayloadPath::parse)
                .ok_or("not a JSON path this function reads")
        })?;
        Ok(match at.decode_keeping(ctx.get_raw(0), false).data {
            Payload::Json(value) => path.extract(&value),
            Payload::Raw { .. } => SqlValue::Null,
        })
    })
}

/// Register the functions whole-store scans group by: `es_micros(t)` is a stored time as Unix microseconds,
/// parsed exactly as events' times are (NULL when it does not parse); `es_stream_id(part, ...)` is the id
/// `streams` lists for a stream with these key parts.
fn register_scan_functions(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags = FunctionFlags::SQLITE_UTF8
        | FunctionFlags::SQLITE_DETERMINISTIC
        | FunctionFlags::SQLITE_DIRECTONLY;
    conn.create_scalar_function("es_micros", 1, flags, |ctx| {
        Ok(parse_time_sql(ctx.get_raw(0)).map(|t| t.timestamp_micros()))
    })?;
    conn.create_scalar_function("es_may_hold", 2, flags, |ctx| {
        Ok(may_hold_key(ctx.get_raw(0), ctx.get_raw(1)))
    })?;
    conn.create_scalar_function("es_stream_id", -1, flags, |ctx| {
        let parts: Vec<String> = (0..ctx.len())
            .map(|i| format_stream_id(ctx.get_raw(i)))
            .collect();
        Ok(composite_id(&parts))
    })
}

/// `es_may_hold(payload, key)`: false only when the stored payload is a JSON object as UTF-8 text (starting
/// with `{`) in which `key` (letters, digits, `_`) cannot be a name: its text holds neither the key nor a
/// `\u` escape. NULL payloads and everything else may hold it.
fn may_hold_key(payload: ValueRef<'_>, key: ValueRef<'_>) -> bool {
    let (ValueRef::Text(bytes) | ValueRef::Blob(bytes), ValueRef::Text(key)) = (payload, key)
    else {
        return true;
    };
    let (Ok(text), Ok(key)) = (std::str::from_utf8(bytes), std::str::from_utf8(key)) else {
        return true;
    };
    !text.starts_with('{') || text.contains(key) || text.contains("\\u")
}

/// Text of a value, numbers written out; `None` for NULL.
pub(crate) fn sql_text(value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Null => None,
        ValueRef::Integer(n) => Some(n.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Some(crate::core::decode::hex(b)),
    }
}

/// The id `streams` lists for a stream the user may have typed another way (a UUID in upper case or without
/// dashes), part by part for composite ids of `parts` parts.
fn canonical_id(id: &str, parts: usize) -> String {
    let canonical = |piece: &str| {
        crate::core::decode::parse_uuid(piece).map_or_else(
            || piece.to_owned(),
            |u| crate::core::decode::format_uuid(&u),
        )
    };
    if parts <= 1 {
        return canonical(id);
    }
    id.splitn(parts, '/')
        .map(canonical)
        .collect::<Vec<_>>()
        .join("/")
}

/// The category of a stream named by convention `category-rest` (not a UUID).
pub fn category_of(id: &str) -> Option<String> {
    if crate::core::decode::parse_uuid(id).is_some() {
        return None;
    }
    let (prefix, rest) = id.split_once('-')?;
    (!prefix.is_empty()
        && !rest.is_empty()
        && prefix.chars().all(|c| c.is_alphabetic() || c == '_'))
    .then(|| prefix.to_owned())
}

/// Stream ids in a human order: numbers numerically, then text.
pub fn compare_ids(a: &str, b: &str) -> Ordering {
    match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with(sql: &str) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s p?#%.sqlite");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(sql).unwrap();
        drop(conn);
        let store = Store::open(&path, None).unwrap();
        (dir, store)
    }

    #[test]
    fn pages_continue_exactly_where_the_previous_one_ended() {
        let mut sql = String::from(
            "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT);",
        );
        for i in 1..=25 {
            sql.push_str(&format!(
                "INSERT INTO events(stream_id, version, type, data) VALUES ('a', {i}, 'T', '{{}}');"
            ));
            sql.push_str(&format!(
                "INSERT INTO events(stream_id, version, type, data) VALUES ('b', {i}, 'T', '{{}}');"
            ));
        }
        let (_dir, store) = store_with(&sql);
        let mut versions = Vec::new();
        let mut cursor = None;
        loop {
            let page = store.events_page("a", cursor, 7).unwrap();
            let Some(last) = page.last() else { break };
            cursor = Some(PageCursor::after(last));
            versions.extend(page.iter().filter_map(|e| e.version));
        }
        assert_eq!(versions, (1..=25).collect::<Vec<_>>());
    }

    #[test]
    fn uuid_streams_stored_in_mixed_forms_are_one_stream() {
        let (_dir, store) = store_with(
            "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id, version INTEGER, type TEXT, data TEXT);
             INSERT INTO events(stream_id, version, type, data) VALUES
               ('0F8FAD5B-D9CB-469F-A165-70867728950E', 1, 'A', '{}'),
               ('0f8fad5bd9cb469fa16570867728950e', 2, 'B', '{}'),
               (x'0f8fad5bd9cb469fa16570867728950e', 3, 'C', '{}');",
        );
        let streams = store.streams().unwrap();
        assert_eq!(streams.len(), 1);
        assert_eq!(streams[0].id, "0f8fad5b-d9cb-469f-a165-70867728950e");
        assert_eq!(streams[0].events, 3);
        let types: Vec<String> = store
            .events(&streams[0].id)
            .unwrap()
            .into_iter()
            .map(|e| e.event_type)
            .collect();
        assert_eq!(types, ["A", "B", "C"]);
    }

    #[test]
    fn null_versions_sort_first_and_paging_still_reaches_every_event() {
        let (_dir, store) = store_with(
            "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT);
             INSERT INTO events(stream_id, version, type, data) VALUES
               ('s', NULL, 'A', '{}'), ('s', NULL, 'B', '{}'), ('s', 1, 'C', '{}'), ('s', 2, 'D', '{}');",
        );
        let mut types = Vec::new();
        let mut cursor = None;
        loop {
            let page = store.events_page("s", cursor, 1).unwrap();
            let Some(last) = page.last() else { break };
            cursor = Some(PageCursor::after(last));
            types.extend(page.into_iter().map(|e| e.event_type));
        }
        assert_eq!(types, ["A", "B", "C", "D"]);
    }

    #[test]
    fn files_that_are_not_sqlite_are_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.db");
        std::fs::write(&empty, b"").unwrap();
        let text = dir.path().join("notes.txt");
        std::fs::write(
            &text,
            "hello, this is not a database at all, but it is long enough to have a header. "
                .repeat(3),
        )
        .unwrap();
        let err = Store::open(&empty, None).unwrap_err().to_string();
        assert!(err.contains("empty") && err.contains("empty.db"), "{err}");
        let err = Store::open(&text, None).unwrap_err().to_string();
        assert!(
            err.contains("not a SQLite database") && err.contains("notes.txt"),
            "{err}"
        );
        let err = Store::open(&dir.path().join("missing.db"), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing.db"), "{err}");
    }

    #[test]
    fn only_a_json_object_whose_text_lacks_the_key_and_any_escape_cannot_hold_it() {
        let text = |s: &'static str| ValueRef::Text(s.as_bytes());
        let key = text("originator_topic");
        assert!(!may_hold_key(text(r#"{"a": 1, "topic": "x"}"#), key));
        assert!(may_hold_key(text(r#"{"originator_topic": "x"}"#), key));
        assert!(may_hold_key(text(r#"{"originator\u005ftopic": "x"}"#), key));
        assert!(may_hold_key(ValueRef::Blob(b"x\x9c compressed"), key));
        assert!(may_hold_key(text(r#" {"a": 1}"#), key));
        assert!(may_hold_key(ValueRef::Null, key));
        assert!(!may_hold_key(ValueRef::Blob(br#"{"a": 1}"#), key));
    }

    #[test]
    fn category_comes_from_the_stream_name_convention() {
        assert_eq!(category_of("order-17").as_deref(), Some("order"));
        assert_eq!(category_of("0f8fad5b-d9cb-469f-a165-70867728950e"), None);
        assert_eq!(category_of("17"), None);
    }
}
