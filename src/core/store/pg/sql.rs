//! The SQL of one event table on PostgreSQL ([`SourceSql`]): each role as PostgreSQL selects it (a column,
//! the joined table's column, `#>>` into a JSON column; roles inside the payload or metadata left to Rust),
//! types the reader does not take cast to text, and a stream id's key compared with each column as that
//! column is typed, so a lookup is an index seek.

use postgres::types::{ToSql, Type};

use super::cells::read_as_is;
use super::{PgConnection, PgError};
use crate::core::layout::{self, quote_ident, quote_literal};
use crate::core::store::ids::split_composite;
use crate::core::store::payload_path::PayloadPath;
use crate::core::store::source::Source;

/// One event table's SQL on PostgreSQL.
pub(in crate::core::store) struct SourceSql {
    /// The event table's name, as the mapping gives it.
    pub(super) table: String,
    /// The [`EVENT_COLUMNS`] select list, a type the reader does not take as it is cast to text.
    pub(in crate::core::store) columns: String,
    /// `FROM ... WHERE <filter>`.
    pub(in crate::core::store) from_where: String,
    /// The stream key's parts, each with the type of its column.
    pub(super) keys: Vec<(String, Type)>,
    pub(in crate::core::store) position: String,
    /// The stream's type, name and tenant as the server reads them (`NULL` when it cannot).
    pub(super) named: Vec<String>,
    /// The version, when it is a column SQL can order by.
    pub(in crate::core::store) version: Option<String>,
    /// How a stream's events are ordered by version: as SQLite orders them (a missing version first), said
    /// `NULLS FIRST` only when the column can be NULL, since that order is one no ascending index serves and
    /// every page would scan and sort the rest of the stream.
    pub(in crate::core::store) version_order: Option<String>,
}

pub(super) enum SqlError {
    Pg(PgError),
    Mapping(String),
}

impl From<PgError> for SqlError {
    fn from(err: PgError) -> Self {
        Self::Pg(err)
    }
}

/// The event's data as PostgreSQL selects it: the payload column, or the data columns as one JSON object of
/// column name to value.
fn data_sql(m: &layout::Mapping) -> String {
    if let Some(data) = &m.data {
        return format!("e.{}", quote_ident(data));
    }
    if m.data_columns.is_empty() {
        return "NULL".to_owned();
    }
    let pairs: Vec<String> = m
        .data_columns
        .iter()
        .map(|name| format!("{}, e.{}", quote_literal(name), quote_ident(name)))
        .collect();
    format!("jsonb_build_object({})", pairs.join(", "))
}

/// What `rowid` means on PostgreSQL, where a table has none: the row's place in the table, its `ctid` (block,
/// line) as one number, block × 65,536 + line. It is unique and, for a table rows are only appended to, the
/// order they were stored in; a rewrite of the table (`VACUUM FULL`, `CLUSTER`) renumbers it. Only a layout
/// that keeps no position of its own is read by it (cqrs-es); a partitioned table is refused (its partitions'
/// ctids repeat).
const CTID_POSITION: &str =
    "(((e.ctid::text::point)[0])::int8 * 65536 + ((e.ctid::text::point)[1])::int8)";

/// A role as PostgreSQL selects it: a column of the event table or of the joined one; `NULL` when it is
/// read from the decoded payload or metadata.
pub(super) fn role_sql(source: &Source, role: Option<&layout::Source>) -> Result<String, SqlError> {
    let Some(role) = role else {
        return Ok("NULL".to_owned());
    };
    let m = &source.mapping;
    Ok(match role {
        layout::Source::Rowid => CTID_POSITION.to_owned(),
        layout::Source::Column(name) => format!("e.{}", quote_ident(name)),
        layout::Source::Joined(name) => format!("s.{}", quote_ident(name)),
        layout::Source::Json { column, path } => {
            let read_in_rust = (m.data.as_deref() == Some(column.as_str())
                || m.metadata.as_deref() == Some(column.as_str()))
                && PayloadPath::parse(path).is_some();
            if read_in_rust {
                "NULL".to_owned()
            } else {
                let steps = PayloadPath::parse(path)
                    .map(|p| p.text_array())
                    .ok_or_else(|| {
                        SqlError::Mapping(format!(
                            "the JSON path {path:?} on column {column:?} is not one PostgreSQL can read \
                             (use $.key, $.\"odd key\" and [N] steps)"
                        ))
                    })?;
                format!(
                    "(e.{}::jsonb #>> {})",
                    quote_ident(column),
                    quote_literal(&steps)
                )
            }
        }
    })
}

/// A role PostgreSQL must read itself, however the mapping places it: streams are grouped and found by the
/// server, so a stream key inside the payload or metadata is read there (`#>>`, from `json`, `jsonb`, text
/// or UTF-8 `bytea`), never left to Rust as other roles are. `None` when it is inside payloads only
/// Eventscope decodes (encrypted, transformed, not JSON).
fn server_sql(
    conn: &mut PgConnection,
    source: &Source,
    role: &layout::Source,
    from_where: &str,
) -> Result<Option<String>, SqlError> {
    let m = &source.mapping;
    let layout::Source::Json { column, path } = role else {
        return role_sql(source, Some(role)).map(Some);
    };
    let decoded = m.data.as_deref() == Some(column.as_str())
        || m.metadata.as_deref() == Some(column.as_str());
    if !decoded {
        return role_sql(source, Some(role)).map(Some);
    }
    if !m.codec.is_plain() {
        return Ok(None);
    }
    let steps = PayloadPath::parse(path)
        .map(|p| p.text_array())
        .ok_or_else(|| {
            SqlError::Mapping(format!(
                "the JSON path {path:?} on column {column:?} is not one PostgreSQL can read (use $.key, \
                 $.\"odd key\" and [N] steps)"
            ))
        })?;
    let raw = format!("e.{}", quote_ident(column));
    let types = column_types(conn, std::slice::from_ref(&raw), from_where)?;
    let json = match types.first() {
        Some(&Type::BYTEA) => format!("convert_from({raw}, 'UTF8')::jsonb"),
        _ => format!("{raw}::jsonb"),
    };
    Ok(Some(format!("({json} #>> {})", quote_literal(&steps))))
}

/// A stream key part as PostgreSQL selects it ([`server_sql`]); one inside payloads only Eventscope decodes
/// is refused.
fn key_sql(
    conn: &mut PgConnection,
    source: &Source,
    part: &layout::Source,
    from_where: &str,
) -> Result<String, SqlError> {
    server_sql(conn, source, part, from_where)?.ok_or_else(|| {
        SqlError::Mapping(format!(
            "the stream id is read from {}, whose values only Eventscope decodes (they are encrypted, \
             transformed or not JSON); on PostgreSQL the stream must be something the server can read: map \
             it to a column",
            part.describe()
        ))
    })
}

/// The SQL of `source` on PostgreSQL, its column types read from the server (nothing run).
pub(super) fn source_sql(conn: &mut PgConnection, source: &Source) -> Result<SourceSql, SqlError> {
    let m = &source.mapping;
    let column = |name: Option<&str>| {
        name.map_or_else(|| "NULL".to_owned(), |c| format!("e.{}", quote_ident(c)))
    };
    let mut from = format!("{} AS e", quote_ident(&m.table));
    if let Some(join) = &m.join {
        from.push_str(&format!(
            " JOIN {} AS s ON s.{} = e.{}",
            quote_ident(&join.table),
            quote_ident(&join.key),
            quote_ident(&join.on)
        ));
    }
    let from_where = format!(
        "FROM {from} WHERE {}",
        m.filter
            .as_ref()
            .map_or_else(|| "true".to_owned(), |f| format!("({f})"))
    );
    if m.position == layout::Source::Rowid && is_partitioned(conn, &m.table)? {
        return Err(SqlError::Mapping(format!(
            "table {:?} is partitioned: its rows' ctids repeat across partitions, so it has no rowid; map the \
             position to a column",
            m.table
        )));
    }
    let position = role_sql(source, Some(&m.position))?;
    let version = match &m.version {
        Some(v @ (layout::Source::Column(_) | layout::Source::Joined(_))) => {
            Some(role_sql(source, Some(v))?)
        }
        _ => None,
    };
    let version_order = match (&m.version, &version) {
        (Some(layout::Source::Column(name)), Some(v)) if is_not_null(conn, &m.table, name)? => {
            Some(v.clone())
        }
        (_, Some(v)) => Some(format!("{v} NULLS FIRST")),
        (_, None) => None,
    };
    let exprs = [
        position.clone(),
        role_sql(source, m.version.as_ref())?,
        role_sql(source, m.event_type.as_ref())?,
        role_sql(source, m.time.as_ref())?,
        data_sql(m),
        column(m.metadata.as_deref()),
        role_sql(source, m.id.as_ref())?,
        role_sql(source, m.correlation.as_ref())?,
        role_sql(source, m.causation.as_ref())?,
    ];
    let types = column_types(conn, &exprs, &from_where)?;
    let columns = exprs
        .iter()
        .zip(&types)
        .map(|(expr, ty)| as_read(expr, ty))
        .collect::<Vec<_>>()
        .join(", ");
    let key_exprs = m
        .stream
        .iter()
        .map(|part| key_sql(conn, source, part, &from_where))
        .collect::<Result<Vec<_>, _>>()?;
    let key_types = column_types(conn, &key_exprs, &from_where)?;
    // The stream's type, name and tenant, aggregated by the server when they are columns ("NULL" when they
    // are inside the payload or metadata: those are read from the stream's first event, already fetched for
    // the stream's ends, rather than by decoding every row of every stream on the server).
    let named = [&m.stream_type, &m.stream_name, &m.tenant]
        .into_iter()
        .map(|role| role_sql(source, role.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SourceSql {
        table: m.table.clone(),
        columns,
        from_where,
        keys: key_exprs.into_iter().zip(key_types).collect(),
        position,
        version,
        version_order,
        named,
    })
}

impl SourceSql {
    /// How many parts the stream key has (0 for a single log).
    pub(in crate::core::store) fn key_count(&self) -> usize {
        self.keys.len()
    }

    /// The stream key's parts as selected after the event columns (`, e."a", e."b"`; empty for a single
    /// log).
    pub(in crate::core::store) fn key_list(&self) -> String {
        self.keys
            .iter()
            .map(|(expr, ty)| format!(", {}", as_read(expr, ty)))
            .collect()
    }
}

/// Whether `column` of `table` (in the connection's schema) is declared `NOT NULL`.
fn is_not_null(conn: &mut PgConnection, table: &str, column: &str) -> Result<bool, SqlError> {
    let name = quote_ident(table);
    conn.read(|tx| {
        tx.query_one(
            "SELECT coalesce((SELECT attnotnull FROM pg_attribute
                              WHERE attrelid = to_regclass($1) AND attname = $2 AND NOT attisdropped), false)",
            &[&name, &column],
        )?
        .try_get(0)
    })
    .map_err(SqlError::from)
}

/// Whether `table` (in the connection's schema) is a partitioned table.
fn is_partitioned(conn: &mut PgConnection, table: &str) -> Result<bool, SqlError> {
    let name = quote_ident(table);
    conn.read(|tx| {
        tx.query_one(
            "SELECT coalesce((SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass($1)), false)",
            &[&name],
        )?
        .try_get(0)
    })
    .map_err(SqlError::from)
}

/// `expr`, cast to text when its type is not read as it is.
pub(super) fn as_read(expr: &str, ty: &Type) -> String {
    if read_as_is(ty) {
        expr.to_owned()
    } else {
        format!("({expr})::text")
    }
}

/// The types PostgreSQL gives `exprs` selected `from_where` (prepared, not run).
pub(super) fn column_types(
    conn: &mut PgConnection,
    exprs: &[String],
    from_where: &str,
) -> Result<Vec<Type>, SqlError> {
    if exprs.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {} {from_where}", exprs.join(", "));
    conn.read(|tx| {
        let statement = tx.prepare(&sql)?;
        Ok(statement
            .columns()
            .iter()
            .map(|c| c.type_().clone())
            .collect())
    })
    .map_err(SqlError::from)
}

/// A parameter for a stream key part compared with a column of type `ty`, or `None` when no value of that
/// type prints as `part` (the stream is then not in this table).
pub(super) fn key_condition(
    expr: &str,
    ty: &Type,
    part: &str,
    params: &mut Vec<Box<dyn ToSql + Sync>>,
) -> Option<String> {
    let n = params.len() + 1;
    match *ty {
        Type::UUID => {
            let uuid = uuid::Uuid::parse_str(part).ok()?;
            params.push(Box::new(uuid));
            Some(format!("{expr} = ${n}"))
        }
        Type::INT2 | Type::INT4 | Type::INT8 => {
            let number: i64 = part.parse().ok()?;
            params.push(Box::new(number));
            Some(format!("{expr} = ${n}::int8"))
        }
        _ => {
            // Every stored text form that prints as `part` (a UUID in upper case or without dashes).
            let forms: Vec<String> = crate::core::decode::stream_key_candidates(part)
                .into_iter()
                .filter_map(|value| match value {
                    rusqlite::types::Value::Text(text) => Some(text),
                    _ => None,
                })
                .collect();
            params.push(Box::new(forms));
            if read_as_is(ty) && !matches!(*ty, Type::BYTEA) {
                Some(format!("{expr}::text = ANY(${n})"))
            } else {
                Some(format!("({expr})::text = ANY(${n})"))
            }
        }
    }
}

/// The conditions finding stream `id` in the table `sql` reads, their parameters pushed to `params`; `None`
/// when no row of it can hold that id.
pub(super) fn key_conditions(
    sql: &SourceSql,
    source: &Source,
    id: &str,
    params: &mut Vec<Box<dyn ToSql + Sync>>,
) -> Option<Vec<String>> {
    if sql.keys.is_empty() {
        return (id == source.mapping.single_stream_id()).then(Vec::new);
    }
    let parts = split_composite(id, sql.keys.len())?;
    sql.keys
        .iter()
        .zip(parts)
        .map(|((expr, ty), part)| key_condition(expr, ty, part, params))
        .collect()
}
