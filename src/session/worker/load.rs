//! Reading a stream for the session: one pass indexes it and folds it into byte-bounded checkpoints
//! ([`IndexedStream::read`]); a new reducer folds it again, and snapshot checks and field histories read it
//! again, event by event, so no job holds the stream's events.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{CHECKPOINT_BYTES, LoadedStream, Response};
use crate::core::indexed::{IndexedError, IndexedStream};
use crate::core::model::StreamSummary;
use crate::core::replay::{CheckpointBuilder, Reducer, ReplayError, Replayer};
use crate::core::snapshots::check_snapshots_in;
use crate::core::store::{Snapshot, Store};
use crate::session::Problem;
use crate::session::density::StreamAxes;
use crate::session::events::StreamEvents;

/// `reducer` stopping when `cancel` is set (the job's evaluations watch its flag; what is kept for the view
/// answers with `reducer` itself).
pub(super) fn watching(reducer: &Arc<dyn Reducer>, cancel: &Arc<AtomicBool>) -> Arc<dyn Reducer> {
    reducer
        .stopped_by(cancel)
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
    generation: u64,
    reducer: Arc<dyn Reducer>,
    cancel: &Arc<AtomicBool>,
    send: &dyn Fn(Response),
) -> Result<Option<LoadedStream>, String> {
    let current = || !cancel.load(Ordering::SeqCst);
    let failed = |err: crate::core::store::StoreError| format!("stream {id}: {err}");
    let summary = store.stream(id).map_err(failed)?;
    let working = watching(&reducer, cancel);
    let total = summary.events;
    let read = IndexedStream::read(
        store,
        id,
        usize::try_from(total).unwrap_or(0),
        Arc::clone(&working),
        summary.stream_type.as_deref(),
        CHECKPOINT_BYTES,
        &mut |done| {
            send(Response::Progress {
                generation,
                what: "reading events",
                done: done as u64,
                total,
            });
            current()
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
    // The UI reads the pages it shows with a connection of its own, never waiting behind this thread.
    let pages = Store::open_with(store.path(), store.reopen_options()).map_err(failed)?;
    let snapshots = store.snapshots(&id).map_err(failed)?;
    let index = Arc::new(index);
    let axes = Arc::new(StreamAxes::new(&index));
    let parts = Parts {
        events: Arc::new(StreamEvents::new(id, index, pages)),
        axes,
        snapshots: Arc::new(snapshots),
    };
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
    cancel: &Arc<AtomicBool>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Option<Result<Replayer, ReplayError>>, String> {
    let id = &stream.summary.id;
    let total = stream.events.len() as u64;
    let mut builder = CheckpointBuilder::new(
        reducer,
        stream.summary.stream_type.as_deref(),
        CHECKPOINT_BYTES,
    );
    for (done, event) in store.read_stream(id).enumerate() {
        let event = event.map_err(|err| format!("stream {id}: {err}"))?;
        match builder.push(&event) {
            Ok(()) => {}
            Err(ReplayError::Cancelled) => return Ok(None),
            Err(err) => return Ok(Some(Err(err))),
        }
        if done % PROGRESS_EVERY == 0 {
            progress(done as u64, total);
            if cancel.load(Ordering::SeqCst) {
                return Ok(None);
            }
        }
    }
    Ok(Some(Ok(builder.finish())))
}

/// How often (in events) a rebuild reports progress.
const PROGRESS_EVERY: usize = 2_000;
