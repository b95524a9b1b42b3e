//! The store's own unit tests: opening, detection on sample files, pages and summaries.
use super::*;

fn store_with(sql: &str) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s p?#%.sqlite");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(sql).unwrap();
    drop(conn);
    let store = Store::open(&path, None).unwrap();
    (dir, store)
}

#[test]
fn pages_continue_exactly_where_the_previous_one_ended() {
    let mut sql = String::from(
        "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT);",
    );
    for i in 1..=25 {
        sql.push_str(&format!(
            "INSERT INTO events(stream_id, version, type, data) VALUES ('a', {i}, 'T', '{{}}');"
        ));
        sql.push_str(&format!(
            "INSERT INTO events(stream_id, version, type, data) VALUES ('b', {i}, 'T', '{{}}');"
        ));
    }
    let (_dir, store) = store_with(&sql);
    let mut versions = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.events_page("a", cursor, 7).unwrap();
        let Some(last) = page.last() else { break };
        cursor = Some(PageCursor::after(last));
        versions.extend(page.iter().filter_map(|e| e.version));
    }
    assert_eq!(versions, (1..=25).collect::<Vec<_>>());
}

#[test]
fn uuid_streams_stored_in_mixed_forms_are_one_stream() {
    let (_dir, store) = store_with(
        "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id, version INTEGER, type TEXT, data TEXT);
         INSERT INTO events(stream_id, version, type, data) VALUES
           ('0F8FAD5B-D9CB-469F-A165-70867728950E', 1, 'A', '{}'),
           ('0f8fad5bd9cb469fa16570867728950e', 2, 'B', '{}'),
           (x'0f8fad5bd9cb469fa16570867728950e', 3, 'C', '{}');",
    );
    let streams = store.streams().unwrap();
    assert_eq!(streams.len(), 1);
    assert_eq!(streams[0].id, "0f8fad5b-d9cb-469f-a165-70867728950e");
    assert_eq!(streams[0].events, 3);
    let types: Vec<String> = store
        .events(&streams[0].id)
        .unwrap()
        .into_iter()
        .map(|e| e.event_type)
        .collect();
    assert_eq!(types, ["A", "B", "C"]);
}

#[test]
fn event_types_are_each_met_once_and_the_scan_stops_when_told() {
    let (_dir, store) = store_with(
        "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT);
         INSERT INTO events(stream_id, version, type, data) VALUES
           ('s', 1, 'B', '{}'), ('s', 2, 'A', '{}'), ('t', 1, 'B', '{}'), ('t', 2, 'C', '{}');",
    );
    assert_eq!(store.event_types().unwrap(), ["A", "B", "C"]);
    let mut met = Vec::new();
    store
        .each_event_type(|t| {
            met.push(t.to_owned());
            met.len() < 2
        })
        .unwrap();
    assert_eq!(met.len(), 2, "{met:?}");
}

#[test]
fn null_versions_sort_first_and_paging_still_reaches_every_event() {
    let (_dir, store) = store_with(
        "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT);
         INSERT INTO events(stream_id, version, type, data) VALUES
           ('s', NULL, 'A', '{}'), ('s', NULL, 'B', '{}'), ('s', 1, 'C', '{}'), ('s', 2, 'D', '{}');",
    );
    let mut types = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.events_page("s", cursor, 1).unwrap();
        let Some(last) = page.last() else { break };
        cursor = Some(PageCursor::after(last));
        types.extend(page.into_iter().map(|e| e.event_type));
    }
    assert_eq!(types, ["A", "B", "C", "D"]);
}

#[test]
fn files_that_are_not_sqlite_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "hello, this is not a database at all, but it is long enough to have a header. ".repeat(3),
    )
    .unwrap();
    let err = Store::open(&empty, None).unwrap_err().to_string();
    assert!(err.contains("empty") && err.contains("empty.db"), "{err}");
    let err = Store::open(&text, None).unwrap_err().to_string();
    assert!(
        err.contains("not a SQLite database") && err.contains("notes.txt"),
        "{err}"
    );
    let err = Store::open(&dir.path().join("missing.db"), None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing.db"), "{err}");
}

/// Whether another process would find this one holding SQLite's shared lock on `path` (a read lock on the
/// shared byte range): a child process asks, since a process never conflicts with its own locks.
#[allow(unsafe_code)]
fn shared_lock_seen_from_another_process(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt as _;
    let path = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: the child calls only async-signal-safe functions (open, fcntl, _exit) on memory made before
    // the fork; the parent waits for it.
    unsafe {
        let pid = libc::fork();
        assert!(pid >= 0, "fork");
        if pid == 0 {
            let fd = libc::open(path.as_ptr(), libc::O_RDONLY);
            let mut lock: libc::flock = std::mem::zeroed();
            lock.l_type = libc::F_WRLCK as libc::c_short;
            lock.l_whence = libc::SEEK_SET as libc::c_short;
            lock.l_start = 0x4000_0000 + 2;
            lock.l_len = 510;
            let asked = fd >= 0 && libc::fcntl(fd, libc::F_GETLK, &mut lock) == 0;
            libc::_exit(i32::from(
                asked && lock.l_type != libc::F_UNLCK as libc::c_short,
            ));
        }
        let mut status = 0;
        assert_eq!(libc::waitpid(pid, &mut status, 0), pid);
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 1
    }
}

/// Opening a store that is being read (a job's own connection, the second half of a pass) must not drop
/// the reading connection's lock: closing any descriptor of a file drops all of this process's locks on it,
/// and a writer could then change the file under the read.
#[test]
fn opening_a_store_again_keeps_the_lock_of_a_read_in_progress() {
    let (dir, store) = store_with(
        "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT);
         INSERT INTO events(stream_id, version, type, data) VALUES ('a', 1, 'T', '{}'), ('a', 2, 'T', '{}');",
    );
    let path = dir.path().join("s p?#%.sqlite");
    assert!(!shared_lock_seen_from_another_process(&path), "no read yet");
    let mut seen = Vec::new();
    store
        .scan(ScanOrder::Position, &ScanFilter::default(), &mut |_| {
            seen.push(shared_lock_seen_from_another_process(&path));
            let again = Store::open(&path, None).unwrap();
            drop(again);
            seen.push(shared_lock_seen_from_another_process(&path));
            false
        })
        .unwrap();
    assert_eq!(
        seen,
        [true, true],
        "locked while reading, before and after the second open"
    );
}
