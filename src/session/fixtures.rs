//! Stores the session's and panels' tests build: a list of streams bigger than its first page.

/// A plain store of 1,000 streams (`account-000` to `account-499`, `order-000` to `order-499`), more than
/// the first page holds.
pub(crate) fn many_streams() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.sqlite");
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute_batch(
        "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, stream_type TEXT,
            version INTEGER, type TEXT, data TEXT, created_at TEXT);
         CREATE UNIQUE INDEX events_stream ON events(stream_id, version);",
    )
    .unwrap();
    let mut insert = db
        .prepare(
            "INSERT INTO events(stream_id, stream_type, version, type, data, created_at)
             VALUES (?1, ?2, 1, 'Created', '{}', '2024-03-14T14:00:00Z')",
        )
        .unwrap();
    for kind in ["account", "order"] {
        for i in 0..500 {
            insert
                .execute(rusqlite::params![format!("{kind}-{i:03}"), kind])
                .unwrap();
        }
    }
    drop(insert);
    drop(db);
    (dir, path)
}
