//! What layout detection reads of a database, whichever database it is: its tables, a few stored values of a
//! column, a count of rows lacking a key, and whether a mapping's filter compiles. Detection, the presets and
//! a mapping's validation read through this trait only, so a PostgreSQL server's tables are recognised by the
//! same rules as a SQLite file's (the seam both backends plug into; PostgreSQL's side is in
//! `store::pg::catalog`).

use rusqlite::Connection;

use super::{ColumnInfo, TableInfo, quote_ident, quote_literal};
use crate::core::decode::cell::Datum;
use crate::core::store::pg::PgError;

/// Why a database's catalog or a sample of its rows could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Postgres(#[from] PgError),
}

/// Which database a catalog reads: a layout's names and the SQL of its filter differ between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// The reads layout detection makes of a database.
pub trait Catalog {
    /// Which database this is.
    fn dialect(&self) -> Dialect;

    /// Every user table with its columns, by name (not the database's own tables).
    fn tables(&mut self) -> Result<Vec<TableInfo>, CatalogError>;

    /// The first `rows` values of `column` in `table`, as stored (in no particular order).
    fn sample(
        &mut self,
        table: &str,
        column: &str,
        rows: usize,
    ) -> Result<Vec<Datum>, CatalogError>;

    /// How many rows of `table` have nothing at the top-level `key` of `column` read as JSON (NULL, not
    /// JSON, or JSON without the key or with `null` there).
    fn rows_lacking_key(
        &mut self,
        table: &str,
        column: &str,
        key: &str,
    ) -> Result<u64, CatalogError>;

    /// Whether `sql` compiles here (not run): the database's own words when it does not.
    fn compiles(&mut self, sql: &str) -> Result<(), String>;
}

/// Every user table of a SQLite file (not SQLite's own), sorted by name. SQLite itself says which tables have
/// no rowid (`pragma table_list`): the DDL text is never parsed, so comments or odd spacing cannot mislead it.
pub fn tables(conn: &Connection) -> rusqlite::Result<Vec<TableInfo>> {
    let mut stmt = conn.prepare(
        "SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )?;
    let rows: Vec<(String, bool)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (name, without_rowid) in rows {
        let mut cols =
            conn.prepare("SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid")?;
        let columns = cols
            .query_map([&name], |r| {
                Ok(ColumnInfo {
                    name: r.get(0)?,
                    decl_type: r.get(1)?,
                    pk: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.push(TableInfo {
            name,
            columns,
            without_rowid,
            rows_estimate: None,
        });
    }
    Ok(out)
}

impl Catalog for Connection {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    /// SQLite itself says which tables have no rowid (`pragma table_list`): the DDL text is never parsed, so
    /// comments or odd spacing cannot mislead it.
    fn tables(&mut self) -> Result<Vec<TableInfo>, CatalogError> {
        Ok(tables(self)?)
    }

    fn sample(
        &mut self,
        table: &str,
        column: &str,
        rows: usize,
    ) -> Result<Vec<Datum>, CatalogError> {
        let sql = format!(
            "SELECT {} FROM {} LIMIT {rows}",
            quote_ident(column),
            quote_ident(table)
        );
        let mut stmt = self.prepare(&sql)?;
        let values = stmt
            .query_map([], |r| {
                Ok(match r.get_ref(0)? {
                    rusqlite::types::ValueRef::Null => Datum::Null,
                    rusqlite::types::ValueRef::Integer(n) => Datum::Integer(n),
                    rusqlite::types::ValueRef::Real(f) => Datum::Real(f),
                    rusqlite::types::ValueRef::Text(bytes) => {
                        match String::from_utf8(bytes.to_vec()) {
                            Ok(text) => Datum::Text(text),
                            // Invalid UTF-8 stays as it was stored, for the decoders to judge.
                            Err(err) => Datum::Blob(err.into_bytes()),
                        }
                    }
                    rusqlite::types::ValueRef::Blob(bytes) => Datum::Blob(bytes.to_vec()),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(values)
    }

    fn rows_lacking_key(
        &mut self,
        table: &str,
        column: &str,
        key: &str,
    ) -> Result<u64, CatalogError> {
        let (column, path) = (quote_ident(column), quote_literal(&super::json_path(key)));
        let count: i64 = self.query_row(
            &format!(
                "SELECT count(*) FROM {} WHERE json_valid({column}) = 0 \
                 OR json_extract({column}, {path}) IS NULL",
                quote_ident(table)
            ),
            [],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    fn compiles(&mut self, sql: &str) -> Result<(), String> {
        self.prepare(sql).map(drop).map_err(|e| e.to_string())
    }
}
