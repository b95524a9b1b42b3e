//! The streams list: each stream's id, type, event count and the times of its first and last events, and one
//! stream's summary by id.
//!
//! A stream's first and last times are the stored times of its first and last events by position, read by
//! [`crate::core::times`] like every event's time. They are never `min()`/`max()` over the stored values:
//! SQLite compares those as text or as numbers, so a stream mixing `+02:00` offsets, `Z`, Unix numbers or
//! julian days would get the wrong ends, and an unreadable value would hide a readable one. A time that
//! cannot be read is carried as stored (`first_stored_time`, `last_stored_time`), never turned into a date.
//!
//! Cost: one grouped query per event table counts each stream's events and finds its lowest and highest
//! position; the same statement then reads the times of those two events by position and stream key (two
//! seeks per stream). When SQLite says such a lookup would not be a seek (no index on the position nor on
//! the stream), each end comes from one more grouped scan instead, so the list stays linear in the table.
//! No Rust function runs per row except `es_micros` when counting the events of a period.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::*;
use crate::core::times::StoredTime;

/// The first or last event of a stream in one event table: its position and its stored time.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct End {
    position: Option<i64>,
    pub(super) time: StoredTime,
}

impl End {
    const NONE: Self = Self {
        position: None,
        time: StoredTime::Absent,
    };

    /// The one of two ends in one table that comes first (`later == false`) or last by position.
    fn pick(self, other: Self, later: bool) -> Self {
        match (self.position, other.position) {
            (Some(a), Some(b)) if (later && b > a) || (!later && b < a) => other,
            (None, Some(_)) => other,
            _ => self,
        }
    }
}

/// The first (`later == false`) or last of two ends in different event tables, whose positions cannot be
/// compared: by time. An end whose time cannot be read cannot be ordered, so it is kept (and shown as stored)
/// rather than a readable time that may not be the stream's end; an end without a time is left out.
fn across_tables(kept: StoredTime, other: StoredTime, later: bool) -> StoredTime {
    match (kept, other) {
        (StoredTime::Time(a), StoredTime::Time(b)) => {
            StoredTime::Time(if later { a.max(b) } else { a.min(b) })
        }
        (unread @ StoredTime::Unreadable(_), _) | (_, unread @ StoredTime::Unreadable(_)) => unread,
        (StoredTime::Absent, other) | (other, StoredTime::Absent) => other,
    }
}

/// A row of the grouped streams query, before ids stored in several forms are merged.
pub(super) struct StreamRow {
    /// Everything but the times.
    pub(super) summary: StreamSummary,
    pub(super) first: End,
    pub(super) last: End,
}

impl StreamRow {
    /// Merge another row of the same id in the same table (the id stored in another form).
    fn absorb(&mut self, other: Self) {
        self.summary.events += other.summary.events;
        self.first = std::mem::replace(&mut self.first, End::NONE).pick(other.first, false);
        self.last = std::mem::replace(&mut self.last, End::NONE).pick(other.last, true);
    }
}

/// The rows of one event table with each id stored in several forms merged into its first row, by position
/// (positions order the events within a table). Rows come in the order of their stored keys.
fn merge_forms(rows: Vec<StreamRow>) -> Vec<StreamRow> {
    // The index of the first row of each row's id, found without copying ids.
    let first_of: Vec<usize> = {
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(rows.len());
        (rows.iter().enumerate())
            .map(|(i, row)| *seen.entry(row.summary.id.as_str()).or_insert(i))
            .collect()
    };
    if first_of.iter().enumerate().all(|(i, first)| i == *first) {
        return rows;
    }
    let mut kept: Vec<StreamRow> = Vec::with_capacity(rows.len());
    // Where each row's first row went in `kept`.
    let mut kept_at: Vec<usize> = Vec::with_capacity(rows.len());
    for (row, first) in rows.into_iter().zip(first_of) {
        let target = kept_at.get(first).copied();
        kept_at.push(target.unwrap_or(kept.len()));
        match target.and_then(|t| kept.get_mut(t)) {
            Some(existing) => existing.absorb(row),
            None => kept.push(row),
        }
    }
    kept
}

/// The condition that an event's time is in the range of Unix microseconds bound to `?1` and `?2`
/// (`[?1, ?2)`): 1 or 0, never NULL, so it can be summed.
fn in_range_sql(time: &str) -> String {
    format!("coalesce(es_micros({time}) BETWEEN ?1 AND ?2 - 1, 0)")
}

/// The query reading the stored time of the event of `source` at position `position` (an SQL expression)
/// that meets `condition`.
fn time_at_sql(source: &Source, condition: &str, position: &str) -> String {
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
fn aggregated_sql(source: &Source, role: Option<&layout::Source>) -> String {
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
fn keys_match_sql(source: &Source, keys: &[String]) -> String {
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
fn range_condition(source: &Source, range: Option<(i64, i64)>) -> Option<(String, Vec<i64>)> {
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
    sql: String,
    params: Vec<SqlValue>,
    /// Stream key parts.
    parts: usize,
    /// When the ends' times are not read by seeks inside the statement: the range condition and parameters
    /// for a grouped scan of each end ([`Store::summary_rows`]).
    ends_by_scan: Option<(String, Vec<i64>)>,
}

impl SummaryQuery {
    /// Whether the statement reads both ends' times itself (by seeks, or the table has no times).
    pub(super) fn reads_ends_by_seeks(&self) -> bool {
        self.ends_by_scan.is_none()
    }
}

impl Store {
    /// Every stream with its type, event count and the times of its first and last events (by position),
    /// sorted by id (numbers numerically).
    pub fn streams(&self) -> Result<Vec<StreamSummary>, StoreError> {
        self.merged_streams(None)
    }

    /// The streams with events whose time falls in `[from, to)`, counting only those events (`first_time` and
    /// `last_time` are the times of the first and last of them by position), sorted by id. Events without a
    /// readable time are in no range.
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
        self.merge_tables(&mut |source| self.stream_rows(source, many, range))
    }

    /// The rows `rows_of` gives for each event table, ids stored in several forms merged by position within
    /// a table and by time across tables, sorted by id.
    pub(super) fn merge_tables(
        &self,
        rows_of: &mut dyn FnMut(&Source) -> Result<Vec<StreamRow>, StoreError>,
    ) -> Result<Vec<StreamSummary>, StoreError> {
        let mut merged: Vec<(StreamSummary, StoredTime, StoredTime)> = Vec::new();
        // Where each id is in `merged`, once a second event table is read.
        let mut at: HashMap<String, usize> = HashMap::new();
        for (index, source) in self.sources.iter().enumerate() {
            let rows = merge_forms(rows_of(source)?);
            if index == 0 {
                merged = rows
                    .into_iter()
                    .map(|row| (row.summary, row.first.time, row.last.time))
                    .collect();
                continue;
            }
            if at.is_empty() {
                at = (merged.iter().enumerate())
                    .map(|(i, (summary, ..))| (summary.id.clone(), i))
                    .collect();
            }
            // Across tables positions mean nothing: the ends merge by time.
            for row in rows {
                match at.entry(row.summary.id.clone()) {
                    Entry::Occupied(existing) => {
                        let Some((summary, first, last)) = merged.get_mut(*existing.get()) else {
                            continue;
                        };
                        summary.events += row.summary.events;
                        let kept = std::mem::replace(first, StoredTime::Absent);
                        *first = across_tables(kept, row.first.time, false);
                        let kept = std::mem::replace(last, StoredTime::Absent);
                        *last = across_tables(kept, row.last.time, true);
                    }
                    Entry::Vacant(slot) => {
                        slot.insert(merged.len());
                        merged.push((row.summary, row.first.time, row.last.time));
                    }
                }
            }
        }
        let mut out: Vec<StreamSummary> = merged
            .into_iter()
            .map(|(mut summary, first, last)| {
                summary.set_ends(first, last);
                summary
            })
            .collect();
        out.sort_by(|a, b| compare_ids(&a.id, &b.id));
        Ok(out)
    }

    /// The streams of one event table, one row per stored form of each id.
    fn stream_rows(
        &self,
        source: &Source,
        many: bool,
        range: Option<(i64, i64)>,
    ) -> Result<Vec<StreamRow>, StoreError> {
        let m = &source.mapping;
        let table_name = many.then(|| m.table.clone());
        if m.stream.is_empty() {
            return self.single_log_row(source, table_name, range);
        }
        let Some(query) = self.summary_query(source, range, &KeyRange::default())? else {
            return Ok(Vec::new());
        };
        self.summary_rows(source, table_name.as_ref(), &query)
    }

    /// Every row of `query` (over `source`), with the ends read by grouped scans when the statement could
    /// not seek them.
    pub(super) fn summary_rows(
        &self,
        source: &Source,
        table_name: Option<&String>,
        query: &SummaryQuery,
    ) -> Result<Vec<StreamRow>, StoreError> {
        let mut rows = Vec::new();
        self.each_row(query, table_name, &mut |row| {
            rows.push(row);
            true
        })?;
        if let Some((in_range, params)) = &query.ends_by_scan {
            let firsts = self.ends_by_scan(source, in_range, params, false)?;
            let lasts = self.ends_by_scan(source, in_range, params, true)?;
            for row in &mut rows {
                row.first = firsts.get(&row.summary.id).cloned().unwrap_or(End::NONE);
                row.last = lasts.get(&row.summary.id).cloned().unwrap_or(End::NONE);
            }
        }
        Ok(rows)
    }

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
        let mut stmt = self.db().prepare(&query.sql).map_err(|e| self.sql_err(e))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(&query.params))
            .map_err(|e| self.sql_err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
            self.row_read();
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
                        time: read_time_sql(row.get_ref(n + 6)?),
                    },
                    last: End {
                        position: row.get(n + 2)?,
                        time: read_time_sql(row.get_ref(n + 7)?),
                    },
                })
            };
            if !on_row(read().map_err(|e| self.sql_err(e))?) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The one stream of a table without stream ids (events in the `range` of Unix microseconds only, when
    /// given); none when a range is asked and no event is in it, or the table has no time.
    fn single_log_row(
        &self,
        source: &Source,
        table: Option<String>,
        range: Option<(i64, i64)>,
    ) -> Result<Vec<StreamRow>, StoreError> {
        let Some((in_range, params)) = range_condition(source, range) else {
            return Ok(Vec::new());
        };
        let ranged = range.is_some();
        let m = &source.mapping;
        let sql = format!(
            "SELECT count(*), min({pos}), max({pos}) FROM {from} WHERE {filter} AND {in_range}",
            pos = source.sql(&m.position),
            from = m.from_sql(false),
            filter = m.filter_sql(),
        );
        let (events, lo, hi) = self
            .db()
            .query_row(&sql, rusqlite::params_from_iter(&params), |r| {
                Ok((
                    u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                ))
            })
            .map_err(|e| self.sql_err(e))?;
        if ranged && events == 0 {
            return Ok(Vec::new());
        }
        let params: Vec<SqlValue> = params.iter().map(|p| SqlValue::Integer(*p)).collect();
        Ok(vec![StreamRow {
            summary: StreamSummary {
                id: m.single_stream_id().to_owned(),
                stream_type: None,
                name: None,
                tenant: None,
                table,
                events,
                first_time: None,
                first_stored_time: None,
                last_time: None,
                last_stored_time: None,
            },
            first: End {
                position: lo,
                time: self.time_at(source, &in_range, &params, lo)?,
            },
            last: End {
                position: hi,
                time: self.time_at(source, &in_range, &params, hi)?,
            },
        }])
    }

    /// The stored time of the event of `source` at `position` that meets `condition` (an SQL condition
    /// using `params`); absent when there is no such event or the layout has no time.
    /// The stream type of the stream selected by `condition`, when it is read from inside payloads that only
    /// Rust decodes: that of the first event in stream order (version, then position) that has one. Asking SQL for the least of every event's
    /// would decode every payload of the stream (200,000 of them for a long account) a second time.
    fn first_type_in_payload(
        &self,
        source: &Source,
        condition: &str,
        params: &[SqlValue],
        path: &PayloadPath,
    ) -> Result<Option<String>, StoreError> {
        let m = &source.mapping;
        let pos = source.sql(&m.position);
        let order = match &m.version {
            Some(version) => format!("{}, {pos}", source.sql(version)),
            None => pos,
        };
        let sql = format!(
            "SELECT {data} FROM {from} WHERE ({condition}) AND {filter} ORDER BY {order}",
            data = m.column_sql(m.data.as_deref()),
            from = m.from_sql(false),
            filter = m.filter_sql(),
        );
        let mut stmt = self.db().prepare(&sql).map_err(|e| self.sql_err(e))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(|e| self.sql_err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
            self.row_read();
            let payload = row.get_ref(0).map_err(|e| self.sql_err(e))?;
            if let Payload::Json(value) = source.decoder.decode(payload).data
                && let Some(found) = sql_text(ValueRef::from(&path.extract(&value)))
            {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    fn time_at(
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
        self.db()
            .query_row(&sql, rusqlite::params_from_iter(&all), |r| {
                Ok(read_time_sql(r.get_ref(0)?))
            })
            .optional()
            .map(|time| time.unwrap_or(StoredTime::Absent))
            .map_err(|e| self.sql_err(e))
    }

    /// Whether SQLite finds an event of `source` by position and stream key with seeks alone: no table
    /// scanned and no index built for the lookup (as `EXPLAIN QUERY PLAN` says).
    fn lookup_seeks(&self, source: &Source) -> Result<bool, StoreError> {
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
    fn ends_by_scan(
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
        let mut stmt = self.db().prepare(&sql).map_err(|e| self.sql_err(e))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params))
            .map_err(|e| self.sql_err(e))?;
        let mut out: HashMap<String, End> = HashMap::new();
        while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
            self.row_read();
            let read = || -> rusqlite::Result<(String, End)> {
                let mut ids = Vec::with_capacity(n);
                for i in 0..n {
                    ids.push(format_stream_id(row.get_ref(i)?));
                }
                Ok((
                    composite_id(&ids),
                    End {
                        position: row.get(n)?,
                        time: read_time_sql(row.get_ref(n + 1)?),
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

    /// One stream's summary: its events in the first event table that has any (a single log's stream even
    /// when it is empty), with the times of its first and last events by position.
    pub fn stream(&self, id: &str) -> Result<StreamSummary, StoreError> {
        let many = self.sources.len() > 1;
        for source in &self.sources {
            let Some((cond, params)) = self.present_stream_condition(source, id)? else {
                continue;
            };
            let m = &source.mapping;
            let pos = source.sql(&m.position);
            let sql = format!(
                "SELECT count(*), min({pos}), max({pos}), min({st}), min({name}), min({tenant}) FROM {from} \
                 WHERE ({cond}) AND {filter}",
                st = source.role_sql(
                    m.stream_type.as_ref(),
                    source.in_payload.stream_type.as_ref()
                ),
                name = source.sql_opt(m.stream_name.as_ref()),
                tenant = source.sql_opt(m.tenant.as_ref()),
                from = m.from_sql(false),
                filter = m.filter_sql(),
            );
            let canonical = canonical_id(id, m.stream.len());
            let in_payload = match &source.in_payload.stream_type {
                Some(path) => self.first_type_in_payload(source, &cond, &params, path)?,
                None => None,
            };
            let (mut summary, lo, hi) = self
                .db()
                .query_row(&sql, rusqlite::params_from_iter(params.iter()), |r| {
                    let summary = StreamSummary {
                        stream_type: in_payload
                            .or(sql_text(r.get_ref(3)?))
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
                        first_time: None,
                        first_stored_time: None,
                        last_time: None,
                        last_stored_time: None,
                        id: canonical.clone(),
                    };
                    Ok((
                        summary,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                    ))
                })
                .map_err(|e| self.sql_err(e))?;
            // A single log with no rows is still the one stream `streams` lists.
            if summary.events > 0 || m.stream.is_empty() {
                let first = self.time_at(source, &cond, &params, lo)?;
                let last = self.time_at(source, &cond, &params, hi)?;
                summary.set_ends(first, last);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `(id, events, first, last)` of each stream, a time as RFC 3339 or `stored …` when unreadable.
    type Ends = Vec<(String, u64, String, String)>;

    fn ends(list: Vec<StreamSummary>) -> Ends {
        let shown = |time: Option<DateTime<Utc>>, stored: Option<String>| match (time, stored) {
            (Some(time), _) => crate::core::decode::format_time(&time),
            (None, Some(stored)) => format!("stored {stored}"),
            (None, None) => "none".to_owned(),
        };
        list.into_iter()
            .map(|s| {
                (
                    s.id,
                    s.events,
                    shown(s.first_time, s.first_stored_time),
                    shown(s.last_time, s.last_stored_time),
                )
            })
            .collect()
    }

    fn owned(rows: &[(&str, u64, &str, &str)]) -> Ends {
        rows.iter()
            .map(|(id, n, first, last)| {
                (
                    (*id).to_owned(),
                    *n,
                    (*first).to_owned(),
                    (*last).to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn ends_read_by_grouped_scans_when_lookups_cannot_seek_equal_those_read_by_seeks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.sqlite");
        // The position `seq` is not unique (2 is in both streams) and nothing is indexed.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE log(seq INTEGER, stream_id TEXT, version INTEGER, type TEXT, data TEXT, at);
             INSERT INTO log VALUES
               (1, 'a', 1, 'T', '{}', '2024-03-14T16:00:00+02:00'),
               (2, 'a', 2, 'T', '{}', 1710428400),
               (2, 'b', 1, 'T', '{}', 'not a time'),
               (3, 'b', 2, 'T', '{}', '2024-03-14T14:30:00Z'),
               (4, 'a', 3, 'T', '{}', '2024-03-14 14:45:00');",
        )
        .unwrap();
        let mapping: Mapping = serde_json::from_value(serde_json::json!({
            "table": "log", "position": {"column": "seq"}, "stream": {"column": "stream_id"},
            "version": {"column": "version"}, "type": {"column": "type"}, "data": "data",
            "time": {"column": "at"}
        }))
        .unwrap();
        let day = (
            crate::core::times::parse_time_text("2024-03-14").unwrap(),
            crate::core::times::parse_time_text("2024-03-15").unwrap(),
        );
        let expected_all = owned(&[
            ("a", 3, "2024-03-14T14:00:00Z", "2024-03-14T14:45:00Z"),
            ("b", 2, "stored not a time", "2024-03-14T14:30:00Z"),
        ]);
        let expected_day = owned(&[
            ("a", 3, "2024-03-14T14:00:00Z", "2024-03-14T14:45:00Z"),
            ("b", 1, "2024-03-14T14:30:00Z", "2024-03-14T14:30:00Z"),
        ]);
        for (index, seeks) in [
            (None, false),
            (Some("CREATE INDEX log_seq ON log(seq)"), true),
        ] {
            if let Some(sql) = index {
                conn.execute_batch(sql).unwrap();
            }
            let store = Store::open(&path, Some(mapping.clone())).unwrap();
            assert_eq!(store.lookup_seeks(&store.sources[0]).unwrap(), seeks);
            assert_eq!(
                ends(store.streams().unwrap()),
                expected_all,
                "seeks: {seeks}"
            );
            assert_eq!(
                ends(store.streams_in_range(day.0, day.1).unwrap()),
                expected_day,
                "seeks: {seeks}"
            );
            let one = |id: &str| ends(vec![store.stream(id).unwrap()]);
            assert_eq!(one("b"), expected_all[1..], "seeks: {seeks}");
        }
    }

    #[test]
    fn an_id_stored_in_several_forms_takes_its_ends_by_position_across_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("uuids.sqlite");
        Connection::open(&path)
            .unwrap()
            .execute_batch(
                "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id, version INTEGER, type TEXT, data TEXT,
                    created_at TEXT);
                 INSERT INTO events(stream_id, version, type, data, created_at) VALUES
                   (x'0f8fad5bd9cb469fa16570867728950e', 1, 'A', '{}', '2024-03-14T15:00:00Z'),
                   ('0F8FAD5B-D9CB-469F-A165-70867728950E', 2, 'B', '{}', '2024-03-14T14:00:00Z'),
                   ('0f8fad5bd9cb469fa16570867728950e', 3, 'C', '{}', '2024-03-14T14:30:00Z');",
            )
            .unwrap();
        let store = Store::open(&path, None).unwrap();
        let expected = owned(&[(
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            3,
            "2024-03-14T15:00:00Z",
            "2024-03-14T14:30:00Z",
        )]);
        assert_eq!(ends(store.streams().unwrap()), expected);
        assert_eq!(
            ends(vec![
                store
                    .stream("0f8fad5b-d9cb-469f-a165-70867728950e")
                    .unwrap()
            ]),
            expected
        );
    }

    #[test]
    fn a_stream_in_two_event_tables_takes_the_earliest_first_and_an_unreadable_last() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("two.sqlite");
        Connection::open(&path)
            .unwrap()
            .execute_batch(
                "CREATE TABLE one(id INTEGER PRIMARY KEY, stream_id TEXT, type TEXT, data TEXT, at);
                 CREATE TABLE two(id INTEGER PRIMARY KEY, stream_id TEXT, type TEXT, data TEXT, at);
                 INSERT INTO one(stream_id, type, data, at) VALUES
                   ('s', 'T', '{}', '2024-03-14T15:00:00Z'), ('s', 'T', '{}', 'garbage');
                 INSERT INTO two(stream_id, type, data, at) VALUES
                   ('s', 'T', '{}', '2024-03-14T14:00:00Z'), ('t', 'T', '{}', 1710428400),
                   ('s', 'T', '{}', '2024-03-14T16:00:00Z');",
            )
            .unwrap();
        let mapping = |table: &str| -> Mapping {
            serde_json::from_value(serde_json::json!({
                "table": table, "position": {"column": "id"}, "stream": {"column": "stream_id"},
                "type": {"column": "type"}, "data": "data", "time": {"column": "at"}
            }))
            .unwrap()
        };
        let store = Store::open_with(
            &path,
            OpenOptions {
                mappings: Some(vec![mapping("one"), mapping("two")]),
                ..OpenOptions::default()
            },
        )
        .unwrap();
        assert_eq!(
            ends(store.streams().unwrap()),
            owned(&[
                ("s", 4, "2024-03-14T14:00:00Z", "stored garbage"),
                ("t", 1, "2024-03-14T15:00:00Z", "2024-03-14T15:00:00Z"),
            ])
        );
    }

    #[test]
    fn across_tables_an_end_that_cannot_be_read_is_kept_and_one_without_a_time_is_left_out() {
        let time = |s: &str| StoredTime::Time(crate::core::times::parse_time_text(s).unwrap());
        let unread = || StoredTime::Unreadable("later".to_owned());
        let (early, late) = (time("2024-03-14T14:00:00Z"), time("2024-03-14T15:00:00Z"));
        assert_eq!(across_tables(late.clone(), early.clone(), false), early);
        assert_eq!(across_tables(early.clone(), late.clone(), true), late);
        assert_eq!(across_tables(early.clone(), unread(), false), unread());
        assert_eq!(across_tables(unread(), late.clone(), true), unread());
        assert_eq!(
            across_tables(StoredTime::Absent, early.clone(), false),
            early
        );
        assert_eq!(across_tables(late.clone(), StoredTime::Absent, true), late);
    }
}
