//! A whole-store scan in stream order, cut in two at a stream key, so `verify` can read the two halves on
//! two connections at once. A scan in stream order reads the table's pages in index order, one page per
//! event more often than not, and most of its time goes to copying those pages out of the kernel; two
//! threads copy twice as fast.
//!
//! Only stores where the cut is cheap and exact are cut: one SQLite event table whose stream key is one
//! column (or expression) that orders by an index, whose streams come in list order (see
//! [`Store::scan_keeps_streams_together`]), with no row lacking a key. Every stream then falls wholly on one
//! side, and the first half followed by the second gives the same events in the same order as
//! [`Store::scan`] in [`ScanOrder::Stream`].

use super::scan::{ScanOrder, scan_conditions};
use super::*;

/// A stream key that cuts a store's stream-order scan in two (from [`Store::stream_split`]).
#[derive(Clone, Debug, PartialEq)]
pub struct StreamSplit {
    /// The stream key as stored: the first key of the second half.
    key: SqlValue,
}

/// One side of a [`StreamSplit`].
#[derive(Clone, Copy, Debug)]
pub enum StreamHalf<'a> {
    /// The streams whose key sorts before the split.
    Before(&'a StreamSplit),
    /// The streams whose key is the split's or sorts after it.
    From(&'a StreamSplit),
}

impl Store {
    /// The stream key of the event in the middle of a stream-order scan, when the store can be cut there (see
    /// the module doc) and holds at least `at_least` of its `events`; `None` otherwise. The caller has checked
    /// that its streams come in list order ([`Store::scan_keeps_streams_together`], a pass over the key index
    /// it needs anyway).
    pub fn stream_split(
        &self,
        events: u64,
        at_least: u64,
    ) -> Result<Option<StreamSplit>, StoreError> {
        let ([source], None) = (self.sources.as_slice(), self.pg()) else {
            return Ok(None);
        };
        let m = &source.mapping;
        let [part] = m.stream.as_slice() else {
            return Ok(None);
        };
        if events < at_least.max(2) {
            return Ok(None);
        }
        let key = source.sql(part);
        let (from, filter) = (m.from_sql(false), m.filter_sql());
        let middle = format!(
            "SELECT {key} FROM {from} WHERE {filter} ORDER BY {key} LIMIT 1 OFFSET {}",
            events / 2
        );
        if self.sorts(&middle)? {
            return Ok(None);
        }
        let unkeyed = format!("SELECT 1 FROM {from} WHERE {filter} AND {key} IS NULL LIMIT 1");
        let db = self.db()?;
        if db
            .query_row(&unkeyed, [], |_| Ok(()))
            .optional()
            .map_err(|e| self.sql_err(e))?
            .is_some()
        {
            return Ok(None);
        }
        let key: Option<SqlValue> = self
            .db()?
            .query_row(&middle, [], |r| r.get(0))
            .optional()
            .map_err(|e| self.sql_err(e))?;
        Ok(key
            .filter(|k| *k != SqlValue::Null)
            .map(|key| StreamSplit { key }))
    }

    /// The events of one half of a [`StreamSplit`], stream after stream as [`Store::scan`] reads them in
    /// [`ScanOrder::Stream`]; `on_event` returns false to stop, and the result says whether the scan ran to
    /// the end.
    pub fn scan_stream_half(
        &self,
        half: StreamHalf<'_>,
        on_event: &mut dyn FnMut(Event) -> bool,
    ) -> Result<bool, StoreError> {
        let [source] = self.sources.as_slice() else {
            return Err(StoreError::Mapping {
                path: self.path().to_path_buf(),
                message: "a scan can be cut in two only with one event table".to_owned(),
            });
        };
        let m = &source.mapping;
        let key = m.stream.first().map(|part| source.sql(part));
        let (mut conds, mut params) = scan_conditions(source, &ScanFilter::default());
        if let Some(key) = key {
            let (op, split) = match half {
                StreamHalf::Before(split) => ("<", split),
                StreamHalf::From(split) => (">=", split),
            };
            conds = format!("{conds} AND {key} {op} ?");
            params.push(split.key.clone());
        }
        self.scan_source(source, ScanOrder::Stream, (conds, params), on_event)
    }

    /// Whether SQLite would sort the rows of `sql` itself (no index gives its order).
    fn sorts(&self, sql: &str) -> Result<bool, StoreError> {
        Ok(self
            .query_plan(sql)?
            .iter()
            .any(|step| step.contains("TEMP B-TREE")))
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;

    fn store(dir: &std::path::Path, sql: &str) -> Store {
        let path = dir.join("split.sqlite");
        let _ = std::fs::remove_file(&path);
        Connection::open(&path).unwrap().execute_batch(sql).unwrap();
        let mapping: Mapping = serde_json::from_value(serde_json::json!({
            "table": "ev", "position": {"column": "seq"}, "stream": {"column": "stream_id"},
            "version": {"column": "version"}, "type": {"column": "type"}, "data": "data"
        }))
        .unwrap();
        Store::open(&path, Some(mapping)).unwrap()
    }

    const EVENTS: &str =
        "CREATE TABLE ev(seq INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT,
                              data TEXT);
         WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 1000)
         INSERT INTO ev(stream_id, version, type, data)
             SELECT 's' || (i * 7 % 13), i, 'T', json_object('n', i) FROM k;";

    fn positions(store: &Store, half: Option<StreamHalf<'_>>) -> Vec<(String, i64)> {
        let mut out = Vec::new();
        let mut push = |e: Event| {
            out.push((e.stream, e.position));
            true
        };
        match half {
            Some(half) => assert!(store.scan_stream_half(half, &mut push).unwrap()),
            None => assert!(
                store
                    .scan(ScanOrder::Stream, &ScanFilter::default(), &mut push)
                    .unwrap()
            ),
        }
        out
    }

    #[test]
    fn the_halves_read_what_one_scan_reads_each_stream_on_one_side() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(
            dir.path(),
            &format!("{EVENTS} CREATE INDEX ev_stream ON ev(stream_id, version);"),
        );
        let split = store.stream_split(1_000, 10).unwrap().expect("a split");
        let before = positions(&store, Some(StreamHalf::Before(&split)));
        let from = positions(&store, Some(StreamHalf::From(&split)));
        let whole = positions(&store, None);
        assert_eq!([before.clone(), from.clone()].concat(), whole);
        // The middle event's stream starts the second half.
        assert_eq!(from.first(), whole[before.len()..].first());
        assert!(
            before.len() <= 500 && before.len() > 300,
            "{}",
            before.len()
        );
        let last_before = &before.last().unwrap().0;
        assert!(from.iter().all(|(s, _)| s != last_before));
        assert_eq!(store.stream_split(1_000, 1_001).unwrap(), None);
    }

    #[test]
    fn no_split_without_an_index_on_the_key_or_with_rows_lacking_one() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            store(dir.path(), EVENTS).stream_split(1_000, 10).unwrap(),
            None
        );
        let unkeyed = store(
            dir.path(),
            &format!(
                "{EVENTS} CREATE INDEX ev_stream ON ev(stream_id, version);
                 INSERT INTO ev(stream_id, version, type, data) VALUES (NULL, 1, 'T', '{{}}');"
            ),
        );
        assert_eq!(unkeyed.stream_split(1_001, 10).unwrap(), None);
    }
}
