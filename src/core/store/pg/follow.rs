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
//!
//! Where the writer notifies (eventsourcing's insert function runs `NOTIFY "<table>"` in the inserting
//! transaction, so the notification arrives when it commits), the connection `LISTEN`s on that channel
//! ([`Listening`]): a poll reads rows only after a notification, or after [`SNAPSHOT_EVERY`] as a safety net
//! for a writer that goes around the function, and `tail` wakes the moment one arrives instead of sleeping
//! out its interval. Other stores are polled: a poll reads rows whenever a transaction has started or
//! ended on the server.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

use super::store::PgDb;
use super::{PgConnection, PgError};
use crate::core::layout::quote_ident;
use crate::core::model::Event;
use crate::core::store::source::Source;
use crate::core::store::{Store, StoreError};

/// How many of the newest rows of each table are taken as seen when following starts.
const START_WINDOW: i64 = 1_000;

/// How often a store whose writer notifies is polled without a notification (see the module comment).
const SNAPSHOT_EVERY: Duration = Duration::from_secs(5);

/// The channels this connection listens on, and what came of them.
#[derive(Debug)]
pub(in crate::core::store) struct Listening {
    /// Each event table's writer notifies on the channel named as the table (none: polled).
    channels: Vec<String>,
    /// Notifications received so far.
    received: i64,
    /// When the snapshot was last read, and what [`snapshot_version`] made of it.
    checked: Option<(Instant, i64)>,
}

/// How a followed store learns of new events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FollowMode {
    /// Read again every poll.
    Polling,
    /// The server notifies on these channels (`LISTEN`).
    Notified { channels: Vec<String> },
}

impl std::fmt::Display for FollowMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Polling => write!(f, "polling"),
            Self::Notified { channels } => {
                write!(f, "notified by the server (LISTEN {})", channels.join(", "))
            }
        }
    }
}

impl PgConnection {
    /// Whether some function of the database notifies on the channel named as `table` (`NOTIFY table`,
    /// `NOTIFY "table"` or `pg_notify('table', ...)`, in any case), as eventsourcing's insert function does.
    fn notifies(&mut self, table: &str) -> Result<bool, PgError> {
        let forms = [
            format!("notify {}", table.to_lowercase()),
            format!("notify \"{}\"", table.to_lowercase()),
            format!("pg_notify('{}'", table.to_lowercase()),
        ];
        self.read(|tx| {
            tx.query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_proc
                                WHERE lower(prosrc) LIKE '%notify%'
                                  AND EXISTS (SELECT 1 FROM unnest($1::text[]) AS f
                                              WHERE position(f IN lower(prosrc)) > 0))",
                &[&forms.as_slice()],
            )?
            .try_get(0)
        })
    }

    /// `LISTEN` on `channel` (outside a transaction, so it lasts).
    fn listen(&mut self, channel: &str) -> Result<(), PgError> {
        let shown = self.target.shown();
        self.client
            .batch_execute(&format!("LISTEN {}", quote_ident(channel)))
            .map_err(|source| PgError::Query { shown, source })
    }

    /// How many notifications have arrived, waiting up to `wait` (at least a millisecond) for the first
    /// when none is pending.
    fn notifications(&mut self, wait: Duration) -> Result<i64, PgError> {
        let shown = self.target.shown();
        let err = |source| PgError::Query {
            shown: shown.clone(),
            source,
        };
        let mut notifications = self.client.notifications();
        // The driver's non-blocking look only takes what it has already read off the socket; a notification
        // waiting in the socket is read by a (short) wait.
        let mut count = match notifications
            .timeout_iter(wait.max(Duration::from_millis(1)))
            .next()
            .map_err(err)?
        {
            Some(_) => 1,
            None => 0,
        };
        count += notifications.iter().count().map_err(err)?;
        Ok(i64::try_from(count).unwrap_or(i64::MAX))
    }
}

/// The snapshot's bounds as one number: it changes whenever a transaction has started or ended.
fn snapshot_version(db: &PgDb) -> Result<i64, StoreError> {
    let (xmin, xmax) = snapshot(db)?;
    Ok(xmin.wrapping_mul(1_000_003).wrapping_add(xmax))
}

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

    /// A number that changes when there may be new events: at each notification where the writers notify
    /// (and every [`SNAPSHOT_EVERY`] besides), whenever a transaction has started or ended on the server
    /// otherwise (a poll finds nothing new when it has not changed). The first call decides which.
    pub(in crate::core::store) fn data_version(&self) -> Result<i64, StoreError> {
        self.wait_for_change(Duration::ZERO)
    }

    /// [`Self::data_version`], waiting up to `wait` for a notification when the store is notified and
    /// none is pending.
    pub(in crate::core::store) fn wait_for_change(
        &self,
        wait: Duration,
    ) -> Result<i64, StoreError> {
        let mut listening = self.listening.borrow_mut();
        let listening = match &mut *listening {
            Some(listening) => listening,
            None => listening.insert(self.start_listening()?),
        };
        if listening.channels.is_empty() {
            return snapshot_version(self);
        }
        listening.received += (self.conn.borrow_mut().notifications(wait))
            .map_err(crate::core::store::StoreError::Postgres)?;
        let snapshot = match listening.checked {
            Some((at, version)) if at.elapsed() < SNAPSHOT_EVERY => version,
            _ => {
                let version = snapshot_version(self)?;
                listening.checked = Some((Instant::now(), version));
                version
            }
        };
        Ok(snapshot
            .wrapping_mul(1_000_003)
            .wrapping_add(listening.received))
    }

    /// How this store is followed (listening on the channels its writers notify on, once asked).
    pub(in crate::core::store) fn follow_mode(&self) -> Result<FollowMode, StoreError> {
        let mut listening = self.listening.borrow_mut();
        let listening = match &mut *listening {
            Some(listening) => listening,
            None => listening.insert(self.start_listening()?),
        };
        Ok(if listening.channels.is_empty() {
            FollowMode::Polling
        } else {
            FollowMode::Notified {
                channels: listening.channels.clone(),
            }
        })
    }

    /// `LISTEN` on the channel of each event table whose writer notifies; polled when none does.
    fn start_listening(&self) -> Result<Listening, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let mut channels = Vec::new();
        for sql in &self.sql {
            if conn.notifies(&sql.table)? && !channels.contains(&sql.table) {
                conn.listen(&sql.table)?;
                channels.push(sql.table.clone());
            }
        }
        Ok(Listening {
            channels,
            received: 0,
            checked: None,
        })
    }
}

impl Store {
    /// [`Store::last_positions`] on PostgreSQL.
    pub(in crate::core::store) fn pg_last_positions(
        &self,
        db: &PgDb,
    ) -> Result<Vec<i64>, StoreError> {
        // Listening first: nothing notified after the newest positions are read is missed.
        db.follow_mode()?;
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
