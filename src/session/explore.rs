//! Whole-store questions asked in the background: the activity overview, the streams active in a brushed
//! period, and every event sharing a correlation id. They are jobs of [`crate::jobs`] on their own named
//! thread with their own read-only connection, so aggregating a store of millions of events never delays
//! loading a stream, and the newest question of each kind cancels the one before it.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::core::explore::correlate::{Correlation, correlated};
use crate::core::explore::overview::{
    Overview, OverviewOptions, StackBy, overview, streams_active,
};
use crate::core::model::{Progress, StreamSummary};
use crate::core::store::{OpenOptions, Store};
use crate::jobs::{JobKind, Jobs, Panicked, Task};

/// What the explorer thread reports (the job layer says which question it answers).
enum Answer {
    Progress(Progress),
    /// `Ok(None)`: cancelled by a newer question.
    Overview(Result<Option<Overview>, String>),
    Active(Result<Vec<StreamSummary>, String>),
    Correlated(Result<Option<Correlation>, String>),
}

/// The kinds of question; a newer one of a kind cancels the older.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Overview,
    Active,
    Correlate,
}

impl JobKind for Kind {}

/// The explorer thread's connection, or why it could not open.
type Connection = Result<Store, String>;

/// The session's handle on the explorer thread.
type Explorer = Jobs<Kind, Answer, Connection>;

/// Run `question` on the thread's connection, its queries stopping when a newer question supersedes it.
fn ask(
    explorer: &mut Explorer,
    kind: Kind,
    question: impl FnOnce(&Store, &Task<Kind, Answer>) -> Answer + Send + 'static,
) {
    // Fails only when the thread is gone; the view then waits, as it did for an answer that never came.
    let _ = explorer.submit(kind, move |connection, task| {
        let answer = match connection {
            Ok(store) => {
                store.set_cancel(Some(task.cancel_check()));
                let answer = question(store, task);
                store.set_cancel(None);
                answer
            }
            Err(message) => {
                let message = message.clone();
                match kind {
                    Kind::Overview => Answer::Overview(Err(message)),
                    Kind::Active => Answer::Active(Err(message)),
                    Kind::Correlate => Answer::Correlated(Err(message)),
                }
            }
        };
        task.send(answer);
    });
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

/// Everything about the explorer that the session keeps: the thread and the views.
pub struct Exploration {
    explorer: Option<Explorer>,
    pub overview: OverviewView,
    pub correlation: Option<CorrelationView>,
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
        let explorer = Explorer::on_thread("eventscope-explore", notify, move || {
            Store::open_with(&path, options).map_err(|e| e.to_string())
        })
        .map_err(|e| format!("cannot start the overview thread: {e}"))?;
        self.explorer = Some(explorer);
        // Lanes asked for before the store had opened (a start option).
        if let Some(view) = self.correlation.as_ref().filter(|v| v.result.is_none()) {
            let id = view.id.clone();
            self.correlate(id);
        }
        Ok(())
    }

    /// Aggregate the store's activity stacked by `by`.
    pub fn show_overview(&mut self, by: StackBy) {
        self.overview.by = by;
        self.overview.result = None;
        self.overview.progress = None;
        self.last_overview = Some(std::time::Instant::now());
        self.stale_since = None;
        if let Some(explorer) = &mut self.explorer {
            ask(explorer, Kind::Overview, move |store, task| {
                let options = OverviewOptions { by, buckets: 160 };
                let mut progress = |p| task.progress(Answer::Progress(p));
                Answer::Overview(
                    overview(store, &options, &mut progress).map_err(|e| e.to_string()),
                )
            });
        }
    }

    /// Brush a period (or clear it): list the streams active in it.
    pub fn brush(&mut self, period: Option<(DateTime<Utc>, DateTime<Utc>)>) {
        self.overview.brush = period;
        self.overview.active = None;
        let Some(explorer) = &mut self.explorer else {
            return;
        };
        let Some((from, to)) = period else {
            explorer.cancel(Kind::Active);
            return;
        };
        ask(explorer, Kind::Active, move |store, _| {
            Answer::Active(streams_active(store, from, to).map_err(|e| e.to_string()))
        });
    }

    /// Find every event sharing correlation id `id`.
    pub fn correlate(&mut self, id: String) {
        if let Some(explorer) = &mut self.explorer {
            let wanted = id.clone();
            ask(explorer, Kind::Correlate, move |store, task| {
                let mut progress = |p| task.progress(Answer::Progress(p));
                Answer::Correlated(
                    correlated(store, &wanted, &mut progress).map_err(|e| e.to_string()),
                )
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
        if let Some(explorer) = &mut self.explorer {
            explorer.cancel(Kind::Correlate);
        }
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
        while let Some(answer) = self.explorer.as_mut().and_then(Explorer::try_recv) {
            changed = true;
            let kind = answer.kind;
            let answer = match answer.message {
                Ok(message) => message,
                Err(Panicked(message)) => match kind {
                    Kind::Overview => Answer::Overview(Err(message)),
                    Kind::Active => Answer::Active(Err(message)),
                    Kind::Correlate => Answer::Correlated(Err(message)),
                },
            };
            match answer {
                Answer::Progress(progress) if kind == Kind::Overview => {
                    self.overview.progress = Some(progress);
                }
                Answer::Progress(progress) => {
                    if let Some(view) = &mut self.correlation {
                        view.progress = Some(progress);
                    }
                }
                Answer::Overview(result) => {
                    self.overview.progress = None;
                    match result {
                        Ok(Some(overview)) => self.overview.result = Some(Ok(overview)),
                        Ok(None) => {} // cancelled by a newer request
                        Err(message) => self.overview.result = Some(Err(message)),
                    }
                }
                Answer::Active(result) => self.overview.active = Some(result),
                Answer::Correlated(result) => {
                    if let Some(view) = &mut self.correlation {
                        view.progress = None;
                        match result {
                            Ok(Some(correlation)) => view.result = Some(Ok(correlation)),
                            Ok(None) => {}
                            Err(message) => view.result = Some(Err(message)),
                        }
                    }
                }
            }
        }
        changed
    }
}
