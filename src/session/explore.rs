//! Whole-store questions asked in the background: the activity overview, the streams active in a brushed
//! period, and every event sharing a correlation id. They run on their own named thread with their own
//! read-only connection, so aggregating a store of millions of events never delays loading a stream, and
//! the newest question of each kind cancels the one before it.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use chrono::{DateTime, Utc};

use crate::core::correlate::{Correlation, correlated};
use crate::core::model::{Progress, StreamSummary};
use crate::core::overview::{Overview, OverviewOptions, StackBy, overview, streams_active};
use crate::core::store::{OpenOptions, Store};

/// A question for the explorer thread. Each carries the generation the session gave it.
pub enum Ask {
    Overview {
        generation: u64,
        by: StackBy,
    },
    Active {
        generation: u64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    Correlate {
        generation: u64,
        id: String,
    },
}

/// What the explorer thread reports.
pub enum Answer {
    Progress {
        kind: Kind,
        generation: u64,
        progress: Progress,
    },
    /// `Ok(None)`: cancelled by a newer question.
    Overview {
        generation: u64,
        result: Result<Option<Overview>, String>,
    },
    Active {
        generation: u64,
        result: Result<Vec<StreamSummary>, String>,
    },
    Correlated {
        generation: u64,
        result: Result<Option<Correlation>, String>,
    },
}

impl Ask {
    /// Its kind and generation.
    fn key(&self) -> (Kind, u64) {
        match self {
            Self::Overview { generation, .. } => (Kind::Overview, *generation),
            Self::Active { generation, .. } => (Kind::Active, *generation),
            Self::Correlate { generation, .. } => (Kind::Correlate, *generation),
        }
    }
}

/// The kinds of question, each with its own newest generation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Overview,
    Active,
    Correlate,
}

#[derive(Default)]
struct Newest {
    overview: AtomicU64,
    active: AtomicU64,
    correlate: AtomicU64,
}

impl Newest {
    fn of(&self, kind: Kind) -> &AtomicU64 {
        match kind {
            Kind::Overview => &self.overview,
            Kind::Active => &self.active,
            Kind::Correlate => &self.correlate,
        }
    }
}

/// The session's handle on the explorer thread.
pub struct Explorer {
    tx: Sender<Ask>,
    rx: Receiver<Answer>,
    newest: Arc<Newest>,
}

impl Explorer {
    /// Start the thread; it opens its own connection to `path` with `options`.
    pub fn start(
        path: PathBuf,
        options: OpenOptions,
        notify: Arc<dyn Fn() + Send + Sync>,
    ) -> std::io::Result<Self> {
        let (tx, asks) = channel::<Ask>();
        let (answers, rx) = channel::<Answer>();
        let newest = Arc::new(Newest::default());
        let newest_in_thread = Arc::clone(&newest);
        std::thread::Builder::new()
            .name("eventscope-explore".to_owned())
            .spawn(move || {
                let store = Store::open_with(&path, options).map_err(|e| e.to_string());
                let send = |answer| {
                    let _ = answers.send(answer);
                    notify();
                };
                // The question being answered, so its query stops once a newer one of its kind is asked.
                let asking = Arc::new(std::sync::Mutex::new(None::<(Kind, u64)>));
                if let Ok(store) = &store {
                    let asking = Arc::clone(&asking);
                    let newest = Arc::clone(&newest_in_thread);
                    store.set_cancel(Some(Arc::new(move || {
                        asking
                            .lock()
                            .ok()
                            .and_then(|a| *a)
                            .is_some_and(|(kind, generation)| {
                                newest.of(kind).load(Ordering::SeqCst) != generation
                            })
                    })));
                }
                for ask in asks {
                    if let Ok(mut slot) = asking.lock() {
                        *slot = Some(ask.key());
                    }
                    answer(ask, store.as_ref(), &newest_in_thread, &send);
                }
            })?;
        Ok(Self { tx, rx, newest })
    }

    pub fn ask(&self, ask: Ask) {
        let (kind, generation) = ask.key();
        self.newest.of(kind).store(generation, Ordering::SeqCst);
        // Fails only when the thread is gone, and then nobody could answer anyway.
        let _ = self.tx.send(ask);
    }

    pub fn try_recv(&self) -> Option<Answer> {
        self.rx.try_recv().ok()
    }
}

fn answer(ask: Ask, store: Result<&Store, &String>, newest: &Newest, send: &dyn Fn(Answer)) {
    let current =
        |kind: Kind, generation: u64| newest.of(kind).load(Ordering::SeqCst) == generation;
    let progress_of = |kind: Kind, generation: u64| {
        move |progress: Progress| {
            if !current(kind, generation) {
                return false;
            }
            send(Answer::Progress {
                kind,
                generation,
                progress,
            });
            true
        }
    };
    match ask {
        Ask::Overview { generation, by } => {
            if !current(Kind::Overview, generation) {
                return;
            }
            let options = OverviewOptions { by, buckets: 160 };
            let mut progress = progress_of(Kind::Overview, generation);
            let result = store.map_err(String::clone).and_then(|store| {
                overview(store, &options, &mut progress).map_err(|e| e.to_string())
            });
            send(Answer::Overview { generation, result });
        }
        Ask::Active {
            generation,
            from,
            to,
        } => {
            if !current(Kind::Active, generation) {
                return;
            }
            let result = store
                .map_err(String::clone)
                .and_then(|store| streams_active(store, from, to).map_err(|e| e.to_string()));
            send(Answer::Active { generation, result });
        }
        Ask::Correlate { generation, id } => {
            if !current(Kind::Correlate, generation) {
                return;
            }
            let mut progress = progress_of(Kind::Correlate, generation);
            let result = store
                .map_err(String::clone)
                .and_then(|store| correlated(store, &id, &mut progress).map_err(|e| e.to_string()));
            send(Answer::Correlated { generation, result });
        }
    }
}

/// The store overview as the session shows it.
pub struct OverviewView {
    pub by: StackBy,
    /// `None` while aggregating.
    pub result: Option<Result<Overview, String>>,
    pub progress: Option<Progress>,
    /// The brushed period.
    pub brush: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// The streams active in the brushed period; `None` while they are listed.
    pub active: Option<Result<Vec<StreamSummary>, String>>,
}

/// The correlation lanes as the session shows them.
pub struct CorrelationView {
    pub id: String,
    /// `None` while searching.
    pub result: Option<Result<Correlation, String>>,
    pub progress: Option<Progress>,
}

/// Re-aggregate the overview at most this often while another program appends.
const OVERVIEW_REFRESH: std::time::Duration = std::time::Duration::from_secs(5);

/// Everything about the explorer that the session keeps: the thread, the views and their generations.
pub struct Exploration {
    explorer: Option<Explorer>,
    pub overview: OverviewView,
    pub correlation: Option<CorrelationView>,
    generation: u64,
    overview_generation: u64,
    active_generation: u64,
    correlate_generation: u64,
    /// The store changed since the overview was aggregated.
    stale_since: Option<std::time::Instant>,
    last_overview: Option<std::time::Instant>,
}

impl Default for Exploration {
    fn default() -> Self {
        Self {
            explorer: None,
            overview: OverviewView {
                by: StackBy::StreamType,
                result: None,
                progress: None,
                brush: None,
                active: None,
            },
            correlation: None,
            generation: 0,
            overview_generation: 0,
            active_generation: 0,
            correlate_generation: 0,
            stale_since: None,
            last_overview: None,
        }
    }
}

impl Exploration {
    /// Start the thread for the store at `path` (once it is known to open).
    pub fn start(
        &mut self,
        path: PathBuf,
        options: OpenOptions,
        notify: Arc<dyn Fn() + Send + Sync>,
    ) -> Result<(), String> {
        let explorer = Explorer::start(path, options, notify)
            .map_err(|e| format!("cannot start the overview thread: {e}"))?;
        self.explorer = Some(explorer);
        // Lanes asked for before the store had opened (a start option).
        if let Some(view) = self.correlation.as_ref().filter(|v| v.result.is_none()) {
            let id = view.id.clone();
            self.correlate(id);
        }
        Ok(())
    }

    fn next_generation(&mut self) -> u64 {
        self.generation += 1;
        self.generation
    }

    /// Aggregate the store's activity stacked by `by`.
    pub fn show_overview(&mut self, by: StackBy) {
        let generation = self.next_generation();
        self.overview_generation = generation;
        self.overview.by = by;
        self.overview.result = None;
        self.overview.progress = None;
        self.last_overview = Some(std::time::Instant::now());
        self.stale_since = None;
        if let Some(explorer) = &self.explorer {
            explorer.ask(Ask::Overview { generation, by });
        }
    }

    /// Brush a period (or clear it): list the streams active in it.
    pub fn brush(&mut self, period: Option<(DateTime<Utc>, DateTime<Utc>)>) {
        self.overview.brush = period;
        self.overview.active = None;
        let Some((from, to)) = period else { return };
        let generation = self.next_generation();
        self.active_generation = generation;
        if let Some(explorer) = &self.explorer {
            explorer.ask(Ask::Active {
                generation,
                from,
                to,
            });
        }
    }

    /// Find every event sharing correlation id `id`.
    pub fn correlate(&mut self, id: String) {
        let generation = self.next_generation();
        self.correlate_generation = generation;
        if let Some(explorer) = &self.explorer {
            explorer.ask(Ask::Correlate {
                generation,
                id: id.clone(),
            });
        }
        self.correlation = Some(CorrelationView {
            id,
            result: None,
            progress: None,
        });
    }

    pub fn close_correlation(&mut self) {
        self.correlation = None;
        self.correlate_generation = self.next_generation();
    }

    /// Other programs appended to the store: aggregate again soon (not on every commit).
    pub fn store_changed(&mut self) {
        self.stale_since.get_or_insert_with(std::time::Instant::now);
    }

    /// Apply the thread's answers. Returns whether anything changed.
    pub fn poll(&mut self) -> bool {
        if self.stale_since.is_some()
            && self.overview.result.is_some()
            && self
                .last_overview
                .is_none_or(|t| t.elapsed() >= OVERVIEW_REFRESH)
        {
            let by = self.overview.by;
            let brush = self.overview.brush;
            self.show_overview(by);
            self.brush(brush);
        }
        let mut changed = false;
        while let Some(answer) = self.explorer.as_ref().and_then(Explorer::try_recv) {
            changed = true;
            match answer {
                Answer::Progress {
                    kind: Kind::Overview,
                    generation,
                    progress,
                } if generation == self.overview_generation => {
                    self.overview.progress = Some(progress);
                }
                Answer::Progress {
                    kind: Kind::Correlate,
                    generation,
                    progress,
                } if generation == self.correlate_generation => {
                    if let Some(view) = &mut self.correlation {
                        view.progress = Some(progress);
                    }
                }
                Answer::Overview { generation, result }
                    if generation == self.overview_generation =>
                {
                    self.overview.progress = None;
                    match result {
                        Ok(Some(overview)) => self.overview.result = Some(Ok(overview)),
                        Ok(None) => {} // cancelled by a newer request
                        Err(message) => self.overview.result = Some(Err(message)),
                    }
                }
                Answer::Active { generation, result } if generation == self.active_generation => {
                    self.overview.active = Some(result);
                }
                Answer::Correlated { generation, result }
                    if generation == self.correlate_generation =>
                {
                    if let Some(view) = &mut self.correlation {
                        view.progress = None;
                        match result {
                            Ok(Some(correlation)) => view.result = Some(Ok(correlation)),
                            Ok(None) => {}
                            Err(message) => view.result = Some(Err(message)),
                        }
                    }
                }
                Answer::Progress { .. }
                | Answer::Overview { .. }
                | Answer::Active { .. }
                | Answer::Correlated { .. } => {} // superseded
            }
        }
        changed
    }
}
