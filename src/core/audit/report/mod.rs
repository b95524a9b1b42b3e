//! The audit report: one self-contained HTML file (inline CSS, no scripts, no external resources) that
//! records what was analysed and what was found, so it can be archived next to the evidence.
//!
//! It records the store file's path, size and SHA-256 (when it was opened and again when the report was
//! written, with a loud red banner when they differ), that the file was opened read-only, the layout and
//! mapping, the reducers (file, SHA-256 and text), the analysis time, the stream(s) with their first and last
//! event times and version range, the events with their decoded payloads, the states at the range ends with
//! the diff and RFC 6902 patch between them, and the integrity findings for those streams and for the whole
//! store. A stored time that cannot be read is shown as stored and said to be unreadable, never left blank.
//!
//! Everything but the analysis time is deterministic (mappings and states are written in their stored
//! order, findings in the order `verify` reports them), so re-running the report on the same inputs gives
//! the same bytes apart from the `<time id="analysis-time">` element. Every piece of text from the store is
//! HTML-escaped.
//!
//! No PDF: the Rust PDF crates would need a layout engine of our own for tables and long JSON; printing the
//! HTML to PDF from a browser gives a better result.

use std::fmt::Write as _;
use std::io::{Read as _, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use crate::core::audit::verify::{Finding, VerifyError, VerifyOptions, verify_all};
use crate::core::decode::format_time;
use crate::core::model::{Event, count_through_version, effective_version};
use crate::core::replay::diff::diff;
use crate::core::replay::query::json_patch;
use crate::core::replay::{Reducer, ReplayError, replay};
use crate::core::store::{Store, StoreError};

/// The SHA-256 of a file, as lowercase hex, read in blocks.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(buffer.get(..n).unwrap_or_default());
    }
    Ok(hex(&hasher.finalize()))
}

/// The SHA-256 of some bytes, as lowercase hex.
/// A digest as lowercase hex.
pub fn sha256_hex(digest: &[u8]) -> String {
    hex(digest)
}

pub fn sha256_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The reducer file in force, as the report records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReducersFile {
    pub path: String,
    pub text: String,
}

/// What to report on.
pub struct ReportRequest<'a> {
    pub store: &'a Store,
    /// The SHA-256 of the file taken when the store was opened (see [`sha256_file`]).
    pub sha256_at_open: String,
    /// The streams, in the order to report them.
    pub streams: Vec<String>,
    /// First version of the range (default: the first event).
    pub from: Option<i64>,
    /// Last version of the range (default: the last event).
    pub to: Option<i64>,
    pub reducer: &'a dyn Reducer,
    /// The reducer file, `None` for the default deep merge.
    pub reducers: Option<ReducersFile>,
    pub analysis_time: DateTime<Utc>,
    /// State fields (JSON Pointers) to chart over each stream, inline as SVG.
    pub charts: Vec<String>,
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Verify(#[from] VerifyError),
    #[error(transparent)]
    Replay(#[from] ReplayError),
    #[error(transparent)]
    Plot(#[from] crate::core::plot::PlotError),
    #[error("stream {stream} has no version {version} (its versions run from {first} to {last})")]
    NoVersion {
        stream: String,
        version: i64,
        first: i64,
        last: i64,
    },
    #[error("the range is empty: --from {from} is after --to {to}")]
    EmptyRange { from: i64, to: i64 },
    #[error("cannot hash {path}: {source}")]
    Hash {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write the report: {0}")]
    Write(#[from] std::io::Error),
}

impl ReportError {
    /// The jq budget limit the reducer went past, if that is why the report could not be written.
    pub fn limit(&self) -> Option<crate::core::replay::jq::Limit> {
        match self {
            Self::Replay(err) => err.limit(),
            _ => None,
        }
    }
}

/// What the report found about the file itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportOutcome {
    pub sha256_at_open: String,
    pub sha256_at_write: String,
    pub findings: usize,
    /// SQLite's quick_check of the file, which the report states (`None`: it could not run).
    pub integrity: Option<crate::core::store::Integrity>,
}

impl ReportOutcome {
    pub fn unchanged(&self) -> bool {
        self.sha256_at_open == self.sha256_at_write
    }
}

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:78em;padding:0 1em;color:#1d1d1f}\
h1{font-size:1.7em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}\
table{border-collapse:collapse;width:100%;margin:.6em 0}th,td{border:1px solid #ddd;padding:.25em .5em;vertical-align:top;text-align:left}\
th{background:#f4f4f6}pre{margin:0;white-space:pre-wrap;word-break:break-all;font:12px/1.35 ui-monospace,monospace}\
.ok{background:#e7f6ea;border:1px solid #7cc48a;padding:.8em 1em}\
.alarm{background:#b00020;color:#fff;font-size:1.3em;font-weight:bold;padding:1em;border:4px solid #600}\
.error{color:#b00020;font-weight:bold}.warning{color:#a35f00;font-weight:bold}.info{color:#2f5e9e}\
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}dd{margin:0}";

/// Escape text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn pretty(value: &Value) -> String {
    escape(&serde_json::to_string_pretty(value).unwrap_or_default())
}

/// Write the report to `out`. The file is hashed again after everything was read, just before writing.
pub fn write_report(
    request: &ReportRequest<'_>,
    out: &mut dyn Write,
) -> Result<ReportOutcome, ReportError> {
    let store = request.store;
    if let (Some(from), Some(to)) = (request.from, request.to)
        && from > to
    {
        return Err(ReportError::EmptyRange { from, to });
    }
    let (findings, _) = verify_all(store, &VerifyOptions::new(Some(request.reducer)))?;
    let mut body = String::new();
    let mut listed = std::collections::BTreeSet::new();
    for id in &request.streams {
        let summary = store.stream(id)?;
        listed.insert(summary.id.clone());
        let events = store.events(id)?;
        stream_section(&mut body, request, &summary, &events, &findings)?;
    }
    let store_wide: Vec<&Finding> = findings.iter().filter(|f| f.stream.is_none()).collect();
    let _ = write!(body, "<h2>Store-wide findings</h2>");
    findings_table(&mut body, &store_wide);

    let path = store.path();
    let sha256_at_write = store.content_digest()?;
    let rows = store.is_postgres();
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
    let absolute = if rows {
        path.to_owned()
    } else {
        std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
    };
    let mut head = String::new();
    let _ = write!(
        head,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Eventscope audit report: {}</title>\
         <style>{STYLE}</style></head><body>\n<h1>Eventscope audit report</h1>\n",
        escape(&absolute.display().to_string())
    );
    if rows {
        let _ = writeln!(
            head,
            "<p class=\"{}\">{}</p>",
            if outcome.unchanged() { "ok" } else { "alarm" },
            if outcome.unchanged() {
                "The PostgreSQL store was read in a read-only session, every read a READ ONLY transaction \
                 rolled back, and its event rows did not change during the analysis: their SHA-256 when this \
                 report was written is the same as when it started."
            } else {
                "WARNING: THE STORE'S EVENT ROWS CHANGED DURING THE ANALYSIS (their SHA-256 differs between \
                 its start and the writing of this report). Eventscope only reads, so another client wrote \
                 to the database: this report may not describe any single state of the store."
            }
        );
    } else if outcome.unchanged() {
        let _ = writeln!(
            head,
            "<p class=\"ok\">The store file was opened read-only (SQLite <code>SQLITE_OPEN_READONLY</code> with \
             <code>query_only</code>) and was not changed: its SHA-256 when this report was written is the same \
             as when it was opened.</p>"
        );
    } else {
        let _ = writeln!(
            head,
            "<p class=\"alarm\">WARNING: THE STORE FILE CHANGED DURING THE ANALYSIS. Its SHA-256 when this report \
             was written ({}) differs from its SHA-256 when it was opened ({}). Eventscope opened it read-only, so \
             another program wrote to it: this report may not describe any single state of the file.</p>",
            escape(&outcome.sha256_at_write),
            escape(&outcome.sha256_at_open)
        );
    }
    if let Some(damaged @ crate::core::store::Integrity::Damaged { .. }) = &outcome.integrity {
        let _ = writeln!(
            head,
            "<p class=\"alarm\">WARNING: THE STORE FILE IS DAMAGED. {}</p>",
            escape(&damaged.summary())
        );
    }
    let integrity = match (&outcome.integrity, &integrity_error) {
        (Some(verdict), _) => verdict.summary(),
        (None, Some(err)) => format!("not checked: {err}"),
        (None, None) => "not checked".to_owned(),
    };
    let info = store.info();
    if let Some(server) = &info.server {
        let _ = writeln!(
            head,
            "<h2>Server</h2><dl><dt>Store</dt><dd>{path}</dd><dt>Database</dt><dd>{database}</dd>\
             <dt>Role</dt><dd>{role}{could}</dd><dt>Server</dt><dd>PostgreSQL {version}{tls}</dd>\
             <dt>SHA-256 of the event rows when the analysis started</dt><dd><code id=\"sha256-open\">{open}</code></dd>\
             <dt>SHA-256 of the event rows when written</dt><dd><code id=\"sha256-write\">{write}</code></dd>\
             <dt>Opened</dt><dd>read-only session (default_transaction_read_only), READ ONLY transactions</dd>\
             <dt>Analysis time</dt><dd><time id=\"analysis-time\">{time}</time></dd>\
             <dt>Eventscope</dt><dd>{eventscope}</dd></dl>",
            path = escape(&path.display().to_string()),
            database = escape(&server.database),
            role = escape(&server.role),
            could = if server.could_write {
                " (this role could write to the database; Eventscope did not)"
            } else {
                " (this role cannot write to the database)"
            },
            version = escape(&server.server_version),
            tls = if server.tls {
                ", encrypted connection"
            } else {
                ", unencrypted connection"
            },
            open = escape(&outcome.sha256_at_open),
            write = escape(&outcome.sha256_at_write),
            time = format_time(&request.analysis_time),
            eventscope = env!("CARGO_PKG_VERSION"),
        );
    } else {
        let _ = writeln!(
            head,
            "<h2>File</h2><dl><dt>Path</dt><dd>{path}</dd><dt>Size</dt><dd>{size} bytes</dd>\
         <dt>SHA-256 when opened</dt><dd><code id=\"sha256-open\">{open}</code></dd>\
         <dt>SHA-256 when written</dt><dd><code id=\"sha256-write\">{write}</code></dd>\
         <dt>Integrity</dt><dd id=\"integrity\">{integrity}</dd>\
         <dt>Opened</dt><dd>read-only, journal mode {journal}{immutable}</dd>\
         <dt>Analysis time</dt><dd><time id=\"analysis-time\">{time}</time></dd>\
         <dt>Eventscope</dt><dd>{version}</dd></dl>",
            path = escape(&absolute.display().to_string()),
            size = info.size_bytes,
            open = escape(&outcome.sha256_at_open),
            write = escape(&outcome.sha256_at_write),
            journal = info.journal_mode,
            integrity = escape(&integrity),
            immutable = if info.immutable {
                ", immutable"
            } else if info.wal_index_in_memory {
                ", WAL index in memory (no -shm beside it)"
            } else {
                ""
            },
            time = format_time(&request.analysis_time),
            version = env!("CARGO_PKG_VERSION"),
        );
    }
    let mappings = serde_json::to_value(store.mappings()).unwrap_or(Value::Null);
    let layouts: Vec<&str> = store.mappings().iter().map(|m| m.layout.as_str()).collect();
    let _ = write!(
        head,
        "<h2>Layout and mapping</h2><p>Layout: {}</p><pre>{}</pre>\n<h2>Reducers</h2>",
        escape(&layouts.join(", ")),
        pretty(&mappings)
    );
    match &request.reducers {
        Some(file) => {
            let _ = writeln!(
                head,
                "<dl><dt>File</dt><dd>{}</dd><dt>SHA-256</dt><dd><code>{}</code></dd></dl><pre>{}</pre>",
                escape(&file.path),
                sha256_bytes(file.text.as_bytes()),
                escape(&file.text)
            );
        }
        None => {
            head.push_str(
                "<p>None: the default replay, which deep-merges each event's data into the state.</p>\n",
            );
        }
    }
    let range = match (request.from, request.to) {
        (None, None) => "every event".to_owned(),
        (from, to) => format!(
            "versions {} to {}",
            from.map_or_else(|| "the first".to_owned(), |v| v.to_string()),
            to.map_or_else(|| "the last".to_owned(), |v| v.to_string())
        ),
    };
    let _ = writeln!(
        head,
        "<h2>Scope</h2><p>Streams: {}; range: {}.</p>",
        escape(&request.streams.join(", ")),
        escape(&range)
    );
    out.write_all(head.as_bytes())?;
    out.write_all(body.as_bytes())?;
    out.write_all(b"</body></html>\n")?;
    out.flush()?;
    Ok(outcome)
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
    body: &mut String,
    request: &ReportRequest<'_>,
    summary: &crate::core::model::StreamSummary,
    events: &[Event],
    findings: &[Finding],
) -> Result<(), ReportError> {
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
    let _ = writeln!(
        body,
        "<h2>Stream {}</h2><dl><dt>Type</dt><dd>{}</dd><dt>Events in the stream</dt><dd>{}</dd>\
         <dt>First event's time</dt><dd>{}</dd><dt>Last event's time</dt><dd>{}</dd>\
         <dt>Reported</dt><dd>{} events, versions {} to {}</dd></dl>",
        escape(id),
        escape(stream_type.unwrap_or("-")),
        summary.events,
        time_html(summary.first_time, summary.first_stored_time.as_deref())
            .unwrap_or_else(|| "-".to_owned()),
        time_html(summary.last_time, summary.last_stored_time.as_deref())
            .unwrap_or_else(|| "-".to_owned()),
        end - start,
        escape(&version_at(start + 1)),
        escape(&version_at(end)),
    );
    let _ = writeln!(
        body,
        "<h3>Events</h3><table><tr><th>Position</th><th>Version</th><th>Time</th><th>Type</th><th>Data</th>\
         <th>Metadata</th></tr>"
    );
    for (index, event) in events.iter().enumerate().take(end).skip(start) {
        let _ = writeln!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><pre>{}</pre></td><td><pre>{}</pre></td></tr>",
            event.position,
            effective_version(event, index),
            time_html(event.time, event.stored_time.as_deref()).unwrap_or_default(),
            escape(&event.event_type),
            pretty(&event.data.to_json()),
            event
                .metadata
                .as_ref()
                .map(|m| pretty(&m.to_json()))
                .unwrap_or_default(),
        );
    }
    body.push_str("</table>\n");
    let _ = write!(
        body,
        "<h3>State at version {}</h3><pre>{}</pre>\n<h3>State at version {}</h3><pre>{}</pre>\n\
         <h3>Changes from version {} to version {}</h3><table><tr><th>Op</th><th>Path</th><th>Old</th><th>New</th></tr>\n",
        escape(&version_at((start + 1).min(end))),
        pretty(&state_a),
        escape(&version_at(end)),
        pretty(&state_b),
        escape(&version_at((start + 1).min(end))),
        escape(&version_at(end)),
    );
    for change in diff(&state_a, &state_b) {
        let cell = |v: &Option<Value>| v.as_ref().map(pretty).unwrap_or_default();
        let op = serde_json::to_value(change.op).unwrap_or(Value::Null);
        let _ = writeln!(
            body,
            "<tr><td>{}</td><td><code>{}</code></td><td><pre>{}</pre></td><td><pre>{}</pre></td></tr>",
            escape(op.as_str().unwrap_or("")),
            escape(&change.path),
            cell(&change.old),
            cell(&change.new)
        );
    }
    let _ = write!(
        body,
        "</table><h4>RFC 6902 patch</h4><pre>{}</pre>\n<h3>Findings for this stream</h3>",
        pretty(&json_patch(&state_a, &state_b))
    );
    let mine: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.stream.as_deref() == Some(id.as_str()))
        .collect();
    findings_table(body, &mine);
    chart::chart_section(body, request, id, stream_type, events)
}

/// A time as the report shows it: RFC 3339, or a stored value that is not a readable time, said to be
/// unreadable before it is shown (escaped), so it is never taken for a time; `None` when there is no time.
fn time_html(time: Option<DateTime<Utc>>, stored: Option<&str>) -> Option<String> {
    match (time, stored) {
        (Some(time), _) => Some(format_time(&time)),
        (None, Some(stored)) => Some(format!(
            "<span class=\"warning\">unreadable</span>, stored as <code class=\"stored-time\">{}</code>",
            escape(stored)
        )),
        (None, None) => None,
    }
}

fn findings_table(body: &mut String, findings: &[&Finding]) {
    if findings.is_empty() {
        body.push_str("<p>None.</p>\n");
        return;
    }
    body.push_str(
        "<table><tr><th>Severity</th><th>Kind</th><th>Stream</th><th>Versions</th><th>Positions</th><th>Message</th></tr>\n",
    );
    let ints = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    for f in findings {
        let _ = writeln!(
            body,
            "<tr><td class=\"{sev}\">{sev}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            f.kind.as_str(),
            escape(f.stream.as_deref().unwrap_or("")),
            ints(&f.versions),
            ints(&f.positions),
            escape(&f.message),
            sev = f.severity.as_str(),
        );
    }
    body.push_str("</table>\n");
}

mod chart;
#[cfg(test)]
mod tests;
