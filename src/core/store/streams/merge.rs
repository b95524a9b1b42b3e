//! Merging the rows of the streams list: an id stored in several forms in one event table merges by
//! position, the same id in several event tables by time (positions of different tables cannot be compared).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::*;

/// The first or last event of a stream in one event table: its position and its stored time.
#[derive(Clone, Debug, PartialEq)]
pub(in crate::core::store) struct End {
    pub(in crate::core::store) position: Option<i64>,
    pub(in crate::core::store) time: StoredTime,
}

impl End {
    pub(super) const NONE: Self = Self {
        position: None,
        time: StoredTime::Absent,
    };

    /// The one of two ends in one table that comes first (`later == false`) or last by position.
    pub(super) fn pick(self, other: Self, later: bool) -> Self {
        match (self.position, other.position) {
            (Some(a), Some(b)) if (later && b > a) || (!later && b < a) => other,
            (None, Some(_)) => other,
            _ => self,
        }
    }
}

/// The first (`later == false`) or last of two ends in different event tables, whose positions cannot be
/// compared: by time. An end whose time cannot be read cannot be ordered, so it is kept (and shown as stored)
/// rather than a readable time that may not be the stream's end; an end without a time is left out.
fn across_tables(kept: StoredTime, other: StoredTime, later: bool) -> StoredTime {
    match (kept, other) {
        (StoredTime::Time(a), StoredTime::Time(b)) => {
            StoredTime::Time(if later { a.max(b) } else { a.min(b) })
        }
        (unread @ StoredTime::Unreadable(_), _) | (_, unread @ StoredTime::Unreadable(_)) => unread,
        (StoredTime::Absent, other) | (other, StoredTime::Absent) => other,
    }
}

/// A row of the grouped streams query, before ids stored in several forms are merged.
pub(in crate::core::store) struct StreamRow {
    /// Everything but the times.
    pub(in crate::core::store) summary: StreamSummary,
    pub(in crate::core::store) first: End,
    pub(in crate::core::store) last: End,
}

impl StreamRow {
    /// The summary, its first and last times those of the row's ends.
    pub(in crate::core::store) fn into_summary(self) -> StreamSummary {
        let Self {
            mut summary,
            first,
            last,
        } = self;
        summary.set_ends(first.time, last.time);
        summary
    }

    /// Merge another row of the same id in the same table (the id stored in another form).
    pub(in crate::core::store) fn absorb(&mut self, other: Self) {
        self.summary.events += other.summary.events;
        self.first = std::mem::replace(&mut self.first, End::NONE).pick(other.first, false);
        self.last = std::mem::replace(&mut self.last, End::NONE).pick(other.last, true);
    }
}

/// The rows of one event table with each id stored in several forms merged into its first row, by position
/// (positions order the events within a table). Rows come in the order of their stored keys.
fn merge_forms(rows: Vec<StreamRow>) -> Vec<StreamRow> {
    // The index of the first row of each row's id, found without copying ids.
    let first_of: Vec<usize> = {
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(rows.len());
        (rows.iter().enumerate())
            .map(|(i, row)| *seen.entry(row.summary.id.as_str()).or_insert(i))
            .collect()
    };
    if first_of.iter().enumerate().all(|(i, first)| i == *first) {
        return rows;
    }
    let mut kept: Vec<StreamRow> = Vec::with_capacity(rows.len());
    // Where each row's first row went in `kept`.
    let mut kept_at: Vec<usize> = Vec::with_capacity(rows.len());
    for (row, first) in rows.into_iter().zip(first_of) {
        let target = kept_at.get(first).copied();
        kept_at.push(target.unwrap_or(kept.len()));
        match target.and_then(|t| kept.get_mut(t)) {
            Some(existing) => existing.absorb(row),
            None => kept.push(row),
        }
    }
    kept
}

impl Store {
    /// The rows `rows_of` gives for each event table, ids stored in several forms merged by position within
    /// a table and by time across tables, sorted by id.
    pub(in crate::core::store) fn merge_tables(
        &self,
        rows_of: &mut dyn FnMut(&Source) -> Result<Vec<StreamRow>, StoreError>,
    ) -> Result<Vec<StreamSummary>, StoreError> {
        let mut merged: Vec<(StreamSummary, StoredTime, StoredTime)> = Vec::new();
        // Where each id is in `merged`, once a second event table is read.
        let mut at: HashMap<String, usize> = HashMap::new();
        for (index, source) in self.sources.iter().enumerate() {
            let rows = merge_forms(rows_of(source)?);
            if index == 0 {
                merged = rows
                    .into_iter()
                    .map(|row| (row.summary, row.first.time, row.last.time))
                    .collect();
                continue;
            }
            if at.is_empty() {
                at = (merged.iter().enumerate())
                    .map(|(i, (summary, ..))| (summary.id.clone(), i))
                    .collect();
            }
            // Across tables positions mean nothing: the ends merge by time.
            for row in rows {
                match at.entry(row.summary.id.clone()) {
                    Entry::Occupied(existing) => {
                        let Some((summary, first, last)) = merged.get_mut(*existing.get()) else {
                            continue;
                        };
                        summary.events += row.summary.events;
                        let kept = std::mem::replace(first, StoredTime::Absent);
                        *first = across_tables(kept, row.first.time, false);
                        let kept = std::mem::replace(last, StoredTime::Absent);
                        *last = across_tables(kept, row.last.time, true);
                    }
                    Entry::Vacant(slot) => {
                        slot.insert(merged.len());
                        merged.push((row.summary, row.first.time, row.last.time));
                    }
                }
            }
        }
        let mut out: Vec<StreamSummary> = merged
            .into_iter()
            .map(|(mut summary, first, last)| {
                summary.set_ends(first, last);
                summary
            })
            .collect();
        out.sort_by(|a, b| compare_ids(&a.id, &b.id));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn across_tables_an_end_that_cannot_be_read_is_kept_and_one_without_a_time_is_left_out() {
        let time =
            |s: &str| StoredTime::Time(crate::core::decode::times::parse_time_text(s).unwrap());
        let unread = || StoredTime::Unreadable("later".to_owned());
        let (early, late) = (time("2024-03-14T14:00:00Z"), time("2024-03-14T15:00:00Z"));
        assert_eq!(across_tables(late.clone(), early.clone(), false), early);
        assert_eq!(across_tables(early.clone(), late.clone(), true), late);
        assert_eq!(across_tables(early.clone(), unread(), false), unread());
        assert_eq!(across_tables(unread(), late.clone(), true), unread());
        assert_eq!(
            across_tables(StoredTime::Absent, early.clone(), false),
            early
        );
        assert_eq!(across_tables(late.clone(), StoredTime::Absent, true), late);
    }
}
