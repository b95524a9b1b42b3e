//! Events found across every stream by an id they carry (their own id, a correlation or causation id),
//! whatever form the store keeps that UUID in.

use super::*;

/// A role whose value finds events across every stream (see [`Store::events_by_trace`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceRole {
    /// The event's own id.
    Id,
    /// The correlation id.
    Correlation,
    /// The causation id.
    Causation,
}

impl Store {
    /// [`Self::events_by_trace`] over one scan in position order, the role compared as events show it (a
    /// UUID dashed, lower case): for a PostgreSQL store.
    fn trace_by_scan(
        &self,
        role: TraceRole,
        value: &str,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<Option<Vec<Event>>, StoreError> {
        let wanted = trace_id(Cell::Text(value.as_bytes()));
        let total = self.event_count()?;
        let (mut done, mut out) = (0u64, Vec::new());
        let finished = self.scan(ScanOrder::Position, &ScanFilter::default(), &mut |event| {
            done += 1;
            let found = match role {
                TraceRole::Id => &event.id,
                TraceRole::Correlation => &event.correlation,
                TraceRole::Causation => &event.causation,
            };
            if wanted.is_some() && *found == wanted {
                out.push(event);
            }
            !done.is_multiple_of(5_000)
                || progress(Progress {
                    what: "looking for the id in every event",
                    done,
                    total,
                })
        })?;
        Ok(finished.then_some(out))
    }

    /// Every event, in every stream and event table, whose `role` is `value` (a UUID in any stored form),
    /// in position order within each table; empty when no mapping has the role. `progress` is called between
    /// position ranges; returning `false` cancels (then the answer is `Ok(None)`).
    pub fn events_by_trace(
        &self,
        role: TraceRole,
        value: &str,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<Option<Vec<Event>>, StoreError> {
        if self.pg().is_some() {
            return self.trace_by_scan(role, value, progress);
        }
        let plans = self.scan_plans()?;
        let mut work = Vec::new();
        for (source, plan) in self.sources.iter().zip(&plans) {
            let m = &source.mapping;
            let role_source = match role {
                TraceRole::Id => m.id.as_ref(),
                TraceRole::Correlation => m.correlation.as_ref(),
                TraceRole::Causation => m.causation.as_ref(),
            };
            if let Some(role_source) = role_source {
                work.push((
                    source,
                    plan,
                    source.sql(role_source),
                    self.position_chunks(plan, 32)?,
                ));
            }
        }
        let total = work.iter().map(|(.., chunks)| chunks.len() as u64).sum();
        let (marks, candidates) = candidate_marks(&stream_key_candidates(value));
        let mut done = 0;
        let mut out = Vec::new();
        for (source, plan, role_sql, chunks) in work {
            let m = &source.mapping;
            let parts = m.stream.len().max(1);
            let stream = source.stream_key_sql();
            for chunk in chunks {
                let range = chunk.map_or_else(
                    || "1".to_owned(),
                    |(low, high)| format!("{} BETWEEN {low} AND {high}", plan.position),
                );
                let sql = format!(
                    "SELECT {columns}, {stream} FROM {from} WHERE {filter} AND {range} AND {role_sql} IN ({marks}) \
                     ORDER BY {pos}",
                    columns = source.event_columns(),
                    from = plan.from,
                    filter = plan.filter,
                    pos = plan.position,
                );
                let mut stmt = self.db()?.prepare(&sql).map_err(|e| self.sql_err(e))?;
                let rows = stmt
                    .query_map(rusqlite::params_from_iter(&candidates), |r| {
                        let mut ids = Vec::with_capacity(parts);
                        for i in 0..parts {
                            ids.push(format_stream_id(r.get_ref(EVENT_COLUMNS + i)?.into()));
                        }
                        event_from_row(source, r, composite_id(&ids), true)
                    })
                    .map_err(|e| self.sql_err(e))?;
                for event in rows {
                    out.push(event.map_err(|e| self.sql_err(e))?);
                }
                done += 1;
                if !progress(Progress {
                    what: "finding events",
                    done,
                    total,
                }) {
                    return Ok(None);
                }
            }
        }
        Ok(Some(out))
    }
}
