//! Decoded pages of a long stream kept while they are looked at, within a byte budget.
//!
//! A stream held as a [`crate::core::timeline::stream_index::StreamIndex`] is decoded again by page when its events
//! are shown or replayed from a checkpoint. [`PageCache`] keeps the pages read most recently, weighed by
//! [`Event::heap_bytes`], and forgets the least recently used ones once their total passes the budget, so a
//! scrub over ten million events holds a few pages, never the stream.

use std::collections::HashMap;
use std::sync::Arc;

use crate::core::model::Event;

/// One cached page and what it weighs.
struct Entry {
    events: Arc<[Event]>,
    bytes: usize,
    /// When it was last asked for (a counter, higher is more recent).
    used: u64,
}

/// Pages of `page_size` events keyed by page number (page `n` holds events `n * page_size ..`), at most
/// `budget_bytes` in total.
pub struct PageCache {
    page_size: usize,
    budget_bytes: usize,
    pages: HashMap<usize, Entry>,
    held_bytes: usize,
    clock: u64,
}

impl PageCache {
    /// An empty cache of pages of `page_size` events (at least one), holding at most `budget_bytes`.
    pub fn new(page_size: usize, budget_bytes: usize) -> Self {
        Self {
            page_size: page_size.max(1),
            budget_bytes,
            pages: HashMap::new(),
            held_bytes: 0,
            clock: 0,
        }
    }

    /// Events a page holds.
    pub fn page_size(&self) -> usize {
        self.page_size
    }

    /// The page event `index` is on.
    pub fn page_of(&self, index: usize) -> usize {
        index / self.page_size
    }

    /// The first event of page `page`.
    pub fn first_of(&self, page: usize) -> usize {
        page.saturating_mul(self.page_size)
    }

    /// Page `page` if it is cached (it becomes the most recently used).
    pub fn get(&mut self, page: usize) -> Option<Arc<[Event]>> {
        self.clock += 1;
        let entry = self.pages.get_mut(&page)?;
        entry.used = self.clock;
        Some(Arc::clone(&entry.events))
    }

    /// Keep `events` as page `page`, forgetting the least recently used pages past the budget, and give
    /// them back shared. A page weighing more than the whole budget (events of megabytes) is kept alone:
    /// the panels showing it ask for it every frame, and decoding it again each time would cost far more
    /// than a frame; it goes as soon as another page is read.
    pub fn insert(&mut self, page: usize, events: Vec<Event>) -> Arc<[Event]> {
        let bytes: usize = events.iter().map(Event::heap_bytes).sum();
        let events: Arc<[Event]> = events.into();
        self.remove(page);
        while !self.pages.is_empty() && self.held_bytes + bytes > self.budget_bytes {
            let Some(oldest) = self
                .pages
                .iter()
                .min_by_key(|(_, entry)| entry.used)
                .map(|(&number, _)| number)
            else {
                break;
            };
            self.remove(oldest);
        }
        self.clock += 1;
        self.held_bytes += bytes;
        self.pages.insert(
            page,
            Entry {
                events: Arc::clone(&events),
                bytes,
                used: self.clock,
            },
        );
        events
    }

    /// Forget every page (the stream was read again).
    pub fn clear(&mut self) {
        self.pages.clear();
        self.held_bytes = 0;
    }

    /// Bytes the cached pages weigh.
    pub fn held_bytes(&self) -> usize {
        self.held_bytes
    }

    /// Pages cached.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether no page is cached.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    fn remove(&mut self, page: usize) {
        if let Some(entry) = self.pages.remove(&page) {
            self.held_bytes -= entry.bytes;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::shop_longest;
    use crate::core::timeline::stream_index::StreamIndex;

    #[test]
    fn the_page_cache_stays_within_its_byte_budget_whatever_is_read() {
        let (store, id, events) = shop_longest();
        let index = StreamIndex::from_events(&events);
        let page_bytes: usize = events.iter().take(16).map(Event::heap_bytes).sum();
        let budget = page_bytes * 3;
        let mut cache = PageCache::new(16, budget);
        let pages = events.len().div_ceil(16);
        for round in 0..3 {
            for step in 0..pages {
                let page = (step * 7 + round) % pages;
                let got = match cache.get(page) {
                    Some(got) => got,
                    None => {
                        let read = store
                            .stream_page(&id, &index, cache.first_of(page), 16)
                            .unwrap();
                        cache.insert(page, read)
                    }
                };
                let first = cache.first_of(page);
                assert_eq!(&got[..], &events[first..(first + 16).min(events.len())]);
                assert!(
                    cache.held_bytes() <= budget,
                    "{} bytes held, budget {budget}",
                    cache.held_bytes()
                );
                assert!(!cache.is_empty());
            }
        }
    }

    #[test]
    fn the_most_recently_used_page_is_kept_and_a_page_past_the_budget_is_kept_alone() {
        let (_store, _id, events) = shop_longest();
        let one = events.get(..4).unwrap().to_vec();
        let bytes: usize = one.iter().map(Event::heap_bytes).sum();
        let mut cache = PageCache::new(4, bytes * 2);
        cache.insert(0, one.clone());
        cache.insert(1, one.clone());
        assert!(cache.get(0).is_some());
        cache.insert(2, one.clone());
        assert!(cache.get(0).is_some(), "page 0 was used last: kept");
        assert!(cache.get(1).is_none(), "page 1 was the oldest: forgotten");
        let big = events.get(..40).unwrap().to_vec();
        let given = cache.insert(3, big.clone());
        assert_eq!(&given[..], &big[..]);
        assert_eq!(cache.len(), 1, "only the big page is kept");
        assert!(cache.get(3).is_some());
        cache.insert(4, one.clone());
        assert!(
            cache.get(3).is_none(),
            "the big page goes when another is read"
        );
        assert!(cache.held_bytes() <= bytes * 2);
    }
}
