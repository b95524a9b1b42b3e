//! The audit subcommands (`verify`, `search`, `export`, `report`): thin wrappers that open the store, call
//! the core module and write its answer, kept apart from `cli.rs` so the rest of the command line stays
//! small.

use std::io::Write;

use anyhow::bail;
use serde_json::json;

use super::{ReplayArgs, StoreArgs, VerifyArgs};
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
