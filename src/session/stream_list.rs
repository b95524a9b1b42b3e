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

use std::cmp::Ordering;

use crate::core::model::StreamSummary;
use crate::core::store::compare_ids;

use super::StreamSort;

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
    /// Streams listed so far, sorted by id (list order); all of them once complete.
    streams: Vec<StreamSummary>,
    /// Streams known before the listing reaches them: the first page, streams live follow saw appear.
    known: Vec<StreamSummary>,
    prefix: Option<PrefixMatches>,
    /// `known` and the prefix matches past the last listed stream, sorted by id: rows after `streams`.
    ahead: Vec<StreamSummary>,
    listing: Listing,
    filter: String,
    /// `filter` in lower case.
    needle: String,
    sort: (StreamSort, bool),
    /// Indices into `streams` that pass the filter, in list order; extended as batches arrive.
    matches: Vec<usize>,
    /// Rows (see [`Self::row`]) that pass the filter, in display order.
    visible: Vec<usize>,
}

impl Default for StreamList {
    fn default() -> Self {
        Self {
            streams: Vec::new(),
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

impl StreamList {
    /// All streams, sorted by id, once every one is listed; `None` while they are listed.
    pub fn all(&self) -> Option<&[StreamSummary]> {
        (self.listing == Listing::Complete).then_some(self.streams.as_slice())
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
        self.streams.len()
    }

    /// Row `index`: the listed streams in list order, then those known ahead of the listing.
    pub fn row(&self, index: usize) -> Option<&StreamSummary> {
        match index.checked_sub(self.streams.len()) {
            None => self.streams.get(index),
            Some(ahead) => self.ahead.get(ahead),
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
    pub fn visible(&self) -> &[usize] {
        &self.visible
    }

    /// The summary of stream `id`.
    pub fn get(&self, id: &str) -> Option<&StreamSummary> {
        match self.streams.binary_search_by(|s| compare_ids(&s.id, id)) {
            Ok(at) => self.streams.get(at),
            Err(_) => self.ahead.iter().find(|s| s.id == id),
        }
    }

    /// The first page of the list came: shown until the listing passes it.
    pub(super) fn set_page(&mut self, page: Vec<StreamSummary>) {
        self.streams.clear();
        self.matches.clear();
        self.known = page;
        self.listing = Listing::Filling;
        self.refresh_ahead();
        self.refresh_visible();
    }

    /// The listing gave `batch`, the next streams in list order; `complete` when it has given them all.
    pub(super) fn extend(&mut self, batch: Vec<StreamSummary>, complete: bool) {
        let from = self.streams.len();
        self.streams.extend(batch);
        self.match_from(from);
        if complete {
            self.listing = Listing::Complete;
            self.prefix = None;
            // Streams live follow saw appear after the listing's read began.
            let mut added = false;
            for summary in std::mem::take(&mut self.known) {
                if let Err(at) = self
                    .streams
                    .binary_search_by(|s| compare_ids(&s.id, &summary.id))
                {
                    self.streams.insert(at, summary);
                    added = true;
                }
            }
            if added {
                self.matches.clear();
                self.match_from(0);
            }
        }
        self.refresh_ahead();
        self.refresh_visible();
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
    pub(super) fn update(&mut self, updated: Vec<StreamSummary>) {
        let mut added = false;
        for summary in updated {
            match self
                .streams
                .binary_search_by(|s| compare_ids(&s.id, &summary.id))
            {
                Ok(at) => {
                    if let Some(slot) = self.streams.get_mut(at) {
                        *slot = summary;
                    }
                }
                Err(at) if self.listing == Listing::Complete => {
                    self.streams.insert(at, summary);
                    added = true;
                }
                // The listing may not reach it (its read began before): keep it ahead.
                Err(_) => match self.known.iter_mut().find(|s| s.id == summary.id) {
                    Some(slot) => *slot = summary,
                    None => self.known.push(summary),
                },
            }
        }
        if added {
            self.matches.clear();
            self.match_from(0);
        }
        self.refresh_ahead();
        self.refresh_visible();
    }

    fn passes(&self, stream: &StreamSummary) -> bool {
        passes(&self.needle, stream)
    }

    /// Add to `matches` the listed streams from `from` on that pass the filter.
    fn match_from(&mut self, from: usize) {
        let needle = &self.needle;
        let new = self
            .streams
            .iter()
            .enumerate()
            .skip(from)
            .filter(|(_, s)| passes(needle, s))
            .map(|(i, _)| i);
        self.matches.extend(new);
    }

    /// The known streams and prefix matches the listing has not reached, sorted by id, each once.
    fn refresh_ahead(&mut self) {
        if self.listing == Listing::Complete {
            self.ahead = Vec::new();
            return;
        }
        let last = self.streams.last().map(|s| s.id.as_str());
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

    fn refresh_visible(&mut self) {
        let listed = self.streams.len();
        let mut visible = self.matches.clone();
        visible.extend(
            self.ahead
                .iter()
                .enumerate()
                .filter(|(_, s)| self.passes(s))
                .map(|(i, _)| listed + i),
        );
        match self.sort {
            // Rows are in list order already.
            (StreamSort::Id, true) => {}
            (StreamSort::Id, false) => visible.reverse(),
            (key, ascending) => visible.sort_by(|&a, &b| {
                let (Some(a), Some(b)) = (self.row(a), self.row(b)) else {
                    return Ordering::Equal;
                };
                let order = match key {
                    StreamSort::Id => compare_ids(&a.id, &b.id),
                    StreamSort::Type => a.stream_type.cmp(&b.stream_type),
                    StreamSort::Events => a.events.cmp(&b.events),
                    StreamSort::LastActivity => a.last_time.cmp(&b.last_time),
                }
                .then_with(|| compare_ids(&a.id, &b.id));
                if ascending { order } else { order.reverse() }
            }),
        }
        self.visible = visible;
    }
}

/// Whether `stream`'s id or type contains `needle` (lower case), ignoring case.
fn passes(needle: &str, stream: &StreamSummary) -> bool {
    needle.is_empty()
        || stream.id.to_lowercase().contains(needle)
        || stream
            .stream_type
            .as_deref()
            .is_some_and(|t| t.to_lowercase().contains(needle))
}

#[cfg(test)]
mod tests;
