//! A stream looked up by the stored forms its key actually has. An id is matched against every form it
//! may be stored in (a UUID dashed, plain, upper case, as 16 bytes...), and SQLite cannot walk the
//! `(stream, version)` index in order across several values of an `IN` list: it sorted the rest of the
//! stream for every page read. Narrowed to the forms present (one, nearly always), the page is a seek.

use rusqlite::OptionalExtension as _;
use rusqlite::types::Value as SqlValue;

use super::{Source, Store, StoreError, split_composite, stream_condition};
use crate::core::decode::stream_key_candidates;

impl Store {
    /// [`stream_condition`] with each key part compared only with the stored forms of `id` the table holds,
    /// when SQLite can tell that by index seeks; otherwise (no index on the key, or no form present) the
    /// condition as [`stream_condition`] gives it.
    pub(super) fn present_stream_condition(
        &self,
        source: &Source,
        id: &str,
    ) -> Result<Option<(String, Vec<SqlValue>)>, StoreError> {
        let m = &source.mapping;
        let whole = stream_condition(source, id);
        let Some(pieces) = split_composite(id, m.stream.len()).filter(|_| !m.stream.is_empty())
        else {
            return Ok(whole);
        };
        let mut conds = Vec::with_capacity(pieces.len());
        let mut params = Vec::new();
        for (part, piece) in m.stream.iter().zip(pieces) {
            let column = source.sql(part);
            let probe = format!(
                "SELECT 1 FROM {} WHERE {column} = ?1 LIMIT 1",
                m.from_sql(false)
            );
            let probe_text = format!(
                "SELECT 1 FROM {} WHERE {column} = CAST(?1 AS TEXT) LIMIT 1",
                m.from_sql(false)
            );
            if !self.seeks(&probe)? {
                return Ok(whole);
            }
            let mut present: Vec<(&str, SqlValue)> = Vec::new();
            for candidate in stream_key_candidates(piece) {
                let forms: &[(&str, &str)] = if matches!(candidate, SqlValue::Blob(_)) {
                    &[("?", &probe), ("CAST(? AS TEXT)", &probe_text)]
                } else {
                    &[("?", &probe)]
                };
                for (mark, sql) in forms {
                    let found = self
                        .db()?
                        .query_row(sql, [&candidate], |_| Ok(()))
                        .optional()
                        .map_err(|e| self.sql_err(e))?;
                    if found.is_some() {
                        present.push((mark, candidate.clone()));
                    }
                }
            }
            if present.is_empty() {
                return Ok(whole);
            }
            let marks: Vec<&str> = present.iter().map(|(mark, _)| *mark).collect();
            conds.push(match marks.as_slice() {
                [mark] => format!("{column} = {mark}"),
                marks => format!("{column} IN ({})", marks.join(", ")),
            });
            params.extend(present.into_iter().map(|(_, value)| value));
        }
        Ok(Some((conds.join(" AND "), params)))
    }

    /// Whether SQLite runs `sql` by seeks alone: no table scanned, no index built for it.
    pub(super) fn seeks(&self, sql: &str) -> Result<bool, StoreError> {
        Ok(!self
            .query_plan(sql)?
            .iter()
            .any(|step| step.starts_with("SCAN") || step.contains("AUTOMATIC")))
    }

    /// The steps of SQLite's plan for `sql`, as `EXPLAIN QUERY PLAN` words them.
    pub(super) fn query_plan(&self, sql: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .db()?
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .map_err(|e| self.sql_err(e))?;
        // Unbound parameters are fine: the plan does not depend on them.
        let mut rows = stmt.raw_query();
        let mut steps = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
            steps.push(row.get(3).map_err(|e| self.sql_err(e))?);
        }
        Ok(steps)
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use crate::core::layout::Mapping;
    use crate::core::store::Store;

    /// One stream whose key is stored three ways, indexed or not: every page holds all its events in order.
    #[test]
    fn a_stream_stored_under_several_forms_of_its_id_reads_whole_and_in_order() {
        let dashed = "0f8fad5b-d9cb-469f-a165-70867728950e";
        for index in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("mixed.sqlite");
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "CREATE TABLE ev(seq INTEGER PRIMARY KEY, stream_id, version INTEGER, type TEXT, data TEXT);
                 INSERT INTO ev VALUES (1, '0f8fad5b-d9cb-469f-a165-70867728950e', 1, 'T', '{\"n\": 1}');
                 INSERT INTO ev VALUES (2, '0F8FAD5BD9CB469FA16570867728950E', 2, 'T', '{\"n\": 2}');
                 INSERT INTO ev VALUES (3, 'other', 1, 'T', '{}');
                 INSERT INTO ev VALUES (4, x'0f8fad5bd9cb469fa16570867728950e', 3, 'T', '{\"n\": 3}');
                 INSERT INTO ev VALUES (5, '0f8fad5b-d9cb-469f-a165-70867728950e', 4, 'T', '{\"n\": 4}');",
            )
            .unwrap();
            if index {
                conn.execute_batch("CREATE UNIQUE INDEX ev_stream ON ev(stream_id, version)")
                    .unwrap();
            }
            drop(conn);
            let mapping: Mapping = serde_json::from_value(serde_json::json!({
                "table": "ev", "position": {"column": "seq"}, "stream": {"column": "stream_id"},
                "version": {"column": "version"}, "type": {"column": "type"}, "data": "data"
            }))
            .unwrap();
            let store = Store::open(&path, Some(mapping)).unwrap();
            let versions: Vec<Option<i64>> = store
                .read_stream_paged(dashed, 1)
                .map(|e| e.unwrap().version)
                .collect();
            assert_eq!(
                versions,
                [Some(1), Some(2), Some(3), Some(4)],
                "index {index}"
            );
        }
    }
}
