//! Whether the file is damaged, asked of SQLite itself (`PRAGMA quick_check`) before anyone trusts a count.
//! A flipped bit in a page header can hide rows without any query failing; quick_check walks every page
//! and says so. It reads the whole file, so callers run it beside their own work (a thread of its own in
//! the CLI, a background job in the window) and report the verdict when it arrives.

use std::path::Path;

use super::{CancelCheck, Store, StoreError, open_read_only};

/// At most this many problems are listed (SQLite stops there).
const MAX_PROBLEMS: u32 = 20;

/// What `PRAGMA quick_check` found.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Integrity {
    /// Every page is well formed.
    Intact,
    /// The file is damaged: SQLite's own words, one problem a line.
    Damaged { problems: Vec<String> },
}

impl Integrity {
    /// One line for a status bar or stderr.
    pub fn summary(&self) -> String {
        match self {
            Self::Intact => "intact (SQLite quick_check: ok)".to_owned(),
            Self::Damaged { problems } => format!(
                "DAMAGED: SQLite's quick_check found {} problem{} ({}); counts and events read from it may be \
                 incomplete. Recover what is readable into a new file with `sqlite3 FILE .recover`",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                problems.first().map_or("", String::as_str)
            ),
        }
    }

    pub fn is_damaged(&self) -> bool {
        matches!(self, Self::Damaged { .. })
    }
}

/// Check the file at `path` on a connection of its own (so it can run beside the real work); `cancel`
/// stops it early.
pub fn check_integrity(path: &Path, cancel: Option<CancelCheck>) -> Result<Integrity, StoreError> {
    let (conn, _, guard) = open_read_only(path)?;
    guard.set_timeout(None);
    guard.set_cancel(cancel);
    run_quick_check(&conn).map_err(|e| super::sql_error(path, &guard, e))
}

impl Store {
    /// [`check_integrity`] on this store's own connection, with no deadline.
    pub fn quick_check(&self) -> Result<Integrity, StoreError> {
        let timeout = self.guard.timeout();
        self.guard.set_timeout(None);
        let result = run_quick_check(self.db()?).map_err(|e| self.sql_err(e));
        self.guard.set_timeout(timeout);
        result
    }
}

fn run_quick_check(conn: &rusqlite::Connection) -> rusqlite::Result<Integrity> {
    let mut stmt = conn.prepare(&format!("PRAGMA quick_check({MAX_PROBLEMS})"))?;
    let lines = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    if lines.len() == 1 && lines.first().is_some_and(|l| l == "ok") {
        return Ok(Integrity::Intact);
    }
    let problems = lines
        .iter()
        .flat_map(|l| l.lines())
        .filter(|l| !l.starts_with("*** in database"))
        .map(str::to_owned)
        .collect();
    Ok(Integrity::Damaged { problems })
}
