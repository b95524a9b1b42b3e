//! One event table as the store reads it: its mapping, its payload decoder, the SQL of each role, and the
//! roles taken from the decoded payload instead of by SQL; and the event made from one of its rows.

use super::*;

/// One event table with its mapping and payload decoder.
pub(super) struct Source {
    pub(super) mapping: Mapping,
    pub(super) decoder: Decoder,
    /// The SQL function decoding this source's payloads.
    pub(super) decode_fn: String,
    /// The roles read from the decoded payload rather than by SQL (see [`payload_path`]).
    pub(super) in_payload: InPayload,
    /// The roles read from the decoded metadata rather than by SQL (on PostgreSQL, whose SQL reads no
    /// SQLite JSON path).
    pub(super) in_metadata: InPayload,
}

/// For each role [`event_from_row`] reads besides the payload, its path in the decoded payload when it is
/// taken from there rather than selected by SQL.
#[derive(Default)]
pub(super) struct InPayload {
    /// Read by [`Store::stream`] from the stream's first event that has one, not by every event's.
    pub(super) stream_type: Option<PayloadPath>,
    pub(super) version: Option<PayloadPath>,
    pub(super) event_type: Option<PayloadPath>,
    pub(super) time: Option<PayloadPath>,
    pub(super) id: Option<PayloadPath>,
    pub(super) correlation: Option<PayloadPath>,
    pub(super) causation: Option<PayloadPath>,
}

impl Source {
    pub(super) fn new(mapping: Mapping, decoder: Decoder, decode_fn: String) -> Self {
        // Only a payload that SQL must call back into Rust to decode: a plain JSON column is cheaper for
        // SQLite to read than a second decoding would be.
        let in_payload = |role: Option<&layout::Source>| match role {
            Some(layout::Source::Json { column, path })
                if mapping.data.as_deref() == Some(column.as_str())
                    && !mapping.codec.is_plain() =>
            {
                PayloadPath::parse(path)
            }
            _ => None,
        };
        let in_payload = InPayload {
            stream_type: in_payload(mapping.stream_type.as_ref()),
            version: in_payload(mapping.version.as_ref()),
            event_type: in_payload(mapping.event_type.as_ref()),
            time: in_payload(mapping.time.as_ref()),
            id: in_payload(mapping.id.as_ref()),
            correlation: in_payload(mapping.correlation.as_ref()),
            causation: in_payload(mapping.causation.as_ref()),
        };
        Self {
            mapping,
            decoder,
            decode_fn,
            in_payload,
            in_metadata: InPayload::default(),
        }
    }

    /// A role's SQL in the select list: NULL when it is read from the decoded payload instead.
    pub(super) fn role_sql(
        &self,
        role: Option<&layout::Source>,
        in_payload: Option<&PayloadPath>,
    ) -> String {
        match in_payload {
            Some(_) => "NULL".to_owned(),
            None => self.sql_opt(role),
        }
    }

    /// The SQL expression for a role; a path inside a payload only Rust decodes is read by
    /// `{decode_fn}_at(payload, path)` (decoded once, no JSON text made for SQLite to parse again) when
    /// [`PayloadPath`] reads that path, else by `json_extract({decode_fn}(payload), path)`.
    pub(super) fn sql(&self, source: &layout::Source) -> String {
        let m = &self.mapping;
        match source {
            layout::Source::Json { column, path }
                if m.data.as_deref() == Some(column.as_str())
                    && !m.codec.is_plain()
                    && PayloadPath::parse(path).is_some() =>
            {
                format!(
                    "{}_at({}, {})",
                    self.decode_fn,
                    m.column_sql(Some(column)),
                    layout::quote_literal(path)
                )
            }
            other => m.sql(other, &self.decode_fn),
        }
    }

    pub(super) fn sql_opt(&self, source: Option<&layout::Source>) -> String {
        source.map_or_else(|| "NULL".to_owned(), |s| self.sql(s))
    }

    /// The stream key parts as SQL, comma-separated (the single log's id as a literal when there are none),
    /// for rows read beside [`Self::event_columns`].
    pub(super) fn stream_key_sql(&self) -> String {
        let m = &self.mapping;
        if m.stream.is_empty() {
            layout::quote_literal(m.single_stream_id())
        } else {
            m.stream
                .iter()
                .map(|p| self.sql(p))
                .collect::<Vec<_>>()
                .join(", ")
        }
    }

    /// The [`EVENT_COLUMNS`] columns [`event_from_row`] reads, in its order.
    pub(super) fn event_columns(&self) -> String {
        let (m, p) = (&self.mapping, &self.in_payload);
        format!(
            "{pos}, {ver}, {ty}, {time}, {data}, {meta}, {id}, {corr}, {cause}",
            pos = self.sql(&m.position),
            ver = self.role_sql(m.version.as_ref(), p.version.as_ref()),
            ty = self.role_sql(m.event_type.as_ref(), p.event_type.as_ref()),
            time = self.role_sql(m.time.as_ref(), p.time.as_ref()),
            data = m.data_sql(),
            meta = m.column_sql(m.metadata.as_deref()),
            id = self.role_sql(m.id.as_ref(), p.id.as_ref()),
            corr = self.role_sql(m.correlation.as_ref(), p.correlation.as_ref()),
            cause = self.role_sql(m.causation.as_ref(), p.causation.as_ref()),
        )
    }
}

/// How many columns [`Source::event_columns`] selects.
pub(super) const EVENT_COLUMNS: usize = 9;

/// An event from a row whose first [`EVENT_COLUMNS`] columns are [`Source::event_columns`].
pub(super) fn event_from_row(
    source: &Source,
    r: &rusqlite::Row<'_>,
    stream: String,
    keep_stored: bool,
) -> rusqlite::Result<Event> {
    let mut cells = [Cell::Null; EVENT_COLUMNS];
    for (i, cell) in cells.iter_mut().enumerate() {
        *cell = r.get_ref(i)?.into();
    }
    let position = match cells[0] {
        Cell::Integer(n) => n,
        // What rusqlite's own conversion would say of a position that is not an integer.
        _ => r.get(0)?,
    };
    Ok(event_from_cells(
        source,
        position,
        &cells,
        stream,
        keep_stored,
    ))
}

/// An event from the [`EVENT_COLUMNS`] values of [`Source::event_columns`] (the position already read as
/// an integer), whichever database they came from.
pub(super) fn event_from_cells(
    source: &Source,
    position: i64,
    cells: &[Cell<'_>; EVENT_COLUMNS],
    stream: String,
    keep_stored: bool,
) -> Event {
    let [
        _,
        version,
        event_type,
        time,
        data,
        metadata,
        id,
        correlation,
        causation,
    ] = *cells;
    let metadata = source
        .mapping
        .metadata
        .as_ref()
        .map(|_| source.decoder.decode_plain(metadata));
    // The event type, when a column or the metadata holds it, names the schema's type of the payload.
    // A type read from a column is read once, for the hint and for the event.
    let (column_type, metadata_type) = match (
        &source.in_payload.event_type,
        &source.in_metadata.event_type,
    ) {
        (None, None) => (sql_text(event_type), None),
        (None, Some(path)) => match &metadata {
            Some(Payload::Json(value)) => (None, sql_text(Cell::from(&path.extract(value)))),
            _ => (None, None),
        },
        (Some(_), _) => (None, None),
    };
    let decoded = source.decoder.decode_typed(
        data,
        column_type.as_deref().or(metadata_type.as_deref()),
        keep_stored,
    );
    // A role read from the decoded payload (or metadata), or else the column SQL selected for it.
    let json = |payload: Option<&Payload>, path: &PayloadPath| match payload {
        Some(Payload::Json(value)) => path.extract(value),
        _ => SqlValue::Null,
    };
    let found = |data_path: Option<&PayloadPath>, meta_path: Option<&PayloadPath>| {
        data_path
            .map(|path| json(Some(&decoded.data), path))
            .or_else(|| meta_path.map(|path| json(metadata.as_ref(), path)))
    };
    let (p, q) = (&source.in_payload, &source.in_metadata);
    let found = [
        found(p.version.as_ref(), q.version.as_ref()),
        found(p.event_type.as_ref(), q.event_type.as_ref()),
        found(p.time.as_ref(), q.time.as_ref()),
        found(p.id.as_ref(), q.id.as_ref()),
        found(p.correlation.as_ref(), q.correlation.as_ref()),
        found(p.causation.as_ref(), q.causation.as_ref()),
    ];
    let event_type = match &found[1] {
        Some(value) => sql_text(Cell::from(value)),
        None => column_type,
    };
    let columns = [version, Cell::Null, time, id, correlation, causation];
    let [version, _, time, id, correlation, causation]: [Cell<'_>; 6] =
        std::array::from_fn(|i| match &found[i] {
            Some(value) => Cell::from(value),
            None => columns[i],
        });
    let (time, stored_time) = read_time_sql(time).into_parts();
    Event {
        stream,
        position,
        version: version_of(version),
        event_type: event_type.unwrap_or_default(),
        time,
        stored_time,
        metadata,
        id: trace_id(id),
        correlation: trace_id(correlation),
        causation: trace_id(causation),
        data: decoded.data,
        stored: decoded.stored,
    }
}

/// An event's version as read from its cell: an integer, or text holding one (spaces around it allowed).
pub(super) fn version_of(cell: Cell<'_>) -> Option<i64> {
    match cell {
        Cell::Integer(n) => Some(n),
        other => sql_text(other).and_then(|t| t.trim().parse().ok()),
    }
}

/// An id read for the id, correlation or causation role: UUIDs in any stored form shown dashed lowercase (so
/// an Event Sourcery event's 32-hex `uuid` equals the dashed causation id pointing at it); `None` when NULL
/// or empty.
pub fn trace_id(value: Cell<'_>) -> Option<String> {
    match value {
        Cell::Null => None,
        other => Some(format_stream_id(other)).filter(|id| !id.is_empty()),
    }
}
