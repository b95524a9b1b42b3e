//! The streams list as the session holds it: the streams of the store, the filter typed, the sort and the
//! rows that pass the filter, in display order. Changed only by `SetStreamFilter`, `SortStreams` and what the
//! worker lists (the first page, the rest of the listing batch by batch, the index's prefix matches, live
//! follow's refreshed summaries).
//!
//! A store of 500,000 streams takes seconds to list, so the list fills: the first page through the stream
//! index shows at once, the listing's batches follow in list order, and until the listing ends the streams
//! known ahead of it (the rest of the first page, the index's answer for the filter typed as an id prefix)
//! are shown after the listed ones. Rows are numbered over both (see [`StreamList::row`]). The filtered rows
//! are kept as batches arrive, never rebuilt per frame.
//!
//! The listed streams are held in [`Columns`] (tens of bytes a stream), in list order through a vector of
//! entry numbers; rows, matches and the sorted rows are `u32`s. A row is read as a borrowed [`StreamRow`],
//! a whole `StreamSummary` made only for what is asked.

use std::cmp::Ordering;

use crate::core::model::StreamSummary;
use crate::core::store::compare_ids;

use super::StreamSort;

mod columns;

use columns::contains_ignoring_case;
pub use columns::{Columns, ListFull, StreamRow};

/// How far the listing has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// Nothing listed yet.
    Waiting,
    /// The first page is shown, the rest is being listed.
    Filling,
    /// Every stream is listed.
    Complete,
    /// The listing stopped on an error (shown by the session): the list holds what came before.
    Stopped,
}

/// The index's answer to the filter typed, taken as an id prefix, while the list fills.
struct PrefixMatches {
    prefix: String,
    streams: Vec<StreamSummary>,
    /// The index had more matches than were asked for.
    more: bool,
}

pub struct StreamList {
    /// Streams listed so far (all of them once complete), in columns, by entry.
    columns: Columns,
    /// The entries of `columns` in list order (sorted by id).
    order: Vec<u32>,
    /// Streams known before the listing reaches them: the first page, streams live follow saw appear.
    known: Vec<StreamSummary>,
    prefix: Option<PrefixMatches>,
    /// `known` and the prefix matches past the last listed stream, sorted by id: rows after the listed ones.
    ahead: Vec<StreamSummary>,
    listing: Listing,
    filter: String,
    /// `filter` in lower case.
    needle: String,
    sort: (StreamSort, bool),
    /// Rows of listed streams that pass the filter, in list order; extended as batches arrive.
    matches: Vec<u32>,
    /// Rows (see [`Self::row`]) that pass the filter, in display order.
    visible: Vec<u32>,
}

impl Default for StreamList {
    fn default() -> Self {
        Self {
            columns: Columns::default(),
            order: Vec::new(),
            known: Vec::new(),
            prefix: None,
            ahead: Vec::new(),
            listing: Listing::Waiting,
            filter: String::new(),
            needle: String::new(),
            sort: (StreamSort::Id, true),
            matches: Vec::new(),
            visible: Vec::new(),
        }
    }
}

/// Every listed stream, in list order (see [`StreamList::all`]).
#[derive(Clone, Copy)]
pub struct ListedRows<'a>(&'a StreamList);

impl<'a> ListedRows<'a> {
    pub fn len(&self) -> usize {
        self.0.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.order.is_empty()
    }

    /// The stream at `index` in list order.
    pub fn get(&self, index: u32) -> Option<StreamRow<'a>> {
        let entry = self.0.order.get(index as usize)?;
        self.0.columns.row(*entry)
    }

    pub fn iter(&self) -> impl Iterator<Item = StreamRow<'a>> + 'a {
        let list = self.0;
        list.order.iter().filter_map(|&e| list.columns.row(e))
    }

    /// Every stream as a whole summary (tests, small stores: this makes them all).
    pub fn to_summaries(&self) -> Vec<StreamSummary> {
        self.iter().map(|r| r.to_summary()).collect()
    }
}

impl StreamList {
    /// All streams, sorted by id, once every one is listed; `None` while they are listed.
    pub fn all(&self) -> Option<ListedRows<'_>> {
        (self.listing == Listing::Complete).then_some(ListedRows(self))
    }

    /// Whether every stream is listed (see [`Self::all`]).
    pub fn listed(&self) -> bool {
        self.listing == Listing::Complete
    }

    /// Whether there is something to show: the first page has come.
    pub fn shown(&self) -> bool {
        self.listing != Listing::Waiting
    }

    /// How far the listing has come.
    pub fn listing(&self) -> Listing {
        self.listing
    }

    /// How many streams the listing has given so far.
    pub fn listed_count(&self) -> usize {
        self.order.len()
    }

    /// About how many bytes the listed streams take on the heap (their columns and list order).
    pub fn heap_bytes(&self) -> usize {
        self.columns.heap_bytes()
            + (self.order.capacity() + self.matches.capacity() + self.visible.capacity())
                * size_of::<u32>()
    }

    /// Row `index`: the listed streams in list order, then those known ahead of the listing.
    pub fn row(&self, index: u32) -> Option<StreamRow<'_>> {
        let index = index as usize;
        match index.checked_sub(self.order.len()) {
            None => self.columns.row(*self.order.get(index)?),
            Some(ahead) => self.ahead.get(ahead).map(StreamRow::of),
        }
    }

    /// The id of row `index` (see [`Self::row`]), read alone.
    pub fn row_id(&self, index: u32) -> Option<&str> {
        let index = index as usize;
        match index.checked_sub(self.order.len()) {
            None => Some(self.columns.id(*self.order.get(index)?)),
            Some(ahead) => self.ahead.get(ahead).map(|s| s.id.as_str()),
        }
    }

    /// The filter text (id or type contains it, ignoring case).
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// While the list fills with a filter typed: how many ids starting with it the index gave, and
    /// whether it had more; `None` before it answered (or with no filter, or once the list is complete).
    pub fn prefix_matches(&self) -> Option<(usize, bool)> {
        self.prefix
            .as_ref()
            .filter(|p| p.prefix == self.filter && self.listing != Listing::Complete)
            .map(|p| (p.streams.len(), p.more))
    }

    /// The column sorted by, and whether ascending.
    pub fn sort(&self) -> (StreamSort, bool) {
        self.sort
    }

    /// Rows (see [`Self::row`]) that pass the filter, in display order.
    pub fn visible(&self) -> &[u32] {
        &self.visible
    }

    /// The summary of stream `id`.
    pub fn get(&self, id: &str) -> Option<StreamRow<'_>> {
        match self.position(id) {
            Ok(at) => self.columns.row(*self.order.get(at)?),
            Err(_) => self.ahead.iter().find(|s| s.id == id).map(StreamRow::of),
        }
    }

    /// Where stream `id` is (or would be) in list order.
    fn position(&self, id: &str) -> Result<usize, usize> {
        self.order
            .binary_search_by(|&e| compare_ids(self.columns.id(e), id))
    }

    /// The first page of the list came: shown until the listing passes it.
    pub(super) fn set_page(&mut self, page: Vec<StreamSummary>) {
        self.columns = Columns::default();
        self.order.clear();
        self.matches.clear();
        self.known = page;
        self.listing = Listing::Filling;
        self.refresh_ahead();
        self.refresh_visible();
    }

    /// The listing gave `batch`, the next streams in list order; `complete` when it has given them all.
    pub(super) fn extend(&mut self, batch: Columns, complete: bool) -> Result<(), ListFull> {
        let from = self.order.len();
        let added = batch.len();
        let first = match self.columns.append(batch) {
            Ok(first) => first,
            Err(full) => {
                self.listing = Listing::Stopped;
                return Err(full);
            }
        };
        // `append` checked that the entries fit in a u32.
        self.order
            .extend((0..added).filter_map(|i| u32::try_from(i).ok().map(|i| first + i)));
        self.match_from(from);
        let mut result = Ok(());
        if complete {
            self.listing = Listing::Complete;
            self.prefix = None;
            // Streams live follow saw appear after the listing's read began.
            let known = std::mem::take(&mut self.known);
            let unlisted = known
                .into_iter()
                .filter(|s| self.position(&s.id).is_err())
                .collect();
            result = self.insert(unlisted);
            self.columns.shrink_to_fit();
            self.order.shrink_to_fit();
            self.matches.shrink_to_fit();
        }
        self.refresh_ahead();
        self.refresh_visible();
        result
    }

    /// Add `summaries`, none of them listed, at their place in list order.
    fn insert(&mut self, summaries: Vec<StreamSummary>) -> Result<(), ListFull> {
        if summaries.is_empty() {
            return Ok(());
        }
        for summary in summaries {
            match self.position(&summary.id) {
                // Given twice: the later read wins.
                Ok(at) => {
                    if let Some(&entry) = self.order.get(at) {
                        self.columns.replace(entry, summary);
                    }
                }
                Err(at) => {
                    let entry = u32::try_from(self.columns.len()).map_err(|_| ListFull)?;
                    self.columns.push(summary)?;
                    self.order.insert(at, entry);
                }
            }
        }
        self.matches.clear();
        self.match_from(0);
        Ok(())
    }

    /// The listing stopped on an error: what it gave stays.
    pub(super) fn stopped(&mut self) {
        if self.listing != Listing::Complete {
            self.listing = Listing::Stopped;
        }
    }

    /// The index's streams whose id starts with `prefix` (`more`: it had more than these).
    pub(super) fn set_prefix_matches(
        &mut self,
        prefix: String,
        streams: Vec<StreamSummary>,
        more: bool,
    ) {
        if prefix != self.filter || self.listing == Listing::Complete {
            return; // an older filter's answer
        }
        self.prefix = Some(PrefixMatches {
            prefix,
            streams,
            more,
        });
        self.refresh_ahead();
        self.refresh_visible();
    }

    pub(super) fn set_filter(&mut self, text: String) {
        self.needle = text.to_lowercase();
        self.filter = text;
        self.matches.clear();
        self.match_from(0);
        self.refresh_ahead();
        self.refresh_visible();
    }

    /// Sort by `key`; the same column again flips the direction.
    pub(super) fn sort_by(&mut self, key: StreamSort) {
        self.sort = if self.sort.0 == key {
            (key, !self.sort.1)
        } else {
            (key, key == StreamSort::Id)
        };
        self.refresh_visible();
    }

    /// Summaries read again after other connections appended (new streams included).
    pub(super) fn update(&mut self, updated: Vec<StreamSummary>) -> Result<(), ListFull> {
        let mut new = Vec::new();
        for summary in updated {
            match self.position(&summary.id) {
                Ok(at) => {
                    if let Some(&entry) = self.order.get(at) {
                        self.columns.replace(entry, summary);
                    }
                }
                Err(_) if self.listing == Listing::Complete => new.push(summary),
                // The listing may not reach it (its read began before): keep it ahead.
                Err(_) => match self.known.iter_mut().find(|s| s.id == summary.id) {
                    Some(slot) => *slot = summary,
                    None => self.known.push(summary),
                },
            }
        }
        let result = self.insert(new);
        self.refresh_ahead();
        self.refresh_visible();
        result
    }

    /// Add to `matches` the listed rows from `from` on that pass the filter.
    fn match_from(&mut self, from: usize) {
        let (needle, columns) = (&self.needle, &self.columns);
        let new = self
            .order
            .iter()
            .zip(0u32..)
            .skip(from)
            .filter(|&(&entry, _)| columns.passes(entry, needle))
            .map(|(_, row)| row);
        self.matches.extend(new);
    }

    /// The known streams and prefix matches the listing has not reached, sorted by id, each once.
    fn refresh_ahead(&mut self) {
        if self.listing == Listing::Complete {
            self.ahead = Vec::new();
            return;
        }
        let last = self.order.last().map(|&e| self.columns.id(e));
        let beyond =
            |s: &&StreamSummary| last.is_none_or(|l| compare_ids(&s.id, l) == Ordering::Greater);
        let prefix = self
            .prefix
            .as_ref()
            .filter(|p| p.prefix == self.filter)
            .map_or(&[][..], |p| p.streams.as_slice());
        let mut ahead: Vec<StreamSummary> = self
            .known
            .iter()
            .chain(prefix)
            .filter(beyond)
            .cloned()
            .collect();
        ahead.sort_by(|a, b| compare_ids(&a.id, &b.id));
        ahead.dedup_by(|a, b| a.id == b.id);
        self.ahead = ahead;
    }

    /// What row `row` sorts by: id, type, events and last time.
    fn sort_fields(&self, row: u32) -> Option<SortFields<'_>> {
        let index = row as usize;
        match index.checked_sub(self.order.len()) {
            None => Some(self.columns.sort_fields(*self.order.get(index)?)),
            Some(ahead) => self.ahead.get(ahead).map(|s| {
                (
                    s.id.as_str(),
                    s.stream_type.as_deref(),
                    s.events,
                    s.last_time,
                )
            }),
        }
    }

    fn refresh_visible(&mut self) {
        let mut visible = std::mem::take(&mut self.visible);
        visible.clone_from(&self.matches);
        let needle = &self.needle;
        visible.extend(
            self.ahead
                .iter()
                .zip(0u32..)
                .filter(|(s, _)| passes(needle, s))
                .filter_map(|(_, i)| u32::try_from(self.order.len()).ok().map(|l| l + i)),
        );
        match self.sort {
            // Rows are in list order already.
            (StreamSort::Id, true) => {}
            (StreamSort::Id, false) => visible.reverse(),
            (key, ascending) => visible.sort_by(|&a, &b| {
                let (Some(a), Some(b)) = (self.sort_fields(a), self.sort_fields(b)) else {
                    return Ordering::Equal;
                };
                let order = match key {
                    StreamSort::Id => compare_ids(a.0, b.0),
                    StreamSort::Type => a.1.cmp(&b.1),
                    StreamSort::Events => a.2.cmp(&b.2),
                    StreamSort::LastActivity => a.3.cmp(&b.3),
                }
                .then_with(|| compare_ids(a.0, b.0));
                if ascending { order } else { order.reverse() }
            }),
        }
        self.visible = visible;
    }
}

/// Id, type, event count and last time of a row.
type SortFields<'a> = (
    &'a str,
    Option<&'a str>,
    u64,
    Option<chrono::DateTime<chrono::Utc>>,
);

/// Whether `stream`'s id or type contains `needle` (lower case), ignoring case.
fn passes(needle: &str, stream: &StreamSummary) -> bool {
    needle.is_empty()
        || contains_ignoring_case(&stream.id, needle)
        || stream
            .stream_type
            .as_deref()
            .is_some_and(|t| contains_ignoring_case(t, needle))
}

#[cfg(test)]
mod tests;
