//! The background side of a session: one named thread owns the [`Store`] and does every slow thing (opening,
//! listing streams, reading a stream's pages, the checkpoint pass, snapshot checks, field histories) so the
//! UI thread never waits on SQLite or on a long replay.
//!
//! Requests are jobs of [`crate::jobs`] on that one thread, which keeps the store between them. A newer
//! request supersedes the older ones of its kind (and selecting another stream supersedes everything about
//! the stream shown, as does dropping the worker): its store queries stop, its replay stops at the next
//! event, and its reducer, which watches the job's cancel flag (see [`Reducer::stopped_by`]), stops in the
//! middle of an event, so a slow jq reducer never holds a newer request up for its whole time budget. A
//! superseded request's answers, even those already on their way, never reach the session.

use super::density::StreamAxes;
use super::events::StreamEvents;
use load::StreamJob;
use std::path::PathBuf;
use std::sync::Arc;

use crate::core::layout::Mapping;
use crate::core::model::{Event, StreamSummary};
use crate::core::replay::query::FieldChange;
use crate::core::replay::series::Series;
use crate::core::replay::snapshots::SnapshotCheck;
use crate::core::replay::{Reducer, ReplayError, Replayer};
use crate::core::store::pg::FollowMode;
use crate::core::store::{OpenInfo, OpenOptions, Snapshot, Store};
use crate::jobs::{Answer, JobKind, Jobs, Notify};
use crate::session::Problem;
use crate::session::stream_list::Columns;

/// What a stream's replay checkpoints may hold, in bytes: the interval grows with the states' size and the
/// stream's length so memory stays bounded (see [`crate::core::replay::CheckpointBuilder`]).
pub const CHECKPOINT_BYTES: usize = 64 << 20;

/// How many streams the first page of the list holds: a screenful and more, read through the index.
pub const FIRST_PAGE: usize = 200;
/// How many of the index's streams starting with the filter typed are shown while the list fills.
pub const PREFIX_MATCHES: usize = 1_000;
/// The listing's first batch; each next one is twice as big, up to [`MAX_BATCH`], so the list shows
/// progress early and a big store is sent (and its filtered rows rebuilt) in a few dozen batches.
const FIRST_BATCH: usize = 2_000;
const MAX_BATCH: usize = 50_000;

/// Something the UI asks for.
pub enum Request {
    Open {
        path: PathBuf,
        options: Box<OpenOptions>,
    },
    /// List every stream of the store, in batches, on a connection of its own (the first page is answered
    /// by `Open`), so a stream load or a prefix query never waits for a listing of 500,000 streams.
    ListStreams {
        path: PathBuf,
        options: Box<OpenOptions>,
    },
    /// The streams whose id starts with `prefix`, through the index (the filter typed while the list fills).
    StreamsWithPrefix { prefix: String },
    /// Read a stream and build its checkpoints with `reducer`.
    LoadStream {
        id: String,
        reducer: Arc<dyn Reducer>,
    },
    /// Other connections appended to a loaded stream: its index and checkpoints go on from where they
    /// were, reading only the events past its end; a stream that changed otherwise than by growing, or was
    /// folded with another reducer, is read again whole.
    Extend {
        stream: Arc<LoadedStream>,
        reducer: Arc<dyn Reducer>,
    },
    /// Replay an already loaded stream again with another reducer.
    Rebuild {
        stream: Arc<LoadedStream>,
        reducer: Arc<dyn Reducer>,
    },
    /// Every event of a loaded stream that changed the field at `path`.
    History {
        stream: Arc<LoadedStream>,
        reducer: Arc<dyn Reducer>,
        path: String,
    },
    /// The numbers of the fields at `paths` after every event of a loaded stream, for the chart.
    Series {
        stream: Arc<LoadedStream>,
        reducer: Arc<dyn Reducer>,
        paths: Vec<String>,
    },
    /// Look for commits made by other connections since the last look (live follow).
    Poll,
}

/// Something the worker reports. Only answers of requests still current reach the session.
pub enum Response {
    Opened {
        mappings: Vec<Mapping>,
        missing_cipher_key: bool,
        info: OpenInfo,
        /// How live follow learns of new events (a PostgreSQL store whose writer notifies is listened to
        /// from now on).
        follow: FollowMode,
    },
    /// The store's event types (for the reducers' unmatched keys), read after the first page: a distinct
    /// scan of a 5,000,000-event store takes half a second.
    EventTypes(Vec<String>),
    /// The first page of the streams list, read through the index right after opening.
    FirstStreams(Vec<StreamSummary>),
    /// The next streams of the listing, in list order, in columns (a batch of 50,000 summaries held whole
    /// takes over 10 MiB); `complete` with the last batch.
    StreamsListed {
        batch: Box<Columns>,
        complete: bool,
    },
    /// The listing stopped on an error; the message names the file.
    ListingFailed(String),
    /// Up to [`PREFIX_MATCHES`] streams whose id starts with `prefix` (`more`: there are more).
    PrefixMatches {
        prefix: String,
        streams: Vec<StreamSummary>,
        more: bool,
    },
    /// Finding the streams starting with the filter failed.
    PrefixFailed(String),
    Progress {
        what: &'static str,
        done: u64,
        total: u64,
    },
    StreamLoaded(Arc<LoadedStream>),
    /// A stream load failed; the UI shows the message.
    StreamFailed(String),
    /// The stream replayed with a new reducer, or why it could not be.
    Rebuilt(Result<Arc<LoadedStream>, Problem>),
    History {
        path: String,
        result: Result<Vec<FieldChange>, Problem>,
    },
    /// The chart's series, for the loaded stream `serial` and `paths`.
    Series {
        serial: u64,
        paths: Vec<String>,
        result: Result<Arc<[Series]>, Problem>,
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

/// The handle the session keeps. Dropping it stops the request in flight.
pub struct Worker {
    jobs: Jobs<Kind, Response, Held>,
    /// The listing, on a thread and connection of its own.
    listing: Jobs<Kind, Response>,
}

/// What a request is about, to know which newer requests supersede it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Load,
    Extend,
    Rebuild,
    History,
    Series,
    /// The whole streams list (its own thread): superseded by the next listing only.
    Listing,
    /// The streams starting with the filter typed: superseded by the next filter's.
    Prefix,
    /// Opening and live polls: never superseded.
    Store,
}

impl JobKind for Kind {
    /// A newer request of its own kind, and a load everything about the stream shown (another stream is
    /// selected); loads and extensions supersede each other.
    fn supersedes(self, older: Self) -> bool {
        match self {
            Self::Load => !matches!(older, Self::Store | Self::Listing | Self::Prefix),
            Self::Extend => matches!(older, Self::Load | Self::Extend),
            Self::Rebuild | Self::History | Self::Series | Self::Listing | Self::Prefix => {
                older == self
            }
            Self::Store => false,
        }
    }
}

impl Request {
    fn kind(&self) -> Kind {
        match self {
            Self::LoadStream { .. } => Kind::Load,
            Self::Extend { .. } => Kind::Extend,
            Self::Rebuild { .. } => Kind::Rebuild,
            Self::History { .. } => Kind::History,
            Self::Series { .. } => Kind::Series,
            Self::ListStreams { .. } => Kind::Listing,
            Self::StreamsWithPrefix { .. } => Kind::Prefix,
            Self::Open { .. } | Self::Poll => Kind::Store,
        }
    }
}

/// What the worker thread keeps between requests.
#[derive(Default)]
struct Held {
    store: Option<Store>,
    live: Option<Live>,
}

/// A request as the worker thread sees it.
type Task = crate::jobs::Task<Kind, Response>;

impl Worker {
    /// Start the worker thread. `notify` is called after every response.
    pub fn start(notify: Notify) -> std::io::Result<Self> {
        let listing = Jobs::each_on_own_thread("eventscope-streams", Arc::clone(&notify));
        let jobs = Jobs::on_thread("eventscope-store", notify, Held::default)?;
        Ok(Self { jobs, listing })
    }

    /// Ask for something; the requests it supersedes stop (see the module doc). Returns the request's
    /// generation, or why it could not be sent (the thread is gone).
    pub fn send(&mut self, request: Request) -> Result<u64, String> {
        if let Request::ListStreams { path, options } = request {
            return self.listing.submit(Kind::Listing, move |(), task| {
                list_streams(&path, *options, task);
            });
        }
        self.jobs.submit(request.kind(), move |held, task| {
            // The request's queries stop when it is superseded.
            if let Some(store) = &held.store {
                store.set_cancel(Some(task.cancel_check()));
            }
            match request {
                Request::Poll => poll(&mut held.store, &mut held.live, task),
                Request::Open { .. } => {
                    handle(request, &mut held.store, task);
                    // Follow from the moment the store was opened.
                    held.live = held.store.as_ref().and_then(|s| Live::start(s).ok());
                }
                other => handle(other, &mut held.store, task),
            }
            if let Some(store) = &held.store {
                store.set_cancel(None);
            }
        })
    }

    /// Whether a request of `kind` is under way (or its answers not yet taken).
    pub fn running(&self, kind: Kind) -> bool {
        self.jobs.running(kind) || self.listing.running(kind)
    }

    /// Answers received so far.
    pub fn try_recv(&mut self) -> Option<Answer<Kind, Response>> {
        self.jobs.try_recv().or_else(|| self.listing.try_recv())
    }

    /// Wait for one answer (tests and scripted use).
    pub fn recv_timeout(&mut self, timeout: std::time::Duration) -> Option<Answer<Kind, Response>> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            if let Some(answer) = self.try_recv() {
                return Some(answer);
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return None;
            }
            // Two queues: wait on the store thread's a little at a time.
            let step = left.min(std::time::Duration::from_millis(5));
            if let Some(answer) = self.jobs.recv_timeout(step) {
                return Some(answer);
            }
        }
    }

    /// Wait for one answer of the store thread only, leaving the listing's waiting (tests).
    #[cfg(test)]
    pub fn recv_store_timeout(
        &mut self,
        timeout: std::time::Duration,
    ) -> Option<Answer<Kind, Response>> {
        self.jobs.recv_timeout(timeout)
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
fn poll(store: &mut Option<Store>, live: &mut Option<Live>, task: &Task) {
    let send = |response| task.send(response);
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

fn handle(request: Request, store: &mut Option<Store>, task: &Task) {
    let send = |response| task.send(response);
    match request {
        Request::Poll => {}
        Request::Open { path, options } => {
            *store = None;
            match Store::open_with(&path, *options) {
                Ok(opened) => {
                    let follow = match opened.follow_mode() {
                        Ok(mode) => mode,
                        Err(err) => {
                            send(Response::LiveFailed(err.to_string()));
                            FollowMode::Polling
                        }
                    };
                    send(Response::Opened {
                        mappings: opened.mappings().into_iter().cloned().collect(),
                        missing_cipher_key: opened.missing_cipher_key(),
                        info: opened.info().clone(),
                        follow,
                    });
                    // One screen through the index now; the session then asks for the whole list.
                    match opened.streams_page(None, FIRST_PAGE) {
                        Ok(page) => send(Response::FirstStreams(page.streams)),
                        Err(err) => send(Response::OpenFailed(err.to_string())),
                    }
                    send(Response::EventTypes(
                        opened.event_types().unwrap_or_default(),
                    ));
                    *store = Some(opened);
                }
                Err(err) => send(Response::OpenFailed(err.to_string())),
            }
        }
        // Sent to the listing's own thread by `Worker::send`.
        Request::ListStreams { .. } => {}
        Request::StreamsWithPrefix { prefix } => {
            let Some(store) = store.as_ref() else {
                return;
            };
            match store.streams_with_prefix(&prefix, PREFIX_MATCHES + 1) {
                Ok(mut streams) => {
                    let more = streams.len() > PREFIX_MATCHES;
                    streams.truncate(PREFIX_MATCHES);
                    send(Response::PrefixMatches {
                        prefix,
                        streams,
                        more,
                    });
                }
                Err(_) if task.cancelled() => {}
                Err(err) => send(Response::PrefixFailed(format!(
                    "finding the streams whose id starts with {prefix:?}: {err}"
                ))),
            }
        }
        Request::Extend { stream, reducer } => {
            let Some(store) = store.as_ref() else {
                return;
            };
            match StreamJob::new(store, reducer, task).extend(&stream) {
                Ok(Some(extended)) => send(Response::StreamLoaded(Arc::new(extended))),
                Ok(None) => {}
                Err(message) => send(Response::StreamFailed(message)),
            }
        }
        Request::LoadStream { id, reducer } => {
            let Some(store) = store.as_ref() else {
                send(Response::StreamFailed("no store is open".to_owned()));
                return;
            };
            match StreamJob::new(store, reducer, task).load(&id) {
                Ok(Some(stream)) => send(Response::StreamLoaded(Arc::new(stream))),
                Ok(None) => {} // cancelled by a newer request
                Err(message) => send(Response::StreamFailed(message)),
            }
        }
        Request::Rebuild { stream, reducer } => rebuild(store.as_ref(), &stream, reducer, task),
        Request::History {
            stream,
            reducer,
            path,
        } => {
            let Some(store) = store.as_ref() else {
                return;
            };
            let Some(result) = StreamJob::new(store, reducer, task).history(&stream, &path) else {
                return;
            };
            send(Response::History { path, result });
        }
        Request::Series {
            stream,
            reducer,
            paths,
        } => {
            let Some(store) = store.as_ref() else {
                return;
            };
            let Some(result) = StreamJob::new(store, reducer, task).series(&stream, &paths) else {
                return;
            };
            send(Response::Series {
                serial: stream.serial,
                paths,
                result: result.map(Arc::from),
            });
        }
    }
}

/// List every stream of the store at `path` on a connection of its own, in batches growing from
/// [`FIRST_BATCH`] to [`MAX_BATCH`], until done or superseded.
fn list_streams(path: &std::path::Path, options: OpenOptions, task: &Task) {
    let store = match Store::open_with(path, options) {
        Ok(store) => store,
        Err(err) => {
            task.send(Response::ListingFailed(err.to_string()));
            return;
        }
    };
    store.set_cancel(Some(task.cancel_check()));
    let mut size = FIRST_BATCH;
    let mut batch = Columns::default();
    let mut full = None;
    let listed = store.each_stream(&mut |summary| {
        if let Err(err) = batch.push(summary) {
            full = Some(err);
            return false;
        }
        if batch.len() >= size {
            size = (size * 2).min(MAX_BATCH);
            task.send(Response::StreamsListed {
                batch: Box::new(std::mem::take(&mut batch)),
                complete: false,
            });
        }
        !task.cancelled()
    });
    match (listed, full) {
        (_, Some(full)) => task.send(Response::ListingFailed(full.to_string())),
        (Ok(true), None) => task.send(Response::StreamsListed {
            batch: Box::new(batch),
            complete: true,
        }),
        // Superseded: nobody reads the rest.
        (Ok(false), None) => {}
        (Err(_), None) if task.cancelled() => {}
        (Err(err), None) => task.send(Response::ListingFailed(err.to_string())),
    }
}

/// Replay the loaded `stream` again with `reducer`, reading its events again.
fn rebuild(store: Option<&Store>, stream: &LoadedStream, reducer: Arc<dyn Reducer>, task: &Task) {
    let Some(store) = store else {
        return;
    };
    // `None`: cancelled by a newer reducer.
    if let Some(rebuilt) = StreamJob::new(store, reducer, task).rebuild(stream) {
        task.send(Response::Rebuilt(rebuilt.map(Arc::new)));
    }
}

mod load;

#[cfg(test)]
mod tests;
