//! Following a PostgreSQL store without skipping a transaction that commits late.
//!
//! Positions come from a sequence, handed out when a row is inserted, not when its transaction commits: a
//! transaction holding position 105 may commit after another one's 110 was read. Reading "after the last
//! position seen" would skip 105 for ever. So each event table keeps a *settled* position, below which no
//! row can still appear, and the positions above it already handed over. A poll reads every row above the
//! settled position (an index seek on the position), hands over those not handed over yet, and notes the
//! server's snapshot: once every transaction that was running at the previous poll has ended
//! (`pg_snapshot_xmin` now at or past that poll's `pg_snapshot_xmax`), every row visible then is final and
//! any later transaction draws a higher position, so the settled position moves up to the highest one
//! visible then.
//!
//! When following starts, the newest [`START_WINDOW`] rows are taken as seen and the settled position is
//! put below them, so a transaction still running then with one of those positions is not missed.

use std::collections::BTreeSet;

use postgres::types::ToSql;

use super::store::PgDb;
use crate::core::model::Event;
use crate::core::store::source::Source;
use crate::core::store::{Store, StoreError};

/// How many of the newest rows of each table are taken as seen when following starts.
const START_WINDOW: i64 = 1_000;

/// Where following one event table stands.
#[derive(Clone, Debug, Default)]
pub(in crate::core::store) struct Horizon {
    /// No row at or below this position can still appear.
    settled: i64,
    /// Positions above `settled` already handed over.
    seen: BTreeSet<i64>,
    /// The server's `pg_snapshot_xmax` at the last complete poll, and the highest position visible then.
    last_xmax: i64,
    last_max: i64,
}

/// The server's snapshot bounds: the oldest transaction still running and the next one to start.
fn snapshot(db: &PgDb) -> Result<(i64, i64), StoreError> {
    db.query_one(
        "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::int8, \
         pg_snapshot_xmax(pg_current_snapshot())::text::int8",
        &[],
        |row| Ok((row.try_get(0)?, row.try_get(1)?)),
    )
}

impl PgDb {
    /// Start following `source`: its newest position, with the newest rows taken as seen.
    pub(in crate::core::store) fn follow_start(&self, index: usize) -> Result<i64, StoreError> {
        let (_, xmax) = snapshot(self)?;
        let sql = self.source_sql(index);
        let text = format!(
            "SELECT {pos} {from_where} ORDER BY {pos} DESC LIMIT {START_WINDOW}",
            pos = sql.position,
            from_where = sql.from_where
        );
        let newest: Vec<i64> = self.query(&text, &[], |row| row.try_get(0))?;
        let max = newest.first().copied().unwrap_or(0);
        let settled = match newest.last() {
            Some(lowest) if newest.len() as i64 == START_WINDOW => lowest - 1,
            Some(_) | None => i64::MIN,
        };
        self.set_horizon(
            index,
            Horizon {
                settled,
                seen: newest.into_iter().collect(),
                last_xmax: xmax,
                last_max: max,
            },
        );
        Ok(max)
    }

    /// Up to `limit` events of `source` committed since the last call and not handed over before, oldest
    /// position first. A call that returns fewer than `limit` ends a poll (the horizon moves then).
    pub(in crate::core::store) fn follow_next(
        &self,
        index: usize,
        source: &Source,
        limit: usize,
    ) -> Result<Vec<Event>, StoreError> {
        if self.horizon(index).is_none() {
            self.follow_start(index)?;
        }
        let mut horizon = self.horizon(index).unwrap_or_default();
        let (xmin, xmax) = snapshot(self)?;
        let sql = self.source_sql(index);
        // Rows above the settled position, less those already handed over, by position.
        let skip: Vec<i64> = horizon.seen.iter().copied().collect();
        let text = format!(
            "SELECT {}{} {} AND {pos} > $1::int8 AND NOT ({pos} = ANY($2)) ORDER BY {pos} LIMIT {limit}",
            sql.columns,
            sql.key_list(),
            sql.from_where,
            pos = sql.position,
        );
        let params: [&(dyn ToSql + Sync); 2] = [&horizon.settled, &skip];
        let events = self.read_events(index, source, &text, &params, true)?;
        horizon.seen.extend(events.iter().map(|e| e.position));
        if events.len() < limit {
            let visible_max = horizon.seen.last().copied().unwrap_or(horizon.settled);
            if xmin >= horizon.last_xmax {
                horizon.settled = horizon.settled.max(horizon.last_max);
                let settled = horizon.settled;
                horizon.seen.retain(|&p| p > settled);
            }
            horizon.last_xmax = xmax;
            horizon.last_max = visible_max;
        }
        self.set_horizon(index, horizon);
        Ok(events)
    }

    /// A number that changes whenever a transaction has started or ended on the server since the last
    /// call: the snapshot's bounds (a poll finds nothing new otherwise).
    pub(in crate::core::store) fn data_version(&self) -> Result<i64, StoreError> {
        let (xmin, xmax) = snapshot(self)?;
        Ok(xmin.wrapping_mul(1_000_003).wrapping_add(xmax))
    }
}

impl Store {
    /// [`Store::last_positions`] on PostgreSQL.
    pub(in crate::core::store) fn pg_last_positions(
        &self,
        db: &PgDb,
    ) -> Result<Vec<i64>, StoreError> {
        (0..self.sources.len())
            .map(|index| db.follow_start(index))
            .collect()
    }

    /// [`Store::events_after`] on PostgreSQL: `positions` moves to the newest position handed over.
    pub(in crate::core::store) fn pg_events_after(
        &self,
        db: &PgDb,
        positions: &mut [i64],
        limit: usize,
    ) -> Result<Vec<Event>, StoreError> {
        let mut out = Vec::new();
        for (index, (source, position)) in self.sources.iter().zip(positions.iter_mut()).enumerate()
        {
            let events = db.follow_next(index, source, limit)?;
            if let Some(newest) = events.iter().map(|e| e.position).max() {
                *position = (*position).max(newest);
            }
            out.extend(events);
        }
        Ok(out)
    }
}
