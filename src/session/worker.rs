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
use load::{Parts, extend_stream, finish_stream, fold_stream, load_stream, named, watching};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};

use crate::core::indexed::IndexedError;
use crate::core::layout::Mapping;
use crate::core::model::{Event, StreamSummary};
use crate::core::query::{FieldChange, field_history_in};
use crate::core::replay::{Reducer, ReplayError, Replayer};
use crate::core::snapshots::SnapshotCheck;
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
            match extend_stream(store, &stream, generation, reducer, cancel, send) {
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

mod load;

#[cfg(test)]
mod tests;
