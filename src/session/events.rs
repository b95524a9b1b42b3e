//! The selected stream's events as the session holds them: its [`StreamIndex`] (tens of bytes an event) for
//! every per-event fact the panels ask (position, version, time, type), and the decoded events of the pages
//! being looked at, read again on demand through a byte-bounded [`PageCache`].
//!
//! A stream of ten million events cannot be held as [`Event`]s; [`StreamEvents`] keeps its own read-only
//! connection to the store so the UI thread reads the one page it shows (a keyset seek, about a
//! millisecond) without waiting behind the worker's long jobs.

use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::core::model::Event;
use crate::core::replay::snapshots::{apply_snapshot, newest_at, snapshot_event};
use crate::core::replay::{Reducer, Replayer};
use crate::core::store::{Snapshot, Store};
use crate::core::timeline::indexed::{IndexedError, StreamPages};
use crate::core::timeline::pages::PageCache;
use crate::core::timeline::stream_index::StreamIndex;
use crate::session::Problem;

/// Events a cached page holds.
pub const PAGE_EVENTS: usize = 256;
/// What the decoded pages of the selected stream may weigh: the table and a scrub look at a few pages at a
/// time (a state is replayed from a checkpoint at most a page behind), and a page is read again in about a
/// millisecond, so 16 MiB is plenty and leaves room under the 10M-event stream's 400 MB.
pub const PAGE_CACHE_BYTES: usize = 16 << 20;

/// One event of a decoded page, held by sharing the page (see [`StreamEvents::shared`]).
#[derive(Clone)]
pub struct SharedEvent {
    page: Arc<[Event]>,
    /// The event's place in `page` (checked when made).
    at: usize,
}

impl SharedEvent {
    /// The event.
    pub fn event(&self) -> Option<&Event> {
        self.page.get(self.at)
    }
}

/// The connection pages are read with and the pages read.
struct Pages {
    store: Store,
    cache: PageCache,
}

/// One loaded stream's index and its pages, read on demand.
pub struct StreamEvents {
    id: String,
    /// Shared with the timeline's time axis, which reads its values from it.
    index: Arc<StreamIndex>,
    pages: Mutex<Pages>,
}

impl StreamEvents {
    /// Stream `id` indexed as `index`, its pages read with `store` (a connection of its own).
    pub fn new(id: String, index: Arc<StreamIndex>, store: Store) -> Self {
        Self {
            id,
            index,
            pages: Mutex::new(Pages {
                store,
                cache: PageCache::new(PAGE_EVENTS, PAGE_CACHE_BYTES),
            }),
        }
    }

    /// The stream's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Position, version, time and type of every event.
    pub fn index(&self) -> &StreamIndex {
        &self.index
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the stream has no events.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Event `i`, decoded; `None` past the end or when its page cannot be read (then [`Self::range`] says
    /// why).
    pub fn get(&self, i: usize) -> Option<Event> {
        self.range(i..i.saturating_add(1)).ok()?.pop()
    }

    /// Event `i` shared with its cached page, without copying it: what a panel asks every frame (an event of
    /// a 5 MB payload copied each frame would cost the frame). `None` past the end or when its page cannot
    /// be read (then [`Self::range`] says why).
    pub fn shared(&self, i: usize) -> Option<SharedEvent> {
        if i >= self.len() {
            return None;
        }
        let mut guard = self.lock();
        let Pages { store, cache } = &mut *guard;
        let number = cache.page_of(i);
        let at = i - cache.first_of(number);
        let pages = StreamPages {
            id: &self.id,
            index: &self.index,
        };
        let page = pages.page(store, cache, number).ok()?;
        page.get(at)?;
        Some(SharedEvent { page, at })
    }

    /// The events in `range` (clipped to the stream), decoded.
    pub fn range(&self, range: Range<usize>) -> Result<Vec<Event>, Problem> {
        self.with_pages(|pages, store, cache| {
            pages
                .events(store, cache, range)
                .map_err(IndexedError::from)
        })
    }

    /// The state after the first `count` events, from `replayer`'s nearest checkpoint.
    pub fn state_after(&self, replayer: &Replayer, count: usize) -> Result<Value, Problem> {
        self.with_pages(|pages, store, cache| pages.state_after(replayer, store, cache, count))
    }

    /// The state after the first `count` events starting from the newest of `snapshots` at or before that
    /// point (from `replayer`'s checkpoints when there is none), and the snapshot's version.
    pub fn state_from_snapshot(
        &self,
        replayer: &Replayer,
        reducer: &dyn Reducer,
        stream_type: Option<&str>,
        snapshots: &[Snapshot],
        count: usize,
    ) -> Result<(Value, Option<i64>), Problem> {
        let target = count
            .checked_sub(1)
            .and_then(|i| self.index.effective_version(i));
        let Some(snapshot) = target.and_then(|v| newest_at(snapshots, v)) else {
            return Ok((self.state_after(replayer, count)?, None));
        };
        let state = apply_snapshot(
            reducer,
            reducer.initial(stream_type),
            &snapshot_event(&self.id, snapshot),
        )
        .map_err(Problem::from)?;
        let start = (0..count)
            .take_while(|&i| {
                self.index
                    .effective_version(i)
                    .is_some_and(|v| v <= snapshot.version)
            })
            .count();
        let state = self.with_pages(|pages, store, cache| {
            pages.state_from(replayer, state, store, cache, start..count)
        })?;
        Ok((state, Some(snapshot.version)))
    }

    /// The event at global `position`.
    pub fn ordinal_of_position(&self, position: i64) -> Option<usize> {
        self.index.ordinal_of_position(position)
    }

    /// How many events to replay for "the state at `instant`": up to and including the last event stamped
    /// at or before it (see [`crate::core::replay::query::count_at_time`]).
    pub fn count_at_time(&self, instant: DateTime<Utc>) -> usize {
        (0..self.len())
            .rev()
            .find(|&i| self.index.time(i).is_some_and(|t| t <= instant))
            .map_or(0, |i| i + 1)
    }

    /// Bytes the decoded pages held now weigh.
    pub fn cached_bytes(&self) -> usize {
        self.lock().cache.held_bytes()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pages> {
        self.pages.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Run `read` with the stream's pages, naming the stream in its error.
    fn with_pages<T>(
        &self,
        read: impl FnOnce(StreamPages<'_>, &Store, &mut PageCache) -> Result<T, IndexedError>,
    ) -> Result<T, Problem> {
        let mut guard = self.lock();
        let Pages { store, cache } = &mut *guard;
        let pages = StreamPages {
            id: &self.id,
            index: &self.index,
        };
        read(pages, store, cache).map_err(|err| match err {
            IndexedError::Replay(err) => Problem::from(err),
            IndexedError::Store(err) => format!("stream {}: {err}", self.id).into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::replay::{DeepMerge, replay};
    use crate::core::testing::sample_streams;
    use crate::core::timeline::indexed::IndexedStream;

    /// The first streams of every sample store, held as the session holds them: the events read back by
    /// page are the stream's, and the state at every count, from the checkpoints or from the newest
    /// snapshot, is what the replay of the events gives.
    #[test]
    fn a_stream_held_as_its_index_answers_what_its_events_give() {
        let streams = sample_streams(3);
        assert!(streams.len() > 10, "only {} streams", streams.len());
        let mut from_snapshots = 0;
        for (path, store, summary) in streams {
            let events = store.events(&summary.id).unwrap();
            let stream_type = summary.stream_type.as_deref();
            let IndexedStream {
                id,
                index,
                replayer,
            } = IndexedStream::read(
                &store,
                &summary.id,
                events.len(),
                Arc::new(DeepMerge),
                stream_type,
                4_096,
                &mut |_| true,
            )
            .unwrap()
            .unwrap();
            let replayer = replayer.unwrap();
            let snapshots = store.snapshots(&summary.id).unwrap();
            let pages = Store::open(&path, None).unwrap();
            let held = StreamEvents::new(id, Arc::new(index), pages);
            let at = format!("{} {}", path.display(), summary.id);
            assert_eq!(held.range(0..usize::MAX).unwrap(), events, "{at}");
            assert_eq!(held.get(events.len()), None, "{at}");
            for count in 0..=events.len() {
                let expected = replay(&DeepMerge, stream_type, &events[..count]).unwrap();
                let state = held.state_after(&replayer, count).unwrap();
                assert_eq!(state, expected, "{at} at {count}");
                // An undecodable snapshot (encrypted, no key) fails both ways.
                let from_snapshot = held
                    .state_from_snapshot(&replayer, &DeepMerge, stream_type, &snapshots, count)
                    .ok();
                let core = crate::core::replay::snapshots::state_from_snapshot(
                    &DeepMerge,
                    stream_type,
                    &summary.id,
                    &events,
                    &snapshots,
                    count,
                )
                .ok();
                from_snapshots +=
                    usize::from(from_snapshot.as_ref().is_some_and(|(_, v)| v.is_some()));
                assert_eq!(from_snapshot, core, "{at} from a snapshot at {count}");
            }
        }
        assert!(from_snapshots > 0, "no state was replayed from a snapshot");
    }
}
