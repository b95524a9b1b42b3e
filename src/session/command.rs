//! Every way a session can change, as one documented enum: panels and the app push [`Command`]s, and
//! [`super::Session::apply`] is the one place they take effect, so what a command may touch is read in one
//! match.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::audit;
use super::playback::{AxisUnit, Speed};
use crate::core::explore::overview::StackBy;

/// Every way the session can change.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Select a stream by id and load it.
    SelectStream(String),
    /// Show only streams whose id or type contains this text (case-insensitive).
    SetStreamFilter(String),
    /// Sort the streams list by a column; the same column again flips the direction.
    SortStreams(StreamSort),
    /// Put the playhead on the event at this index (clamped to the stream).
    JumpTo(usize),
    /// Move the playhead by this many events (clamped).
    Step(i64),
    /// Playhead on the last event at or before this version (waits for the stream to load).
    GoToVersion(i64),
    /// Playhead on the first event.
    First,
    /// Playhead on the last event.
    Last,
    /// Show this message in the error banner: something the app failed to do for this session (read a
    /// reducers file, start a reader thread for a reopened store).
    ShowError(String),
    /// Hide the error banner.
    DismissError,
    /// Keep the playhead on the newest event as other connections append to the selected stream.
    SetFollow(bool),
    /// Replay with this reducer file text (jq by event type); `None` for the default deep merge. A reducer
    /// that does not compile or fails on an event leaves the last good replay on screen with the error.
    SetReducers(Option<String>),
    /// The reducer text `text` is what the file `path` holds (it was loaded from or saved there): while it
    /// is the text in force, a copied command names that file (see [`super::command_line`]).
    ReducersFile {
        path: PathBuf,
        text: String,
    },
    /// The budget of every jq evaluation (one event) of the reducers and the search: steps and
    /// milliseconds. The reducers in force replay again under it.
    SetJqBudget {
        steps: u64,
        timeout_ms: u64,
    },
    /// Playhead on the last event at or before this instant.
    GoToTime(DateTime<Utc>),
    /// Mark the current event as point A (or B) of a two-point diff.
    MarkA,
    MarkB,
    ClearMarks,
    /// List every event that changed the field at this JSON Pointer.
    ShowHistory(String),
    CloseHistory,
    /// Chart the number at this JSON Pointer after every event (with the fields already charted).
    ChartField(String),
    /// Take this field off the chart (closing it with the last).
    UnchartField(String),
    CloseChart,
    /// Replay from the store's newest snapshot at or before the playhead instead of from zero.
    SetFromSnapshot(bool),
    /// Play or pause (Space).
    TogglePlay,
    SetSpeed(Speed),
    /// Loop between marks A and B while playing.
    SetLoop(bool),
    /// Wall-clock time has passed while playing: move the playhead accordingly.
    AdvancePlayback(f64),
    /// Move the playhead by one unit of the timeline's axis (Shift+Left/Right).
    StepAxis {
        unit: AxisUnit,
        forward: bool,
    },
    /// Aggregate the store's activity over time, stacked by stream type or event type.
    ShowOverview(StackBy),
    /// Brush a period of the overview (or clear it): list the streams active in it.
    Brush(Option<(DateTime<Utc>, DateTime<Utc>)>),
    /// Show every event sharing this correlation id, across all streams.
    ShowCorrelation(String),
    CloseCorrelation,
    /// Open a stream with the playhead on the event at this global position.
    GoToPosition {
        stream: String,
        position: i64,
    },
    /// Select a stream and put the playhead on a version (a search hit, a finding).
    OpenAt {
        stream: String,
        version: i64,
    },
    /// Verify, search, export or report (see [`audit`]).
    Audit(audit::AuditCommand),
}

/// Columns the streams list sorts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StreamSort {
    Id,
    Type,
    Events,
    LastActivity,
}
