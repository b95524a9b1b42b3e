//! The store at a glance: how many events happened in each period of the store's whole life, stacked by
//! stream type or event type, and which streams were active in a period the user brushes.
//!
//! It exists so that opening a store of millions of events shows its activity without loading it: SQLite
//! groups the events by (time bucket, key) and only the counts come back. Times are parsed by the same code
//! as events' times (the `es_micros` SQL function), so every format a store uses is bucketed exactly as
//! `events` would show it. The scan runs in position ranges, reporting progress (and honouring a cancel)
//! between them, so it can run on a worker thread.

mod scanned;

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::core::model::{Progress, StreamSummary, ser_time};
use crate::core::store::{ScanPlan, Store, StoreError, compare_ids, sql_text};

/// Position ranges each event table is scanned in (progress steps per pass).
const CHUNKS: u64 = 64;
const MICROS: i64 = 1_000_000;
const DAY_SECS: i64 = 86_400;
/// The bucket widths offered, in seconds: round units a chart axis can label.
const NICE_BUCKET_SECS: [i64; 17] = [
    1,
    5,
    10,
    30,
    60,
    5 * 60,
    10 * 60,
    30 * 60,
    3_600,
    3 * 3_600,
    6 * 3_600,
    12 * 3_600,
    DAY_SECS,
    7 * DAY_SECS,
    30 * DAY_SECS,
    90 * DAY_SECS,
    365 * DAY_SECS,
];

/// What the chart's series are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StackBy {
    /// The stream's type, as `streams` shows it (stored type, else the `category-` of the stream id).
    #[default]
    StreamType,
    /// The event type.
    EventType,
}

/// What to aggregate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverviewOptions {
    pub by: StackBy,
    /// The most buckets wanted; the bucket width is the smallest round unit giving at most this many.
    pub buckets: usize,
}

impl Default for OverviewOptions {
    fn default() -> Self {
        Self {
            by: StackBy::StreamType,
            buckets: 200,
        }
    }
}

/// Events per time bucket and series over the whole store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Overview {
    /// Start of the first bucket (a multiple of `bucket_secs` since the Unix epoch); `None` when no event
    /// has a time.
    #[serde(serialize_with = "ser_time")]
    pub start: Option<DateTime<Utc>>,
    /// End of the last bucket (exclusive).
    #[serde(serialize_with = "ser_time")]
    pub end: Option<DateTime<Utc>>,
    /// Width of every bucket.
    pub bucket_secs: i64,
    pub by: StackBy,
    /// Series keys, sorted; `""` holds the events with no type.
    pub series: Vec<String>,
    /// `counts[bucket][series]`, buckets from `start` on.
    pub counts: Vec<Vec<u64>>,
    /// Every event of the store, dated or not.
    pub total: u64,
    /// Events without a parseable time (in no bucket).
    pub undated: u64,
}

impl Overview {
    /// The time range `[from, to)` of bucket `index`.
    pub fn bucket_range(&self, index: usize) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let start = self.start?;
        let offset = i64::try_from(index).ok()?.checked_mul(self.bucket_secs)?;
        let from = start.checked_add_signed(chrono::TimeDelta::try_seconds(offset)?)?;
        let to = from.checked_add_signed(chrono::TimeDelta::try_seconds(self.bucket_secs)?)?;
        Some((from, to))
    }
}

/// Count the store's events per time bucket and series. `progress` is called between position ranges;
/// returning `false` cancels (then the answer is `Ok(None)`).
pub fn overview(
    store: &Store,
    options: &OverviewOptions,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<Option<Overview>, StoreError> {
    if store.is_postgres() {
        return scanned::overview_by_scan(store, options, progress);
    }
    let plans = store.scan_plans()?;
    let mut chunks = Vec::with_capacity(plans.len());
    for plan in &plans {
        chunks.push(store.position_chunks(plan, CHUNKS)?);
    }
    let steps: u64 = chunks.iter().map(|c| c.len() as u64).sum::<u64>() * 2;
    let mut done = 0;
    let mut step = |what| {
        done += 1;
        progress(Progress {
            what,
            done,
            total: steps,
        })
    };

    // Pass 1: the time range, the total and the undated.
    let (mut first_us, mut last_us) = (None::<i64>, None::<i64>);
    let (mut total, mut dated) = (0u64, 0u64);
    for (plan, ranges) in plans.iter().zip(&chunks) {
        for range in ranges {
            let x = plan.time.as_deref().unwrap_or("NULL");
            let sql = format!(
                "SELECT min(x), max(x), count(*), count(x) FROM \
                 (SELECT es_micros({x}) AS x FROM {from} WHERE {filter} AND {range} LIMIT -1)",
                from = plan.from,
                filter = plan.filter,
                range = range_sql(plan, *range),
            );
            let (min, max, n, n_dated) = store
                .connection()?
                .query_row(&sql, [], |r| {
                    Ok((
                        r.get::<_, Option<i64>>(0)?,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                    ))
                })
                .map_err(|e| store.sql_err(e))?;
            first_us = min_opt(first_us, min);
            last_us = last_us.max(max);
            total += u64::try_from(n).unwrap_or(0);
            dated += u64::try_from(n_dated).unwrap_or(0);
            if !step("measuring the time range") {
                return Ok(None);
            }
        }
    }
    let (Some(first_us), Some(last_us)) = (first_us, last_us) else {
        return Ok(Some(Overview::undated(options.by, total)));
    };
    let Buckets {
        start_secs,
        bucket_secs,
        ..
    } = Buckets::spanning(first_us, last_us, options.buckets);

    // Pass 2: counts per (bucket, key).
    let stream_types: HashMap<String, Option<String>> = match options.by {
        StackBy::EventType => HashMap::new(),
        // Stream by stream: the whole list of summaries is not held beside the map.
        StackBy::StreamType => {
            let mut types = HashMap::new();
            store.each_stream(&mut |s| {
                types.insert(s.id, s.stream_type);
                true
            })?;
            types
        }
    };
    let mut cells: HashMap<(usize, String), u64> = HashMap::new();
    for (plan, ranges) in plans.iter().zip(&chunks) {
        let Some(time) = &plan.time else {
            for _ in ranges {
                if !step("counting events per bucket") {
                    return Ok(None);
                }
            }
            continue;
        };
        // A stream's type is the one `streams` lists (it may be stored on its first event only).
        let key = match options.by {
            StackBy::EventType => &plan.event_type,
            StackBy::StreamType => &plan.stream_id,
        };
        for range in ranges {
            let sql = format!(
                "SELECT (es_micros({time}) - ?1) / ?2, {key}, count(*) FROM {from} \
                 WHERE {filter} AND {range} GROUP BY 1, 2",
                from = plan.from,
                filter = plan.filter,
                range = range_sql(plan, *range),
            );
            let mut stmt = store
                .connection()?
                .prepare(&sql)
                .map_err(|e| store.sql_err(e))?;
            let mut rows = stmt
                .query([start_secs.saturating_mul(MICROS), bucket_secs * MICROS])
                .map_err(|e| store.sql_err(e))?;
            while let Some(row) = rows.next().map_err(|e| store.sql_err(e))? {
                store.row_read();
                let read = || -> rusqlite::Result<Option<((usize, String), u64)>> {
                    let Some(bucket) = row.get::<_, Option<i64>>(0)? else {
                        return Ok(None);
                    };
                    let key = match options.by {
                        StackBy::EventType => sql_text(row.get_ref(1)?.into()),
                        StackBy::StreamType => sql_text(row.get_ref(1)?.into())
                            .and_then(|id| stream_types.get(&id).cloned().flatten()),
                    };
                    let n = u64::try_from(row.get::<_, i64>(2)?).unwrap_or(0);
                    Ok(usize::try_from(bucket)
                        .ok()
                        .map(|b| ((b, key.unwrap_or_default()), n)))
                };
                if let Some((cell, n)) = read().map_err(|e| store.sql_err(e))? {
                    *cells.entry(cell).or_default() += n;
                }
            }
            if !step("counting events per bucket") {
                return Ok(None);
            }
        }
    }
    Ok(Some(Overview::from_cells(
        options.by,
        Buckets::spanning(first_us, last_us, options.buckets),
        &cells,
        total,
        dated,
    )))
}

/// The buckets of an overview: the first one's start, their width and how many.
#[derive(Clone, Copy)]
struct Buckets {
    start_secs: i64,
    bucket_secs: i64,
    count: usize,
}

impl Buckets {
    /// Round buckets, at most `target` of them, from the time `first_us` to `last_us` (microseconds).
    fn spanning(first_us: i64, last_us: i64, target: usize) -> Self {
        let first_secs = first_us.div_euclid(MICROS);
        let last_secs = last_us.div_euclid(MICROS);
        let bucket_secs = nice_bucket_secs(first_secs, last_secs, target);
        Self {
            start_secs: first_secs.div_euclid(bucket_secs) * bucket_secs,
            bucket_secs,
            count: usize::try_from(
                last_secs.div_euclid(bucket_secs) - first_secs.div_euclid(bucket_secs) + 1,
            )
            .unwrap_or(0),
        }
    }
}

impl Overview {
    /// The overview of `total` events none of which has a time.
    fn undated(by: StackBy, total: u64) -> Self {
        Self {
            start: None,
            end: None,
            bucket_secs: 0,
            by,
            series: Vec::new(),
            counts: Vec::new(),
            total,
            undated: total,
        }
    }

    /// The overview of the counts per (bucket, series key) in `cells`.
    fn from_cells(
        by: StackBy,
        buckets: Buckets,
        cells: &HashMap<(usize, String), u64>,
        total: u64,
        dated: u64,
    ) -> Self {
        let series: Vec<String> = cells
            .keys()
            .map(|(_, key)| key.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let column: HashMap<&str, usize> = series
            .iter()
            .enumerate()
            .map(|(i, key)| (key.as_str(), i))
            .collect();
        let mut counts = vec![vec![0u64; series.len()]; buckets.count];
        for ((bucket, key), n) in cells {
            if let (Some(row), Some(&col)) = (counts.get_mut(*bucket), column.get(key.as_str()))
                && let Some(cell) = row.get_mut(col)
            {
                *cell += n;
            }
        }
        let at = |secs: i64| DateTime::from_timestamp(secs, 0);
        Self {
            start: at(buckets.start_secs),
            end: i64::try_from(buckets.count)
                .ok()
                .and_then(|n| n.checked_mul(buckets.bucket_secs))
                .and_then(|span| at(buckets.start_secs.saturating_add(span))),
            bucket_secs: buckets.bucket_secs,
            by,
            series,
            counts,
            total,
            undated: total - dated,
        }
    }
}

/// The streams with events in `[from, to)`, each with the number of its events in the range and the times of
/// the first and last of them by position, sorted by those events (most first), then by id.
pub fn streams_active(
    store: &Store,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<StreamSummary>, StoreError> {
    let mut streams = store.streams_in_range(from, to)?;
    streams.sort_by(|a, b| {
        b.events
            .cmp(&a.events)
            .then_with(|| compare_ids(&a.id, &b.id))
    });
    Ok(streams)
}

/// The smallest round bucket width giving at most `target` buckets from `first_secs` to `last_secs`.
pub fn nice_bucket_secs(first_secs: i64, last_secs: i64, target: usize) -> i64 {
    let target = i64::try_from(target.max(1)).unwrap_or(i64::MAX);
    let count = |width: i64| last_secs.div_euclid(width) - first_secs.div_euclid(width) + 1;
    if let Some(width) = NICE_BUCKET_SECS.iter().find(|w| count(**w) <= target) {
        return *width;
    }
    let year = 365 * DAY_SECS;
    let mut years = 2;
    while count(year * years) > target {
        years *= 2;
    }
    year * years
}

/// The SQL condition of one position range (or `1` for the whole table).
fn range_sql(plan: &ScanPlan, range: Option<(i64, i64)>) -> String {
    range.map_or_else(
        || "1".to_owned(),
        |(low, high)| format!("{pos} BETWEEN {low} AND {high}", pos = plan.position),
    )
}

fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn store_with(sql: &str) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("overview.sqlite");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(sql).unwrap();
        drop(conn);
        let store = Store::open(&path, None).unwrap();
        (dir, store)
    }

    const MIXED_TIMES: &str = "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT, created_at);
         INSERT INTO events(stream_id, version, type, data, created_at) VALUES
           ('order-1', 1, 'Created', '{}', '2024-01-01T00:00:10Z'),
           ('order-1', 2, 'Paid', '{}', '2024-01-01 00:00:50.5'),
           ('cart-7', 1, 'Created', '{}', 1704067290),
           ('cart-7', 2, 'Added', '{}', 1704067330000),
           ('order-2', 1, 'Created', '{}', '2024-01-01T01:00:40+01:00'),
           ('order-2', 2, 'Lost', '{}', 'not a time'),
           ('order-2', 3, 'Lost', '{}', NULL);";

    #[test]
    fn every_time_format_lands_in_its_bucket_and_unparseable_times_are_undated() {
        let (_dir, store) = store_with(MIXED_TIMES);
        let options = OverviewOptions {
            by: StackBy::StreamType,
            buckets: 10,
        };
        let o = overview(&store, &options, &mut |_| true).unwrap().unwrap();
        // 00:00:10 to 00:02:10: 30-second buckets give five.
        assert_eq!(o.bucket_secs, 30);
        assert_eq!(
            o.start.map(|t| t.to_rfc3339()).as_deref(),
            Some("2024-01-01T00:00:00+00:00")
        );
        assert_eq!(o.series, ["cart", "order"]);
        assert_eq!(o.counts, [[0, 1], [0, 2], [0, 0], [1, 0], [1, 0]]);
        assert_eq!((o.total, o.undated), (7, 2));
        assert_eq!(
            o.bucket_range(1)
                .map(|(a, b)| (a.timestamp(), b.timestamp())),
            Some((1_704_067_230, 1_704_067_260))
        );
    }

    #[test]
    fn stacking_by_event_type_counts_each_type() {
        let (_dir, store) = store_with(MIXED_TIMES);
        let options = OverviewOptions {
            by: StackBy::EventType,
            buckets: 1,
        };
        let o = overview(&store, &options, &mut |_| true).unwrap().unwrap();
        assert_eq!(o.bucket_secs, 300);
        assert_eq!(o.series, ["Added", "Created", "Paid"]);
        assert_eq!(o.counts, [[1, 3, 1]]);
    }

    #[test]
    fn returning_false_from_progress_cancels() {
        let (_dir, store) = store_with(MIXED_TIMES);
        let mut calls = 0;
        let answer = overview(&store, &OverviewOptions::default(), &mut |_| {
            calls += 1;
            false
        })
        .unwrap();
        assert_eq!((answer, calls), (None, 1));
    }

    #[test]
    fn active_streams_count_only_their_events_in_the_range_most_active_first() {
        let (_dir, store) = store_with(MIXED_TIMES);
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        let active = streams_active(
            &store,
            at("2024-01-01T00:00:30Z"),
            at("2024-01-01T00:02:30Z"),
        )
        .unwrap();
        let got: Vec<(&str, u64)> = active.iter().map(|s| (s.id.as_str(), s.events)).collect();
        assert_eq!(got, [("cart-7", 2), ("order-1", 1), ("order-2", 1)]);
        assert_eq!(active[1].stream_type.as_deref(), Some("order"));
    }

    #[test]
    fn bucket_widths_are_round_units() {
        assert_eq!(nice_bucket_secs(0, 59, 200), 1);
        assert_eq!(nice_bucket_secs(0, 3_600, 200), 30);
        assert_eq!(nice_bucket_secs(0, 86_400 * 3, 200), 30 * 60);
        assert_eq!(nice_bucket_secs(0, 86_400 * 365 * 3, 200), 7 * DAY_SECS);
        assert_eq!(
            nice_bucket_secs(0, 86_400 * 365 * 1_000, 200),
            365 * DAY_SECS * 8
        );
    }
}
