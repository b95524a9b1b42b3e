//! Reading a stream for the session: one pass indexes it and folds it into byte-bounded checkpoints
//! ([`IndexedStream::read`]); live follow extends it from its end; a new reducer folds it again, and
//! snapshot checks and field histories read it again, event by event, so no job holds the stream's events.
//! Each is a method of one [`StreamJob`], which carries what they all need (the store, the job, the
//! reducer), so a load and an extension end the same way.

use std::sync::Arc;

use super::{CHECKPOINT_BYTES, LoadedStream, Response, Task};
use crate::core::model::StreamSummary;
use crate::core::replay::query::{FieldChange, field_history_in};
use crate::core::replay::series::{Series, series_in};
use crate::core::replay::snapshots::check_snapshots_in;
use crate::core::replay::{CheckpointBuilder, Reducer, ReplayError, Replayer};
use crate::core::store::{PAGE_SIZE, PageCursor, Snapshot, Store, StoreError};
use crate::core::timeline::indexed::{IndexedError, IndexedStream, StreamPages};
use crate::core::timeline::pages::PageCache;
use crate::core::timeline::stream_index::StreamIndex;
use crate::session::Problem;
use crate::session::density::StreamAxes;
use crate::session::events::{PAGE_CACHE_BYTES, PAGE_EVENTS, StreamEvents};

/// One job reading a stream for the session: the store it reads, the job it runs as (its cancel flag and
/// progress), the reducer the loaded stream keeps, and the same reducer watching the job's cancel flag,
/// which is what the job folds and checks with.
pub(super) struct StreamJob<'a> {
    store: &'a Store,
    task: &'a Task,
    /// What the view replays with, kept in the loaded stream.
    reducer: Arc<dyn Reducer>,
    /// `reducer` stopping when the job is cancelled (also in the middle of an event).
    working: Arc<dyn Reducer>,
}

impl<'a> StreamJob<'a> {
    pub(super) fn new(store: &'a Store, reducer: Arc<dyn Reducer>, task: &'a Task) -> Self {
        let working = reducer
            .stopped_by(task.cancel_flag())
            .unwrap_or_else(|| Arc::clone(&reducer));
        Self {
            store,
            task,
            reducer,
            working,
        }
    }

    /// The reducer watching the job's cancel flag.
    fn working(&self) -> &dyn Reducer {
        self.working.as_ref()
    }

    /// Read stream `id` once: its index and checkpoints (see [`IndexedStream::read`]), the store's
    /// snapshots of it and their checks. `None` when a newer request cancelled it. A failing reducer still
    /// shows the stream's events: the view reports the error.
    pub(super) fn load(&self, id: &str) -> Result<Option<LoadedStream>, String> {
        let summary = self.summary(id)?;
        let total = summary.events;
        let read = IndexedStream::read(
            self.store,
            id,
            usize::try_from(total).unwrap_or(0),
            Arc::clone(&self.working),
            summary.stream_type.as_deref(),
            CHECKPOINT_BYTES,
            &mut |done| {
                self.task.progress(Response::Progress {
                    what: "reading events",
                    done: done as u64,
                    total,
                })
            },
        )
        .map_err(|err| named(id, err).to_string())?;
        let Some(IndexedStream {
            id,
            index,
            replayer,
        }) = read
        else {
            return Ok(None);
        };
        self.finish_read(id, &summary, index, replayer)
    }

    /// `stream` with what other connections appended to it since it was read: its index and checkpoints
    /// go on from where they were, reading only the events past its end (and those since its last
    /// checkpoint, for the state at its end). A stream that changed otherwise than by growing, or was
    /// folded with another reducer, is read again whole. `None` when a newer request cancelled it.
    pub(super) fn extend(&self, stream: &LoadedStream) -> Result<Option<LoadedStream>, String> {
        let id = stream.summary.id.as_str();
        let failed = |err: IndexedError| named(id, err).to_string();
        let old = stream.events.index();
        let (Ok(replayer), Some(cursor), true) = (
            &stream.replayer,
            old.page_cursor(old.len()),
            Arc::ptr_eq(&stream.reducer, &self.reducer),
        ) else {
            return self.load(id);
        };
        if replayer.len() != old.len() {
            return self.load(id);
        }
        let summary = self.summary(id)?;
        let mut cache = PageCache::new(PAGE_EVENTS, PAGE_CACHE_BYTES);
        let pages = StreamPages { id, index: old };
        let state = match pages.state_after(replayer, self.store, &mut cache, old.len()) {
            Ok(state) => state,
            Err(IndexedError::Replay(ReplayError::Cancelled)) => return Ok(None),
            Err(err) => return Err(failed(err)),
        };
        let mut builder =
            CheckpointBuilder::resume(replayer, Arc::clone(&self.working), state, CHECKPOINT_BYTES);
        let mut index = old.clone();
        let mut cursor = cursor;
        let mut folded = Ok(());
        loop {
            if self.task.cancelled() {
                return Ok(None);
            }
            let page = self
                .store
                .events_page(id, cursor, PAGE_SIZE)
                .map_err(|e| failed(e.into()))?;
            let Some(last) = page.last() else { break };
            cursor = Some(PageCursor::after(last));
            for event in &page {
                index.push(event);
                if folded.is_ok() {
                    folded = builder.push(event);
                }
            }
            if page.len() < PAGE_SIZE {
                break;
            }
        }
        if u64::try_from(index.len()).ok() != Some(summary.events) {
            // Not simply longer: read it again.
            return self.load(id);
        }
        let replayer = match folded {
            Err(ReplayError::Cancelled) => return Ok(None),
            Err(err) => Err(err),
            Ok(()) => Ok(builder.finish()),
        };
        self.finish_read(id.to_owned(), &summary, index, replayer)
    }

    /// Stream `id`'s summary as the store has it now.
    fn summary(&self, id: &str) -> Result<StreamSummary, String> {
        self.store
            .stream(id)
            .map_err(|err| named(id, err).to_string())
    }

    /// What a load and an extension end with: stream `id` as `index` describes it, its timeline axes and
    /// snapshots, with `replayer`'s checkpoints.
    fn finish_read(
        &self,
        id: String,
        summary: &StreamSummary,
        index: StreamIndex,
        replayer: Result<Replayer, ReplayError>,
    ) -> Result<Option<LoadedStream>, String> {
        let failed = |err: StoreError| named(&id, err).to_string();
        let parts = Parts::of(self.store, id.clone(), index).map_err(failed)?;
        Ok(self.finish(summary, parts, replayer))
    }

    /// The loaded stream with `replayer`'s checkpoints and `parts`, its snapshots checked with the working
    /// reducer. `None` when the job was cancelled (also in the middle of an event); a reducer failure is
    /// kept in `replayer` (its message names the event and the expression).
    fn finish(
        &self,
        summary: &StreamSummary,
        parts: Parts,
        replayer: Result<Replayer, ReplayError>,
    ) -> Option<LoadedStream> {
        let Parts {
            events,
            axes,
            snapshots,
        } = parts;
        let snapshot_checks = match &replayer {
            Err(ReplayError::Cancelled) => return None,
            Ok(_) if snapshots.is_empty() => Ok(Vec::new()),
            // Read again only as far as the newest snapshot.
            Ok(_) => match check_snapshots_in(
                self.working(),
                summary.stream_type.as_deref(),
                self.store
                    .read_stream(&summary.id)
                    .map(|e| e.map_err(IndexedError::from)),
                &snapshots,
            ) {
                Err(IndexedError::Replay(ReplayError::Cancelled)) => return None,
                checks => checks.map_err(|err| named(&summary.id, err)),
            },
            Err(err) => Err(Problem::from(err)),
        };
        let replayer = replayer.map(|replayer| replayer.with_reducer(Arc::clone(&self.reducer)));
        Some(LoadedStream {
            serial: crate::session::next_serial(),
            summary: summary.clone(),
            axes,
            events,
            replayer,
            snapshots,
            snapshot_checks,
            reducer: Arc::clone(&self.reducer),
        })
    }

    /// The loaded `stream` replayed again with this job's reducer, reading its events again (they are not
    /// held); its index, axes and snapshots are kept. `None` when cancelled by a newer reducer; an error
    /// names the event and the expression (the last good replay stays on screen).
    pub(super) fn rebuild(&self, stream: &LoadedStream) -> Option<Result<LoadedStream, Problem>> {
        let replayer = match self.fold(stream) {
            Ok(Some(replayer)) => replayer,
            Ok(None) => return None,
            Err(message) => return Some(Err(message.into())),
        };
        let parts = Parts {
            events: Arc::clone(&stream.events),
            axes: Arc::clone(&stream.axes),
            snapshots: Arc::clone(&stream.snapshots),
        };
        let rebuilt = self.finish(&stream.summary, parts, replayer)?;
        Some(match &rebuilt.replayer {
            Err(err) => Err(Problem::from(err)),
            Ok(_) => Ok(rebuilt),
        })
    }

    /// Fold `stream` again with the working reducer into checkpoints, reading its events from the store
    /// (they are not held), reporting progress: `Ok(None)` when cancelled, `Ok(Some(Err))` when the reducer
    /// fails on an event.
    fn fold(&self, stream: &LoadedStream) -> Result<Option<Result<Replayer, ReplayError>>, String> {
        let id = &stream.summary.id;
        let total = stream.events.len() as u64;
        let mut builder = CheckpointBuilder::new(
            Arc::clone(&self.working),
            stream.summary.stream_type.as_deref(),
            CHECKPOINT_BYTES,
        );
        // Only the events the stream's index holds: others appended since are folded in when it is
        // extended.
        let events = self.store.read_stream(id).take(stream.events.len());
        for (done, event) in events.enumerate() {
            let event = event.map_err(|err| format!("stream {id}: {err}"))?;
            match builder.push(&event) {
                Ok(()) => {}
                Err(ReplayError::Cancelled) => return Ok(None),
                Err(err) => return Ok(Some(Err(err))),
            }
            if done % PROGRESS_EVERY == 0 {
                self.task.send(Response::Progress {
                    what: "replaying",
                    done: done as u64,
                    total,
                });
                if self.task.cancelled() {
                    return Ok(None);
                }
            }
        }
        Ok(Some(Ok(builder.finish())))
    }

    /// Every event of the loaded `stream` that changed the field at `path`, reading it again with the
    /// working reducer. `None` when cancelled.
    pub(super) fn history(
        &self,
        stream: &LoadedStream,
        path: &str,
    ) -> Option<Result<Vec<FieldChange>, Problem>> {
        let id = &stream.summary.id;
        match field_history_in(
            self.working(),
            stream.summary.stream_type.as_deref(),
            self.store
                .read_stream(id)
                .map(|e| e.map_err(IndexedError::from)),
            path,
        ) {
            Err(IndexedError::Replay(ReplayError::Cancelled)) => None,
            Err(err) => Some(Err(named(id, err))),
            Ok(changes) => Some(Ok(changes)),
        }
    }

    /// The numbers of the fields at `paths` after every event of the loaded `stream`, reading it again with
    /// the working reducer, within [`SERIES_BYTES`]. `None` when cancelled.
    pub(super) fn series(
        &self,
        stream: &LoadedStream,
        paths: &[String],
    ) -> Option<Result<Vec<Series>, Problem>> {
        let id = &stream.summary.id;
        let total = stream.events.len() as u64;
        let mut done = 0_u64;
        let events = self.store.read_stream(id).map(|event| {
            done += 1;
            if done.is_multiple_of(PROGRESS_EVERY as u64)
                && !self.task.progress(Response::Progress {
                    what: "charting",
                    done,
                    total,
                })
            {
                return Err(IndexedError::Replay(ReplayError::Cancelled));
            }
            event.map_err(IndexedError::from)
        });
        match series_in(
            self.working(),
            stream.summary.stream_type.as_deref(),
            events,
            paths,
            SERIES_BYTES,
        ) {
            Err(IndexedError::Replay(ReplayError::Cancelled)) => None,
            Err(err) => Some(Err(named(id, err))),
            Ok(_) if self.task.cancelled() => None,
            Ok(series) => Some(Ok(series)),
        }
    }
}

/// What the chart's series may hold in all, in bytes: a million changes of one field, fewer each with
/// more fields; past it a series is thinned (see [`crate::core::replay::series`]).
pub const SERIES_BYTES: usize = 16 << 20;

/// `err` as the view shows it, naming stream `id`.
fn named(id: &str, err: impl Into<IndexedError>) -> Problem {
    match err.into() {
        IndexedError::Replay(err) => Problem::from(err),
        IndexedError::Store(err) => format!("stream {id}: {err}").into(),
    }
}

/// What a loaded stream keeps whatever the reducer: what a rebuild reuses.
struct Parts {
    events: Arc<StreamEvents>,
    axes: Arc<StreamAxes>,
    snapshots: Arc<Vec<Snapshot>>,
}

impl Parts {
    /// Stream `id` indexed as `index`, with its timeline axes and the store's snapshots of it.
    fn of(store: &Store, id: String, index: StreamIndex) -> Result<Self, StoreError> {
        // The UI reads the pages it shows with a connection of its own, never waiting behind this thread.
        let pages = Store::open_with(store.path(), store.reopen_options())?;
        let snapshots = store.snapshots(&id)?;
        let index = Arc::new(index);
        Ok(Self {
            axes: Arc::new(StreamAxes::new(&index)),
            events: Arc::new(StreamEvents::new(id, index, pages)),
            snapshots: Arc::new(snapshots),
        })
    }
}

/// How often (in events) a rebuild reports progress.
const PROGRESS_EVERY: usize = 2_000;
