//! Helpers shared by the integration tests: where the sample stores live, running the `eventscope`
//! binary and reading its JSON, a connection of our own for counting rows behind the library's back,
//! and directory snapshots (names, bytes and modification times) for proving that reading changed
//! nothing.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use rusqlite::{Connection, OpenFlags};
use serde_json::Value;

/// `events` table, one row per event, streams keyed by dashed UUIDs (see `sample-data/README.md`).
pub const SHOP: &str = "shop.sqlite";
/// `order_history` table, integer `order_id` streams, no versions.
pub const ORDER_HISTORY: &str = "order_history.sqlite";
/// `event_log` table without a stream column, BLOB payloads, a few of them undecodable.
pub const SINGLE_LOG: &str = "single_log.sqlite";
/// `person_events` table whose stream id, type and time live inside the JSON body.
pub const PERSON_REGISTRY: &str = "person_registry.sqlite";

/// Every sample store.
pub const ALL_SAMPLES: [&str; 4] = [SHOP, ORDER_HISTORY, SINGLE_LOG, PERSON_REGISTRY];

/// The shop's deliberately large order (200 events).
pub const BIG_ORDER: &str = "c3ba9975-1aa5-4e32-93c7-7b341e5d1c37";
/// A small shop order (11 events) that ends `paid`.
pub const SMALL_ORDER: &str = "38d81ecc-3260-4353-8850-9317ae6eb057";

/// Path of a file in `sample-data/`.
pub fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data")
        .join(name)
}

/// A plain SQLite connection that cannot write, for checking the library's answers independently.
pub fn open_sqlite_read_only(path: &Path) -> Connection {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .unwrap_or_else(|e| panic!("open {} read-only: {e}", path.display()))
}

/// `count(*)` of a table, through our own connection.
pub fn count_rows(path: &Path, table: &str) -> u64 {
    let conn = open_sqlite_read_only(path);
    let sql = format!("SELECT count(*) FROM \"{table}\"");
    let n: i64 = conn
        .query_row(&sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("count rows of {table}: {e}"));
    u64::try_from(n).expect("a count is never negative")
}

/// What one run of the binary printed.
#[derive(Debug)]
pub struct CliOutput {
    pub success: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Run `eventscope` with `args`.
pub fn run_cli<I, S>(args: I) -> CliOutput
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let output = Command::new(env!("CARGO_BIN_EXE_eventscope"))
        .args(args)
        .output()
        .expect("the eventscope binary runs");
    CliOutput {
        success: output.status.success(),
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Run `eventscope` with `args`, require success with nothing on stderr, and parse stdout as JSON.
pub fn cli_json<I, S>(args: I) -> Value
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<S> = args.into_iter().collect();
    let shown: Vec<String> = args
        .iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect();
    let out = run_cli(&args);
    assert!(
        out.success,
        "eventscope {shown:?} failed ({:?}): {}",
        out.code, out.stderr
    );
    assert_eq!(out.stderr, "", "eventscope {shown:?} wrote to stderr");
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "eventscope {shown:?} printed invalid JSON ({e}): {}",
            out.stdout
        )
    })
}

/// Run `eventscope` with `args`, require a non-zero exit with nothing on stdout and a message on stderr;
/// returns the message.
pub fn cli_error<I, S>(args: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<S> = args.into_iter().collect();
    let shown: Vec<String> = args
        .iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect();
    let out = run_cli(&args);
    assert!(
        !out.success,
        "eventscope {shown:?} should fail but printed {}",
        out.stdout
    );
    assert!(
        out.code.is_some_and(|c| c != 0),
        "eventscope {shown:?} should exit with a non-zero code, not {:?}",
        out.code
    );
    assert_eq!(
        out.stdout, "",
        "eventscope {shown:?} failed but wrote to stdout"
    );
    assert!(
        !out.stderr.trim().is_empty(),
        "eventscope {shown:?} failed without a message"
    );
    out.stderr
}

/// Index of the first byte where `a` and `b` differ (the shorter length when one is a prefix of the
/// other), `None` when they are equal.
pub fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .or_else(|| (a.len() != b.len()).then(|| a.len().min(b.len())))
}

/// One file as a snapshot keeps it.
#[derive(Clone, Debug)]
pub struct FileState {
    pub bytes: Vec<u8>,
    pub modified: SystemTime,
}

/// The regular files of one directory (not recursive) with their bytes and modification times, plus the
/// directory's own modification time, which moves when a file is created or deleted in it.
#[derive(Clone, Debug)]
pub struct DirSnapshot {
    pub dir_modified: SystemTime,
    pub files: BTreeMap<String, FileState>,
}

impl DirSnapshot {
    /// The file names, sorted.
    pub fn names(&self) -> Vec<&str> {
        self.files.keys().map(String::as_str).collect()
    }
}

/// Snapshot `dir`.
pub fn snapshot_dir(dir: &Path) -> DirSnapshot {
    let dir_modified = std::fs::metadata(dir)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("stat {}: {e}", dir.display()));
    let mut files = BTreeMap::new();
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("list {}: {e}", dir.display()));
    for entry in entries {
        let entry = entry.expect("a directory entry");
        let path = entry.path();
        let meta = entry.metadata().expect("metadata of a directory entry");
        assert!(
            meta.is_file(),
            "{} is not a regular file; snapshots expect flat directories",
            path.display()
        );
        let state = FileState {
            bytes: std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display())),
            modified: meta.modified().expect("modification time"),
        };
        files.insert(entry.file_name().to_string_lossy().into_owned(), state);
    }
    DirSnapshot {
        dir_modified,
        files,
    }
}

/// Assert that nothing in the directory changed between two snapshots, except the files named in
/// `ignore_contents`, which must still exist but whose bytes and times may differ.
pub fn assert_dir_unchanged(before: &DirSnapshot, after: &DirSnapshot, ignore_contents: &[&str]) {
    assert_eq!(
        after.names(),
        before.names(),
        "files appeared or disappeared"
    );
    for (name, old) in &before.files {
        if ignore_contents.contains(&name.as_str()) {
            continue;
        }
        let new = &after.files[name];
        assert_eq!(
            first_difference(&old.bytes, &new.bytes),
            None,
            "{name} changed ({} bytes before, {} after)",
            old.bytes.len(),
            new.bytes.len()
        );
        assert_eq!(
            new.modified, old.modified,
            "{name} has a new modification time"
        );
    }
    assert_eq!(
        after.dir_modified, before.dir_modified,
        "the directory was modified (a file was created or removed in it)"
    );
}

/// Copy a sample store into `dir` and return the copy's path.
pub fn copy_sample_into(dir: &Path, name: &str) -> PathBuf {
    let target = dir.join(name);
    std::fs::copy(sample(name), &target)
        .unwrap_or_else(|e| panic!("copy {name} into {}: {e}", dir.display()));
    target
}

/// The path as a string argument for the CLI.
pub fn arg(path: &Path) -> String {
    path.to_str().expect("test paths are UTF-8").to_owned()
}

/// Step the app's UI until `done` holds: the worker threads answer asynchronously.
pub fn step_until(
    harness: &mut egui_kittest::Harness<'static, eventscope::app::EventscopeApp>,
    what: &str,
    done: impl Fn(&eventscope::app::EventscopeApp) -> bool,
) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !done(harness.state()) {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
        harness.step();
    }
    harness.run_steps(2);
}

/// The window at 1400x860 opened with `start`, stepped until its stream has loaded with the playhead on
/// the first event.
pub fn window_on_first_event(
    start: eventscope::app::StartOptions,
) -> egui_kittest::Harness<'static, eventscope::app::EventscopeApp> {
    let mut harness = egui_kittest::Harness::builder()
        .with_size(eframe::egui::Vec2::new(1400.0, 860.0))
        .build_eframe(move |cc| eventscope::app::EventscopeApp::new(cc, start));
    step_until(&mut harness, "the stream to load", |app| {
        cursor(app) == Some(0)
    });
    harness.run_steps(2);
    harness
}

/// Check every event of `store`, the binary-payload sample `name` (an `events` table of `id` and `data`),
/// against `expected` (each event's position, stream and type), its decoded payload equal to the expected
/// event's `field`, in the same order, and its stored bytes kept beside it.
pub fn assert_payloads_read_back(
    store: &eventscope::core::store::Store,
    name: &str,
    expected: &[Value],
    field: &str,
) {
    use eventscope::core::decode::codec::bytes_of_stored;
    let conn = open_sqlite_read_only(&sample(name));
    let mut seen = 0;
    for stream in store.streams().unwrap() {
        for event in store.events(&stream.id).unwrap() {
            let at = event.position;
            let want = expected
                .iter()
                .find(|e| e["position"] == at)
                .unwrap_or_else(|| panic!("{name}: no expected event at {at}"));
            assert_eq!(
                want["stream"],
                Value::from(stream.id.clone()),
                "{name} {at}"
            );
            assert_eq!(
                want["type"],
                Value::from(event.event_type.clone()),
                "{name} {at}"
            );
            assert_eq!(
                event.data.json(),
                Some(&want[field]),
                "{name} {field} at {at}: {:?}",
                event.data
            );
            // In the same order too (what the library read, as stored or numbered).
            assert_eq!(
                event.data.json().map(Value::to_string),
                Some(want[field].to_string()),
                "{name} {field} order at {at}"
            );
            let stored: Vec<u8> = conn
                .query_row("SELECT data FROM events WHERE id = ?1", [at], |r| r.get(0))
                .unwrap();
            assert_eq!(
                event.stored.as_ref().and_then(bytes_of_stored),
                Some(stored),
                "{name} {at}: the stored bytes stay viewable"
            );
            seen += 1;
        }
    }
    assert_eq!(seen, expected.len(), "{name}: every event read");
}

/// The real app in a 1400 x 860 harness, with `settings` in place of the stored ones (a restart stands in
/// this way), then opened on `start`.
pub fn harness_with(
    start: eventscope::app::StartOptions,
    settings: Option<eventscope::app::Settings>,
) -> egui_kittest::Harness<'static, eventscope::app::EventscopeApp> {
    egui_kittest::Harness::builder()
        .with_size(eframe::egui::Vec2::new(1400.0, 860.0))
        .build_eframe(move |cc| {
            let mut app = eventscope::app::EventscopeApp::new(cc, Default::default());
            if let Some(settings) = settings {
                *app.settings_mut() = settings;
            }
            app.start_with(start);
            app
        })
}

/// An in-memory stand-in for eframe's settings file.
#[derive(Default)]
pub struct MemoryStorage(pub BTreeMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

/// The playhead of the selected stream, once it is loaded.
pub fn cursor(app: &eventscope::app::EventscopeApp) -> Option<usize> {
    app.session().and_then(|s| s.stream()).map(|s| s.cursor)
}

/// Replace the text of the window's field labelled `label`: focus it, select all, type.
pub fn replace_text(
    harness: &mut egui_kittest::Harness<'static, eventscope::app::EventscopeApp>,
    label: &str,
    text: &str,
) {
    use egui_kittest::kittest::Queryable as _;
    harness.get_by_label(label).focus();
    harness.run_steps(1);
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::A);
    harness.key_press(eframe::egui::Key::Backspace);
    harness.get_by_label(label).type_text(text);
    harness.run_steps(2);
}

/// Check `events --json` output of one stream: each event of type `kind` raw, its reason starting with
/// `reason`, and every other event's data as `expected` (a sample's expected events) has it.
pub fn assert_kind_stays_raw(events: &[Value], expected: &[Value], kind: &str, reason: &str) {
    for event in events {
        if event["type"] == kind {
            let got = event["data"]["$undecodable"]["reason"].as_str().unwrap();
            assert!(got.starts_with(reason), "{got}");
        } else {
            let want = expected
                .iter()
                .find(|e| e["position"] == event["position"])
                .unwrap();
            assert_eq!(event["data"], want["data"]);
        }
    }
}

/// `verify --schema schema` on `store` finds schema drift in `events` events, each of type `kind`, its
/// message naming `place` (`/ (6:` for protobuf's field 6 at the payload's top).
pub fn assert_schema_drift(store: &Path, schema: &Path, events: usize, kind: &str, place: &str) {
    let verified = cli_json(["verify", &arg(store), "--json", "--schema", &arg(schema)]);
    let findings = verified["findings"].as_array().unwrap();
    let drift: Vec<&Value> = findings
        .iter()
        .filter(|f| f["kind"] == "schema_drift")
        .collect();
    assert_eq!(drift.len(), events, "{verified}");
    for finding in drift {
        let message = finding["message"].as_str().unwrap();
        assert!(message.contains(&format!("(type {kind})")), "{message}");
        assert!(message.contains(place), "{message}");
    }
}

/// The window on `store` opened with `schema` at the first event of `stream`, showing that its payload was
/// decoded from `format` (`"Avro"`) with the stored bytes beside it, and each of `shown` somewhere.
pub fn assert_window_reads_with_schema(
    store: &str,
    stream: &str,
    schema: PathBuf,
    format: &str,
    shown: &[&str],
) {
    use egui_kittest::kittest::Queryable as _;
    let harness = window_on_first_event(eventscope::app::StartOptions {
        file: Some(sample(store)),
        stream: Some(stream.to_owned()),
        at: Some(1),
        schema: Some(schema),
        ..Default::default()
    });
    harness.get_by_label(&format!("decoded from {format}"));
    harness.get_by_label_contains("Stored bytes (");
    for text in shown {
        let found = harness.query_all_by_label_contains(text).next();
        assert!(found.is_some(), "{text} shown");
    }
}

/// What the next few frames put on the clipboard (a click is seen in the frame after it); `what` names the
/// click in the failure message.
pub fn copied_next(
    harness: &mut egui_kittest::Harness<'static, eventscope::app::EventscopeApp>,
    what: &str,
) -> String {
    for _ in 0..4 {
        harness.step();
        let copied = harness
            .output()
            .platform_output
            .commands
            .iter()
            .find_map(|command| match command {
                eframe::egui::OutputCommand::CopyText(text) => Some(text.clone()),
                _ => None,
            });
        if let Some(text) = copied {
            return text;
        }
    }
    panic!("{what} copied nothing");
}
