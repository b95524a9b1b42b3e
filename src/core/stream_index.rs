//! What the timeline and the event table need of every event of a stream, kept compactly: a stream of ten
//! million events cannot be held as [`Event`]s (each with its own strings and JSON tree, about a kilobyte),
//! but its positions, versions, times and types fit in tens of bytes an event.
//!
//! [`StreamIndex`] is a struct of arrays filled in one read pass ([`StreamIndex::push`]); event types are
//! interned into a table and stored as ids. The decoded events themselves are read again by page when they
//! are shown ([`StreamIndex::page_cursor`] gives the keyset cursor of any page, see
//! [`crate::core::store::Store::stream_page`]) and kept in a [`crate::core::pages::PageCache`].

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::core::model::Event;
use crate::core::store::PageCursor;

/// The event has a version.
const HAS_VERSION: u8 = 1;
/// The event has a readable time (`times` holds it).
const HAS_TIME: u8 = 2;
/// The event has a stored time that could not be read (shown as stored, never guessed).
const UNREADABLE_TIME: u8 = 4;

/// A stream's events as compact columns, in stream order: event `i` is row `i` of every column.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StreamIndex {
    positions: Vec<i64>,
    /// The version where `flags` has [`HAS_VERSION`], else 0; empty while every event so far had its
    /// 1-based ordinal as version (most streams), so those cost nothing.
    versions: Vec<i64>,
    /// Unix microseconds where `flags` has [`HAS_TIME`], else 0.
    times: Vec<i64>,
    flags: Vec<u8>,
    /// Id of each event's type in `types`.
    type_ids: Vec<u32>,
    /// Distinct event types in the order first met.
    types: Vec<String>,
    type_lookup: HashMap<String, u32>,
}

impl StreamIndex {
    /// An empty index with room for `len` events (the stream's count from its summary), so filling it
    /// never copies its columns to grow them.
    pub fn with_capacity(len: usize) -> Self {
        Self {
            positions: Vec::with_capacity(len),
            versions: Vec::new(),
            times: Vec::with_capacity(len),
            flags: Vec::with_capacity(len),
            type_ids: Vec::with_capacity(len),
            types: Vec::new(),
            type_lookup: HashMap::new(),
        }
    }

    /// The index of `events`, in their order.
    pub fn from_events<'e>(events: impl IntoIterator<Item = &'e Event>) -> Self {
        let mut index = Self::default();
        for event in events {
            index.push(event);
        }
        index
    }

    /// Add `event` as the next row. Times keep microseconds (the timeline and table show no finer).
    pub fn push(&mut self, event: &Event) {
        let mut flags = 0;
        if event.version.is_some() {
            flags |= HAS_VERSION;
        }
        let micros = match event.time {
            Some(time) => {
                flags |= HAS_TIME;
                time.timestamp_micros()
            }
            None => {
                if event.stored_time.is_some() {
                    flags |= UNREADABLE_TIME;
                }
                0
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
        let ordinal = i64::try_from(self.positions.len() + 1).ok();
        let written = !self.versions.is_empty();
        if !written && event.version.is_some() && event.version != ordinal {
            // The first event whose version is not its ordinal (it may be the very first event): the
            // column is written out from here.
            self.versions
                .reserve_exact(self.positions.capacity().max(1));
            self.versions
                .extend((1..=self.positions.len()).map(|n| i64::try_from(n).unwrap_or(i64::MAX)));
            self.versions.push(event.version.unwrap_or(0));
        } else if written {
            self.versions.push(event.version.unwrap_or(0));
        }
        self.positions.push(event.position);
        self.times.push(micros);
        self.flags.push(flags);
        self.type_ids.push(type_id);
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
        self.positions.get(i).copied()
    }

    /// Version of event `i`, `None` when it has none (or `i` is past the end).
    pub fn version(&self, i: usize) -> Option<i64> {
        let flags = *self.flags.get(i)?;
        if flags & HAS_VERSION == 0 {
            return None;
        }
        if self.versions.is_empty() {
            return i64::try_from(i + 1).ok();
        }
        self.versions.get(i).copied()
    }

    /// The version event `i` is found by: its own, else its 1-based ordinal (see
    /// [`crate::core::model::effective_version`]); `None` past the end.
    pub fn effective_version(&self, i: usize) -> Option<i64> {
        if i >= self.len() {
            return None;
        }
        Some(
            self.version(i)
                .unwrap_or_else(|| i64::try_from(i + 1).unwrap_or(i64::MAX)),
        )
    }

    /// Time of event `i` (to the microsecond), `None` when it has no readable one.
    pub fn time(&self, i: usize) -> Option<DateTime<Utc>> {
        let flags = *self.flags.get(i)?;
        if flags & HAS_TIME == 0 {
            return None;
        }
        DateTime::from_timestamp_micros(*self.times.get(i)?)
    }

    /// Whether event `i` has a stored time that could not be read.
    pub fn has_unreadable_time(&self, i: usize) -> bool {
        self.flags.get(i).is_some_and(|f| f & UNREADABLE_TIME != 0)
    }

    /// Type of event `i`.
    pub fn event_type(&self, i: usize) -> Option<&str> {
        let id = *self.type_ids.get(i)?;
        self.types
            .get(usize::try_from(id).ok()?)
            .map(String::as_str)
    }

    /// Id of event `i`'s type in [`types`](Self::types).
    pub fn type_id(&self, i: usize) -> Option<u32> {
        self.type_ids.get(i).copied()
    }

    /// Distinct event types, in the order first met (ids index this list).
    pub fn types(&self) -> &[String] {
        &self.types
    }

    /// The first event at global `position` (positions are unique in a store).
    pub fn ordinal_of_position(&self, position: i64) -> Option<usize> {
        self.positions.iter().position(|&p| p == position)
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
        let columns = self.positions.capacity() * 8
            + self.versions.capacity() * 8
            + self.times.capacity() * 8
            + self.flags.capacity()
            + self.type_ids.capacity() * 4;
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
    fn an_index_costs_tens_of_bytes_an_event() {
        let (_store, _id, events) = shop_longest();
        let mut index = StreamIndex::with_capacity(events.len());
        for event in &events {
            index.push(event);
        }
        let per_event = (index.heap_bytes() - index.types().len() * 100) / events.len();
        assert!(per_event <= 32, "{per_event} bytes an event");
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
