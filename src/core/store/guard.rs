//! A deadline and a cancel for every query: SQLite's progress handler asks this guard every few thousand
//! virtual-machine steps whether to stop. Nothing a store or a mapping contains (an endless `WITH RECURSIVE`
//! in a mapping's filter, a crafted file that makes a scan crawl) can then hang a command or the window: the
//! query ends with an error that says why and what to do.

use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long one query may work without producing a row before it is stopped, unless the caller sets another
/// limit. Loops that read many rows (whole-store scans) restart the clock at every row they take
/// ([`QueryGuard::row_read`]), so a scan of ten million events is never stopped for being long, only a
/// query stuck between two rows.
pub const DEFAULT_QUERY_TIMEOUT: Duration = Duration::from_secs(60);

/// SQLite virtual-machine steps between two checks (a few hundred microseconds of work).
pub(super) const CHECK_EVERY_OPS: i32 = 20_000;

/// Asked by the caller's job layer whether the work in flight is still wanted.
pub type CancelCheck = Arc<dyn Fn() -> bool + Send + Sync>;

/// Why the guard stopped a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopped {
    /// It ran past the deadline.
    Timeout(Duration),
    /// The caller no longer wanted it.
    Cancelled,
}

const NOT_STOPPED: u8 = 0;
const STOPPED_TIMEOUT: u8 = 1;
const STOPPED_CANCELLED: u8 = 2;

/// Shared between a `Store` and its connection's progress handler.
pub struct QueryGuard {
    epoch: Instant,
    /// When the current query started, in milliseconds since `epoch`.
    armed_ms: AtomicU64,
    /// 0: no deadline.
    timeout_ms: AtomicU64,
    cancel: Mutex<Option<CancelCheck>>,
    stopped: AtomicU8,
}

impl std::fmt::Debug for QueryGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryGuard")
            .field("timeout", &self.timeout())
            .finish_non_exhaustive()
    }
}

impl QueryGuard {
    pub(super) fn new() -> Arc<Self> {
        Arc::new(Self {
            epoch: Instant::now(),
            armed_ms: AtomicU64::new(0),
            timeout_ms: AtomicU64::new(millis(DEFAULT_QUERY_TIMEOUT)),
            cancel: Mutex::new(None),
            stopped: AtomicU8::new(NOT_STOPPED),
        })
    }

    fn now_ms(&self) -> u64 {
        millis(self.epoch.elapsed())
    }

    /// The caller took a row: the deadline for the next one counts from here.
    pub(super) fn row_read(&self) {
        self.armed_ms.store(self.now_ms(), Ordering::Relaxed);
    }

    /// A query starts now: its deadline counts from here.
    pub(super) fn arm(&self) {
        self.armed_ms.store(self.now_ms(), Ordering::Relaxed);
        self.stopped.store(NOT_STOPPED, Ordering::Relaxed);
    }

    /// The deadline of each query; `None` for none.
    pub fn timeout(&self) -> Option<Duration> {
        match self.timeout_ms.load(Ordering::Relaxed) {
            0 => None,
            ms => Some(Duration::from_millis(ms)),
        }
    }

    pub(super) fn set_timeout(&self, timeout: Option<Duration>) {
        self.timeout_ms
            .store(timeout.map_or(0, |t| millis(t).max(1)), Ordering::Relaxed);
    }

    pub(super) fn set_cancel(&self, cancel: Option<CancelCheck>) {
        if let Ok(mut slot) = self.cancel.lock() {
            *slot = cancel;
        }
    }

    /// The progress handler: `true` stops the query.
    pub(super) fn should_stop(&self) -> bool {
        let cancelled = self
            .cancel
            .lock()
            .ok()
            .and_then(|slot| slot.as_ref().map(|check| check()))
            .unwrap_or(false);
        if cancelled {
            self.stopped.store(STOPPED_CANCELLED, Ordering::Relaxed);
            return true;
        }
        let timeout = self.timeout_ms.load(Ordering::Relaxed);
        if timeout > 0
            && self
                .now_ms()
                .saturating_sub(self.armed_ms.load(Ordering::Relaxed))
                > timeout
        {
            self.stopped.store(STOPPED_TIMEOUT, Ordering::Relaxed);
            return true;
        }
        false
    }

    /// Why the last query was stopped, if it was.
    pub(super) fn stopped(&self) -> Option<Stopped> {
        match self.stopped.load(Ordering::Relaxed) {
            STOPPED_TIMEOUT => Some(Stopped::Timeout(self.timeout().unwrap_or_default())),
            STOPPED_CANCELLED => Some(Stopped::Cancelled),
            _ => None,
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;

    #[test]
    fn taking_a_row_restarts_the_deadline() {
        let mut guard = QueryGuard::new();
        // A guard made a minute ago, so "20 s ago" is a time it can name.
        if let Some(guard) = Arc::get_mut(&mut guard)
            && let Some(earlier) = Instant::now().checked_sub(Duration::from_secs(60))
        {
            guard.epoch = earlier;
        }
        guard.set_timeout(Some(Duration::from_secs(10)));
        guard.arm();
        // As if the query had started (or last given a row) 20 s ago.
        let long_ago = guard.now_ms().saturating_sub(20_000);
        assert!(long_ago > 0);
        guard.armed_ms.store(long_ago, Ordering::Relaxed);
        guard.row_read();
        assert!(!guard.should_stop());
        guard.armed_ms.store(long_ago, Ordering::Relaxed);
        assert!(guard.should_stop());
        assert_eq!(
            guard.stopped(),
            Some(Stopped::Timeout(Duration::from_secs(10)))
        );
    }

    #[test]
    fn a_query_past_its_deadline_is_stopped_and_says_so() {
        let guard = QueryGuard::new();
        guard.set_timeout(Some(Duration::from_millis(20)));
        guard.arm();
        assert!(!guard.should_stop());
        std::thread::sleep(Duration::from_millis(40));
        assert!(guard.should_stop());
        assert_eq!(
            guard.stopped(),
            Some(Stopped::Timeout(Duration::from_millis(20)))
        );
        guard.arm();
        assert_eq!(guard.stopped(), None);
        assert!(!guard.should_stop());
    }

    #[test]
    fn a_cancelled_job_stops_its_query_and_no_deadline_means_none() {
        let guard = QueryGuard::new();
        guard.set_timeout(None);
        let flag = Arc::new(AtomicBool::new(false));
        let check = Arc::clone(&flag);
        guard.set_cancel(Some(Arc::new(move || check.load(Ordering::Relaxed))));
        guard.arm();
        assert!(!guard.should_stop());
        flag.store(true, Ordering::Relaxed);
        assert!(guard.should_stop());
        assert_eq!(guard.stopped(), Some(Stopped::Cancelled));
    }
}
