//! What the timeline and the event table need of every event of a stream, kept compactly: a stream of ten
//! million events cannot be held as [`Event`]s (each with its own strings and JSON tree, about a kilobyte),
//! but its positions, versions, times and types fit in tens of bytes an event.
//!
//! [`StreamIndex`] is a struct of [`PackedColumn`]s filled in one read pass ([`StreamIndex::push`]): in most
//! streams positions and versions grow by one and times tick a few seconds apart, so each column packs to a
//! few bits an event (a few bytes an event in all) while any event is still read by index in constant time.
//! Event types are interned into a table and stored as ids. The decoded events themselves are read again by
//! page when they are shown ([`StreamIndex::page_cursor`] gives the keyset cursor of any page, see
//! [`crate::core::store::Store::stream_page`]) and kept in a [`crate::core::timeline::pages::PageCache`].

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::core::model::Event;
use crate::core::store::PageCursor;
use crate::core::timeline::packed::PackedColumn;

/// The event has a version.
const HAS_VERSION: i64 = 1;
/// The event has a readable time (`times` holds it).
const HAS_TIME: i64 = 2;
/// The event has a stored time that could not be read (shown as stored, never guessed).
const UNREADABLE_TIME: i64 = 4;

/// A stream's events as compact columns, in stream order: event `i` is row `i` of every column.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StreamIndex {
    positions: PackedColumn,
    /// Each event's effective version: its own where `flags` has [`HAS_VERSION`], else its 1-based ordinal
    /// (so a stream of ordinals packs to nothing).
    versions: PackedColumn,
    /// Unix microseconds where `flags` has [`HAS_TIME`], else the previous event's value (so a missing time
    /// costs no bits).
    times: PackedColumn,
    flags: PackedColumn,
    /// Id of each event's type in `types`.
    type_ids: PackedColumn,
    /// Whether every position is greater than the one before (then a position is found by binary search).
    positions_ascend: bool,
    /// Distinct event types in the order first met.
    types: Vec<String>,
    type_lookup: HashMap<String, u32>,
}

impl StreamIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// An empty index with room in its block tables for `len` events (the stream's count from its summary).
    pub fn with_capacity(len: usize) -> Self {
        Self {
            positions: PackedColumn::with_capacity(len),
            versions: PackedColumn::with_capacity(len),
            times: PackedColumn::with_capacity(len),
            flags: PackedColumn::with_capacity(len),
            type_ids: PackedColumn::with_capacity(len),
            positions_ascend: true,
            types: Vec::new(),
            type_lookup: HashMap::new(),
        }
    }

    /// The index of `events`, in their order.
    pub fn from_events<'e>(events: impl IntoIterator<Item = &'e Event>) -> Self {
        let mut index = Self::new();
        for event in events {
            index.push(event);
        }
        index
    }

    /// Add `event` as the next row. Times keep microseconds (the timeline and table show no finer).
    pub fn push(&mut self, event: &Event) {
        let len = self.len();
        let mut flags = 0;
        if event.version.is_some() {
            flags |= HAS_VERSION;
        }
        let previous_time = len
            .checked_sub(1)
            .and_then(|last| self.times.get(last))
            .unwrap_or(0);
        let micros = match event.time {
            Some(time) => {
                flags |= HAS_TIME;
                time.timestamp_micros()
            }
            None => {
                if event.stored_time.is_some() {
                    flags |= UNREADABLE_TIME;
                }
                previous_time
            }
        };
        let type_id = match self.type_lookup.get(&event.event_type) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.types.len()).unwrap_or(u32::MAX);
                self.types.push(event.event_type.clone());
                self.type_lookup.insert(event.event_type.clone(), id);
                id
            }
        };
        let ordinal = i64::try_from(len + 1).unwrap_or(i64::MAX);
        if len == 0 {
            self.positions_ascend = true;
        } else if self.positions_ascend {
            self.positions_ascend = self
                .positions
                .get(len - 1)
                .is_some_and(|last| last < event.position);
        }
        self.positions.push(event.position);
        self.versions.push(event.version.unwrap_or(ordinal));
        self.times.push(micros);
        self.flags.push(flags);
        self.type_ids.push(i64::from(type_id));
    }

    /// Give back the room columns reserved for growth, once a long read is done.
    pub fn shrink_to_fit(&mut self) {
        for column in [
            &mut self.positions,
            &mut self.versions,
            &mut self.times,
            &mut self.flags,
            &mut self.type_ids,
        ] {
            column.shrink_to_fit();
        }
    }

    /// Number of events indexed.
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether no event is indexed.
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// Global position of event `i`.
    pub fn position(&self, i: usize) -> Option<i64> {
        self.positions.get(i)
    }

    /// Version of event `i`, `None` when it has none (or `i` is past the end).
    pub fn version(&self, i: usize) -> Option<i64> {
        if self.flags.get(i)? & HAS_VERSION == 0 {
            return None;
        }
        self.versions.get(i)
    }

    /// The version event `i` is found by: its own, else its 1-based ordinal (see
    /// [`crate::core::model::effective_version`]); `None` past the end.
    pub fn effective_version(&self, i: usize) -> Option<i64> {
        self.versions.get(i)
    }

    /// Time of event `i` (to the microsecond), `None` when it has no readable one.
    pub fn time(&self, i: usize) -> Option<DateTime<Utc>> {
        if self.flags.get(i)? & HAS_TIME == 0 {
            return None;
        }
        DateTime::from_timestamp_micros(self.times.get(i)?)
    }

    /// Whether event `i` has a stored time that could not be read.
    pub fn has_unreadable_time(&self, i: usize) -> bool {
        self.flags.get(i).is_some_and(|f| f & UNREADABLE_TIME != 0)
    }

    /// Type of event `i`.
    pub fn event_type(&self, i: usize) -> Option<&str> {
        let id = self.type_ids.get(i)?;
        self.types
            .get(usize::try_from(id).ok()?)
            .map(String::as_str)
    }

    /// Id of event `i`'s type in [`types`](Self::types).
    pub fn type_id(&self, i: usize) -> Option<u32> {
        u32::try_from(self.type_ids.get(i)?).ok()
    }

    /// Distinct event types, in the order first met (ids index this list).
    pub fn types(&self) -> &[String] {
        &self.types
    }

    /// The first event at global `position` (positions are unique in a store): a binary search when
    /// positions ascend along the stream (nearly always), a scan otherwise.
    pub fn ordinal_of_position(&self, position: i64) -> Option<usize> {
        let len = self.len();
        if self.positions_ascend {
            let (mut lo, mut hi) = (0, len);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if self.position(mid).is_some_and(|p| p < position) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return (self.position(lo) == Some(position)).then_some(lo);
        }
        (0..len).find(|&i| self.position(i) == Some(position))
    }

    /// The keyset cursor a page starting at event `first` is read after: `Some(None)` at the stream's start,
    /// `None` when `first` is past the end.
    pub fn page_cursor(&self, first: usize) -> Option<Option<PageCursor>> {
        if first > self.len() {
            return None;
        }
        let Some(before) = first.checked_sub(1) else {
            return Some(None);
        };
        Some(Some(PageCursor {
            version: self.version(before),
            position: self.position(before)?,
        }))
    }

    /// Bytes the columns hold (capacity included), the type table estimated.
    pub fn heap_bytes(&self) -> usize {
        let columns = self.positions.heap_bytes()
            + self.versions.heap_bytes()
            + self.times.heap_bytes()
            + self.flags.heap_bytes()
            + self.type_ids.heap_bytes();
        let types: usize = self.types.iter().map(|t| 2 * t.capacity() + 64).sum();
        columns + types
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{sample_streams, shop_longest};

    /// The first streams of every sample store: the index answers what the events say.
    #[test]
    fn the_index_matches_the_events_of_every_sample_stream() {
        let streams = sample_streams(20);
        assert!(streams.len() > 10, "only {} streams", streams.len());
        for (path, store, summary) in streams {
            let events = store.events(&summary.id).unwrap();
            let index = StreamIndex::from_events(&events);
            assert_eq!(index.len(), events.len());
            for (i, event) in events.iter().enumerate() {
                let at = format!("{} {} event {i}", path.display(), summary.id);
                assert_eq!(index.position(i), Some(event.position), "{at}");
                assert_eq!(index.version(i), event.version, "{at}");
                assert_eq!(
                    index.time(i).map(|t| t.timestamp_micros()),
                    event.time.map(|t| t.timestamp_micros()),
                    "{at}"
                );
                assert_eq!(
                    index.has_unreadable_time(i),
                    event.time.is_none() && event.stored_time.is_some(),
                    "{at}"
                );
                assert_eq!(index.event_type(i), Some(event.event_type.as_str()), "{at}");
            }
        }
    }

    #[test]
    fn versions_that_are_not_ordinals_are_kept_from_the_first_one_on() {
        let (_store, _id, events) = shop_longest();
        let mut shifted = events.clone();
        for (i, event) in shifted.iter_mut().enumerate() {
            event.version = match i {
                0..5 => Some(i64::try_from(i).unwrap() + 1),
                5 => None,
                6 => Some(7),
                _ => Some(i64::try_from(i).unwrap() * 2),
            };
        }
        let index = StreamIndex::from_events(&shifted);
        for (i, event) in shifted.iter().enumerate() {
            assert_eq!(index.version(i), event.version, "event {i}");
        }
    }

    #[test]
    fn a_first_event_whose_version_is_not_its_ordinal_keeps_its_version() {
        let (_store, _id, events) = shop_longest();
        let mut shifted = events.get(..4).unwrap().to_vec();
        for (i, event) in shifted.iter_mut().enumerate() {
            event.version = Some(i64::try_from(i).unwrap() / 2);
        }
        let index = StreamIndex::from_events(&shifted);
        let versions: Vec<_> = (0..4).map(|i| index.version(i)).collect();
        assert_eq!(versions, [Some(0), Some(0), Some(1), Some(1)]);
    }

    #[test]
    fn an_index_costs_a_few_bytes_an_event() {
        let (_store, _id, events) = shop_longest();
        // Long enough that the last, unpacked block (8 bytes a column an event) weighs little.
        let many: Vec<&Event> = events.iter().cycle().take(4_000).collect();
        let mut index = StreamIndex::from_events(many.iter().copied());
        index.shrink_to_fit();
        let per_event = (index.heap_bytes() - index.types().len() * 100) / many.len();
        assert!(per_event <= 16, "{per_event} bytes an event");
    }

    /// One event as a plain model row: position, version, time in microseconds, an unreadable stored time,
    /// type.
    type Row = (i64, Option<i64>, Option<i64>, bool, u8);

    fn event_of(row: &Row) -> Event {
        let &(position, version, micros, unreadable, kind) = row;
        Event {
            stream: "s".to_owned(),
            position,
            version,
            event_type: format!("T{kind}"),
            time: micros.and_then(DateTime::from_timestamp_micros),
            stored_time: unreadable.then(|| "not a time".to_owned()),
            data: crate::core::model::Payload::Json(serde_json::Value::Null),
            metadata: None,
            stored: None,
            id: None,
            correlation: None,
            causation: None,
        }
    }

    /// Odd streams: positions and versions that run, jump, repeat and go back; times missing, out of
    /// order, far apart; a handful of types.
    fn odd_rows() -> impl proptest::strategy::Strategy<Value = Vec<Row>> {
        use proptest::prelude::*;
        // Times chrono can hold.
        let micros = prop_oneof![
            Just(None),
            (-8_000_000_000_000_000_i64..8_000_000_000_000_000).prop_map(Some),
            (1_715_000_000_000_i64..1_715_000_100_000).prop_map(|ms| Some(ms * 1_000)),
        ];
        let version = prop_oneof![
            Just(None),
            any::<i64>().prop_map(Some),
            (0..5_i64).prop_map(Some)
        ];
        let jump = prop_oneof![1..2_i64, 1..1_000_i64, any::<i64>()];
        let row = (jump, version, micros, any::<bool>(), 0..4_u8);
        prop::collection::vec(row, 0..700).prop_map(|rows| {
            // Positions and versions mostly step on from the one before, the generated value being the
            // step or, sometimes, a value of its own.
            let (mut position, mut ordinal) = (0_i64, 0_i64);
            rows.into_iter()
                .enumerate()
                .map(|(i, (jump, version, micros, unreadable, kind))| {
                    position = position.wrapping_add(jump);
                    ordinal += 1;
                    let version = if i % 3 == 0 { version } else { Some(ordinal) };
                    (
                        position,
                        version,
                        micros,
                        unreadable && micros.is_none(),
                        kind,
                    )
                })
                .collect()
        })
    }

    proptest::proptest! {
        #[test]
        fn the_index_answers_what_a_plain_model_holds(rows in odd_rows()) {
            let events: Vec<Event> = rows.iter().map(event_of).collect();
            let index = StreamIndex::from_events(&events);
            assert_eq!(index.len(), rows.len());
            let ascending = rows.windows(2).all(|w| w[0].0 < w[1].0);
            for (i, row) in rows.iter().enumerate() {
                let &(position, version, micros, unreadable, kind) = row;
                assert_eq!(index.position(i), Some(position), "event {i}");
                assert_eq!(index.version(i), version, "event {i}");
                let ordinal = i64::try_from(i + 1).unwrap();
                assert_eq!(index.effective_version(i), Some(version.unwrap_or(ordinal)));
                assert_eq!(index.time(i).map(|t| t.timestamp_micros()), micros, "event {i}");
                assert_eq!(index.has_unreadable_time(i), unreadable, "event {i}");
                assert_eq!(index.event_type(i), Some(format!("T{kind}").as_str()));
                let first_at = rows.iter().position(|r| r.0 == position);
                if ascending || first_at == Some(i) {
                    assert_eq!(index.ordinal_of_position(position), first_at, "event {i}");
                }
            }
            let past = rows.len();
            assert_eq!(index.position(past), None);
            assert_eq!(index.version(past), None);
            assert_eq!(index.effective_version(past), None);
            assert_eq!(index.time(past), None);
            assert_eq!(index.event_type(past), None);
            assert_eq!(index.ordinal_of_position(i64::MIN), rows.iter().position(|r| r.0 == i64::MIN));
        }
    }

    #[test]
    fn a_ten_thousand_event_log_costs_a_few_bytes_an_event() {
        let (_store, _id, events) = shop_longest();
        let template = events.first().unwrap();
        let mut index = StreamIndex::new();
        let mut millis = 1_715_000_000_000_i64;
        for i in 0..10_000_i64 {
            millis += 500 + (i * 7_919) % 1_500;
            let mut event = template.clone();
            event.position = i + 1;
            event.version = None;
            event.time = DateTime::from_timestamp_millis(millis);
            event.event_type =
                ["SensorRead", "DoorOpened", "Alarm"][usize::try_from(i % 3).unwrap()].to_owned();
            index.push(&event);
        }
        index.shrink_to_fit();
        let per_event = (index.heap_bytes() - index.types().len() * 100) / 10_000;
        assert!(per_event <= 6, "{per_event} bytes an event");
        assert_eq!(index.ordinal_of_position(5_000), Some(4_999));
    }

    #[test]
    fn a_page_read_after_the_cursor_of_its_first_event_starts_there() {
        let (store, id, events) = shop_longest();
        let index = StreamIndex::from_events(&events);
        for first in [0, 1, 57, events.len() - 1] {
            let cursor = index.page_cursor(first).unwrap();
            let page = store.events_page(&id, cursor, 10).unwrap();
            assert_eq!(page.first(), events.get(first));
        }
        assert_eq!(index.page_cursor(events.len() + 1), None);
    }
}
