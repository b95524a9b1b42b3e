//! Reading a stream's first and last events: by position with one seek each when SQLite can seek them, by
//! one grouped scan per end when it cannot (no index on the position nor on the stream).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::super::summary::{keys_match_sql, time_at_sql};
use super::*;

impl Store {
    /// The stored time of the event of `source` at `position` that meets `condition` (an SQL condition
    /// using `params`); absent when there is no such event or the layout has no time.
    pub(super) fn time_at(
        &self,
        source: &Source,
        condition: &str,
        params: &[SqlValue],
        position: Option<i64>,
    ) -> Result<StoredTime, StoreError> {
        let Some(position) = position.filter(|_| source.mapping.time.is_some()) else {
            return Ok(StoredTime::Absent);
        };
        let sql = time_at_sql(source, condition, &format!("?{}", params.len() + 1));
        let mut all = params.to_vec();
        all.push(SqlValue::Integer(position));
        self.db()?
            .query_row(&sql, rusqlite::params_from_iter(&all), |r| {
                Ok(read_time_sql(r.get_ref(0)?.into()))
            })
            .optional()
            .map(|time| time.unwrap_or(StoredTime::Absent))
            .map_err(|e| self.sql_err(e))
    }

    /// Whether SQLite finds an event of `source` by position and stream key with seeks alone: no table
    /// scanned and no index built for the lookup (as `EXPLAIN QUERY PLAN` says).
    pub(in crate::core::store) fn lookup_seeks(&self, source: &Source) -> Result<bool, StoreError> {
        let parts = source.mapping.stream.len();
        let keys: Vec<String> = (1..=parts).map(|i| format!("?{i}")).collect();
        let sql = time_at_sql(
            source,
            &keys_match_sql(source, &keys),
            &format!("?{}", parts + 1),
        );
        self.seeks(&sql)
    }

    /// Each stream's first (`later == false`) or last event of `source` by position among those meeting
    /// `in_range` (an SQL condition using `params`), with its stored time, by id; from one grouped scan in
    /// which SQLite takes the time from the row holding the group's `min()` or `max()`. For tables where a
    /// lookup by position would be a scan.
    pub(super) fn ends_by_scan(
        &self,
        source: &Source,
        in_range: &str,
        params: &[i64],
        later: bool,
    ) -> Result<HashMap<String, End>, StoreError> {
        let m = &source.mapping;
        let parts: Vec<String> = m.stream.iter().map(|s| source.sql(s)).collect();
        let n = parts.len();
        let pos = source.sql(&m.position);
        let group = (1..=n)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        // Only one min() or max() in the query, so the bare time comes from the row holding it.
        let sql = format!(
            "SELECT {keys}, {extreme}({pos}), {time} FROM {from} WHERE {filter} AND {in_range} \
             AND {pos} IS NOT NULL GROUP BY {group}",
            keys = parts.join(", "),
            extreme = if later { "max" } else { "min" },
            time = source.sql_opt(m.time.as_ref()),
            from = m.from_sql(m.join.is_none()),
            filter = m.filter_sql(),
        );
        let mut stmt = self.db()?.prepare(&sql).map_err(|e| self.sql_err(e))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params))
            .map_err(|e| self.sql_err(e))?;
        let mut out: HashMap<String, End> = HashMap::new();
        while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
            self.row_read();
            let read = || -> rusqlite::Result<(String, End)> {
                let mut ids = Vec::with_capacity(n);
                for i in 0..n {
                    ids.push(format_stream_id(row.get_ref(i)?.into()));
                }
                Ok((
                    composite_id(&ids),
                    End {
                        position: row.get(n)?,
                        time: read_time_sql(row.get_ref(n + 1)?.into()),
                    },
                ))
            };
            let (id, end) = read().map_err(|e| self.sql_err(e))?;
            match out.entry(id) {
                Entry::Occupied(mut existing) => {
                    let kept = std::mem::replace(existing.get_mut(), End::NONE);
                    *existing.get_mut() = kept.pick(end, later);
                }
                Entry::Vacant(slot) => {
                    slot.insert(end);
                }
            }
        }
        Ok(out)
    }
}
