//! The streams list: each stream's id, type, event count and the times of its first and last events, and one
//! stream's summary by id.
//!
//! A stream's first and last times are the stored times of its first and last events by position, read by
//! [`crate::core::decode::times`] like every event's time. They are never `min()`/`max()` over the stored values:
//! SQLite compares those as text or as numbers, so a stream mixing `+02:00` offsets, `Z`, Unix numbers or
//! julian days would get the wrong ends, and an unreadable value would hide a readable one. A time that
//! cannot be read is carried as stored (`first_stored_time`, `last_stored_time`), never turned into a date.
//!
//! Cost: one grouped query per event table counts each stream's events and finds its lowest and highest
//! position; the same statement then reads the times of those two events by position and stream key (two
//! seeks per stream). When SQLite says such a lookup would not be a seek (no index on the position nor on
//! the stream), each end comes from one more grouped scan instead, so the list stays linear in the table.
//! No Rust function runs per row except `es_micros` when counting the events of a period.

mod ends;
mod merge;

use super::pg::streams::Keys;
use super::summary::{KeyRange, SummaryQuery, range_condition};
use super::*;
use crate::core::decode::times::StoredTime;
pub(super) use merge::{End, StreamRow};

impl Store {
    /// Every stream with its type, event count and the times of its first and last events (by position),
    /// sorted by id (numbers numerically).
    pub fn streams(&self) -> Result<Vec<StreamSummary>, StoreError> {
        self.merged_streams(None)
    }

    /// The streams with events whose time falls in `[from, to)`, counting only those events (`first_time` and
    /// `last_time` are the times of the first and last of them by position), sorted by id. Events without a
    /// readable time are in no range.
    pub fn streams_in_range(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<StreamSummary>, StoreError> {
        self.merged_streams(Some((from.timestamp_micros(), to.timestamp_micros())))
    }

    /// Every stream (with events in the range of Unix microseconds `range`, when given), sorted by id.
    fn merged_streams(&self, range: Option<(i64, i64)>) -> Result<Vec<StreamSummary>, StoreError> {
        let many = self.sources.len() > 1;
        self.merge_tables(&mut |source| self.stream_rows(source, many, range))
    }

    /// The streams of one event table, one row per stored form of each id.
    fn stream_rows(
        &self,
        source: &Source,
        many: bool,
        range: Option<(i64, i64)>,
    ) -> Result<Vec<StreamRow>, StoreError> {
        let m = &source.mapping;
        let table_name = many.then(|| m.table.clone());
        if let Some(pg) = self.pg() {
            let index = self.source_index(source);
            return match range {
                Some(range) => self.pg_stream_rows_in_range(pg, index, source, table_name, range),
                None => pg.stream_rows(index, source, table_name, Keys::All),
            };
        }
        if m.stream.is_empty() {
            return self.single_log_row(source, table_name, range);
        }
        let Some(query) = self.summary_query(source, range, &KeyRange::default())? else {
            return Ok(Vec::new());
        };
        self.summary_rows(source, table_name.as_ref(), &query)
    }

    /// Every row of `query` (over `source`), with the ends read by grouped scans when the statement could
    /// not seek them.
    pub(super) fn summary_rows(
        &self,
        source: &Source,
        table_name: Option<&String>,
        query: &SummaryQuery,
    ) -> Result<Vec<StreamRow>, StoreError> {
        let mut rows = Vec::new();
        self.each_row(query, table_name, &mut |row| {
            rows.push(row);
            true
        })?;
        if let Some((in_range, params)) = &query.ends_by_scan {
            let firsts = self.ends_by_scan(source, in_range, params, false)?;
            let lasts = self.ends_by_scan(source, in_range, params, true)?;
            for row in &mut rows {
                row.first = firsts.get(&row.summary.id).cloned().unwrap_or(End::NONE);
                row.last = lasts.get(&row.summary.id).cloned().unwrap_or(End::NONE);
            }
        }
        Ok(rows)
    }

    /// The one stream of a table without stream ids (events in the `range` of Unix microseconds only, when
    /// given); none when a range is asked and no event is in it, or the table has no time.
    fn single_log_row(
        &self,
        source: &Source,
        table: Option<String>,
        range: Option<(i64, i64)>,
    ) -> Result<Vec<StreamRow>, StoreError> {
        let Some((in_range, params)) = range_condition(source, range) else {
            return Ok(Vec::new());
        };
        let ranged = range.is_some();
        let m = &source.mapping;
        let sql = format!(
            "SELECT count(*), min({pos}), max({pos}) FROM {from} WHERE {filter} AND {in_range}",
            pos = source.sql(&m.position),
            from = m.from_sql(false),
            filter = m.filter_sql(),
        );
        let (events, lo, hi) = self
            .db()?
            .query_row(&sql, rusqlite::params_from_iter(&params), |r| {
                Ok((
                    u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                ))
            })
            .map_err(|e| self.sql_err(e))?;
        if ranged && events == 0 {
            return Ok(Vec::new());
        }
        let params: Vec<SqlValue> = params.iter().map(|p| SqlValue::Integer(*p)).collect();
        Ok(vec![StreamRow {
            summary: StreamSummary {
                id: m.single_stream_id().to_owned(),
                stream_type: None,
                name: None,
                tenant: None,
                table,
                events,
                first_time: None,
                first_stored_time: None,
                last_time: None,
                last_stored_time: None,
            },
            first: End {
                position: lo,
                time: self.time_at(source, &in_range, &params, lo)?,
            },
            last: End {
                position: hi,
                time: self.time_at(source, &in_range, &params, hi)?,
            },
        }])
    }

    /// The stream type of the stream selected by `condition`, when it is read from inside payloads that only
    /// Rust decodes: that of the first event in stream order (version, then position) that has one. Asking SQL for the least of every event's
    /// would decode every payload of the stream (200,000 of them for a long account) a second time.
    pub(super) fn first_type_in_payload(
        &self,
        source: &Source,
        condition: &str,
        params: &[SqlValue],
        path: &PayloadPath,
    ) -> Result<Option<String>, StoreError> {
        let m = &source.mapping;
        let pos = source.sql(&m.position);
        let order = match &m.version {
            Some(version) => format!("{}, {pos}", source.sql(version)),
            None => pos,
        };
        let sql = format!(
            "SELECT {data} FROM {from} WHERE ({condition}) AND {filter} ORDER BY {order}",
            data = m.column_sql(m.data.as_deref()),
            from = m.from_sql(false),
            filter = m.filter_sql(),
        );
        let mut stmt = self.db()?.prepare(&sql).map_err(|e| self.sql_err(e))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(|e| self.sql_err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
            self.row_read();
            let payload = row.get_ref(0).map_err(|e| self.sql_err(e))?;
            if let Payload::Json(value) = source.decoder.decode(payload.into()).data
                && let Some(found) = sql_text(Cell::from(&path.extract(&value)))
            {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// One stream's summary: its events in the first event table that has any (a single log's stream even
    /// when it is empty), with the times of its first and last events by position.
    pub fn stream(&self, id: &str) -> Result<StreamSummary, StoreError> {
        let many = self.sources.len() > 1;
        if let Some(pg) = self.pg() {
            for (index, source) in self.sources.iter().enumerate() {
                let table = many.then(|| source.mapping.table.clone());
                let rows = pg.stream_rows(index, source, table, Keys::Only(id))?;
                // One row per stored form of the id: merged as the streams list merges them.
                let mut merged: Option<StreamRow> = None;
                for row in rows {
                    match &mut merged {
                        Some(kept) => kept.absorb(row),
                        None => merged = Some(row),
                    }
                }
                if let Some(StreamRow {
                    mut summary,
                    first,
                    last,
                }) = merged
                {
                    summary.set_ends(first.time, last.time);
                    return Ok(summary);
                }
                if source.mapping.stream.is_empty() && id == source.mapping.single_stream_id() {
                    return Ok(StreamSummary {
                        id: id.to_owned(),
                        stream_type: None,
                        name: None,
                        tenant: None,
                        table: many.then(|| source.mapping.table.clone()),
                        events: 0,
                        first_time: None,
                        first_stored_time: None,
                        last_time: None,
                        last_stored_time: None,
                    });
                }
            }
            return Err(StoreError::NoSuchStream {
                path: self.path.clone(),
                id: id.to_owned(),
            });
        }
        for source in &self.sources {
            let Some((cond, params)) = self.present_stream_condition(source, id)? else {
                continue;
            };
            let m = &source.mapping;
            let pos = source.sql(&m.position);
            let sql = format!(
                "SELECT count(*), min({pos}), max({pos}), min({st}), min({name}), min({tenant}) FROM {from} \
                 WHERE ({cond}) AND {filter}",
                st = source.role_sql(
                    m.stream_type.as_ref(),
                    source.in_payload.stream_type.as_ref()
                ),
                name = source.sql_opt(m.stream_name.as_ref()),
                tenant = source.sql_opt(m.tenant.as_ref()),
                from = m.from_sql(false),
                filter = m.filter_sql(),
            );
            let canonical = canonical_id(id, m.stream.len());
            let in_payload = match &source.in_payload.stream_type {
                Some(path) => self.first_type_in_payload(source, &cond, &params, path)?,
                None => None,
            };
            let (mut summary, lo, hi) = self
                .db()?
                .query_row(&sql, rusqlite::params_from_iter(params.iter()), |r| {
                    let summary = StreamSummary {
                        stream_type: type_shown(
                            in_payload.or(sql_text(r.get_ref(3)?.into())),
                            m.stream.len(),
                            &canonical,
                        ),
                        name: sql_text(r.get_ref(4)?.into()),
                        tenant: sql_text(r.get_ref(5)?.into()),
                        table: many.then(|| m.table.clone()),
                        events: r.get::<_, i64>(0)?.try_into().unwrap_or(0),
                        first_time: None,
                        first_stored_time: None,
                        last_time: None,
                        last_stored_time: None,
                        id: canonical.clone(),
                    };
                    Ok((
                        summary,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                    ))
                })
                .map_err(|e| self.sql_err(e))?;
            // A single log with no rows is still the one stream `streams` lists.
            if summary.events > 0 || m.stream.is_empty() {
                let first = self.time_at(source, &cond, &params, lo)?;
                let last = self.time_at(source, &cond, &params, hi)?;
                summary.set_ends(first, last);
                return Ok(summary);
            }
        }
        Err(StoreError::NoSuchStream {
            path: self.path.clone(),
            id: id.to_owned(),
        })
    }
}

/// The type shown for a stream whose stored type is `stored`: its aggregate type, else (for a stream keyed by
/// `key_parts` columns) the category of its id `canonical`.
pub(super) fn type_shown(
    stored: Option<String>,
    key_parts: usize,
    canonical: &str,
) -> Option<String> {
    stored
        .and_then(|t| aggregate_type(&t))
        .or_else(|| (key_parts > 0).then(|| category_of(canonical)).flatten())
}

/// The aggregate type shown for a stored type: a Python topic `package.module:Aggregate` shows as
/// `Aggregate`.
pub(super) fn aggregate_type(stored: &str) -> Option<String> {
    (!stored.is_empty()).then(|| python_qualname(stored))
}

fn python_qualname(stored: &str) -> String {
    match stored.rsplit_once(':') {
        Some((module, name))
            if !module.is_empty() && !name.is_empty() && !stored.contains(char::is_whitespace) =>
        {
            name.to_owned()
        }
        _ => stored.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(id, events, first, last)` of each stream, a time as RFC 3339 or `stored …` when unreadable.
    type Ends = Vec<(String, u64, String, String)>;

    fn ends(list: Vec<StreamSummary>) -> Ends {
        let shown = |time: Option<DateTime<Utc>>, stored: Option<String>| match (time, stored) {
            (Some(time), _) => crate::core::decode::format_time(&time),
            (None, Some(stored)) => format!("stored {stored}"),
            (None, None) => "none".to_owned(),
        };
        list.into_iter()
            .map(|s| {
                (
                    s.id,
                    s.events,
                    shown(s.first_time, s.first_stored_time),
                    shown(s.last_time, s.last_stored_time),
                )
            })
            .collect()
    }

    fn owned(rows: &[(&str, u64, &str, &str)]) -> Ends {
        rows.iter()
            .map(|(id, n, first, last)| {
                (
                    (*id).to_owned(),
                    *n,
                    (*first).to_owned(),
                    (*last).to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn ends_read_by_grouped_scans_when_lookups_cannot_seek_equal_those_read_by_seeks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.sqlite");
        // The position `seq` is not unique (2 is in both streams) and nothing is indexed.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE log(seq INTEGER, stream_id TEXT, version INTEGER, type TEXT, data TEXT, at);
             INSERT INTO log VALUES
               (1, 'a', 1, 'T', '{}', '2024-03-14T16:00:00+02:00'),
               (2, 'a', 2, 'T', '{}', 1710428400),
               (2, 'b', 1, 'T', '{}', 'not a time'),
               (3, 'b', 2, 'T', '{}', '2024-03-14T14:30:00Z'),
               (4, 'a', 3, 'T', '{}', '2024-03-14 14:45:00');",
        )
        .unwrap();
        let mapping: Mapping = serde_json::from_value(serde_json::json!({
            "table": "log", "position": {"column": "seq"}, "stream": {"column": "stream_id"},
            "version": {"column": "version"}, "type": {"column": "type"}, "data": "data",
            "time": {"column": "at"}
        }))
        .unwrap();
        let day = (
            crate::core::decode::times::parse_time_text("2024-03-14").unwrap(),
            crate::core::decode::times::parse_time_text("2024-03-15").unwrap(),
        );
        let expected_all = owned(&[
            ("a", 3, "2024-03-14T14:00:00Z", "2024-03-14T14:45:00Z"),
            ("b", 2, "stored not a time", "2024-03-14T14:30:00Z"),
        ]);
        let expected_day = owned(&[
            ("a", 3, "2024-03-14T14:00:00Z", "2024-03-14T14:45:00Z"),
            ("b", 1, "2024-03-14T14:30:00Z", "2024-03-14T14:30:00Z"),
        ]);
        for (index, seeks) in [
            (None, false),
            (Some("CREATE INDEX log_seq ON log(seq)"), true),
        ] {
            if let Some(sql) = index {
                conn.execute_batch(sql).unwrap();
            }
            let store = Store::open(&path, Some(mapping.clone())).unwrap();
            assert_eq!(store.lookup_seeks(&store.sources[0]).unwrap(), seeks);
            assert_eq!(
                ends(store.streams().unwrap()),
                expected_all,
                "seeks: {seeks}"
            );
            assert_eq!(
                ends(store.streams_in_range(day.0, day.1).unwrap()),
                expected_day,
                "seeks: {seeks}"
            );
            let one = |id: &str| ends(vec![store.stream(id).unwrap()]);
            assert_eq!(one("b"), expected_all[1..], "seeks: {seeks}");
        }
    }

    #[test]
    fn an_id_stored_in_several_forms_takes_its_ends_by_position_across_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("uuids.sqlite");
        Connection::open(&path)
            .unwrap()
            .execute_batch(
                "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id, version INTEGER, type TEXT, data TEXT,
                    created_at TEXT);
                 INSERT INTO events(stream_id, version, type, data, created_at) VALUES
                   (x'0f8fad5bd9cb469fa16570867728950e', 1, 'A', '{}', '2024-03-14T15:00:00Z'),
                   ('0F8FAD5B-D9CB-469F-A165-70867728950E', 2, 'B', '{}', '2024-03-14T14:00:00Z'),
                   ('0f8fad5bd9cb469fa16570867728950e', 3, 'C', '{}', '2024-03-14T14:30:00Z');",
            )
            .unwrap();
        let store = Store::open(&path, None).unwrap();
        let expected = owned(&[(
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            3,
            "2024-03-14T15:00:00Z",
            "2024-03-14T14:30:00Z",
        )]);
        assert_eq!(ends(store.streams().unwrap()), expected);
        assert_eq!(
            ends(vec![
                store
                    .stream("0f8fad5b-d9cb-469f-a165-70867728950e")
                    .unwrap()
            ]),
            expected
        );
    }

    #[test]
    fn a_stream_in_two_event_tables_takes_the_earliest_first_and_an_unreadable_last() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("two.sqlite");
        Connection::open(&path)
            .unwrap()
            .execute_batch(
                "CREATE TABLE one(id INTEGER PRIMARY KEY, stream_id TEXT, type TEXT, data TEXT, at);
                 CREATE TABLE two(id INTEGER PRIMARY KEY, stream_id TEXT, type TEXT, data TEXT, at);
                 INSERT INTO one(stream_id, type, data, at) VALUES
                   ('s', 'T', '{}', '2024-03-14T15:00:00Z'), ('s', 'T', '{}', 'garbage');
                 INSERT INTO two(stream_id, type, data, at) VALUES
                   ('s', 'T', '{}', '2024-03-14T14:00:00Z'), ('t', 'T', '{}', 1710428400),
                   ('s', 'T', '{}', '2024-03-14T16:00:00Z');",
            )
            .unwrap();
        let mapping = |table: &str| -> Mapping {
            serde_json::from_value(serde_json::json!({
                "table": table, "position": {"column": "id"}, "stream": {"column": "stream_id"},
                "type": {"column": "type"}, "data": "data", "time": {"column": "at"}
            }))
            .unwrap()
        };
        let store = Store::open_with(
            &path,
            OpenOptions {
                mappings: Some(vec![mapping("one"), mapping("two")]),
                ..OpenOptions::default()
            },
        )
        .unwrap();
        assert_eq!(
            ends(store.streams().unwrap()),
            owned(&[
                ("s", 4, "2024-03-14T14:00:00Z", "stored garbage"),
                ("t", 1, "2024-03-14T15:00:00Z", "2024-03-14T15:00:00Z"),
            ])
        );
    }
}
