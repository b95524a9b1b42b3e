//! The audit's whole-store scans on PostgreSQL (verify, search, export, report read through them): every
//! event by keyset pages of positions, or stream after stream, each by its own keyset pages, so no
//! statement holds more than a page and no server-side cursor is left open between pages. Type filters are
//! not pushed into SQL here (a scan's filter only narrows; its callers check every event they get).

use postgres::types::ToSql;

use super::store::PgDb;
use crate::core::layout::quote_ident;
use crate::core::model::Event;
use crate::core::store::{OrphanRows, PAGE_SIZE, PageCursor, ScanOrder, Store, StoreError};

/// Positions read per page by [`Store::scan_positions`].
const POSITIONS_PAGE: i64 = 20_000;

impl Store {
    /// [`Store::count_matching`] on PostgreSQL: every event (filters are not pushed into SQL here).
    pub(in crate::core::store) fn pg_event_count(&self, db: &PgDb) -> Result<u64, StoreError> {
        let mut total = 0;
        for index in 0..self.sources.len() {
            let sql = db.source_sql(index);
            let text = format!("SELECT count(*) {}", sql.from_where);
            let n: i64 = db.query_one(&text, &[], |row| row.try_get(0))?;
            total += u64::try_from(n).unwrap_or(0);
        }
        Ok(total)
    }

    /// [`Store::every_event_versioned`] on PostgreSQL.
    pub(in crate::core::store) fn pg_every_event_versioned(
        &self,
        db: &PgDb,
    ) -> Result<bool, StoreError> {
        for index in 0..self.sources.len() {
            let sql = db.source_sql(index);
            let Some(version) = &sql.version else {
                return Ok(false);
            };
            let text = format!(
                "SELECT EXISTS (SELECT 1 {} AND ({version}) IS NULL)",
                sql.from_where
            );
            if db.query_one(&text, &[], |row| row.try_get::<_, bool>(0))? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// [`Store::scan`] on PostgreSQL.
    pub(in crate::core::store) fn pg_scan(
        &self,
        db: &PgDb,
        order: ScanOrder,
        on_event: &mut dyn FnMut(Event) -> bool,
    ) -> Result<bool, StoreError> {
        for (index, source) in self.sources.iter().enumerate() {
            match order {
                ScanOrder::Position => {
                    let mut after = i64::MIN;
                    loop {
                        let page = self.rows_after(source, Some(after), PAGE_SIZE)?;
                        let Some(last) = page.last() else { break };
                        after = last.position;
                        for event in page {
                            if !on_event(event) {
                                return Ok(false);
                            }
                        }
                    }
                }
                ScanOrder::Stream => {
                    let ids: Vec<String> = db
                        .stream_rows(index, source, None, super::streams::Keys::All)?
                        .into_iter()
                        .map(|row| row.summary.id)
                        .collect();
                    for id in ids {
                        let mut after = None;
                        loop {
                            let page =
                                db.events_page(index, source, &id, after, PAGE_SIZE, true)?;
                            let Some(last) = page.last() else { break };
                            after = Some(PageCursor::after(last));
                            for event in page {
                                if !on_event(event) {
                                    return Ok(false);
                                }
                            }
                        }
                    }
                }
            }
        }
        Ok(true)
    }

    /// [`Store::scan_positions`] on PostgreSQL.
    pub(in crate::core::store) fn pg_scan_positions(
        &self,
        db: &PgDb,
        on_position: &mut dyn FnMut(usize, i64) -> bool,
    ) -> Result<bool, StoreError> {
        for index in 0..self.sources.len() {
            let sql = db.source_sql(index);
            let text = format!(
                "SELECT {pos} {} AND {pos} > $1::int8 ORDER BY {pos} LIMIT {POSITIONS_PAGE}",
                sql.from_where,
                pos = sql.position
            );
            let mut after = i64::MIN;
            loop {
                let page: Vec<i64> = db.query(&text, &[&after], |row| row.try_get(0))?;
                let Some(&last) = page.last() else { break };
                after = last;
                for position in page {
                    if !on_position(index, position) {
                        return Ok(false);
                    }
                }
            }
        }
        Ok(true)
    }

    /// [`Store::newest_written_time`] on PostgreSQL (a table whose positions are not the order of writing
    /// cannot say which event was written last, and is left out).
    pub(in crate::core::store) fn pg_newest_written_time(
        &self,
        db: &PgDb,
    ) -> Result<Option<chrono::DateTime<chrono::Utc>>, StoreError> {
        let mut newest = None;
        for (index, source) in self.sources.iter().enumerate() {
            if source.mapping.time.is_none() || !self.positions_are_write_order(index) {
                continue;
            }
            let sql = db.source_sql(index);
            let text = format!(
                "SELECT {}{} {} ORDER BY {} DESC LIMIT 1",
                sql.columns,
                sql.key_list(),
                sql.from_where,
                sql.position
            );
            let last = db.read_events(index, source, &text, &[], false)?;
            newest = newest.max(last.first().and_then(|event| event.time));
        }
        Ok(newest)
    }

    /// The SHA-256 of every event row, in position order, each as `events --json` shows it (position,
    /// stream, version, type, time, the payload and metadata decoded and as stored): what a report states
    /// instead of a file's hash, taken when it starts and again when it is written.
    pub(in crate::core::store) fn pg_rows_digest(&self, db: &PgDb) -> Result<String, StoreError> {
        use sha2::Digest as _;
        let mut hasher = sha2::Sha256::new();
        let mut failed = None;
        self.pg_scan(
            db,
            ScanOrder::Position,
            &mut |event| match serde_json::to_vec(&event) {
                Ok(bytes) => {
                    hasher.update((bytes.len() as u64).to_le_bytes());
                    hasher.update(&bytes);
                    true
                }
                Err(err) => {
                    failed = Some(err);
                    false
                }
            },
        )?;
        if let Some(err) = failed {
            return Err(StoreError::Mapping {
                path: self.path.clone(),
                message: format!("an event could not be written as JSON for the digest: {err}"),
            });
        }
        Ok(crate::core::audit::report::sha256_hex(&hasher.finalize()))
    }

    /// The streams of event table `index` with events whose time falls in the range of Unix microseconds
    /// `[from, to)`, counting only those (their first and last by position give the times): one scan in
    /// position order, the active streams' counts held, then each one's type, name and tenant.
    pub(in crate::core::store) fn pg_stream_rows_in_range(
        &self,
        db: &PgDb,
        index: usize,
        source: &crate::core::store::source::Source,
        table: Option<String>,
        (from, to): (i64, i64),
    ) -> Result<Vec<crate::core::store::streams::StreamRow>, StoreError> {
        use crate::core::decode::times::StoredTime;
        use crate::core::store::streams::End;
        let mut active: std::collections::BTreeMap<String, (u64, End, End)> = Default::default();
        let mut after = i64::MIN;
        loop {
            let page = self.rows_after(source, Some(after), PAGE_SIZE)?;
            let Some(last) = page.last() else { break };
            after = last.position;
            for event in page {
                let Some(time) = event
                    .time
                    .filter(|t| (from..to).contains(&t.timestamp_micros()))
                else {
                    continue;
                };
                let end = End {
                    position: Some(event.position),
                    time: StoredTime::Time(time),
                };
                active
                    .entry(event.stream)
                    .and_modify(|(n, _, last)| {
                        *n += 1;
                        *last = end.clone();
                    })
                    .or_insert((1, end.clone(), end));
            }
        }
        let mut out = Vec::with_capacity(active.len());
        for (id, (events, first, last)) in active {
            let Some(mut row) = db
                .stream_rows(
                    index,
                    source,
                    table.clone(),
                    super::streams::Keys::Only(&id),
                )?
                .into_iter()
                .next()
            else {
                continue;
            };
            row.summary.events = events;
            row.first = first;
            row.last = last;
            out.push(row);
        }
        Ok(out)
    }

    /// [`Store::orphan_rows`] on PostgreSQL.
    pub(in crate::core::store) fn pg_orphan_rows(
        &self,
        db: &PgDb,
    ) -> Result<Vec<OrphanRows>, StoreError> {
        let mut out = Vec::new();
        for (index, source) in self.sources.iter().enumerate() {
            let m = &source.mapping;
            let Some(join) = &m.join else { continue };
            let sql = db.source_sql(index);
            let text = format!(
                "SELECT e.{on}::text, count(*), min({pos})::int8, max({pos})::int8 FROM {table} AS e \
                 LEFT JOIN {streams} AS s ON s.{key} = e.{on} \
                 WHERE s.{key} IS NULL AND {filter} GROUP BY e.{on} ORDER BY 3",
                on = quote_ident(&join.on),
                key = quote_ident(&join.key),
                table = quote_ident(&m.table),
                streams = quote_ident(&join.table),
                filter = m
                    .filter
                    .as_ref()
                    .map_or_else(|| "true".to_owned(), |f| format!("({f})")),
                pos = sql.position,
            );
            out.extend(db.query(&text, &[], |row| {
                Ok(OrphanRows {
                    table: m.table.clone(),
                    stream_table: join.table.clone(),
                    stream_ref: row
                        .try_get::<_, Option<String>>(0)?
                        .unwrap_or_else(|| "NULL".to_owned()),
                    count: u64::try_from(row.try_get::<_, i64>(1)?).unwrap_or(0),
                    first_position: row.try_get(2)?,
                    last_position: row.try_get(3)?,
                })
            })?);
        }
        Ok(out)
    }
}

impl PgDb {
    /// The distinct event types of event table `index`: by SQL when the type is a column, else read from
    /// every event (a type inside payloads only Rust decodes).
    pub(in crate::core::store) fn event_types(
        &self,
        index: usize,
        source: &crate::core::store::source::Source,
    ) -> Result<Vec<String>, StoreError> {
        use crate::core::layout::Source as Role;
        let sql = self.source_sql(index);
        let column = match &source.mapping.event_type {
            None => return Ok(Vec::new()),
            Some(Role::Column(c)) => format!("e.{}", quote_ident(c)),
            Some(Role::Joined(c)) => format!("s.{}", quote_ident(c)),
            Some(Role::Json { .. } | Role::Rowid) => {
                let mut types = std::collections::BTreeSet::new();
                let text = format!(
                    "SELECT {}{} {} AND {pos} > $1::int8 ORDER BY {pos} LIMIT {PAGE_SIZE}",
                    sql.columns,
                    sql.key_list(),
                    sql.from_where,
                    pos = sql.position
                );
                let mut after = i64::MIN;
                loop {
                    let page = self.read_events(index, source, &text, &[&after], false)?;
                    let Some(last) = page.last() else { break };
                    after = last.position;
                    types.extend(page.into_iter().map(|e| e.event_type));
                }
                return Ok(types.into_iter().filter(|t| !t.is_empty()).collect());
            }
        };
        let text = format!("SELECT DISTINCT ({column})::text {}", sql.from_where);
        Ok(self
            .query(&text, &[], |row| row.try_get::<_, Option<String>>(0))?
            .into_iter()
            .flatten()
            .collect())
    }

    /// The tables of the connection's schema.
    pub(in crate::core::store) fn table_infos(
        &self,
    ) -> Result<Vec<crate::core::layout::TableInfo>, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let schema = conn.schema().to_owned();
        Ok(conn.tables(&schema)?)
    }

    /// The streams with at least one snapshot beside event table `index`.
    pub(in crate::core::store) fn snapshot_stream_ids(
        &self,
        index: usize,
    ) -> Result<Vec<String>, StoreError> {
        let Some((source, sql)) = self.snapshot_source(index) else {
            return Ok(Vec::new());
        };
        let text = format!(
            "SELECT DISTINCT ON ({keys}) {}{} {} ORDER BY {keys}",
            sql.columns,
            sql.key_list(),
            sql.from_where,
            keys = (1..=sql.key_count())
                .map(|i| format!("{}", 9 + i))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let params: [&(dyn ToSql + Sync); 0] = [];
        Ok(self
            .read_events_of(sql, source, &text, &params, false)?
            .into_iter()
            .map(|event| event.stream)
            .collect())
    }
}
