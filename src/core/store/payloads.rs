//! A stream's stored payloads read without making events: of each row only what a fold that parses
//! payloads itself needs (the keyset cursor after the event and the payload's cell, borrowed from the row
//! while the fold looks at it), in the keyset pages [`super::pages`] reads events in. The deep merge in
//! halves (`core::replay::walk::halves`) reads a long stream so, parsing each payload's text straight into
//! its patch instead of decoding it into a value first.

use std::borrow::Cow;
use std::ops::ControlFlow;

use super::pages::page_sql;
use super::*;

/// One event as [`PayloadReader::each`] hands it over.
pub struct StoredPayload<'r> {
    /// The keyset cursor just after the event (what [`PageCursor::after`] gives of it).
    pub cursor: PageCursor,
    /// The payload as stored, for [`PayloadReader::decoder`] to decode.
    pub data: Cell<'r>,
    /// The event type's cell as SQL selects it for the event: the event's type (read as text) when
    /// [`PayloadReader::types_in_rows`] says so.
    pub event_type: Cell<'r>,
}

impl StoredPayload<'_> {
    /// The event's type as the event has it (when [`PayloadReader::types_in_rows`]): its cell read as text,
    /// borrowed when it is UTF-8 text.
    pub fn type_text(&self) -> Cow<'_, str> {
        match self.event_type {
            Cell::Text(bytes) if let Ok(text) = std::str::from_utf8(bytes) => Cow::Borrowed(text),
            other => Cow::Owned(sql_text(other).unwrap_or_default()),
        }
    }
}

/// The payloads of one stream in a store's only event table.
pub struct PayloadReader<'s> {
    store: &'s Store,
    source: &'s Source,
    /// The SQL condition finding the stream, and its parameters.
    cond: String,
    params: Vec<SqlValue>,
}

/// What one page handed over.
struct Page {
    handed: usize,
    last: Option<PageCursor>,
    stopped: bool,
}

impl Store {
    /// A reader of stream `id`'s payloads. `None` when they cannot be read apart from their events: the
    /// store has several event tables, is on PostgreSQL, reads versions from payloads, or its table cannot
    /// hold the id.
    pub fn payload_reader(&self, id: &str) -> Result<Option<PayloadReader<'_>>, StoreError> {
        let [source] = self.sources.as_slice() else {
            return Ok(None);
        };
        if self.pg().is_some() || source.in_payload.version.is_some() {
            return Ok(None);
        }
        let key = self.stream_key(id)?;
        let Some(Some((cond, params))) = key.conds.into_iter().next() else {
            return Ok(None);
        };
        Ok(Some(PayloadReader {
            store: self,
            source,
            cond,
            params,
        }))
    }
}

impl PayloadReader<'_> {
    /// The decoder of these payloads: what [`Store::read_stream`] decodes them with.
    pub fn decoder(&self) -> &Decoder {
        &self.source.decoder
    }

    /// Whether each row's [`StoredPayload::event_type`] and cursor hold its event's type, position and
    /// version as the event has them: neither its type nor its version is read from the decoded payload
    /// or metadata.
    pub fn types_in_rows(&self) -> bool {
        let (p, q) = (&self.source.in_payload, &self.source.in_metadata);
        p.event_type.is_none() && q.event_type.is_none() && q.version.is_none()
    }

    /// Hands `visit` the stream's events after `after` (from its first when `None`) in stream order, the
    /// order [`Store::read_stream`] gives them in, at most `limit` of them (all when `None`), until it
    /// answers [`ControlFlow::Break`]. Returns how many it handed over and the cursor after the last.
    pub fn each(
        &self,
        after: Option<PageCursor>,
        limit: Option<usize>,
        visit: &mut dyn FnMut(StoredPayload<'_>) -> ControlFlow<()>,
    ) -> Result<(usize, Option<PageCursor>), StoreError> {
        let (mut handed, mut cursor) = (0, after);
        loop {
            let wanted = limit.map_or(PAGE_SIZE, |limit| (limit - handed).min(PAGE_SIZE));
            if wanted == 0 {
                return Ok((handed, cursor));
            }
            let page = self.page(cursor, wanted, visit)?;
            handed += page.handed;
            cursor = page.last.or(cursor);
            if page.stopped || page.handed < wanted {
                return Ok((handed, cursor));
            }
        }
    }

    /// One page of at most `limit` events after `after`, each handed to `visit` as it is read.
    fn page(
        &self,
        after: Option<PageCursor>,
        limit: usize,
        visit: &mut dyn FnMut(StoredPayload<'_>) -> ControlFlow<()>,
    ) -> Result<Page, StoreError> {
        let (source, store) = (self.source, self.store);
        let m = &source.mapping;
        // As `Source::event_columns` selects them (the version by SQL: `payload_reader` saw to it).
        let columns = format!(
            "{}, {}, {}, {}",
            source.sql(&m.position),
            source.sql_opt(m.version.as_ref()),
            m.data_sql(),
            source.role_sql(m.event_type.as_ref(), source.in_payload.event_type.as_ref()),
        );
        let (sql, mut params) = page_sql(source, &columns, &self.cond, &self.params, after);
        params.push(SqlValue::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        let mut stmt = store
            .db()?
            .prepare_cached(&format!("{sql} LIMIT ?"))
            .map_err(|e| store.sql_err(e))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(|e| store.sql_err(e))?;
        let mut page = Page {
            handed: 0,
            last: None,
            stopped: false,
        };
        while let Some(row) = rows.next().map_err(|e| store.sql_err(e))? {
            // The time `visit` takes is not the query's.
            store.row_read();
            let cell = |i| row.get_ref(i).map(Cell::from).map_err(|e| store.sql_err(e));
            let position = match cell(0)? {
                Cell::Integer(n) => n,
                // What rusqlite's own conversion says of a position that is not an integer, as
                // `event_from_row` says it.
                _ => row.get(0).map_err(|e| store.sql_err(e))?,
            };
            let cursor = PageCursor {
                version: version_of(cell(1)?),
                position,
            };
            page.handed += 1;
            page.last = Some(cursor);
            let (data, event_type) = (cell(2)?, cell(3)?);
            if visit(StoredPayload {
                cursor,
                data,
                event_type,
            })
            .is_break()
            {
                page.stopped = true;
                break;
            }
        }
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::sample;

    #[test]
    fn payloads_come_in_the_order_and_with_the_cursors_events_have() {
        for name in ["eventsourcing-bank.sqlite", "shop.sqlite"] {
            let store = sample(name);
            for summary in store.streams().unwrap().into_iter().take(3) {
                let id = &summary.id;
                let events: Vec<_> = store
                    .read_stream(id)
                    .without_stored()
                    .map(|e| {
                        let e = e.unwrap();
                        (PageCursor::after(&e), e.event_type, e.data)
                    })
                    .collect();
                let reader = store.payload_reader(id).unwrap().unwrap();
                let mut seen = Vec::new();
                let (handed, last) = reader
                    .each(None, None, &mut |payload| {
                        let decoded = reader.decoder().decode_keeping(payload.data, false);
                        let event_type = payload.type_text().into_owned();
                        seen.push((payload.cursor, event_type, decoded.data));
                        ControlFlow::Continue(())
                    })
                    .unwrap();
                assert_eq!(seen, events, "{name} {id}");
                assert_eq!(handed, events.len());
                assert!(reader.types_in_rows(), "{name}");
                assert_eq!(last, events.last().map(|(cursor, ..)| *cursor));
                // After a cursor, within a limit, and stopped by the visitor.
                let Some(((first, ..), rest)) = events.split_first() else {
                    continue;
                };
                let mut after = Vec::new();
                reader
                    .each(Some(*first), Some(2), &mut |payload| {
                        after.push(payload.cursor);
                        ControlFlow::Continue(())
                    })
                    .unwrap();
                let expected: Vec<_> = rest.iter().take(2).map(|(cursor, ..)| *cursor).collect();
                assert_eq!(after, expected);
                let (handed, _) = reader
                    .each(None, None, &mut |_| ControlFlow::Break(()))
                    .unwrap();
                assert_eq!(handed, 1);
            }
        }
    }
}
