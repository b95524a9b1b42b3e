//! "Copy as command": the `eventscope` command lines that reproduce what the window shows (the state at
//! the playhead, the stream's events, the diff, a field's history, and the window itself on the same
//! view), so what a person sees can be scripted. [`ViewSpec::of`] reads a session once; [`view_commands`]
//! is a pure function of it, quoting every argument for a POSIX shell. A secret never goes on a line: a
//! cipher key is read from `$EVENTSCOPE_CIPHER_KEY`, and a PostgreSQL URL is written without its password.

use std::path::{Path, PathBuf};

use crate::core::decode::codec::DEFAULT_MAX_PAYLOAD_BYTES;
use crate::core::replay::jq::{DEFAULT_STEPS, DEFAULT_TIMEOUT_MS};
use crate::core::store::pg::{Environment, PgTarget, is_postgres_url};

use super::Session;

/// The shell variable a copied command reads the cipher key from.
pub const CIPHER_KEY_VARIABLE: &str = "EVENTSCOPE_CIPHER_KEY";

/// The file name a copied command puts where the window holds reducers edited in it (no file has them).
pub const EDITED_REDUCERS: &str = "REDUCERS.json";

/// The file name a copied command puts where the window holds a mapping set in it.
pub const WINDOW_MAPPING: &str = "MAPPING.json";

/// The reducers a view was replayed with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReducersUsed {
    /// The default deep merge.
    DeepMerge,
    /// The text this file holds.
    File(PathBuf),
    /// Text edited in the window, which no file holds.
    Edited,
}

/// What the commands reproduce: the store, how it was opened, and the view in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewSpec {
    /// A SQLite file, or a PostgreSQL URL (written without its password: see [`store_argument`]).
    pub store: PathBuf,
    pub stream: String,
    /// The (effective) version of the event at the playhead.
    pub version: i64,
    pub reducers: ReducersUsed,
    /// A mapping set in the window replaces layout detection.
    pub window_mapping: bool,
    /// Payloads are decrypted with a key.
    pub cipher_key: bool,
    /// `--schema`.
    pub schema: Option<PathBuf>,
    /// `--max-payload-mb`, when not the default.
    pub max_payload_mb: Option<u64>,
    /// `--jq-steps` and `--jq-timeout-ms`, when not the defaults.
    pub jq_budget: Option<(u64, u64)>,
    /// States replayed from the newest snapshot at or before the playhead.
    pub from_snapshot: bool,
    /// The versions of marks A and B, when both are set.
    pub marks: Option<(i64, i64)>,
    /// The field whose history is shown.
    pub history: Option<String>,
    /// The charted fields, in order.
    pub chart: Vec<String>,
}

/// One command of the menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyCommand {
    /// What it reproduces, as the menu shows it.
    pub label: &'static str,
    /// The line to copy, or why it cannot be written.
    pub line: Result<String, String>,
    /// What the reader must know before running it (a variable to set, a file to write), sorted.
    pub notes: Vec<String>,
}

impl ViewSpec {
    /// The view of `session`; `None` until a stream has loaded with an event at the playhead. Relative paths
    /// are made absolute, so a copied command runs from any directory.
    pub fn of(session: &Session) -> Option<Self> {
        let stream = session.stream()?;
        let index = stream.loaded.events.index();
        let version_at = |i: usize| index.effective_version(i);
        let version = version_at(stream.cursor)?;
        let options = session.store().options();
        let store = match &options.server {
            Some(server) => PathBuf::from(server.shown()),
            None => absolute(session.store().path()),
        };
        let reducers = match (session.reducers().text(), session.reducers().file()) {
            (None, _) => ReducersUsed::DeepMerge,
            (Some(_), Some(file)) => ReducersUsed::File(absolute(file)),
            (Some(_), None) => ReducersUsed::Edited,
        };
        let budget = session.jq_budget();
        let timeout_ms = u64::try_from(budget.time.as_millis()).unwrap_or(u64::MAX);
        let jq_budget = ((budget.steps, timeout_ms) != (DEFAULT_STEPS, DEFAULT_TIMEOUT_MS))
            .then_some((budget.steps, timeout_ms));
        let marks = match session.marks() {
            (Some(a), Some(b)) => version_at(a).zip(version_at(b)),
            _ => None,
        };
        Some(Self {
            store,
            stream: stream.loaded.summary.id.clone(),
            version,
            reducers,
            window_mapping: options.mappings.is_some(),
            cipher_key: options.cipher_key.is_some(),
            schema: options.schema.as_deref().map(absolute),
            max_payload_mb: (options.max_payload_bytes != DEFAULT_MAX_PAYLOAD_BYTES).then(|| {
                u64::try_from(options.max_payload_bytes.div_ceil(1024 * 1024)).unwrap_or(u64::MAX)
            }),
            jq_budget,
            from_snapshot: session.from_snapshot(),
            marks,
            history: session.history().map(|h| h.path.clone()),
            chart: session
                .chart()
                .map(|c| c.paths().to_vec())
                .unwrap_or_default(),
        })
    }
}

fn absolute(path: &Path) -> PathBuf {
    if is_postgres_url(&path.to_string_lossy()) {
        return path.to_owned();
    }
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

/// One word of a command line.
enum Word {
    /// Quoted for the shell as needed.
    Text(String),
    /// Written as is: a shell expansion.
    Shell(&'static str),
}

/// The words of a line being built, and the notes it needs.
struct Line {
    words: Vec<Word>,
    notes: Vec<String>,
    error: Option<String>,
}

impl Line {
    fn new(subcommand: Option<&str>) -> Self {
        let mut line = Self {
            words: vec![Word::Text("eventscope".to_owned())],
            notes: Vec::new(),
            error: None,
        };
        if let Some(subcommand) = subcommand {
            line.text(subcommand);
        }
        line
    }

    fn text(&mut self, word: impl Into<String>) -> &mut Self {
        self.words.push(Word::Text(word.into()));
        self
    }

    fn path(&mut self, what: &str, path: &Path) -> &mut Self {
        match path.to_str() {
            Some(text) => self.text(text),
            None => {
                self.error = Some(format!(
                    "the {what} path {} is not UTF-8, which a copied line cannot hold",
                    path.display()
                ));
                self
            }
        }
    }

    fn flag(&mut self, flag: &str, value: impl Into<String>) -> &mut Self {
        self.text(flag).text(value)
    }

    fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// The store argument: the file, or the URL without its password.
    fn store(&mut self, spec: &ViewSpec) -> &mut Self {
        let shown = spec.store.to_string_lossy();
        if is_postgres_url(&shown) {
            match store_argument(&shown) {
                Ok(url) => {
                    self.text(url);
                    self.note(
                        "The PostgreSQL password is left out: give it in PGPASSWORD or ~/.pgpass."
                            .to_owned(),
                    );
                }
                Err(message) => self.error = Some(message),
            }
            return self;
        }
        self.path("store", &spec.store)
    }

    /// The options of `StoreArgs` the view was opened with.
    fn store_options(&mut self, spec: &ViewSpec) -> &mut Self {
        if spec.window_mapping {
            self.flag("--mapping", WINDOW_MAPPING);
            self.note(format!(
                "The mapping was set in the window: write it to {WINDOW_MAPPING} (`eventscope layout` prints \
                 a template to edit)."
            ));
        }
        if spec.cipher_key {
            self.text("--cipher-key")
                .words
                .push(Word::Shell("\"$EVENTSCOPE_CIPHER_KEY\""));
            self.note(format!(
                "The cipher key is not copied: set {CIPHER_KEY_VARIABLE} to it (base64) first."
            ));
        }
        if let Some(schema) = &spec.schema {
            self.text("--schema").path("schema", schema);
        }
        if let Some(mb) = spec.max_payload_mb {
            self.flag("--max-payload-mb", mb.to_string());
        }
        self
    }

    /// The options of `ReplayArgs`.
    fn replay_options(&mut self, spec: &ViewSpec) -> &mut Self {
        self.reducers(spec);
        if let Some((steps, timeout_ms)) = spec.jq_budget {
            self.flag("--jq-steps", steps.to_string())
                .flag("--jq-timeout-ms", timeout_ms.to_string());
        }
        self
    }

    fn reducers(&mut self, spec: &ViewSpec) -> &mut Self {
        match &spec.reducers {
            ReducersUsed::DeepMerge => {}
            ReducersUsed::File(path) => {
                self.text("--reducers").path("reducers", path);
            }
            ReducersUsed::Edited => {
                self.flag("--reducers", EDITED_REDUCERS);
                self.note(format!(
                    "The reducers were edited in the window: save them (Reducers > Save file) as \
                     {EDITED_REDUCERS}."
                ));
            }
        }
        self
    }

    fn finish(&mut self, label: &'static str) -> CopyCommand {
        let mut notes = std::mem::take(&mut self.notes);
        notes.sort();
        let line = match self.error.take() {
            Some(message) => Err(message),
            None => self
                .words
                .iter()
                .map(|word| match word {
                    Word::Text(text) => {
                        shlex::try_quote(text).map(|q| q.into_owned()).map_err(|_| {
                            format!("{text:?} holds a NUL character, which no shell argument can")
                        })
                    }
                    Word::Shell(text) => Ok((*text).to_owned()),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(|words| words.join(" ")),
        };
        CopyCommand { label, line, notes }
    }
}

/// The commands reproducing `spec`, in the menu's order: the state, the events, the diff, the history
/// (when one is shown), then the window.
pub fn view_commands(spec: &ViewSpec) -> Vec<CopyCommand> {
    let version = spec.version.to_string();
    let mut commands = Vec::new();

    let mut state = Line::new(Some("state"));
    state.store(spec).text(&spec.stream).flag("--at", &version);
    if spec.from_snapshot {
        state.text("--from-snapshot");
    }
    commands.push(
        state
            .store_options(spec)
            .replay_options(spec)
            .finish("State at the playhead"),
    );

    let mut events = Line::new(Some("events"));
    events.store(spec).text(&spec.stream);
    commands.push(
        events
            .store_options(spec)
            .replay_options(spec)
            .finish("Events of the stream"),
    );

    let mut diff = Line::new(Some("diff"));
    diff.store(spec).text(&spec.stream);
    let label = match spec.marks {
        Some((a, b)) => {
            diff.flag("--from", a.to_string())
                .flag("--to", b.to_string());
            "Diff from A to B"
        }
        None => {
            diff.flag("--to", &version);
            "Diff of the current event"
        }
    };
    commands.push(diff.store_options(spec).replay_options(spec).finish(label));

    if let Some(path) = &spec.history {
        let mut history = Line::new(Some("history"));
        history.store(spec).text(&spec.stream).flag("--path", path);
        commands.push(
            history
                .store_options(spec)
                .replay_options(spec)
                .finish("History of the field"),
        );
    }

    if !spec.chart.is_empty() {
        let mut plot = Line::new(Some("plot"));
        plot.store(spec).text(&spec.stream);
        for path in &spec.chart {
            plot.flag("--path", path);
        }
        plot.flag("-o", "chart.svg");
        commands.push(
            plot.store_options(spec)
                .replay_options(spec)
                .finish("Chart as SVG (chart.svg)"),
        );
    }

    let mut window = Line::new(None);
    window
        .store(spec)
        .flag("--stream", &spec.stream)
        .flag("--at", &version);
    window.reducers(spec);
    if let Some(schema) = &spec.schema {
        window.text("--schema").path("schema", schema);
    }
    for path in &spec.chart {
        window.flag("--chart", path);
    }
    if spec.window_mapping {
        window.note(
            "The window detects the layout again: set the mapping with File > Edit mapping."
                .to_owned(),
        );
    }
    if spec.cipher_key {
        window.note("The window asks for the cipher key.".to_owned());
    }
    if spec.from_snapshot || spec.jq_budget.is_some() || spec.max_payload_mb.is_some() {
        window.note(
            "Replaying from snapshots, the jq budget and the payload cap are set in the window, not on its \
             command line."
                .to_owned(),
        );
    }
    commands.push(window.finish("This window"));
    commands
}

/// A PostgreSQL URL as a command line may hold it: what the URL says (user, host, port, database and its
/// parameters), never a password.
pub fn store_argument(url: &str) -> Result<String, String> {
    PgTarget::parse(url, &NoEnvironment)
        .map(|target| target.shown())
        .map_err(|err| format!("cannot write the store's URL: {err}"))
}

/// An empty environment: the URL alone says what goes on the line.
struct NoEnvironment;

impl Environment for NoEnvironment {
    fn var(&self, _name: &str) -> Option<String> {
        None
    }

    fn home(&self) -> Option<PathBuf> {
        None
    }
}

#[cfg(test)]
mod tests;
