//! Eventscope never changes the stores it opens. Each test copies or builds a store in a temporary
//! directory, snapshots every file there (names, bytes, modification times, and the directory's own
//! modification time), reads the store through the library, the CLI and a `Session`, and checks the
//! snapshot again: same files, same bytes, and no `-wal`, `-shm` or `-journal` left behind. WAL stores are
//! covered both checkpointed (no `-wal` beside them) and with a live writer whose committed transactions are
//! still only in the `-wal`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use eventscope::core::replay::{DeepMerge, replay};
use eventscope::core::store::Store;
use eventscope::session::{Command, Session};
use rusqlite::Connection;
use serde_json::{Value, json};

use crate::common::{
    ALL_SAMPLES, ORDER_HISTORY, PERSON_REGISTRY, SHOP, SINGLE_LOG, SMALL_ORDER, arg,
    assert_dir_unchanged, cli_error, cli_json, copy_sample_into, snapshot_dir,
};

/// Generous: only a deadlock would reach it.
const IDLE: Duration = Duration::from_secs(120);

/// What reading a store should find.
struct Expected<'a> {
    stream: &'a str,
    streams: usize,
    events: usize,
    journal_mode: &'static str,
    immutable: bool,
}

const fn rollback<'a>(stream: &'a str, streams: usize, events: usize) -> Expected<'a> {
    Expected {
        stream,
        streams,
        events,
        journal_mode: "rollback",
        immutable: false,
    }
}

/// Read `path` through every entry point and check each one found what `want` says.
fn read_through_every_entry_point(path: &Path, want: &Expected<'_>) {
    read_through_the_library(path, want);
    read_through_the_cli(path, want);
    read_through_a_session(path, want);
}

fn read_through_the_library(path: &Path, want: &Expected<'_>) {
    let store = Store::open(path, None).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    assert_eq!(store.info().journal_mode, want.journal_mode);
    assert_eq!(store.info().immutable, want.immutable);
    assert_eq!(store.streams().expect("streams").len(), want.streams);
    let summary = store.stream(want.stream).expect("stream summary");
    let events = store.events(want.stream).expect("events");
    assert_eq!(events.len(), want.events);
    let state = replay(&DeepMerge, summary.stream_type.as_deref(), &events).expect("replay");
    assert!(state.is_object(), "{state}");
}

fn read_through_the_cli(path: &Path, want: &Expected<'_>) {
    let file = arg(path);
    let streams = cli_json(["streams", &file, "--json"]);
    assert_eq!(streams.as_array().map(Vec::len), Some(want.streams));
    let events = cli_json(["events", &file, want.stream, "--json"]);
    assert_eq!(events.as_array().map(Vec::len), Some(want.events));
    let state = cli_json(["state", &file, want.stream, "--json"]);
    assert!(state.is_object(), "{state}");
    let first = cli_json(["state", &file, want.stream, "--at", "1", "--json"]);
    assert_ne!(first, json!({}), "the first event sets some state");
    let diff = cli_json([
        "diff",
        &file,
        want.stream,
        "--from",
        "0",
        "--to",
        "1",
        "--json",
    ]);
    assert!(diff.as_array().is_some_and(|d| !d.is_empty()), "{diff}");
    let last = cli_json(["diff", &file, want.stream, "--json"]);
    assert!(last.is_array(), "{last}");
    let layout = cli_json(["layout", &file]);
    assert_eq!(layout["open"]["journal_mode"], want.journal_mode);
    assert_eq!(layout["open"]["immutable"], want.immutable);
}

fn read_through_a_session(path: &Path, want: &Expected<'_>) {
    let mut session = Session::open(
        path.to_path_buf(),
        eventscope::core::store::OpenOptions::default(),
        Arc::new(|| {}),
    )
    .expect("start a session");
    assert!(
        session.wait_idle(IDLE),
        "the session never finished opening"
    );
    assert_eq!(session.store().open_failed(), None);
    assert_eq!(
        session
            .store()
            .info()
            .map(|i| (i.journal_mode, i.immutable)),
        Some((want.journal_mode, want.immutable))
    );
    assert_eq!(
        session.streams().all().map(|all| all.len()),
        Some(want.streams)
    );

    session.apply(Command::SelectStream(want.stream.to_owned()));
    assert!(session.wait_idle(IDLE), "the stream never finished loading");
    assert_eq!(session.error(), None);
    let cursor = |s: &Session| s.stream().map(|v| v.cursor);
    let loaded = session.stream().expect("the stream is loaded");
    assert_eq!(loaded.loaded.events.len(), want.events);
    assert_eq!(
        cursor(&session),
        Some(want.events - 1),
        "the playhead starts at the end"
    );

    session.apply(Command::Step(-1));
    assert_eq!(cursor(&session), Some(want.events - 2));
    session.apply(Command::First);
    assert_eq!(cursor(&session), Some(0));
    let view = session.stream().map(|v| v.view.clone());
    let Some(Ok(view)) = view else {
        panic!("the first event has a view: {view:?}");
    };
    assert!(
        !view.changes.is_empty(),
        "the first event changes the state"
    );
    session.apply(Command::Step(1));
    assert_eq!(cursor(&session), Some(1));
    assert!(session.stream().is_some_and(|v| v.view.is_ok()));
}

// ---------------------------------------------------------------------------- stores built here

const SCHEMA: &str = "CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    stream_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL
);";

/// A connection that writes `path` in WAL mode and never checkpoints on its own.
fn wal_writer(path: &Path) -> Connection {
    let conn = Connection::open(path).expect("create the store");
    let mode: String = conn
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .expect("switch to WAL");
    assert_eq!(mode, "wal");
    conn.execute_batch("PRAGMA wal_autocheckpoint=0;")
        .expect("no automatic checkpoints");
    conn.execute_batch(SCHEMA).expect("create the events table");
    conn
}

/// Append versions `from..=to` of `stream` in one committed transaction. Each event sets `balance` to
/// ten times its version and adds one key `v<version>`.
fn append(conn: &mut Connection, stream: &str, from: i64, to: i64) {
    let tx = conn.transaction().expect("begin");
    for version in from..=to {
        let data = json!({"balance": version * 10, "seen": {format!("v{version}"): true}});
        tx.execute(
            "INSERT INTO events(stream_id, version, type, data, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![
                stream,
                version,
                if version == 1 { "Opened" } else { "Deposited" },
                data.to_string(),
                format!("2024-02-01 10:{:02}:{:02}", version / 60, version % 60),
            ],
        )
        .expect("insert an event");
    }
    tx.commit().expect("commit");
}

/// Whether the file's header says WAL (read and write format versions 2).
fn header_says_wal(path: &Path) -> bool {
    let bytes = std::fs::read(path).expect("read the store");
    bytes.get(18) == Some(&2) && bytes.get(19) == Some(&2)
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list the directory")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// A WAL-mode store with `account-1` (30 events) and `account-2` (12), its writer closed so the WAL was
/// checkpointed into the main file and the `-wal` and `-shm` removed.
fn checkpointed_wal_store(dir: &Path) -> PathBuf {
    let path = dir.join("ledger.sqlite");
    let mut writer = wal_writer(&path);
    append(&mut writer, "account-1", 1, 30);
    append(&mut writer, "account-2", 1, 12);
    drop(writer);
    assert_eq!(
        file_names(dir),
        ["ledger.sqlite"],
        "closing removed the -wal and -shm"
    );
    assert!(header_says_wal(&path));
    path
}

/// Makes a file and its directory read-only and puts the permissions back when dropped (so the temporary
/// directory can be removed even if the test fails).
#[cfg(unix)]
struct ReadOnlyGuard {
    file: PathBuf,
    dir: PathBuf,
}

#[cfg(unix)]
impl ReadOnlyGuard {
    fn new(file: &Path) -> Self {
        let dir = file
            .parent()
            .expect("the file has a directory")
            .to_path_buf();
        set_mode(file, 0o444);
        set_mode(&dir, 0o555);
        Self {
            file: file.to_path_buf(),
            dir,
        }
    }
}

#[cfg(unix)]
impl Drop for ReadOnlyGuard {
    fn drop(&mut self) {
        // Best effort: panicking here while a failed test unwinds would abort the whole run.
        use std::os::unix::fs::PermissionsExt as _;
        let _ = std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o755));
        let _ = std::fs::set_permissions(&self.file, std::fs::Permissions::from_mode(0o644));
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {mode:o} {}: {e}", path.display()));
}

// ------------------------------------------------------------------------------------------ tests

#[test]
fn every_sample_copied_and_read_through_every_entry_point_is_left_byte_for_byte_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths: Vec<PathBuf> = ALL_SAMPLES
        .iter()
        .map(|name| copy_sample_into(dir.path(), name))
        .collect();
    let before = snapshot_dir(dir.path());
    assert_eq!(before.files.len(), 4);

    read_through_every_entry_point(&paths[0], &rollback(SMALL_ORDER, 65, 11));
    read_through_every_entry_point(&paths[1], &rollback("20", 20, 15));
    read_through_every_entry_point(&paths[2], &rollback("event_log", 1, 300));
    read_through_every_entry_point(&paths[3], &rollback("9", 30, 10));

    let after = snapshot_dir(dir.path());
    assert_eq!(
        after.names(),
        [ORDER_HISTORY, PERSON_REGISTRY, SHOP, SINGLE_LOG],
        "no -journal, -wal or -shm appeared"
    );
    assert_dir_unchanged(&before, &after, &[]);
}

#[test]
fn a_checkpointed_wal_store_is_read_whole_and_leaves_no_wal_or_shm_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = checkpointed_wal_store(dir.path());
    let before = snapshot_dir(dir.path());

    let wal = |stream, events| Expected {
        stream,
        streams: 2,
        events,
        journal_mode: "wal",
        immutable: true,
    };
    read_through_every_entry_point(&path, &wal("account-1", 30));
    read_through_every_entry_point(&path, &wal("account-2", 12));
    let store = Store::open(&path, None).expect("open");
    let state = replay(
        &DeepMerge,
        None,
        &store.events("account-1").expect("events"),
    )
    .expect("replay");
    assert_eq!(state["balance"], 300);
    assert_eq!(state["seen"].as_object().map(|s| s.len()), Some(30));
    drop(store);

    let after = snapshot_dir(dir.path());
    assert_eq!(after.names(), ["ledger.sqlite"], "no -wal or -shm appeared");
    assert_dir_unchanged(&before, &after, &[]);
    assert!(header_says_wal(&path), "still a WAL-mode file");
}

#[test]
fn a_wal_store_with_a_live_writer_shows_events_committed_only_to_the_wal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ledger.sqlite");
    let mut writer = wal_writer(&path);
    append(&mut writer, "account-1", 1, 10);
    writer
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint the first ten events into the main file");
    append(&mut writer, "account-1", 11, 15);
    append(&mut writer, "account-2", 1, 5);
    let wal_file = dir.path().join("ledger.sqlite-wal");
    let wal_len = std::fs::metadata(&wal_file).expect("the -wal exists").len();
    assert!(wal_len > 0, "the last transactions are in the -wal");

    // The main file alone (as a copy without its -wal) holds only the first ten events.
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let main_only = elsewhere.path().join("ledger.sqlite");
    std::fs::copy(&path, &main_only).expect("copy the main file");
    let store = Store::open(&main_only, None).expect("open the main file alone");
    let streams = store.streams().expect("streams");
    assert_eq!(streams.len(), 1);
    assert_eq!(
        (streams[0].id.as_str(), streams[0].events),
        ("account-1", 10)
    );
    drop(store);

    let before = snapshot_dir(dir.path());
    assert_eq!(
        before.names(),
        ["ledger.sqlite", "ledger.sqlite-shm", "ledger.sqlite-wal"]
    );
    let live = |stream, events| Expected {
        stream,
        streams: 2,
        events,
        journal_mode: "wal",
        immutable: false,
    };
    read_through_every_entry_point(&path, &live("account-1", 15));
    read_through_every_entry_point(&path, &live("account-2", 5));
    let store = Store::open(&path, None).expect("open beside the writer");
    let events = store.events("account-1").expect("events");
    let versions: Vec<Option<i64>> = events.iter().map(|e| e.version).collect();
    assert_eq!(versions, (1..=15).map(Some).collect::<Vec<_>>());
    let state = replay(&DeepMerge, None, &events).expect("replay");
    assert_eq!(state["balance"], 150);
    drop(store);

    // Readers may take read marks in the -shm; the main file and the -wal must be untouched.
    let after = snapshot_dir(dir.path());
    assert_dir_unchanged(&before, &after, &["ledger.sqlite-shm"]);

    // The writer was never blocked, and what it commits next is seen by the next open.
    append(&mut writer, "account-2", 6, 6);
    let store = Store::open(&path, None).expect("open again");
    assert_eq!(store.stream("account-2").expect("summary").events, 6);
    let state = replay(
        &DeepMerge,
        None,
        &store.events("account-2").expect("events"),
    )
    .expect("replay");
    assert_eq!(state["balance"], 60);
    assert_eq!(state["seen"]["v6"], Value::Bool(true));
}

#[test]
#[cfg(unix)]
fn a_read_only_store_in_a_read_only_directory_opens_and_stays_unchanged() {
    // Tests may run as root, for whom permission bits do not stop writes: so this does not expect a
    // failure, it checks that everything can still be read and that nothing changes.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = copy_sample_into(dir.path(), SHOP);
    let guard = ReadOnlyGuard::new(&path);
    let before = snapshot_dir(dir.path());
    read_through_every_entry_point(&path, &rollback(SMALL_ORDER, 65, 11));
    let after = snapshot_dir(dir.path());
    assert_dir_unchanged(&before, &after, &[]);
    drop(guard);
}

#[test]
#[cfg(unix)]
fn a_read_only_wal_store_in_a_read_only_directory_opens_and_stays_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = checkpointed_wal_store(dir.path());
    let guard = ReadOnlyGuard::new(&path);
    let before = snapshot_dir(dir.path());
    let want = Expected {
        stream: "account-1",
        streams: 2,
        events: 30,
        journal_mode: "wal",
        immutable: true,
    };
    read_through_every_entry_point(&path, &want);
    let after = snapshot_dir(dir.path());
    assert_eq!(after.names(), ["ledger.sqlite"]);
    assert_dir_unchanged(&before, &after, &[]);
    drop(guard);
}

#[test]
#[cfg(unix)]
fn a_store_whose_path_needs_uri_escaping_opens_and_stays_unchanged() {
    // The store is opened through an SQLite `file:` URI: spaces, `?`, `#`, `%` and non-ASCII letters in the
    // path must be escaped, or SQLite would open (and maybe create) a different file.
    let outer = tempfile::tempdir().expect("temp dir");
    let dir = outer.path().join("stores #1 ?mode=rwc 100% Kraków");
    std::fs::create_dir(&dir).expect("create the directory");
    let path = copy_sample_into(&dir, ORDER_HISTORY);
    let before = snapshot_dir(&dir);
    read_through_every_entry_point(&path, &rollback("7", 20, 10));
    let after = snapshot_dir(&dir);
    assert_dir_unchanged(&before, &after, &[]);
    let outer_names = file_names(outer.path());
    assert_eq!(
        outer_names,
        ["stores #1 ?mode=rwc 100% Kraków"],
        "nothing created beside it"
    );
}

/// Regression: `report -o STORE` once wrote the report over the store it described. No output path the CLI
/// writes may be the store or one of SQLite's files beside it, however it is spelled.
#[test]
fn cli_outputs_aimed_at_the_store_are_refused_and_the_store_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let store = copy_sample_into(dir.path(), "shop.sqlite");
    let before = snapshot_dir(dir.path());
    let stream = "c3ba9975-1aa5-4e32-93c7-7b341e5d1c37";
    let spelled_otherwise = dir.path().join(".").join("shop.sqlite");
    let wal = dir.path().join("shop.sqlite-wal");
    for target in [&store, &spelled_otherwise, &wal] {
        let message = cli_error(["report", &arg(&store), stream, "-o", &arg(target)]);
        assert!(message.contains("never writes"), "{message}");
        for kind in [["events", stream], ["state", stream]] {
            let message = cli_error(["export", kind[0], &arg(&store), kind[1], "-o", &arg(target)]);
            assert!(message.contains("never writes"), "{message}");
        }
    }
    let message = cli_error(["export", "findings", &arg(&store), "-o", &arg(&store)]);
    assert!(message.contains("never writes"), "{message}");
    assert_dir_unchanged(&before, &snapshot_dir(dir.path()), &[]);
}
