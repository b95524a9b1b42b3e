//! Live follow as the session holds it: whether the playhead stays on the newest event, how many events
//! other connections appended since the store opened, and when the worker last looked. Changed only by
//! `SetFollow` and what the worker's polls find.

use std::time::{Duration, Instant};

/// How often the worker looks for other connections' commits.
const LIVE_POLL: Duration = Duration::from_millis(400);

pub struct LiveFollow {
    follow: bool,
    appended: u64,
    last_poll: Instant,
}

impl Default for LiveFollow {
    fn default() -> Self {
        Self {
            follow: false,
            appended: 0,
            last_poll: Instant::now(),
        }
    }
}

impl LiveFollow {
    /// Keep the playhead on the newest event when new ones arrive.
    pub fn following(&self) -> bool {
        self.follow
    }

    /// Events other connections appended since the store was opened.
    pub fn appended(&self) -> u64 {
        self.appended
    }

    pub(super) fn set_follow(&mut self, on: bool) {
        self.follow = on;
    }

    pub(super) fn count(&mut self, appended: usize) {
        self.appended += appended as u64;
    }

    /// Whether it is time to look for new commits again (then the clock restarts).
    pub(super) fn poll_due(&mut self) -> bool {
        let due = self.last_poll.elapsed() >= LIVE_POLL;
        if due {
            self.last_poll = Instant::now();
        }
        due
    }
}
