//! A PostgreSQL database read by layout detection ([`Catalog`]): the tables of the connection's schema, sampled
//! values read as [`Datum`]s (a type they do not read is selected `::text`), and the JSON checks done by the
//! server's own `jsonb` operators, all inside read-only transactions.

use postgres::types::Type;

use super::cells::read_as_is;
use super::{PgConnection, PgError};
use crate::core::decode::cell::Datum;
use crate::core::layout::{Catalog, CatalogError, Dialect, TableInfo, quote_ident};

impl PgConnection {
    /// The type of `column` in `table`, as the server describes a query reading it.
    fn column_type(&mut self, table: &str, column: &str) -> Result<Type, PgError> {
        let sql = format!("SELECT {} FROM {}", quote_ident(column), quote_ident(table));
        self.read(|tx| {
            let statement = tx.prepare(&sql)?;
            Ok(statement
                .columns()
                .first()
                .map_or(Type::TEXT, |c| c.type_().clone()))
        })
    }
}

impl Catalog for PgConnection {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn tables(&mut self) -> Result<Vec<TableInfo>, CatalogError> {
        let schema = self.schema().to_owned();
        Ok(PgConnection::tables(self, &schema)?)
    }

    fn sample(
        &mut self,
        table: &str,
        column: &str,
        rows: usize,
    ) -> Result<Vec<Datum>, CatalogError> {
        let ty = self.column_type(table, column)?;
        let cast = if read_as_is(&ty) { "" } else { "::text" };
        let sql = format!(
            "SELECT {}{cast} FROM {} LIMIT {rows}",
            quote_ident(column),
            quote_ident(table)
        );
        Ok(self.read(|tx| {
            tx.query(sql.as_str(), &[])?
                .iter()
                .map(|row| row.try_get::<_, Datum>(0))
                .collect()
        })?)
    }

    /// A `json` or `jsonb` column is read by the server's `->>`; a text column only where the server can tell
    /// JSON from other text without failing (`IS JSON OBJECT`, PostgreSQL 16), else every row counts as
    /// lacking the key.
    fn rows_lacking_key(
        &mut self,
        table: &str,
        column: &str,
        key: &str,
    ) -> Result<u64, CatalogError> {
        let ty = self.column_type(table, column)?;
        let quoted = quote_ident(column);
        let lacking = match ty {
            Type::JSON | Type::JSONB => format!("({quoted}::jsonb ->> $1) IS NULL"),
            Type::TEXT | Type::VARCHAR if self.server_version_num()? >= 160_000 => format!(
                "CASE WHEN {quoted} IS JSON OBJECT THEN ({quoted}::jsonb ->> $1) IS NULL ELSE true END"
            ),
            _ => "true".to_owned(),
        };
        let sql = format!(
            "SELECT count(*) FROM {} WHERE {lacking}",
            quote_ident(table)
        );
        let uses_key = lacking.contains("$1");
        let count: i64 = self.read(|tx| {
            let row = if uses_key {
                tx.query_one(sql.as_str(), &[&key])?
            } else {
                tx.query_one(sql.as_str(), &[])?
            };
            row.try_get(0)
        })?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    fn compiles(&mut self, sql: &str) -> Result<(), String> {
        self.read(|tx| tx.prepare(sql).map(drop))
            .map_err(|e| e.to_string())
    }
}

impl PgConnection {
    /// The server's version as a number (`150018` for 15.18).
    fn server_version_num(&mut self) -> Result<i32, PgError> {
        let text: String = self.read(|tx| {
            tx.query_one("SELECT current_setting('server_version_num')", &[])?
                .try_get(0)
        })?;
        Ok(text.trim().parse().unwrap_or(0))
    }
}
