//! Playback and stepping by axis units: where the playhead goes next when the stream plays at some number of
//! events per second, or in its own time scaled up (x1 … x10,000), or when the user steps by "one tick" of the
//! time axis. Plain functions over the stream's events, so they are tested without a clock or a window.

use crate::core::timeline::stream_index::StreamIndex;

/// Fastest real-time scale offered.
pub const MAX_TIME_SCALE: f64 = 10_000.0;
/// Fastest events-per-second rate offered.
pub const MAX_EVENTS_PER_SEC: f64 = 10_000.0;

/// How fast playback goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// A fixed number of events per second, whatever their times.
    EventsPerSec(f64),
    /// The stream's own time, multiplied by this factor (1 = as it happened).
    RealTime(f64),
}

impl Speed {
    /// The speed with its number clamped to what playback offers.
    pub fn clamped(self) -> Self {
        match self {
            Self::EventsPerSec(rate) => Self::EventsPerSec(rate.clamp(0.1, MAX_EVENTS_PER_SEC)),
            Self::RealTime(factor) => Self::RealTime(factor.clamp(1.0, MAX_TIME_SCALE)),
        }
    }
}

/// One step of the axis the timeline shows: Shift+Left/Right move by it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AxisUnit {
    /// A span of time (the time axis' tick spacing).
    Seconds(f64),
    /// A number of events (the sequence axis' tick spacing).
    Events(usize),
}

/// The play state: changed only through the session's commands.
#[derive(Clone, Debug, PartialEq)]
pub struct Playback {
    pub playing: bool,
    pub speed: Speed,
    /// Loop between marks A and B (when both are set) instead of stopping at the end.
    pub loop_marks: bool,
    /// Fraction of an event not yet stepped (events-per-second mode).
    carry: f64,
    /// The stream-time clock (Unix seconds) in real-time mode, and the cursor it belongs to: a playhead moved
    /// by anything else restarts the clock from that event's time.
    clock: Option<(f64, usize)>,
}

impl Default for Playback {
    fn default() -> Self {
        Self {
            playing: false,
            speed: Speed::EventsPerSec(10.0),
            loop_marks: false,
            carry: 0.0,
            clock: None,
        }
    }
}

/// Unix seconds of event `i`, when it has a time.
#[expect(
    clippy::cast_precision_loss,
    reason = "milliseconds since 1970 fit an f64"
)]
fn secs(index: &StreamIndex, i: usize) -> Option<f64> {
    index.time(i).map(|t| t.timestamp_millis() as f64 / 1000.0)
}

impl Playback {
    /// Start playing from `cursor` within `range` (inclusive event indices). Returns where the playhead starts:
    /// back at the start of the range when it is at (or past) its end, or outside it.
    pub fn start(&mut self, cursor: usize, range: (usize, usize)) -> usize {
        self.playing = true;
        self.carry = 0.0;
        self.clock = None;
        if cursor >= range.1 || cursor < range.0 {
            range.0
        } else {
            cursor
        }
    }

    pub fn stop(&mut self) {
        self.playing = false;
        self.carry = 0.0;
        self.clock = None;
    }

    /// Advance by `dt_secs` of wall-clock time. Returns the new cursor; playback stops by itself at the end
    /// of `range` unless it loops.
    pub fn advance(
        &mut self,
        events: &StreamIndex,
        cursor: usize,
        range: (usize, usize),
        looping: bool,
        dt_secs: f64,
    ) -> usize {
        if !self.playing || events.is_empty() {
            return cursor;
        }
        let (lo, hi) = (range.0.min(range.1), range.1.max(range.0));
        let hi = hi.min(events.len() - 1);
        let cursor = cursor.clamp(lo, hi);
        let dt = dt_secs.max(0.0);
        let time_of = |i: usize| secs(events, i);
        let rate_mode = match self.speed {
            Speed::EventsPerSec(rate) => Some(rate),
            // A stream without times cannot play in its own time: one event per second, scaled.
            Speed::RealTime(factor) if time_of(cursor).is_none() => Some(factor),
            Speed::RealTime(_) => None,
        };
        if let Some(rate) = rate_mode {
            self.carry += dt * rate;
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "a small non-negative whole number of events"
            )]
            let steps = self.carry.floor().min(1e12) as usize;
            self.carry -= self.carry.floor();
            let target = cursor.saturating_add(steps);
            if target <= hi {
                return target;
            }
            if looping && hi > lo {
                let len = hi - lo + 1;
                return lo + (target - hi - 1) % len;
            }
            self.stop();
            return hi;
        }
        let Speed::RealTime(factor) = self.speed else {
            return cursor;
        };
        let base = match self.clock {
            Some((clock, at)) if at == cursor => clock,
            _ => time_of(cursor).unwrap_or(0.0),
        };
        let clock = base + dt * factor;
        // The last event (after the cursor, within the range) whose time has come.
        let mut next = cursor;
        while next < hi && time_of(next + 1).is_some_and(|t| t <= clock) {
            next += 1;
        }
        if next == hi && time_of(hi).is_some_and(|t| t <= clock) {
            if looping && hi > lo {
                self.clock = time_of(lo).map(|t| (t, lo));
                return lo;
            }
            if next == cursor {
                self.stop();
                return hi;
            }
        }
        self.clock = Some((clock, next));
        next
    }
}

/// The event one axis unit of `secs` away from `cursor`: forward, the last event at or before the cursor's
/// time plus `secs`; backward, the first event at or after its time minus `secs`. It always moves at least
/// one event (when there is one), so an empty stretch of time never traps the playhead.
pub fn step_by_time(
    events: &StreamIndex,
    cursor: usize,
    secs_per_unit: f64,
    forward: bool,
) -> usize {
    let last = events.len().saturating_sub(1);
    let Some(now) = secs(events, cursor) else {
        return cursor;
    };
    if forward {
        if cursor >= last {
            return last;
        }
        let target = now + secs_per_unit;
        let mut next = cursor + 1;
        while next < last && secs(events, next + 1).is_some_and(|t| t <= target) {
            next += 1;
        }
        next
    } else {
        if cursor == 0 {
            return 0;
        }
        let target = now - secs_per_unit;
        let mut next = cursor - 1;
        while next > 0 && secs(events, next - 1).is_some_and(|t| t >= target) {
            next -= 1;
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::core::model::{Event, Payload};

    fn stream(seconds: &[i64]) -> StreamIndex {
        let events: Vec<Event> = seconds
            .iter()
            .enumerate()
            .map(|(i, &s)| Event {
                stream: "s".to_owned(),
                position: i64::try_from(i).unwrap(),
                version: Some(i64::try_from(i + 1).unwrap()),
                event_type: "Tick".to_owned(),
                time: Utc.timestamp_opt(1_700_000_000 + s, 0).single(),
                stored_time: None,
                data: Payload::Json(serde_json::json!({})),
                metadata: None,
                stored: None,
                id: None,
                correlation: None,
                causation: None,
            })
            .collect();
        StreamIndex::from_events(&events)
    }

    #[test]
    fn ten_events_per_second_moves_one_event_per_tenth_of_a_second() {
        let events = stream(&[0, 1, 2, 3, 4, 5]);
        let mut playback = Playback::default();
        let mut cursor = playback.start(0, (0, 5));
        cursor = playback.advance(&events, cursor, (0, 5), false, 0.05);
        assert_eq!(cursor, 0, "half an event's time has not moved the playhead");
        cursor = playback.advance(&events, cursor, (0, 5), false, 0.05);
        assert_eq!(cursor, 1);
        cursor = playback.advance(&events, cursor, (0, 5), false, 0.35);
        assert_eq!(cursor, 4);
    }

    #[test]
    fn playback_stops_on_the_last_event_unless_it_loops() {
        let events = stream(&[0, 1, 2, 3]);
        let mut playback = Playback::default();
        let cursor = playback.start(2, (0, 3));
        let cursor = playback.advance(&events, cursor, (0, 3), false, 1.0);
        assert_eq!(cursor, 3);
        assert!(!playback.playing);

        let mut playback = Playback::default();
        let cursor = playback.start(1, (1, 2));
        // 10 events/s for 0.3 s from 1: 2, then wraps to 1, then 2.
        let cursor = playback.advance(&events, cursor, (1, 2), true, 0.3);
        assert_eq!(cursor, 2);
        assert!(playback.playing);
    }

    #[test]
    fn starting_at_the_end_plays_again_from_the_start() {
        let mut playback = Playback::default();
        assert_eq!(playback.start(5, (0, 5)), 0);
        assert_eq!(playback.start(3, (0, 5)), 3);
        assert_eq!(playback.start(9, (2, 5)), 2);
    }

    #[test]
    fn real_time_follows_the_gaps_between_events() {
        // Events at 0 s, 10 s, 11 s, 100 s; played at x10.
        let events = stream(&[0, 10, 11, 100]);
        let mut playback = Playback {
            speed: Speed::RealTime(10.0),
            ..Playback::default()
        };
        let mut cursor = playback.start(0, (0, 3));
        cursor = playback.advance(&events, cursor, (0, 3), false, 0.5);
        assert_eq!(
            cursor, 0,
            "5 s of stream time: the 10 s event has not come yet"
        );
        cursor = playback.advance(&events, cursor, (0, 3), false, 0.6);
        assert_eq!(
            cursor, 2,
            "11 s of stream time passes both the 10 s and 11 s events"
        );
        cursor = playback.advance(&events, cursor, (0, 3), false, 8.0);
        assert_eq!(cursor, 2, "91 s: the 100 s event is still ahead");
        cursor = playback.advance(&events, cursor, (0, 3), false, 1.0);
        assert_eq!(cursor, 3);
        let cursor = playback.advance(&events, cursor, (0, 3), false, 1.0);
        assert_eq!(cursor, 3);
        assert!(!playback.playing, "the end stops playback");
    }

    #[test]
    fn a_playhead_moved_by_hand_restarts_the_real_time_clock_there() {
        let events = stream(&[0, 10, 20, 30]);
        let mut playback = Playback {
            speed: Speed::RealTime(1.0),
            ..Playback::default()
        };
        let cursor = playback.start(0, (0, 3));
        let cursor = playback.advance(&events, cursor, (0, 3), false, 9.0);
        assert_eq!(cursor, 0);
        // The user jumps to event 2 (20 s); one more second is 21 s, not 10 s.
        let cursor = playback.advance(&events, 2, (0, 3), false, 1.0);
        assert_eq!(cursor, 2);
        let _ = cursor;
    }

    #[test]
    fn stepping_by_a_time_unit_skips_the_events_inside_it() {
        let events = stream(&[0, 30, 59, 60, 61, 200]);
        assert_eq!(step_by_time(&events, 0, 60.0, true), 3);
        assert_eq!(
            step_by_time(&events, 3, 60.0, true),
            4,
            "61 s is within the minute"
        );
        assert_eq!(
            step_by_time(&events, 4, 60.0, true),
            5,
            "an empty minute still moves one event"
        );
        assert_eq!(step_by_time(&events, 5, 60.0, true), 5);
        assert_eq!(
            step_by_time(&events, 4, 60.0, false),
            1,
            "back to 1 s: 30 s"
        );
        assert_eq!(step_by_time(&events, 0, 60.0, false), 0);
    }
}
