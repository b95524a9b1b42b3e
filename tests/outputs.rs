//! The files the command line writes with `-o` (exports and reports): however the path reaches the store (a
//! hard link, a symlink, a dangling symlink to its `-wal`), the store and its directory stay as they were, and
//! a write that fails leaves neither a truncated file nor a temporary one. Every test compares directory
//! listings before and after.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::common::{
    SHOP, SMALL_ORDER, arg, assert_dir_unchanged, cli_error, copy_sample_into, run_cli,
    snapshot_dir,
};

/// Every entry of `dir`: a file's bytes, or where a symlink points (unlike `snapshot_dir`, links allowed).
fn listing(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            let what = if kind.is_symlink() {
                format!("-> {}", std::fs::read_link(entry.path()).unwrap().display())
            } else if kind.is_file() {
                String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned()
            } else {
                "(not a file)".to_owned()
            };
            (entry.file_name().to_string_lossy().into_owned(), what)
        })
        .collect()
}

/// Every `-o` command of the CLI, writing `output` from `store`.
fn output_commands(store: &Path, output: &Path) -> Vec<Vec<String>> {
    let (store, output) = (arg(store), arg(output));
    let commands: [&[&str]; 5] = [
        &["report", &store, SMALL_ORDER, "-o", &output],
        &["export", "events", &store, SMALL_ORDER, "-o", &output],
        &["export", "state", &store, SMALL_ORDER, "-o", &output],
        &[
            "export",
            "diff",
            &store,
            SMALL_ORDER,
            "1",
            "3",
            "-o",
            &output,
        ],
        &["export", "findings", &store, "-o", &output],
    ];
    commands
        .iter()
        .map(|c| c.iter().map(|s| (*s).to_owned()).collect())
        .collect()
}

/// Regression (the issue): `export -o OUT` emptied the store when OUT was a hard link to it, and `report -o OUT`
/// overwrote it with the HTML and exited 0.
#[test]
fn every_output_to_a_hard_link_of_the_store_is_refused_and_the_store_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let store = copy_sample_into(dir.path(), SHOP);
    let link = dir.path().join("out.html");
    std::fs::hard_link(&store, &link).unwrap();
    let before = snapshot_dir(dir.path());
    for command in output_commands(&store, &link) {
        let message = cli_error(&command);
        assert!(message.contains(&arg(&link)), "{command:?}: {message}");
        assert!(
            message.contains("hard link") && message.contains("never writes"),
            "{command:?}: {message}"
        );
    }
    assert_dir_unchanged(&before, &snapshot_dir(dir.path()), &[]);
}

/// A WAL store whose writer is still open, so its newest events live only in the `-wal` beside it.
fn live_wal_store(dir: &Path) -> (PathBuf, Connection) {
    let path = dir.join("ledger.sqlite");
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    conn.execute_batch(
        "PRAGMA wal_autocheckpoint=0;
         CREATE TABLE events (id INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
                              type TEXT NOT NULL, data TEXT NOT NULL, created_at TEXT NOT NULL);
         INSERT INTO events(stream_id, version, type, data, created_at)
             VALUES ('account-1', 1, 'Opened', '{\"balance\": 0}', '2024-02-01 10:00:00');",
    )
    .unwrap();
    assert!(dir.join("ledger.sqlite-wal").exists());
    (path, conn)
}

#[test]
fn an_output_to_a_hard_link_of_the_stores_wal_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (store, writer) = live_wal_store(dir.path());
    let link = dir.path().join("out.json");
    std::fs::hard_link(dir.path().join("ledger.sqlite-wal"), &link).unwrap();
    let before = snapshot_dir(dir.path());
    let (store_arg, link_arg) = (arg(&store), arg(&link));
    for command in [
        ["report", &store_arg, "account-1", "-o", &link_arg].as_slice(),
        ["export", "state", &store_arg, "account-1", "-o", &link_arg].as_slice(),
    ] {
        let message = cli_error(command);
        assert!(
            message.contains(&link_arg) && message.contains("ledger.sqlite-wal"),
            "{command:?}: {message}"
        );
    }
    // The -shm is the live writer's shared memory: a reader (the integrity check) marks its place there, as
    // every SQLite reader of a WAL file does. The -wal, the store and the link keep their bytes.
    assert_dir_unchanged(&before, &snapshot_dir(dir.path()), &["ledger.sqlite-shm"]);
    drop(writer);
}

/// Regression (the issue): a dangling symlink to `STORE-wal` made report and export create that file beside
/// the store.
#[test]
fn a_dangling_symlink_to_the_stores_wal_creates_nothing_beside_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let outputs = tempfile::tempdir().unwrap();
    let store = copy_sample_into(dir.path(), SHOP);
    let absolute = outputs.path().join("report.html");
    std::os::unix::fs::symlink(dir.path().join("shop.sqlite-wal"), &absolute).unwrap();
    let relative = dir.path().join("events.jsonl");
    std::os::unix::fs::symlink("shop.sqlite-wal", &relative).unwrap();
    let (before, before_outputs) = (listing(dir.path()), listing(outputs.path()));
    for link in [&absolute, &relative] {
        for command in output_commands(&store, link) {
            let message = cli_error(&command);
            assert!(
                message.contains(&arg(link)) && message.contains("never writes"),
                "{command:?}: {message}"
            );
        }
    }
    assert_eq!(
        listing(dir.path()),
        before,
        "nothing created beside the store"
    );
    assert_eq!(listing(outputs.path()), before_outputs);
}

#[test]
fn an_output_through_a_symlink_writes_the_linked_file_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let links = tempfile::tempdir().unwrap();
    let targets = tempfile::tempdir().unwrap();
    let store = copy_sample_into(dir.path(), SHOP);
    let real = targets.path().join("events.jsonl");
    std::fs::write(&real, "old").unwrap();
    let link = links.path().join("link.jsonl");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let (before, before_links) = (snapshot_dir(dir.path()), listing(links.path()));
    let printed = run_cli(["export", "events", &arg(&store), SMALL_ORDER]);
    assert!(printed.success, "{}", printed.stderr);
    let out = run_cli([
        "export",
        "events",
        &arg(&store),
        SMALL_ORDER,
        "-o",
        &arg(&link),
    ]);
    assert!(out.success && out.stdout.is_empty(), "{}", out.stderr);
    assert_eq!(listing(links.path()), before_links, "the link is kept");
    assert_eq!(
        listing(targets.path()),
        BTreeMap::from([("events.jsonl".to_owned(), printed.stdout)]),
        "the linked file holds the export, and no temporary file is left"
    );
    assert_dir_unchanged(&before, &snapshot_dir(dir.path()), &[]);
}

/// A reducer that fails at run time, so `export state` fails after its output file was opened.
fn failing_reducers(dir: &Path) -> PathBuf {
    let path = dir.join("failing.json");
    std::fs::write(&path, r#"{"reducers": {"*": "error(\"boom\")"}}"#).unwrap();
    path
}

#[test]
fn a_failed_export_leaves_no_file_and_an_existing_target_intact() {
    let dir = tempfile::tempdir().unwrap();
    let store = copy_sample_into(dir.path(), SHOP);
    let reducers = failing_reducers(dir.path());
    let existing = dir.path().join("existing.json");
    std::fs::write(&existing, "the previous export").unwrap();
    let before = snapshot_dir(dir.path());
    for target in [dir.path().join("new.json"), existing.clone()] {
        let message = cli_error([
            "export",
            "state",
            &arg(&store),
            SMALL_ORDER,
            "--reducers",
            &arg(&reducers),
            "-o",
            &arg(&target),
        ]);
        assert!(message.contains("boom"), "{message}");
        // The directory's own time moves: the temporary file was created in it, then removed.
        let mut after = snapshot_dir(dir.path());
        after.dir_modified = before.dir_modified;
        assert_dir_unchanged(&before, &after, &[]);
    }
    assert_eq!(
        std::fs::read_to_string(&existing).unwrap(),
        "the previous export"
    );
}

#[test]
fn a_directory_is_refused_as_an_output() {
    let dir = tempfile::tempdir().unwrap();
    let store = copy_sample_into(dir.path(), SHOP);
    let outputs = tempfile::tempdir().unwrap();
    let before = (snapshot_dir(dir.path()), listing(outputs.path()));
    for command in output_commands(&store, outputs.path()) {
        let message = cli_error(&command);
        assert!(
            message.contains("is a directory, not a regular file"),
            "{command:?}: {message}"
        );
    }
    assert_dir_unchanged(&before.0, &snapshot_dir(dir.path()), &[]);
    assert_eq!(listing(outputs.path()), before.1);
}

#[test]
fn a_read_only_directory_gives_a_clear_error() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let store = copy_sample_into(dir.path(), SHOP);
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(locked.join("probe"), "").is_ok() {
        // Root writes anywhere: a read-only directory cannot be made here.
        std::fs::remove_file(locked.join("probe")).unwrap();
        return;
    }
    let target = locked.join("events.csv");
    for command in output_commands(&store, &target) {
        let message = cli_error(&command);
        assert!(
            message.contains(&arg(&target))
                && message.contains("cannot create a file in")
                && message.contains("choose a directory you can write to"),
            "{command:?}: {message}"
        );
    }
    assert_eq!(listing(&locked), BTreeMap::new());
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
}
