//! A PostgreSQL database's schemas and tables in the shape layout detection reads ([`TableInfo`]), from the
//! system catalogs: the same detection then works on both databases. A partitioned table is listed once, as
//! its parent (Emmett's `emt_messages`), never as its partitions.

use crate::core::layout::{ColumnInfo, TableInfo};

use super::{PgConnection, PgError};

/// A schema that holds tables, and how many.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaInfo {
    pub name: String,
    pub tables: usize,
}

impl PgConnection {
    /// The schemas with tables in them (not PostgreSQL's own), by name.
    pub fn schemas(&mut self) -> Result<Vec<SchemaInfo>, PgError> {
        self.read(|tx| {
            tx.query(
                "SELECT n.nspname::text, count(*)
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
                   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                   AND n.nspname NOT LIKE 'pg\\_%'
                 GROUP BY 1 ORDER BY 1",
                &[],
            )?
            .iter()
            .map(|row| {
                Ok(SchemaInfo {
                    name: row.try_get(0)?,
                    tables: usize::try_from(row.try_get::<_, i64>(1)?).unwrap_or(0),
                })
            })
            .collect()
        })
    }

    /// The tables of `schema` by name, each with its columns in order, the primary key's columns numbered
    /// from 1, and the planner's estimate of its rows when the table has been analysed. A column's type is
    /// PostgreSQL's name for it (`bigint`, `jsonb`, `timestamp with time zone`). No table has a rowid.
    pub fn tables(&mut self, schema: &str) -> Result<Vec<TableInfo>, PgError> {
        let rows = self.read(|tx| {
            tx.query(
                "SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod),
                        coalesce((SELECT k.n FROM pg_index i,
                                  unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                                  WHERE i.indrelid = c.oid AND i.indisprimary AND k.attnum = a.attnum),
                                 0),
                        c.reltuples::float8
                 FROM pg_class c
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                 JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                 WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                 ORDER BY c.relname, a.attnum",
                &[&schema],
            )
        })?;
        let mut out: Vec<TableInfo> = Vec::new();
        let shown = self.target.shown();
        for row in rows {
            let read = || -> Result<_, postgres::Error> {
                Ok((
                    row.try_get::<_, String>(0)?,
                    ColumnInfo {
                        name: row.try_get(1)?,
                        decl_type: row.try_get(2)?,
                        pk: row.try_get(3)?,
                    },
                    row.try_get::<_, f64>(4)?,
                ))
            };
            let (table, column, estimate) = read().map_err(|source| PgError::Query {
                shown: shown.clone(),
                source,
            })?;
            match out.last_mut() {
                Some(last) if last.name == table => last.columns.push(column),
                _ => out.push(TableInfo {
                    name: table,
                    columns: vec![column],
                    without_rowid: true,
                    // -1 until the table is first vacuumed or analysed.
                    rows_estimate: (estimate >= 0.0).then_some(estimate as u64),
                }),
            }
        }
        Ok(out)
    }
}
