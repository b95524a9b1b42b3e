//! The audit subcommands (`verify`, `search`, `export`, `report`): thin wrappers that open the store, call
//! the core module and write its answer, kept apart from `cli.rs` so the rest of the command line stays
//! small.

use std::io::Write;

use anyhow::{Context as _, bail};
use chrono::{DateTime, Utc};
use serde_json::json;

use super::{ReplayArgs, StoreArgs, VerifyArgs};
use crate::core::decode::format_time;
use crate::core::search::{CompiledQuery, SearchQuery, search};
use crate::core::verify::{Finding, Severity, VerifyOptions, verify};

/// `eventscope verify`: findings as JSON (`--json`) or one line each.
pub(super) fn verify_command(
    store_args: &StoreArgs,
    replay: &ReplayArgs,
    args: &VerifyArgs,
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
    let summary = verify(&store, &options, &mut |_| true, &mut |f| findings.push(f))?;
    if store_args.json {
        let value = json!({
            "file": store.path(),
            "summary": summary,
            "findings": findings,
        });
        serde_json::to_writer_pretty(&mut *out, &value)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
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
        )?;
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
    query: SearchQuery,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let store = store_args.open()?;
    let query = CompiledQuery::new(query)?;
    let json = store_args.json;
    // A write error (the reader went away) stops the scan at the next progress call.
    let stop = std::cell::Cell::new(false);
    let mut write_error: Option<std::io::Error> = None;
    let mut first = true;
    if json {
        write!(out, "[")?;
    }
    let summary = search(&store, &query, &mut |_| !stop.get(), &mut |hit| {
        if stop.get() {
            return;
        }
        let written = if json {
            let sep = if first { "" } else { "," };
            write!(out, "{sep}\n  ").and_then(|()| {
                serde_json::to_writer(&mut *out, &hit.event.to_json()).map_err(std::io::Error::from)
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
    })?;
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
    if let Some(error) = &summary.first_error {
        eprintln!(
            "eventscope: warning: the predicate failed on {} events (they do not match); first: {error}",
            summary.predicate_errors
        );
    }
    Ok(())
}
