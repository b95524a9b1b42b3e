//! Integrity findings: what is wrong with a store, per stream and for the whole file, found in passes whose
//! memory is bounded by the number of streams and event types, never by the number of events.
//!
//! An auditor asks "can I trust this history?" before "what does it say?". [`verify`] answers with a list of
//! [`Finding`]s, each `{kind, severity, stream, versions, positions, message}`:
//!
//! 1. **Positions** (one cheap pass over the position column, per event table): duplicates, and gaps as one
//!    finding per run of missing positions. Skipped for a table whose mapping has a `filter` (Emmett keeps
//!    other messages in the same sequence, so gaps there are normal).
//! 2. **Streams** (one pass over every event, stream after stream in stream order): versions missing
//!    (a stream starts at 0 or 1; a run of missing versions is one finding), duplicated, or stored out of
//!    order with their positions; time going backwards within a stream; times later than the newest event
//!    written (the time of the event with the highest position, or [`VerifyOptions::now`]); stored times that
//!    cannot be read (`unreadable_time`, naming the stored value; see [`crate::core::times`]); payloads and
//!    metadata that do not decode, with the reason; snapshots that disagree with the replay with the reducer
//!    in force (the stream's state is folded as the pass goes, and dropped once its last snapshot is checked).
//! 3. **Schema drift**, from per-type, per-field statistics gathered in pass 2: a top-level field is *added*
//!    when every event of the type without it comes before (by position) every event with it, and
//!    *removed* the other way round. Fields that come and go (optional fields) are not drift. A field must be
//!    seen on both sides at least [`DRIFT_MIN_EVENTS`] times, so a field used once in the newest event is not
//!    called drift.
//! 4. **Other tables**: event rows whose stream row is missing (joined layouts such as Event Sourcery, where
//!    such rows are invisible to every other view), and outbox entries (Event Sourcery's outbox, where a
//!    published entry is deleted): an entry with no tries left will never be published (`outbox_stuck`,
//!    error); entries still waiting are summarised in one `outbox_pending` finding per outbox (info: a
//!    stopped publisher and a busy one look the same in the file).
//!
//! Findings of one kind beyond [`VerifyOptions::max_per_kind`] are counted, not listed, and one last finding
//! of that kind says how many were left out, so a broken store does not flood the report.
//!
//! `versions` and `positions` hold the events involved: both events for a duplicate or a reversal, the
//! first and last of a range for a gap (the missing versions for a version gap, the positions either side
//! for a position gap).

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::core::decode::format_time;
use crate::core::diff::diff;
use crate::core::layout::quote_ident;
use crate::core::model::{Event, Payload, effective_version};
use crate::core::replay::{Reducer, apply_event};
use crate::core::store::{ScanFilter, ScanOrder, Snapshot, Store, StoreError};

/// Findings listed per kind before the rest are only counted.
pub const DEFAULT_MAX_PER_KIND: usize = 1_000;

/// Events each side of a schema change needs before it counts as drift.
pub const DRIFT_MIN_EVENTS: u64 = 2;

/// Progress is reported every this many rows.
const PROGRESS_EVERY: u64 = 4_096;

/// Fields tracked per event type; a type with more distinct top-level fields is not checked beyond them.
const MAX_FIELDS_PER_TYPE: usize = 512;

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    VersionGap,
    DuplicateVersion,
    VersionOrder,
    PositionGap,
    DuplicatePosition,
    TimeReversal,
    FutureTime,
    /// A stored time Eventscope cannot read (an unknown format, or out of the plausible range).
    UnreadableTime,
    UndecodablePayload,
    SchemaDrift,
    SnapshotMismatch,
    /// The reducer failed while replaying a stream for its snapshot checks.
    ReplayError,
    /// The store has snapshots but no reducer was given to check them with.
    SnapshotsUnchecked,
    /// The payloads are encrypted and no key was given, so they were not checked.
    PayloadsUnchecked,
    OrphanEvent,
    OutboxStuck,
    OutboxPending,
}

impl FindingKind {
    /// The `snake_case` name used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VersionGap => "version_gap",
            Self::DuplicateVersion => "duplicate_version",
            Self::VersionOrder => "version_order",
            Self::PositionGap => "position_gap",
            Self::DuplicatePosition => "duplicate_position",
            Self::TimeReversal => "time_reversal",
            Self::FutureTime => "future_time",
            Self::UnreadableTime => "unreadable_time",
            Self::UndecodablePayload => "undecodable_payload",
            Self::SchemaDrift => "schema_drift",
            Self::SnapshotMismatch => "snapshot_mismatch",
            Self::ReplayError => "replay_error",
            Self::SnapshotsUnchecked => "snapshots_unchecked",
            Self::PayloadsUnchecked => "payloads_unchecked",
            Self::OrphanEvent => "orphan_event",
            Self::OutboxStuck => "outbox_stuck",
            Self::OutboxPending => "outbox_pending",
        }
    }
}

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The history is wrong or incomplete.
    Error,
    /// Suspicious; may be legitimate.
    Warning,
    /// Worth knowing; not a defect.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }
}

/// One thing found wrong (or worth knowing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    /// The stream, when the finding is about one.
    pub stream: Option<String>,
    /// The versions involved (see the module docs).
    pub versions: Vec<i64>,
    /// The global positions involved.
    pub positions: Vec<i64>,
    pub message: String,
}

/// How to verify.
pub struct VerifyOptions<'a> {
    /// The reducer snapshots are replayed with; `None` leaves snapshots unchecked (one `snapshots_unchecked`
    /// finding says so): the default deep merge rarely models an aggregate's state, so comparing a library's
    /// snapshots with it would only flood the findings.
    pub reducer: Option<&'a dyn Reducer>,
    /// The instant after which an event time is "in the future"; by default the time of the newest event
    /// written (the highest position).
    pub now: Option<DateTime<Utc>>,
    /// Findings listed per kind; the rest are counted in one closing finding.
    pub max_per_kind: usize,
}

impl<'a> VerifyOptions<'a> {
    /// The defaults with `reducer`.
    pub fn new(reducer: Option<&'a dyn Reducer>) -> Self {
        Self {
            reducer,
            now: None,
            max_per_kind: DEFAULT_MAX_PER_KIND,
        }
    }
}

/// Which pass is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Positions,
    Events,
    Tables,
}

/// How far a long pass has got: `done` of `total` rows in `phase`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub phase: Phase,
    pub done: u64,
    pub total: u64,
}

/// What a verification covered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VerifySummary {
    pub events: u64,
    pub streams: u64,
    /// Findings reported (including the closing "more not listed" ones).
    pub findings: u64,
    /// Findings counted but not listed, by kind.
    pub not_listed: BTreeMap<FindingKind, u64>,
    /// The progress callback stopped the pass: the findings are incomplete.
    pub cancelled: bool,
    /// The reference instant used for `future_time`.
    #[serde(serialize_with = "ser_time")]
    pub now: Option<DateTime<Utc>>,
}

fn ser_time<S: serde::Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&format_time(t)),
        None => s.serialize_none(),
    }
}

/// Why verification could not run (findings are not errors).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: cannot read table {table}: {source}")]
    Table {
        path: std::path::PathBuf,
        table: String,
        source: rusqlite::Error,
    },
}

/// Verify `store`: every finding goes to `on_finding` as soon as it is known; `progress` returns false to
/// cancel (the summary then says `cancelled`).
pub fn verify(
    store: &Store,
    options: &VerifyOptions<'_>,
    progress: &mut dyn FnMut(Progress) -> bool,
    on_finding: &mut dyn FnMut(Finding),
) -> Result<VerifySummary, VerifyError> {
    let mut sink = Sink {
        max_per_kind: options.max_per_kind,
        listed: HashMap::new(),
        not_listed: BTreeMap::new(),
        severities: BTreeMap::new(),
        reported: 0,
        on_finding,
    };
    let total = store.event_count()?;
    let now = match options.now {
        Some(now) => Some(now),
        None => store.newest_written_time()?,
    };
    let mut summary = VerifySummary {
        events: total,
        now,
        ..VerifySummary::default()
    };
    let finish = |sink: &mut Sink<'_>, summary: &mut VerifySummary, cancelled: bool| {
        sink.close();
        summary.cancelled = cancelled;
        summary.findings = sink.reported;
        summary.not_listed = sink.not_listed.clone();
    };

    if !check_positions(store, total, progress, &mut sink)? {
        finish(&mut sink, &mut summary, true);
        return Ok(summary);
    }

    let outbox = read_outboxes(store)?;
    let wanted: BTreeSet<i64> = outbox
        .iter()
        .flat_map(|o| o.stuck.iter().map(|e| e.position))
        .collect();
    let mut pass = StreamPass {
        store,
        now,
        payloads_checked: !store.missing_cipher_key(),
        snapshotted: if store.missing_cipher_key() {
            BTreeSet::new()
        } else {
            store.snapshot_streams()?
        },
        reducer: options.reducer,
        together: store.scan_keeps_streams_together()?,
        streams: HashMap::new(),
        stream_count: 0,
        leftover: BTreeMap::new(),
        types: BTreeMap::new(),
        outbox_events: BTreeMap::new(),
        wanted,
        error: None,
    };
    if !pass.payloads_checked {
        sink.push(Finding {
            kind: FindingKind::PayloadsUnchecked,
            severity: Severity::Info,
            stream: None,
            versions: Vec::new(),
            positions: Vec::new(),
            message: "payloads are encrypted and no cipher key was given: undecodable payloads, schema drift \
                      and snapshots were not checked"
                .to_owned(),
        });
    }
    if options.reducer.is_none() && !pass.snapshotted.is_empty() {
        let n = u64::try_from(pass.snapshotted.len()).unwrap_or(u64::MAX);
        sink.push(Finding {
            kind: FindingKind::SnapshotsUnchecked,
            severity: Severity::Info,
            stream: None,
            versions: Vec::new(),
            positions: Vec::new(),
            message: format!(
                "{n} {} snapshots; they were not checked because no reducers were given (the default deep \
                 merge does not model an aggregate's state)",
                plural(n, "stream has", "streams have")
            ),
        });
    }
    let mut done = 0u64;
    let completed = store.scan(ScanOrder::Stream, &ScanFilter::default(), &mut |event| {
        pass.event(&event, &mut sink);
        done += 1;
        pass.error.is_none()
            && (!done.is_multiple_of(PROGRESS_EVERY)
                || progress(Progress {
                    phase: Phase::Events,
                    done,
                    total,
                }))
    })?;
    if let Some(err) = pass.error.take() {
        return Err(err.into());
    }
    if !completed {
        finish(&mut sink, &mut summary, true);
        return Ok(summary);
    }
    summary.streams = pass.stream_count;
    pass.finish_snapshots(&mut sink);
    report_drift(&pass.types, &mut sink);
    if !progress(Progress {
        phase: Phase::Tables,
        done: 0,
        total: 1,
    }) {
        finish(&mut sink, &mut summary, true);
        return Ok(summary);
    }
    for orphans in store.orphan_rows()? {
        sink.push(Finding {
            kind: FindingKind::OrphanEvent,
            severity: Severity::Error,
            stream: None,
            versions: Vec::new(),
            positions: bounds(orphans.first_position, orphans.last_position),
            message: format!(
                "{} {} in {} (positions {}) reference{} stream row {} of {}, which does not exist; no other \
                 view shows {}",
                orphans.count,
                plural(orphans.count, "event", "events"),
                orphans.table,
                range_text(orphans.first_position, orphans.last_position),
                if orphans.count == 1 { "s" } else { "" },
                orphans.stream_ref,
                orphans.stream_table,
                if orphans.count == 1 { "it" } else { "them" },
            ),
        });
    }
    report_outboxes(&outbox, &pass.outbox_events, &mut sink);
    progress(Progress {
        phase: Phase::Tables,
        done: 1,
        total: 1,
    });
    finish(&mut sink, &mut summary, false);
    Ok(summary)
}

/// Verify and collect the findings (the CLI and the tests; the GUI streams them with [`verify`]).
pub fn verify_all(
    store: &Store,
    options: &VerifyOptions<'_>,
) -> Result<(Vec<Finding>, VerifySummary), VerifyError> {
    let mut findings = Vec::new();
    let summary = verify(store, options, &mut |_| true, &mut |f| findings.push(f))?;
    Ok((findings, summary))
}

/// Passes findings on, up to a limit per kind.
struct Sink<'a> {
    max_per_kind: usize,
    listed: HashMap<FindingKind, usize>,
    not_listed: BTreeMap<FindingKind, u64>,
    severities: BTreeMap<FindingKind, Severity>,
    reported: u64,
    on_finding: &'a mut dyn FnMut(Finding),
}

impl Sink<'_> {
    fn push(&mut self, finding: Finding) {
        let listed = self.listed.entry(finding.kind).or_insert(0);
        if *listed >= self.max_per_kind {
            *self.not_listed.entry(finding.kind).or_insert(0) += 1;
            let severity = self
                .severities
                .entry(finding.kind)
                .or_insert(finding.severity);
            *severity = (*severity).min(finding.severity);
            return;
        }
        *listed += 1;
        self.reported += 1;
        (self.on_finding)(finding);
    }

    /// One closing finding per kind that had findings left out.
    fn close(&mut self) {
        let not_listed = std::mem::take(&mut self.not_listed);
        for (kind, count) in &not_listed {
            self.reported += 1;
            (self.on_finding)(Finding {
                kind: *kind,
                severity: self
                    .severities
                    .get(kind)
                    .copied()
                    .unwrap_or(Severity::Warning),
                stream: None,
                versions: Vec::new(),
                positions: Vec::new(),
                message: format!(
                    "{count} more {} {} not listed (at most {} are listed per kind)",
                    kind.as_str(),
                    plural(*count, "finding", "findings"),
                    self.max_per_kind
                ),
            });
        }
        self.not_listed = not_listed;
    }
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

fn bounds(first: i64, last: i64) -> Vec<i64> {
    if first == last {
        vec![first]
    } else {
        vec![first, last]
    }
}

fn range_text(first: i64, last: i64) -> String {
    if first == last {
        first.to_string()
    } else {
        format!("{first}–{last}")
    }
}

/// Pass 1: positions, per table, in ascending order.
fn check_positions(
    store: &Store,
    total: u64,
    progress: &mut dyn FnMut(Progress) -> bool,
    sink: &mut Sink<'_>,
) -> Result<bool, VerifyError> {
    let mappings = store.mappings();
    let mut last: Option<(usize, i64)> = None;
    let mut done = 0u64;
    let completed = store.scan_positions(&mut |table, position| {
        done += 1;
        let checked = mappings.get(table).is_some_and(|m| m.filter.is_none());
        let name = mappings.get(table).map_or("", |m| m.table.as_str());
        if let Some((_, previous)) = last.filter(|(t, _)| *t == table && checked) {
            if position == previous {
                sink.push(Finding {
                    kind: FindingKind::DuplicatePosition,
                    severity: Severity::Error,
                    stream: None,
                    versions: Vec::new(),
                    positions: vec![position],
                    message: format!("two or more events of {name} have position {position}"),
                });
            } else if position > previous.saturating_add(1) {
                let (first, end) = (previous + 1, position - 1);
                let missing = end - first + 1;
                sink.push(Finding {
                    kind: FindingKind::PositionGap,
                    severity: Severity::Warning,
                    stream: None,
                    versions: Vec::new(),
                    positions: vec![previous, position],
                    message: format!(
                        "{name}: {} missing between positions {previous} and {position}",
                        if missing == 1 {
                            format!("position {first} is")
                        } else {
                            format!("positions {first}–{end} ({missing}) are")
                        }
                    ),
                });
            }
        }
        last = Some((table, position));
        !done.is_multiple_of(PROGRESS_EVERY)
            || progress(Progress {
                phase: Phase::Positions,
                done,
                total,
            })
    })?;
    Ok(completed)
}

/// Where an event is.
#[derive(Clone, Debug, PartialEq, Eq)]
struct At {
    position: i64,
    stream: String,
    version: i64,
}

/// What pass 2 keeps per stream.
struct StreamState {
    /// Events seen.
    count: usize,
    last_version: Option<i64>,
    last_position: i64,
    last_time: Option<(DateTime<Utc>, i64, i64)>,
    /// Snapshots not yet compared, by version, with the replayed state (only while some are left).
    snapshots: Option<SnapshotReplay>,
}

struct SnapshotReplay {
    state: Value,
    pending: VecDeque<Snapshot>,
}

/// Statistics of one top-level field of one event type.
struct FieldStats {
    present: u64,
    first_present: At,
    last_present: i64,
    absent: u64,
    first_absent: Option<At>,
    last_absent: i64,
}

/// Statistics of one event type.
struct TypeStats {
    events: u64,
    first: At,
    last_position: i64,
    fields: BTreeMap<String, FieldStats>,
}

struct StreamPass<'a, 'o> {
    store: &'a Store,
    reducer: Option<&'o dyn Reducer>,
    now: Option<DateTime<Utc>>,
    payloads_checked: bool,
    snapshotted: BTreeSet<String>,
    /// Whether the scan in stream order reads each stream's events in one run (see
    /// [`Store::scan_keeps_streams_together`]): then only the current stream's state is kept.
    together: bool,
    /// The state of every stream met (only the current one when `together`).
    streams: HashMap<String, StreamState>,
    /// Streams met.
    stream_count: u64,
    /// The replays of streams left behind with snapshots still to compare (taken after their last event).
    leftover: BTreeMap<String, SnapshotReplay>,
    types: BTreeMap<String, TypeStats>,
    /// Positions of stuck outbox entries we want the stream and version of.
    wanted: BTreeSet<i64>,
    outbox_events: BTreeMap<i64, (String, i64)>,
    error: Option<StoreError>,
}

impl StreamPass<'_, '_> {
    fn event(&mut self, event: &Event, sink: &mut Sink<'_>) {
        if !self.streams.contains_key(&event.stream) {
            if self.together {
                self.retire();
            }
            self.stream_count += 1;
            let snapshots = match self.start_snapshots(&event.stream) {
                Ok(snapshots) => snapshots,
                Err(err) => {
                    self.error = Some(err);
                    return;
                }
            };
            self.streams.insert(
                event.stream.clone(),
                StreamState {
                    count: 0,
                    last_version: None,
                    last_position: event.position,
                    last_time: None,
                    snapshots,
                },
            );
        }
        let Some(state) = self.streams.get_mut(&event.stream) else {
            return;
        };
        let version = effective_version(event, state.count);
        let stream = || Some(event.stream.clone());
        if self.wanted.contains(&event.position) {
            self.outbox_events
                .insert(event.position, (event.stream.clone(), version));
        }
        if let Some(v) = event.version {
            match state.last_version {
                None if state.count == 0 && v > 1 => sink.push(Finding {
                    kind: FindingKind::VersionGap,
                    severity: Severity::Error,
                    stream: stream(),
                    versions: bounds(1, v - 1),
                    positions: vec![event.position],
                    message: format!(
                        "the stream starts at version {v}: {} missing",
                        missing_versions(1, v - 1)
                    ),
                }),
                Some(last) if v == last => sink.push(Finding {
                    kind: FindingKind::DuplicateVersion,
                    severity: Severity::Error,
                    stream: stream(),
                    versions: vec![v],
                    positions: vec![state.last_position, event.position],
                    message: format!(
                        "version {v} is stored twice (positions {} and {})",
                        state.last_position, event.position
                    ),
                }),
                Some(last) if v > last.saturating_add(1) => sink.push(Finding {
                    kind: FindingKind::VersionGap,
                    severity: Severity::Error,
                    stream: stream(),
                    versions: bounds(last + 1, v - 1),
                    positions: vec![state.last_position, event.position],
                    message: format!(
                        "{} missing between version {last} (position {}) and version {v} (position {})",
                        missing_versions(last + 1, v - 1),
                        state.last_position,
                        event.position
                    ),
                }),
                _ => {}
            }
            if let Some(last) = state.last_version
                && v > last
                && event.position < state.last_position
            {
                sink.push(Finding {
                    kind: FindingKind::VersionOrder,
                    severity: Severity::Error,
                    stream: stream(),
                    versions: vec![last, v],
                    positions: vec![state.last_position, event.position],
                    message: format!(
                        "version {v} has position {}, before version {last} at position {}: the versions \
                         were not written in order",
                        event.position, state.last_position
                    ),
                });
            }
            state.last_version = Some(v);
        }
        if let Some(time) = event.time {
            if let Some((last_time, last_version, last_position)) = state.last_time
                && time < last_time
            {
                sink.push(Finding {
                    kind: FindingKind::TimeReversal,
                    severity: Severity::Warning,
                    stream: stream(),
                    versions: vec![last_version, version],
                    positions: vec![last_position, event.position],
                    message: format!(
                        "time goes backwards: version {version} is stamped {}, before version {last_version} \
                         ({})",
                        format_time(&time),
                        format_time(&last_time)
                    ),
                });
            }
            if let Some(now) = self.now
                && time > now
            {
                sink.push(Finding {
                    kind: FindingKind::FutureTime,
                    severity: Severity::Warning,
                    stream: stream(),
                    versions: vec![version],
                    positions: vec![event.position],
                    message: format!(
                        "version {version} is stamped {}, after the newest event written ({})",
                        format_time(&time),
                        format_time(&now)
                    ),
                });
            }
            state.last_time = Some((time, version, event.position));
        } else if let Some(stored) = &event.stored_time {
            sink.push(Finding {
                kind: FindingKind::UnreadableTime,
                severity: Severity::Warning,
                stream: stream(),
                versions: vec![version],
                positions: vec![event.position],
                message: format!(
                    "version {version} ({}) has a time that cannot be read: stored {stored:?}; it is shown as \
                     stored and left out of the time checks",
                    type_name(&event.event_type)
                ),
            });
        }
        state.last_position = event.position;
        state.count += 1;
        if !self.payloads_checked {
            return;
        }
        for (what, payload) in [
            ("payload", Some(&event.data)),
            ("metadata", event.metadata.as_ref()),
        ] {
            if let Some(Payload::Raw { reason, bytes }) = payload {
                sink.push(Finding {
                    kind: FindingKind::UndecodablePayload,
                    severity: Severity::Error,
                    stream: stream(),
                    versions: vec![version],
                    positions: vec![event.position],
                    message: format!(
                        "the {what} of version {version} ({}, {} bytes) does not decode: {reason}",
                        type_name(&event.event_type),
                        bytes.len()
                    ),
                });
            }
        }
        if let Payload::Json(Value::Object(data)) = &event.data {
            record_fields(
                &mut self.types,
                &event.event_type,
                data,
                At {
                    position: event.position,
                    stream: event.stream.clone(),
                    version,
                },
            );
        }
        if let Some(mut replay) = state.snapshots.take() {
            let index = state.count - 1;
            compare_due(&event.stream, &mut replay, Some(version), sink);
            let Some(reducer) = self.reducer else { return };
            match apply_event(reducer, replay.state, event, index) {
                Ok(next) => {
                    replay.state = next;
                    if !replay.pending.is_empty() {
                        state.snapshots = Some(replay);
                    }
                }
                Err(err) => sink.push(Finding {
                    kind: FindingKind::ReplayError,
                    severity: Severity::Warning,
                    stream: stream(),
                    versions: vec![version],
                    positions: vec![event.position],
                    message: format!(
                        "{err}; {} {} of this stream not checked",
                        replay.pending.len(),
                        plural(
                            u64::try_from(replay.pending.len()).unwrap_or(0),
                            "snapshot",
                            "snapshots"
                        )
                    ),
                }),
            }
        }
    }

    /// The snapshots of a stream met for the first time, with its initial state (`None` without snapshots).
    fn start_snapshots(&self, stream: &str) -> Result<Option<SnapshotReplay>, StoreError> {
        let Some(reducer) = self.reducer.filter(|_| self.snapshotted.contains(stream)) else {
            return Ok(None);
        };
        let mut snapshots = self.store.snapshots(stream)?;
        if snapshots.is_empty() {
            return Ok(None);
        }
        snapshots.sort_by_key(|s| s.version);
        let stream_type = self.store.stream(stream)?.stream_type;
        Ok(Some(SnapshotReplay {
            state: reducer.initial(stream_type.as_deref()),
            pending: snapshots.into(),
        }))
    }

    /// Drop the state of the streams met so far, keeping the replays with snapshots still to compare.
    fn retire(&mut self) {
        for (id, state) in self.streams.drain() {
            if let Some(replay) = state.snapshots {
                self.leftover.insert(id, replay);
            }
        }
    }

    /// Compare the snapshots taken after the last event of each stream, by id.
    fn finish_snapshots(&mut self, sink: &mut Sink<'_>) {
        self.retire();
        for (id, mut replay) in std::mem::take(&mut self.leftover) {
            compare_due(&id, &mut replay, None, sink);
        }
    }
}

/// Compare the pending snapshots taken before `next_version` (all of them when `None`) with the state.
fn compare_due(
    stream: &str,
    replay: &mut SnapshotReplay,
    next_version: Option<i64>,
    sink: &mut Sink<'_>,
) {
    while let Some(snapshot) = replay
        .pending
        .front()
        .filter(|s| next_version.is_none_or(|v| s.version < v))
    {
        match &snapshot.state {
            Payload::Json(state) => {
                let changes = diff(&replay.state, state);
                if !changes.is_empty() {
                    let mut shown = String::new();
                    for change in changes.iter().take(3) {
                        let _ = write!(
                            shown,
                            "{}{}: {} -> {}",
                            if shown.is_empty() { "" } else { "; " },
                            if change.path.is_empty() {
                                "/"
                            } else {
                                &change.path
                            },
                            short(change.old.as_ref()),
                            short(change.new.as_ref())
                        );
                    }
                    if changes.len() > 3 {
                        let _ = write!(shown, "; and {} more", changes.len() - 3);
                    }
                    sink.push(Finding {
                        kind: FindingKind::SnapshotMismatch,
                        severity: Severity::Error,
                        stream: Some(stream.to_owned()),
                        versions: vec![snapshot.version],
                        positions: Vec::new(),
                        message: format!(
                            "the snapshot at version {} disagrees with the replay (replay -> snapshot): {shown}",
                            snapshot.version
                        ),
                    });
                }
            }
            Payload::Raw { reason, .. } => sink.push(Finding {
                kind: FindingKind::UndecodablePayload,
                severity: Severity::Error,
                stream: Some(stream.to_owned()),
                versions: vec![snapshot.version],
                positions: Vec::new(),
                message: format!(
                    "the snapshot at version {} does not decode: {reason}",
                    snapshot.version
                ),
            }),
        }
        replay.pending.pop_front();
    }
}

/// A JSON value shortened for a message (`absent` when missing).
fn short(value: Option<&Value>) -> String {
    let Some(value) = value else {
        return "absent".to_owned();
    };
    let text = value.to_string();
    if text.chars().count() <= 60 {
        text
    } else {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    }
}

fn type_name(event_type: &str) -> String {
    if event_type.is_empty() {
        "no type".to_owned()
    } else {
        format!("type {event_type}")
    }
}

fn missing_versions(first: i64, last: i64) -> String {
    if first == last {
        format!("version {first} is")
    } else {
        format!("versions {first}–{last} ({}) are", last - first + 1)
    }
}

fn record_fields(
    types: &mut BTreeMap<String, TypeStats>,
    event_type: &str,
    data: &serde_json::Map<String, Value>,
    at: At,
) {
    let stats = types
        .entry(event_type.to_owned())
        .or_insert_with(|| TypeStats {
            events: 0,
            first: at.clone(),
            last_position: at.position,
            fields: BTreeMap::new(),
        });
    for key in data.keys() {
        if stats.fields.contains_key(key) || stats.fields.len() >= MAX_FIELDS_PER_TYPE {
            continue;
        }
        // A new field: every event of the type seen so far lacked it.
        stats.fields.insert(
            key.clone(),
            FieldStats {
                present: 0,
                first_present: at.clone(),
                last_present: at.position,
                absent: stats.events,
                first_absent: (stats.events > 0).then(|| stats.first.clone()),
                last_absent: stats.last_position,
            },
        );
    }
    for (key, field) in &mut stats.fields {
        if data.contains_key(key) {
            field.present += 1;
            if at.position < field.first_present.position {
                field.first_present = at.clone();
            }
            field.last_present = field.last_present.max(at.position);
        } else {
            if field.absent == 0 {
                field.last_absent = at.position;
            }
            field.absent += 1;
            if field
                .first_absent
                .as_ref()
                .is_none_or(|a| at.position < a.position)
            {
                field.first_absent = Some(at.clone());
            }
            field.last_absent = field.last_absent.max(at.position);
        }
    }
    stats.events += 1;
    if at.position < stats.first.position {
        stats.first = at.clone();
    }
    stats.last_position = stats.last_position.max(at.position);
}

/// Where a type's field set changed: the first event after, fields added and removed, events before and
/// after.
type DriftChange<'a> = (At, Vec<&'a str>, Vec<&'a str>, u64, u64);

/// One finding per type and position where its field set changed for good.
fn report_drift(types: &BTreeMap<String, TypeStats>, sink: &mut Sink<'_>) {
    for (event_type, stats) in types {
        // Boundary position -> (where, added, removed, events before, events after).
        let mut changes: BTreeMap<i64, DriftChange<'_>> = BTreeMap::new();
        for (name, field) in &stats.fields {
            if field.present < DRIFT_MIN_EVENTS || field.absent < DRIFT_MIN_EVENTS {
                continue;
            }
            let Some(first_absent) = &field.first_absent else {
                continue;
            };
            if field.last_absent < field.first_present.position {
                let entry = changes
                    .entry(field.first_present.position)
                    .or_insert_with(|| {
                        (
                            field.first_present.clone(),
                            Vec::new(),
                            Vec::new(),
                            field.absent,
                            field.present,
                        )
                    });
                entry.1.push(name);
            } else if field.last_present < first_absent.position {
                let entry = changes.entry(first_absent.position).or_insert_with(|| {
                    (
                        first_absent.clone(),
                        Vec::new(),
                        Vec::new(),
                        field.present,
                        field.absent,
                    )
                });
                entry.2.push(name);
            }
        }
        for (at, added, removed, before, after) in changes.into_values() {
            let mut what = Vec::new();
            if !added.is_empty() {
                what.push(format!("added {}", added.join(", ")));
            }
            if !removed.is_empty() {
                what.push(format!("removed {}", removed.join(", ")));
            }
            sink.push(Finding {
                kind: FindingKind::SchemaDrift,
                severity: Severity::Warning,
                stream: Some(at.stream.clone()),
                versions: vec![at.version],
                positions: vec![at.position],
                message: format!(
                    "{} changed its fields from position {} (version {} of this stream): {} ({before} {} \
                     before, {after} from then on)",
                    type_name(event_type),
                    at.position,
                    at.version,
                    what.join("; "),
                    plural(before, "event", "events"),
                ),
            });
        }
    }
}

/// An outbox table and what it holds.
struct Outbox {
    table: String,
    /// Entries with no tries left.
    stuck: Vec<OutboxEntry>,
    pending: u64,
    pending_positions: Option<(i64, i64)>,
    tries_left: Option<(i64, i64)>,
    oldest: Option<String>,
}

struct OutboxEntry {
    id: i64,
    position: i64,
    created_at: String,
}

/// Outbox tables: a table whose name contains `outbox` with `position` and `tries_left` columns (Event
/// Sourcery's SQLAlchemy and Django outboxes). A published entry is deleted, so every row is unpublished.
fn read_outboxes(store: &Store) -> Result<Vec<Outbox>, VerifyError> {
    let conn = store.connection();
    let table_err = |table: &str, source| VerifyError::Table {
        path: store.path().to_owned(),
        table: table.to_owned(),
        source,
    };
    let tables = crate::core::layout::tables(conn).map_err(|e| table_err("sqlite_schema", e))?;
    let mut out = Vec::new();
    for table in tables {
        let has = |c: &str| table.columns.iter().any(|col| col.name == c);
        if !table.name.to_ascii_lowercase().contains("outbox")
            || !["id", "position", "tries_left", "created_at"]
                .iter()
                .all(|c| has(c))
        {
            continue;
        }
        let sql = format!(
            "SELECT id, position, tries_left, CAST(created_at AS TEXT) FROM {} ORDER BY position, id",
            quote_ident(&table.name)
        );
        let mut outbox = Outbox {
            table: table.name.clone(),
            stuck: Vec::new(),
            pending: 0,
            pending_positions: None,
            tries_left: None,
            oldest: None,
        };
        let mut stmt = conn.prepare(&sql).map_err(|e| table_err(&table.name, e))?;
        let mut rows = stmt.query([]).map_err(|e| table_err(&table.name, e))?;
        while let Some(row) = rows.next().map_err(|e| table_err(&table.name, e))? {
            let read = || -> rusqlite::Result<(i64, i64, i64, String)> {
                Ok((
                    row.get(0)?,
                    row.get::<_, Option<i64>>(1)?.unwrap_or(0),
                    row.get::<_, Option<i64>>(2)?.unwrap_or(0),
                    row.get::<_, Option<String>>(3)?.unwrap_or_default(),
                ))
            };
            let (id, position, tries_left, created_at) =
                read().map_err(|e| table_err(&table.name, e))?;
            if tries_left <= 0 {
                outbox.stuck.push(OutboxEntry {
                    id,
                    position,
                    created_at,
                });
                continue;
            }
            outbox.pending += 1;
            outbox.pending_positions = Some(match outbox.pending_positions {
                None => (position, position),
                Some((a, b)) => (a.min(position), b.max(position)),
            });
            outbox.tries_left = Some(match outbox.tries_left {
                None => (tries_left, tries_left),
                Some((a, b)) => (a.min(tries_left), b.max(tries_left)),
            });
            if outbox
                .oldest
                .as_ref()
                .is_none_or(|oldest| created_at < *oldest)
            {
                outbox.oldest = Some(created_at);
            }
        }
        out.push(outbox);
    }
    Ok(out)
}

fn report_outboxes(
    outboxes: &[Outbox],
    events: &BTreeMap<i64, (String, i64)>,
    sink: &mut Sink<'_>,
) {
    for outbox in outboxes {
        for entry in &outbox.stuck {
            let event = events.get(&entry.position);
            sink.push(Finding {
                kind: FindingKind::OutboxStuck,
                severity: Severity::Error,
                stream: event.map(|(stream, _)| stream.clone()),
                versions: event.map(|(_, v)| vec![*v]).unwrap_or_default(),
                positions: vec![entry.position],
                message: format!(
                    "{} entry {} (event at position {}{}, queued {}) has no tries left: it will never be \
                     published",
                    outbox.table,
                    entry.id,
                    entry.position,
                    if event.is_some() {
                        ""
                    } else {
                        ", which is not in the store"
                    },
                    entry.created_at
                ),
            });
        }
        if let (Some((first, last)), Some((min_tries, max_tries))) =
            (outbox.pending_positions, outbox.tries_left)
        {
            sink.push(Finding {
                kind: FindingKind::OutboxPending,
                severity: Severity::Info,
                stream: None,
                versions: Vec::new(),
                positions: bounds(first, last),
                message: format!(
                    "{}: {} {} not published yet (events at positions {}, oldest queued {}, {} tries left)",
                    outbox.table,
                    outbox.pending,
                    plural(outbox.pending, "entry", "entries"),
                    range_text(first, last),
                    outbox.oldest.as_deref().unwrap_or("?"),
                    if min_tries == max_tries {
                        min_tries.to_string()
                    } else {
                        format!("{min_tries} to {max_tries}")
                    },
                ),
            });
        }
    }
}
