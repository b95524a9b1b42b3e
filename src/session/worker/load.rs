//! Reading a stream for the session: one pass indexes it and folds it into byte-bounded checkpoints
//! ([`IndexedStream::read`]); a new reducer folds it again, and snapshot checks and field histories read it
//! again, event by event, so no job holds the stream's events.

use std::sync::Arc;

use super::{CHECKPOINT_BYTES, LoadedStream, Response, Task};
use crate::core::indexed::{IndexedError, IndexedStream, StreamPages};
use crate::core::model::StreamSummary;
use crate::core::pages::PageCache;
use crate::core::replay::{CheckpointBuilder, Reducer, ReplayError, Replayer};
use crate::core::snapshots::check_snapshots_in;
use crate::core::store::{PAGE_SIZE, PageCursor, Snapshot, Store, StoreError};
use crate::core::stream_index::StreamIndex;
use crate::session::Problem;
use crate::session::density::StreamAxes;
use crate::session::events::{PAGE_CACHE_BYTES, PAGE_EVENTS, StreamEvents};

/// `reducer` stopping when the request is cancelled (the job's evaluations watch its flag; what is kept for
/// the view answers with `reducer` itself).
pub(super) fn watching(reducer: &Arc<dyn Reducer>, task: &Task) -> Arc<dyn Reducer> {
    reducer
        .stopped_by(task.cancel_flag())
        .unwrap_or_else(|| Arc::clone(reducer))
}

/// `err` as the view shows it, naming stream `id`.
pub(super) fn named(id: &str, err: impl Into<IndexedError>) -> Problem {
    match err.into() {
        IndexedError::Replay(err) => Problem::from(err),
        IndexedError::Store(err) => format!("stream {id}: {err}").into(),
    }
}

/// Read stream `id` once: its index and checkpoints (see [`IndexedStream::read`]), the store's snapshots
/// of it and their checks. `None` when a newer request cancelled it. A failing reducer still shows the
/// stream's events: the view reports the error.
pub(super) fn load_stream(
    store: &Store,
    id: &str,
    reducer: Arc<dyn Reducer>,
    task: &Task,
) -> Result<Option<LoadedStream>, String> {
    let failed = |err: crate::core::store::StoreError| format!("stream {id}: {err}");
    let summary = store.stream(id).map_err(failed)?;
    let working = watching(&reducer, task);
    let total = summary.events;
    let read = IndexedStream::read(
        store,
        id,
        usize::try_from(total).unwrap_or(0),
        Arc::clone(&working),
        summary.stream_type.as_deref(),
        CHECKPOINT_BYTES,
        &mut |done| {
            task.progress(Response::Progress {
                what: "reading events",
                done: done as u64,
                total,
            })
        },
    )
    .map_err(failed)?;
    let Some(IndexedStream {
        id,
        index,
        replayer,
    }) = read
    else {
        return Ok(None);
    };
    let parts = Parts::of(store, id, index).map_err(failed)?;
    Ok(finish_stream(
        store,
        &summary,
        parts,
        replayer,
        reducer,
        working.as_ref(),
    ))
}

/// `stream` with what other connections appended to it since it was read: its index and checkpoints go on
/// from where they were, reading only the events past its end (and those since its last checkpoint, for
/// the state at its end). A stream that changed otherwise than by growing, or was folded with another
/// reducer, is read again whole. `None` when a newer request cancelled it.
pub(super) fn extend_stream(
    store: &Store,
    stream: &LoadedStream,
    reducer: Arc<dyn Reducer>,
    task: &Task,
) -> Result<Option<LoadedStream>, String> {
    let id = stream.summary.id.as_str();
    let failed = |err: IndexedError| named(id, err).to_string();
    let old = stream.events.index();
    let (Ok(replayer), Some(cursor), true) = (
        &stream.replayer,
        old.page_cursor(old.len()),
        Arc::ptr_eq(&stream.reducer, &reducer),
    ) else {
        return load_stream(store, id, reducer, task);
    };
    if replayer.len() != old.len() {
        return load_stream(store, id, reducer, task);
    }
    let summary = store.stream(id).map_err(|e| failed(e.into()))?;
    let working = watching(&reducer, task);
    let mut cache = PageCache::new(PAGE_EVENTS, PAGE_CACHE_BYTES);
    let pages = StreamPages { id, index: old };
    let state = match pages.state_after(replayer, store, &mut cache, old.len()) {
        Ok(state) => state,
        Err(IndexedError::Replay(ReplayError::Cancelled)) => return Ok(None),
        Err(err) => return Err(failed(err)),
    };
    let mut builder =
        CheckpointBuilder::resume(replayer, Arc::clone(&working), state, CHECKPOINT_BYTES);
    let mut index = old.clone();
    let mut cursor = cursor;
    let mut folded = Ok(());
    loop {
        if task.cancelled() {
            return Ok(None);
        }
        let page = store
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
        return load_stream(store, id, reducer, task);
    }
    let replayer = match folded {
        Err(ReplayError::Cancelled) => return Ok(None),
        Err(err) => Err(err),
        Ok(()) => Ok(builder.finish()),
    };
    let parts = Parts::of(store, id.to_owned(), index).map_err(|e| failed(e.into()))?;
    Ok(finish_stream(
        store,
        &summary,
        parts,
        replayer,
        reducer,
        working.as_ref(),
    ))
}

/// What a loaded stream keeps whatever the reducer: what a rebuild reuses.
pub(super) struct Parts {
    pub(super) events: Arc<StreamEvents>,
    pub(super) axes: Arc<StreamAxes>,
    pub(super) snapshots: Arc<Vec<Snapshot>>,
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

/// The loaded stream with `replayer`'s checkpoints, its snapshots checked with `working`. `None` when the
/// job was cancelled (also in the middle of an event); a reducer failure is kept in `replayer` (its message
/// names the event and the expression).
pub(super) fn finish_stream(
    store: &Store,
    summary: &StreamSummary,
    parts: Parts,
    replayer: Result<Replayer, ReplayError>,
    reducer: Arc<dyn Reducer>,
    working: &dyn Reducer,
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
            working,
            summary.stream_type.as_deref(),
            store
                .read_stream(&summary.id)
                .map(|e| e.map_err(IndexedError::from)),
            &snapshots,
        ) {
            Err(IndexedError::Replay(ReplayError::Cancelled)) => return None,
            checks => checks.map_err(|err| named(&summary.id, err)),
        },
        Err(err) => Err(Problem::from(err)),
    };
    let replayer = replayer.map(|replayer| replayer.with_reducer(Arc::clone(&reducer)));
    Some(LoadedStream {
        serial: crate::session::next_serial(),
        summary: summary.clone(),
        axes,
        events,
        replayer,
        snapshots,
        snapshot_checks,
        reducer,
    })
}

/// Fold `stream` again with `reducer` into checkpoints, reading its events from `store` (they are not held):
/// `Ok(None)` when cancelled, `Ok(Some(Err))` when the reducer fails on an event.
pub(super) fn fold_stream(
    store: &Store,
    stream: &LoadedStream,
    reducer: Arc<dyn Reducer>,
    task: &Task,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Option<Result<Replayer, ReplayError>>, String> {
    let id = &stream.summary.id;
    let total = stream.events.len() as u64;
    let mut builder = CheckpointBuilder::new(
        reducer,
        stream.summary.stream_type.as_deref(),
        CHECKPOINT_BYTES,
    );
    // Only the events the stream's index holds: others appended since are folded in when it is extended.
    for (done, event) in store.read_stream(id).take(stream.events.len()).enumerate() {
        let event = event.map_err(|err| format!("stream {id}: {err}"))?;
        match builder.push(&event) {
            Ok(()) => {}
            Err(ReplayError::Cancelled) => return Ok(None),
            Err(err) => return Ok(Some(Err(err))),
        }
        if done % PROGRESS_EVERY == 0 {
            progress(done as u64, total);
            if task.cancelled() {
                return Ok(None);
            }
        }
    }
    Ok(Some(Ok(builder.finish())))
}

/// How often (in events) a rebuild reports progress.
const PROGRESS_EVERY: usize = 2_000;
