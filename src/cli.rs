//! The command line: the same answers as the GUI, as JSON on stdout for scripts, tests and benchmarks.
//! Errors go to stderr once, with the file or stream named, and a non-zero exit.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use clap::{Args, Parser, Subcommand};
use serde_json::{Value, json};

use crate::core::codec::{DEFAULT_MAX_PAYLOAD_BYTES, MAX_PAYLOAD_BYTES_CEILING, parse_key};
use crate::core::correlate::{correlated, correlation_of, event_at};
use crate::core::decode::parse_time_text;
use crate::core::diff;
use crate::core::jq::{Budget, BudgetSetting, JqError, Limit};
use crate::core::layout::Mapping;
use crate::core::overview::{OverviewOptions, StackBy, overview, streams_active};
use crate::core::query::json_patch;
use crate::core::reducers::JqReducer;
use crate::core::replay::{DeepMerge, Reducer, ReplayError};
use crate::core::report::ReportError;
use crate::core::search::SearchError;
use crate::core::snapshots::check_snapshots_in;
use crate::core::store::{Integrity, OpenOptions, Store, check_integrity};
use crate::core::walk::{self, Upto, WalkError};

mod audit;
mod streaming;
mod write;
pub use audit::Export;
use streaming::{tail, write_events, write_history, write_streams};

/// Browse the history kept in SQLite event stores.
#[derive(Debug, Parser)]
#[command(
    name = "eventscope",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// A store to open in the GUI (omit for the start screen).
    pub file: Option<PathBuf>,
    /// With FILE: select this stream when the store opens.
    #[arg(long, requires = "file")]
    pub stream: Option<String>,
    /// With --stream: put the playhead on this version.
    #[arg(long, requires = "stream")]
    pub at: Option<i64>,
    /// With FILE: replay with this reducer file (jq by event type).
    #[arg(long, requires = "file", value_name = "FILE.json")]
    pub reducers: Option<PathBuf>,
    /// With FILE: show the correlation lanes of this correlation id.
    #[arg(long, requires = "file", value_name = "ID")]
    pub correlation: Option<String>,
    /// With FILE: open a window at start (`findings` runs verify).
    #[arg(long, requires = "file", value_enum)]
    pub panel: Option<Panel>,
    /// With FILE: open the Search window and search every stream with this jq predicate.
    #[arg(long, requires = "file", value_name = "JQ")]
    pub search: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A window the GUI can open at start.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Panel {
    Findings,
    Search,
}

impl Panel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Findings => "findings",
            Self::Search => "search",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the streams: id, type, event count, first and last time.
    Streams {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Print the events of one stream in stream order (with --reducers, each with the state after it).
    Events {
        #[command(flatten)]
        store: StoreArgs,
        /// Stream id as `streams` prints it.
        stream: String,
        #[command(flatten)]
        replay: ReplayArgs,
    },
    /// Print the replayed state of a stream (after its last event by default).
    State {
        #[command(flatten)]
        store: StoreArgs,
        stream: String,
        /// The version to replay up to (0 = before the first event).
        #[arg(long, conflicts_with = "time")]
        at: Option<i64>,
        /// The state after the last event at or before this instant (RFC 3339, or `YYYY-MM-DD HH:MM:SS` UTC).
        #[arg(long)]
        time: Option<String>,
        /// Start from the store's newest snapshot at or before that point instead of replaying from zero.
        #[arg(long)]
        from_snapshot: bool,
        #[command(flatten)]
        replay: ReplayArgs,
    },
    /// Print what changed between the states at two versions, as `{op, path, old, new}` sorted by path.
    Diff {
        #[command(flatten)]
        store: StoreArgs,
        stream: String,
        /// From this version (default: the one before --to).
        #[arg(long)]
        from: Option<i64>,
        /// To this version (default: the last).
        #[arg(long)]
        to: Option<i64>,
        /// Print an RFC 6902 JSON Patch that turns the --from state into the --to state instead.
        #[arg(long)]
        patch: bool,
        #[command(flatten)]
        replay: ReplayArgs,
    },
    /// Print the store's snapshots of a stream, each checked against the replay from zero: `{version, type,
    /// state, matches, changes}`.
    Snapshots {
        #[command(flatten)]
        store: StoreArgs,
        stream: String,
        #[command(flatten)]
        replay: ReplayArgs,
    },
    /// Print every event that changed one field of the state: version, position, type, time, old, new.
    History {
        #[command(flatten)]
        store: StoreArgs,
        stream: String,
        /// The field, as a JSON Pointer (`/status`, `/lines/0/qty`).
        #[arg(long)]
        path: String,
        #[command(flatten)]
        replay: ReplayArgs,
    },
    /// Follow the store like `tail -f`: print each event committed from now on as one JSON line (the
    /// `events --json` shape), until interrupted. The store is never written and the writer never blocked.
    Tail {
        #[command(flatten)]
        store: StoreArgs,
        /// Only this stream's events.
        #[arg(long)]
        stream: Option<String>,
        /// How often to look for new commits, in milliseconds.
        #[arg(long, default_value_t = 200, value_name = "MS")]
        interval_ms: u64,
    },
    /// Check the store's integrity: version and position gaps and duplicates, time going backwards or into
    /// the future, times that cannot be read, undecodable payloads, schema drift, snapshots that disagree with
    /// the replay, orphan rows, stuck outbox entries. With --json prints `{file, summary, findings: [{kind, severity, stream,
    /// versions, positions, message}]}`. Exits 0 whatever it finds, unless --fail-on says otherwise.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        replay: ReplayArgs,
        #[command(flatten)]
        verify: VerifyArgs,
    },
    /// Find events across all streams, in position order. With --json prints the events in the `events
    /// --json` shape as a JSON array, written as they are found; otherwise one line per hit and a count.
    Search {
        #[command(flatten)]
        store: StoreArgs,
        /// A jq predicate over the event as `events --json` prints it, e.g.
        /// `.data.status == "shipped" and .data.total > 100`.
        #[arg(long = "where", value_name = "JQ")]
        predicate: Option<String>,
        /// Only events of this type (the full type, or the part after its last `:` or `.`); repeatable.
        #[arg(long = "type", value_name = "TYPE")]
        types: Vec<String>,
        /// Only events at or after this instant (RFC 3339, or `YYYY-MM-DD HH:MM:SS` UTC).
        #[arg(long, value_name = "TIME")]
        from: Option<String>,
        /// Only events at or before this instant.
        #[arg(long, value_name = "TIME")]
        to: Option<String>,
        /// Only events whose payload contains this text (ignoring case).
        #[arg(long)]
        text: Option<String>,
        #[command(flatten)]
        jq: JqArgs,
    },
    /// Export for other tools: events (CSV, JSON Lines), a state (JSON), a diff (RFC 6902), findings (JSON,
    /// CSV).
    Export {
        #[command(subcommand)]
        what: audit::Export,
        /// Write to this file instead of stdout.
        #[arg(short, long, global = true, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write an audit report: a self-contained HTML file recording the file's path, size and SHA-256 (at
    /// open and at write), layout, reducers, the events of the range with decoded payloads, the states and
    /// diff at its ends, and the findings.
    Report {
        #[command(flatten)]
        store: StoreArgs,
        /// The stream(s) to report on.
        #[arg(required = true)]
        streams: Vec<String>,
        /// First version of the range (default: the first event).
        #[arg(long)]
        from: Option<i64>,
        /// Last version of the range (default: the last event).
        #[arg(long)]
        to: Option<i64>,
        #[command(flatten)]
        replay: ReplayArgs,
        /// The HTML file to write.
        #[arg(short, long, value_name = "FILE.html")]
        output: PathBuf,
    },
    /// Print the store's activity over time: events per time bucket, stacked by stream type or event type
    /// (`{start, end, bucket_secs, by, series, counts[bucket][series], total, undated}`).
    Overview {
        #[command(flatten)]
        store: StoreArgs,
        /// What the series are.
        #[arg(long, value_enum, default_value = "stream-type")]
        by: StackByArg,
        /// The most buckets wanted; the width is the smallest round unit (1s, 5s, ..., 1h, 1d, 1w, 30d, 365d)
        /// giving at most this many.
        #[arg(long, default_value_t = 200)]
        buckets: usize,
    },
    /// List the streams active in a period: the `streams` shape counting only events whose time is in
    /// [--from, --to), most active first.
    Active {
        #[command(flatten)]
        store: StoreArgs,
        /// Start of the period, inclusive (RFC 3339, or `YYYY-MM-DD HH:MM:SS` UTC).
        #[arg(long)]
        from: String,
        /// End of the period, exclusive.
        #[arg(long)]
        to: String,
    },
    /// Print every event sharing a correlation id, across all streams: `{correlation_id, lanes: [{stream,
    /// type}], events (by time), links: [{from: {stream, position}, to: {stream, position}}]}`, a link going
    /// from the event whose id is another's causation id to that other.
    Correlate {
        #[command(flatten)]
        store: StoreArgs,
        /// The correlation id.
        #[arg(long, required_unless_present = "stream", conflicts_with = "stream")]
        id: Option<String>,
        /// Take the correlation id of an event of this stream (with --at).
        #[arg(long, requires = "at")]
        stream: Option<String>,
        /// The version of that event.
        #[arg(long, requires = "stream")]
        at: Option<i64>,
    },
    /// Print the detected layout as a mapping file that `--mapping` accepts.
    Layout {
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// `--by` of `overview`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum StackByArg {
    StreamType,
    EventType,
}

impl From<StackByArg> for StackBy {
    fn from(arg: StackByArg) -> Self {
        match arg {
            StackByArg::StreamType => Self::StreamType,
            StackByArg::EventType => Self::EventType,
        }
    }
}

/// Options every subcommand that reads a store takes.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// The SQLite store (opened read-only).
    pub file: PathBuf,
    /// A mapping file (JSON) to use instead of layout detection; `eventscope layout FILE` writes a template.
    #[arg(long, value_name = "FILE.json")]
    pub mapping: Option<PathBuf>,
    /// The key of encrypted payloads (eventsourcing's CIPHER_KEY), base64.
    #[arg(long, value_name = "BASE64")]
    pub cipher_key: Option<String>,
    /// The most one payload may hold once decoded (inflated, decrypted), in MiB; a payload past it is shown
    /// undecodable with the reason and its stored size, and every other event stays readable. At most 256
    /// (SQLite's limit on one value).
    #[arg(long, value_name = "MIB", default_value_t = DEFAULT_MAX_PAYLOAD_MB,
          value_parser = clap::value_parser!(u16).range(1..=i64::from(MAX_PAYLOAD_MB)))]
    pub max_payload_mb: u16,
    /// Print JSON (the default and only machine format; human output is JSON pretty-printed too).
    #[arg(long)]
    pub json: bool,
    /// Stop a query that works this many seconds without giving a row (0: never). Guards against a mapping
    /// filter or a file that would make a query run for ever; long scans are not stopped for their length.
    #[arg(long, value_name = "SECS", default_value_t = crate::core::store::DEFAULT_QUERY_TIMEOUT.as_secs())]
    pub query_timeout: u64,
    /// Skip SQLite's quick_check of the whole file (run beside every command; a damaged file makes the
    /// command fail after its output, saying what is damaged).
    #[arg(long)]
    pub no_integrity_check: bool,
}

/// `--max-payload-mb` by default: [`DEFAULT_MAX_PAYLOAD_BYTES`] in MiB.
const DEFAULT_MAX_PAYLOAD_MB: u16 = mib(DEFAULT_MAX_PAYLOAD_BYTES);

/// The highest `--max-payload-mb`: [`MAX_PAYLOAD_BYTES_CEILING`] in MiB.
const MAX_PAYLOAD_MB: u16 = mib(MAX_PAYLOAD_BYTES_CEILING);

const fn mib(bytes: usize) -> u16 {
    #[expect(clippy::cast_possible_truncation, reason = "at most 256 MiB")]
    let mib = (bytes / (1024 * 1024)) as u16;
    mib
}

impl StoreArgs {
    pub(crate) fn open(&self) -> anyhow::Result<Store> {
        let mappings = self.mapping.as_deref().map(read_mappings).transpose()?;
        let cipher_key = self
            .cipher_key
            .as_deref()
            .map(parse_key)
            .transpose()
            .map_err(anyhow::Error::msg)?;
        let store = Store::open_with(
            &self.file,
            OpenOptions {
                mappings,
                cipher_key,
                max_payload_bytes: usize::from(self.max_payload_mb) * 1024 * 1024,
            },
        )?;
        store.set_query_timeout(
            (self.query_timeout > 0).then(|| std::time::Duration::from_secs(self.query_timeout)),
        );
        if store.missing_cipher_key() {
            eprintln!(
                "eventscope: {}: payloads are encrypted; pass --cipher-key BASE64 to decode them (listing everything else)",
                self.file.display()
            );
        }
        Ok(store)
    }
}

/// Options of the commands that replay a stream.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// A reducer file: jq expressions by event type (see the README); the default deep-merges each event.
    #[arg(long, value_name = "FILE.json")]
    pub reducers: Option<PathBuf>,
    #[command(flatten)]
    pub jq: JqArgs,
}

/// The budget of a jq reducer or predicate on one event (see `core::jq`); past it the command fails, naming
/// the event.
#[derive(Debug, Args)]
pub struct JqArgs {
    /// Steps a jq program may take on one event: calls of definitions (`map`, `select`, your own),
    /// `reduce`/`foreach` iterations, `range` outputs and elements collected by `[...]`.
    #[arg(long, value_name = "N", default_value_t = crate::core::jq::DEFAULT_STEPS)]
    pub jq_steps: u64,
    /// Milliseconds a jq program may take on one event.
    #[arg(long, value_name = "MS", default_value_t = crate::core::jq::DEFAULT_TIMEOUT_MS)]
    pub jq_timeout_ms: u64,
}

impl JqArgs {
    pub(crate) fn budget(&self) -> Budget {
        Budget::with(Some(self.jq_steps), Some(self.jq_timeout_ms))
    }
}

impl ReplayArgs {
    /// The reducer in force; warns on stderr about keys that match no event type in the store.
    pub(crate) fn reducer(&self, store: &Store) -> anyhow::Result<Box<dyn Reducer>> {
        let Some(path) = &self.reducers else {
            return Ok(Box::new(DeepMerge));
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read reducers {}", path.display()))?;
        let reducer = JqReducer::from_json(&text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
            .with_budget(self.jq.budget());
        // Stops reading types once every key has matched one.
        let mut unmatched = reducer.unmatched();
        store.each_event_type(|event_type| unmatched.saw(event_type))?;
        for key in unmatched.keys() {
            eprintln!(
                "eventscope: warning: reducer key {key:?} in {} matches no event type in the store",
                path.display()
            );
        }
        Ok(Box::new(reducer))
    }
}

/// Options of `verify` (and of the findings in `export findings` and `report`).
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Exit non-zero (after printing) when a finding of this severity or worse is found.
    #[arg(long, value_name = "SEVERITY", value_parser = ["error", "warning", "info"])]
    pub fail_on: Option<String>,
    /// List at most this many findings of each kind; the rest are counted in one closing finding.
    #[arg(long, default_value_t = crate::core::verify::DEFAULT_MAX_PER_KIND, value_name = "N")]
    pub max_per_kind: usize,
}

/// Read a mapping file: a mapping, a list of mappings (one per event table), or the whole output of
/// `eventscope layout` (whose `mappings` member is used).
pub fn read_mappings(path: &Path) -> anyhow::Result<Vec<Mapping>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read mapping {}", path.display()))?;
    let value: Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    parse_mappings(value).with_context(|| format!("{} is not a valid mapping", path.display()))
}

/// The mappings in a JSON value of any of the forms [`read_mappings`] accepts.
pub fn parse_mappings(mut value: Value) -> anyhow::Result<Vec<Mapping>> {
    if value.get("table").is_none() {
        if let Some(inner) = value.get_mut("mappings").map(Value::take) {
            value = inner;
        } else if let Some(inner) = value.get_mut("mapping").map(Value::take) {
            value = inner;
        }
    }
    if value.is_array() {
        let mappings: Vec<Mapping> = serde_json::from_value(value)?;
        anyhow::ensure!(!mappings.is_empty(), "the list of mappings is empty");
        Ok(mappings)
    } else {
        Ok(vec![serde_json::from_value(value)?])
    }
}

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
        let args = command.store_args();
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
    /// The store the command reads.
    pub fn store_args(&self) -> &StoreArgs {
        match self {
            Self::Export { what, .. } => what.store(),
            Self::Streams { store }
            | Self::Events { store, .. }
            | Self::State { store, .. }
            | Self::Diff { store, .. }
            | Self::Snapshots { store, .. }
            | Self::History { store, .. }
            | Self::Tail { store, .. }
            | Self::Verify { store, .. }
            | Self::Search { store, .. }
            | Self::Report { store, .. }
            | Self::Overview { store, .. }
            | Self::Active { store, .. }
            | Self::Correlate { store, .. }
            | Self::Layout { store, .. } => store,
        }
    }
}

fn execute_command(command: &Command, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let written = match command {
        Command::Events {
            store,
            stream,
            replay,
        } => {
            let store = store.open()?;
            let reducer = replay
                .reducers
                .is_some()
                .then(|| replay.reducer(&store))
                .transpose()?;
            write_events(&store, stream, reducer.as_deref(), out)
        }
        Command::History {
            store,
            stream,
            path,
            replay,
        } => write_history(store, stream, path, replay, out),
        Command::Streams { store } => write_streams(&store.open()?, out),
        Command::Tail {
            store,
            stream,
            interval_ms,
        } => tail(&store.open()?, stream.as_deref(), *interval_ms, out),
        Command::Verify {
            store,
            replay,
            verify,
        } => audit::verify_command(store, replay, verify, out),
        Command::Report {
            store,
            streams,
            from,
            to,
            replay,
            output,
        } => audit::report_command(store, streams, *from, *to, replay, output),
        Command::Export { what, output } => audit::export_command(what, output.as_deref(), out),
        Command::Search {
            store,
            predicate,
            types,
            from,
            to,
            text,
            jq,
        } => audit::search_command(
            store,
            jq.budget(),
            crate::core::search::SearchQuery {
                predicate: predicate.clone(),
                types: types.clone(),
                from: from.as_deref().map(audit::parse_instant).transpose()?,
                to: to.as_deref().map(audit::parse_instant).transpose()?,
                text: text.clone(),
            },
            out,
        ),
        other => {
            let value = run(other)?;
            serde_json::to_writer_pretty(&mut *out, &value)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out))
                .map_err(anyhow::Error::from)
        }
    };
    match written.and_then(|()| Ok(out.flush()?)) {
        // The reader went away (`| head`): that is how pipes end, not an error.
        Err(err) if is_broken_pipe(&err) => Ok(()),
        other => other,
    }
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
        | Command::Report { .. } => {
            anyhow::bail!("this command streams its output: call `execute` instead of `run`")
        }
        Command::Snapshots {
            store,
            stream,
            replay: args,
        } => {
            let store = store.open()?;
            let reducer = args.reducer(&store)?;
            let stream_type = store.stream(stream)?.stream_type;
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
            let stream_type = store.stream(stream)?.stream_type;
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
            Ok(walk::state_upto(
                &store,
                stream,
                reducer.as_ref(),
                stream_type.as_deref(),
                upto,
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
        Command::Active { store, from, to } => {
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
    let stream_type = store.stream(stream)?.stream_type;
    Ok(walk::diff_states(
        &store,
        stream,
        reducer.as_ref(),
        stream_type.as_deref(),
        from,
        to,
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
