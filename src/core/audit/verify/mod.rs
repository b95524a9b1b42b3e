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
//!    cannot be read (`unreadable_time`, naming the stored value; see [`crate::core::decode::times`]); payloads and
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

use crate::core::decode::codec::Format;
use crate::core::decode::format_time;
use crate::core::model::{Event, Payload, effective_version};
use crate::core::replay::diff::diff;
use crate::core::replay::{Reducer, apply_event};
use crate::core::store::{ScanFilter, ScanOrder, Snapshot, Store, StoreError};

mod halves;
mod outbox;
mod streams;
mod unknown_fields;

use outbox::{read_outboxes, report_outboxes};
use streams::{PassSettings, StreamPass, report_drift};

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
    #[error("cannot read table {table}: {source}")]
    Table { table: String, source: StoreError },
}

/// Verify `store`: every finding goes to `on_finding` as soon as it is known; `progress` returns false to
/// cancel (the summary then says `cancelled`).
pub fn verify(
    store: &Store,
    options: &VerifyOptions<'_>,
    progress: &mut dyn FnMut(Progress) -> bool,
    on_finding: &mut dyn FnMut(Finding),
) -> Result<VerifySummary, VerifyError> {
    verify_cut_from(store, options, halves::AT_LEAST, progress, on_finding)
}

/// [`verify`], with the stream pass cut in two for stores of at least `halves_at_least` events.
fn verify_cut_from(
    store: &Store,
    options: &VerifyOptions<'_>,
    halves_at_least: u64,
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
    let mut pass = StreamPass::new(
        store,
        PassSettings {
            now,
            payloads_checked: !store.missing_cipher_key(),
            unknown_fields_kept: store.mappings().iter().any(|m| {
                // Protocol Buffers and Thrift keep the fields their schema lacks; Avro cannot read them.
                let keeps = matches!(
                    m.codec.format,
                    Format::Protobuf | Format::ThriftBinary | Format::ThriftCompact
                );
                keeps
                    && (m.codec.schema.as_ref())
                        .and_then(|s| s.loaded())
                        .is_some_and(|s| s.reads(m.codec.format))
            }),
            snapshotted: if store.missing_cipher_key() {
                BTreeSet::new()
            } else {
                store.snapshot_streams()?
            },
            reducer: options.reducer,
            together: store.scan_keeps_streams_together()?,
            wanted,
        },
    );
    if !pass.settings.payloads_checked {
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
    if options.reducer.is_none() && !pass.settings.snapshotted.is_empty() {
        let n = u64::try_from(pass.settings.snapshotted.len()).unwrap_or(u64::MAX);
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
    let completed = halves::stream_pass(&mut pass, &mut sink, total, halves_at_least, progress)?;
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
    // A filtered table's positions skip by design; a ctid is a place, not a count: neither has gaps to find.
    let gapless: Vec<bool> = mappings
        .iter()
        .enumerate()
        .map(|(t, m)| m.filter.is_none() && store.positions_are_write_order(t))
        .collect();
    let mut last: Option<(usize, i64)> = None;
    let mut done = 0u64;
    let completed = store.scan_positions(&mut |table, position| {
        done += 1;
        let checked = gapless.get(table).copied().unwrap_or(false);
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
