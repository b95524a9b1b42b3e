//! The background side of a session: one named thread owns the [`Store`] and does every slow thing (opening,
//! listing streams, reading a stream's pages, the checkpoint pass, snapshot checks, field histories) so the
//! UI thread never waits on SQLite or on a long replay.
//!
//! Requests go in over a channel; answers and progress come back over another, and `notify` (the UI's
//! "repaint now") is called after each. Each request gets a cancel flag when it is sent. A newer request of
//! the same kind sets the flag of the one in flight or waiting (and selecting another stream sets them all,
//! as does dropping the worker): its store queries stop, its replay stops at the next event, and its
//! reducer, which watches the flag (see [`Reducer::stopped_by`]), stops in the middle of an event, so a slow
//! jq reducer never holds a newer request up for its whole time budget. A stopped job answers nothing; the
//! generation each request carries lets the session drop answers that were already on their way.

use super::density::StreamAxes;
use super::events::StreamEvents;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};

use crate::core::indexed::{IndexedError, IndexedStream};
use crate::core::layout::Mapping;
use crate::core::model::{Event, StreamSummary};
use crate::core::query::{FieldChange, field_history_in};
use crate::core::replay::{CheckpointBuilder, Reducer, ReplayError, Replayer};
use crate::core::snapshots::{SnapshotCheck, check_snapshots_in};
use crate::core::store::{OpenInfo, OpenOptions, Snapshot, Store};
use crate::session::Problem;

/// What a stream's replay checkpoints may hold, in bytes: the interval grows with the states' size and the
/// stream's length so memory stays bounded (see [`crate::core::replay::CheckpointBuilder`]).
pub const CHECKPOINT_BYTES: usize = 64 << 20;

/// Something the UI asks for.
pub enum Request {
    Open {
        path: PathBuf,
        options: Box<OpenOptions>,
    },
    /// Read a stream and build its checkpoints with `reducer`.
    LoadStream {
        id: String,
        generation: u64,
        reducer: Arc<dyn Reducer>,
    },
    /// Another connection appended `appended` to a loaded stream: the stream is read again (indexed and
    /// folded into checkpoints; the events themselves are not kept).
    Extend {
        generation: u64,
        stream: Arc<LoadedStream>,
        /// The stream's summary as the live poll read it again.
        summary: StreamSummary,
        appended: Vec<Event>,
        reducer: Arc<dyn Reducer>,
    },
    /// Replay an already loaded stream again with another reducer.
    Rebuild {
        generation: u64,
        stream: Arc<LoadedStream>,
        reducer: Arc<dyn Reducer>,
    },
    /// Every event of a loaded stream that changed the field at `path`.
    History {
        generation: u64,
        stream: Arc<LoadedStream>,
        reducer: Arc<dyn Reducer>,
        path: String,
    },
    /// Look for commits made by other connections since the last look (live follow).
    Poll,
}

/// Something the worker reports.
pub enum Response {
    Opened {
        mappings: Vec<Mapping>,
        missing_cipher_key: bool,
        info: OpenInfo,
        event_types: Vec<String>,
    },
    Streams(Vec<StreamSummary>),
    Progress {
        generation: u64,
        what: &'static str,
        done: u64,
        total: u64,
    },
    StreamLoaded {
        generation: u64,
        stream: Arc<LoadedStream>,
    },
    /// A stream load failed; the UI shows the message.
    StreamFailed {
        generation: u64,
        message: String,
    },
    /// The stream replayed with a new reducer, or why it could not be.
    Rebuilt {
        generation: u64,
        result: Result<Arc<LoadedStream>, Problem>,
    },
    History {
        generation: u64,
        path: String,
        result: Result<Vec<FieldChange>, Problem>,
    },
    /// Opening failed: the store cannot be browsed.
    OpenFailed(String),
    /// Other connections committed these events; `updated` are the summaries of the streams they belong to
    /// (new streams included), read again. Only touched streams are read, so a store of 100,000 streams is
    /// not listed again on every commit.
    Appended {
        updated: Vec<StreamSummary>,
        appended: Vec<Event>,
    },
    /// Following the store failed (the file went away, was replaced...).
    LiveFailed(String),
}

/// A stream indexed with its replay checkpoints and the store's snapshots of it.
pub struct LoadedStream {
    /// Different for every stream loaded (see [`super::next_serial`]): panels key what they derive on it.
    pub serial: u64,
    pub summary: StreamSummary,
    /// The index of every event, and the events by page.
    pub events: Arc<StreamEvents>,
    pub replayer: Result<Replayer, ReplayError>,
    pub snapshots: Arc<Vec<Snapshot>>,
    /// Each snapshot compared with the replay from zero.
    pub snapshot_checks: Result<Vec<SnapshotCheck>, Problem>,
    pub reducer: Arc<dyn Reducer>,
    /// The timeline's view of the events (types, axes), indexed here rather than on the UI thread.
    pub axes: Arc<StreamAxes>,
}

/// The handle the session keeps. Dropping it stops the job in flight.
pub struct Worker {
    tx: Sender<(Request, Arc<AtomicBool>)>,
    rx: Receiver<Response>,
    jobs: Arc<Jobs>,
}

/// What a request is about, to know which newer requests supersede it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Reading and replaying a stream (`LoadStream`, `Extend`).
    Stream,
    Rebuild,
    History,
    /// Opening and live polls: never superseded.
    Store,
}

impl Request {
    fn kind(&self) -> Kind {
        match self {
            Self::LoadStream { .. } | Self::Extend { .. } => Kind::Stream,
            Self::Rebuild { .. } => Kind::Rebuild,
            Self::History { .. } => Kind::History,
            Self::Open { .. } | Self::Poll => Kind::Store,
        }
    }

    /// The kinds of request this one makes pointless: a newer one of its own kind, and everything about
    /// the stream shown when another stream is selected.
    fn supersedes(&self) -> &'static [Kind] {
        match self {
            Self::LoadStream { .. } => &[Kind::Stream, Kind::Rebuild, Kind::History],
            Self::Extend { .. } => &[Kind::Stream],
            Self::Rebuild { .. } => &[Kind::Rebuild],
            Self::History { .. } => &[Kind::History],
            Self::Open { .. } | Self::Poll => &[],
        }
    }
}

/// The requests sent and not finished, each with the flag that stops it. A flag is set only while its
/// request is here, so a finished job's flag is never set afterwards.
#[derive(Default)]
struct Jobs(Mutex<Vec<(Kind, Arc<AtomicBool>)>>);

impl Jobs {
    /// Stop the unfinished requests `request` supersedes, and give it a flag of its own.
    fn enter(&self, request: &Request) -> Arc<AtomicBool> {
        let superseded = request.supersedes();
        let cancel = Arc::new(AtomicBool::new(false));
        let mut jobs = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        jobs.retain(|(kind, flag)| {
            let stop = superseded.contains(kind);
            if stop {
                flag.store(true, Ordering::SeqCst);
            }
            !stop
        });
        jobs.push((request.kind(), Arc::clone(&cancel)));
        cancel
    }

    /// The request with this flag is done (answered, stopped or skipped).
    fn finish(&self, cancel: &Arc<AtomicBool>) {
        let mut jobs = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        jobs.retain(|(_, flag)| !Arc::ptr_eq(flag, cancel));
    }

    /// Stop every unfinished request.
    fn stop_all(&self) {
        let mut jobs = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        for (_, flag) in jobs.drain(..) {
            flag.store(true, Ordering::SeqCst);
        }
    }
}

impl Worker {
    /// Start the worker thread. `notify` is called after every response.
    pub fn start(notify: Arc<dyn Fn() + Send + Sync>) -> std::io::Result<Self> {
        let (tx, requests) = channel::<(Request, Arc<AtomicBool>)>();
        let (responses, rx) = channel::<Response>();
        let jobs = Arc::new(Jobs::default());
        let jobs_in_thread = Arc::clone(&jobs);
        std::thread::Builder::new()
            .name("eventscope-store".to_owned())
            .spawn(move || {
                let mut store: Option<Store> = None;
                let mut live: Option<Live> = None;
                let send = |response| {
                    let _ = responses.send(response);
                    notify();
                };
                for (request, cancel) in requests {
                    // Superseded before it started: skipped.
                    if !cancel.load(Ordering::SeqCst) {
                        // The job's queries stop when it is superseded.
                        if let Some(store) = &store {
                            store.set_cancel(Some(stop_when(&cancel)));
                        }
                        match request {
                            Request::Poll => poll(&mut store, &mut live, &send),
                            Request::Open { .. } => {
                                handle(request, &mut store, &cancel, &send);
                                // Follow from the moment the store was opened.
                                live = store.as_ref().and_then(|s| Live::start(s).ok());
                            }
                            other => handle(other, &mut store, &cancel, &send),
                        }
                        if let Some(store) = &store {
                            store.set_cancel(None);
                        }
                    }
                    jobs_in_thread.finish(&cancel);
                }
            })?;
        Ok(Self { tx, rx, jobs })
    }

    /// Ask for something; the requests it supersedes stop (see the module doc).
    pub fn send(&self, request: Request) {
        let cancel = self.jobs.enter(&request);
        // A send only fails if the thread is gone, and then there is nobody to answer either way.
        let _ = self.tx.send((request, cancel));
    }

    /// Answers received so far.
    pub fn try_recv(&self) -> Option<Response> {
        self.rx.try_recv().ok()
    }

    /// Wait for one answer (tests and scripted use).
    pub fn recv_timeout(&self, timeout: std::time::Duration) -> Option<Response> {
        self.rx.recv_timeout(timeout).ok()
    }
}

impl Drop for Worker {
    /// The session is closing: nobody will read the answers, so the job in flight stops now rather than
    /// at the end of its budget.
    fn drop(&mut self) {
        self.jobs.stop_all();
    }
}

/// The store's cancel check for a job: its queries stop once the job is superseded.
fn stop_when(cancel: &Arc<AtomicBool>) -> crate::core::store::CancelCheck {
    let cancel = Arc::clone(cancel);
    Arc::new(move || cancel.load(Ordering::SeqCst))
}

/// Where live follow stands: the newest position read in each event table and SQLite's data version.
struct Live {
    positions: Vec<i64>,
    version: i64,
}

impl Live {
    fn start(store: &Store) -> Result<Self, crate::core::store::StoreError> {
        Ok(Self {
            positions: store.last_positions()?,
            version: store.data_version()?,
        })
    }
}

/// Report what other connections committed since the last poll: the new events and the refreshed streams.
fn poll(store: &mut Option<Store>, live: &mut Option<Live>, send: &dyn Fn(Response)) {
    let Some(current) = store.as_ref() else {
        return;
    };
    // A WAL file nobody was writing was opened `immutable`, which sees no new commits: once a writer has
    // started, open it again the normal way.
    if current.must_reopen_to_follow() {
        match Store::open_with(current.path(), current.reopen_options()) {
            Ok(reopened) => *store = Some(reopened),
            Err(err) => {
                send(Response::LiveFailed(err.to_string()));
                return;
            }
        }
    }
    let Some(current) = store.as_ref() else {
        return;
    };
    let result = (|| -> Result<Option<Response>, crate::core::store::StoreError> {
        let version = current.data_version()?;
        let state = match live {
            Some(state) => state,
            None => live.insert(Live::start(current)?),
        };
        if state.version == version {
            return Ok(None);
        }
        state.version = version;
        let mut appended = Vec::new();
        loop {
            let page = current.events_after(&mut state.positions, crate::core::store::PAGE_SIZE)?;
            if page.is_empty() {
                break;
            }
            appended.extend(page);
        }
        if appended.is_empty() {
            return Ok(None);
        }
        let touched: std::collections::BTreeSet<&str> =
            appended.iter().map(|e| e.stream.as_str()).collect();
        let updated = touched
            .into_iter()
            .map(|id| current.stream(id))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(Response::Appended { updated, appended }))
    })();
    match result {
        Ok(Some(response)) => send(response),
        Ok(None) => {}
        Err(err) => send(Response::LiveFailed(err.to_string())),
    }
}

fn handle(
    request: Request,
    store: &mut Option<Store>,
    cancel: &Arc<AtomicBool>,
    send: &dyn Fn(Response),
) {
    match request {
        Request::Poll => {}
        Request::Open { path, options } => {
            *store = None;
            match Store::open_with(&path, *options) {
                Ok(opened) => {
                    send(Response::Opened {
                        mappings: opened.mappings().into_iter().cloned().collect(),
                        missing_cipher_key: opened.missing_cipher_key(),
                        info: opened.info().clone(),
                        event_types: opened.event_types().unwrap_or_default(),
                    });
                    match opened.streams() {
                        Ok(streams) => send(Response::Streams(streams)),
                        Err(err) => send(Response::OpenFailed(err.to_string())),
                    }
                    *store = Some(opened);
                }
                Err(err) => send(Response::OpenFailed(err.to_string())),
            }
        }
        Request::Extend {
            generation,
            stream,
            reducer,
            ..
        } => {
            let Some(store) = store.as_ref() else {
                return;
            };
            match load_stream(store, &stream.summary.id, generation, reducer, cancel, send) {
                Ok(Some(extended)) => send(Response::StreamLoaded {
                    generation,
                    stream: Arc::new(extended),
                }),
                Ok(None) => {}
                Err(message) => send(Response::StreamFailed {
                    generation,
                    message,
                }),
            }
        }
        Request::LoadStream {
            id,
            generation,
            reducer,
        } => {
            let Some(store) = store.as_ref() else {
                send(Response::StreamFailed {
                    generation,
                    message: "no store is open".to_owned(),
                });
                return;
            };
            match load_stream(store, &id, generation, reducer, cancel, send) {
                Ok(Some(stream)) => send(Response::StreamLoaded {
                    generation,
                    stream: Arc::new(stream),
                }),
                Ok(None) => {} // cancelled by a newer request
                Err(message) => send(Response::StreamFailed {
                    generation,
                    message,
                }),
            }
        }
        Request::Rebuild {
            generation,
            stream,
            reducer,
        } => {
            let Some(store) = store.as_ref() else {
                return;
            };
            let working = watching(&reducer, cancel);
            let folded = fold_stream(
                store,
                &stream,
                Arc::clone(&working),
                cancel,
                &mut |done, total| {
                    send(Response::Progress {
                        generation: 0,
                        what: "replaying",
                        done,
                        total,
                    });
                },
            );
            // `None`: cancelled by a newer reducer. On an error the last good replay stays on screen; the
            // message names the event and the expression.
            let replayer = match folded {
                Ok(Some(replayer)) => replayer,
                Ok(None) => return,
                Err(message) => {
                    send(Response::Rebuilt {
                        generation,
                        result: Err(message.into()),
                    });
                    return;
                }
            };
            let rebuilt = finish_stream(
                store,
                &stream.summary,
                Parts {
                    events: Arc::clone(&stream.events),
                    axes: Arc::clone(&stream.axes),
                    snapshots: Arc::clone(&stream.snapshots),
                },
                replayer,
                reducer,
                working.as_ref(),
            );
            if let Some(rebuilt) = rebuilt {
                let result = match &rebuilt.replayer {
                    Err(err) => Err(Problem::from(err)),
                    Ok(_) => Ok(Arc::new(rebuilt)),
                };
                send(Response::Rebuilt { generation, result });
            }
        }
        Request::History {
            generation,
            stream,
            reducer,
            path,
        } => {
            let Some(store) = store.as_ref() else {
                return;
            };
            let working = watching(&reducer, cancel);
            let id = &stream.summary.id;
            let result = match field_history_in(
                working.as_ref(),
                stream.summary.stream_type.as_deref(),
                store.read_stream(id).map(|e| e.map_err(IndexedError::from)),
                &path,
            ) {
                Err(IndexedError::Replay(ReplayError::Cancelled)) => return,
                Err(err) => Err(named(id, err)),
                Ok(changes) => Ok(changes),
            };
            send(Response::History {
                generation,
                path,
                result,
            });
        }
    }
}

/// `reducer` stopping when `cancel` is set (the job's evaluations watch its flag; what is kept for the view
/// answers with `reducer` itself).
fn watching(reducer: &Arc<dyn Reducer>, cancel: &Arc<AtomicBool>) -> Arc<dyn Reducer> {
    reducer
        .stopped_by(cancel)
        .unwrap_or_else(|| Arc::clone(reducer))
}

/// `err` as the view shows it, naming stream `id`.
fn named(id: &str, err: impl Into<IndexedError>) -> Problem {
    match err.into() {
        IndexedError::Replay(err) => Problem::from(err),
        IndexedError::Store(err) => format!("stream {id}: {err}").into(),
    }
}

/// Read stream `id` once: its index and checkpoints (see [`IndexedStream::read`]), the store's snapshots
/// of it and their checks. `None` when a newer request cancelled it. A failing reducer still shows the
/// stream's events: the view reports the error.
fn load_stream(
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
struct Parts {
    events: Arc<StreamEvents>,
    axes: Arc<StreamAxes>,
    snapshots: Arc<Vec<Snapshot>>,
}

/// The loaded stream with `replayer`'s checkpoints, its snapshots checked with `working`. `None` when the
/// job was cancelled (also in the middle of an event); a reducer failure is kept in `replayer` (its message
/// names the event and the expression).
fn finish_stream(
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
        serial: super::next_serial(),
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
fn fold_stream(
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

#[cfg(test)]
mod tests {
    //! A slow jq reducer is stopped in the middle of an event by whatever supersedes it. The assertions are
    //! on the order of the answers and on how the slow evaluation ended (cancelled, not out of time), never
    //! on how long anything took: the slow reducer has an hour of budget, so only a cancel ends it in time.

    use std::sync::atomic::AtomicUsize;
    use std::time::{Duration, Instant};

    use serde_json::Value;

    use super::*;
    use crate::core::jq::{Budget, Limit};
    use crate::core::reducers::JqReducer;
    use crate::core::replay::{DeepMerge, ReducerError};

    const DE_0001: &str = "9e6f0814-1490-5e31-a7fb-07b2bdd25b03";
    /// Far beyond how long any answer should take; only reached when a cancel did not happen.
    const PATIENCE: Duration = Duration::from_secs(120);

    /// How each evaluation of a [`Watched`] reducer went.
    #[derive(Default)]
    struct Log {
        started: AtomicUsize,
        /// `None`: it gave a state; else the limit it ended with.
        ended: Mutex<Vec<Option<Option<Limit>>>>,
    }

    impl Log {
        fn ended(&self) -> Vec<Option<Option<Limit>>> {
            self.ended.lock().unwrap().clone()
        }
    }

    /// A reducer that logs when its evaluations start and how they end.
    struct Watched {
        inner: Arc<dyn Reducer>,
        log: Arc<Log>,
    }

    impl Reducer for Watched {
        fn initial(&self, stream_type: Option<&str>) -> Value {
            self.inner.initial(stream_type)
        }

        fn apply(&self, state: Value, event: &Event) -> Result<Value, ReducerError> {
            self.log.started.fetch_add(1, Ordering::SeqCst);
            let result = self.inner.apply(state, event);
            let ended = result.as_ref().err().map(|e| e.limit);
            self.log.ended.lock().unwrap().push(ended);
            result
        }

        fn stopped_by(&self, cancel: &Arc<AtomicBool>) -> Option<Arc<dyn Reducer>> {
            let inner = self.inner.stopped_by(cancel)?;
            Some(Arc::new(Self {
                inner,
                log: Arc::clone(&self.log),
            }))
        }
    }

    /// A reducer that would take an hour on the first event: out of time, not steps, unless stopped.
    fn slow(log: &Arc<Log>) -> Arc<dyn Reducer> {
        let jq = JqReducer::from_json(r#"{"reducers": {"*": "last(range(1e15))"}}"#)
            .unwrap()
            .with_budget(Budget {
                steps: u64::MAX,
                time: Duration::from_secs(3_600),
                cancel: None,
            });
        Arc::new(Watched {
            inner: Arc::new(jq),
            log: Arc::clone(log),
        })
    }

    /// The next answer `pick` takes, skipping the others (progress).
    fn next<T>(worker: &Worker, mut pick: impl FnMut(Response) -> Option<T>) -> T {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let response = worker
                .recv_timeout(left)
                .expect("no answer: the slow reducer was not stopped");
            if let Some(found) = pick(response) {
                return found;
            }
        }
    }

    /// Wait until `log` has an evaluation under way.
    fn started(log: &Log) {
        let deadline = Instant::now() + PATIENCE;
        while log.started.load(Ordering::SeqCst) == 0 {
            assert!(Instant::now() < deadline, "the slow reducer never started");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// A worker with the bank sample open and the stream loaded with the default reducer.
    fn loaded() -> (Worker, Arc<LoadedStream>) {
        let worker = Worker::start(Arc::new(|| {})).unwrap();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample-data")
            .join("eventsourcing-bank.sqlite");
        worker.send(Request::Open {
            path,
            options: Box::default(),
        });
        next(&worker, |r| matches!(r, Response::Streams(_)).then_some(()));
        worker.send(Request::LoadStream {
            id: DE_0001.to_owned(),
            generation: 1,
            reducer: Arc::new(DeepMerge),
        });
        let stream = next(&worker, |r| match r {
            Response::StreamLoaded { stream, .. } => Some(stream),
            _ => None,
        });
        (worker, stream)
    }

    #[test]
    fn a_newer_reducer_stops_the_slow_replay_in_the_middle_of_an_event() {
        let (worker, stream) = loaded();
        let log = Arc::new(Log::default());
        worker.send(Request::Rebuild {
            generation: 1,
            stream: Arc::clone(&stream),
            reducer: slow(&log),
        });
        started(&log);
        worker.send(Request::Rebuild {
            generation: 2,
            stream,
            reducer: Arc::new(DeepMerge),
        });
        let (generation, rebuilt) = next(&worker, |r| match r {
            Response::Rebuilt { generation, result } => Some((generation, result.is_ok())),
            _ => None,
        });
        assert_eq!(
            (generation, rebuilt),
            (2, true),
            "the newer reducer answers first; the stopped one not at all"
        );
        assert_eq!(log.ended(), [Some(Some(Limit::Cancelled))]);
    }

    #[test]
    fn selecting_another_stream_stops_a_slow_replay_and_a_slow_load() {
        let (worker, stream) = loaded();
        let log = Arc::new(Log::default());
        worker.send(Request::Rebuild {
            generation: 1,
            stream,
            reducer: slow(&log),
        });
        started(&log);
        let loading = Arc::new(Log::default());
        worker.send(Request::LoadStream {
            id: DE_0001.to_owned(),
            generation: 2,
            reducer: slow(&loading),
        });
        started(&loading);
        worker.send(Request::LoadStream {
            id: DE_0001.to_owned(),
            generation: 3,
            reducer: Arc::new(DeepMerge),
        });
        let generation = next(&worker, |r| match r {
            Response::StreamLoaded { generation, .. } | Response::Rebuilt { generation, .. } => {
                Some(generation)
            }
            Response::StreamFailed { message, .. } => panic!("{message}"),
            _ => None,
        });
        assert_eq!(generation, 3);
        assert_eq!(log.ended(), [Some(Some(Limit::Cancelled))]);
        assert_eq!(loading.ended(), [Some(Some(Limit::Cancelled))]);
    }

    #[test]
    fn closing_the_session_stops_its_slow_replay() {
        let (worker, stream) = loaded();
        let log = Arc::new(Log::default());
        worker.send(Request::Rebuild {
            generation: 1,
            stream,
            reducer: slow(&log),
        });
        started(&log);
        drop(worker);
        let deadline = Instant::now() + PATIENCE;
        while log.ended().is_empty() {
            assert!(
                Instant::now() < deadline,
                "the slow reducer was not stopped"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(log.ended(), [Some(Some(Limit::Cancelled))]);
    }
}
