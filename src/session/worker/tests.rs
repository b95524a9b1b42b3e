//! A slow jq reducer is stopped in the middle of an event by whatever supersedes it. The assertions are
//! on the order of the answers and on how the slow evaluation ended (cancelled, not out of time), never
//! on how long anything took: the slow reducer has an hour of budget, so only a cancel ends it in time.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::*;
use crate::core::replay::jq::{Budget, Limit};
use crate::core::replay::reducers::JqReducer;
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

/// The next answer `pick` takes (given the request's generation), skipping the others (progress).
fn next<T>(worker: &mut Worker, mut pick: impl FnMut(u64, Response) -> Option<T>) -> T {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let answer = worker
            .recv_timeout(left)
            .expect("no answer: the slow reducer was not stopped");
        let response = answer.message.unwrap_or_else(|panic| panic!("{panic}"));
        if let Some(found) = pick(answer.generation, response) {
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
    let mut worker = Worker::start(Arc::new(|| {})).unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data")
        .join("eventsourcing-bank.sqlite");
    worker
        .send(Request::Open {
            path,
            options: Box::default(),
        })
        .unwrap();
    next(&mut worker, |_, r| {
        matches!(r, Response::FirstStreams(_)).then_some(())
    });
    worker
        .send(Request::LoadStream {
            id: DE_0001.to_owned(),
            reducer: Arc::new(DeepMerge),
        })
        .unwrap();
    let stream = next(&mut worker, |_, r| match r {
        Response::StreamLoaded(stream) => Some(stream),
        _ => None,
    });
    (worker, stream)
}

#[test]
fn a_newer_reducer_stops_the_slow_replay_in_the_middle_of_an_event() {
    let (mut worker, stream) = loaded();
    let log = Arc::new(Log::default());
    worker
        .send(Request::Rebuild {
            stream: Arc::clone(&stream),
            reducer: slow(&log),
        })
        .unwrap();
    started(&log);
    let newer = worker
        .send(Request::Rebuild {
            stream,
            reducer: Arc::new(DeepMerge),
        })
        .unwrap();
    let (generation, rebuilt) = next(&mut worker, |generation, r| match r {
        Response::Rebuilt(result) => Some((generation, result.is_ok())),
        _ => None,
    });
    assert_eq!(
        (generation, rebuilt),
        (newer, true),
        "the newer reducer answers first; the stopped one not at all"
    );
    assert_eq!(log.ended(), [Some(Some(Limit::Cancelled))]);
}

#[test]
fn selecting_another_stream_stops_a_slow_replay_and_a_slow_load() {
    let (mut worker, stream) = loaded();
    let log = Arc::new(Log::default());
    worker
        .send(Request::Rebuild {
            stream,
            reducer: slow(&log),
        })
        .unwrap();
    started(&log);
    let loading = Arc::new(Log::default());
    worker
        .send(Request::LoadStream {
            id: DE_0001.to_owned(),
            reducer: slow(&loading),
        })
        .unwrap();
    started(&loading);
    let newest = worker
        .send(Request::LoadStream {
            id: DE_0001.to_owned(),
            reducer: Arc::new(DeepMerge),
        })
        .unwrap();
    let generation = next(&mut worker, |generation, r| match r {
        Response::StreamLoaded(_) | Response::Rebuilt(_) => Some(generation),
        Response::StreamFailed(message) => panic!("{message}"),
        _ => None,
    });
    assert_eq!(generation, newest);
    assert_eq!(log.ended(), [Some(Some(Limit::Cancelled))]);
    assert_eq!(loading.ended(), [Some(Some(Limit::Cancelled))]);
}

#[test]
fn closing_the_session_stops_its_slow_replay() {
    let (mut worker, stream) = loaded();
    let log = Arc::new(Log::default());
    worker
        .send(Request::Rebuild {
            stream,
            reducer: slow(&log),
        })
        .unwrap();
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

#[test]
fn selecting_a_stream_leaves_the_listing_and_the_filter_question_running() {
    use crate::jobs::JobKind;
    for kind in [Kind::Listing, Kind::Prefix, Kind::Store] {
        assert!(!Kind::Load.supersedes(kind), "{kind:?}");
    }
    assert!(Kind::Prefix.supersedes(Kind::Prefix));
    assert!(Kind::Listing.supersedes(Kind::Listing));
    assert!(!Kind::Prefix.supersedes(Kind::Listing));
}
