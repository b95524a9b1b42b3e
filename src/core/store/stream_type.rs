//! A stream's type alone, for the commands that replay it (`state`, `diff`, `history`, `verify`...): the
//! initial state may depend on it. [`Store::stream`] counts the stream's events and reads its ends to
//! answer, a scan of every row of a ten-million-event log (a second of the `state` of one); where no event
//! table has a type role, the type is the id's category and only the stream's existence needs a look; where
//! the type is read from payloads, one look more reads it from the stream's first event that has one.

use rusqlite::OptionalExtension as _;

use super::source::Source;
use super::streams::type_shown;
use super::{Store, StoreError, canonical_id, category_of};
use crate::core::replay::Reducer;

impl Store {
    /// The type [`Store::stream`] gives stream `id`, or the same error when there is no such stream.
    pub fn stream_type(&self, id: &str) -> Result<Option<String>, StoreError> {
        let typed = self.sources.iter().any(|source| {
            source.mapping.stream_type.is_some() || source.in_payload.stream_type.is_some()
        });
        if typed {
            if let Some(found) = self.type_from_payload(id)? {
                return Ok(found);
            }
            return Ok(self.stream(id)?.stream_type);
        }
        self.lookup_untyped(id)
    }

    /// [`Self::stream_type`] of a SQLite store of one event table whose type is read from payloads (as
    /// eventsourcing's topic is), without counting the stream's events as [`Store::stream`] does: one
    /// index seek to know the stream is there, one for its first event that has a type. `None` for any
    /// other store.
    fn type_from_payload(&self, id: &str) -> Result<Option<Option<String>>, StoreError> {
        let ([source], None) = (self.sources.as_slice(), self.pg()) else {
            return Ok(None);
        };
        let Some(path) = &source.in_payload.stream_type else {
            return Ok(None);
        };
        let m = &source.mapping;
        let condition = self.present_stream_condition(source, id)?;
        let present = match &condition {
            // A single log is the one stream, rows or none.
            Some(_) if m.stream.is_empty() => true,
            Some((cond, params)) => self.has_row(source, cond, params)?,
            None => false,
        };
        let (Some((cond, params)), true) = (condition, present) else {
            return Err(StoreError::NoSuchStream {
                path: self.path.clone(),
                id: id.to_owned(),
            });
        };
        let canonical = canonical_id(id, m.stream.len());
        let found = self.first_type_in_payload(source, &cond, &params, path)?;
        Ok(Some(type_shown(found, m.stream.len(), &canonical)))
    }

    /// What a replay of stream `id` with `reducer` needs of its type: [`Self::stream_type`] when the
    /// reducer's initial state depends on it, else `None` once the stream is known to exist.
    pub fn type_for_replay(
        &self,
        id: &str,
        reducer: &dyn Reducer,
    ) -> Result<Option<String>, StoreError> {
        if reducer.uses_stream_type() {
            self.stream_type(id)
        } else {
            self.check_stream(id).map(|()| None)
        }
    }

    /// That stream `id` exists, or the error [`Store::stream`] gives when it does not: for a replay whose
    /// reducer does not depend on the stream's type (see [`crate::core::replay::Reducer::uses_stream_type`]).
    pub fn check_stream(&self, id: &str) -> Result<(), StoreError> {
        self.lookup_untyped(id).map(|_| ())
    }

    /// The stream's category as its type, once an index seek found one of its rows (a single log is the one
    /// stream, rows or none).
    fn lookup_untyped(&self, id: &str) -> Result<Option<String>, StoreError> {
        if self.pg().is_some() {
            // Only to know the stream exists: its type is the id's category, as below.
            self.stream(id)?;
            let parts = self
                .sources
                .first()
                .map_or(0, |source| source.mapping.stream.len());
            return Ok((parts > 0)
                .then(|| category_of(&canonical_id(id, parts)))
                .flatten());
        }
        for source in &self.sources {
            let Some((cond, params)) = self.present_stream_condition(source, id)? else {
                continue;
            };
            let m = &source.mapping;
            // A single log is the one stream, rows or none.
            if m.stream.is_empty() {
                return Ok(None);
            }
            if self.has_row(source, &cond, &params)? {
                return Ok(category_of(&canonical_id(id, m.stream.len())));
            }
        }
        Err(StoreError::NoSuchStream {
            path: self.path.clone(),
            id: id.to_owned(),
        })
    }

    /// Whether the event table `source` has a row `cond` selects: one index seek.
    fn has_row(
        &self,
        source: &Source,
        cond: &str,
        params: &[rusqlite::types::Value],
    ) -> Result<bool, StoreError> {
        let m = &source.mapping;
        let sql = format!(
            "SELECT 1 FROM {} WHERE ({cond}) AND {} LIMIT 1",
            m.from_sql(false),
            m.filter_sql()
        );
        let found = self
            .db()?
            .query_row(&sql, rusqlite::params_from_iter(params.iter()), |_| Ok(()))
            .optional()
            .map_err(|e| self.sql_err(e))?;
        Ok(found.is_some())
    }
}

#[cfg(test)]
mod tests {
    use crate::core::testing::sample_streams;

    #[test]
    fn the_type_alone_is_the_type_of_the_whole_summary_on_every_sample() {
        let streams = sample_streams(6);
        assert!(streams.len() > 40);
        for (path, store, summary) in streams {
            assert_eq!(
                store.stream_type(&summary.id).unwrap(),
                summary.stream_type,
                "{} {}",
                path.display(),
                summary.id
            );
            let missing = format!("{}-not-there", summary.id);
            assert_eq!(
                store.stream_type(&missing).unwrap_err().to_string(),
                store.stream(&missing).unwrap_err().to_string(),
            );
            store.check_stream(&summary.id).unwrap();
            assert_eq!(
                store.check_stream(&missing).unwrap_err().to_string(),
                store.stream(&missing).unwrap_err().to_string(),
            );
        }
    }
}
