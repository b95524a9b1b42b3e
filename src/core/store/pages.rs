//! A stream's events read by keyset pages in stream order (version then position, or position alone), the
//! primitive every whole-stream read and the GUI's page cache are built on.

use super::*;

impl Store {
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
        let key = self.stream_key(id)?;
        self.events_page_of(&key, after, limit, keep_stored)
    }

    /// How each event table finds stream `id` (see [`StreamKey`]): asked once for a whole read.
    pub(super) fn stream_key(&self, id: &str) -> Result<StreamKey, StoreError> {
        if self.pg().is_some() {
            // Found by each page's own query (typed by its key columns).
            return Ok(StreamKey {
                id: id.to_owned(),
                conds: self
                    .sources
                    .iter()
                    .map(|_| Some((String::new(), Vec::new())))
                    .collect(),
            });
        }
        let conds = self
            .sources
            .iter()
            .map(|source| self.present_stream_condition(source, id))
            .collect::<Result<_, _>>()?;
        Ok(StreamKey {
            id: id.to_owned(),
            conds,
        })
    }

    /// [`Self::events_page_keeping`] of the stream `key` finds.
    pub(super) fn events_page_of(
        &self,
        key: &StreamKey,
        after: Option<PageCursor>,
        limit: usize,
        keep_stored: bool,
    ) -> Result<Vec<Event>, StoreError> {
        for (source, cond) in self.sources.iter().zip(&key.conds) {
            let Some((cond, params)) = cond else {
                continue;
            };
            let page = match self.pg() {
                Some(pg) => pg.events_page(
                    self.source_index(source),
                    source,
                    &key.id,
                    after,
                    limit,
                    keep_stored,
                )?,
                None => {
                    self.page_from(source, &key.id, cond, params, (after, limit), keep_stored)?
                }
            };
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
        cond: &str,
        params: &[SqlValue],
        (after, limit): (Option<PageCursor>, usize),
        keep_stored: bool,
    ) -> Result<Vec<Event>, StoreError> {
        let (sql, mut params) = page_sql(source, &source.event_columns(), cond, params, after);
        params.push(SqlValue::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        // Cached: a read asks the same text for every page after the first (the cursor is a parameter).
        let mut stmt = self
            .db()?
            .prepare_cached(&format!("{sql} LIMIT ?"))
            .map_err(|e| self.sql_err(e))?;
        let canonical = canonical_id(id, source.mapping.stream.len());
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                event_from_row(source, r, canonical.clone(), keep_stored)
            })
            .map_err(|e| self.sql_err(e))?;
        // Sized for a full page up front: growing it would copy the events read so far, again and again.
        let mut page = Vec::with_capacity(limit.min(PAGE_SIZE));
        for event in rows {
            page.push(event.map_err(|e| self.sql_err(e))?);
        }
        Ok(page)
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

    /// Where stream `id` can be cut in two for a second connection to read the later half while this one
    /// reads the first: how many events come before the cut, and the cursor after the last of them. `None`
    /// when the stream has fewer than `at_least` events, or when a second connection cannot read it that
    /// way (several event tables, PostgreSQL, an order read from payloads). Reads the stream's index only.
    pub fn halfway(
        &self,
        id: &str,
        at_least: usize,
    ) -> Result<Option<(usize, PageCursor)>, StoreError> {
        let [source] = self.sources.as_slice() else {
            return Ok(None);
        };
        let m = &source.mapping;
        let plain = |role: &layout::Source| !matches!(role, layout::Source::Json { .. });
        if self.pg().is_some() || !plain(&m.position) || !m.version.as_ref().is_none_or(plain) {
            return Ok(None);
        }
        let key = self.stream_key(id)?;
        let [Some((cond, params))] = key.conds.as_slice() else {
            return Ok(None);
        };
        let db = self.db()?;
        let (sql, params) = page_sql(source, "1", cond, params, None);
        let count: i64 = db
            .prepare_cached(&format!("SELECT count(*) FROM ({sql})"))
            .and_then(|mut stmt| {
                stmt.query_row(rusqlite::params_from_iter(params.iter()), |r| r.get(0))
            })
            .map_err(|e| self.sql_err(e))?;
        let count = usize::try_from(count).unwrap_or(0);
        if count < at_least.max(2) {
            return Ok(None);
        }
        let half = count / 2;
        let version = m
            .version
            .as_ref()
            .map_or("NULL".to_owned(), |v| source.sql(v));
        let columns = format!("{}, {version}", source.sql(&m.position));
        let (sql, mut params) = page_sql(source, &columns, cond, params.as_slice(), None);
        params.push(SqlValue::Integer(
            i64::try_from(half - 1).unwrap_or(i64::MAX),
        ));
        let mut stmt = db
            .prepare_cached(&format!("{sql} LIMIT 1 OFFSET ?"))
            .map_err(|e| self.sql_err(e))?;
        let cursor = stmt
            .query_row(rusqlite::params_from_iter(params.iter()), |r| {
                Ok(PageCursor {
                    position: r.get(0)?,
                    // As an event's version is read (`event_from_cells`), so the cursor is the one after it.
                    version: version_of(r.get_ref(1)?.into()),
                })
            })
            .optional()
            .map_err(|e| self.sql_err(e))?;
        Ok(cursor.map(|cursor| (half, cursor)))
    }

    /// Every event of a stream.
    pub fn events(&self, id: &str) -> Result<Vec<Event>, StoreError> {
        self.events_with_progress(id, &mut |_, _| true)
    }
}

/// The `SELECT {columns}` of a stream's events after `after` in stream order (by version then position, or
/// position alone), without its `LIMIT`, and its parameters: `cond` selects the stream.
pub(super) fn page_sql(
    source: &Source,
    columns: &str,
    cond: &str,
    params: &[SqlValue],
    after: Option<PageCursor>,
) -> (String, Vec<SqlValue>) {
    let mut params = params.to_vec();
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
    let sql = format!(
        "SELECT {columns} FROM {from} WHERE ({cond}) AND {filter} AND ({keyset}) ORDER BY {order}",
        from = m.from_sql(false),
        filter = m.filter_sql(),
    );
    (sql, params)
}

/// How a stream is found in each event table: the condition and parameters [`Store::present_stream_condition`]
/// gives (`None` where the table cannot hold it), asked once for a whole read rather than for every page.
pub(super) struct StreamKey {
    id: String,
    pub(super) conds: Vec<Option<(String, Vec<SqlValue>)>>,
}
