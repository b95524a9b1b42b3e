//! The grouped SQL that summarises the streams of one event table: each stream's key, event count, lowest and
//! highest position, type, name and tenant, and the stored times of its two ends read by seeks in the same
//! statement; run row by row so a listing of any size is handed on as it is read.

use super::streams::{End, StreamRow, aggregate_type};
use super::*;

/// The condition that an event's time is in the range of Unix microseconds bound to `?1` and `?2`
/// (`[?1, ?2)`): 1 or 0, never NULL, so it can be summed.
pub(super) fn in_range_sql(time: &str) -> String {
    format!("coalesce(es_micros({time}) BETWEEN ?1 AND ?2 - 1, 0)")
}

/// The query reading the stored time of the event of `source` at position `position` (an SQL expression)
/// that meets `condition`.
pub(super) fn time_at_sql(source: &Source, condition: &str, position: &str) -> String {
    let m = &source.mapping;
    format!(
        "SELECT {time} FROM {from} WHERE ({condition}) AND {filter} AND {pos} = {position} LIMIT 1",
        time = source.sql_opt(m.time.as_ref()),
        from = m.from_sql(false),
        filter = m.filter_sql(),
        pos = source.sql(&m.position),
    )
}

/// The SQL expression of a stream role (type, name, tenant) read from every event of a stream, where most
/// events do not have it (eventsourcing stores the aggregate's topic in its first event only): a value
/// inside a payload that must be decoded is only decoded when the payload could hold it (`es_may_hold`). A
/// stored JSON object without the key's name anywhere in its text and without `\u` escapes (the only other
/// way to spell a name of letters, digits and `_`) cannot have that key once decoded: the transforms keep
/// names. Encrypted payloads, and anything not stored as a JSON object (compressed ones), are always
/// decoded.
pub(super) fn aggregated_sql(source: &Source, role: Option<&layout::Source>) -> String {
    let expr = source.sql_opt(role);
    let m = &source.mapping;
    let Some(layout::Source::Json { column, path }) = role else {
        return expr;
    };
    let key = path
        .strip_prefix("$.")
        .and_then(|rest| rest.split(['.', '[']).next())
        .filter(|key| {
            !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
    let decoded = m.data.as_deref() == Some(column.as_str()) && !m.codec.is_plain();
    let (Some(key), true, None) = (key, decoded, m.codec.encryption.as_ref()) else {
        return expr;
    };
    format!(
        "(CASE WHEN es_may_hold({}, '{key}') THEN {expr} END)",
        m.column_sql(Some(column))
    )
}

/// The condition that an event's stream key parts are `keys` (SQL expressions, one per part).
pub(super) fn keys_match_sql(source: &Source, keys: &[String]) -> String {
    let m = &source.mapping;
    let parts: Vec<String> = m
        .stream
        .iter()
        .zip(keys)
        .map(|(part, key)| format!("{} IS {key}", source.sql(part)))
        .collect();
    if parts.is_empty() {
        "1".to_owned()
    } else {
        parts.join(" AND ")
    }
}

/// The condition that an event is in the `range` of Unix microseconds (always true without a range), with its
/// parameters; `None` when a range is asked of a table without times (no event is in any range).
pub(super) fn range_condition(
    source: &Source,
    range: Option<(i64, i64)>,
) -> Option<(String, Vec<i64>)> {
    match range {
        None => Some(("1".to_owned(), Vec::new())),
        Some(_) if source.mapping.time.is_none() => None,
        Some((from, to)) => Some((
            in_range_sql(&source.sql_opt(source.mapping.time.as_ref())),
            vec![from, to],
        )),
    }
}

/// Part of the key space of one event table, by the first part of the stored stream key: what a page of the
/// streams list asks for.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct KeyRange<'a> {
    /// Only keys above this one (an integer when it reads as one, so numeric keys page numerically).
    pub(super) after: Option<&'a str>,
    /// Only keys stored as text starting with this.
    pub(super) prefix: Option<&'a str>,
    /// At most this many streams, the first in stored key order (which orders the rows too).
    pub(super) limit: Option<usize>,
    /// Rows in stored key order even without a limit.
    pub(super) ordered: bool,
}

impl KeyRange<'_> {
    /// The SQL condition on the first key part `key` (numbered parameters from `?{first}`) and its
    /// parameters.
    fn condition(&self, key: &str, first: usize) -> (String, Vec<SqlValue>) {
        let mut conds = Vec::new();
        let mut params = Vec::new();
        if let Some(after) = self.after {
            conds.push(format!("{key} > ?{}", first + params.len()));
            params.push(
                after
                    .parse::<i64>()
                    .map_or_else(|_| SqlValue::Text(after.to_owned()), SqlValue::Integer),
            );
        }
        if let Some(prefix) = self.prefix {
            // A range the index answers; every text starting with the prefix sorts below prefix + U+10FFFF.
            let at = first + params.len();
            conds.push(format!("{key} >= ?{at} AND {key} < ?{}", at + 1));
            params.push(SqlValue::Text(prefix.to_owned()));
            params.push(SqlValue::Text(format!("{prefix}\u{10FFFF}")));
        }
        if conds.is_empty() {
            ("1".to_owned(), params)
        } else {
            (conds.join(" AND "), params)
        }
    }
}

/// The grouped summaries query of one event table, ready to run.
pub(super) struct SummaryQuery {
    pub(super) sql: String,
    pub(super) params: Vec<SqlValue>,
    /// Stream key parts.
    pub(super) parts: usize,
    /// When the ends' times are not read by seeks inside the statement: the range condition and parameters
    /// for a grouped scan of each end ([`Store::summary_rows`]).
    pub(super) ends_by_scan: Option<(String, Vec<i64>)>,
}

impl SummaryQuery {
    /// Whether the statement reads both ends' times itself (by seeks, or the table has no times).
    pub(super) fn reads_ends_by_seeks(&self) -> bool {
        self.ends_by_scan.is_none()
    }
}

impl Store {
    /// The grouped query summarising the streams of `source` (a table with stream ids) in `keys`, counting
    /// only events in `range` when given; `None` when a range is asked of a table without times.
    pub(super) fn summary_query(
        &self,
        source: &Source,
        range: Option<(i64, i64)>,
        keys: &KeyRange<'_>,
    ) -> Result<Option<SummaryQuery>, StoreError> {
        let m = &source.mapping;
        let Some((in_range, range_params)) = range_condition(source, range) else {
            return Ok(None);
        };
        let pos = source.sql(&m.position);
        let parts: Vec<String> = m.stream.iter().map(|s| source.sql(s)).collect();
        let n = parts.len();
        let aliases: Vec<String> = (0..n).map(|i| format!("k{i}")).collect();
        let keyed: Vec<String> = parts
            .iter()
            .zip(&aliases)
            .map(|(part, alias)| format!("{part} AS {alias}"))
            .collect();
        let group = (1..=n)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let st = aggregated_sql(source, m.stream_type.as_ref());
        let name = aggregated_sql(source, m.stream_name.as_ref());
        let tenant = aggregated_sql(source, m.tenant.as_ref());
        let (key_cond, mut params) = match parts.first() {
            Some(first) => keys.condition(first, range_params.len() + 1),
            None => ("1".to_owned(), Vec::new()),
        };
        // A type inside the payload is read from each stream's first event that has it, by a seek per stream
        // (as `Store::stream` reads it), when the other facts come from the (stream, version) index alone:
        // then the grouped query reads no payload and sorts nothing.
        let first_type = range.is_none()
            && matches!(m.stream_type, Some(layout::Source::Json { .. }))
            && name == "NULL"
            && tenant == "NULL"
            && m.join.is_none()
            && self.lookup_seeks(source)?;
        // A plain scan beats walking the (stream, version) index and looking up every row, unless only part
        // of the key space is asked for, or the index holds every fact asked.
        let whole = keys.after.is_none() && keys.prefix.is_none() && keys.limit.is_none();
        let from = m.from_sql(whole && m.join.is_none() && !first_type);
        let filter = format!("{} AND {key_cond}", m.filter_sql());
        let grouped = if range.is_some() {
            // Count only the events in the range, but take the stream's type, name and tenant from all its
            // events (a type may be stored on the first event only). The inner query is not flattened, so
            // each row's time is parsed once.
            format!(
                "SELECT {keys}, sum(inr) AS n, min(iif(inr, p, NULL)) AS lo, max(iif(inr, p, NULL)) AS hi, \
                 min(st) AS st, min(nm) AS nm, min(tn) AS tn FROM (SELECT {keyed}, {pos} AS p, {in_range} AS inr, \
                 {st} AS st, {name} AS nm, {tenant} AS tn FROM {from} WHERE {filter} LIMIT -1) \
                 GROUP BY {group} HAVING sum(inr) > 0",
                keys = aliases.join(", "),
                keyed = keyed.join(", "),
            )
        } else {
            format!(
                "SELECT {keyed}, count(*) AS n, min({pos}) AS lo, max({pos}) AS hi, min({st}) AS st, \
                 min({name}) AS nm, min({tenant}) AS tn FROM {from} WHERE {filter} GROUP BY {group}",
                keyed = keyed.join(", "),
                st = if first_type { "NULL" } else { st.as_str() },
            )
        };
        let grouped = match keys.limit {
            Some(limit) => format!("{grouped} ORDER BY {group} LIMIT {limit}"),
            None if keys.ordered => format!("{grouped} ORDER BY {group}"),
            None => grouped,
        };
        // The two ends' times, read by position and key inside the statement when that is a seek.
        let seeks = m.time.is_some() && self.lookup_seeks(source)?;
        let (first, last) = if seeks {
            let same_stream: Vec<String> = aliases.iter().map(|a| format!("es_g.{a}")).collect();
            let condition = format!("{} AND {in_range}", keys_match_sql(source, &same_stream));
            (
                format!("({})", time_at_sql(source, &condition, "es_g.lo")),
                format!("({})", time_at_sql(source, &condition, "es_g.hi")),
            )
        } else {
            ("NULL".to_owned(), "NULL".to_owned())
        };
        let stream_type = if first_type {
            let same_stream: Vec<String> = aliases.iter().map(|a| format!("es_g.{a}")).collect();
            let order = match &m.version {
                Some(version) => format!("{}, {pos}", source.sql(version)),
                None => pos.clone(),
            };
            format!(
                "(SELECT {st} FROM {from} WHERE {same} AND {filter} AND {st} IS NOT NULL \
                 ORDER BY {order} LIMIT 1)",
                from = m.from_sql(false),
                same = keys_match_sql(source, &same_stream),
                filter = m.filter_sql(),
            )
        } else {
            "es_g.st".to_owned()
        };
        let sql = format!(
            "SELECT {keys}, es_g.n, es_g.lo, es_g.hi, {stream_type}, es_g.nm, es_g.tn, {first}, {last} \
             FROM ({grouped}) AS es_g",
            keys = aliases
                .iter()
                .map(|a| format!("es_g.{a}"))
                .collect::<Vec<_>>()
                .join(", "),
        );
        let mut all: Vec<SqlValue> = range_params.iter().map(|p| SqlValue::Integer(*p)).collect();
        all.append(&mut params);
        Ok(Some(SummaryQuery {
            sql,
            params: all,
            parts: n,
            ends_by_scan: (m.time.is_some() && !seeks).then_some((in_range, range_params)),
        }))
    }

    /// Run `query`, handing each row to `on_row` in the statement's order until it returns false.
    pub(super) fn each_row(
        &self,
        query: &SummaryQuery,
        table_name: Option<&String>,
        on_row: &mut dyn FnMut(StreamRow) -> bool,
    ) -> Result<bool, StoreError> {
        let n = query.parts;
        let mut stmt = self
            .db()?
            .prepare(&query.sql)
            .map_err(|e| self.sql_err(e))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(&query.params))
            .map_err(|e| self.sql_err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
            self.row_read();
            let read = || -> rusqlite::Result<StreamRow> {
                let mut ids = Vec::with_capacity(n);
                for i in 0..n {
                    ids.push(format_stream_id(row.get_ref(i)?.into()));
                }
                let id = composite_id(&ids);
                let stream_type = sql_text(row.get_ref(n + 3)?.into())
                    .and_then(|t| aggregate_type(&t))
                    .or_else(|| category_of(&id));
                Ok(StreamRow {
                    summary: StreamSummary {
                        stream_type,
                        name: sql_text(row.get_ref(n + 4)?.into()),
                        tenant: sql_text(row.get_ref(n + 5)?.into()),
                        table: table_name.cloned(),
                        events: row.get::<_, i64>(n)?.try_into().unwrap_or(0),
                        first_time: None,
                        first_stored_time: None,
                        last_time: None,
                        last_stored_time: None,
                        id,
                    },
                    first: End {
                        position: row.get(n + 1)?,
                        time: read_time_sql(row.get_ref(n + 6)?.into()),
                    },
                    last: End {
                        position: row.get(n + 2)?,
                        time: read_time_sql(row.get_ref(n + 7)?.into()),
                    },
                })
            };
            if !on_row(read().map_err(|e| self.sql_err(e))?) {
                return Ok(false);
            }
        }
        Ok(true)
    }
}
