//! The command line: the same answers as the GUI, as JSON on stdout for scripts, tests and benchmarks, and
//! as tables for people (`--format`).
//! Errors go to stderr once, with the file or stream named, and a non-zero exit.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use clap::{Args, Parser, Subcommand};
use serde_json::{Value, json};

use crate::core::audit::report::ReportError;
use crate::core::audit::search::SearchError;
use crate::core::decode::codec::{DEFAULT_MAX_PAYLOAD_BYTES, MAX_PAYLOAD_BYTES_CEILING, parse_key};
use crate::core::decode::parse_time_text;
use crate::core::explore::correlate::{correlated, correlation_of, event_at};
use crate::core::explore::overview::{OverviewOptions, StackBy, overview, streams_active};
use crate::core::layout::Mapping;
use crate::core::replay::diff;
use crate::core::replay::jq::{Budget, BudgetSetting, JqError, Limit};
use crate::core::replay::query::json_patch;
use crate::core::replay::reducers::JqReducer;
use crate::core::replay::snapshots::check_snapshots_in;
use crate::core::replay::walk::{self, Upto, WalkError};
use crate::core::replay::{DeepMerge, Reducer, ReplayError};
use crate::core::store::{Integrity, OpenOptions, Store, check_integrity};

mod args;
mod audit;
mod formats;
mod plot;
mod progress;
mod streaming;
mod write;

pub use args::{
    Cli, Command, JqArgs, Panel, ReplayArgs, StackByArg, StoreArgs, VerifyArgs, XArg,
    parse_mappings, read_mappings,
};
pub use audit::Export;
pub use formats::{Format, FormatArgs};
use formats::{Rows, SNAPSHOT_COLUMNS, STREAM_COLUMNS, Shape};
use streaming::{tail, write_events, write_history, write_streams};

/// Run a subcommand and write its JSON to `out`. `events` is written page by page, so a stream of any length
/// never sits in memory whole.
pub fn execute(command: &Command, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let integrity = IntegrityCheck::start(command);
    let result = execute_command(command, out);
    let verdict = integrity.and_then(IntegrityCheck::finish);
    match (result, verdict) {
        (Ok(()), Some(damaged)) => Err(damaged),
        (Err(err), Some(damaged)) => Err(err.context(format!("{damaged:#}"))),
        (result, None) => result,
    }
}

/// An error as one line: each cause once. Library errors already quote what they wrap (SQLite's message in
/// a store error, a store error in a context), so a cause whose words are already on the line is left out
/// (`malformed: malformed` never appears); SQLite's `Error code N: ` prefix counts as no words. A jq
/// program past its step or time budget ends with the flag that raises it.
pub fn error_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        let words = text
            .strip_prefix("Error code ")
            .and_then(|rest| rest.split_once(": "))
            .map_or(text.as_str(), |(_, words)| words);
        if line.to_lowercase().contains(&words.to_lowercase()) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    if let Some(flag) = budget_limit(err).and_then(Limit::setting).map(budget_flag) {
        line.push_str(&format!(" (raise it with {flag})"));
    }
    line
}

/// The jq budget limit behind `err`, if a reducer or predicate went past one.
fn budget_limit(err: &anyhow::Error) -> Option<Limit> {
    err.chain().find_map(|cause| {
        if let Some(err) = cause.downcast_ref::<ReplayError>() {
            err.limit()
        } else if let Some(err) = cause.downcast_ref::<SearchError>() {
            err.limit()
        } else if let Some(err) = cause.downcast_ref::<ReportError>() {
            err.limit()
        } else if let Some(WalkError::Replay(err)) = cause.downcast_ref::<WalkError>() {
            err.limit()
        } else {
            cause.downcast_ref::<JqError>().and_then(JqError::limit)
        }
    })
}

/// The flag that sets a part of the jq budget.
fn budget_flag(setting: BudgetSetting) -> &'static str {
    match setting {
        BudgetSetting::Steps => "--jq-steps",
        BudgetSetting::Time => "--jq-timeout-ms",
    }
}

/// SQLite's quick_check of the whole file, run on a thread of its own beside the command.
struct IntegrityCheck {
    file: PathBuf,
    thread: std::thread::JoinHandle<Result<Integrity, crate::core::store::StoreError>>,
}

impl IntegrityCheck {
    fn start(command: &Command) -> Option<Self> {
        let args = command.store_args()?;
        // `tail` never ends; `report` runs the check itself and states it in the report.
        if args.no_integrity_check
            || matches!(command, Command::Tail { .. } | Command::Report { .. })
        {
            return None;
        }
        let file = args.file.clone();
        let path = file.clone();
        let thread = std::thread::Builder::new()
            .name("integrity".to_owned())
            .spawn(move || check_integrity(&path, None))
            .ok()?;
        Some(Self { file, thread })
    }

    /// The error to report when the file is damaged. A file the check cannot open is the command's own
    /// error to report, so it says nothing then.
    fn finish(self) -> Option<anyhow::Error> {
        match self.thread.join() {
            Ok(Ok(verdict)) if verdict.is_damaged() => Some(anyhow::anyhow!(
                "{}: {}",
                self.file.display(),
                verdict.summary()
            )),
            _ => None,
        }
    }
}

impl Command {
    /// The store the command reads; `None` for the commands about Eventscope itself.
    pub fn store_args(&self) -> Option<&StoreArgs> {
        Some(match self {
            Self::Completions { .. } | Self::Man { .. } => return None,
            Self::Export { what, .. } => what.store(),
            Self::Streams { store, .. }
            | Self::Events { store, .. }
            | Self::State { store, .. }
            | Self::Diff { store, .. }
            | Self::Snapshots { store, .. }
            | Self::History { store, .. }
            | Self::Tail { store, .. }
            | Self::Verify { store, .. }
            | Self::Search { store, .. }
            | Self::Report { store, .. }
            | Self::Plot { store, .. }
            | Self::Overview { store, .. }
            | Self::Active { store, .. }
            | Self::Correlate { store, .. }
            | Self::Layout { store, .. } => store,
        })
    }
}

fn execute_command(command: &Command, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let written = match command {
        Command::Events {
            store,
            stream,
            replay,
            output,
        } => {
            let store_args = store;
            let store = store.open()?;
            let reducer = replay
                .reducers
                .is_some()
                .then(|| replay.reducer(&store))
                .transpose()?;
            write_events(
                &store,
                stream,
                reducer.as_deref(),
                output.shape(store_args.json),
                output,
                out,
            )
        }
        Command::History {
            store,
            stream,
            path,
            replay,
            output,
        } => write_history(store, stream, path, replay, output, out),
        Command::Streams { store, output } => {
            write_streams(&store.open()?, output.shape(store.json), output, out)
        }
        Command::Tail {
            store,
            stream,
            interval_ms,
        } => tail(&store.open()?, stream.as_deref(), *interval_ms, out),
        Command::Verify {
            store,
            replay,
            verify,
            output,
        } => audit::verify_command(store, replay, verify, output, out),
        Command::Report {
            store,
            streams,
            from,
            to,
            replay,
            output,
            charts,
        } => audit::report_command(store, streams, (*from, *to), replay, output, charts),
        Command::Plot {
            store,
            stream,
            paths,
            output,
            x,
            width,
            height,
            replay,
        } => plot::plot_command(&plot::PlotArgs {
            store,
            stream,
            paths,
            output,
            x: *x,
            width: *width,
            height: *height,
            replay,
        }),
        Command::Export { what, output } => audit::export_command(what, output.as_deref(), out),
        Command::Completions { shell } => {
            let mut cli = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cli, "eventscope", out);
            Ok(())
        }
        Command::Man { subcommand } => man_page(subcommand.as_deref(), out),
        Command::Search {
            store,
            predicate,
            types,
            from,
            to,
            text,
            jq,
            output,
        } => audit::search_command(
            store,
            output,
            jq.budget(),
            crate::core::audit::search::SearchQuery {
                predicate: predicate.clone(),
                types: types.clone(),
                from: from.as_deref().map(audit::parse_instant).transpose()?,
                to: to.as_deref().map(audit::parse_instant).transpose()?,
                text: text.clone(),
            },
            out,
        ),
        Command::Snapshots { store, output, .. } | Command::Active { store, output, .. } => {
            let columns = if matches!(command, Command::Snapshots { .. }) {
                SNAPSHOT_COLUMNS
            } else {
                STREAM_COLUMNS
            };
            let value = run(command)?;
            match output.shape(store.json) {
                Shape::Rows(format) => write_rows(&value, format, output, columns, out),
                Shape::Today | Shape::Json => write_pretty(&value, out),
            }
        }
        other => write_pretty(&run(other)?, out),
    };
    match written.and_then(|()| Ok(out.flush()?)) {
        // The reader went away (`| head`): that is how pipes end, not an error.
        Err(err) if is_broken_pipe(&err) => Ok(()),
        other => other,
    }
}

/// A value as pretty JSON and a newline.
fn write_pretty(value: &Value, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    // As an `io::Error`, so a reader that went away is seen as one (see `is_broken_pipe`).
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// The elements of a JSON array as rows.
fn write_rows(
    value: &Value,
    format: Format,
    output: &FormatArgs,
    columns: &'static [formats::Column],
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let mut rows = Rows::new(out, format, output, columns)?;
    for item in value.as_array().into_iter().flatten() {
        rows.push(item)?;
    }
    rows.finish()
}

/// The manual page of `eventscope`, or of one subcommand as `eventscope-NAME(1)`.
fn man_page(subcommand: Option<&str>, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let mut cli = <Cli as clap::CommandFactory>::command();
    // Built, so clap's own `help` subcommand, which the main page lists too, has its page.
    cli.build();
    let page = match subcommand {
        None => cli,
        Some(name) => {
            let Some(sub) = cli.find_subcommand(name) else {
                let names: Vec<&str> = cli.get_subcommands().map(clap::Command::get_name).collect();
                bail!(
                    "no subcommand {name:?}; the subcommands are {}",
                    names.join(", ")
                );
            };
            let full = format!("eventscope-{name}");
            sub.clone().name(full.clone()).bin_name(full)
        }
    };
    clap_mangen::Man::new(page).render(out)?;
    Ok(())
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Run a subcommand (other than `events`) and return what to print.
pub fn run(command: &Command) -> anyhow::Result<Value> {
    match command {
        Command::Streams { .. }
        | Command::Events { .. }
        | Command::History { .. }
        | Command::Tail { .. }
        | Command::Verify { .. }
        | Command::Search { .. }
        | Command::Export { .. }
        | Command::Report { .. }
        | Command::Plot { .. }
        | Command::Completions { .. }
        | Command::Man { .. } => {
            anyhow::bail!("this command streams its output: call `execute` instead of `run`")
        }
        Command::Snapshots {
            store,
            stream,
            replay: args,
            ..
        } => {
            let store = store.open()?;
            let reducer = args.reducer(&store)?;
            let stream_type = store.type_for_replay(stream, reducer.as_ref())?;
            let snapshots = store.snapshots(stream)?;
            let checks = check_snapshots_in(
                reducer.as_ref(),
                stream_type.as_deref(),
                store
                    .read_stream(stream)
                    .map(|e| e.map_err(WalkError::from)),
                &snapshots,
            )?;
            Ok(serde_json::to_value(checks)?)
        }
        Command::State {
            store,
            stream,
            at,
            time,
            from_snapshot,
            replay: args,
        } => {
            let store = store.open()?;
            let reducer = args.reducer(&store)?;
            let stream_type = store.type_for_replay(stream, reducer.as_ref())?;
            let upto = match time {
                Some(text) => Upto::Count(walk::count_at_time(
                    &store,
                    stream,
                    parse_instant("--time", text)?,
                )?),
                None => at.map_or(Upto::End, Upto::Version),
            };
            if *from_snapshot {
                let snapshots = store.snapshots(stream)?;
                let (state, _) = walk::state_from_snapshot_upto(
                    &store,
                    stream,
                    reducer.as_ref(),
                    stream_type.as_deref(),
                    &snapshots,
                    upto,
                )?;
                return Ok(state);
            }
            let progress = progress::Progress::new("replaying", "events", None);
            Ok(walk::state_upto_with(
                &store,
                stream,
                reducer.as_ref(),
                stream_type.as_deref(),
                upto,
                &mut || progress.inc(),
            )?)
        }
        Command::Diff {
            store,
            stream,
            from,
            to,
            patch,
            replay: args,
        } => {
            let (a, b) = diff_states(
                store,
                stream,
                args,
                from.map(Upto::Version),
                to.map_or(Upto::End, Upto::Version),
            )?;
            if *patch {
                Ok(json_patch(&a, &b))
            } else {
                Ok(serde_json::to_value(diff::diff(&a, &b))?)
            }
        }
        Command::Overview { store, by, buckets } => {
            let options = OverviewOptions {
                by: (*by).into(),
                buckets: *buckets,
            };
            let answer = overview(&store.open()?, &options, &mut |_| true)?
                .context("the overview was cancelled")?;
            Ok(serde_json::to_value(answer)?)
        }
        Command::Active {
            store, from, to, ..
        } => {
            let (from, to) = (parse_instant("--from", from)?, parse_instant("--to", to)?);
            Ok(serde_json::to_value(streams_active(
                &store.open()?,
                from,
                to,
            )?)?)
        }
        Command::Correlate {
            store,
            id,
            stream,
            at,
        } => {
            let store = store.open()?;
            let correlation_id = match (id, stream, at) {
                (Some(id), ..) => id.clone(),
                (None, Some(stream), Some(version)) => {
                    let event = event_at(&store, stream, *version)?
                        .with_context(|| format!("stream {stream} has no version {version}"))?;
                    correlation_of(&event).with_context(|| {
                        format!("event {version} of stream {stream} carries no correlation id")
                    })?
                }
                _ => bail!("give --id, or --stream and --at"),
            };
            let correlation = correlated(&store, &correlation_id, &mut |_| true)?
                .context("the search was cancelled")?;
            Ok(correlation.to_json())
        }
        Command::Layout { store } => {
            let store = store.open()?;
            Ok(json!({
                "file": store.path(),
                "open": store.info(),
                "mappings": store.mappings(),
            }))
        }
    }
}

/// A time given on the command line.
fn parse_instant(flag: &str, text: &str) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    parse_time_text(text).with_context(|| {
        format!("{flag} {text:?} is not a time (use RFC 3339, e.g. 2024-03-14T14:34:00Z)")
    })
}

/// The two states `diff` compares (see [`walk::diff_states`]).
fn diff_states(
    store: &StoreArgs,
    stream: &str,
    args: &ReplayArgs,
    from: Option<Upto>,
    to: Upto,
) -> anyhow::Result<(Value, Value)> {
    let store = store.open()?;
    let reducer = args.reducer(&store)?;
    let stream_type = store.type_for_replay(stream, reducer.as_ref())?;
    let progress = progress::Progress::new("replaying", "events", None);
    Ok(walk::diff_states_with(
        &store,
        stream,
        reducer.as_ref(),
        stream_type.as_deref(),
        (from, to),
        &mut || progress.inc(),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replay_error(limit: Option<Limit>) -> anyhow::Error {
        anyhow::Error::from(ReplayError::Reducer {
            stream: "acct-1".to_owned(),
            version: 3,
            event_type: "Withdrawn".to_owned(),
            message: "reducer key \"*\" (`def f: f; f`): the limit".to_owned(),
            limit,
        })
        .context("cannot replay")
    }

    #[test]
    fn a_step_or_time_budget_error_ends_with_the_flag_that_raises_it() {
        let steps = error_line(&replay_error(Some(Limit::Steps(10))));
        assert!(
            steps.starts_with("cannot replay: reducer failed on stream acct-1 at version 3")
                && steps.ends_with("the limit (raise it with --jq-steps)"),
            "{steps}"
        );
        let time = Limit::Time(std::time::Duration::from_millis(5));
        let line = error_line(&replay_error(Some(time)));
        assert!(line.ends_with("(raise it with --jq-timeout-ms)"), "{line}");
        let search = anyhow::Error::from(SearchError::Budget {
            expression: ".".to_owned(),
            stream: "s".to_owned(),
            version: 1,
            position: 1,
            limit: Limit::Steps(10),
        });
        assert!(error_line(&search).ends_with("(raise it with --jq-steps)"));
    }

    #[test]
    fn other_errors_and_fixed_limits_say_nothing_of_flags() {
        for err in [
            replay_error(None),
            replay_error(Some(Limit::Stack)),
            anyhow::anyhow!("exceeded the step budget of 10 steps"),
        ] {
            let line = error_line(&err);
            assert!(!line.contains("raise it"), "{line}");
        }
    }
}
