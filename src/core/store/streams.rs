//! The streams list: each stream's id, type, event count and first and last time, from one grouped query per
//! event table (ids stored in several forms merged afterwards), and one stream's summary by id.

use super::*;

/// A row of the grouped streams query, before ids stored in several forms are merged.
struct StreamRow {
    summary: StreamSummary,
}

impl Store {
    /// Every stream with its type, event count and first/last time, sorted by id (numbers numerically).
    pub fn streams(&self) -> Result<Vec<StreamSummary>, StoreError> {
        self.merged_streams(None)
    }

    /// The streams with events whose time falls in `[from, to)`, counting only those events (`first_time` and
    /// `last_time` are the first and last of them), sorted by id. Events without a parseable time are in no
    /// range.
    pub fn streams_in_range(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<StreamSummary>, StoreError> {
        self.merged_streams(Some((from.timestamp_micros(), to.timestamp_micros())))
    }

    /// Every stream (with events in the range of Unix microseconds `range`, when given), sorted by id.
    fn merged_streams(&self, range: Option<(i64, i64)>) -> Result<Vec<StreamSummary>, StoreError> {
        let many = self.sources.len() > 1;
        let mut merged: std::collections::HashMap<String, StreamSummary> =
            std::collections::HashMap::new();
        for source in &self.sources {
            for row in self.stream_rows(source, many, range)? {
                let summary = row.summary;
                match merged.get_mut(&summary.id) {
                    Some(existing) => {
                        existing.events += summary.events;
                        existing.first_time = min_opt(existing.first_time, summary.first_time);
                        existing.last_time = existing.last_time.max(summary.last_time);
                    }
                    None => {
                        merged.insert(summary.id.clone(), summary);
                    }
                }
            }
        }
        let mut out: Vec<StreamSummary> = merged.into_values().collect();
        out.sort_by(|a, b| compare_ids(&a.id, &b.id));
        Ok(out)
    }

    fn stream_rows(
        &self,
        source: &Source,
        many: bool,
        range: Option<(i64, i64)>,
    ) -> Result<Vec<StreamRow>, StoreError> {
        let m = &source.mapping;
        let time = source.sql_opt(m.time.as_ref());
        let table_name = many.then(|| m.table.clone());
        let (in_range, params) = match range {
            None => ("1".to_owned(), Vec::new()),
            Some(_) if m.time.is_none() => return Ok(Vec::new()),
            Some((from, to)) => (
                format!("es_micros({time}) >= ? AND es_micros({time}) < ?"),
                vec![from, to],
            ),
        };
        if m.stream.is_empty() {
            let sql = format!(
                "SELECT count(*), min({time}), max({time}) FROM {} WHERE {} AND {in_range}",
                m.from_sql(false),
                m.filter_sql()
            );
            let summary = self
                .db()
                .query_row(&sql, rusqlite::params_from_iter(&params), |r| {
                    Ok(StreamSummary {
                        id: m.single_stream_id().to_owned(),
                        stream_type: None,
                        name: None,
                        tenant: None,
                        table: table_name.clone(),
                        events: r.get::<_, i64>(0)?.try_into().unwrap_or(0),
                        first_time: parse_time_sql(r.get_ref(1)?),
                        last_time: parse_time_sql(r.get_ref(2)?),
                    })
                })
                .map_err(|e| self.sql_err(e))?;
            if range.is_some() && summary.events == 0 {
                return Ok(Vec::new());
            }
            return Ok(vec![StreamRow { summary }]);
        }
        let parts: Vec<String> = m.stream.iter().map(|s| source.sql(s)).collect();
        let n = parts.len();
        let group = (1..=n)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let st = source.sql_opt(m.stream_type.as_ref());
        let name = source.sql_opt(m.stream_name.as_ref());
        let tenant = source.sql_opt(m.tenant.as_ref());
        // A plain scan beats walking the (stream, version) index and looking up every row.
        let from = m.from_sql(m.join.is_none());
        let filter = m.filter_sql();
        let keys = parts.join(", ");
        let sql = if range.is_some() {
            // Count only the events in the range, but take the stream's type, name and tenant from all its
            // events (a type may be stored on the first event only). The inner query is not flattened, so
            // each row's time is parsed once.
            let aliases: Vec<String> = (0..n).map(|i| format!("k{i}")).collect();
            let inner_keys: Vec<String> = parts
                .iter()
                .zip(&aliases)
                .map(|(part, alias)| format!("{part} AS {alias}"))
                .collect();
            format!(
                "SELECT {keys}, sum(inr), min(iif(inr, t, NULL)), max(iif(inr, t, NULL)), min(st), min(nm), \
                 min(tn) FROM (SELECT {inner}, {time} AS t, coalesce(es_micros({time}) BETWEEN ?1 AND ?2 - 1, 0) \
                 AS inr, {st} AS st, {name} AS nm, {tenant} AS tn FROM {from} WHERE {filter} LIMIT -1) \
                 GROUP BY {group} HAVING sum(inr) > 0",
                keys = aliases.join(", "),
                inner = inner_keys.join(", "),
            )
        } else {
            format!(
                "SELECT {keys}, count(*), min({time}), max({time}), min({st}), min({name}), min({tenant}) \
                 FROM {from} WHERE {filter} GROUP BY {group}"
            )
        };
        let mut stmt = self.db().prepare(&sql).map_err(|e| self.sql_err(e))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(&params))
            .map_err(|e| self.sql_err(e))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
            let read = || -> rusqlite::Result<StreamRow> {
                let mut ids = Vec::with_capacity(n);
                for i in 0..n {
                    ids.push(format_stream_id(row.get_ref(i)?));
                }
                let id = composite_id(&ids);
                let stream_type = sql_text(row.get_ref(n + 3)?)
                    .and_then(|t| aggregate_type(&t))
                    .or_else(|| category_of(&id));
                Ok(StreamRow {
                    summary: StreamSummary {
                        stream_type,
                        name: sql_text(row.get_ref(n + 4)?),
                        tenant: sql_text(row.get_ref(n + 5)?),
                        table: table_name.clone(),
                        events: row.get::<_, i64>(n)?.try_into().unwrap_or(0),
                        first_time: parse_time_sql(row.get_ref(n + 1)?),
                        last_time: parse_time_sql(row.get_ref(n + 2)?),
                        id,
                    },
                })
            };
            out.push(read().map_err(|e| self.sql_err(e))?);
        }
        Ok(out)
    }

    /// One stream's summary.
    pub fn stream(&self, id: &str) -> Result<StreamSummary, StoreError> {
        let many = self.sources.len() > 1;
        for source in &self.sources {
            let Some((cond, params)) = stream_condition(source, id) else {
                continue;
            };
            let m = &source.mapping;
            let time = source.sql_opt(m.time.as_ref());
            let sql = format!(
                "SELECT count(*), min({time}), max({time}), min({st}), min({name}), min({tenant}) FROM {from} \
                 WHERE ({cond}) AND {filter}",
                st = source.sql_opt(m.stream_type.as_ref()),
                name = source.sql_opt(m.stream_name.as_ref()),
                tenant = source.sql_opt(m.tenant.as_ref()),
                from = m.from_sql(false),
                filter = m.filter_sql(),
            );
            let canonical = canonical_id(id, m.stream.len());
            let summary = self
                .db()
                .query_row(&sql, rusqlite::params_from_iter(params.iter()), |r| {
                    Ok(StreamSummary {
                        stream_type: sql_text(r.get_ref(3)?)
                            .and_then(|t| aggregate_type(&t))
                            .or_else(|| {
                                (!m.stream.is_empty())
                                    .then(|| category_of(&canonical))
                                    .flatten()
                            }),
                        name: sql_text(r.get_ref(4)?),
                        tenant: sql_text(r.get_ref(5)?),
                        table: many.then(|| m.table.clone()),
                        events: r.get::<_, i64>(0)?.try_into().unwrap_or(0),
                        first_time: parse_time_sql(r.get_ref(1)?),
                        last_time: parse_time_sql(r.get_ref(2)?),
                        id: canonical.clone(),
                    })
                })
                .map_err(|e| self.sql_err(e))?;
            // A single log with no rows is still the one stream `streams` lists.
            if summary.events > 0 || m.stream.is_empty() {
                return Ok(summary);
            }
        }
        Err(StoreError::NoSuchStream {
            path: self.path.clone(),
            id: id.to_owned(),
        })
    }
}

/// The aggregate type shown for a stored type: a Python topic `package.module:Aggregate` shows as
/// `Aggregate`.
fn aggregate_type(stored: &str) -> Option<String> {
    (!stored.is_empty()).then(|| python_qualname(stored))
}

fn python_qualname(stored: &str) -> String {
    match stored.rsplit_once(':') {
        Some((module, name))
            if !module.is_empty() && !name.is_empty() && !stored.contains(char::is_whitespace) =>
        {
            name.to_owned()
        }
        _ => stored.to_owned(),
    }
}

fn min_opt<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
