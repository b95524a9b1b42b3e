//! Following a store while others write to it: where the newest events are, what was committed after them,
//! and whether this connection can see new commits or must be opened again.

use super::*;

impl Store {
    /// The newest position of each event table: where a `tail` starts.
    pub fn last_positions(&self) -> Result<Vec<i64>, StoreError> {
        if let Some(pg) = self.pg() {
            return self.pg_last_positions(pg);
        }
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
                self.db()?
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
        if let Some(pg) = self.pg() {
            return self.pg_events_after(pg, positions, limit);
        }
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

    /// [`Self::data_version`] once there may be something new: at once when the server notifies (waiting up
    /// to `wait` for it), after `wait` otherwise.
    pub fn wait_for_change(&self, wait: std::time::Duration) -> Result<i64, StoreError> {
        if let Some(pg) = self.pg()
            && pg.follow_mode()? != pg::FollowMode::Polling
        {
            return pg.wait_for_change(wait);
        }
        std::thread::sleep(wait);
        self.data_version()
    }

    /// How following this store learns of new events: polling, or the server's notifications.
    pub fn follow_mode(&self) -> Result<pg::FollowMode, StoreError> {
        match self.pg() {
            Some(pg) => pg.follow_mode(),
            None => Ok(pg::FollowMode::Polling),
        }
    }

    /// SQLite's `data_version`: changes whenever another connection commits to the file.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        if let Some(pg) = self.pg() {
            return pg.data_version();
        }
        self.db()?
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
            server: self.pg().map(|pg| pg.target()),
            // The mappings carry their schemas, loaded.
            schema: None,
        }
    }

    /// Events of `source` in position order, after `after` when given.
    pub(super) fn rows_after(
        &self,
        source: &Source,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Vec<Event>, StoreError> {
        if let Some(pg) = self.pg() {
            let index = self.source_index(source);
            let sql = pg.source_sql(index);
            let text = format!(
                "SELECT {}{} {} AND {pos} > $1::int8 ORDER BY {pos} LIMIT {limit}",
                sql.columns,
                sql.key_list(),
                sql.from_where,
                pos = sql.position,
            );
            let after = after.unwrap_or(i64::MIN);
            return pg.read_events(index, source, &text, &[&after], true);
        }
        let m = &source.mapping;
        let stream = source.stream_key_sql();
        let parts = m.stream.len().max(1);
        let pos = source.sql(&m.position);
        let sql = format!(
            "SELECT {columns}, {stream} FROM {from} WHERE {filter} AND {pos} > ?1 \
             ORDER BY {pos} LIMIT ?2",
            columns = source.event_columns(),
            from = m.from_sql(false),
            filter = m.filter_sql(),
        );
        let mut stmt = self.db()?.prepare(&sql).map_err(|e| self.sql_err(e))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map([after.unwrap_or(i64::MIN), limit], |r| {
                let mut ids = Vec::with_capacity(parts);
                for i in 0..parts {
                    ids.push(format_stream_id(r.get_ref(EVENT_COLUMNS + i)?.into()));
                }
                event_from_row(source, r, composite_id(&ids), true)
            })
            .map_err(|e| self.sql_err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.sql_err(e))
    }
}
