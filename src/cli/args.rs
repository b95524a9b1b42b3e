//! The command line as clap reads it: the subcommands, their shared option groups (the store and how to open
//! it, the reducers and the jq budget, what `verify` checks), and mapping files.

use super::formats::FormatArgs;
use super::*;

/// Browse the history kept in SQLite event stores.
#[derive(Debug, Parser)]
#[command(
    name = "eventscope",
    version,
    long_version = long_version(),
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
    /// With FILE: read the payloads with this schema (a Protocol Buffers .proto file or descriptor set, an
    /// Avro .avsc file, a Thrift .thrift IDL).
    #[arg(long, requires = "file", value_name = "PATH")]
    pub schema: Option<PathBuf>,
    /// With --stream: chart the number at this JSON Pointer of the state after every event (repeat for
    /// several fields on one chart), e.g. `--chart /balance`.
    #[arg(long, requires = "stream", value_name = "POINTER")]
    pub chart: Vec<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `--version`: the version and the SQLite compiled in (every store is read through it).
fn long_version() -> String {
    format!(
        "{} (SQLite {})",
        env!("CARGO_PKG_VERSION"),
        rusqlite::version()
    )
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
        #[command(flatten)]
        output: FormatArgs,
    },
    /// Print the events of one stream in stream order (with --reducers, each with the state after it).
    Events {
        #[command(flatten)]
        store: StoreArgs,
        /// Stream id as `streams` prints it.
        stream: String,
        #[command(flatten)]
        replay: ReplayArgs,
        #[command(flatten)]
        output: FormatArgs,
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
        #[command(flatten)]
        output: FormatArgs,
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
        #[command(flatten)]
        output: FormatArgs,
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
        #[command(flatten)]
        output: FormatArgs,
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
        #[command(flatten)]
        output: FormatArgs,
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
        /// Chart this state field (a JSON Pointer, `/balance`) over each stream, inline; repeat for several.
        #[arg(long = "chart", value_name = "POINTER")]
        charts: Vec<String>,
    },
    /// Draw numeric fields of a stream's state after every event to an SVG or PNG file, for reports.
    Plot {
        #[command(flatten)]
        store: StoreArgs,
        /// The stream to replay.
        stream: String,
        /// A field of the state to draw, as a JSON Pointer (`/balance`); repeat it for several lines.
        #[arg(long = "path", value_name = "POINTER", required = true)]
        paths: Vec<String>,
        /// The file to write: its extension, `.svg` or `.png`, says which.
        #[arg(short, long, value_name = "FILE.svg|FILE.png")]
        output: PathBuf,
        /// What the horizontal axis counts: the event's version or its time.
        #[arg(long, value_enum, default_value_t = XArg::Version)]
        x: XArg,
        /// Width in pixels.
        #[arg(long, default_value_t = crate::core::plot::DEFAULT_WIDTH)]
        width: u32,
        /// Height in pixels.
        #[arg(long, default_value_t = crate::core::plot::DEFAULT_HEIGHT)]
        height: u32,
        #[command(flatten)]
        replay: ReplayArgs,
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
        #[command(flatten)]
        output: FormatArgs,
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
    /// Print the completion script for a shell (the Debian package installs them), e.g.
    /// `eventscope completions bash > ~/.local/share/bash-completion/completions/eventscope`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `eventscope man | man -l -`; with a subcommand, its own page
    /// (`eventscope-streams(1)`, which the main page refers to).
    Man {
        /// The subcommand whose page to print.
        subcommand: Option<String>,
    },
}

/// `--x` of `plot`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum XArg {
    Version,
    Time,
}

impl From<XArg> for crate::core::plot::XAxis {
    fn from(arg: XArg) -> Self {
        match arg {
            XArg::Version => Self::Version,
            XArg::Time => Self::Time,
        }
    }
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
    /// The store, opened read-only: a SQLite file, or a postgres:// URL.
    pub file: PathBuf,
    /// A mapping file (JSON) to use instead of layout detection; `eventscope layout FILE` writes a template.
    #[arg(long, value_name = "FILE.json")]
    pub mapping: Option<PathBuf>,
    /// The key of encrypted payloads (eventsourcing's CIPHER_KEY), base64.
    #[arg(long, value_name = "BASE64")]
    pub cipher_key: Option<String>,
    /// A schema the payloads are read with: a Protocol Buffers .proto file (its imports looked up beside
    /// it) or descriptor set (protoc --include_imports --descriptor_set_out=FILE), an Avro .avsc file, or a
    /// Thrift .thrift IDL (its includes looked up beside it). Each payload is read as the type its event
    /// type names (the codec's types in a mapping, else the message, record or struct of that simple
    /// name); replaces a mapping's schema.
    #[arg(long, value_name = "PATH")]
    pub schema: Option<PathBuf>,
    /// The most one payload may hold once decoded (inflated, decrypted), in MiB; a payload past it is shown
    /// undecodable with the reason and its stored size, and every other event stays readable. At most 256
    /// (SQLite's limit on one value).
    #[arg(long, value_name = "MIB", default_value_t = DEFAULT_MAX_PAYLOAD_MB,
          value_parser = clap::value_parser!(u16).range(1..=i64::from(MAX_PAYLOAD_MB)))]
    pub max_payload_mb: u16,
    /// Print JSON (what the listing commands print when stdout is not a terminal; see --format).
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
pub(super) const DEFAULT_MAX_PAYLOAD_MB: u16 = mib(DEFAULT_MAX_PAYLOAD_BYTES);

/// The highest `--max-payload-mb`: [`MAX_PAYLOAD_BYTES_CEILING`] in MiB.
pub(super) const MAX_PAYLOAD_MB: u16 = mib(MAX_PAYLOAD_BYTES_CEILING);

pub(super) const fn mib(bytes: usize) -> u16 {
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
            .map_err(|err| anyhow::anyhow!("--cipher-key: {err} (give the key base64-encoded)"))?;
        let store = Store::open_with(
            &self.file,
            OpenOptions {
                mappings,
                cipher_key,
                max_payload_bytes: usize::from(self.max_payload_mb) * 1024 * 1024,
                server: None,
                schema: self.schema.clone(),
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

/// The budget of a jq reducer or predicate on one event (see `core::replay::jq`); past it the command fails, naming
/// the event.
#[derive(Debug, Args)]
pub struct JqArgs {
    /// Steps a jq program may take on one event: calls of definitions (`map`, `select`, your own),
    /// `reduce`/`foreach` iterations, `range` outputs and elements collected by `[...]`.
    #[arg(long, value_name = "N", default_value_t = crate::core::replay::jq::DEFAULT_STEPS)]
    pub jq_steps: u64,
    /// Milliseconds a jq program may take on one event.
    #[arg(long, value_name = "MS", default_value_t = crate::core::replay::jq::DEFAULT_TIMEOUT_MS)]
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
    #[arg(long, default_value_t = crate::core::audit::verify::DEFAULT_MAX_PER_KIND, value_name = "N")]
    pub max_per_kind: usize,
}

/// Read a mapping file: a mapping, a list of mappings (one per event table), or the whole output of
/// `eventscope layout` (whose `mappings` member is used).
pub fn read_mappings(path: &Path) -> anyhow::Result<Vec<Mapping>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read mapping {}", path.display()))?;
    let value: Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let mut mappings = parse_mappings(value)
        .with_context(|| format!("{} is not a valid mapping", path.display()))?;
    // A codec's schema path is the mapping file's, when relative.
    let base = path.parent().unwrap_or(Path::new(""));
    for mapping in &mut mappings {
        mapping.codec.schema = mapping
            .codec
            .schema
            .take()
            .map(|file| file.relative_to(base));
    }
    Ok(mappings)
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
