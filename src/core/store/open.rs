//! Opening a user's file so that nothing can change it: read-only flags, `query_only`, SQLite's defensive
//! settings for untrusted files, no mmap, tight limits, and `immutable` for a WAL file nobody is writing.

use super::*;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Open `path` read-only and hardened; see the module docs.
pub(super) fn open_read_only(path: &Path) -> Result<(Connection, OpenInfo), StoreError> {
    use std::io::Read as _;
    let io_err = |source| StoreError::Io {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io_err)?;
    if meta.is_dir() {
        return Err(StoreError::NotSqlite {
            path: path.to_owned(),
            reason: "it is a directory".to_owned(),
        });
    }
    let mut header = [0u8; 100];
    let mut file = std::fs::File::open(path).map_err(io_err)?;
    let read = file.read(&mut header).map_err(io_err)?;
    drop(file);
    if read == 0 {
        return Err(StoreError::NotSqlite {
            path: path.to_owned(),
            reason: "the file is empty".to_owned(),
        });
    }
    if read < 100 || header.get(..16) != Some(SQLITE_MAGIC.as_slice()) {
        return Err(StoreError::NotSqlite {
            path: path.to_owned(),
            reason: "it does not start with the SQLite header".to_owned(),
        });
    }
    // Bytes 18 and 19 are the read/write format versions: 2 means WAL.
    let wal = header.get(18) == Some(&2) && header.get(19) == Some(&2);
    let wal_file = sidecar(path, "-wal");
    let immutable = wal && !wal_file.exists();
    let uri = format!(
        "file:{}?mode=ro{}",
        uri_path(path),
        if immutable { "&immutable=1" } else { "" }
    );
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let sql_err = |source| StoreError::Sqlite {
        path: path.to_owned(),
        source,
    };
    let conn = Connection::open_with_flags(&uri, flags).map_err(sql_err)?;
    harden(&conn).map_err(sql_err)?;
    let info = OpenInfo {
        journal_mode: if wal { "wal" } else { "rollback" },
        immutable,
        size_bytes: meta.len(),
    };
    Ok((conn, info))
}

/// SQLite's advice for untrusted database files ("Defense Against the Dark Arts").
fn harden(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::config::DbConfig;
    use rusqlite::limits::Limit;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
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
