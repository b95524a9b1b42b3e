//! Stores a hostile or careless user might hand over: a FIFO instead of a file, a WAL copy without its
//! `-shm`, a mapping whose filter never ends, a file with a flipped bit, stream ids that are not UTF-8, a
//! table SQLite says has no rowid. Each must give a clear answer quickly and leave nothing beside the file.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use serde_json::Value;

use crate::common::{arg, assert_dir_unchanged, cli_json, run_cli, snapshot_dir};
use eventscope::core::store::{Integrity, Store, StoreError, check_integrity};

/// A plain `events` table with `n` events over ten streams, written by SQLite itself.
pub fn plain_store(path: &Path, n: usize) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, \
         data TEXT, created_at TEXT);",
    )
    .unwrap();
    let mut insert = conn
        .prepare("INSERT INTO events (stream_id, version, type, data, created_at) VALUES (?1, ?2, 'Tick', ?3, '2024-01-01 00:00:00')")
        .unwrap();
    for i in 0..n {
        insert
            .execute(rusqlite::params![
                format!("s-{}", i % 10),
                i64::try_from(i / 10 + 1).unwrap(),
                format!("{{\"n\":{i}}}")
            ])
            .unwrap();
    }
}

/// Run the CLI with `args`: it must fail within `within`, and its message must contain every one of `says`.
fn fails_quickly_saying(args: &[&str], within: Duration, says: &[&str]) {
    let started = Instant::now();
    let out = run_cli(args);
    assert!(
        started.elapsed() < within,
        "eventscope {args:?} took {:?}",
        started.elapsed()
    );
    assert!(!out.success, "eventscope {args:?} should fail");
    for words in says {
        assert!(
            out.stderr.contains(words),
            "{words:?} not in {}",
            out.stderr
        );
    }
}

/// The detected mapping of `store` with `filter` added, written beside it (never in the store's name).
fn mapping_with_filter(store: &Path, filter: &str) -> PathBuf {
    let layout = cli_json(["layout", &arg(store)]);
    let mut mapping = layout["mappings"][0].clone();
    mapping["filter"] = Value::String(filter.to_owned());
    let path = store.with_file_name("mapping.json");
    std::fs::write(&path, mapping.to_string()).unwrap();
    path
}

fn total_events(streams: &Value) -> u64 {
    streams
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["events"].as_u64().unwrap())
        .sum()
}

#[test]
fn a_fifo_given_as_the_store_is_refused_at_once_instead_of_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("store.sqlite");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    fails_quickly_saying(
        &["streams", &arg(&fifo)],
        Duration::from_secs(10),
        &["not a regular file", "store.sqlite"],
    );
    let err = Store::open(&fifo, None).unwrap_err();
    assert!(matches!(err, StoreError::NotSqlite { .. }), "{err:?}");
}

/// A WAL store whose newest events are only in its `-wal`, copied without its `-shm` into `dir`.
fn wal_copy_without_shm(dir: &Path) -> PathBuf {
    let source_dir = tempfile::tempdir().unwrap();
    let source = source_dir.path().join("live.sqlite");
    let conn = Connection::open(&source).unwrap();
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;")
        .unwrap();
    drop(conn);
    plain_store(&source, 0);
    let writer = Connection::open(&source).unwrap();
    writer
        .execute_batch("PRAGMA wal_autocheckpoint = 0;")
        .unwrap();
    for i in 0..50 {
        writer
            .execute(
                "INSERT INTO events (stream_id, version, type, data, created_at) VALUES ('wal-only', ?1, 'Tick', '{}', '2024-01-02 00:00:00')",
                [i + 1],
            )
            .unwrap();
    }
    // Copy while the writer is still open, so the -wal holds the events and has not been checkpointed.
    let target = dir.join("sent.sqlite");
    std::fs::copy(&source, &target).unwrap();
    std::fs::copy(
        source_dir.path().join("live.sqlite-wal"),
        dir.join("sent.sqlite-wal"),
    )
    .unwrap();
    drop(writer);
    assert!(!dir.join("sent.sqlite-shm").exists());
    target
}

#[test]
fn a_wal_store_with_no_shm_is_read_whole_and_nothing_appears_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = wal_copy_without_shm(dir.path());
    let before = snapshot_dir(dir.path());
    let streams = cli_json(["streams", &arg(&store)]);
    let ids: Vec<&str> = streams
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["wal-only"], "the events only the -wal holds are read");
    assert_eq!(total_events(&streams), 50);
    let events = cli_json(["events", &arg(&store), "wal-only"]);
    assert_eq!(events.as_array().unwrap().len(), 50);
    let opened = Store::open(&store, None).unwrap();
    assert!(opened.info().wal_index_in_memory);
    assert_eq!(opened.stream("wal-only").unwrap().events, 50);
    drop(opened);
    assert_dir_unchanged(&before, &snapshot_dir(dir.path()), &[]);
}

/// Run the CLI so that a read-only directory really is one: root ignores permissions, so as root a copy of
/// the binary (in a directory anyone may enter, wherever the checkout lives) runs as `nobody` through
/// util-linux's `setpriv`; otherwise the binary runs as ourselves.
fn as_unprivileged_user(args: &[&str]) -> std::process::Output {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    let bin = Path::new(env!("CARGO_BIN_EXE_eventscope"));
    let shelf = tempfile::tempdir().unwrap();
    let root = std::fs::metadata(shelf.path()).unwrap().uid() == 0;
    if !root {
        return std::process::Command::new(bin).args(args).output().unwrap();
    }
    std::fs::set_permissions(shelf.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let copy = shelf.path().join("eventscope");
    std::fs::copy(bin, &copy).unwrap();
    std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&copy)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_wal_store_with_no_shm_in_a_read_only_directory_opens() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let store = wal_copy_without_shm(dir.path());
    let before = snapshot_dir(dir.path());
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let output = as_unprivileged_user(&["streams", &arg(&store)]);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let streams: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(total_events(&streams), 50);
    assert_dir_unchanged(&before, &snapshot_dir(dir.path()), &[]);
}

#[test]
fn a_mapping_filter_that_never_ends_is_stopped_with_a_message_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("plain.sqlite");
    plain_store(&store, 100);
    let mapping = mapping_with_filter(
        &store,
        "(WITH RECURSIVE forever(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM forever) \
         SELECT count(*) FROM forever) > 0",
    );
    fails_quickly_saying(
        &[
            "streams",
            &arg(&store),
            "--mapping",
            &arg(&mapping),
            "--query-timeout",
            "1",
        ],
        Duration::from_secs(20),
        &["longer than 1 s", "--query-timeout", "plain.sqlite"],
    );
}

#[test]
fn a_mapping_filter_sqlite_cannot_read_is_named_as_the_cause() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("plain.sqlite");
    plain_store(&store, 10);
    let mapping = mapping_with_filter(&store, "no_such_column = 1");
    fails_quickly_saying(
        &["streams", &arg(&store), "--mapping", &arg(&mapping)],
        Duration::from_secs(20),
        &[
            "the mapping's filter `no_such_column = 1`",
            "no such column",
        ],
    );
}

/// Lower the cell count of the first leaf page of `events` by four: four rows vanish from every query
/// without any query failing.
pub fn flip_a_cell_count(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let page_size = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    let leaf = (1..bytes.len() / page_size)
        .map(|page| page * page_size)
        .find(|&offset| bytes[offset] == 0x0d)
        .expect("a table leaf page");
    let cells = u16::from_be_bytes([bytes[leaf + 3], bytes[leaf + 4]]);
    bytes[leaf + 3..leaf + 5].copy_from_slice(&(cells - 4).to_be_bytes());
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_damaged_file_is_announced_after_the_output_and_the_command_fails() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("flipped.sqlite");
    plain_store(&store, 2_390);
    flip_a_cell_count(&store);
    let out = run_cli(["streams", &arg(&store)]);
    assert!(!out.success, "a damaged file must not exit 0");
    let streams: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        total_events(&streams),
        2_386,
        "what SQLite can still read is printed"
    );
    assert!(out.stderr.contains("DAMAGED"), "{}", out.stderr);
    assert!(out.stderr.contains("flipped.sqlite"), "{}", out.stderr);
    assert!(out.stderr.contains(".recover"), "{}", out.stderr);
    let search = run_cli(["search", &arg(&store), "--type", "Tick"]);
    assert!(!search.success);
    assert!(search.stderr.contains("DAMAGED"), "{}", search.stderr);
    let report = dir.path().join("report.html");
    let reported = run_cli(["report", &arg(&store), "s-1", "-o", &arg(&report)]);
    assert!(
        !reported.success,
        "a report of a damaged file does not exit 0"
    );
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(
        html.contains("THE STORE FILE IS DAMAGED"),
        "the report says so"
    );
    assert!(html.contains("Fragmentation"), "with SQLite's words");
    let skipped = run_cli(["streams", &arg(&store), "--no-integrity-check"]);
    assert!(skipped.success, "{}", skipped.stderr);
    match check_integrity(&store, None).unwrap() {
        Integrity::Damaged { problems } => {
            assert!(
                problems.iter().any(|p| p.contains("Fragmentation")),
                "{problems:?}"
            );
        }
        Integrity::Intact => panic!("the flipped cell count went unnoticed"),
    }
    let clean = dir.path().join("clean.sqlite");
    plain_store(&clean, 100);
    assert_eq!(check_integrity(&clean, None).unwrap(), Integrity::Intact);
}

#[test]
fn a_stream_id_that_is_not_utf8_is_listed_escaped_and_opens() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("bytes.sqlite");
    plain_store(&store, 20);
    let conn = Connection::open(&store).unwrap();
    // "s-1" followed by the byte 0xff, and one with a backslash too, stored as TEXT.
    conn.execute_batch(
        "INSERT INTO events (stream_id, version, type, data, created_at) VALUES \
         (CAST(x'732d31ff' AS TEXT), 1, 'Odd', '{\"a\":1}', '2024-01-01 00:00:00'), \
         (CAST(x'732d31ff' AS TEXT), 2, 'Odd', '{\"b\":2}', '2024-01-01 00:00:01'), \
         (CAST(x'615c62fe' AS TEXT), 1, 'Odd', '{\"c\":3}', '2024-01-01 00:00:02');",
    )
    .unwrap();
    drop(conn);
    let streams = cli_json(["streams", &arg(&store)]);
    let ids: Vec<&str> = streams
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"s-1\\xff"), "{ids:?}");
    assert!(ids.contains(&"a\\\\b\\xfe"), "{ids:?}");
    for (id, count) in [("s-1\\xff", 2), ("a\\\\b\\xfe", 1)] {
        let events = cli_json(["events", &arg(&store), id]);
        let events = events.as_array().unwrap();
        assert_eq!(events.len(), count, "{id}");
        assert!(events.iter().all(|e| e["stream"] == id), "{events:?}");
        let state = cli_json(["state", &arg(&store), id]);
        assert!(state.is_object(), "{state}");
    }
    // The escaped spelling of a valid id is still that id, not a byte string.
    let plain = cli_json(["events", &arg(&store), "s-1"]);
    assert_eq!(plain.as_array().unwrap().len(), 2);
}

#[test]
fn a_table_without_rowid_hidden_behind_a_comment_is_read_by_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("norowid.sqlite");
    let conn = Connection::open(&store).unwrap();
    conn.execute_batch(
        "CREATE TABLE events (stream_id TEXT, version INTEGER, type TEXT, data TEXT, \
         PRIMARY KEY (stream_id, version)) WITHOUT/**/ROWID; \
         INSERT INTO events VALUES ('a', 1, 'Opened', '{\"x\":1}'), ('a', 2, 'Closed', '{\"y\":2}'), \
         ('b', 1, 'Opened', '{\"x\":3}');",
    )
    .unwrap();
    drop(conn);
    let out = run_cli(["streams", &arg(&store)]);
    if out.success {
        let streams: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(total_events(&streams), 3);
        let events = cli_json(["events", &arg(&store), "a"]);
        assert_eq!(events.as_array().unwrap().len(), 2);
    } else {
        assert!(!out.stderr.contains("e.rowid"), "{}", out.stderr);
        assert!(out.stderr.contains("no rowid"), "{}", out.stderr);
    }
}

#[test]
fn errors_say_each_thing_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("broken.sqlite");
    plain_store(&store, 500);
    // Garbage over every page after the first: the schema is readable, the tables are not.
    let mut bytes = std::fs::read(&store).unwrap();
    let page_size = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    for byte in bytes.iter_mut().skip(page_size) {
        *byte = 0xA5;
    }
    std::fs::write(&store, bytes).unwrap();
    let out = run_cli(["streams", &arg(&store)]);
    assert!(!out.success);
    let line = out.stderr.trim();
    assert_eq!(line.lines().count(), 1, "{line}");
    let lower = line.to_lowercase();
    for phrase in ["malformed", "not authorized", "error code"] {
        assert!(
            lower.matches(phrase).count() <= 1,
            "{phrase} repeats in {line}"
        );
    }
    assert!(line.contains("broken.sqlite"), "{line}");
}

#[test]
fn a_wal_snapshot_read_without_shm_knows_when_a_writer_has_started() {
    let dir = tempfile::tempdir().unwrap();
    let store = wal_copy_without_shm(dir.path());
    let opened = Store::open(&store, None).unwrap();
    assert!(!opened.must_reopen_to_follow());
    let writer = Connection::open(&store).unwrap();
    writer
        .execute(
            "INSERT INTO events (stream_id, version, type, data, created_at) VALUES ('wal-only', 51, 'Tick', '{}', '2024-01-03 00:00:00')",
            [],
        )
        .unwrap();
    assert!(
        opened.must_reopen_to_follow(),
        "a writer started: the snapshot is stale"
    );
    let reopened = Store::open_with(&store, opened.reopen_options()).unwrap();
    assert_eq!(reopened.stream("wal-only").unwrap().events, 51);
    drop(writer);
}

/// A PostgreSQL URL given where a file goes, as a subcommand's store or the window's: a server that cannot be
/// reached is named in one line, the password never echoed.
#[test]
fn a_postgres_url_is_named_without_its_password() {
    // Nothing listens on port 1.
    let url = "postgres://ann:s3cret@127.0.0.1:1/shop";
    let err = Store::open(Path::new(url), None).unwrap_err();
    assert!(matches!(err, StoreError::Postgres(_)), "{err:?}");
    for (args, says) in [
        (
            vec!["streams", url],
            "cannot connect to postgres://ann@127.0.0.1:1/shop",
        ),
        (
            vec!["verify", url],
            "cannot connect to postgres://ann@127.0.0.1:1/shop",
        ),
        // The window (no display here: it says so, and echoes no password either).
        (vec![url], "eventscope: "),
    ] {
        let out = run_cli(&args);
        assert!(!out.success, "{args:?}");
        assert_eq!(out.stdout, "", "{args:?}");
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
        assert!(!out.stderr.contains("s3cret"), "{args:?}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    }
}
