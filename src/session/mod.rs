//! What the user is looking at, as plain data: the open store, its streams, the selected stream, and the
//! playhead with the replayed state and diff at it. Every change goes through a [`Command`]; the GUI panels
//! read a [`Session`] and push commands, and tests drive it with no UI at all.

pub mod audit;
pub mod chart;
mod command;
pub mod command_line;
mod cursor;
pub mod density;
pub mod events;
pub mod explore;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod integrity;
mod live;
mod open_store;
pub mod playback;
mod problem;
mod reducers;
mod responses;
mod status;
mod stream_list;
pub mod worker;

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use crate::core::replay::diff::{Change, diff};
use crate::core::replay::jq::Budget;

pub use crate::core::explore::overview::StackBy;
use crate::core::replay::apply_event;
use crate::core::replay::query::{FieldChange, json_patch};
use crate::core::store::OpenOptions;
pub use command::{Command, StreamSort};
use cursor::compute_view;
pub use live::LiveFollow;
pub use open_store::OpenStore;
pub use playback::{AxisUnit, Playback, Speed};
pub use problem::Problem;
pub use reducers::Reducers;
pub use status::Progress;
use status::Status;
pub use stream_list::{ListedRows, Listing, StreamList, StreamRow};
pub use worker::LoadedStream;
use worker::{Request, Response, Worker};

/// The replayed state at the playhead and what the current event changed.
#[derive(Clone, Debug, PartialEq)]
pub struct CursorView {
    /// Different for every view computed (see [`next_serial`]): panels derive their texts once per view.
    pub serial: u64,
    /// Index of the current event in the stream.
    pub index: usize,
    /// State after the current event.
    pub state: Value,
    /// What the current event changed (state before it -> state after it).
    pub changes: Vec<Change>,
}

/// The two-point diff.
#[derive(Clone, Debug, PartialEq)]
pub struct AbView {
    /// Different for every two-point diff computed (see [`next_serial`]).
    pub serial: u64,
    pub a: usize,
    pub b: usize,
    /// What turns state A into state B.
    pub changes: Vec<Change>,
    /// The same as an RFC 6902 JSON Patch.
    pub patch: Value,
}

/// Every event that changed one field.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryView {
    pub path: String,
    /// `None` while it is being computed.
    pub changes: Option<Result<Vec<FieldChange>, Problem>>,
}

/// The selected stream and where the playhead is.
pub struct StreamView {
    pub loaded: Arc<LoadedStream>,
    pub cursor: usize,
    /// The state and diff at the cursor, or why replay failed.
    pub view: Result<CursorView, Problem>,
}

/// One open store: what the user is looking at in it. Every field but `selected` (see there) is private:
/// panels read it through the accessors below, and it changes only by [`Session::apply`] and the worker's
/// answers ([`Session::poll`]).
pub struct Session {
    /// The file, how it was opened and what opening it found.
    store: OpenStore,
    /// The store's streams, filtered and sorted.
    list: StreamList,
    /// The selected stream's id.
    selected: Option<String>,
    stream: Option<StreamView>,
    /// Background work under way and the last error, shown in the window until dismissed.
    status: Status,
    /// The reducers in force, their budget and warnings.
    reducers: Reducers,
    /// Points A and B of the two-point diff (event indices).
    marks: (Option<usize>, Option<usize>),
    /// The diff between A and B, once both are set.
    ab: Option<Result<AbView, Problem>>,
    /// The field history being shown.
    history: Option<HistoryView>,
    /// The chart of numeric fields, when one is shown.
    chart: Option<chart::ChartView>,
    /// Replay from the newest snapshot at or before the playhead.
    from_snapshot: bool,
    /// Play state: playing, speed, looping.
    playback: Playback,
    /// The store overview and correlation lanes, answered by their own thread.
    explore: explore::Exploration,
    notify: Arc<dyn Fn() + Send + Sync>,
    /// Live follow: the playhead kept on the newest event, events appended since opened.
    live: LiveFollow,
    /// What was asked for before the streams or the stream had loaded.
    pending: Pending,
    worker: Worker,
    /// Findings, search, exports and the report, each on a thread of its own.
    audit: audit::Audit,
    /// SQLite's quick_check of the whole file, on a thread of its own.
    integrity: integrity::IntegrityJob,
}

/// What was asked for before it could be done, done when the streams list or the stream arrives.
#[derive(Default)]
struct Pending {
    /// A stream selected before the list was shown.
    select: Option<String>,
    /// The version to put the playhead on once the stream has loaded.
    version: Option<i64>,
    /// The global position to put the playhead on once the stream has loaded.
    position: Option<i64>,
    /// The cursor to restore when the selected stream is reloaded with new events.
    reload_cursor: Option<usize>,
}

impl Session {
    /// Start opening `path` in the background. `notify` is called whenever the worker has news.
    pub fn open(
        path: PathBuf,
        options: OpenOptions,
        notify: Arc<dyn Fn() + Send + Sync>,
    ) -> std::io::Result<Self> {
        let audit = audit::Audit::new(&path, &options, Arc::clone(&notify));
        let integrity = integrity::IntegrityJob::start(&path, Arc::clone(&notify));
        let mut worker = Worker::start(Arc::clone(&notify))?;
        worker
            .send(Request::Open {
                path: path.clone(),
                options: Box::new(options.clone()),
            })
            .map_err(std::io::Error::other)?;
        Ok(Self {
            store: OpenStore::new(path, options),
            list: StreamList::default(),
            selected: None,
            stream: None,
            status: Status::starting("opening"),
            reducers: Reducers::default(),
            marks: (None, None),
            ab: None,
            history: None,
            chart: None,
            from_snapshot: false,
            playback: Playback::default(),
            explore: explore::Exploration::default(),
            notify,
            live: LiveFollow::default(),
            pending: Pending::default(),
            worker,
            audit,
            integrity,
        })
    }

    /// The file, how it was opened and what opening it found.
    pub fn store(&self) -> &OpenStore {
        &self.store
    }

    /// The streams list (filtered and sorted).
    pub fn streams(&self) -> &StreamList {
        &self.list
    }

    /// The selected stream's id (it may still be loading: see [`Session::stream`]).
    pub fn selected(&self) -> Option<&str> {
        self.selected.as_deref()
    }

    /// The selected stream once loaded, and where the playhead is in it.
    pub fn stream(&self) -> Option<&StreamView> {
        self.stream.as_ref()
    }

    /// Background work under way.
    pub fn progress(&self) -> Option<&Progress> {
        self.status.progress()
    }

    /// The last error, shown in the window until dismissed ([`Command::DismissError`]).
    pub fn error(&self) -> Option<&str> {
        self.status.error()
    }

    /// Play state: playing, speed, looping.
    pub fn playback(&self) -> &Playback {
        &self.playback
    }

    /// The store overview and correlation lanes.
    pub fn explore(&self) -> &explore::Exploration {
        &self.explore
    }

    /// Findings, search, exports and the report.
    pub fn audit(&self) -> &audit::Audit {
        &self.audit
    }

    /// SQLite's quick_check of the whole file.
    pub fn integrity(&self) -> &integrity::IntegrityJob {
        &self.integrity
    }

    /// Points A and B of the two-point diff (event indices).
    pub fn marks(&self) -> (Option<usize>, Option<usize>) {
        self.marks
    }

    /// The diff between A and B, once both are set.
    pub fn ab(&self) -> Option<&Result<AbView, Problem>> {
        self.ab.as_ref()
    }

    /// The field history being shown.
    pub fn history(&self) -> Option<&HistoryView> {
        self.history.as_ref()
    }

    /// The chart of numeric fields being shown.
    pub fn chart(&self) -> Option<&chart::ChartView> {
        self.chart.as_ref()
    }

    /// Whether states are replayed from the newest snapshot at or before the playhead.
    pub fn from_snapshot(&self) -> bool {
        self.from_snapshot
    }

    /// Live follow.
    pub fn live(&self) -> &LiveFollow {
        &self.live
    }

    /// What one jq evaluation of a reducer or the search may spend ([`Command::SetJqBudget`]).
    pub fn jq_budget(&self) -> &Budget {
        self.reducers.budget()
    }

    /// The reducers in force.
    pub fn reducers(&self) -> &Reducers {
        &self.reducers
    }

    /// Whether the stream is being replayed again with new reducers.
    pub fn rebuilding(&self) -> bool {
        self.worker.running(worker::Kind::Rebuild)
    }

    /// Apply what the worker reported since the last call. Returns whether anything changed.
    pub fn poll(&mut self) -> bool {
        // Live follow: ask the worker for other connections' commits a few times a second.
        if self.store.open_failed().is_none() && self.list.shown() && self.live.poll_due() {
            self.request(Request::Poll);
        }
        let mut changed = self.explore.poll();
        changed |= self.audit.poll();
        changed |= self.integrity.poll();
        while let Some(response) = self.worker.try_recv() {
            self.handle(response);
            changed = true;
        }
        changed
    }

    /// Wait until background work is done (tests and scripted use). Returns false on timeout.
    pub fn wait_idle(&mut self, timeout: std::time::Duration) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        while self.status.progress().is_some() || self.list.listing() == Listing::Filling {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return false;
            }
            if let Some(response) = self.worker.recv_timeout(left) {
                self.handle(response);
            }
        }
        self.poll();
        true
    }

    /// Change the session.
    pub fn apply(&mut self, command: Command) {
        match command {
            Command::SelectStream(id) if !self.list.shown() => self.pending.select = Some(id),
            Command::SelectStream(id) => {
                if self.selected.as_deref() == Some(id.as_str()) && self.stream.is_some() {
                    return;
                }
                self.selected = Some(id.clone());
                self.stream = None;
                self.playback.stop();
                self.marks = (None, None);
                self.ab = None;
                self.history = None;
                if let Some(chart) = &mut self.chart {
                    chart.reading();
                }
                self.status.begin("reading events");
                // The load stops any rebuild or history of the stream left: they will not answer.
                self.request(Request::LoadStream {
                    id,
                    reducer: Arc::clone(self.reducers.reducer()),
                });
            }
            Command::SetStreamFilter(text) => {
                self.list.set_filter(text);
                self.ask_prefix();
            }
            Command::SortStreams(key) => self.list.sort_by(key),
            Command::JumpTo(index) => self.move_cursor(|_, len| index.min(len.saturating_sub(1))),
            Command::Step(delta) => self.move_cursor(|cursor, len| {
                let target = i64::try_from(cursor)
                    .unwrap_or(i64::MAX)
                    .saturating_add(delta)
                    .max(0);
                usize::try_from(target)
                    .unwrap_or(usize::MAX)
                    .min(len.saturating_sub(1))
            }),
            Command::GoToVersion(version) => match &self.stream {
                None => self.pending.version = Some(version),
                Some(stream) => match density::count_through(
                    stream.loaded.events.index(),
                    &stream.loaded.axes,
                    version,
                ) {
                    Some(count) => self.move_cursor(|_, _| count.saturating_sub(1)),
                    None => self.status.show_error(format!(
                        "stream {} has no version {version}",
                        stream.loaded.summary.id
                    )),
                },
            },
            Command::First => self.move_cursor(|_, _| 0),
            Command::Last => self.move_cursor(|_, len| len.saturating_sub(1)),
            Command::ShowError(message) => self.status.show_error(message),
            Command::DismissError => self.status.dismiss_error(),
            Command::SetFollow(on) => {
                self.live.set_follow(on);
                if on {
                    self.apply(Command::Last);
                }
            }
            Command::SetReducers(text) => self.set_reducers(text),
            Command::ReducersFile { path, text } => self.reducers.set_file(path, text),
            Command::SetJqBudget { steps, timeout_ms } => {
                if self
                    .reducers
                    .set_budget(Budget::with(Some(steps), Some(timeout_ms)))
                {
                    self.replay_again();
                }
            }
            Command::GoToTime(instant) => {
                if let Some(stream) = &self.stream {
                    let count = stream.loaded.events.count_at_time(instant);
                    if count == 0 {
                        self.status.show_error(format!(
                            "no event of stream {} is at or before {}",
                            stream.loaded.summary.id,
                            crate::core::decode::format_time(&instant)
                        ));
                    } else {
                        self.move_cursor(|_, _| count - 1);
                    }
                }
            }
            Command::MarkA => {
                self.marks.0 = self.stream.as_ref().map(|s| s.cursor);
                self.refresh_ab();
            }
            Command::MarkB => {
                self.marks.1 = self.stream.as_ref().map(|s| s.cursor);
                self.refresh_ab();
            }
            Command::ClearMarks => {
                self.marks = (None, None);
                self.ab = None;
            }
            Command::ShowHistory(path) => {
                self.history = Some(HistoryView {
                    path,
                    changes: None,
                });
                self.refresh_history();
            }
            Command::CloseHistory => self.history = None,
            Command::ChartField(path) => {
                match self.chart.get_or_insert_with(Default::default).add(path) {
                    Ok(true) => self.refresh_chart(),
                    Ok(false) => {}
                    Err(problem) => self.status.show_error(problem.to_string()),
                }
            }
            Command::UnchartField(path) => {
                if let Some(chart) = &mut self.chart
                    && chart.remove(&path)
                {
                    if chart.paths().is_empty() {
                        self.chart = None;
                    } else {
                        self.refresh_chart();
                    }
                }
            }
            Command::CloseChart => self.chart = None,
            Command::SetFromSnapshot(on) => {
                self.from_snapshot = on;
                if let Some(stream) = &mut self.stream {
                    stream.view = compute_view(&stream.loaded, stream.cursor, on);
                }
            }
            Command::TogglePlay => {
                if self.playback.playing {
                    self.playback.stop();
                } else if let Some(stream) = &self.stream {
                    let range = self.play_range();
                    let start = self.playback.start(stream.cursor, range);
                    self.move_cursor(|_, _| start);
                }
            }
            Command::ShowOverview(by) => self.explore.show_overview(by),
            Command::Brush(period) => self.explore.brush(period),
            Command::ShowCorrelation(id) => self.explore.correlate(id),
            Command::CloseCorrelation => self.explore.close_correlation(),
            Command::GoToPosition { stream, position } => {
                let loaded = self
                    .stream
                    .as_ref()
                    .is_some_and(|s| s.loaded.summary.id == stream);
                if loaded {
                    self.jump_to_position(position);
                } else {
                    self.apply(Command::SelectStream(stream));
                    self.pending.position = Some(position);
                }
            }
            Command::SetSpeed(speed) => self.playback.speed = speed.clamped(),
            Command::SetLoop(on) => self.playback.loop_marks = on,
            Command::AdvancePlayback(dt_secs) => {
                let Some(stream) = &self.stream else { return };
                let range = self.play_range();
                let looping =
                    self.playback.loop_marks && self.marks.0.is_some() && self.marks.1.is_some();
                let events = Arc::clone(&stream.loaded);
                let cursor = stream.cursor;
                let next =
                    self.playback
                        .advance(events.events.index(), cursor, range, looping, dt_secs);
                self.move_cursor(|_, _| next);
            }
            Command::StepAxis { unit, forward } => {
                let Some(stream) = &self.stream else { return };
                let events = Arc::clone(&stream.loaded);
                let cursor = stream.cursor;
                let next = match unit {
                    AxisUnit::Seconds(secs) => {
                        playback::step_by_time(events.events.index(), cursor, secs, forward)
                    }
                    AxisUnit::Events(n) if forward => cursor.saturating_add(n.max(1)),
                    AxisUnit::Events(n) => cursor.saturating_sub(n.max(1)),
                };
                self.move_cursor(|_, len| next.min(len.saturating_sub(1)));
            }
            Command::OpenAt { stream, version } => {
                self.apply(Command::SelectStream(stream));
                self.apply(Command::GoToVersion(version));
            }
            Command::Audit(command) => {
                let context = audit::Context {
                    path: self.store.path(),
                    options: self.store.options(),
                    jq_reducer: self.reducers.jq(),
                    reducer: Arc::clone(self.reducers.reducer()),
                    reducer_text: self.reducers.text(),
                    jq_budget: self.reducers.budget(),
                    charted: self.chart.as_ref().map_or(&[], chart::ChartView::paths),
                };
                self.audit.apply(command, &context);
            }
        }
    }

    fn set_reducers(&mut self, text: Option<String>) {
        if self.reducers.set(text) {
            self.replay_again();
        }
    }

    /// The reducer in force changed: replay the stream again with it.
    fn replay_again(&mut self) {
        if let Some(stream) = &self.stream {
            let stream = Arc::clone(&stream.loaded);
            self.request(Request::Rebuild {
                stream,
                reducer: Arc::clone(self.reducers.reducer()),
            });
        } else if let Some(id) = self.selected.clone() {
            // The stream is still loading (or failed to): load it with this reducer instead; the load
            // under way stops.
            self.status.begin("reading events");
            self.request(Request::LoadStream {
                id,
                reducer: Arc::clone(self.reducers.reducer()),
            });
        }
    }

    /// While the list fills, ask the index for the streams whose id starts with the filter typed (the
    /// filter's older question is superseded); a complete list answers the filter itself.
    fn ask_prefix(&mut self) {
        let prefix = self.list.filter();
        if self.list.listing() == Listing::Filling && !prefix.is_empty() {
            let prefix = prefix.to_owned();
            self.request(Request::StreamsWithPrefix { prefix });
        }
    }

    /// Send `request` to the worker; the thread being gone is shown as an error.
    fn request(&mut self, request: Request) {
        if let Err(message) = self.worker.send(request) {
            self.status.finish();
            self.status.show_error(message);
        }
    }

    /// Read the chart's series again (the fields, the stream or the reducers changed).
    fn refresh_chart(&mut self) {
        let (Some(chart), Some(stream)) = (&mut self.chart, &self.stream) else {
            return;
        };
        chart.reading();
        let request = Request::Series {
            stream: Arc::clone(&stream.loaded),
            reducer: Arc::clone(self.reducers.reducer()),
            paths: chart.paths().to_vec(),
        };
        self.request(request);
    }

    fn refresh_history(&mut self) {
        let (Some(history), Some(stream)) = (&mut self.history, &self.stream) else {
            return;
        };
        history.changes = None;
        let request = Request::History {
            stream: Arc::clone(&stream.loaded),
            reducer: Arc::clone(self.reducers.reducer()),
            path: history.path.clone(),
        };
        self.request(request);
    }
}

/// A number no other view, diff or loaded stream of this process has: what a panel keys the texts it
/// derives from one on, so they are made when it changes, not every frame.
pub fn next_serial() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

#[cfg(test)]
mod tests;
