//! The background side of a session: one named thread owns the [`Store`] and does every slow thing (opening,
//! listing streams, reading a stream's pages, the checkpoint pass) so the UI thread never waits on SQLite.
//!
//! Requests go in over a channel; answers and progress come back over another, and `notify` (the UI's
//! "repaint now") is called after each. A newer stream request cancels the one in flight.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::core::layout::Mapping;
use crate::core::model::{Event, StreamSummary};
use crate::core::replay::{DeepMerge, Reducer, ReplayError, Replayer};
use crate::core::store::{OpenInfo, OpenOptions, Store};

/// Checkpoints kept per stream: the interval grows with the stream so memory stays bounded.
pub const MAX_CHECKPOINTS: usize = 2_048;

/// Something the UI asks for.
#[derive(Debug)]
pub enum Request {
    Open {
        path: PathBuf,
        options: Box<OpenOptions>,
    },
    LoadStream {
        id: String,
        generation: u64,
    },
}

/// Something the worker reports.
pub enum Response {
    Opened {
        mappings: Vec<Mapping>,
        missing_cipher_key: bool,
        info: OpenInfo,
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
    /// A stream load failed or was cancelled; the UI shows the message.
    StreamFailed {
        generation: u64,
        message: String,
    },
    /// Opening failed: the store cannot be browsed.
    OpenFailed(String),
}

/// A stream in memory with its replay checkpoints.
pub struct LoadedStream {
    pub summary: StreamSummary,
    pub events: Vec<Event>,
    pub replayer: Result<Replayer, ReplayError>,
}

/// The handle the session keeps.
pub struct Worker {
    tx: Sender<Request>,
    rx: Receiver<Response>,
    wanted: Arc<AtomicU64>,
}

impl Worker {
    /// Start the worker thread. `notify` is called after every response.
    pub fn start(notify: Arc<dyn Fn() + Send + Sync>) -> std::io::Result<Self> {
        let (tx, requests) = channel::<Request>();
        let (responses, rx) = channel::<Response>();
        let wanted = Arc::new(AtomicU64::new(0));
        let wanted_in_thread = Arc::clone(&wanted);
        std::thread::Builder::new()
            .name("eventscope-store".to_owned())
            .spawn(move || {
                let mut store: Option<Store> = None;
                let send = |response| {
                    let _ = responses.send(response);
                    notify();
                };
                for request in requests {
                    handle(request, &mut store, &wanted_in_thread, &send);
                }
            })?;
        Ok(Self { tx, rx, wanted })
    }

    /// Ask for something; the newest stream request wins.
    pub fn send(&self, request: Request) {
        if let Request::LoadStream { generation, .. } = &request {
            self.wanted.store(*generation, Ordering::SeqCst);
        }
        // A send only fails if the thread is gone, and then there is nobody to answer either way.
        let _ = self.tx.send(request);
    }

    /// Answers received so far.
    pub fn try_recv(&self) -> Option<Response> {
        self.rx.try_recv().ok()
    }

    /// Wait for one answer (tests and the CLI use this).
    pub fn recv_timeout(&self, timeout: std::time::Duration) -> Option<Response> {
        self.rx.recv_timeout(timeout).ok()
    }
}

fn handle(
    request: Request,
    store: &mut Option<Store>,
    wanted: &AtomicU64,
    send: &dyn Fn(Response),
) {
    match request {
        Request::Open { path, options } => {
            *store = None;
            match Store::open_with(&path, *options) {
                Ok(opened) => {
                    send(Response::Opened {
                        mappings: opened.mappings().into_iter().cloned().collect(),
                        missing_cipher_key: opened.missing_cipher_key(),
                        info: opened.info().clone(),
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
        Request::LoadStream { id, generation } => {
            if wanted.load(Ordering::SeqCst) != generation {
                return; // superseded before it started
            }
            let Some(store) = store.as_ref() else {
                send(Response::StreamFailed {
                    generation,
                    message: "no store is open".to_owned(),
                });
                return;
            };
            match load_stream(store, &id, generation, wanted, send) {
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
    }
}

fn load_stream(
    store: &Store,
    id: &str,
    generation: u64,
    wanted: &AtomicU64,
    send: &dyn Fn(Response),
) -> Result<Option<LoadedStream>, String> {
    let current = || wanted.load(Ordering::SeqCst) == generation;
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
    let reducer: Arc<dyn Reducer> = Arc::new(DeepMerge);
    let interval = Replayer::interval_for(events.len(), MAX_CHECKPOINTS);
    let replayer = Replayer::build(
        reducer,
        summary.stream_type.as_deref(),
        &events,
        interval,
        &mut |done, total| {
            send(Response::Progress {
                generation,
                what: "replaying",
                done: done as u64,
                total: total as u64,
            });
            current()
        },
    );
    if matches!(replayer, Err(ReplayError::Cancelled)) {
        return Ok(None);
    }
    Ok(Some(LoadedStream {
        summary,
        events,
        replayer,
    }))
}
