//! The audit subcommands (`verify`, `search`, `export`, `report`): thin wrappers that open the store, call
//! the core module and write its answer, kept apart from `cli.rs` so the rest of the command line stays
//! small.

use std::io::Write;

use anyhow::{Context as _, bail};
use chrono::{DateTime, Utc};
use serde_json::json;

use clap::{Subcommand, ValueEnum};

use super::formats::{EVENT_COLUMNS, FINDING_COLUMNS, Format, FormatArgs, Rows, Shape};
use super::progress::Progress;
use super::{ReplayArgs, StoreArgs, VerifyArgs};
use crate::core::audit::export::{
    EventFormat, export_events, write_findings_csv, write_findings_json, write_json, write_patch,
};
use crate::core::audit::output::{check_output, write_output, write_output_bytes};
use crate::core::audit::search::{CompiledQuery, SearchQuery, search};
use crate::core::audit::verify::{Finding, Phase, Severity, VerifyOptions, verify};
use crate::core::decode::format_time;
use crate::core::replay::jq::Budget;
use crate::core::replay::walk::{self, Upto};

/// `eventscope verify`: findings as JSON (`--json`) or one line each.
pub(super) fn verify_command(
    store_args: &StoreArgs,
    replay: &ReplayArgs,
    args: &VerifyArgs,
    output: &FormatArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let store = store_args.open()?;
    let reducer = replay
        .reducers
        .is_some()
        .then(|| replay.reducer(&store))
        .transpose()?;
    let options = VerifyOptions {
        max_per_kind: args.max_per_kind,
        ..VerifyOptions::new(reducer.as_deref())
    };
    let mut findings = Vec::new();
    let mut bar = Progress::new("verify", "rows", Some(0));
    let summary = verify(
        &store,
        &options,
        &mut |progress| {
            bar.set_unit(phase_unit(progress.phase));
            bar.phase(phase_name(progress.phase));
            bar.set(progress.done, progress.total);
            true
        },
        &mut |f| findings.push(f),
    )?;
    drop(bar);
    let shape = output.shape(store_args.json);
    if let Shape::Rows(format) = shape {
        // A person reading a table is told first what was checked; scripts get only the rows.
        if format == Format::Table {
            writeln!(out, "{}", summary_line(&store, &summary))?;
        }
        let mut rows = Rows::new(out, format, output, FINDING_COLUMNS)?;
        for finding in &findings {
            rows.push(finding)?;
        }
        rows.finish()?;
    } else if shape == Shape::Json {
        let value = json!({
            "file": store.path(),
            "summary": summary,
            "findings": findings,
        });
        serde_json::to_writer_pretty(&mut *out, &value)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}", summary_line(&store, &summary))?;
        for finding in &findings {
            writeln!(out, "{}", finding_line(finding))?;
        }
    }
    out.flush()?;
    if let Some(threshold) = args.fail_on.as_deref() {
        let threshold = match threshold {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            _ => Severity::Info,
        };
        let failing = findings.iter().filter(|f| f.severity <= threshold).count();
        if failing > 0 {
            bail!(
                "{}: {failing} findings of severity {} or worse",
                store.path().display(),
                threshold.as_str()
            );
        }
    }
    Ok(())
}

/// What `verify` covered, as the line above its findings.
fn summary_line(
    store: &crate::core::store::Store,
    summary: &crate::core::audit::verify::VerifySummary,
) -> String {
    format!(
        "{}: {} events in {} streams, {} {}",
        store.path().display(),
        summary.events,
        summary.streams,
        summary.findings,
        if summary.findings == 1 {
            "finding"
        } else {
            "findings"
        }
    )
}

/// One finding as a line of text: severity, kind, stream, versions, positions, message.
pub(crate) fn finding_line(finding: &Finding) -> String {
    let list = |values: &[i64]| {
        values
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut line = format!(
        "{:<7} {:<19}",
        finding.severity.as_str(),
        finding.kind.as_str()
    );
    if let Some(stream) = &finding.stream {
        line.push_str(&format!(" stream {stream}"));
    }
    if !finding.versions.is_empty() {
        line.push_str(&format!(" v{}", list(&finding.versions)));
    }
    if !finding.positions.is_empty() {
        line.push_str(&format!(" @{}", list(&finding.positions)));
    }
    line.push_str(": ");
    line.push_str(&finding.message);
    line
}

/// An instant given on the command line.
pub(super) fn parse_instant(text: &str) -> anyhow::Result<DateTime<Utc>> {
    crate::core::decode::parse_time_text(text).with_context(|| {
        format!("{text:?} is not a time (use RFC 3339, e.g. 2024-03-14T14:34:00Z)")
    })
}

/// `eventscope search`: hits as a JSON array of events (`--json`, written as found) or one line each.
pub(super) fn search_command(
    store_args: &StoreArgs,
    output: &FormatArgs,
    budget: Budget,
    query: SearchQuery,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let store = store_args.open()?;
    let query = CompiledQuery::new(query)?.with_budget(budget);
    let shape = output.shape(store_args.json);
    if let Shape::Rows(format) = shape {
        return search_rows(
            &store,
            &query,
            Rows::new(out, format, output, EVENT_COLUMNS)?,
        );
    }
    let json = shape == Shape::Json;
    let bar = Progress::new("search", "events", Some(0));
    // A write error (the reader went away) stops the scan at the next progress call.
    let stop = std::cell::Cell::new(false);
    let mut write_error: Option<std::io::Error> = None;
    let mut first = true;
    if json {
        write!(out, "[")?;
    }
    let summary = search(
        &store,
        &query,
        &mut |progress| {
            bar.set(progress.scanned, progress.total);
            !stop.get()
        },
        &mut |hit| {
            if stop.get() {
                return;
            }
            let written = if json {
                let sep = if first { "" } else { "," };
                write!(out, "{sep}\n  ").and_then(|()| {
                    serde_json::to_writer(&mut *out, &hit.event).map_err(std::io::Error::from)
                })
            } else {
                writeln!(
                    out,
                    "{:>8}  {}  v{}  {}  {}",
                    hit.position,
                    hit.stream,
                    hit.version,
                    hit.event_type,
                    hit.time.map(|t| format_time(&t)).unwrap_or_default()
                )
            };
            first = false;
            if let Err(err) = written {
                write_error = Some(err);
                stop.set(true);
            }
        },
    )?;
    drop(bar);
    if let Some(err) = write_error {
        return Err(err.into());
    }
    if json {
        writeln!(out, "{}]", if first { "" } else { "\n" })?;
    } else {
        writeln!(
            out,
            "{} {} in {} events",
            summary.hits,
            if summary.hits == 1 { "hit" } else { "hits" },
            summary.scanned
        )?;
    }
    warn_of_predicate_errors(&summary);
    Ok(())
}

/// `search --format jsonl|csv|table`: the hits as rows (a table once the scan ends).
fn search_rows(
    store: &crate::core::store::Store,
    query: &CompiledQuery,
    mut rows: Rows<'_>,
) -> anyhow::Result<()> {
    let bar = Progress::new("search", "events", Some(0));
    // A write error (the reader went away) stops the scan at the next progress call.
    let mut write_error: Option<anyhow::Error> = None;
    let stopped = std::cell::Cell::new(false);
    let summary = search(
        store,
        query,
        &mut |progress| {
            bar.set(progress.scanned, progress.total);
            !stopped.get()
        },
        &mut |hit| {
            if write_error.is_none()
                && let Err(err) = rows.push(&hit.event)
            {
                write_error = Some(err);
                stopped.set(true);
            }
        },
    )?;
    drop(bar);
    if let Some(err) = write_error {
        return Err(err);
    }
    rows.finish()?;
    warn_of_predicate_errors(&summary);
    Ok(())
}

/// The warning, on stderr, that the predicate failed on some events.
fn warn_of_predicate_errors(summary: &crate::core::audit::search::SearchSummary) {
    if let Some(error) = &summary.first_error {
        eprintln!(
            "eventscope: warning: the predicate failed on {} events (they do not match); first: {error}",
            summary.predicate_errors
        );
    }
}

/// The name of a `verify` pass on its progress bar.
fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::Positions => "verify: positions",
        Phase::Events => "verify: events",
        Phase::Tables => "verify: tables",
    }
}

/// What a `verify` pass counts on its progress bar: rows, or the one step of the table checks.
fn phase_unit(phase: Phase) -> &'static str {
    match phase {
        Phase::Positions | Phase::Events => "rows",
        Phase::Tables => "steps",
    }
}

/// What `eventscope export` writes.
#[derive(Debug, Subcommand)]
pub enum Export {
    /// A stream's events with their decoded payloads, in stream order.
    Events {
        #[command(flatten)]
        store: StoreArgs,
        stream: String,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: EventsFormat,
    },
    /// The replayed state of a stream (after its last event, or at --at).
    State {
        #[command(flatten)]
        store: StoreArgs,
        stream: String,
        /// The version to replay up to (0 = before the first event).
        #[arg(long)]
        at: Option<i64>,
        #[command(flatten)]
        replay: ReplayArgs,
    },
    /// The RFC 6902 JSON Patch that turns the state at version FROM into the state at version TO.
    Diff {
        #[command(flatten)]
        store: StoreArgs,
        stream: String,
        from: i64,
        to: i64,
        #[command(flatten)]
        replay: ReplayArgs,
    },
    /// The store's integrity findings (see `verify`).
    Findings {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, value_enum, default_value = "json")]
        format: FindingsFormat,
        #[command(flatten)]
        replay: ReplayArgs,
        #[command(flatten)]
        verify: VerifyArgs,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum EventsFormat {
    Csv,
    Jsonl,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FindingsFormat {
    Json,
    Csv,
}

impl Export {
    /// The store every kind of export reads (outputs may never be written over it).
    pub(crate) fn store(&self) -> &StoreArgs {
        match self {
            Self::Events { store, .. }
            | Self::State { store, .. }
            | Self::Diff { store, .. }
            | Self::Findings { store, .. } => store,
        }
    }
}

/// `eventscope export ...`, to `output` (renamed into place only once complete) or `out`.
pub(super) fn export_command(
    what: &Export,
    output: Option<&std::path::Path>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match output {
        Some(path) => write_output(path, &what.store().file, |file| export_to(what, file)),
        None => export_to(what, out),
    }
}

/// Write the export `what` asks for to `out`.
fn export_to(what: &Export, out: &mut dyn Write) -> anyhow::Result<()> {
    match what {
        Export::Events {
            store,
            stream,
            format,
        } => {
            let format = match format {
                EventsFormat::Csv => EventFormat::Csv,
                EventsFormat::Jsonl => EventFormat::JsonLines,
            };
            let bar = Progress::new("export", "events", Some(0));
            export_events(
                &store.open()?,
                stream,
                format,
                out,
                &mut |written, total| {
                    bar.set(written, total);
                    true
                },
            )?;
        }
        Export::State {
            store,
            stream,
            at,
            replay: args,
        } => {
            let store = store.open()?;
            let reducer = args.reducer(&store)?;
            let stream_type = store.type_for_replay(stream, reducer.as_ref())?;
            let progress = Progress::new("replaying", "events", None);
            let state = walk::state_upto_with(
                &store,
                stream,
                reducer.as_ref(),
                stream_type.as_deref(),
                at.map_or(Upto::End, Upto::Version),
                &mut || progress.inc(),
            )?;
            drop(progress);
            write_json(out, &state)?;
        }
        Export::Diff {
            store,
            stream,
            from,
            to,
            replay: args,
        } => {
            let (a, b) = super::diff_states(
                store,
                stream,
                args,
                Some(Upto::Version(*from)),
                Upto::Version(*to),
            )?;
            write_patch(out, &a, &b)?;
        }
        Export::Findings {
            store,
            format,
            replay,
            verify: args,
        } => {
            let store = store.open()?;
            let reducer = replay
                .reducers
                .is_some()
                .then(|| replay.reducer(&store))
                .transpose()?;
            let options = VerifyOptions {
                max_per_kind: args.max_per_kind,
                ..VerifyOptions::new(reducer.as_deref())
            };
            let mut findings = Vec::new();
            let mut bar = Progress::new("export findings", "rows", Some(0));
            verify(
                &store,
                &options,
                &mut |progress| {
                    bar.set_unit(phase_unit(progress.phase));
                    bar.phase(&format!("export findings, {}", phase_name(progress.phase)));
                    bar.set(progress.done, progress.total);
                    true
                },
                &mut |f| findings.push(f),
            )?;
            drop(bar);
            match format {
                FindingsFormat::Json => write_findings_json(out, &findings)?,
                FindingsFormat::Csv => write_findings_csv(out, &findings)?,
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// `eventscope report`: hash the file, open it, write the report to `output`, say where on stderr.
pub(super) fn report_command(
    store_args: &StoreArgs,
    streams: &[String],
    (from, to): (Option<i64>, Option<i64>),
    replay: &ReplayArgs,
    output: &std::path::Path,
    charts: &[String],
) -> anyhow::Result<()> {
    use crate::core::audit::report::{
        ReducersFile, ReportProgress, ReportRequest, write_report_with_progress,
    };
    use crate::core::plot::{ChartRequest, XAxis};
    let file = &store_args.file;
    if !charts.is_empty() {
        // A field that is no JSON Pointer is refused before the slow part.
        ChartRequest {
            stream: String::new(),
            paths: charts.to_vec(),
            x: XAxis::Version,
        }
        .check()?;
    }
    // Refused before the slow part; `write_output_bytes` checks again when it writes.
    check_output(output, file)?;
    let store = store_args.open()?;
    // The file's hash (a server's: its event rows') before anything else is read.
    let sha256_at_open = store.content_digest()?;
    // Named as the store shows itself: a server's URL without its password.
    let shown = store.path().to_owned();
    let reducer = replay.reducer(&store)?;
    let reducers = replay
        .reducers
        .as_ref()
        .map(|path| -> anyhow::Result<ReducersFile> {
            Ok(ReducersFile {
                path: path.display().to_string(),
                text: std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read reducers {}", path.display()))?,
            })
        })
        .transpose()?;
    let request = ReportRequest {
        store: &store,
        sha256_at_open,
        streams: streams.to_vec(),
        from,
        to,
        reducer: reducer.as_ref(),
        reducers,
        analysis_time: Utc::now(),
        charts: charts.to_vec(),
    };
    let mut html = Vec::new();
    // The store-wide check counts rows; then a new bar counts the streams read and replayed.
    let mut bar = Progress::new("report: verify", "rows", Some(0));
    let outcome = write_report_with_progress(&request, &mut html, &mut |progress| match progress {
        ReportProgress::Verify(pass) => {
            bar.set_unit(phase_unit(pass.phase));
            bar.phase(&format!("report, {}", phase_name(pass.phase)));
            bar.set(pass.done, pass.total);
        }
        ReportProgress::Streams { done, total } => {
            if bar.unit() != "streams" {
                bar = Progress::new("report: streams", "streams", Some(total));
            }
            bar.set(done, total);
        }
    });
    drop(bar);
    let outcome = outcome?;
    write_output_bytes(output, file, &html)?;
    if !outcome.unchanged() {
        bail!(
            "{}: the file changed during the analysis (SHA-256 {} at open, {} at the end); the report {} says so",
            shown.display(),
            outcome.sha256_at_open,
            outcome.sha256_at_write,
            output.display()
        );
    }
    if let Some(damaged) = outcome.integrity.filter(|v| v.is_damaged()) {
        bail!(
            "{}: {}; the report {} says so",
            shown.display(),
            damaged.summary(),
            output.display()
        );
    }
    Ok(())
}
