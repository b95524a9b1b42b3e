//! Search hits as the session keeps them, compactly: stream ids and types interned (a million hits are a
//! million small rows, not a million strings), gathered in the search thread and sent in batches.

use super::*;

/// One search hit, compactly: the stream and type are indices into [`HitList`]'s names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HitRow {
    pub(super) stream: u32,
    pub(super) event_type: u32,
    pub version: i64,
    pub position: i64,
    pub time: Option<DateTime<Utc>>,
}

/// Hits in the order found, with their stream ids and types interned.
#[derive(Debug, Default)]
pub struct HitList {
    pub(super) streams: Vec<String>,
    pub(super) types: Vec<String>,
    pub(super) rows: Vec<HitRow>,
}

impl HitList {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&HitRow> {
        self.rows.get(index)
    }

    pub fn iter(&self) -> impl Iterator<Item = &HitRow> {
        self.rows.iter()
    }

    pub fn stream(&self, hit: &HitRow) -> &str {
        name(&self.streams, hit.stream)
    }

    pub fn event_type(&self, hit: &HitRow) -> &str {
        name(&self.types, hit.event_type)
    }
}

pub(super) fn name(names: &[String], index: u32) -> &str {
    usize::try_from(index)
        .ok()
        .and_then(|i| names.get(i))
        .map_or("", String::as_str)
}

/// Collects hits in the search thread, interning stream ids and types, and sends them in batches.
#[derive(Default)]
pub(super) struct HitBatcher {
    pub(super) streams: HashMap<String, u32>,
    pub(super) types: HashMap<String, u32>,
    pub(super) new_streams: Vec<String>,
    pub(super) new_types: Vec<String>,
    pub(super) rows: Vec<HitRow>,
    /// Hits sent so far; past [`MAX_HITS`] only the count matters, so rows are no longer sent.
    pub(super) sent: usize,
}

impl HitBatcher {
    /// Add one hit; returns whether the batch is full.
    pub(super) fn push(&mut self, hit: &Hit) -> bool {
        if self.sent + self.rows.len() >= MAX_HITS {
            return false;
        }
        let stream = intern(&mut self.streams, &mut self.new_streams, &hit.stream);
        let event_type = intern(&mut self.types, &mut self.new_types, &hit.event_type);
        self.rows.push(HitRow {
            stream,
            event_type,
            version: hit.version,
            position: hit.position,
            time: hit.time,
        });
        self.rows.len() >= BATCH
    }

    pub(super) fn flush(&mut self, task: &AuditTask) {
        if self.rows.is_empty() && self.new_streams.is_empty() && self.new_types.is_empty() {
            return;
        }
        self.sent += self.rows.len();
        task.send(Reply::Hits {
            new_streams: std::mem::take(&mut self.new_streams),
            new_types: std::mem::take(&mut self.new_types),
            rows: std::mem::take(&mut self.rows),
        });
    }
}

pub(super) fn intern(index: &mut HashMap<String, u32>, new: &mut Vec<String>, name: &str) -> u32 {
    if let Some(&i) = index.get(name) {
        return i;
    }
    let i = u32::try_from(index.len()).unwrap_or(u32::MAX);
    index.insert(name.to_owned(), i);
    new.push(name.to_owned());
    i
}
