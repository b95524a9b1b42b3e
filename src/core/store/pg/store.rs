//! What a [`crate::core::store::Store`] on PostgreSQL keeps ([`PgDb`]: the connection, each event table's
//! SQL) and its reads: keyset pages of a stream's events, events by position and snapshots, with the same
//! sources and events as on SQLite. What SQLite reads through Eventscope's SQL functions (`es_json`: a role
//! inside a payload only Rust decodes) is read here from the decoded payload or metadata, so nothing is
//! created on the server. Opening is in `pg::open`, the SQL in `pg::sql`, the streams list in `pg::streams`,
//! whole-store scans in `pg::scan`, live follow in `pg::follow`.

use std::cell::RefCell;
use std::path::PathBuf;

use super::sql::{SourceSql, key_conditions};

use postgres::types::ToSql;

use super::follow::{Horizon, Listening};
use super::{PgConnection, PgError, PgTarget};
use crate::core::decode::cell::{Cell, Datum};
use crate::core::model::{Event, Payload};
use crate::core::store::ids::{canonical_id, composite_id};
use crate::core::store::source::{EVENT_COLUMNS, Source, event_from_cells};
use crate::core::store::{PageCursor, StoreError};

/// What a PostgreSQL store keeps beside its [`Source`]s: the connection and each source's SQL.
pub(in crate::core::store) struct PgDb {
    pub(super) conn: RefCell<PgConnection>,
    pub(super) sql: Vec<SourceSql>,
    /// Where following each event table stands (see `pg::follow`).
    pub(super) horizons: RefCell<Vec<Option<Horizon>>>,
    /// The channels listened on, once following has started (see `pg::follow`).
    pub(super) listening: RefCell<Option<Listening>>,
    /// Each event table's snapshot table, read as a source whose position is the version.
    pub(super) snapshot_sql: Vec<Option<(Source, SourceSql)>>,
}

impl PgDb {
    /// The server this store reads (password included, for connections opened again).
    pub(in crate::core::store) fn target(&self) -> std::sync::Arc<PgTarget> {
        std::sync::Arc::new(self.conn.borrow().target().clone())
    }

    pub(super) fn shown_err(&self, err: PgError) -> StoreError {
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
    pub(super) fn key_conditions(
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
                let by_version = sql.version_order.as_deref().unwrap_or(v);
                format!("{by_version}, {pos}")
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

    /// The events at `positions` of `source` (whatever stream), by position.
    pub(super) fn events_at(
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
