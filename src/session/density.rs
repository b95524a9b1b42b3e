//! A million marks in a thousand pixels: the timeline's events sorted by axis value, with per-type counts
//! kept every block of events, so the events in any pixel column are counted (and their dominant type found)
//! with two binary searches and a short scan. Drawing then costs the width of the timeline, not the number
//! of events. Built by the worker when a stream loads (indexing a million events takes a few hundred
//! milliseconds, too long for the UI thread); plain data with no egui, tested as such.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::core::timeline::packed::PackedColumn;
use crate::core::timeline::stream_index::StreamIndex;

mod stream_axes;
pub use stream_axes::{StreamAxes, count_through};

/// Upper bound on the per-type count table (blocks × types), so a stream with many types stays small.
const MAX_TABLE: usize = 2_000_000;

/// Events in axis order, indexed for counting.
pub struct AxisIndex {
    /// Axis values, ascending.
    sorted: Values,
    /// Event index of each sorted entry; `None` when the events are already in axis order.
    order: Option<Vec<u32>>,
    /// Type of each sorted entry, packed (a few bits an event; shared with the other axis when both are in
    /// stream order).
    sorted_types: Arc<PackedColumn>,
    types: usize,
    block: usize,
    /// `prefix[b * types + t]`: events of type `t` among the first `b * block` sorted entries.
    prefix: Vec<u32>,
}

/// An axis' values in ascending order.
enum Values {
    /// Entry `k` is at `k` (the sequence axis): nothing stored.
    Ordinals(usize),
    /// Entry `k` is at the time of event `k` as the stream's index holds it (a time axis already in
    /// stream order): nothing stored.
    Times(Arc<StreamIndex>),
    Stored(Vec<f64>),
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Self::Ordinals(len) => *len,
            Self::Times(index) => index.len(),
            Self::Stored(values) => values.len(),
        }
    }

    fn get(&self, k: usize) -> Option<f64> {
        match self {
            #[expect(clippy::cast_precision_loss, reason = "axis coordinates")]
            Self::Ordinals(len) => (k < *len).then_some(k as f64),
            Self::Times(index) => index.time(k).map(axis_secs),
            Self::Stored(values) => values.get(k).copied(),
        }
    }

    /// The first entry at or after `from` whose value is not `below` (values ascend, so `below` holds for a
    /// prefix).
    fn partition_point_from(&self, from: usize, below: impl Fn(f64) -> bool) -> usize {
        let (mut lo, mut hi) = (from.min(self.len()), self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.get(mid).is_some_and(&below) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    fn partition_point(&self, below: impl Fn(f64) -> bool) -> usize {
        self.partition_point_from(0, below)
    }

    /// Bytes held.
    fn heap_bytes(&self) -> usize {
        match self {
            Self::Ordinals(_) | Self::Times(_) => 0,
            Self::Stored(values) => values.capacity() * 8,
        }
    }
}

/// The axis coordinate of an event's time: Unix seconds, to the millisecond.
#[expect(clippy::cast_precision_loss, reason = "axis coordinates")]
pub fn axis_secs(time: DateTime<Utc>) -> f64 {
    time.timestamp_millis() as f64 / 1000.0
}

/// The events under one pixel column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// Events of shown types.
    pub count: u32,
    /// The most frequent shown type (ties: the lower type index).
    pub dominant: u16,
}

impl AxisIndex {
    /// Index events with axis value `values[i]` and type `type_of[i]` (an index below `types`).
    pub fn new(values: &[f64], type_of: &[u16], types: usize) -> Self {
        let mut packed = PackedColumn::with_capacity(type_of.len());
        for &t in type_of {
            packed.push(i64::from(t));
        }
        Self::from_parts(values.to_vec(), Arc::new(packed), types)
    }

    /// [`Self::new`] taking its columns: when the values already ascend (the times of nearly every stream)
    /// neither is copied.
    pub fn from_parts(values: Vec<f64>, type_of: Arc<PackedColumn>, types: usize) -> Self {
        let monotonic = values.windows(2).all(|w| matches!(w, [a, b] if a <= b));
        if monotonic {
            return Self::counted(Values::Stored(values), None, type_of, types);
        }
        let mut order: Vec<u32> = (0..values.len())
            .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
            .collect();
        let value = |i: u32| values.get(i as usize).copied().unwrap_or(f64::MAX);
        order.sort_by(|&a, &b| value(a).total_cmp(&value(b)).then(a.cmp(&b)));
        let sorted: Vec<f64> = order.iter().map(|&i| value(i)).collect();
        let mut sorted_types = PackedColumn::with_capacity(order.len());
        for &i in &order {
            sorted_types.push(type_of.get(i as usize).unwrap_or(0));
        }
        let sorted_types = Arc::new(sorted_types);
        Self::counted(Values::Stored(sorted), Some(order), sorted_types, types)
    }

    /// The sequence axis of `type_of.len()` events (event `i` at `i`): only the per-type counts are added.
    pub fn ordinals(type_of: Arc<PackedColumn>, types: usize) -> Self {
        Self::counted(Values::Ordinals(type_of.len()), None, type_of, types)
    }

    /// The axis with its per-type counts every block.
    fn counted(
        sorted: Values,
        order: Option<Vec<u32>>,
        sorted_types: Arc<PackedColumn>,
        types: usize,
    ) -> Self {
        let len = sorted.len();
        let types = types.max(1);
        let mut block = 64;
        while (len / block + 1) * types > MAX_TABLE {
            block *= 2;
        }
        let blocks = len / block;
        let mut prefix = vec![0_u32; (blocks + 1) * types];
        let mut running = vec![0_u32; types];
        for b in 0..blocks {
            for k in b * block..(b + 1) * block {
                if let Some(n) = sorted_types
                    .get(k)
                    .and_then(|t| running.get_mut(usize::try_from(t).ok()?))
                {
                    *n += 1;
                }
            }
            if let Some(row) = prefix.get_mut((b + 1) * types..(b + 2) * types) {
                row.copy_from_slice(&running);
            }
        }
        Self {
            sorted,
            order,
            sorted_types,
            types,
            block,
            prefix,
        }
    }

    /// Bytes held (the types counted, shared or not).
    pub fn heap_bytes(&self) -> usize {
        self.sorted.heap_bytes()
            + self.order.as_ref().map_or(0, |o| o.capacity() * 4)
            + self.sorted_types.heap_bytes()
            + self.prefix.capacity() * 4
    }

    /// The event index of sorted entry `k`.
    pub fn event(&self, k: usize) -> usize {
        self.order
            .as_ref()
            .map_or(k, |o| o.get(k).map_or(k, |&i| i as usize))
    }

    /// The axis value of sorted entry `k`.
    pub fn value(&self, k: usize) -> Option<f64> {
        self.sorted.get(k)
    }

    /// Type of sorted entry `k`.
    pub fn type_at(&self, k: usize) -> Option<u16> {
        u16::try_from(self.sorted_types.get(k)?).ok()
    }

    /// Sorted entries with value in `[lo, hi]`.
    pub fn range(&self, lo: f64, hi: f64) -> std::ops::Range<usize> {
        self.sorted.partition_point(|x| x < lo)..self.sorted.partition_point(|x| x <= hi)
    }

    /// Smallest and largest value.
    pub fn bounds(&self) -> Option<(f64, f64)> {
        let last = self.sorted.len().checked_sub(1)?;
        Some((self.sorted.get(0)?, self.sorted.get(last)?))
    }

    /// The shown entry nearest to `v` (as an event index); `hidden[t]` hides type `t`.
    pub fn nearest(&self, v: f64, hidden: &[bool]) -> Option<usize> {
        let shown = |k: &usize| {
            self.type_at(*k)
                .is_some_and(|t| !hidden.get(usize::from(t)).copied().unwrap_or(false))
        };
        let split = self.sorted.partition_point(|x| x < v);
        let left = (0..split).rev().find(shown);
        let right = (split..self.sorted.len()).find(shown);
        [left, right]
            .into_iter()
            .flatten()
            .filter_map(|k| self.value(k).map(|x| (k, (x - v).abs())))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(k, _)| self.event(k))
    }

    /// Add the per-type counts of sorted entries `range` to `counts`.
    fn count_types(&self, range: std::ops::Range<usize>, counts: &mut [u32]) {
        let (a, b) = (range.start, range.end.min(self.sorted.len()));
        if a >= b {
            return;
        }
        let first_block = a.div_ceil(self.block);
        let last_block = b / self.block;
        let scan = |from: usize, to: usize, counts: &mut [u32]| {
            for k in from..to {
                if let Some(n) = self
                    .sorted_types
                    .get(k)
                    .and_then(|t| counts.get_mut(usize::try_from(t).ok()?))
                {
                    *n += 1;
                }
            }
        };
        if first_block >= last_block {
            scan(a, b, counts);
            return;
        }
        scan(a, first_block * self.block, counts);
        let row = |blk: usize| {
            self.prefix
                .get(blk * self.types..(blk + 1) * self.types)
                .unwrap_or_default()
        };
        for ((n, hi), lo) in counts.iter_mut().zip(row(last_block)).zip(row(first_block)) {
            *n += hi - lo;
        }
        scan(last_block * self.block, b, counts);
    }

    /// Bin `[lo, hi)` into `columns` equal columns and count the shown events of each.
    pub fn columns(&self, lo: f64, hi: f64, columns: usize, hidden: &[bool]) -> Vec<Column> {
        let span = hi - lo;
        if columns == 0 || span <= 0.0 {
            return Vec::new();
        }
        #[expect(clippy::cast_precision_loss, reason = "a pixel count")]
        let width = span / columns as f64;
        let mut counts = vec![0_u32; self.types];
        let mut start = self.sorted.partition_point(|x| x < lo);
        (0..columns)
            .map(|c| {
                #[expect(clippy::cast_precision_loss, reason = "a pixel index")]
                let edge = lo + width * (c + 1) as f64;
                let end = if c + 1 == columns {
                    self.sorted.partition_point(|x| x <= hi)
                } else {
                    self.sorted.partition_point_from(start, |x| x < edge)
                };
                counts.iter_mut().for_each(|n| *n = 0);
                self.count_types(start..end, &mut counts);
                start = end;
                let mut best = Column {
                    count: 0,
                    dominant: 0,
                };
                let mut best_n = 0;
                for (t, &n) in counts.iter().enumerate() {
                    if hidden.get(t).copied().unwrap_or(false) {
                        continue;
                    }
                    best.count += n;
                    if n > best_n {
                        best_n = n;
                        best.dominant = u16::try_from(t).unwrap_or(u16::MAX);
                    }
                }
                best
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(
        values: &[f64],
        types: &[u16],
        lo: f64,
        hi: f64,
        n: usize,
        hidden: &[bool],
    ) -> Vec<Column> {
        let width = (hi - lo) / n as f64;
        (0..n)
            .map(|c| {
                let a = lo + width * c as f64;
                let b = lo + width * (c + 1) as f64;
                let mut counts = [0_u32; 8];
                for (v, t) in values.iter().zip(types) {
                    let inside = *v >= a && (*v < b || (c + 1 == n && *v <= hi));
                    if inside && !hidden[usize::from(*t)] {
                        counts[usize::from(*t)] += 1;
                    }
                }
                let count = counts.iter().sum();
                let mut dominant = 0;
                for (t, &k) in counts.iter().enumerate() {
                    if k > counts[dominant] {
                        dominant = t;
                    }
                }
                Column {
                    count,
                    dominant: if count == 0 { 0 } else { dominant as u16 },
                }
            })
            .collect()
    }

    fn pseudo_random(n: usize, sorted: bool) -> (Vec<f64>, Vec<u16>) {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut values: Vec<f64> = (0..n).map(|_| (next() % 100_000) as f64 / 7.0).collect();
        if sorted {
            values.sort_by(f64::total_cmp);
        }
        let types = (0..n).map(|_| (next() % 8) as u16).collect();
        (values, types)
    }

    #[test]
    fn column_counts_match_a_brute_force_binning() {
        for sorted in [true, false] {
            let (values, types) = pseudo_random(20_000, sorted);
            let index = AxisIndex::new(&values, &types, 8);
            let hidden = [false, true, false, false, false, false, true, false];
            for (lo, hi, n) in [
                (0.0, 15_000.0, 300),
                (1_234.5, 1_300.0, 97),
                (-50.0, 20_000.0, 1),
            ] {
                assert_eq!(
                    index.columns(lo, hi, n, &hidden),
                    brute(&values, &types, lo, hi, n, &hidden),
                    "sorted={sorted} lo={lo} hi={hi} n={n}"
                );
            }
        }
    }

    #[test]
    fn nearest_skips_hidden_types_and_maps_back_to_the_event() {
        let values = [5.0, 1.0, 3.0, 9.0];
        let types = [0, 1, 0, 1];
        let index = AxisIndex::new(&values, &types, 2);
        assert_eq!(index.nearest(2.6, &[false, false]), Some(2));
        assert_eq!(index.nearest(2.6, &[true, false]), Some(1), "type 0 hidden");
        assert_eq!(index.nearest(100.0, &[false, false]), Some(3));
        assert_eq!(index.nearest(0.0, &[true, true]), None);
        assert_eq!(index.bounds(), Some((1.0, 9.0)));
    }

    #[test]
    fn many_types_widen_the_blocks_to_bound_the_table() {
        let values: Vec<f64> = (0..100_000).map(f64::from).collect();
        let types: Vec<u16> = (0..100_000_u32).map(|i| (i % 1000) as u16).collect();
        let index = AxisIndex::new(&values, &types, 1000);
        assert!(index.prefix.len() <= MAX_TABLE + 1000);
        let columns = index.columns(0.0, 100_000.0, 10, &vec![false; 1000]);
        assert!(columns.iter().all(|c| c.count == 10_000));
    }
}
