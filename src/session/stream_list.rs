//! The streams list as the session holds it: every stream of the store, the filter typed, the sort and the
//! rows that pass the filter, in display order. Changed only by `SetStreamFilter`, `SortStreams` and what the
//! worker lists (the store opened, live follow's refreshed summaries).

use crate::core::model::StreamSummary;
use crate::core::store::compare_ids;

use super::StreamSort;

pub struct StreamList {
    /// All streams, sorted by id; `None` while loading.
    streams: Option<Vec<StreamSummary>>,
    filter: String,
    sort: (StreamSort, bool),
    /// Indices into `streams` that pass the filter, in display order.
    visible: Vec<usize>,
}

impl Default for StreamList {
    fn default() -> Self {
        Self {
            streams: None,
            filter: String::new(),
            sort: (StreamSort::Id, true),
            visible: Vec::new(),
        }
    }
}

impl StreamList {
    /// All streams, sorted by id; `None` while they are listed.
    pub fn all(&self) -> Option<&[StreamSummary]> {
        self.streams.as_deref()
    }

    /// Whether the store's streams are listed.
    pub fn listed(&self) -> bool {
        self.streams.is_some()
    }

    /// The filter text (id or type contains it, ignoring case).
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// The column sorted by, and whether ascending.
    pub fn sort(&self) -> (StreamSort, bool) {
        self.sort
    }

    /// Indices into [`Self::all`] that pass the filter, in display order.
    pub fn visible(&self) -> &[usize] {
        &self.visible
    }

    /// The summary of stream `id`.
    pub fn get(&self, id: &str) -> Option<&StreamSummary> {
        self.streams.as_ref()?.iter().find(|s| s.id == id)
    }

    /// The store's streams were listed.
    pub(super) fn set(&mut self, streams: Vec<StreamSummary>) {
        self.streams = Some(streams);
        self.refresh();
    }

    pub(super) fn set_filter(&mut self, text: String) {
        self.filter = text;
        self.refresh();
    }

    /// Sort by `key`; the same column again flips the direction.
    pub(super) fn sort_by(&mut self, key: StreamSort) {
        self.sort = if self.sort.0 == key {
            (key, !self.sort.1)
        } else {
            (key, key == StreamSort::Id)
        };
        self.refresh();
    }

    /// Summaries read again after other connections appended (new streams included).
    pub(super) fn update(&mut self, updated: Vec<StreamSummary>) {
        if let Some(streams) = &mut self.streams {
            let mut added = false;
            for summary in updated {
                match streams.iter_mut().find(|s| s.id == summary.id) {
                    Some(slot) => *slot = summary,
                    None => {
                        streams.push(summary);
                        added = true;
                    }
                }
            }
            if added {
                streams.sort_by(|a, b| compare_ids(&a.id, &b.id));
            }
        }
        self.refresh();
    }

    fn refresh(&mut self) {
        let Some(streams) = &self.streams else { return };
        let needle = self.filter.to_lowercase();
        let mut visible: Vec<usize> = streams
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                needle.is_empty()
                    || s.id.to_lowercase().contains(&needle)
                    || s.stream_type
                        .as_deref()
                        .is_some_and(|t| t.to_lowercase().contains(&needle))
            })
            .map(|(i, _)| i)
            .collect();
        let (key, ascending) = self.sort;
        visible.sort_by(|&a, &b| {
            let (Some(a), Some(b)) = (streams.get(a), streams.get(b)) else {
                return std::cmp::Ordering::Equal;
            };
            let order = match key {
                StreamSort::Id => compare_ids(&a.id, &b.id),
                StreamSort::Type => a
                    .stream_type
                    .cmp(&b.stream_type)
                    .then_with(|| compare_ids(&a.id, &b.id)),
                StreamSort::Events => a
                    .events
                    .cmp(&b.events)
                    .then_with(|| compare_ids(&a.id, &b.id)),
                StreamSort::LastActivity => a
                    .last_time
                    .cmp(&b.last_time)
                    .then_with(|| compare_ids(&a.id, &b.id)),
            };
            if ascending { order } else { order.reverse() }
        });
        self.visible = visible;
    }
}
