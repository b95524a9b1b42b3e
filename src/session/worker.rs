//! The background side of a session: one named thread owns the [`Store`] and does every slow thing (opening,
//! listing streams, reading a stream's pages, the checkpoint pass, snapshot checks, field histories) so the
//! UI thread never waits on SQLite or on a long replay.
//!
//! Requests go in over a channel; answers and progress come back over another, and `notify` (the UI's
//! "repaint now") is called after each. A newer request of the same kind cancels the one in flight: each
//! carries a generation number, and work for a generation nobody wants any more stops at its next progress
//! report.

use super::density::StreamAxes;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::core::layout::Mapping;
use crate::core::model::{Event, StreamSummary};
use crate::core::query::{FieldChange, field_history};
use crate::core::replay::{Reducer, ReplayError, Replayer};
use crate::core::snapshots::{SnapshotCheck, check_snapshots};
use crate::core::store::{OpenInfo, OpenOptions, Snapshot, Store};

/// Checkpoints kept per stream: the interval grows with the stream so memory stays bounded.
pub const MAX_CHECKPOINTS: usize = 2_048;

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
    /// Another connection appended `appended` to a loaded stream: the same stream with them added, without
    /// reading it again (it is re-read when they do not simply follow the loaded events).
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
        result: Result<Arc<LoadedStream>, String>,
    },
    History {
        generation: u64,
        path: String,
        result: Result<Vec<FieldChange>, String>,
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

/// A stream in memory with its replay checkpoints and the store's snapshots of it.
pub struct LoadedStream {
    pub summary: StreamSummary,
    pub events: Arc<Vec<Event>>,
    pub replayer: Result<Replayer, ReplayError>,
    pub snapshots: Arc<Vec<Snapshot>>,
    /// Each snapshot compared with the replay from zero.
    pub snapshot_checks: Result<Vec<SnapshotCheck>, String>,
    pub reducer: Arc<dyn Reducer>,
    /// The timeline's view of the events (types, axes), indexed here rather than on the UI thread.
    pub axes: Arc<StreamAxes>,
}

/// The handle the session keeps.
pub struct Worker {
    tx: Sender<Request>,
    rx: Receiver<Response>,
    wanted: Arc<Wanted>,
}

/// The newest generation of each kind of request.
#[derive(Default)]
struct Wanted {
    stream: AtomicU64,
    rebuild: AtomicU64,
    history: AtomicU64,
}

impl Worker {
    /// Start the worker thread. `notify` is called after every response.
    pub fn start(notify: Arc<dyn Fn() + Send + Sync>) -> std::io::Result<Self> {
        let (tx, requests) = channel::<Request>();
        let (responses, rx) = channel::<Response>();
        let wanted = Arc::new(Wanted::default());
        let wanted_in_thread = Arc::clone(&wanted);
        std::thread::Builder::new()
            .name("eventscope-store".to_owned())
            .spawn(move || {
                let mut store: Option<Store> = None;
                let mut live: Option<Live> = None;
                let send = |response| {
                    let _ = responses.send(response);
                    notify();
                };
                // The stream generation being read, so a query of a load the user has moved on from
                // stops at once (0: none).
                let reading = Arc::new(AtomicU64::new(0));
                for request in requests {
                    match request {
                        Request::Poll => poll(&mut store, &mut live, &send),
                        Request::Open { .. } => {
                            handle(request, &mut store, &wanted_in_thread, &send);
                            if let Some(opened) = &store {
                                let reading = Arc::clone(&reading);
                                let wanted = Arc::clone(&wanted_in_thread);
                                opened.set_cancel(Some(Arc::new(move || {
                                    let generation = reading.load(Ordering::SeqCst);
                                    generation != 0
                                        && wanted.stream.load(Ordering::SeqCst) != generation
                                })));
                            }
                            // Follow from the moment the store was opened.
                            live = store.as_ref().and_then(|s| Live::start(s).ok());
                        }
                        other => {
                            let generation = match &other {
                                Request::LoadStream { generation, .. }
                                | Request::Extend { generation, .. } => *generation,
                                _ => 0,
                            };
                            reading.store(generation, Ordering::SeqCst);
                            handle(other, &mut store, &wanted_in_thread, &send);
                            reading.store(0, Ordering::SeqCst);
                        }
                    }
                }
            })?;
        Ok(Self { tx, rx, wanted })
    }

    /// Ask for something; the newest request of each kind wins.
    pub fn send(&self, request: Request) {
        match &request {
            Request::LoadStream { generation, .. } | Request::Extend { generation, .. } => {
                self.wanted.stream.store(*generation, Ordering::SeqCst)
            }
            Request::Rebuild { generation, .. } => {
                self.wanted.rebuild.store(*generation, Ordering::SeqCst)
            }
            Request::History { generation, .. } => {
                self.wanted.history.store(*generation, Ordering::SeqCst)
            }
            Request::Open { .. } | Request::Poll => {}
        }
        // A send only fails if the thread is gone, and then there is nobody to answer either way.
        let _ = self.tx.send(request);
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

fn handle(request: Request, store: &mut Option<Store>, wanted: &Wanted, send: &dyn Fn(Response)) {
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
            summary,
            appended,
            reducer,
        } => {
            if wanted.stream.load(Ordering::SeqCst) != generation {
                return;
            }
            let Some(store) = store.as_ref() else {
                return;
            };
            match extend_stream(
                store, &stream, &summary, appended, generation, reducer, wanted, send,
            ) {
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
            if wanted.stream.load(Ordering::SeqCst) != generation {
                return; // superseded before it started
            }
            let Some(store) = store.as_ref() else {
                send(Response::StreamFailed {
                    generation,
                    message: "no store is open".to_owned(),
                });
                return;
            };
            match load_stream(store, &id, generation, reducer, wanted, send) {
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
            let current = || wanted.rebuild.load(Ordering::SeqCst) == generation;
            if !current() {
                return;
            }
            let built = replay_stream(
                &stream.summary,
                Arc::clone(&stream.events),
                Some(Arc::clone(&stream.axes)),
                Arc::clone(&stream.snapshots),
                reducer,
                &mut |done, total| {
                    send(Response::Progress {
                        generation: 0,
                        what: "replaying",
                        done,
                        total,
                    });
                    current()
                },
            );
            // `None`: cancelled by a newer reducer. On an error the last good replay stays on screen; the
            // message names the event and the expression.
            if let Some(rebuilt) = built {
                let result = match &rebuilt.replayer {
                    Err(err) => Err(err.to_string()),
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
            if wanted.history.load(Ordering::SeqCst) != generation {
                return;
            }
            let result = field_history(
                reducer.as_ref(),
                stream.summary.stream_type.as_deref(),
                &stream.events,
                &path,
            )
            .map_err(|e| e.to_string());
            send(Response::History {
                generation,
                path,
                result,
            });
        }
    }
}

fn load_stream(
    store: &Store,
    id: &str,
    generation: u64,
    reducer: Arc<dyn Reducer>,
    wanted: &Wanted,
    send: &dyn Fn(Response),
) -> Result<Option<LoadedStream>, String> {
    let current = || wanted.stream.load(Ordering::SeqCst) == generation;
    let summary = store.stream(id).map_err(|e| e.to_string())?;
    let events = store
        .events_with_progress(id, &mut |done, total| {
            send(Response::Progress {
                generation,
                what: "reading events",
                done: done as u64,
                total,
            });
            current()
        })
        .map_err(|e| e.to_string())?;
    if !current() {
        return Ok(None);
    }
    replay_loaded(store, &summary, events, generation, reducer, wanted, send)
}

/// The store's snapshots of the stream, then checkpoints and snapshot checks over `events`, with progress;
/// `None` when a newer request cancelled it. A failing reducer still shows the stream's events: the view
/// reports the error.
fn replay_loaded(
    store: &Store,
    summary: &StreamSummary,
    events: Vec<Event>,
    generation: u64,
    reducer: Arc<dyn Reducer>,
    wanted: &Wanted,
    send: &dyn Fn(Response),
) -> Result<Option<LoadedStream>, String> {
    let snapshots = store.snapshots(&summary.id).map_err(|e| e.to_string())?;
    Ok(replay_stream(
        summary,
        Arc::new(events),
        None,
        Arc::new(snapshots),
        reducer,
        &mut |done, total| {
            send(Response::Progress {
                generation,
                what: "replaying",
                done,
                total,
            });
            wanted.stream.load(Ordering::SeqCst) == generation
        },
    ))
}

/// `stream` with `appended` added at its end. Only the new events come from the store; the loaded ones are
/// reused, so following a long stream costs a replay, not a re-read. When the new events do not follow the
/// loaded ones (positions not after the last), the stream is read again from the store.
#[expect(
    clippy::too_many_arguments,
    reason = "the request's parts plus the worker's channels"
)]
fn extend_stream(
    store: &Store,
    stream: &LoadedStream,
    summary: &StreamSummary,
    appended: Vec<Event>,
    generation: u64,
    reducer: Arc<dyn Reducer>,
    wanted: &Wanted,
    send: &dyn Fn(Response),
) -> Result<Option<LoadedStream>, String> {
    let id = &stream.summary.id;
    let last = stream.events.last().map(|e| e.position);
    let follows = appended
        .iter()
        .all(|e| &e.stream == id && last.is_none_or(|p| e.position > p));
    if !follows {
        return load_stream(store, id, generation, reducer, wanted, send);
    }
    let mut events = Vec::with_capacity(stream.events.len() + appended.len());
    events.extend(stream.events.iter().cloned());
    events.extend(appended);
    replay_loaded(store, summary, events, generation, reducer, wanted, send)
}

/// Build checkpoints and snapshot checks. `None` when cancelled; a reducer failure is kept in `replayer`
/// (its message names the event and the expression).
fn replay_stream(
    summary: &StreamSummary,
    events: Arc<Vec<Event>>,
    axes: Option<Arc<StreamAxes>>,
    snapshots: Arc<Vec<Snapshot>>,
    reducer: Arc<dyn Reducer>,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Option<LoadedStream> {
    let interval = Replayer::interval_for(events.len(), MAX_CHECKPOINTS);
    let replayer = Replayer::build(
        Arc::clone(&reducer),
        summary.stream_type.as_deref(),
        &events,
        interval,
        &mut |done, total| progress(done as u64, total as u64),
    );
    if matches!(replayer, Err(ReplayError::Cancelled)) {
        return None;
    }
    let snapshot_checks = match &replayer {
        Ok(_) => check_snapshots(
            reducer.as_ref(),
            summary.stream_type.as_deref(),
            &events,
            &snapshots,
        )
        .map_err(|e| e.to_string()),
        Err(err) => Err(err.to_string()),
    };
    let axes = axes.unwrap_or_else(|| Arc::new(StreamAxes::new(&events)));
    Some(LoadedStream {
        summary: summary.clone(),
        axes,
        events,
        replayer,
        snapshots,
        snapshot_checks,
        reducer,
    })
}
