//! The listed streams held in columns, so a store of 500,000 streams costs tens of bytes a stream, not a
//! `StreamSummary` each (five optional `String`s and two times): every id in one text arena ended by `u32`
//! offsets, each stream's (type, tenant, table) as an index into a small table of the distinct ones, event
//! counts as numbers, times as nanoseconds, and names and unreadable stored times only for the streams that
//! have them. The listing thread fills a batch of columns, the session appends it to the list's.
//!
//! Entries are only appended, so a stream keeps its entry number; the list's order is kept apart (see
//! [`super::StreamList`]). Rows are read back as borrowed [`StreamRow`]s made without allocating, and whole
//! summaries only where asked. The filter matches here too: ASCII ids ignoring case in place, other ids
//! against their lower case made once when they are added.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::core::model::StreamSummary;

/// One stream of the list, borrowed: what the panel draws and the list sorts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamRow<'a> {
    pub id: &'a str,
    pub stream_type: Option<&'a str>,
    pub name: Option<&'a str>,
    pub tenant: Option<&'a str>,
    pub table: Option<&'a str>,
    pub events: u64,
    pub first_time: Option<DateTime<Utc>>,
    pub first_stored_time: Option<&'a str>,
    pub last_time: Option<DateTime<Utc>>,
    pub last_stored_time: Option<&'a str>,
}

impl<'a> StreamRow<'a> {
    /// The row of a whole summary.
    pub fn of(summary: &'a StreamSummary) -> Self {
        Self {
            id: &summary.id,
            stream_type: summary.stream_type.as_deref(),
            name: summary.name.as_deref(),
            tenant: summary.tenant.as_deref(),
            table: summary.table.as_deref(),
            events: summary.events,
            first_time: summary.first_time,
            first_stored_time: summary.first_stored_time.as_deref(),
            last_time: summary.last_time,
            last_stored_time: summary.last_stored_time.as_deref(),
        }
    }

    /// The whole summary, owned (the stream selected, the CLI's JSON).
    pub fn to_summary(&self) -> StreamSummary {
        let owned = |text: Option<&str>| text.map(str::to_owned);
        StreamSummary {
            id: self.id.to_owned(),
            stream_type: owned(self.stream_type),
            name: owned(self.name),
            tenant: owned(self.tenant),
            table: owned(self.table),
            events: self.events,
            first_time: self.first_time,
            first_stored_time: owned(self.first_stored_time),
            last_time: self.last_time,
            last_stored_time: owned(self.last_stored_time),
        }
    }
}

/// The columns hold ids up to 4 GiB in all (their offsets are `u32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the streams' ids pass 4 GiB, more than the streams list holds")]
pub struct ListFull;

/// What streams share, held once: type, tenant and event table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct Group {
    stream_type: Option<Box<str>>,
    tenant: Option<Box<str>>,
    table: Option<Box<str>>,
}

/// Values only some entries have, by entry number, sorted.
#[derive(Debug)]
struct Sparse<T>(Vec<(u32, T)>);

impl<T> Default for Sparse<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T> Sparse<T> {
    fn get(&self, entry: u32) -> Option<&T> {
        let at = self.0.binary_search_by_key(&entry, |(e, _)| *e).ok()?;
        self.0.get(at).map(|(_, value)| value)
    }

    fn set(&mut self, entry: u32, value: Option<T>) {
        // Entries are mostly set in order: the end first.
        let found = match self.0.last() {
            Some((last, _)) if *last < entry => Err(self.0.len()),
            None => Err(0),
            Some(_) => self.0.binary_search_by_key(&entry, |(e, _)| *e),
        };
        match (found, value) {
            (Ok(at), Some(value)) => {
                if let Some(slot) = self.0.get_mut(at) {
                    slot.1 = value;
                }
            }
            (Ok(at), None) => {
                self.0.remove(at);
            }
            (Err(at), Some(value)) => self.0.insert(at, (entry, value)),
            (Err(_), None) => {}
        }
    }

    /// Take `other`'s values, its entries moved up by `offset` (all past ours).
    fn append(&mut self, other: Self, offset: u32) {
        self.0
            .extend(other.0.into_iter().map(|(e, value)| (e + offset, value)));
    }
}

/// A time as nanoseconds since the epoch; these two mark no time and one too far to count in nanoseconds
/// (before 1677 or after 2262, kept whole apart).
const NO_TIME: i64 = i64::MIN;
const FAR_TIME: i64 = i64::MIN + 1;

/// A column of optional times.
#[derive(Debug, Default)]
struct Times {
    nanos: Vec<i64>,
    far: Sparse<DateTime<Utc>>,
}

impl Times {
    fn packed(&mut self, entry: u32, time: Option<DateTime<Utc>>) -> i64 {
        let nanos = match time {
            None => NO_TIME,
            Some(time) => time
                .timestamp_nanos_opt()
                .filter(|&n| n > FAR_TIME)
                .unwrap_or(FAR_TIME),
        };
        self.far.set(entry, time.filter(|_| nanos == FAR_TIME));
        nanos
    }

    fn push(&mut self, entry: u32, time: Option<DateTime<Utc>>) {
        let nanos = self.packed(entry, time);
        self.nanos.push(nanos);
    }

    fn set(&mut self, entry: u32, time: Option<DateTime<Utc>>) {
        let nanos = self.packed(entry, time);
        if let Some(slot) = self.nanos.get_mut(entry as usize) {
            *slot = nanos;
        }
    }

    fn get(&self, entry: u32) -> Option<DateTime<Utc>> {
        match self.nanos.get(entry as usize).copied()? {
            NO_TIME => None,
            FAR_TIME => self.far.get(entry).copied(),
            nanos => Some(DateTime::from_timestamp_nanos(nanos)),
        }
    }

    fn append(&mut self, other: Self, offset: u32) {
        self.nanos.extend(other.nanos);
        self.far.append(other.far, offset);
    }

    fn bytes(&self) -> usize {
        self.nanos.capacity() * size_of::<i64>() + sparse_bytes(&self.far)
    }
}

/// Streams in columns, entry by entry.
#[derive(Debug, Default)]
pub struct Columns {
    /// Every id, one after another.
    ids: String,
    /// Where each entry's id ends in `ids`.
    id_ends: Vec<u32>,
    /// Each entry's index in `groups`.
    group_of: Vec<u32>,
    groups: Vec<Group>,
    /// Each group's type in lower case, for the filter.
    lower_types: Vec<Option<Box<str>>>,
    /// `groups` by value, to share them.
    group_index: HashMap<Group, u32>,
    events: Vec<u64>,
    first_times: Times,
    last_times: Times,
    names: Sparse<Box<str>>,
    first_stored: Sparse<Box<str>>,
    last_stored: Sparse<Box<str>>,
    /// The lower case of the ids that are not ASCII (ASCII ids are matched ignoring case in place).
    lower_ids: Sparse<Box<str>>,
}

impl FromIterator<StreamSummary> for Result<Columns, ListFull> {
    fn from_iter<I: IntoIterator<Item = StreamSummary>>(summaries: I) -> Self {
        let mut columns = Columns::default();
        for summary in summaries {
            columns.push(summary)?;
        }
        Ok(columns)
    }
}

impl Columns {
    /// How many entries.
    pub fn len(&self) -> usize {
        self.id_ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.id_ends.is_empty()
    }

    /// Add `summary` as the next entry.
    pub fn push(&mut self, summary: StreamSummary) -> Result<(), ListFull> {
        let entry = u32::try_from(self.len()).map_err(|_| ListFull)?;
        let end = u32::try_from(self.ids.len() + summary.id.len()).map_err(|_| ListFull)?;
        self.ids.push_str(&summary.id);
        self.id_ends.push(end);
        if !summary.id.is_ascii() {
            self.lower_ids
                .set(entry, Some(summary.id.to_lowercase().into_boxed_str()));
        }
        let group = self.group(&summary);
        self.group_of.push(group);
        self.events.push(summary.events);
        self.first_times.push(entry, summary.first_time);
        self.last_times.push(entry, summary.last_time);
        self.set_texts(entry, summary);
        Ok(())
    }

    /// Entry `entry` read again (the same id): its counts, times and the rest replaced.
    pub fn replace(&mut self, entry: u32, summary: StreamSummary) {
        let group = self.group(&summary);
        if let Some(slot) = self.group_of.get_mut(entry as usize) {
            *slot = group;
        }
        if let Some(slot) = self.events.get_mut(entry as usize) {
            *slot = summary.events;
        }
        self.first_times.set(entry, summary.first_time);
        self.last_times.set(entry, summary.last_time);
        self.set_texts(entry, summary);
    }

    /// Take the entries of `other` after ours; returns the entry number of its first.
    pub fn append(&mut self, other: Self) -> Result<u32, ListFull> {
        let offset = u32::try_from(self.len()).map_err(|_| ListFull)?;
        let base = u32::try_from(self.ids.len()).map_err(|_| ListFull)?;
        u32::try_from(self.len() + other.len()).map_err(|_| ListFull)?;
        u32::try_from(self.ids.len() + other.ids.len()).map_err(|_| ListFull)?;
        let Self {
            ids,
            id_ends,
            group_of,
            groups,
            lower_types: _,
            group_index: _,
            events,
            first_times,
            last_times,
            names,
            first_stored,
            last_stored,
            lower_ids,
        } = other;
        self.ids.push_str(&ids);
        self.id_ends
            .extend(id_ends.into_iter().map(|end| end + base));
        let shared: Vec<u32> = groups.into_iter().map(|g| self.share(g)).collect();
        self.group_of.extend(
            group_of
                .into_iter()
                .map(|g| shared.get(g as usize).copied().unwrap_or_default()),
        );
        self.events.extend(events);
        self.first_times.append(first_times, offset);
        self.last_times.append(last_times, offset);
        self.names.append(names, offset);
        self.first_stored.append(first_stored, offset);
        self.last_stored.append(last_stored, offset);
        self.lower_ids.append(lower_ids, offset);
        Ok(offset)
    }

    /// Give back the room the columns grew beyond their entries (once the listing is complete).
    pub fn shrink_to_fit(&mut self) {
        self.ids.shrink_to_fit();
        self.id_ends.shrink_to_fit();
        self.group_of.shrink_to_fit();
        self.events.shrink_to_fit();
        self.first_times.nanos.shrink_to_fit();
        self.last_times.nanos.shrink_to_fit();
    }

    /// The id of entry `entry` (empty past the end).
    pub fn id(&self, entry: u32) -> &str {
        let at = entry as usize;
        let Some(&end) = self.id_ends.get(at) else {
            return "";
        };
        let start = match at.checked_sub(1) {
            Some(before) => self.id_ends.get(before).copied().unwrap_or_default(),
            None => 0,
        };
        self.ids
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    fn group_of(&self, entry: u32) -> Option<&Group> {
        let group = self.group_of.get(entry as usize)?;
        self.groups.get(*group as usize)
    }

    /// What the list sorts by: id, type, events and last time, read without the rest.
    pub fn sort_fields(&self, entry: u32) -> (&str, Option<&str>, u64, Option<DateTime<Utc>>) {
        (
            self.id(entry),
            self.group_of(entry).and_then(|g| g.stream_type.as_deref()),
            self.events.get(entry as usize).copied().unwrap_or_default(),
            self.last_times.get(entry),
        )
    }

    /// Entry `entry` as a row; `None` past the end.
    pub fn row(&self, entry: u32) -> Option<StreamRow<'_>> {
        let group = self.group_of(entry)?;
        Some(StreamRow {
            id: self.id(entry),
            stream_type: group.stream_type.as_deref(),
            name: self.names.get(entry).map(AsRef::as_ref),
            tenant: group.tenant.as_deref(),
            table: group.table.as_deref(),
            events: self.events.get(entry as usize).copied()?,
            first_time: self.first_times.get(entry),
            first_stored_time: self.first_stored.get(entry).map(AsRef::as_ref),
            last_time: self.last_times.get(entry),
            last_stored_time: self.last_stored.get(entry).map(AsRef::as_ref),
        })
    }

    /// Whether entry `entry`'s id or type contains `needle` (lower case), ignoring case as
    /// `str::to_lowercase` does, without allocating.
    pub fn passes(&self, entry: u32, needle: &str) -> bool {
        if needle.is_empty() {
            return true;
        }
        let id = match self.lower_ids.get(entry) {
            Some(lower) => lower.contains(needle),
            None => ascii_contains(self.id(entry), needle),
        };
        id || self
            .group_of
            .get(entry as usize)
            .and_then(|g| self.lower_types.get(*g as usize))
            .is_some_and(|t| t.as_deref().is_some_and(|t| t.contains(needle)))
    }

    /// About how many bytes the columns hold on the heap.
    pub fn heap_bytes(&self) -> usize {
        let texts = |sparse: &Sparse<Box<str>>| {
            sparse_bytes(sparse) + sparse.0.iter().map(|(_, t)| t.len()).sum::<usize>()
        };
        let group_texts: usize = self
            .groups
            .iter()
            .map(|g| {
                [&g.stream_type, &g.tenant, &g.table]
                    .into_iter()
                    .flatten()
                    .map(|t| t.len())
                    .sum::<usize>()
            })
            .sum();
        self.ids.capacity()
            + self.id_ends.capacity() * size_of::<u32>()
            + self.group_of.capacity() * size_of::<u32>()
            // Each group is in `groups` and as a key of `group_index` (its texts twice), with its lower type.
            + self.groups.capacity() * (2 * size_of::<Group>() + size_of::<u32>() + 16)
            + 3 * group_texts
            + self.events.capacity() * size_of::<u64>()
            + self.first_times.bytes()
            + self.last_times.bytes()
            + texts(&self.names)
            + texts(&self.first_stored)
            + texts(&self.last_stored)
            + texts(&self.lower_ids)
    }

    /// The index of `summary`'s group, added if new.
    fn group(&mut self, summary: &StreamSummary) -> u32 {
        let boxed = |text: &Option<String>| text.as_deref().map(Box::from);
        self.share(Group {
            stream_type: boxed(&summary.stream_type),
            tenant: boxed(&summary.tenant),
            table: boxed(&summary.table),
        })
    }

    fn share(&mut self, group: Group) -> u32 {
        if let Some(&index) = self.group_index.get(&group) {
            return index;
        }
        // Fewer groups than entries, and entries fit in a u32.
        let index = u32::try_from(self.groups.len()).unwrap_or(u32::MAX);
        self.lower_types.push(
            group
                .stream_type
                .as_deref()
                .map(|t| t.to_lowercase().into_boxed_str()),
        );
        self.group_index.insert(group.clone(), index);
        self.groups.push(group);
        index
    }

    fn set_texts(&mut self, entry: u32, summary: StreamSummary) {
        let boxed = |text: Option<String>| text.map(String::into_boxed_str);
        self.names.set(entry, boxed(summary.name));
        self.first_stored
            .set(entry, boxed(summary.first_stored_time));
        self.last_stored.set(entry, boxed(summary.last_stored_time));
    }
}

fn sparse_bytes<T>(sparse: &Sparse<T>) -> usize {
    sparse.0.capacity() * size_of::<(u32, T)>()
}

/// Whether `text` contains `needle` (lower case) ignoring case, as `text.to_lowercase().contains(needle)`
/// answers, without allocating when `text` is ASCII.
pub fn contains_ignoring_case(text: &str, needle: &str) -> bool {
    if text.is_ascii() {
        ascii_contains(text, needle)
    } else {
        text.to_lowercase().contains(needle)
    }
}

/// Whether ASCII `text` contains `needle` (lower case) ignoring ASCII case. A needle that is not ASCII is in
/// no ASCII text's lower case either.
fn ascii_contains(text: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    needle.is_empty()
        || text.as_bytes().windows(needle.len()).any(|w| {
            w.iter()
                .zip(needle)
                .all(|(t, n)| t.to_ascii_lowercase() == *n)
        })
}

#[cfg(test)]
mod tests;
