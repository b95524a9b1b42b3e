//! Opening a user's SQLite file without ever changing it, and reading streams and events through a
//! [`Mapping`].
//!
//! Read-only is a promise to auditors: the file is opened with `SQLITE_OPEN_READONLY`, `query_only`, and the
//! connection is hardened as SQLite advises for untrusted files (defensive mode, untrusted schema, no mmap,
//! no attached databases, tight limits). A WAL-mode file with no `-wal` beside it is opened `immutable` so
//! SQLite creates no `-wal`/`-shm` files next to it. Nothing here loads a whole table: streams come from one
//! grouped query and events from keyset pages.

mod follow;
mod functions;
mod guard;
mod ids;
mod integrity;
mod key;
mod listing;
mod mappings;
use mappings::mappings_for;
mod open;
mod pages;
mod payload_path;
mod payloads;
pub mod pg;
mod read;
mod scan;
mod source;
mod split;
mod stream_type;
mod streams;
mod summary;
mod trace;

use functions::{register_decoder, register_scan_functions};
use ids::{canonical_id, composite_id, split_composite, stream_condition};
pub use ids::{category_of, compare_ids};
pub use source::trace_id;
use source::{EVENT_COLUMNS, Source, event_from_row, version_of};
pub use trace::TraceRole;

use guard::QueryGuard;
pub use guard::{CancelCheck, DEFAULT_QUERY_TIMEOUT, Stopped};
pub use integrity::{Integrity, check_integrity};
pub use listing::StreamPage;
use open::{open_read_only, sidecar};
use payload_path::PayloadPath;
pub use payloads::{PayloadReader, StoredPayload};
pub use read::StreamEvents;
pub(crate) use scan::ScanPlan;
pub use scan::{OrphanRows, ScanFilter, ScanOrder};
pub use split::{StreamHalf, StreamSplit};
use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, OpenFlags, OptionalExtension as _};

use crate::core::decode::cell::Cell;
use crate::core::decode::codec::{DEFAULT_MAX_PAYLOAD_BYTES, Decoder};
use crate::core::decode::times::read_time_sql;
use crate::core::decode::{
    candidate_marks, format_stream_id, parse_time_sql, stream_key_candidates,
};
use crate::core::layout::{self, DetectError, Mapping};
use crate::core::model::{Event, Payload, Progress, StreamSummary};

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
    /// A question this version answers for SQLite files only, asked of a PostgreSQL store (`shown`: its
    /// URL without the password).
    #[error(
        "{shown}: this reads SQLite files only (a file's own integrity check, the mapping editor's list of \
         tables); every subcommand and window reads PostgreSQL stores otherwise"
    )]
    NotOnPostgresYet { shown: String },
    #[error(transparent)]
    Postgres(#[from] pg::PgError),
    /// A schema (`--schema`, a codec's `schema`) missing, unreadable or not for the payloads' format.
    #[error("{path}: {source}")]
    Schema {
        path: PathBuf,
        source: crate::core::decode::codec::SchemaError,
    },
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
    /// A PostgreSQL store's server, database and role (`journal_mode` is then `postgresql`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<pg::RoleFacts>,
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
    /// [`crate::core::decode::codec::MAX_PAYLOAD_BYTES_CEILING`].
    pub max_payload_bytes: usize,
    /// The PostgreSQL server to read, password included, when the store is one: the store's path is then
    /// only its URL as shown (no password), and every connection opened again for it (the GUI's jobs)
    /// connects here. Set by [`Store::open_with`] from a `postgres://` URL; kept by
    /// [`Store::reopen_options`].
    pub server: Option<std::sync::Arc<pg::PgTarget>>,
    /// A schema the payloads are read with (`--schema`), replacing any a mapping names: see
    /// [`crate::core::decode::codec::Codec::load_schema`].
    pub schema: Option<PathBuf>,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self {
            mappings: None,
            cipher_key: None,
            max_payload_bytes: DEFAULT_MAX_PAYLOAD_BYTES,
            server: None,
            schema: None,
        }
    }
}

impl OpenOptions {
    /// These options for the store at `path`: a `postgres://` URL is read into [`Self::server`] (its
    /// password, `PG*` variables and `~/.pgpass` as libpq reads them) and the path becomes the URL as shown,
    /// without the password; a file's path is kept as it is.
    pub fn for_store(mut self, path: &Path) -> Result<(PathBuf, Self), StoreError> {
        match path.to_str().filter(|text| pg::is_postgres_url(text)) {
            Some(url) if self.server.is_none() => {
                let target =
                    pg::PgTarget::parse(url, &pg::ProcessEnv).map_err(pg::PgError::from)?;
                let shown = PathBuf::from(target.shown());
                self.server = Some(std::sync::Arc::new(target));
                Ok((shown, self))
            }
            _ => Ok((path.to_owned(), self)),
        }
    }
}

/// The database a store reads.
enum Db {
    Sqlite(Connection),
    Postgres(Box<pg::store::PgDb>),
}

/// An open event store.
pub struct Store {
    db: Db,
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
        let (_, options) = options.for_store(path)?;
        if let Some(target) = options.server.clone() {
            return Self::open_postgres(&target, options);
        }
        let (mut conn, info, guard) = open_read_only(path)?;
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
        let mappings = mappings_for(
            options.mappings,
            options.schema.as_deref(),
            &mut conn,
            path,
            |conn| layout::detect(conn),
        )?;
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
            db: Db::Sqlite(conn),
            guard,
            path: path.to_owned(),
            sources,
            info,
        })
    }

    /// The connection, with the deadline of a new query starting now. Every query goes through here.
    fn db(&self) -> Result<&Connection, StoreError> {
        match &self.db {
            Db::Sqlite(conn) => {
                self.guard.arm();
                Ok(conn)
            }
            Db::Postgres(_) => Err(self.not_on_postgres_yet()),
        }
    }

    /// What a question this version answers for SQLite files only says on a PostgreSQL store.
    fn not_on_postgres_yet(&self) -> StoreError {
        StoreError::NotOnPostgresYet {
            shown: self.path.display().to_string(),
        }
    }

    /// The PostgreSQL side of a store opened from a `postgres://` URL.
    fn pg(&self) -> Option<&pg::store::PgDb> {
        match &self.db {
            Db::Postgres(pg) => Some(pg),
            Db::Sqlite(_) => None,
        }
    }

    /// The index of `source` among the store's sources.
    fn source_index(&self, source: &Source) -> usize {
        self.sources
            .iter()
            .position(|s| std::ptr::eq(s, source))
            .unwrap_or_default()
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

    /// Whether event table `index`'s positions are the order its events were written in: not where the layout
    /// keeps no position and a PostgreSQL table's `rowid` stands in (the row's ctid: unique, but a place in
    /// the table, not a count, which a rewrite of the table renumbers). Verify then looks for no position
    /// gaps, and the newest event written is not known.
    pub fn positions_are_write_order(&self, index: usize) -> bool {
        self.pg().is_none()
            || self
                .sources
                .get(index)
                .is_none_or(|s| s.mapping.position != layout::Source::Rowid)
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
    pub(crate) fn connection(&self) -> Result<&Connection, StoreError> {
        self.db()
    }

    /// The SQL error of this store's file.
    /// A row of a long read was taken: the query's deadline restarts (see [`DEFAULT_QUERY_TIMEOUT`]).
    pub(crate) fn row_read(&self) {
        self.guard.row_read();
    }

    pub(crate) fn sql_err(&self, source: rusqlite::Error) -> StoreError {
        sql_error(&self.path, &self.guard, source)
    }

    /// The snapshots the store keeps for stream `id`, by version (empty when the layout has none).
    pub fn snapshots(&self, id: &str) -> Result<Vec<Snapshot>, StoreError> {
        if let Some(pg) = self.pg() {
            let mut out = Vec::new();
            for index in 0..self.sources.len() {
                out.extend(pg.snapshots(index, id)?);
            }
            return Ok(out);
        }
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
            let mut stmt = self.db()?.prepare(&sql).map_err(|e| self.sql_err(e))?;
            let rows = stmt
                .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                    let decoded = source.decoder.decode(r.get_ref(2)?.into()).data;
                    let state = match (decoded, &snapshots.state_pointer) {
                        (Payload::Json(value), Some(pointer)) => match value.pointer(pointer) {
                            Some(inner) => Payload::Json(inner.clone()),
                            None => Payload::Json(value),
                        },
                        (other, _) => other,
                    };
                    Ok(Snapshot {
                        version: r.get(0)?,
                        snapshot_type: sql_text(r.get_ref(1)?.into())
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
        self.each_event_type(|text| {
            out.insert(text.to_owned());
            true
        })?;
        Ok(out.into_iter().collect())
    }

    /// Each distinct event type as the scan first meets it (in no particular order; a type in two event
    /// tables comes twice), until `wanted` returns false: a question answered by the first few types never
    /// reads the whole store.
    pub fn each_event_type(&self, mut wanted: impl FnMut(&str) -> bool) -> Result<(), StoreError> {
        if let Some(pg) = self.pg() {
            for (index, source) in self.sources.iter().enumerate() {
                for text in pg.event_types(index, source)? {
                    if !wanted(&text) {
                        return Ok(());
                    }
                }
            }
            return Ok(());
        }
        for source in &self.sources {
            let m = &source.mapping;
            let Some(ty) = &m.event_type else { continue };
            let sql = format!(
                "SELECT DISTINCT {} FROM {} WHERE {}",
                source.sql(ty),
                m.from_sql(false),
                m.filter_sql()
            );
            let mut stmt = self.db()?.prepare(&sql).map_err(|e| self.sql_err(e))?;
            let mut rows = stmt.query([]).map_err(|e| self.sql_err(e))?;
            while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
                self.row_read();
                if let Some(text) = row.get_ref(0).ok().map(Cell::from).and_then(sql_text)
                    && !wanted(&text)
                {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// The first `limit` events of the first event table in position order, whatever their stream (the
    /// mapping editor's live preview).
    pub fn first_events(&self, limit: usize) -> Result<Vec<Event>, StoreError> {
        let Some(source) = self.sources.first() else {
            return Ok(Vec::new());
        };
        self.rows_after(source, None, limit)
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

/// Text of a value, numbers written out; `None` for NULL.
pub(crate) fn sql_text(value: Cell<'_>) -> Option<String> {
    match value {
        Cell::Null => None,
        Cell::Integer(n) => Some(n.to_string()),
        Cell::Real(f) => Some(f.to_string()),
        // The strict check first: it is the faster, and text is nearly always valid.
        Cell::Text(t) => Some(
            std::str::from_utf8(t)
                .map_or_else(|_| String::from_utf8_lossy(t).into_owned(), str::to_owned),
        ),
        Cell::Blob(b) => Some(crate::core::decode::hex(b)),
    }
}

#[cfg(test)]
mod tests;
