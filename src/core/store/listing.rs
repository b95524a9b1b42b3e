//! The streams list without holding it: [`Store::each_stream`] hands each summary over as it is read, in the
//! order of [`Store::streams`], and [`Store::streams_page`] and [`Store::streams_with_prefix`] answer one screen
//! of it through the stream index, so a window can show the first streams of a store with 500,000 of them at
//! once and filter by id prefix without reading the rest.
//!
//! `streams` sorts by [`compare_ids`] after merging ids stored in several forms (a UUID as a blob and as
//! text) and streams spread over several event tables. Both need the whole list in memory, but neither
//! happens in the common store: one event table whose stored keys, read in index order, are already
//! strictly increasing in list order. `each_stream` checks that with one pass over the key index (a few
//! bytes per stream, nothing kept), then streams the grouped query in key order; any other store gets the
//! list `streams` builds, handed over one by one. On PostgreSQL the pages, prefixes and the list page by
//! page come from `pg::streams`.

use super::summary::KeyRange;
use super::*;

/// A page of the streams list: the summaries, and where the next page starts.
#[derive(Clone, Debug, PartialEq)]
pub struct StreamPage {
    /// The streams, sorted by id as [`Store::streams`] sorts them.
    pub streams: Vec<StreamSummary>,
    /// The `after` of the next page; `None` once the list is exhausted.
    pub next: Option<String>,
}

impl Store {
    /// Every stream, exactly as [`Self::streams`] lists them and in the same order, handed to `on_stream`
    /// one at a time (it returns false to stop); returns whether the list ran to the end. Memory is bounded
    /// by one summary when the store has one event table whose stored keys come in list order (see the
    /// module comment), and is that of `streams` otherwise.
    pub fn each_stream(
        &self,
        on_stream: &mut dyn FnMut(StreamSummary) -> bool,
    ) -> Result<bool, StoreError> {
        if let Some(pg) = self.pg()
            && let Some(done) = self.pg_each_stream(pg, on_stream)?
        {
            return Ok(done);
        }
        if let [source] = self.sources.as_slice()
            && let Some(query) = self.streamable(source)?
        {
            return self.each_row(&query, None, &mut |row| on_stream(row.into_summary()));
        }
        for summary in self.streams()? {
            if !on_stream(summary) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The ordered summaries query of `source` when its rows can go out as they are read: the table has
    /// stream ids, reads both ends by seeks, and its distinct keys, in stored order, are strictly increasing
    /// in list order once formatted (so no two rows are one stream and no sort is needed).
    fn streamable(&self, source: &Source) -> Result<Option<summary::SummaryQuery>, StoreError> {
        let m = &source.mapping;
        if m.stream.is_empty() || self.pg().is_some() {
            return Ok(None);
        }
        let ordered = KeyRange {
            ordered: true,
            ..KeyRange::default()
        };
        let Some(query) = self.summary_query(source, None, &ordered)? else {
            return Ok(None);
        };
        if !query.reads_ends_by_seeks() || !self.keys_in_list_order(source)? {
            return Ok(None);
        }
        Ok(Some(query))
    }

    /// Whether a scan in stream order ([`ScanOrder::Stream`]) reads each stream's events in one run, no stream
    /// coming back later under another stored form or in another table: one event table whose keys come in
    /// list order. Then a pass over the store needs to keep only the current stream's state.
    pub fn scan_keeps_streams_together(&self) -> Result<bool, StoreError> {
        if self.pg().is_some() {
            // Read stream after stream (`pg::scan`).
            return Ok(true);
        }
        match self.sources.as_slice() {
            [] => Ok(true),
            [source] => Ok(source.mapping.stream.is_empty() || self.keys_in_list_order(source)?),
            _ => Ok(false),
        }
    }

    /// Whether the distinct stream keys of `source`, in the order `GROUP BY ... ORDER BY` gives them, format
    /// to ids strictly increasing by [`compare_ids`]. Reads the key index only; keeps one id.
    fn keys_in_list_order(&self, source: &Source) -> Result<bool, StoreError> {
        let m = &source.mapping;
        let parts: Vec<String> = m.stream.iter().map(|s| source.sql(s)).collect();
        let n = parts.len();
        let group = (1..=n)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {keys} FROM {from} WHERE {filter} GROUP BY {group} ORDER BY {group}",
            keys = parts.join(", "),
            from = m.from_sql(false),
            filter = m.filter_sql(),
        );
        let mut stmt = self.db()?.prepare(&sql).map_err(|e| self.sql_err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.sql_err(e))?;
        let mut previous: Option<String> = None;
        let mut ids = Vec::with_capacity(n);
        while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
            self.row_read();
            ids.clear();
            for i in 0..n {
                ids.push(format_stream_id(
                    row.get_ref(i).map_err(|e| self.sql_err(e))?.into(),
                ));
            }
            let id = composite_id(&ids);
            if previous
                .as_deref()
                .is_some_and(|before| compare_ids(before, &id) != Ordering::Less)
            {
                return Ok(false);
            }
            previous = Some(id);
        }
        Ok(true)
    }

    /// Up to `limit` streams after the id `after` (from the start when `None`), as [`Self::streams`] shows
    /// them, read through the stream index: the first screen of a big store without reading the rest.
    /// Pages follow the stored key order of each table (numbers numerically, then text), which is the order
    /// of `streams` when ids are stored as text in the form `streams` prints them; for ids stored otherwise
    /// (UUIDs as blobs, in upper case) a page holds the right streams but may not continue exactly where
    /// the list's previous page ended.
    pub fn streams_page(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> Result<StreamPage, StoreError> {
        let keys = KeyRange {
            after,
            limit: Some(limit.max(1)),
            ..KeyRange::default()
        };
        let mut full = false;
        let mut streams = self.keyed_summaries(&keys, &mut full)?;
        if let Some(after) = after {
            streams.retain(|s| compare_ids(&s.id, after) == Ordering::Greater);
        }
        streams.truncate(limit);
        let next = if full {
            streams.last().map(|s| s.id.clone())
        } else {
            None
        };
        Ok(StreamPage { streams, next })
    }

    /// Up to `limit` streams whose id starts with `prefix`, as [`Self::streams`] shows them, sorted by id;
    /// answered through the stream index. The prefix matches ids stored as text (a UUID stored as a blob is
    /// not found by its printed prefix); a single log's stream never matches.
    pub fn streams_with_prefix(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<StreamSummary>, StoreError> {
        let keys = KeyRange {
            prefix: Some(prefix),
            limit: Some(limit.max(1)),
            ..KeyRange::default()
        };
        let mut streams = self.keyed_summaries(&keys, &mut false)?;
        streams.retain(|s| s.id.starts_with(prefix));
        streams.truncate(limit);
        Ok(streams)
    }

    /// The summaries of the streams in `keys` of every event table with stream ids, merged and sorted as
    /// `streams` does. `full` is set when some table had more streams than the limit.
    fn keyed_summaries(
        &self,
        keys: &KeyRange<'_>,
        full: &mut bool,
    ) -> Result<Vec<StreamSummary>, StoreError> {
        let many = self.sources.len() > 1;
        let limit = keys.limit.unwrap_or(usize::MAX);
        if let Some(pg) = self.pg() {
            return self.pg_keyed_summaries(pg, keys.after, keys.prefix, limit, full);
        }
        self.merge_tables(&mut |source| {
            let table = many.then(|| source.mapping.table.clone());
            let Some(query) = self
                .summary_query(source, None, keys)?
                .filter(|_| !source.mapping.stream.is_empty())
            else {
                return Ok(Vec::new());
            };
            let rows = self.summary_rows(source, table.as_ref(), &query)?;
            *full |= rows.len() >= limit;
            Ok(rows)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with(sql: &str) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        Connection::open(&path).unwrap().execute_batch(sql).unwrap();
        let store = Store::open(&path, None).unwrap();
        (dir, store)
    }

    fn every(store: &Store) -> (bool, Vec<StreamSummary>) {
        let mut out = Vec::new();
        let done = store
            .each_stream(&mut |s| {
                out.push(s);
                true
            })
            .unwrap();
        (done, out)
    }

    const PLAIN: &str =
        "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT,
            data TEXT, created_at TEXT);
         CREATE UNIQUE INDEX events_stream ON events(stream_id, version);";

    fn plain_store(ids: &[&str]) -> (tempfile::TempDir, Store) {
        let mut sql = PLAIN.to_owned();
        for (i, id) in ids.iter().enumerate() {
            for version in 1..=2 {
                sql.push_str(&format!(
                    "INSERT INTO events(stream_id, version, type, data, created_at) VALUES \
                     ('{id}', {version}, 'T', '{{}}', '2024-03-14T14:{:02}:00Z');",
                    (i * 2 + version) % 60
                ));
            }
        }
        store_with(&sql)
    }

    #[test]
    fn each_stream_gives_the_streams_list_in_its_order_when_keys_are_canonical_text() {
        let (_dir, store) = plain_store(&["order-2", "account-1", "order-10", "b", "a"]);
        let source = store.sources.first().unwrap();
        assert!(store.streamable(source).unwrap().is_some());
        let (done, listed) = every(&store);
        assert!(done);
        assert_eq!(listed, store.streams().unwrap());
    }

    #[test]
    fn each_stream_falls_back_to_the_sorted_list_when_stored_order_is_not_list_order() {
        // Text that reads as a number sorts numerically in the list but as text in the index; an upper-case
        // UUID merges with its lower-case form.
        for ids in [
            &["10", "9", "a"][..],
            &[
                "0F8FAD5B-D9CB-469F-A165-70867728950E",
                "0f8fad5b-d9cb-469f-a165-70867728950e",
                "zz",
            ][..],
        ] {
            let (_dir, store) = plain_store(ids);
            let source = store.sources.first().unwrap();
            assert!(store.streamable(source).unwrap().is_none(), "{ids:?}");
            let (done, listed) = every(&store);
            assert!(done);
            assert_eq!(listed, store.streams().unwrap(), "{ids:?}");
        }
    }

    #[test]
    fn each_stream_stops_when_told() {
        let (_dir, store) = plain_store(&["a", "b", "c"]);
        let mut seen = 0;
        let done = store
            .each_stream(&mut |_| {
                seen += 1;
                seen < 2
            })
            .unwrap();
        assert!(!done);
        assert_eq!(seen, 2);
    }

    #[test]
    fn pages_of_streams_put_together_are_the_streams_list() {
        let ids: Vec<String> = (0..23).map(|i| format!("order-{i:03}")).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let (_dir, store) = plain_store(&refs);
        let mut pages = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = store.streams_page(after.as_deref(), 5).unwrap();
            assert!(page.streams.len() <= 5);
            pages.extend(page.streams);
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        assert_eq!(pages, store.streams().unwrap());
    }

    #[test]
    fn numeric_ids_page_numerically() {
        let ids: Vec<String> = (1..=12).map(|i| i.to_string()).collect();
        let mut sql = PLAIN.replace("stream_id TEXT", "stream_id INTEGER");
        for id in &ids {
            sql.push_str(&format!(
                "INSERT INTO events(stream_id, version, type, data, created_at) VALUES \
                 ({id}, 1, 'T', '{{}}', '2024-03-14T14:00:00Z');"
            ));
        }
        let (_dir, store) = store_with(&sql);
        let page = store.streams_page(Some("9"), 2).unwrap();
        let got: Vec<&str> = page.streams.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(got, ["10", "11"]);
        assert_eq!(page.next.as_deref(), Some("11"));
        let (_, listed) = every(&store);
        assert_eq!(listed, store.streams().unwrap());
    }

    #[test]
    fn a_prefix_finds_the_streams_whose_id_starts_with_it_and_no_other() {
        let (_dir, store) = plain_store(&["order-1", "order-2", "orders-9", "account-1", "ord"]);
        let found = store.streams_with_prefix("order-", 10).unwrap();
        let expected: Vec<StreamSummary> = store
            .streams()
            .unwrap()
            .into_iter()
            .filter(|s| s.id.starts_with("order-"))
            .collect();
        assert_eq!(found, expected);
        assert_eq!(store.streams_with_prefix("order", 2).unwrap().len(), 2);
        assert!(store.streams_with_prefix("zzz", 10).unwrap().is_empty());
    }
}
