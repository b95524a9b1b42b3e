//! A long stream read by two connections at once while the caller folds it: decoding a page (SQLite's
//! read and the payload's parse) costs about as much as the fold itself, so with the pages read ahead on
//! two threads a replay takes the time of the slower side instead of the sum.
//!
//! Two readers, each with its own connection, take pages in turn. The one that takes a page first asks
//! the index where the page ends (`Store::page_end`, no payload read), so the other can start the next
//! page at once, then reads its own. Pages reach the caller in stream order, at most [`AHEAD`] beyond the
//! one it is folding, so memory stays a few pages whatever the stream's length.
//!
//! A page is used only if it starts where the caller's previous page ended; otherwise (another program
//! rewrote the stream meanwhile, or a reader could not open the file) the readers stop and the caller
//! reads on by itself from its own cursor, so the events are those of a plain read, in every case.

use std::collections::BTreeMap;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use super::{PageCursor, Store, StoreError};
use crate::core::model::Event;

/// Pages read beyond the one the caller has: enough to keep both readers busy.
const AHEAD: usize = 2;

/// Events in a page read ahead: small, since several are held at once and the caller frees what the
/// readers allocated (pages of 500 peaked at 60 MB on the 200k-event replay, of 200 at 35 MB, as fast).
pub(super) const AHEAD_PAGE_SIZE: usize = 200;

/// How many connections read at once.
const READERS: usize = 2;

/// One page as a reader read it.
struct Fetched {
    /// The cursor the page was read after.
    after: PageCursor,
    events: Result<Vec<Event>, StoreError>,
}

/// What the readers agree on, under one lock.
#[derive(Default)]
struct Schedule {
    /// The page the next reader takes.
    next: usize,
    /// Where that page starts, once the reader of the page before has asked the index; `None` meanwhile.
    start: Option<PageCursor>,
    /// Pages the caller has taken.
    taken: usize,
    /// The last page has been taken by a reader, or reading failed, or the caller is gone.
    done: bool,
}

struct Shared {
    schedule: Mutex<Schedule>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Schedule> {
        // A reader that panicked while holding the lock leaves a schedule still worth reading.
        self.schedule
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn wait<'g>(&self, guard: MutexGuard<'g, Schedule>) -> MutexGuard<'g, Schedule> {
        self.changed
            .wait(guard)
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Pages of one stream being read ahead; see the module doc.
pub(super) struct Ahead {
    shared: Arc<Shared>,
    pages: Receiver<(usize, Fetched)>,
    readers: Vec<JoinHandle<()>>,
    /// The page the caller takes next.
    next: usize,
    /// Pages that arrived before their turn.
    arrived: BTreeMap<usize, Fetched>,
}

/// What a reader needs to read its pages.
#[derive(Clone)]
struct Job {
    id: String,
    page_size: usize,
    keep_stored: bool,
}

impl Ahead {
    /// Start reading the pages of `id` after `after`, or `None` when this store cannot tell where a page
    /// ends without reading it (several event tables, an order read from payloads).
    pub(super) fn start(
        store: &Store,
        id: &str,
        after: PageCursor,
        page_size: usize,
        keep_stored: bool,
    ) -> Option<Self> {
        if !store.page_ends_known() {
            return None;
        }
        let shared = Arc::new(Shared {
            schedule: Mutex::new(Schedule {
                start: Some(after),
                ..Schedule::default()
            }),
            changed: Condvar::new(),
        });
        let (sender, pages) = channel();
        let job = Job {
            id: id.to_owned(),
            page_size,
            keep_stored,
        };
        let mut readers = Vec::with_capacity(READERS);
        for n in 0..READERS {
            let (path, options) = (store.path().to_path_buf(), store.reopen_options());
            let (shared, sender, job) = (Arc::clone(&shared), sender.clone(), job.clone());
            let spawned = std::thread::Builder::new()
                .name(format!("eventscope-read-{n}"))
                .spawn(move || {
                    // A reader that cannot open the file leaves the pages to the other one, or to the caller.
                    if let Ok(store) = Store::open_with(&path, options) {
                        read_pages(&store, &job, &shared, &sender);
                    }
                });
            if let Ok(handle) = spawned {
                readers.push(handle);
            }
        }
        Some(Self {
            shared,
            pages,
            readers,
            next: 0,
            arrived: BTreeMap::new(),
        })
    }

    /// The next page, which must start after `after` (the caller's last event); `None` when the readers
    /// cannot give it (they stopped, or read a stream that changed under them): the caller reads on itself.
    pub(super) fn next_page(
        &mut self,
        after: PageCursor,
    ) -> Option<Result<Vec<Event>, StoreError>> {
        let fetched = loop {
            if let Some(fetched) = self.arrived.remove(&self.next) {
                break fetched;
            }
            match self.pages.recv() {
                Ok((index, fetched)) => {
                    self.arrived.insert(index, fetched);
                }
                // Every reader ended without the page.
                Err(_) => return None,
            }
        };
        self.next += 1;
        {
            let mut schedule = self.shared.lock();
            schedule.taken = self.next;
            self.shared.changed.notify_all();
        }
        (fetched.after == after).then_some(fetched.events)
    }
}

impl Drop for Ahead {
    fn drop(&mut self) {
        self.shared.lock().done = true;
        self.shared.changed.notify_all();
        for reader in self.readers.drain(..) {
            // A reader finishes the page it is reading, then sees `done`.
            let _ = reader.join();
        }
    }
}

/// A reader's loop: take the next page, say where it ends, read it, hand it over.
fn read_pages(store: &Store, job: &Job, shared: &Shared, pages: &Sender<(usize, Fetched)>) {
    // A reader that cannot find the stream leaves the pages to the other one, or to the caller.
    let Ok(key) = store.stream_key(&job.id) else {
        return;
    };
    loop {
        let (index, after) = {
            let mut schedule = shared.lock();
            loop {
                if schedule.done {
                    return;
                }
                if schedule.next < schedule.taken + AHEAD
                    && let Some(start) = schedule.start.take()
                {
                    break (schedule.next, start);
                }
                schedule = shared.wait(schedule);
            }
        };
        let end = store.page_end(&key, Some(after), job.page_size);
        {
            let mut schedule = shared.lock();
            match &end {
                Ok(Some(end)) => {
                    schedule.next = index + 1;
                    schedule.start = Some(*end);
                }
                // The last page, or no way on.
                Ok(None) | Err(_) => schedule.done = true,
            }
            shared.changed.notify_all();
        }
        let events = end
            .and_then(|_| store.events_page_of(&key, Some(after), job.page_size, job.keep_stored));
        if pages.send((index, Fetched { after, events })).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;
    use crate::core::layout::Mapping;

    /// A store of stream `s` with `n` events (versions 1.., the first three without one) interleaved with
    /// another stream's, mapped with or without the version column.
    fn store(dir: &std::path::Path, n: usize, versioned: bool) -> (std::path::PathBuf, Store) {
        let path = dir.join(format!("ahead-{n}-{versioned}.sqlite"));
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "CREATE TABLE ev(seq INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT);
             WITH RECURSIVE k(i) AS (SELECT 1 WHERE {n} > 0 UNION ALL SELECT i + 1 FROM k WHERE i < {n})
             INSERT INTO ev(stream_id, version, type, data)
                 SELECT 's', CASE WHEN i <= 3 THEN NULL ELSE i END, 'T', json_object('n', i) FROM k;
             INSERT INTO ev(stream_id, version, type, data) VALUES ('other', 1, 'T', '{{}}');
             CREATE INDEX ev_stream ON ev(stream_id, version);"
        ))
        .unwrap();
        drop(conn);
        let mut mapping = serde_json::json!({
            "table": "ev", "position": {"column": "seq"}, "stream": {"column": "stream_id"},
            "type": {"column": "type"}, "data": "data"
        });
        if versioned {
            mapping["version"] = serde_json::json!({"column": "version"});
        }
        let mapping: Mapping = serde_json::from_value(mapping).unwrap();
        let store = Store::open(&path, Some(mapping)).unwrap();
        (path, store)
    }

    fn keys(events: impl Iterator<Item = Result<Event, StoreError>>) -> Vec<(i64, Option<i64>)> {
        events
            .map(|e| e.map(|e| (e.position, e.version)).unwrap())
            .collect()
    }

    #[test]
    fn a_stream_read_ahead_gives_the_events_of_a_plain_read_whatever_its_length() {
        let dir = tempfile::tempdir().unwrap();
        for versioned in [true, false] {
            for n in [0, 1, 49, 50, 51, 100, 101, 250, 251, 1234] {
                let (_, store) = store(dir.path(), n, versioned);
                let plain = keys(store.read_stream_paged("s", 50));
                assert_eq!(plain.len(), n);
                let ahead = keys(store.read_stream_paged("s", 50).read_ahead());
                assert_eq!(ahead, plain, "{n} events, versioned {versioned}");
            }
        }
    }

    #[test]
    fn readers_that_cannot_open_the_file_leave_the_read_to_the_caller() {
        let dir = tempfile::tempdir().unwrap();
        let (path, store) = store(dir.path(), 333, true);
        let plain = keys(store.read_stream_paged("s", 50));
        // The open connection still reads the file; the readers cannot find it by its name.
        std::fs::rename(&path, dir.path().join("moved.sqlite")).unwrap();
        let ahead = keys(store.read_stream_paged("s", 50).read_ahead());
        assert_eq!(ahead, plain);
    }

    #[test]
    fn a_page_that_does_not_start_where_the_caller_is_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let (_, store) = store(dir.path(), 300, true);
        let first = store.events_page("s", None, 50).unwrap();
        let after = PageCursor::after(first.last().unwrap());
        let mut ahead = Ahead::start(&store, "s", after, 50, true).unwrap();
        let second = ahead.next_page(after).unwrap().unwrap();
        assert_eq!(second.first().unwrap().version, Some(51));
        // The caller is not where the readers think it is.
        assert!(ahead.next_page(after).is_none());
    }

    #[test]
    fn page_ends_come_from_the_index_and_the_last_page_has_none() {
        let dir = tempfile::tempdir().unwrap();
        let (_, store) = store(dir.path(), 120, true);
        let key = store.stream_key("s").unwrap();
        let end = store.page_end(&key, None, 50).unwrap().unwrap();
        let page = store.events_page("s", None, 50).unwrap();
        assert_eq!(end, PageCursor::after(page.last().unwrap()));
        let second = store.page_end(&key, Some(end), 50).unwrap().unwrap();
        assert_eq!(store.page_end(&key, Some(second), 50).unwrap(), None);
        let nothing = store.stream_key("nothing").unwrap();
        assert_eq!(store.page_end(&nothing, None, 50).unwrap(), None);
    }
}
