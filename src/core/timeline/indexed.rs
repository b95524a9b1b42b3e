//! A stream of any length held as its [`StreamIndex`] and byte-bounded checkpoints instead of its events.
//!
//! [`IndexedStream::read`] reads the stream once, page by page: every event is indexed (tens of bytes) and
//! folded into a [`CheckpointBuilder`], then dropped. Events and states are answered later by reading the
//! pages they need again (one keyset seek each, see [`Store::stream_page`]) through a [`PageCache`], so
//! memory follows the budgets, not the stream.

use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;

use crate::core::model::Event;
use crate::core::replay::{CheckpointBuilder, Reducer, ReplayError, Replayer};
use crate::core::store::{Store, StoreError};
use crate::core::timeline::pages::PageCache;
use crate::core::timeline::stream_index::StreamIndex;

/// How often (in events) [`IndexedStream::read`] reports progress.
const PROGRESS_EVERY: usize = 2_000;

/// Why a state or events could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum IndexedError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Replay(#[from] ReplayError),
}

/// One stream's index and checkpoints.
pub struct IndexedStream {
    /// The stream's id as the store lists it.
    pub id: String,
    pub index: StreamIndex,
    /// The checkpoints, or why the reducer could not replay the stream (the index is complete either way).
    pub replayer: Result<Replayer, ReplayError>,
}

impl IndexedStream {
    /// Read stream `id` once, indexing every event and folding it with `reducer` into checkpoints that hold
    /// at most `checkpoint_bytes`. `expected_len` (the summary's count) sizes the index up front.
    /// `progress(done)` is called every few thousand events; returning `false` stops the read, as does a
    /// reducer stopped by its cancel flag: then the answer is `Ok(None)`. A reducer failing on an event
    /// stops the fold there, not the index.
    pub fn read(
        store: &Store,
        id: &str,
        expected_len: usize,
        reducer: Arc<dyn Reducer>,
        stream_type: Option<&str>,
        checkpoint_bytes: usize,
        progress: &mut dyn FnMut(usize) -> bool,
    ) -> Result<Option<Self>, StoreError> {
        let mut index = StreamIndex::with_capacity(expected_len);
        let mut fold = Ok(CheckpointBuilder::new(
            reducer,
            stream_type,
            checkpoint_bytes,
        ));
        for event in store.read_stream(id) {
            let event = event?;
            index.push(&event);
            if let Ok(builder) = &mut fold
                && let Err(err) = builder.push(&event)
            {
                if err == ReplayError::Cancelled {
                    return Ok(None);
                }
                fold = Err(err);
            }
            if index.len().is_multiple_of(PROGRESS_EVERY) && !progress(index.len()) {
                return Ok(None);
            }
        }
        if !progress(index.len()) {
            return Ok(None);
        }
        index.shrink_to_fit();
        Ok(Some(Self {
            id: id.to_owned(),
            index,
            replayer: fold.map(CheckpointBuilder::finish),
        }))
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the stream has no events.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Where this stream's pages are read from, to answer events and states.
    pub fn pages(&self) -> StreamPages<'_> {
        StreamPages {
            id: &self.id,
            index: &self.index,
        }
    }

    /// The events in `range` (clipped to the stream), decoded.
    pub fn events(
        &self,
        store: &Store,
        cache: &mut PageCache,
        range: Range<usize>,
    ) -> Result<Vec<Event>, StoreError> {
        self.pages().events(store, cache, range)
    }

    /// The state after the first `count` events: from the nearest checkpoint, replaying the pages between.
    pub fn state_after(
        &self,
        store: &Store,
        cache: &mut PageCache,
        count: usize,
    ) -> Result<Value, IndexedError> {
        let replayer = self.replayer.as_ref().map_err(Clone::clone)?;
        self.pages().state_after(replayer, store, cache, count)
    }
}

/// A stream's id and index: what reading any of its pages again needs. Split from [`IndexedStream`] so a
/// stream replayed with another reducer (other checkpoints) reads its pages through the same index.
#[derive(Clone, Copy)]
pub struct StreamPages<'a> {
    pub id: &'a str,
    pub index: &'a StreamIndex,
}

impl StreamPages<'_> {
    /// Page `page` of `cache`'s size, from the cache or read from `store` into it.
    pub fn page(
        self,
        store: &Store,
        cache: &mut PageCache,
        page: usize,
    ) -> Result<Arc<[Event]>, StoreError> {
        if let Some(found) = cache.get(page) {
            return Ok(found);
        }
        let read =
            store.stream_page(self.id, self.index, cache.first_of(page), cache.page_size())?;
        Ok(cache.insert(page, read))
    }

    /// The events in `range` (clipped to the stream), decoded.
    pub fn events(
        self,
        store: &Store,
        cache: &mut PageCache,
        range: Range<usize>,
    ) -> Result<Vec<Event>, StoreError> {
        let end = range.end.min(self.index.len());
        let mut out = Vec::with_capacity(end.saturating_sub(range.start));
        self.each_page::<StoreError, _>(store, cache, range.start..end, |_, events| {
            out.extend_from_slice(events);
            Ok(())
        })?;
        Ok(out)
    }

    /// The state after the first `count` events folded by `replayer`'s reducer: from its nearest
    /// checkpoint, replaying the pages between.
    pub fn state_after(
        self,
        replayer: &Replayer,
        store: &Store,
        cache: &mut PageCache,
        count: usize,
    ) -> Result<Value, IndexedError> {
        let (start, checkpoint) = replayer.checkpoint_before(count)?;
        self.state_from(replayer, checkpoint.clone(), store, cache, start..count)
    }

    /// `state` (the state after the first `range.start` events) with the events of `range` applied by
    /// `replayer`'s reducer.
    pub fn state_from(
        self,
        replayer: &Replayer,
        state: Value,
        store: &Store,
        cache: &mut PageCache,
        range: Range<usize>,
    ) -> Result<Value, IndexedError> {
        let mut state = Some(state);
        self.each_page::<IndexedError, _>(store, cache, range, |first, events| {
            let before = state.take().unwrap_or(Value::Null);
            state = Some(replayer.replay_from(before, first, events)?);
            Ok(())
        })?;
        Ok(state.unwrap_or(Value::Null))
    }

    /// Call `visit(first, events)` with the events of `range` page by page, in order (`first` is the
    /// index of `events`' first one).
    pub fn each_page<E, F>(
        self,
        store: &Store,
        cache: &mut PageCache,
        range: Range<usize>,
        mut visit: F,
    ) -> Result<(), E>
    where
        E: From<StoreError>,
        F: FnMut(usize, &[Event]) -> Result<(), E>,
    {
        let mut at = range.start;
        while at < range.end {
            let number = cache.page_of(at);
            let page = self.page(store, cache, number)?;
            let first = cache.first_of(number);
            let from = at - first;
            let to = (range.end - first).min(page.len());
            let Some(events) = page.get(from..to).filter(|e| !e.is_empty()) else {
                return Err(StoreError::StreamChanged {
                    path: store.path().to_path_buf(),
                    id: self.id.to_owned(),
                    first: at,
                }
                .into());
            };
            visit(at, events)?;
            at += events.len();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::replay::{DeepMerge, replay};
    use crate::core::testing::{sample, sample_streams};

    /// The first streams of every sample store, read as an index with tiny budgets (checkpoints of a few
    /// states, pages of 7 events, a cache of two pages): the state at every count is the full replay's,
    /// the events read back are the stream's, and both budgets hold.
    #[test]
    fn the_state_at_any_version_of_an_indexed_stream_equals_a_full_replay() {
        let streams = sample_streams(5);
        assert!(streams.len() > 10, "only {} streams", streams.len());
        for (path, store, summary) in streams {
            let events = store.events(&summary.id).unwrap();
            let stream_type = summary.stream_type.as_deref();
            let budget = 4_096;
            let indexed = IndexedStream::read(
                &store,
                &summary.id,
                events.len(),
                Arc::new(DeepMerge),
                stream_type,
                budget,
                &mut |_| true,
            )
            .unwrap()
            .unwrap();
            assert_eq!(indexed.index, StreamIndex::from_events(&events));
            let replayer = indexed.replayer.as_ref().unwrap();
            assert!(
                replayer.checkpoint_bytes() <= budget || replayer.checkpoint_count() == 1,
                "{}: {} bytes of checkpoints",
                path.display(),
                replayer.checkpoint_bytes()
            );
            let page_bytes: usize = events.iter().take(7).map(Event::heap_bytes).sum();
            let mut cache = PageCache::new(7, page_bytes * 2);
            let read_back = indexed
                .events(&store, &mut cache, 0..events.len() + 3)
                .unwrap();
            assert_eq!(read_back, events);
            for count in (0..=events.len()).rev() {
                let expected = replay(&DeepMerge, stream_type, &events[..count]).unwrap();
                let state = indexed.state_after(&store, &mut cache, count).unwrap();
                assert_eq!(
                    state,
                    expected,
                    "{} {} at {count}",
                    path.display(),
                    summary.id
                );
                assert!(cache.held_bytes() <= page_bytes * 2);
            }
        }
    }

    #[test]
    fn a_stopped_read_answers_nothing() {
        let store = sample("shop.sqlite");
        let id = store.streams().unwrap().remove(0).id;
        let read = IndexedStream::read(
            &store,
            &id,
            0,
            Arc::new(DeepMerge),
            None,
            1 << 20,
            &mut |_| false,
        )
        .unwrap();
        assert!(read.is_none());
    }
}
