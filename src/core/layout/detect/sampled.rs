//! A catalog whose column samples are read once per table during one detection: the content rules look at
//! a table's unnamed columns more than once (its payload, then its type, time and stream; every table when
//! none is named as events). Only the table being looked at is kept, so large payload samples of many
//! tables are never held together.

use crate::core::decode::cell::Datum;
use crate::core::layout::{Catalog, CatalogError, Dialect, TableInfo};

pub(super) struct SampledOnce<'c> {
    catalog: &'c mut dyn Catalog,
    /// The table whose samples are kept, and each sampled column's values with the rows asked for.
    table: String,
    samples: Vec<(String, usize, Vec<Datum>)>,
}

impl<'c> SampledOnce<'c> {
    pub(super) fn new(catalog: &'c mut dyn Catalog) -> Self {
        Self {
            catalog,
            table: String::new(),
            samples: Vec::new(),
        }
    }
}

impl Catalog for SampledOnce<'_> {
    fn dialect(&self) -> Dialect {
        self.catalog.dialect()
    }

    fn tables(&mut self) -> Result<Vec<TableInfo>, CatalogError> {
        self.catalog.tables()
    }

    fn sample(
        &mut self,
        table: &str,
        column: &str,
        rows: usize,
    ) -> Result<Vec<Datum>, CatalogError> {
        if self.table != table {
            self.table = table.to_owned();
            self.samples.clear();
        }
        if let Some((_, _, values)) = self
            .samples
            .iter()
            .find(|(c, r, _)| c == column && *r == rows)
        {
            return Ok(values.clone());
        }
        let values = self.catalog.sample(table, column, rows)?;
        self.samples.push((column.to_owned(), rows, values.clone()));
        Ok(values)
    }

    fn rows_lacking_key(
        &mut self,
        table: &str,
        column: &str,
        key: &str,
    ) -> Result<u64, CatalogError> {
        self.catalog.rows_lacking_key(table, column, key)
    }

    fn compiles(&mut self, sql: &str) -> Result<(), String> {
        self.catalog.compiles(sql)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts the samples it reads.
    struct Counting<'c>(&'c mut dyn Catalog, usize);

    impl Catalog for Counting<'_> {
        fn dialect(&self) -> Dialect {
            self.0.dialect()
        }
        fn tables(&mut self) -> Result<Vec<TableInfo>, CatalogError> {
            self.0.tables()
        }
        fn sample(&mut self, t: &str, c: &str, n: usize) -> Result<Vec<Datum>, CatalogError> {
            self.1 += 1;
            self.0.sample(t, c, n)
        }
        fn rows_lacking_key(&mut self, t: &str, c: &str, k: &str) -> Result<u64, CatalogError> {
            self.0.rows_lacking_key(t, c, k)
        }
        fn compiles(&mut self, sql: &str) -> Result<(), String> {
            self.0.compiles(sql)
        }
    }

    #[test]
    fn a_column_is_read_once_while_its_table_is_looked_at() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE a(x TEXT, y TEXT); INSERT INTO a VALUES ('1', '2');
             CREATE TABLE b(x TEXT); INSERT INTO b VALUES ('3');",
        )
        .unwrap();
        let mut counting = Counting(&mut conn, 0);
        let mut once = SampledOnce::new(&mut counting);
        let first = once.sample("a", "x", 10).unwrap();
        assert_eq!(once.sample("a", "x", 10).unwrap(), first);
        once.sample("a", "y", 10).unwrap();
        once.sample("b", "x", 10).unwrap();
        // Another table's turn forgets the first's samples.
        once.sample("a", "x", 10).unwrap();
        drop(once);
        assert_eq!(counting.1, 4);
    }
}
