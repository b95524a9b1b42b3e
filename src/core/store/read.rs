//! A stream read from its first event to its last one page at a time, so commands can fold and print
//! streams of any length while holding one page ([`PAGE_SIZE`] events by default) at once; and any page of a
//! stream read again by the keyset cursor a [`StreamIndex`] keeps, so the GUI holds a long stream as its
//! index and decodes only the pages it shows.

use super::pages::StreamKey;
use super::{PAGE_SIZE, PageCursor, Store, StoreError};
use crate::core::model::Event;
use crate::core::timeline::stream_index::StreamIndex;

/// The events of one stream in stream order, read by keyset pages as they are consumed.
pub struct StreamEvents<'s> {
    store: &'s Store,
    id: String,
    cursor: Option<PageCursor>,
    page: std::vec::IntoIter<Event>,
    page_size: usize,
    /// Whether events keep their payload as stored beside the transformed one (see
    /// [`Self::without_stored`]).
    keep_stored: bool,
    /// No page is left to read: the last one was short, empty, or failed.
    exhausted: bool,
    /// Events still to give when the read stops early (see [`Self::first`]); `None` to the stream's end.
    left: Option<usize>,
    /// How the stream is found, asked with the first page.
    key: Option<StreamKey>,
}

impl StreamEvents<'_> {
    /// The same events without their payload as stored (`Event::stored` is `None`): for a fold that never
    /// looks at it, so a transformed payload is rewritten in place rather than copied.
    #[must_use]
    pub fn without_stored(self) -> Self {
        Self {
            keep_stored: false,
            ..self
        }
    }

    /// Only the first `n` of these events: the last page read asks for no more than are left, so no event
    /// past them is read.
    #[must_use]
    pub fn first(self, n: usize) -> Self {
        Self {
            left: Some(n),
            ..self
        }
    }

    /// The next page after the current cursor, of `limit` events.
    fn next_page(&mut self, limit: usize) -> Result<Vec<Event>, StoreError> {
        let key = match self.key.take() {
            Some(key) => key,
            None => self.store.stream_key(&self.id)?,
        };
        let page = self
            .store
            .events_page_of(&key, self.cursor, limit, self.keep_stored);
        self.key = Some(key);
        page
    }
}

impl Store {
    /// The events of stream `id`, read page by page as the iterator is consumed. A stream that does not
    /// exist has no events; ask [`Store::stream`] first to tell the two apart.
    pub fn read_stream(&self, id: &str) -> StreamEvents<'_> {
        self.read_stream_paged(id, PAGE_SIZE)
    }

    /// The events of stream `id` after `after` (see [`Self::halfway`]), read as [`Self::read_stream`] reads.
    pub fn read_stream_after(&self, id: &str, after: PageCursor) -> StreamEvents<'_> {
        StreamEvents {
            cursor: Some(after),
            ..self.read_stream(id)
        }
    }

    /// [`Self::read_stream`] in pages of `page_size` events (at least one).
    pub fn read_stream_paged(&self, id: &str, page_size: usize) -> StreamEvents<'_> {
        StreamEvents {
            store: self,
            id: id.to_owned(),
            cursor: None,
            page: Vec::new().into_iter(),
            page_size: page_size.max(1),
            keep_stored: true,
            exhausted: false,
            left: None,
            key: None,
        }
    }
}

impl Store {
    /// Events `first..first + len` of stream `id` (fewer at its end), read by the keyset cursor `index`
    /// keeps: one seek, however deep in the stream. The page must start with the event `index` has there;
    /// if another connection rewrote the stream, [`StoreError::StreamChanged`] says so.
    pub fn stream_page(
        &self,
        id: &str,
        index: &StreamIndex,
        first: usize,
        len: usize,
    ) -> Result<Vec<Event>, StoreError> {
        let changed = || StoreError::StreamChanged {
            path: self.path().to_path_buf(),
            id: id.to_owned(),
            first,
        };
        let cursor = index.page_cursor(first).ok_or_else(changed)?;
        let wanted = len.min(index.len().saturating_sub(first));
        if wanted == 0 {
            return Ok(Vec::new());
        }
        let page = self.events_page(id, cursor, wanted)?;
        match page.first() {
            Some(event) if Some(event.position) == index.position(first) => Ok(page),
            _ => Err(changed()),
        }
    }
}

impl Iterator for StreamEvents<'_> {
    type Item = Result<Event, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(event) = self.page.next() {
                return Some(Ok(event));
            }
            let limit = self
                .left
                .map_or(self.page_size, |left| left.min(self.page_size));
            if self.exhausted || limit == 0 {
                return None;
            }
            let page = match self.next_page(limit) {
                Ok(page) => page,
                Err(err) => {
                    self.exhausted = true;
                    return Some(Err(err));
                }
            };
            self.exhausted = page.len() < limit;
            if let Some(left) = &mut self.left {
                *left -= page.len();
            }
            let last = page.last()?;
            self.cursor = Some(PageCursor::after(last));
            self.page = page.into_iter();
        }
    }
}
