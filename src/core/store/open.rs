//! Opening a user's file so that nothing can change it and nothing appears beside it: regular files only,
//! read-only flags, `query_only`, SQLite's defensive settings for untrusted files, no mmap, tight limits,
//! `immutable` for a WAL file nobody is writing, and the WAL index in memory when a `-wal` has no `-shm`.
//! The header is read through one descriptor per file, kept open, so a second open never drops the locks of
//! a read in progress.

use std::sync::Arc;

use super::guard::{CHECK_EVERY_OPS, QueryGuard};
use super::*;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Open `path` read-only and hardened; see the module docs.
///
/// Only a regular file is opened (a FIFO, a device or a directory is refused before anything reads it, so
/// nothing can block on it). SQLite is given the file's real path, so its `-wal`/`-shm` are looked for where
/// SQLite itself looks, even when `path` is a symlink. Nothing is ever created beside the file:
/// - a WAL file with no `-wal` is opened `immutable` (there is nothing more to read);
/// - a WAL file with a `-wal` but no `-shm` (a copy someone sent, a crashed writer) is read with the WAL
///   index in this process's memory (the `unix-none` VFS and `locking_mode=EXCLUSIVE`), as a snapshot;
/// - otherwise SQLite's normal read-only access, which takes only shared locks.
pub(super) fn open_read_only(
    path: &Path,
) -> Result<(Connection, OpenInfo, Arc<QueryGuard>), StoreError> {
    if let Some(url) = path
        .to_str()
        .filter(|text| super::pg::is_postgres_url(text))
    {
        return Err(StoreError::NotOnPostgresYet {
            shown: super::pg::redacted(url),
        });
    }
    let io_err = |source| StoreError::Io {
        path: path.to_owned(),
        source,
    };
    let real = std::fs::canonicalize(path).map_err(io_err)?;
    let meta = std::fs::metadata(&real).map_err(io_err)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "it is a directory"
        } else {
            "it is not a regular file (a FIFO, socket or device); copy the store to a file first"
        };
        return Err(StoreError::NotSqlite {
            path: path.to_owned(),
            reason: what.to_owned(),
        });
    }
    let header = read_header(&real).map_err(io_err)?;
    if header.is_empty() {
        return Err(StoreError::NotSqlite {
            path: path.to_owned(),
            reason: "the file is empty".to_owned(),
        });
    }
    if header.len() < 100 || header.get(..16) != Some(SQLITE_MAGIC.as_slice()) {
        return Err(StoreError::NotSqlite {
            path: path.to_owned(),
            reason: "it does not start with the SQLite header".to_owned(),
        });
    }
    // Bytes 18 and 19 are the read/write format versions: 2 means WAL.
    let wal = header.get(18) == Some(&2) && header.get(19) == Some(&2);
    let wal_exists = sidecar(&real, "-wal").exists();
    let immutable = wal && !wal_exists;
    let wal_index_in_memory = wal && wal_exists && !sidecar(&real, "-shm").exists();
    let uri = format!(
        "file:{}?mode=ro{}{}",
        uri_path(&real),
        if immutable { "&immutable=1" } else { "" },
        if wal_index_in_memory {
            "&vfs=unix-none"
        } else {
            ""
        }
    );
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let sql_err = |source| StoreError::Sqlite {
        path: path.to_owned(),
        source,
    };
    let mut conn = Connection::open_with_flags(&uri, flags).map_err(sql_err)?;
    let guard = QueryGuard::new();
    guard.arm();
    let check = Arc::clone(&guard);
    conn.progress_handler(CHECK_EVERY_OPS, Some(move || check.should_stop()))
        .map_err(sql_err)?;
    if wal_index_in_memory {
        // Before the first read: with exclusive locking SQLite keeps the WAL index in heap memory and never
        // creates a `-shm`. The `unix-none` VFS takes no locks, so this excludes nobody.
        conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE;")
            .map_err(sql_err)?;
    }
    harden(&conn).map_err(sql_err)?;
    let info = OpenInfo {
        journal_mode: if wal { "wal" } else { "rollback" },
        immutable,
        wal_index_in_memory,
        size_bytes: meta.len(),
        wal_seen: wal_exists.then(|| wal_signature(&real)).flatten(),
        server: None,
    };
    Ok((conn, info, guard))
}

/// The descriptors [`read_header`] opened, one per file (device and inode), never closed. Closing any
/// descriptor of a file drops every POSIX lock this process holds on it, SQLite's included: a store opened
/// again (a job's own connection, the second half of a pass) would drop the first connection's shared lock
/// in the middle of its read, and a writer closing last would then checkpoint and delete the WAL under it
/// ("database disk image is malformed"). SQLite keeps its own descriptors open for the same reason.
static HEADER_FILES: std::sync::Mutex<Vec<((u64, u64), std::fs::File)>> =
    std::sync::Mutex::new(Vec::new());

/// The first 100 bytes of a regular file, opened without blocking (so a file swapped for a FIFO after the
/// check cannot hang the read), through a descriptor kept open (see [`HEADER_FILES`]).
fn read_header(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::os::unix::fs::{FileExt as _, MetadataExt as _, OpenOptionsExt as _};
    let key = |meta: &std::fs::Metadata| (meta.dev(), meta.ino());
    let mut files = HEADER_FILES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let known = std::fs::metadata(path)
        .ok()
        .and_then(|meta| files.iter().position(|(k, _)| *k == key(&meta)));
    let at = match known {
        Some(at) => at,
        None => {
            let file = std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(path)?;
            let meta = file.metadata()?;
            // Kept before anything can fail: dropping it would close it.
            files.push((key(&meta), file));
            if !meta.is_file() {
                return Err(std::io::Error::other("not a regular file"));
            }
            files.len() - 1
        }
    };
    let file = &files
        .get(at)
        .ok_or_else(|| std::io::Error::other("no descriptor"))?
        .1;
    let mut header = vec![0; 100];
    let mut read = 0;
    while read < header.len() {
        let rest = header.get_mut(read..).unwrap_or_default();
        match file.read_at(rest, u64::try_from(read).unwrap_or(u64::MAX)) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    header.truncate(read);
    Ok(header)
}

/// The `-wal` file's size and modification time: when they change, a snapshot opened with the WAL index in
/// memory is out of date.
pub(super) fn wal_signature(real: &Path) -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::metadata(sidecar(real, "-wal")).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// SQLite's advice for untrusted database files ("Defense Against the Dark Arts").
fn harden(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::config::DbConfig;
    use rusqlite::limits::Limit;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    // Plans that never depend on bound values: without this SQLite marks a statement whose plan could use a
    // parameter (a `LIMIT ?`, a range bound) and prepares it again every time that parameter is bound, a
    // parse per page for a paged read (7% of a replay). One statement then keeps one plan whatever values
    // it is given.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.execute_batch(
        "PRAGMA query_only = ON; PRAGMA mmap_size = 0; PRAGMA cell_size_check = ON;",
    )?;
    for (limit, value) in [
        (Limit::SQLITE_LIMIT_LENGTH, 256 * 1024 * 1024),
        (Limit::SQLITE_LIMIT_SQL_LENGTH, 1_000_000),
        (Limit::SQLITE_LIMIT_EXPR_DEPTH, 100),
        (Limit::SQLITE_LIMIT_COMPOUND_SELECT, 8),
        (Limit::SQLITE_LIMIT_FUNCTION_ARG, 16),
        (Limit::SQLITE_LIMIT_ATTACHED, 0),
        (Limit::SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 1_000),
        (Limit::SQLITE_LIMIT_VARIABLE_NUMBER, 1_000),
        (Limit::SQLITE_LIMIT_TRIGGER_DEPTH, 10),
    ] {
        conn.set_limit(limit, value)?;
    }
    Ok(())
}

pub(super) fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The path part of an SQLite `file:` URI, percent-encoded.
fn uri_path(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut out = String::new();
    for byte in absolute.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
