//! What the timeline needs of one stream, computed once by the worker when the stream loads: its event
//! types with their counts and both axes indexed for counting (sequence, and time when every event has
//! one), and a version found among a million events by binary search. The counting itself is the parent
//! module's [`AxisIndex`].

use std::sync::Arc;

use super::{AxisIndex, Values, axis_secs};
use crate::core::timeline::packed::PackedColumn;
use crate::core::timeline::stream_index::StreamIndex;

/// What the timeline needs of a stream, computed once off the UI thread: its types, and both axes indexed.
pub struct StreamAxes {
    /// Distinct event types, sorted, with their count.
    pub types: Vec<(String, usize)>,
    /// Every event has a time, so the time axis can be used.
    pub has_times: bool,
    /// The time axis (when every event has a time).
    pub by_time: Option<AxisIndex>,
    /// Every event has a time and they never go back along the stream (then an instant is found by binary
    /// search).
    pub times_sorted: bool,
    /// The sequence axis: event `i` at `i`.
    pub by_sequence: AxisIndex,
    /// Effective versions never decrease along the stream (then a version is found by binary search).
    pub versions_sorted: bool,
}

impl StreamAxes {
    /// The axes of the stream `index` describes (a time axis in stream order reads its values from it).
    pub fn new(index: &Arc<StreamIndex>) -> Self {
        let len = index.len();
        let has_times = len > 0 && (0..len).all(|i| index.time(i).is_some());
        let mut counts = vec![0_usize; index.types().len()];
        for i in 0..len {
            if let Some(count) = index
                .type_id(i)
                .and_then(|id| counts.get_mut(usize::try_from(id).ok()?))
            {
                *count += 1;
            }
        }
        let mut types: Vec<(String, usize)> = index.types().iter().cloned().zip(counts).collect();
        types.sort_by(|a, b| a.0.cmp(&b.0));
        // Sorted position of each interned type id.
        let rank: Vec<u16> = index
            .types()
            .iter()
            .map(|name| {
                let at = types
                    .binary_search_by(|(t, _)| t.as_str().cmp(name))
                    .unwrap_or(0);
                u16::try_from(at).unwrap_or(u16::MAX)
            })
            .collect();
        let mut type_of = PackedColumn::with_capacity(len);
        for i in 0..len {
            let rank = index
                .type_id(i)
                .and_then(|id| rank.get(usize::try_from(id).ok()?).copied())
                .unwrap_or(0);
            type_of.push(i64::from(rank));
        }
        let type_of = Arc::new(type_of);
        let time_of = |i: usize| index.time(i).map_or(0.0, axis_secs);
        let times_sorted = has_times && (1..len).all(|i| time_of(i - 1) <= time_of(i));
        let by_time = has_times.then(|| {
            if times_sorted {
                let times = Values::Times(Arc::clone(index));
                return AxisIndex::counted(times, None, Arc::clone(&type_of), types.len());
            }
            let times: Vec<f64> = (0..len).map(time_of).collect();
            AxisIndex::from_parts(times, Arc::clone(&type_of), types.len())
        });
        let versions_sorted = (0..len)
            .map(|i| index.effective_version(i).unwrap_or(i64::MAX))
            .is_sorted();
        Self {
            versions_sorted,
            by_time,
            times_sorted,
            by_sequence: AxisIndex::ordinals(type_of, types.len()),
            types,
            has_times,
        }
    }

    /// Bytes both axes hold (the types shared by both counted once).
    pub fn heap_bytes(&self) -> usize {
        let sequence = self.by_sequence.heap_bytes();
        let time = self.by_time.as_ref().map_or(0, |axis| {
            let shared = Arc::ptr_eq(&axis.sorted_types, &self.by_sequence.sorted_types);
            axis.heap_bytes()
                - if shared {
                    axis.sorted_types.heap_bytes()
                } else {
                    0
                }
        });
        sequence + time
    }
}

/// How many events of the stream `index` describes are at or before `version` (see
/// [`crate::core::model::count_through_version`]): a binary search when its versions ascend (nearly every
/// stream), a linear scan otherwise. The timeline calls it per snapshot and per finding every frame, so on a
/// million events the difference is the frame budget.
pub fn count_through(index: &StreamIndex, axes: &StreamAxes, version: i64) -> Option<usize> {
    if version < 0 {
        return None;
    }
    let len = index.len();
    if version == 0 {
        return Some(
            (0..len)
                .take_while(|&i| index.version(i) == Some(0))
                .count(),
        );
    }
    let last_version = index.effective_version(len.checked_sub(1)?)?;
    if version > last_version {
        return None;
    }
    let at_or_before = |i: usize| index.effective_version(i).is_some_and(|v| v <= version);
    if !axes.versions_sorted {
        return Some((0..len).take_while(|&i| at_or_before(i)).count());
    }
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if at_or_before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    Some(lo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Event, Payload, count_through_version};

    fn versioned(versions: &[Option<i64>]) -> Vec<Event> {
        versions
            .iter()
            .enumerate()
            .map(|(i, &version)| Event {
                stream: "s".to_owned(),
                position: i64::try_from(i).unwrap(),
                version,
                event_type: "T".to_owned(),
                time: None,
                stored_time: None,
                data: Payload::Json(serde_json::json!({})),
                metadata: None,
                stored: None,
                id: None,
                correlation: None,
                causation: None,
            })
            .collect()
    }

    #[test]
    fn finding_a_version_by_binary_search_agrees_with_the_scan() {
        for versions in [
            vec![Some(1), Some(2), Some(3), Some(5), Some(8)],
            vec![Some(0), Some(0), Some(1), Some(2)],
            vec![None, None, None],
            vec![Some(1), Some(3), Some(2), Some(4)], // out of order: falls back to the scan
            vec![Some(2), Some(2), Some(3)],          // a duplicate version
        ] {
            let events = versioned(&versions);
            let index = Arc::new(StreamIndex::from_events(&events));
            let axes = StreamAxes::new(&index);
            for version in -1..=10 {
                assert_eq!(
                    count_through(&index, &axes, version),
                    count_through_version(&events, version),
                    "{versions:?} at {version}"
                );
            }
        }
    }

    /// The shop's longest stream: its axes, built from the index, answer what axes over explicit values and
    /// types (the old way) answer, while the sequence axis stores no values and both share the types.
    #[test]
    fn axes_built_from_the_index_count_like_axes_over_explicit_values() {
        let (_store, _id, events) = crate::core::testing::shop_longest();
        let index = Arc::new(StreamIndex::from_events(&events));
        let axes = StreamAxes::new(&index);
        let type_of: Vec<u16> = events
            .iter()
            .map(|e| {
                let at = axes
                    .types
                    .binary_search_by(|(t, _)| t.as_str().cmp(&e.event_type))
                    .unwrap();
                u16::try_from(at).unwrap()
            })
            .collect();
        let sequence: Vec<f64> = (0..events.len()).map(|i| i as f64).collect();
        let times: Vec<f64> = events.iter().map(|e| axis_secs(e.time.unwrap())).collect();
        let by_time = axes.by_time.as_ref().unwrap();
        let hidden = vec![false; axes.types.len()];
        for (built, values) in [(&axes.by_sequence, &sequence), (by_time, &times)] {
            let explicit = AxisIndex::new(values, &type_of, axes.types.len());
            let (lo, hi) = explicit.bounds().unwrap();
            for n in [1, 7, 300] {
                assert_eq!(
                    built.columns(lo, hi, n, &hidden),
                    explicit.columns(lo, hi, n, &hidden)
                );
            }
            let middle = (lo + hi) / 2.0;
            assert_eq!(
                built.nearest(middle, &hidden),
                explicit.nearest(middle, &hidden)
            );
            assert_eq!(built.bounds(), explicit.bounds());
        }
        assert_eq!(axes.by_sequence.sorted.heap_bytes(), 0);
        assert_eq!(by_time.sorted.heap_bytes(), 0, "the shop's times ascend");
        let per_event = axes.heap_bytes() / events.len();
        assert!(per_event <= 16, "{per_event} bytes an event");
    }
}
