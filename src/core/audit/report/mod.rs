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
//!
//! The work is split in two: [`model`] reads the store into plain data, [`render`] turns that data into HTML
//! through askama templates (`templates/report/`).

mod chart;
mod model;
pub mod render;

use std::fmt::Write as _;
use std::io::{Read as _, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use sha2::{Digest as _, Sha256};

use crate::core::audit::verify::VerifyError;
use crate::core::replay::{Reducer, ReplayError};
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

/// A digest as lowercase hex.
pub fn sha256_hex(digest: &[u8]) -> String {
    hex(digest)
}

/// The SHA-256 of some bytes, as lowercase hex.
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
    #[error("cannot render the report: {0}")]
    Render(#[from] askama::Error),
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

pub use render::escape;

/// Write the report to `out`. The file is hashed again after everything was read, just before writing.
pub fn write_report(
    request: &ReportRequest<'_>,
    out: &mut dyn Write,
) -> Result<ReportOutcome, ReportError> {
    write_report_with_progress(request, out, &mut |_| {})
}

/// How far a report has got, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportProgress {
    /// Checking the whole store for findings, as `verify` does: rows of a pass.
    Verify(crate::core::audit::verify::Progress),
    /// `done` of `total` streams read and replayed.
    Streams { done: u64, total: u64 },
}

/// [`write_report`], telling `progress` how far it has got: the store-wide check first, then each stream.
pub fn write_report_with_progress(
    request: &ReportRequest<'_>,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(ReportProgress),
) -> Result<ReportOutcome, ReportError> {
    let (data, outcome) = model::gather(request, progress)?;
    let html = render::render(&data)?;
    out.write_all(html.as_bytes())?;
    out.flush()?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::replay::DeepMerge;
    use crate::core::testing::sample;

    /// A request for `streams` of `store`, replayed by the deep merge, over every event, charting nothing.
    fn request<'a>(store: &'a Store, streams: &[&str]) -> ReportRequest<'a> {
        ReportRequest {
            store,
            sha256_at_open: store.content_digest().unwrap(),
            streams: streams.iter().map(|s| (*s).to_owned()).collect(),
            from: None,
            to: None,
            reducer: &DeepMerge,
            reducers: None,
            analysis_time: Utc::now(),
            charts: Vec::new(),
        }
    }

    #[test]
    fn text_is_escaped_for_html() {
        assert_eq!(
            escape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
    }

    #[test]
    fn a_file_that_changed_gets_a_loud_banner() {
        let store = sample("faults.sqlite");
        let request = ReportRequest {
            sha256_at_open: "0".repeat(64),
            ..request(&store, &["order-7"])
        };
        let mut out = Vec::new();
        let outcome = write_report(&request, &mut out).unwrap();
        assert!(!outcome.unchanged());
        let html = String::from_utf8(out).unwrap();
        assert!(html.contains("class=\"alarm\"") && html.contains("CHANGED"));
        assert!(!html.contains("class=\"ok\""));
        assert!(
            html.contains("{sku: H, qty: 1"),
            "the undecodable payload is shown, escaped"
        );
    }

    #[test]
    fn progress_goes_through_the_check_then_counts_streams() {
        let store = sample("shop.sqlite");
        let request = request(
            &store,
            &[
                "0058a727-7a08-44d6-80fb-80a2c850be7f",
                "08b50936-3fe2-437a-8ca1-316f6a8399fb",
            ],
        );
        let mut seen = Vec::new();
        write_report_with_progress(&request, &mut Vec::new(), &mut |p| seen.push(p)).unwrap();
        let first_stream = seen
            .iter()
            .position(|p| matches!(p, ReportProgress::Streams { .. }))
            .unwrap();
        assert!(first_stream > 0, "the store-wide check reports first");
        assert!(
            seen.iter()
                .take(first_stream)
                .all(|p| matches!(p, ReportProgress::Verify(_)))
        );
        assert_eq!(
            seen.get(first_stream..),
            Some(
                &[
                    ReportProgress::Streams { done: 1, total: 2 },
                    ReportProgress::Streams { done: 2, total: 2 },
                ][..]
            )
        );
    }

    #[test]
    fn charted_fields_are_drawn_inline_and_a_field_with_no_number_is_named() {
        let store = sample("faults.sqlite");
        let request = ReportRequest {
            charts: vec!["/total".to_owned(), "/status".to_owned()],
            ..request(&store, &["order-7"])
        };
        let mut out = Vec::new();
        write_report(&request, &mut out).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(html.contains("<h3>Chart of /total, /status after every event</h3>"));
        let svg = &html[html
            .find("<div class=\"chart\"><svg")
            .expect("an inline SVG")..];
        assert!(svg.contains("order-7") && svg.contains("/total"));
        assert!(
            html.contains("<p>/status is never a number in stream order-7"),
            "{html}"
        );
    }
}
