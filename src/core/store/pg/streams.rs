//! The streams list on PostgreSQL: one grouped read per event table ([`PgDb::stream_rows`]), over every
//! stream, one stream, or a page of the key space ([`Keys`]), so the window's first screen of streams and a
//! filter by id prefix are answered by the stream key's index instead of a `GROUP BY` over the whole table.
//!
//! A page follows the server's order of the stored key. For a `uuid` or integer key that is the order of
//! the streams list ([`crate::core::store::ids::compare_ids`]: a UUID's bytes compare as its lower-case
//! text does, integers numerically), so [`Store::pg_each_stream`] hands the list over page after page with
//! nothing kept but the last key. A text key is ordered by its collation, which is not the list's order, so
//! that list is read whole and sorted; its first page is still read through the index (the right first
//! screen in all but odd cases, the whole sorted list replacing it when it comes).

use postgres::types::{ToSql, Type};

use super::sql::as_read;
use super::store::PgDb;
use crate::core::decode::cell::{Cell, Datum};
use crate::core::decode::times::StoredTime;
use crate::core::model::{Event, StreamSummary};
use crate::core::store::ids::{category_of, compare_ids, composite_id, split_composite};
use crate::core::store::source::Source;
use crate::core::store::streams::aggregate_type;
use crate::core::store::streams::{End, StreamRow};
use crate::core::store::{Store, StoreError};

/// Streams read per page by [`Store::pg_each_stream`].
const LISTING_PAGE: usize = 2_000;

/// Which streams of one event table a grouped read covers.
#[derive(Clone, Copy, Debug)]
pub(in crate::core::store) enum Keys<'a> {
    /// Every stream.
    All,
    /// The stream with this id (each stored form of it).
    Only(&'a str),
    /// Up to `limit` streams in the server's order of the stored key, those after the key `after` (as
    /// stored, one datum per part) and, for a key of one part, those whose id starts with `prefix`.
    Range {
        after: Option<&'a [Datum]>,
        prefix: Option<&'a str>,
        limit: usize,
    },
    /// The streams whose (one-part) key is NULL, which a range never reaches.
    Null,
}

/// A grouped read's rows and the stored key of its last row (where the next page starts).
pub(in crate::core::store) struct Grouped {
    pub(in crate::core::store) rows: Vec<StreamRow>,
    pub(in crate::core::store) last_key: Option<Vec<Datum>>,
}

impl PgDb {
    /// The streams of `source` that `keys` covers, one row per stored key: the count, and the first and last
    /// events by position read again for their times (two seeks of the position's index per stream).
    pub(in crate::core::store) fn stream_rows(
        &self,
        index: usize,
        source: &Source,
        table: Option<String>,
        keys: Keys<'_>,
    ) -> Result<Vec<StreamRow>, StoreError> {
        Ok(self.grouped(index, source, table, keys)?.rows)
    }

    /// [`Self::stream_rows`] with the stored key of the last row.
    pub(in crate::core::store) fn grouped(
        &self,
        index: usize,
        source: &Source,
        table: Option<String>,
        keys: Keys<'_>,
    ) -> Result<Grouped, StoreError> {
        let sql = &self.sql[index];
        let mut params: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        let mut conds = String::new();
        let mut tail = String::new();
        let key_sql: Vec<String> = sql.keys.iter().map(|(e, ty)| as_read(e, ty)).collect();
        let nothing = Grouped {
            rows: Vec::new(),
            last_key: None,
        };
        match keys {
            Keys::All => {}
            Keys::Only(id) => match self.key_conditions(index, source, id, &mut params) {
                Some(found) => {
                    for cond in found {
                        conds.push_str(" AND ");
                        conds.push_str(&cond);
                    }
                }
                None => return Ok(nothing),
            },
            Keys::Range {
                after,
                prefix,
                limit,
            } => {
                let Some((expr, ty)) = sql.keys.first() else {
                    // A single log: one stream, no key.
                    return self.grouped(index, source, table, Keys::All);
                };
                conds.push_str(&format!(" AND ({expr}) IS NOT NULL"));
                if let Some(after) = after {
                    // A row comparison over every part, which the (k1, k2, ...) index answers.
                    let mut placeholders = Vec::with_capacity(after.len());
                    for ((_, ty), part) in sql.keys.iter().zip(after) {
                        let Some(param) = key_param(ty, part, &mut params) else {
                            return Ok(nothing);
                        };
                        placeholders.push(param);
                    }
                    if placeholders.len() != key_sql.len() {
                        return Ok(nothing);
                    }
                    conds.push_str(&format!(
                        " AND ({}) > ({})",
                        key_sql.join(", "),
                        placeholders.join(", ")
                    ));
                }
                if let Some(prefix) = prefix.filter(|_| sql.keys.len() == 1) {
                    let Some(cond) = prefix_condition(expr, ty, prefix, &mut params) else {
                        return Ok(nothing);
                    };
                    conds.push_str(" AND ");
                    conds.push_str(&cond);
                }
                let order = (1..=key_sql.len())
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                tail = format!(" ORDER BY {order} LIMIT {limit}");
            }
            Keys::Null => {
                let Some((expr, _)) = sql.keys.first() else {
                    return Ok(nothing);
                };
                conds.push_str(&format!(" AND ({expr}) IS NULL"));
            }
        }
        let pos = &sql.position;
        let group = if key_sql.is_empty() {
            String::new()
        } else {
            format!(
                " GROUP BY {}",
                (1..=key_sql.len())
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let key_list = if key_sql.is_empty() {
            String::new()
        } else {
            format!("{}, ", key_sql.join(", "))
        };
        let text = format!(
            "SELECT {key_list}count(*), min({pos}), max({pos}), {} {}{conds}{group}{tail}",
            (sql.named.iter())
                .map(|e| match e.as_str() {
                    // Nothing to aggregate: no sort of every group for it.
                    "NULL" => "NULL::text".to_owned(),
                    e => format!("(array_agg(({e})::text ORDER BY {pos}))[1]"),
                })
                .collect::<Vec<_>>()
                .join(", "),
            sql.from_where,
        );
        let n = key_sql.len();
        let grouped = self.conn.borrow_mut().read(|tx| {
            let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
            tx.query(text.as_str(), &refs)?
                .iter()
                .filter(|row| {
                    // A single log's aggregate row when the log is empty.
                    !matches!(row.try_get::<_, i64>(n), Ok(0))
                })
                .map(|row| {
                    (0..n + 6)
                        .map(|i| row.try_get::<_, Datum>(i))
                        .collect::<Result<Vec<_>, _>>()
                })
                .collect::<Result<Vec<_>, _>>()
        });
        // The connection is free again: the error may read its target.
        let grouped = grouped.map_err(|e| self.grouping_err(source, e))?;
        let last_key = grouped
            .last()
            .filter(|_| n > 0)
            .map(|row| row[..n].to_vec());
        let mut out = Vec::with_capacity(grouped.len());
        for chunk in grouped.chunks(500) {
            let ends: Vec<i64> = chunk
                .iter()
                .flat_map(|row| [&row[n + 1], &row[n + 2]])
                .filter_map(|d| match d {
                    Datum::Integer(p) => Some(*p),
                    _ => None,
                })
                .collect();
            let events = self.events_at(index, source, &ends)?;
            for row in chunk {
                out.push(self.stream_row(source, &table, row, n, &events));
            }
        }
        Ok(Grouped {
            rows: out,
            last_key,
        })
    }

    /// A failed grouped read, said in the mapping's terms when a stream key read from inside a column could
    /// not be (a value that is not JSON makes the server's cast fail, and with it the whole list).
    fn grouping_err(&self, source: &Source, err: super::PgError) -> StoreError {
        let super::PgError::Query { source: cause, .. } = &err else {
            return self.shown_err(err);
        };
        let not_json =
            cause.code() == Some(&postgres::error::SqlState::INVALID_TEXT_REPRESENTATION);
        let inside = source.mapping.stream.iter().find_map(|part| match part {
            crate::core::layout::Source::Json { column, path } => Some((column, path)),
            _ => None,
        });
        match inside {
            Some((column, path)) if not_json => StoreError::Mapping {
                path: std::path::PathBuf::from(self.target().shown()),
                message: format!(
                    "the stream id is read at {path} in column {column:?} of table {:?}, and a value there is \
                     not JSON ({}): the server reads stream ids to list the streams, so one such row stops the \
                     list; map the stream to a column, or filter such rows out with the mapping's filter",
                    source.mapping.table,
                    cause
                        .as_db_error()
                        .map_or_else(|| cause.to_string(), |db| db.message().to_owned())
                ),
            },
            _ => self.shown_err(err),
        }
    }

    /// One grouped row (`n` key parts, the count, the ends' positions, type, name and tenant) as a
    /// [`StreamRow`], its ends found in `events`.
    fn stream_row(
        &self,
        source: &Source,
        table: &Option<String>,
        row: &[Datum],
        n: usize,
        events: &[(i64, Event)],
    ) -> StreamRow {
        let m = &source.mapping;
        let ids: Vec<String> = row[..n]
            .iter()
            .map(|d| crate::core::decode::format_stream_id(d.cell()))
            .collect();
        let id = if n == 0 {
            m.single_stream_id().to_owned()
        } else {
            composite_id(&ids)
        };
        let at = |d: &Datum| match d {
            Datum::Integer(p) => events.iter().find(|(q, _)| q == p).map(|(_, e)| e),
            _ => None,
        };
        let (first, last) = (at(&row[n + 1]), at(&row[n + 2]));
        let text = |d: &Datum| match d {
            Datum::Null => None,
            other => crate::core::store::sql_text(other.cell()),
        };
        // A role inside the payload or metadata, read from the stream's first event.
        let in_first = |role: &Option<crate::core::layout::Source>| {
            let crate::core::layout::Source::Json { column, path } = role.as_ref()? else {
                return None;
            };
            let payload = if m.data.as_deref() == Some(column.as_str()) {
                Some(&first?.data)
            } else if m.metadata.as_deref() == Some(column.as_str()) {
                first?.metadata.as_ref()
            } else {
                None
            };
            let crate::core::model::Payload::Json(value) = payload? else {
                return None;
            };
            let value = crate::core::store::payload_path::PayloadPath::parse(path)?.extract(value);
            crate::core::store::sql_text(Cell::from(&value))
        };
        let stream_type = text(&row[n + 3])
            .or_else(|| in_first(&m.stream_type))
            .and_then(|t| aggregate_type(&t))
            .or_else(|| (n > 0).then(|| category_of(&id)).flatten());
        let end = |event: Option<&Event>| End {
            position: event.map(|e| e.position),
            time: event.map_or(StoredTime::Absent, |e| match (e.time, &e.stored_time) {
                (Some(time), _) => StoredTime::Time(time),
                (None, Some(stored)) => StoredTime::Unreadable(stored.clone()),
                (None, None) => StoredTime::Absent,
            }),
        };
        StreamRow {
            summary: StreamSummary {
                id,
                stream_type,
                name: text(&row[n + 4]).or_else(|| in_first(&m.stream_name)),
                tenant: text(&row[n + 5]).or_else(|| in_first(&m.tenant)),
                table: table.clone(),
                events: match row[n] {
                    Datum::Integer(c) => u64::try_from(c).unwrap_or(0),
                    _ => 0,
                },
                first_time: None,
                first_stored_time: None,
                last_time: None,
                last_stored_time: None,
            },
            first: end(first),
            last: end(last),
        }
    }
}

/// Whether keys of type `ty`, in the server's order, are in the streams list's order once formatted.
fn ordered_as_listed(ty: &Type) -> bool {
    matches!(*ty, Type::UUID | Type::INT2 | Type::INT4 | Type::INT8)
}

/// The placeholder of stored key `key` as a parameter compared with a key column of type `ty` (as it is
/// read: [`as_read`]), pushed to `params`; `None` when no such key can be compared with it.
fn key_param(ty: &Type, key: &Datum, params: &mut Vec<Box<dyn ToSql + Sync>>) -> Option<String> {
    let n = params.len() + 1;
    match (ty, key) {
        (&Type::UUID, Datum::Blob(bytes)) => {
            params.push(Box::new(uuid::Uuid::from_slice(bytes).ok()?));
            Some(format!("${n}"))
        }
        (&Type::INT2 | &Type::INT4 | &Type::INT8, Datum::Integer(i)) => {
            params.push(Box::new(*i));
            Some(format!("${n}::int8"))
        }
        (&Type::BYTEA, Datum::Blob(bytes)) => {
            params.push(Box::new(bytes.clone()));
            Some(format!("${n}"))
        }
        (_, Datum::Text(text)) => {
            params.push(Box::new(text.clone()));
            Some(format!("${n}::text"))
        }
        (_, Datum::Integer(i)) => {
            params.push(Box::new(i.to_string()));
            Some(format!("${n}::text"))
        }
        _ => None,
    }
}

/// The stored form of the id `id` for a key column of type `ty`, as [`key_param`] takes it; `None` when no
/// key of that type prints as it.
fn stored_key(ty: &Type, id: &str) -> Option<Datum> {
    Some(match *ty {
        Type::UUID => Datum::Blob(uuid::Uuid::parse_str(id).ok()?.as_bytes().to_vec()),
        Type::INT2 | Type::INT4 | Type::INT8 => Datum::Integer(id.parse().ok()?),
        Type::BYTEA => return None,
        _ => Datum::Text(id.to_owned()),
    })
}

/// The condition that key part `expr` (of type `ty`) prints starting with `prefix`, its parameters pushed to
/// `params`; `None` when no key of that type can. A `uuid` key is a range the index answers.
fn prefix_condition(
    expr: &str,
    ty: &Type,
    prefix: &str,
    params: &mut Vec<Box<dyn ToSql + Sync>>,
) -> Option<String> {
    let n = params.len() + 1;
    if *ty == Type::UUID {
        let (low, high) = uuid_prefix_range(prefix)?;
        params.push(Box::new(low));
        params.push(Box::new(high));
        return Some(format!("{expr} BETWEEN ${n} AND ${}", n + 1));
    }
    params.push(Box::new(prefix.to_owned()));
    Some(format!("starts_with(({expr})::text, ${n})"))
}

/// The lowest and highest UUIDs whose dashed lower-case text starts with `prefix`; `None` when none does.
fn uuid_prefix_range(prefix: &str) -> Option<(uuid::Uuid, uuid::Uuid)> {
    const DASHES: [usize; 4] = [8, 13, 18, 23];
    if prefix.len() > 36 {
        return None;
    }
    let mut hex = String::with_capacity(32);
    for (i, c) in prefix.char_indices() {
        match c {
            '-' if DASHES.contains(&i) => {}
            '0'..='9' | 'a'..='f' if !DASHES.contains(&i) => hex.push(c),
            _ => return None,
        }
    }
    let pad = |fill: char| {
        let mut full = hex.clone();
        full.extend(std::iter::repeat_n(fill, 32 - hex.len()));
        uuid::Uuid::parse_str(&full).ok()
    };
    Some((pad('0')?, pad('f')?))
}

impl Store {
    /// [`Store::each_stream`] on PostgreSQL when the list can go out page by page: one event table whose
    /// stream key is one `uuid` or integer column (see the module comment). `None` when it cannot.
    pub(in crate::core::store) fn pg_each_stream(
        &self,
        db: &PgDb,
        on_stream: &mut dyn FnMut(StreamSummary) -> bool,
    ) -> Result<Option<bool>, StoreError> {
        let [source] = self.sources.as_slice() else {
            return Ok(None);
        };
        let sql = db.source_sql(0);
        let [(_, ty)] = sql.keys.as_slice() else {
            return Ok(None);
        };
        if !ordered_as_listed(ty) {
            return Ok(None);
        }
        let mut emit =
            |rows: Vec<StreamRow>| rows.into_iter().all(|row| on_stream(row.into_summary()));
        // Streams without a key print as "": before every UUID, after every number.
        let mut nulls = db.stream_rows(0, source, None, Keys::Null)?;
        if *ty == Type::UUID && !emit(std::mem::take(&mut nulls)) {
            return Ok(Some(false));
        }
        let mut after: Option<Vec<Datum>> = None;
        loop {
            let page = db.grouped(
                0,
                source,
                None,
                Keys::Range {
                    after: after.as_deref(),
                    prefix: None,
                    limit: LISTING_PAGE,
                },
            )?;
            let full = page.rows.len() >= LISTING_PAGE;
            if !emit(page.rows) {
                return Ok(Some(false));
            }
            match page.last_key {
                Some(key) if full => after = Some(key),
                _ => break,
            }
        }
        Ok(Some(emit(nulls)))
    }

    /// The streams of every event table in `range` ([`Keys::Range`] with `after` an id as listed), merged
    /// and sorted as [`Store::streams`] does; `full` is set when some table had more than the limit.
    pub(in crate::core::store) fn pg_keyed_summaries(
        &self,
        db: &PgDb,
        after: Option<&str>,
        prefix: Option<&str>,
        limit: usize,
        full: &mut bool,
    ) -> Result<Vec<StreamSummary>, StoreError> {
        let many = self.sources.len() > 1;
        let mut streams = self.merge_tables(&mut |source| {
            let index = self.source_index(source);
            let table = many.then(|| source.mapping.table.clone());
            let sql = db.source_sql(index);
            // When no key of this table prints as `after`: its whole range, cut below.
            let stored: Option<Vec<Datum>> = after
                .and_then(|id| split_composite(id, sql.keys.len()))
                .and_then(|parts| {
                    (sql.keys.iter().zip(parts))
                        .map(|((_, ty), part)| stored_key(ty, part))
                        .collect()
                });
            let rows = db.stream_rows(
                index,
                source,
                table,
                Keys::Range {
                    after: stored.as_deref(),
                    prefix,
                    limit,
                },
            )?;
            *full |= rows.len() >= limit;
            Ok(rows)
        })?;
        streams.retain(|s| {
            after.is_none_or(|after| compare_ids(&s.id, after) == std::cmp::Ordering::Greater)
                && prefix.is_none_or(|prefix| s.id.starts_with(prefix))
        });
        Ok(streams)
    }
}
