//! Whole-store scans for the audit: every event in position or stream order with type filters pushed into
//! SQL, positions alone, counts, the newest written time, rows whose stream is missing, the streams that have
//! snapshots. Bounded memory: rows are handed to a callback one at a time.

use super::*;

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
    /// Every event table as whole-store scans see it.
    pub(crate) fn scan_plans(&self) -> Result<Vec<ScanPlan>, StoreError> {
        let tables = layout::tables(self.db()?).map_err(|e| self.sql_err(e))?;
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
            self.db()?
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
}

/// The order [`Store::scan`] reads events in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanOrder {
    /// By global position: the order they were written.
    Position,
    /// Stream after stream, each in stream order (version, then position), so a stream's events are
    /// contiguous.
    Stream,
}

/// Rows a scan may leave out in SQL. It only narrows: callers still check every event they get.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScanFilter {
    /// Keep events whose stored type is one of these, or ends with `:` or `.` and one of these (empty: all).
    pub types: Vec<String>,
}

/// Event rows whose stream reference finds no row in the joined stream table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrphanRows {
    /// The event table.
    pub table: String,
    /// The stream table the rows should join.
    pub stream_table: String,
    /// The missing stream key, as text.
    pub stream_ref: String,
    pub count: u64,
    pub first_position: i64,
    pub last_position: i64,
}

impl Store {
    /// How many events the store holds (every event table), one `count(*)` each.
    pub fn event_count(&self) -> Result<u64, StoreError> {
        self.count_matching(&ScanFilter::default())
    }

    /// How many events [`Self::scan`] with `filter` reads.
    pub fn count_matching(&self, filter: &ScanFilter) -> Result<u64, StoreError> {
        if let Some(pg) = self.pg() {
            return self.pg_event_count(pg);
        }
        let mut total = 0u64;
        for source in &self.sources {
            let m = &source.mapping;
            let (conds, params) = scan_conditions(source, filter);
            let sql = format!("SELECT count(*) FROM {} WHERE {conds}", m.from_sql(false));
            let n: i64 = self
                .db()?
                .query_row(&sql, rusqlite::params_from_iter(params.iter()), |r| {
                    r.get(0)
                })
                .map_err(|e| self.sql_err(e))?;
            total += u64::try_from(n).unwrap_or(0);
        }
        Ok(total)
    }

    /// Whether every event has a stored version (then a scan may skip rows without losing the ordinal
    /// numbering of versionless events).
    pub fn every_event_versioned(&self) -> Result<bool, StoreError> {
        if let Some(pg) = self.pg() {
            return self.pg_every_event_versioned(pg);
        }
        for source in &self.sources {
            let m = &source.mapping;
            let Some(version) = &m.version else {
                return Ok(false);
            };
            let sql = format!(
                "SELECT EXISTS (SELECT 1 FROM {} WHERE {} AND ({}) IS NULL)",
                m.from_sql(false),
                m.filter_sql(),
                source.sql(version)
            );
            let any_null: bool = self
                .db()?
                .query_row(&sql, [], |r| r.get(0))
                .map_err(|e| self.sql_err(e))?;
            if any_null {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Every event of every table, one table after the other, in `order`, each handed to `on_event` as it is
    /// read (one statement per table, so memory stays constant). `on_event` returns false to stop; the result
    /// says whether the scan ran to the end.
    pub fn scan(
        &self,
        order: ScanOrder,
        filter: &ScanFilter,
        on_event: &mut dyn FnMut(Event) -> bool,
    ) -> Result<bool, StoreError> {
        if let Some(pg) = self.pg() {
            return self.pg_scan(pg, order, on_event);
        }
        for source in &self.sources {
            let conds = scan_conditions(source, filter);
            if !self.scan_source(source, order, conds, on_event)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Every event of `source` meeting `conds` (an SQL condition and its parameters), in `order`.
    pub(super) fn scan_source(
        &self,
        source: &Source,
        order: ScanOrder,
        (conds, params): (String, Vec<SqlValue>),
        on_event: &mut dyn FnMut(Event) -> bool,
    ) -> Result<bool, StoreError> {
        let m = &source.mapping;
        let (stream, parts) = stream_select(source);
        let pos = source.sql(&m.position);
        let order_by = match order {
            ScanOrder::Position => pos.clone(),
            ScanOrder::Stream => {
                let mut keys: Vec<String> = m.stream.iter().map(|s| source.sql(s)).collect();
                if let Some(v) = &m.version {
                    keys.push(source.sql(v));
                }
                keys.push(pos.clone());
                keys.join(", ")
            }
        };
        let sql = format!(
            "SELECT {columns}, {stream} FROM {from} WHERE {conds} ORDER BY {order_by}",
            columns = source.event_columns(),
            from = m.from_sql(false),
        );
        let mut stmt = self.db()?.prepare(&sql).map_err(|e| self.sql_err(e))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(|e| self.sql_err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
            self.row_read();
            let read = || -> rusqlite::Result<Event> {
                let mut ids = Vec::with_capacity(parts);
                for i in 0..parts {
                    ids.push(format_stream_id(row.get_ref(EVENT_COLUMNS + i)?.into()));
                }
                event_from_row(source, row, composite_id(&ids), true)
            };
            if !on_event(read().map_err(|e| self.sql_err(e))?) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Every table's positions in ascending order, handed to `on_position(table_index, position)`; it returns
    /// false to stop. Reads only the position column, so it is much cheaper than [`Self::scan`].
    pub fn scan_positions(
        &self,
        on_position: &mut dyn FnMut(usize, i64) -> bool,
    ) -> Result<bool, StoreError> {
        if let Some(pg) = self.pg() {
            return self.pg_scan_positions(pg, on_position);
        }
        for (index, source) in self.sources.iter().enumerate() {
            let m = &source.mapping;
            let pos = source.sql(&m.position);
            let sql = format!(
                "SELECT {pos} FROM {} WHERE {} ORDER BY {pos}",
                m.from_sql(false),
                m.filter_sql()
            );
            let mut stmt = self.db()?.prepare(&sql).map_err(|e| self.sql_err(e))?;
            let mut rows = stmt.query([]).map_err(|e| self.sql_err(e))?;
            while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
                self.row_read();
                let position: i64 = row.get(0).map_err(|e| self.sql_err(e))?;
                if !on_position(index, position) {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// The time of the last event written (the highest position) of each table, the latest of those: "now" as
    /// far as the file knows.
    pub fn newest_written_time(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        if let Some(pg) = self.pg() {
            return self.pg_newest_written_time(pg);
        }
        let mut newest = None;
        for source in &self.sources {
            let m = &source.mapping;
            let Some(time) = &m.time else { continue };
            let sql = format!(
                "SELECT {time} FROM {from} WHERE {filter} ORDER BY {pos} DESC LIMIT 1",
                time = source.sql(time),
                from = m.from_sql(false),
                filter = m.filter_sql(),
                pos = source.sql(&m.position),
            );
            let time = self
                .db()?
                .query_row(&sql, [], |r| Ok(parse_time_sql(r.get_ref(0)?.into())))
                .optional()
                .map_err(|e| self.sql_err(e))?
                .flatten();
            newest = newest.max(time);
        }
        Ok(newest)
    }

    /// Event rows whose stream reference finds no row of the joined stream table (such rows are invisible to
    /// every other read, which joins), grouped by the missing key, sorted by first position.
    pub fn orphan_rows(&self) -> Result<Vec<OrphanRows>, StoreError> {
        if let Some(pg) = self.pg() {
            return self.pg_orphan_rows(pg);
        }
        let mut out = Vec::new();
        for source in &self.sources {
            let m = &source.mapping;
            let Some(join) = &m.join else { continue };
            let pos = source.sql(&m.position);
            let sql = format!(
                "SELECT e.{on}, count(*), min({pos}), max({pos}) FROM {table} AS e \
                 LEFT JOIN {streams} AS s ON s.{key} = e.{on} \
                 WHERE s.{key} IS NULL AND {filter} GROUP BY e.{on} ORDER BY 3",
                on = layout::quote_ident(&join.on),
                key = layout::quote_ident(&join.key),
                table = layout::quote_ident(&m.table),
                streams = layout::quote_ident(&join.table),
                filter = m.filter_sql(),
            );
            let mut stmt = self.db()?.prepare(&sql).map_err(|e| self.sql_err(e))?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(OrphanRows {
                        table: m.table.clone(),
                        stream_table: join.table.clone(),
                        stream_ref: sql_text(r.get_ref(0)?.into())
                            .unwrap_or_else(|| "NULL".to_owned()),
                        count: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                        first_position: r.get(2)?,
                        last_position: r.get(3)?,
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

    /// What proves the store did not change while it was read: a SQLite file's SHA-256, or on PostgreSQL
    /// the SHA-256 of its event rows as read (see `pg::scan`).
    pub fn content_digest(&self) -> Result<String, StoreError> {
        if let Some(pg) = self.pg() {
            return self.pg_rows_digest(pg);
        }
        crate::core::audit::report::sha256_file(&self.path).map_err(|source| StoreError::Io {
            path: self.path.clone(),
            source,
        })
    }

    /// Whether the store is a PostgreSQL server's (its digest is of rows, not of a file; questions SQLite
    /// groups with Eventscope's functions are counted in Rust over a scan there).
    pub fn is_postgres(&self) -> bool {
        self.pg().is_some()
    }

    /// Every table of the store (not the database's own), with its columns.
    pub(crate) fn table_infos(&self) -> Result<Vec<layout::TableInfo>, StoreError> {
        if let Some(pg) = self.pg() {
            return pg.table_infos();
        }
        layout::tables(self.db()?).map_err(|e| self.sql_err(e))
    }

    /// Each row of an outbox table (`id`, `position`, `tries_left`, `created_at` as text), by position.
    pub(crate) fn each_outbox_entry(
        &self,
        table: &str,
        on_entry: &mut dyn FnMut(i64, i64, i64, String),
    ) -> Result<(), StoreError> {
        if let Some(pg) = self.pg() {
            let text = format!(
                "SELECT id::int8, position::int8, tries_left::int8, created_at::text FROM {} \
                 ORDER BY position, id",
                layout::quote_ident(table)
            );
            let rows = pg.query(&text, &[], |row| {
                Ok((
                    row.try_get::<_, i64>(0)?,
                    row.try_get::<_, Option<i64>>(1)?.unwrap_or(0),
                    row.try_get::<_, Option<i64>>(2)?.unwrap_or(0),
                    row.try_get::<_, Option<String>>(3)?.unwrap_or_default(),
                ))
            })?;
            for (id, position, tries_left, created_at) in rows {
                on_entry(id, position, tries_left, created_at);
            }
            return Ok(());
        }
        let sql = format!(
            "SELECT id, position, tries_left, CAST(created_at AS TEXT) FROM {} ORDER BY position, id",
            layout::quote_ident(table)
        );
        let mut stmt = self.db()?.prepare(&sql).map_err(|e| self.sql_err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.sql_err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
            self.row_read();
            let read = || -> rusqlite::Result<(i64, i64, i64, String)> {
                Ok((
                    row.get(0)?,
                    row.get::<_, Option<i64>>(1)?.unwrap_or(0),
                    row.get::<_, Option<i64>>(2)?.unwrap_or(0),
                    row.get::<_, Option<String>>(3)?.unwrap_or_default(),
                ))
            };
            let (id, position, tries_left, created_at) = read().map_err(|e| self.sql_err(e))?;
            on_entry(id, position, tries_left, created_at);
        }
        Ok(())
    }

    /// The streams that have at least one snapshot, sorted (empty when the layout keeps none).
    pub fn snapshot_streams(&self) -> Result<std::collections::BTreeSet<String>, StoreError> {
        let mut out = std::collections::BTreeSet::new();
        if let Some(pg) = self.pg() {
            for index in 0..self.sources.len() {
                out.extend(pg.snapshot_stream_ids(index)?);
            }
            return Ok(out);
        }
        for events_source in &self.sources {
            let Some(snapshots) = &events_source.mapping.snapshots else {
                continue;
            };
            let source = Source::new(
                snapshots.as_mapping(),
                events_source.decoder.clone(),
                events_source.decode_fn.clone(),
            );
            let (stream, parts) = stream_select(&source);
            let sql = format!(
                "SELECT DISTINCT {stream} FROM {}",
                source.mapping.from_sql(false)
            );
            let mut stmt = self.db()?.prepare(&sql).map_err(|e| self.sql_err(e))?;
            let mut rows = stmt.query([]).map_err(|e| self.sql_err(e))?;
            while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
                self.row_read();
                let mut ids = Vec::with_capacity(parts);
                for i in 0..parts {
                    ids.push(format_stream_id(
                        row.get_ref(i).map_err(|e| self.sql_err(e))?.into(),
                    ));
                }
                out.insert(composite_id(&ids));
            }
        }
        Ok(out)
    }
}

/// The `WHERE` condition of a scan of `source` with `filter`, and its parameters.
pub(super) fn scan_conditions(source: &Source, filter: &ScanFilter) -> (String, Vec<SqlValue>) {
    let m = &source.mapping;
    let mut params: Vec<SqlValue> = Vec::new();
    let mut conds = vec![m.filter_sql()];
    if !filter.types.is_empty() {
        let ty = source.sql_opt(m.event_type.as_ref());
        let mut any = Vec::with_capacity(filter.types.len());
        for wanted in &filter.types {
            any.push(format!(
                "({ty} = ? OR (substr({ty}, -length(?) - 1, 1) IN (':', '.') AND substr({ty}, -length(?)) = ?))"
            ));
            params.extend(std::iter::repeat_n(SqlValue::Text(wanted.clone()), 4));
        }
        conds.push(format!("({})", any.join(" OR ")));
    }
    (conds.join(" AND "), params)
}

/// The stream columns of a row select: the SQL and how many parts (a literal for a single log).
fn stream_select(source: &Source) -> (String, usize) {
    let m = &source.mapping;
    if m.stream.is_empty() {
        return (layout::quote_literal(m.single_stream_id()), 1);
    }
    let sql = m
        .stream
        .iter()
        .map(|p| source.sql(p))
        .collect::<Vec<_>>()
        .join(", ");
    (sql, m.stream.len())
}
