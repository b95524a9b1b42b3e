//! Live follow as the session holds it: whether the playhead stays on the newest event, how many events
//! other connections appended since the store opened, and when the worker last looked. Changed only by
//! `SetFollow` and what the worker's polls find.

use std::time::{Duration, Instant};

use crate::core::store::pg::FollowMode;

/// How often the worker looks for other connections' commits.
const LIVE_POLL: Duration = Duration::from_millis(400);

pub struct LiveFollow {
    follow: bool,
    appended: u64,
    last_poll: Instant,
    mode: FollowMode,
}

impl Default for LiveFollow {
    fn default() -> Self {
        Self {
            follow: false,
            appended: 0,
            last_poll: Instant::now(),
            mode: FollowMode::Polling,
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

    /// How new events are learned of: the server's notifications, or a poll every [`LIVE_POLL`].
    pub fn mode(&self) -> &FollowMode {
        &self.mode
    }

    /// What [`Self::mode`] says, for people.
    pub fn described(&self) -> String {
        match &self.mode {
            FollowMode::Polling => format!(
                "the store is read again every {:.1} s",
                LIVE_POLL.as_secs_f32()
            ),
            FollowMode::Notified { channels } => format!(
                "new events are read as the server notifies them (LISTEN {})",
                channels.join(", ")
            ),
        }
    }

    pub(super) fn set_mode(&mut self, mode: FollowMode) {
        self.mode = mode;
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
