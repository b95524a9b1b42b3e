//! What the report shows, gathered from the store as plain data: every text is kept as read (the template
//! escapes it), JSON is already pretty-printed, and nothing here knows of HTML. Rendering is
//! [`super::render`]'s; keeping the two apart lets the page change without touching what it reports.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{ReportError, ReportOutcome, ReportProgress, ReportRequest, sha256_bytes};
use crate::core::audit::verify::{Finding, VerifyOptions, verify};
use crate::core::decode::format_time;
use crate::core::model::{Event, StreamSummary, count_through_version, effective_version};
use crate::core::replay::diff::diff;
use crate::core::replay::query::json_patch;
use crate::core::replay::replay;
use crate::core::store::Integrity;

/// The whole report as data.
pub(super) struct ReportData {
    /// The store as the title and the file section name it (absolute for a file).
    pub shown_path: String,
    pub source: Source,
    /// The hashes at open and at write are equal.
    pub unchanged: bool,
    pub sha256_at_open: String,
    pub sha256_at_write: String,
    /// SQLite's summary of the damage, when quick_check found some.
    pub damaged: Option<String>,
    pub analysis_time: String,
    pub eventscope: &'static str,
    /// The layouts of the mappings, comma-separated.
    pub layouts: String,
    /// The mappings as pretty JSON.
    pub mappings: String,
    pub reducers: Option<ReducersShown>,
    /// The streams asked for, comma-separated.
    pub scope_streams: String,
    pub scope_range: String,
    pub streams: Vec<StreamSection>,
    pub store_findings: Vec<FindingRow>,
}

/// Where the events come from: a file or a PostgreSQL server.
pub(super) enum Source {
    File {
        size_bytes: u64,
        integrity: String,
        journal_mode: &'static str,
        /// What else the open says, after the journal mode (", immutable", or nothing).
        opened_note: &'static str,
    },
    Server {
        /// The URL as the store shows it (without a password).
        url: String,
        database: String,
        role: String,
        could_write: bool,
        server_version: String,
        tls: bool,
    },
}

/// The reducer file, with its SHA-256.
pub(super) struct ReducersShown {
    pub path: String,
    pub sha256: String,
    pub text: String,
}

/// One stream's section.
pub(super) struct StreamSection {
    pub id: String,
    pub stream_type: String,
    pub events_in_stream: u64,
    pub first_time: Option<TimeCell>,
    pub last_time: Option<TimeCell>,
    pub reported: usize,
    /// The version of the range's first event ("0 (before the first event)" when there is none).
    pub reported_from: String,
    /// The versions at the range's ends, as shown ("0 (before the first event)" when there is none).
    pub from_version: String,
    pub to_version: String,
    pub events: Vec<EventRow>,
    pub state_from: String,
    pub state_to: String,
    pub changes: Vec<ChangeRow>,
    pub patch: String,
    pub findings: Vec<FindingRow>,
    /// The fields charted over the stream, when any were asked for.
    pub chart: Option<super::chart::ChartShown>,
}

/// A time as the report shows it: RFC 3339, or a stored value that is not a readable time (said to be
/// unreadable, so it is never taken for a time).
pub(super) enum TimeCell {
    Time(String),
    Unreadable(String),
}

impl TimeCell {
    fn new(time: Option<DateTime<Utc>>, stored: Option<&str>) -> Option<Self> {
        match (time, stored) {
            (Some(time), _) => Some(Self::Time(format_time(&time))),
            (None, Some(stored)) => Some(Self::Unreadable(stored.to_owned())),
            (None, None) => None,
        }
    }
}

pub(super) struct EventRow {
    pub position: i64,
    pub version: i64,
    pub time: Option<TimeCell>,
    pub event_type: String,
    pub data: String,
    /// Pretty JSON, empty when the event has none.
    pub metadata: String,
}

pub(super) struct ChangeRow {
    pub op: String,
    pub path: String,
    pub old: String,
    pub new: String,
}

pub(super) struct FindingRow {
    pub severity: &'static str,
    pub kind: &'static str,
    pub stream: String,
    pub versions: String,
    pub positions: String,
    pub message: String,
}

impl FindingRow {
    fn new(finding: &Finding) -> Self {
        let ints = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        Self {
            severity: finding.severity.as_str(),
            kind: finding.kind.as_str(),
            stream: finding.stream.clone().unwrap_or_default(),
            versions: ints(&finding.versions),
            positions: ints(&finding.positions),
            message: finding.message.clone(),
        }
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// Read everything the report shows; the file is hashed again after everything else was read.
/// `progress` is told how the store-wide check goes, then after each stream.
pub(super) fn gather(
    request: &ReportRequest<'_>,
    progress: &mut dyn FnMut(ReportProgress),
) -> Result<(ReportData, ReportOutcome), ReportError> {
    let store = request.store;
    if let (Some(from), Some(to)) = (request.from, request.to)
        && from > to
    {
        return Err(ReportError::EmptyRange { from, to });
    }
    let mut findings = Vec::new();
    verify(
        store,
        &VerifyOptions::new(Some(request.reducer)),
        &mut |pass| {
            progress(ReportProgress::Verify(pass));
            true
        },
        &mut |finding| findings.push(finding),
    )?;
    let total = request.streams.len() as u64;
    let mut streams = Vec::with_capacity(request.streams.len());
    for (done, id) in (1..).zip(&request.streams) {
        let summary = store.stream(id)?;
        let events = store.events(id)?;
        streams.push(stream_section(request, &summary, &events, &findings)?);
        progress(ReportProgress::Streams { done, total });
    }
    let store_findings = findings
        .iter()
        .filter(|f| f.stream.is_none())
        .map(FindingRow::new)
        .collect();

    let path = store.path();
    let sha256_at_write = store.content_digest()?;
    let (integrity, integrity_error) = match store.quick_check() {
        Ok(verdict) => (Some(verdict), None),
        Err(err) => (None, Some(err)),
    };
    let outcome = ReportOutcome {
        sha256_at_open: request.sha256_at_open.clone(),
        sha256_at_write,
        findings: findings.len(),
        integrity,
    };
    let shown = if store.is_postgres() {
        path.to_owned()
    } else {
        std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
    };
    let damaged = match &outcome.integrity {
        Some(damaged @ Integrity::Damaged { .. }) => Some(damaged.summary()),
        _ => None,
    };
    let info = store.info();
    let source = match &info.server {
        Some(server) => Source::Server {
            url: path.display().to_string(),
            database: server.database.clone(),
            role: server.role.clone(),
            could_write: server.could_write,
            server_version: server.server_version.clone(),
            tls: server.tls,
        },
        None => Source::File {
            size_bytes: info.size_bytes,
            integrity: match (&outcome.integrity, &integrity_error) {
                (Some(verdict), _) => verdict.summary(),
                (None, Some(err)) => format!("not checked: {err}"),
                (None, None) => "not checked".to_owned(),
            },
            journal_mode: info.journal_mode,
            opened_note: if info.immutable {
                ", immutable"
            } else if info.wal_index_in_memory {
                ", WAL index in memory (no -shm beside it)"
            } else {
                ""
            },
        },
    };
    let mappings = serde_json::to_value(store.mappings()).unwrap_or(Value::Null);
    let layouts: Vec<&str> = store.mappings().iter().map(|m| m.layout.as_str()).collect();
    let scope_range = match (request.from, request.to) {
        (None, None) => "every event".to_owned(),
        (from, to) => format!(
            "versions {} to {}",
            from.map_or_else(|| "the first".to_owned(), |v| v.to_string()),
            to.map_or_else(|| "the last".to_owned(), |v| v.to_string())
        ),
    };
    let data = ReportData {
        shown_path: shown.display().to_string(),
        source,
        unchanged: outcome.unchanged(),
        sha256_at_open: outcome.sha256_at_open.clone(),
        sha256_at_write: outcome.sha256_at_write.clone(),
        damaged,
        analysis_time: format_time(&request.analysis_time),
        eventscope: env!("CARGO_PKG_VERSION"),
        layouts: layouts.join(", "),
        mappings: pretty(&mappings),
        reducers: request.reducers.as_ref().map(|file| ReducersShown {
            path: file.path.clone(),
            sha256: sha256_bytes(file.text.as_bytes()),
            text: file.text.clone(),
        }),
        scope_streams: request.streams.join(", "),
        scope_range,
        streams,
        store_findings,
    };
    Ok((data, outcome))
}

/// The number of events through `version` (the last event when `None`), or an error naming the range.
fn count_through(
    stream: &str,
    events: &[Event],
    version: Option<i64>,
) -> Result<usize, ReportError> {
    let Some(version) = version else {
        return Ok(events.len());
    };
    count_through_version(events, version).ok_or_else(|| ReportError::NoVersion {
        stream: stream.to_owned(),
        version,
        first: events.first().map_or(0, |e| effective_version(e, 0)),
        last: events
            .len()
            .checked_sub(1)
            .and_then(|i| events.get(i).map(|e| effective_version(e, i)))
            .unwrap_or(0),
    })
}

fn stream_section(
    request: &ReportRequest<'_>,
    summary: &StreamSummary,
    events: &[Event],
    findings: &[Finding],
) -> Result<StreamSection, ReportError> {
    let id = &summary.id;
    let stream_type = summary.stream_type.as_deref();
    // The range: from the event at `from` (the first by default) through the event at `to`.
    let end = count_through(id, events, request.to)?;
    let start = match request.from {
        Some(v) => count_through(id, events, Some(v))?.max(1) - 1,
        None => 0,
    };
    let start = start.min(end);
    let state_at = |count: usize| {
        replay(
            request.reducer,
            stream_type,
            events.get(..count).unwrap_or(events),
        )
    };
    let (state_a, state_b) = (state_at((start + 1).min(end))?, state_at(end)?);
    let version_at = |count: usize| {
        count
            .checked_sub(1)
            .and_then(|i| events.get(i).map(|e| effective_version(e, i)))
            .map_or_else(
                || "0 (before the first event)".to_owned(),
                |v| v.to_string(),
            )
    };
    let rows = events
        .iter()
        .enumerate()
        .take(end)
        .skip(start)
        .map(|(index, event)| EventRow {
            position: event.position,
            version: effective_version(event, index),
            time: TimeCell::new(event.time, event.stored_time.as_deref()),
            event_type: event.event_type.clone(),
            data: pretty(&event.data.to_json()),
            metadata: event
                .metadata
                .as_ref()
                .map(|m| pretty(&m.to_json()))
                .unwrap_or_default(),
        })
        .collect();
    let cell = |v: &Option<Value>| v.as_ref().map(pretty).unwrap_or_default();
    let changes = diff(&state_a, &state_b)
        .into_iter()
        .map(|change| {
            let op = serde_json::to_value(change.op).unwrap_or(Value::Null);
            ChangeRow {
                op: op.as_str().unwrap_or("").to_owned(),
                path: change.path.clone(),
                old: cell(&change.old),
                new: cell(&change.new),
            }
        })
        .collect();
    Ok(StreamSection {
        id: id.clone(),
        stream_type: stream_type.unwrap_or("-").to_owned(),
        events_in_stream: summary.events,
        first_time: TimeCell::new(summary.first_time, summary.first_stored_time.as_deref()),
        last_time: TimeCell::new(summary.last_time, summary.last_stored_time.as_deref()),
        reported: end - start,
        reported_from: version_at(start + 1),
        from_version: version_at((start + 1).min(end)),
        to_version: version_at(end),
        events: rows,
        state_from: pretty(&state_a),
        state_to: pretty(&state_b),
        changes,
        patch: pretty(&json_patch(&state_a, &state_b)),
        findings: findings
            .iter()
            .filter(|f| f.stream.as_deref() == Some(id.as_str()))
            .map(FindingRow::new)
            .collect(),
        chart: super::chart::chart_shown(request, id, stream_type, events)?,
    })
}
