//! The overview of a store SQL cannot group for Eventscope (a PostgreSQL server, where no Eventscope
//! function parses times): the same answer as the grouped queries, counted in Rust over one scan of every
//! event in position order per pass, with progress and cancel every few thousand events. Memory holds the
//! counts per (bucket, series) and, when stacking by stream type, each stream's type.

use std::collections::HashMap;

use super::{Buckets, MICROS, Overview, OverviewOptions, StackBy};
use crate::core::model::{Event, Progress};
use crate::core::store::{ScanFilter, ScanOrder, Store, StoreError};

/// Events between two progress reports.
const REPORT_EVERY: u64 = 5_000;

/// [`super::overview`] by scanning.
pub(super) fn overview_by_scan(
    store: &Store,
    options: &OverviewOptions,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<Option<Overview>, StoreError> {
    let total_events = store.event_count()?;
    let steps = total_events.saturating_mul(2).max(1);
    let mut done = 0u64;
    let mut cancelled = false;
    let mut tick = |what: &'static str, cancelled: &mut bool| {
        done += 1;
        if done.is_multiple_of(REPORT_EVERY)
            && !progress(Progress {
                what,
                done,
                total: steps,
            })
        {
            *cancelled = true;
        }
        !*cancelled
    };
    let micros = |event: &Event| event.time.map(|t| t.timestamp_micros());

    // Pass 1: the time range, the total and the undated.
    let (mut first_us, mut last_us) = (None::<i64>, None::<i64>);
    let (mut total, mut dated) = (0u64, 0u64);
    store.scan(ScanOrder::Position, &ScanFilter::default(), &mut |event| {
        total += 1;
        if let Some(us) = micros(&event) {
            dated += 1;
            first_us = Some(first_us.map_or(us, |f| f.min(us)));
            last_us = Some(last_us.map_or(us, |l| l.max(us)));
        }
        tick("measuring the time range", &mut cancelled)
    })?;
    if cancelled {
        return Ok(None);
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
    store.scan(ScanOrder::Position, &ScanFilter::default(), &mut |event| {
        if let Some(us) = micros(&event) {
            let bucket = (us - start_secs.saturating_mul(MICROS)).div_euclid(bucket_secs * MICROS);
            let key = match options.by {
                StackBy::EventType => Some(event.event_type.clone()).filter(|t| !t.is_empty()),
                StackBy::StreamType => stream_types.get(&event.stream).cloned().flatten(),
            };
            if let Ok(bucket) = usize::try_from(bucket) {
                *cells.entry((bucket, key.unwrap_or_default())).or_default() += 1;
            }
        }
        tick("counting events per bucket", &mut cancelled)
    })?;
    if cancelled {
        return Ok(None);
    }
    Ok(Some(Overview::from_cells(
        options.by,
        Buckets::spanning(first_us, last_us, options.buckets),
        &cells,
        total,
        dated,
    )))
}
