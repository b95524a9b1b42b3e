//! Exports for other tools: a stream's events as CSV or JSON Lines (decoded payloads, undecodable ones as
//! their `$undecodable` description), a state as JSON, the RFC 6902 patch between two states, findings as
//! JSON or CSV. Every writer takes `&mut dyn Write` and writes as it goes; the events exporter reads the
//! stream page by page, so a stream of any length never sits in memory.
//!
//! CSV follows RFC 4180: a header row, fields separated by commas, a field quoted when it holds a comma, a
//! quote, a CR or an LF, quotes doubled, rows ended by CRLF. JSON columns hold compact JSON text. The `time`
//! column holds only times that were read (RFC 3339, UTC); a stored time that could not be read leaves it
//! empty and is written as stored in `stored_time`, so a tool reading `time` never meets a value that is not
//! a time and an auditor still sees what the store holds.

use std::io::Write;

use serde_json::Value;

use crate::core::audit::verify::Finding;
use crate::core::decode::format_time;
use crate::core::model::{Event, Payload};
use crate::core::replay::query::json_patch;
use crate::core::store::{PAGE_SIZE, PageCursor, Store, StoreError};

/// The columns of an events CSV (`stored_time` is filled only when the stored time could not be read).
pub const EVENTS_CSV_HEADER: [&str; 8] = [
    "stream",
    "position",
    "version",
    "time",
    "stored_time",
    "type",
    "data",
    "metadata",
];

/// The columns of a findings CSV (`versions` and `positions` are space-separated integers).
pub const FINDINGS_CSV_HEADER: [&str; 6] = [
    "kind",
    "severity",
    "stream",
    "versions",
    "positions",
    "message",
];

/// How to write events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventFormat {
    Csv,
    JsonLines,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the export: {0}")]
    Write(#[from] std::io::Error),
}

/// A CSV writer over `out` in the layout above (the `csv` crate quotes a field only when it must, and
/// doubles quotes). It buffers: flush it before `out` is used again.
pub fn csv_writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

/// A CSV writer's error as the I/O error it wraps, so a reader that went away stays a `BrokenPipe`
/// (the `csv` crate's own conversion makes every error `Other`).
pub fn csv_io_error(err: csv::Error) -> std::io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(err) => err,
        other => std::io::Error::new(std::io::ErrorKind::InvalidData, format!("CSV: {other:?}")),
    }
}

/// Write one CSV row.
pub fn write_csv_row<S: AsRef<str>>(out: &mut dyn Write, fields: &[S]) -> std::io::Result<()> {
    let mut csv = csv_writer(out);
    csv.write_record(fields.iter().map(AsRef::as_ref))
        .map_err(csv_io_error)?;
    csv.flush()
}

/// The CSV fields of one event, in [`EVENTS_CSV_HEADER`] order.
pub fn event_csv_fields(event: &Event) -> [String; 8] {
    [
        event.stream.clone(),
        event.position.to_string(),
        event.version.map(|v| v.to_string()).unwrap_or_default(),
        event.time.map(|t| format_time(&t)).unwrap_or_default(),
        event.stored_time.clone().unwrap_or_default(),
        event.event_type.clone(),
        event.data.to_json().to_string(),
        event
            .metadata
            .as_ref()
            .map(|m| Payload::to_json(m).to_string())
            .unwrap_or_default(),
    ]
}

/// Write every event of `stream` in stream order (CSV with its header); returns how many were written.
/// `progress(written, total)` returns false to stop after the current page.
pub fn export_events(
    store: &Store,
    stream: &str,
    format: EventFormat,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<u64, ExportError> {
    let total = store.stream(stream)?.events;
    let mut sink = match format {
        EventFormat::Csv => {
            let mut csv = csv_writer(out);
            csv.write_record(EVENTS_CSV_HEADER).map_err(csv_io_error)?;
            EventSink::Csv(Box::new(csv))
        }
        EventFormat::JsonLines => EventSink::Lines(out),
    };
    let mut cursor = None;
    let mut written = 0u64;
    loop {
        let page = store.events_page(stream, cursor, PAGE_SIZE)?;
        let Some(last) = page.last() else { break };
        cursor = Some(PageCursor::after(last));
        for event in &page {
            sink.write(event)?;
            written += 1;
        }
        if page.len() < PAGE_SIZE || !progress(written, total) {
            break;
        }
    }
    sink.flush()?;
    Ok(written)
}

/// Where [`export_events`] writes each event.
enum EventSink<'a> {
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
    Lines(&'a mut dyn Write),
}

impl EventSink<'_> {
    fn write(&mut self, event: &Event) -> std::io::Result<()> {
        match self {
            Self::Csv(csv) => csv
                .write_record(event_csv_fields(event))
                .map_err(csv_io_error),
            Self::Lines(out) => {
                serde_json::to_writer(&mut **out, &event)?;
                out.write_all(b"\n")
            }
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Self::Csv(csv) => csv.flush(),
            Self::Lines(out) => out.flush(),
        }
    }
}

/// A state as pretty JSON with a final newline.
pub fn write_json(out: &mut dyn Write, value: &Value) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// The RFC 6902 JSON Patch turning `from` into `to`, as pretty JSON.
pub fn write_patch(out: &mut dyn Write, from: &Value, to: &Value) -> std::io::Result<()> {
    write_json(out, &json_patch(from, to))
}

/// Findings as a pretty JSON array.
pub fn write_findings_json(out: &mut dyn Write, findings: &[Finding]) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, findings)?;
    out.write_all(b"\n")
}

/// Findings as CSV with [`FINDINGS_CSV_HEADER`].
pub fn write_findings_csv(out: &mut dyn Write, findings: &[Finding]) -> std::io::Result<()> {
    let mut csv = csv_writer(out);
    csv.write_record(FINDINGS_CSV_HEADER)
        .map_err(csv_io_error)?;
    let ints = |values: &[i64]| {
        values
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    };
    for f in findings {
        csv.write_record([
            f.kind.as_str(),
            f.severity.as_str(),
            f.stream.as_deref().unwrap_or_default(),
            &ints(&f.versions),
            &ints(&f.positions),
            &f.message,
        ])
        .map_err(csv_io_error)?;
    }
    csv.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_quotes_and_newlines_are_quoted() {
        let row = |fields: &[&str]| {
            let mut out = Vec::new();
            write_csv_row(&mut out, fields).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(row(&["plain", ""]), "plain,\r\n");
        assert_eq!(row(&["a,b"]), "\"a,b\"\r\n");
        assert_eq!(row(&["say \"hi\""]), "\"say \"\"hi\"\"\"\r\n");
        assert_eq!(row(&["two\nlines", "cr\r"]), "\"two\nlines\",\"cr\r\"\r\n");
        let mut out = Vec::new();
        write_csv_row(&mut out, &["x", "{\"a\":1,\"b\":2}"]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "x,\"{\"\"a\"\":1,\"\"b\"\":2}\"\r\n"
        );
    }
}
