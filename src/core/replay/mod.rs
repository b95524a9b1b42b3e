//! Replayed state: what a stream's aggregate looks like after any prefix of its events.
//!
//! Replay is a fold of the stream's events with a [`Reducer`]. Scrubbing through a long stream must not refold
//! from the start each time, so [`Replayer`] folds once and keeps a checkpoint (a copy of the state) every
//! `interval` events; any point is then reached by replaying at most `interval` events from the nearest
//! checkpoint. The reducer is a trait so other reducers (jq programs, store snapshots) can plug in later.

pub mod diff;
pub mod jq;
pub mod patch;
pub mod query;
pub mod reducers;
pub mod series;
pub mod snapshots;
pub mod walk;

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use serde_json::{Map, Value};

use crate::core::decode::codec::Decoder;
use crate::core::model::{Event, Payload};
use crate::core::replay::jq::Limit;
use crate::core::store::StoredPayload;

mod checkpoints;
pub use checkpoints::CheckpointBuilder;

/// How often (in events) [`Replayer::build`] reports progress.
const PROGRESS_EVERY: usize = 256;

/// The smallest interval [`Replayer::interval_for`] picks: replaying this many events is too cheap to be worth a
/// checkpoint.
const MIN_INTERVAL: usize = 16;

/// Why a replay did not produce a state.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    /// A reducer failed on an event. `version` is the event's version, or its 1-based ordinal in the stream when
    /// the event has none.
    #[error("reducer failed on stream {stream} at version {version}, type {event_type}: {message}")]
    Reducer {
        stream: String,
        version: i64,
        event_type: String,
        message: String,
        /// The jq budget limit the reducer went past, when that is why it failed.
        limit: Option<Limit>,
    },
    /// A state after more events than the stream has was asked for.
    #[error("version {requested} is out of range: the stream has {len} events")]
    OutOfRange { requested: usize, len: usize },
    /// The progress callback asked to stop, or the reducer was stopped by its cancel flag (see
    /// [`Reducer::stopped_by`]) in the middle of an event.
    #[error("replay cancelled")]
    Cancelled,
}

impl ReplayError {
    /// The jq budget limit a reducer went past, if that is why the replay failed: whoever shows the error
    /// says how to raise it there (a flag on the command line, a setting in the window).
    pub fn limit(&self) -> Option<Limit> {
        match self {
            Self::Reducer { limit, .. } => *limit,
            Self::OutOfRange { .. } | Self::Cancelled => None,
        }
    }
}

/// Why a reducer could not apply an event.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ReducerError {
    pub message: String,
    /// The jq budget limit it went past, when that is why ([`Limit::Cancelled`]: it was stopped).
    pub limit: Option<Limit>,
}

impl From<String> for ReducerError {
    fn from(message: String) -> Self {
        Self {
            message,
            limit: None,
        }
    }
}

/// Turns a stream's events into state, one event at a time.
pub trait Reducer: Send + Sync {
    /// State before the stream's first event; `stream_type` is the aggregate type/category if known.
    fn initial(&self, stream_type: Option<&str>) -> Value;

    /// Whether [`Self::initial`] depends on the stream's type: when not, a replay need not look it up.
    fn uses_stream_type(&self) -> bool {
        true
    }

    /// State after `event`, given the state before it. Events whose data is [`Payload::Raw`] (undecodable) are
    /// passed too; the default reducer leaves state unchanged for them.
    fn apply(&self, state: Value, event: &Event) -> Result<Value, ReducerError>;

    /// [`Self::apply`] to an event the caller drops next, whose payload it may take.
    fn apply_taking(&self, state: Value, event: &mut Event) -> Result<Value, ReducerError> {
        self.apply(state, event)
    }

    /// The same reducer, its evaluations stopped in the middle of an event (with [`Limit::Cancelled`]) once
    /// `cancel` is set: for work a newer request may supersede. `None` when there is nothing to stop (every
    /// event applies at once), so this reducer serves as it is.
    fn stopped_by(&self, cancel: &Arc<AtomicBool>) -> Option<Arc<dyn Reducer>> {
        let _ = cancel;
        None
    }

    /// A [`RowFold`] of this reducer from `state`, for payloads `decoder` decodes: `None` unless, row after
    /// row, it gives exactly the states [`Self::fold`] gives event after event (it reads nothing of an event
    /// but its type, position, version and payload, and `decoder` only parses JSON text).
    fn row_fold<'r>(&'r self, state: Value, decoder: &'r Decoder) -> Option<Box<dyn RowFold + 'r>> {
        let _ = (state, decoder);
        None
    }

    /// Whether this reducer has its own rule for `event_type` (a catch-all does not count). Snapshots use
    /// it: without a rule, a snapshot replaces the state.
    fn handles(&self, event_type: &str) -> bool {
        let _ = event_type;
        false
    }

    /// Whether it may read an event's payload as stored (`Event::stored`) beside the transformed one; a
    /// replay that reads the stream for it alone may leave that out when not.
    fn reads_stored(&self) -> bool {
        true
    }

    /// Whether its fold is [`DeepMerge`]'s, whose events compose into one [`patch::Patch`]: a long stream's
    /// state may then be folded in two halves at once.
    fn merges_deeply(&self) -> bool {
        false
    }

    /// A fold of this reducer starting from `state`. Events applied to it one by one give the states
    /// [`Self::apply`] gives; a reducer that works on another form of value (jq on jaq's values) overrides this
    /// to convert the state once at the start and once when it is asked for, not at every event.
    fn fold<'r>(&'r self, state: Value) -> Box<dyn Fold + 'r> {
        Box::new(ApplyFold {
            reducer: self,
            state,
        })
    }

    /// [`Self::fold`] owning the reducer, for a fold kept beside it (the checkpoints of a stream being read).
    fn fold_owned(self: Arc<Self>, state: Value) -> Box<dyn Fold + Send>
    where
        Self: 'static,
    {
        Box::new(ApplyFold {
            reducer: self,
            state,
        })
    }
}

/// A replay in progress (see [`Reducer::fold`]): the state kept in the reducer's own form between events.
pub trait Fold {
    /// Apply one event. After an error the fold is spent: its state is unspecified.
    fn apply(&mut self, event: &Event) -> Result<(), ReducerError>;

    /// [`Self::apply`] to an event the caller has no further use for: the fold may move the payload into its
    /// state instead of copying it (the event's metadata stays, to name it in an error).
    fn apply_taking(&mut self, event: &mut Event) -> Result<(), ReducerError> {
        self.apply(event)
    }

    /// The state after the events applied so far.
    fn state(&self) -> Value;

    /// [`Self::state`], taking it out of the fold.
    fn into_state(self: Box<Self>) -> Value;

    /// The value at JSON Pointer `pointer` in the state (`None` where there is none): for a field's
    /// history, which looks at one field after every event without converting the whole state.
    fn pointer(&self, pointer: &str) -> Option<Value> {
        self.state().pointer(pointer).cloned()
    }
}

/// A fold fed a stream's rows as [`PayloadReader::each`](crate::core::store::PayloadReader::each) reads them
/// (type, cursor and payload as stored), no event made: see [`Reducer::row_fold`].
pub trait RowFold {
    /// Apply the event of `row`. After an error the fold is spent: its state is unspecified.
    fn apply_row(&mut self, row: &StoredPayload<'_>) -> Result<(), ReducerError>;

    /// The state after the rows applied so far, taken out of the fold.
    fn into_state(self: Box<Self>) -> Value;
}

/// The fold of a reducer that works on JSON values: [`Reducer::apply`] event by event. `P` is how the
/// reducer is held (borrowed or shared).
struct ApplyFold<P> {
    reducer: P,
    state: Value,
}

impl<P: std::ops::Deref<Target: Reducer>> Fold for ApplyFold<P> {
    fn apply(&mut self, event: &Event) -> Result<(), ReducerError> {
        let state = std::mem::take(&mut self.state);
        self.state = self.reducer.apply(state, event)?;
        Ok(())
    }

    fn apply_taking(&mut self, event: &mut Event) -> Result<(), ReducerError> {
        let state = std::mem::take(&mut self.state);
        self.state = self.reducer.apply_taking(state, event)?;
        Ok(())
    }

    fn state(&self) -> Value {
        self.state.clone()
    }

    fn into_state(self: Box<Self>) -> Value {
        self.state
    }

    fn pointer(&self, pointer: &str) -> Option<Value> {
        self.state.pointer(pointer).cloned()
    }
}

/// The default reducer: the state starts as `{}` and each event's data object is deep-merged into it (see
/// [`deep_merge`]).
///
/// Event data that is JSON but not an object (a bare string, number, array, `null`) is ignored, as is
/// undecodable ([`Payload::Raw`]) data: the state is left unchanged for such events. Metadata is never merged.
#[derive(Clone, Copy, Debug, Default)]
pub struct DeepMerge;

impl Reducer for DeepMerge {
    fn initial(&self, _stream_type: Option<&str>) -> Value {
        Value::Object(Map::new())
    }

    fn uses_stream_type(&self) -> bool {
        false
    }

    fn reads_stored(&self) -> bool {
        false
    }

    fn merges_deeply(&self) -> bool {
        true
    }

    fn apply(&self, mut state: Value, event: &Event) -> Result<Value, ReducerError> {
        if let Payload::Json(data @ Value::Object(_)) = &event.data {
            deep_merge(&mut state, data);
        }
        Ok(state)
    }

    fn apply_taking(&self, mut state: Value, event: &mut Event) -> Result<Value, ReducerError> {
        if matches!(event.data, Payload::Json(Value::Object(_)))
            && let Payload::Json(data) =
                std::mem::replace(&mut event.data, Payload::Json(Value::Null))
        {
            deep_merge_owned(&mut state, data);
        }
        Ok(state)
    }
}

/// Merges `patch` into `target`.
///
/// When both are objects they merge key by key, recursively: keys only in `target` are kept, keys only in
/// `patch` are added, keys in both are merged the same way. Otherwise `patch` replaces `target` whole: arrays
/// are replaced (not concatenated), scalars are replaced, and `null` is written as `null` (it does not delete
/// the key, unlike RFC 7386 merge patch).
pub fn deep_merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(into), Value::Object(from)) => {
            for (key, value) in from {
                match into.get_mut(key) {
                    Some(existing) => deep_merge(existing, value),
                    None => {
                        into.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

/// [`deep_merge`] moving `patch`'s values into `target` instead of copying them.
pub fn deep_merge_owned(target: &mut Value, patch: Value) {
    match (target, patch) {
        (Value::Object(into), Value::Object(from)) => {
            for (key, value) in from {
                match into.get_mut(&key) {
                    Some(existing) => deep_merge_owned(existing, value),
                    None => {
                        into.insert(key, value);
                    }
                }
            }
        }
        (target, patch) => *target = patch,
    }
}

/// Replays one stream with checkpoints, so the state after any number of events is reached by replaying at
/// most [`interval`](Self::interval) events.
///
/// Cloning is cheap (the checkpoints are shared), and the type is `Send + Sync` so a background thread can build
/// it and the UI can query it.
#[derive(Clone)]
pub struct Replayer {
    reducer: Arc<dyn Reducer>,
    /// The state after 0, `interval`, `2 * interval`, ... events (up to `len`).
    checkpoints: Arc<[Value]>,
    interval: usize,
    len: usize,
    /// What the checkpoints weigh, estimated.
    held_bytes: usize,
}

impl fmt::Debug for Replayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Replayer")
            .field("len", &self.len)
            .field("interval", &self.interval)
            .field("checkpoints", &self.checkpoints.len())
            .finish_non_exhaustive()
    }
}

impl Replayer {
    /// Replays all `events` once, in the given order, keeping a checkpoint every `interval` events (checkpoint 0
    /// is the initial state). An `interval` of 0 is treated as 1.
    ///
    /// `progress` is called with `(done, total)` every few hundred events and once at the end (`(total,
    /// total)`, also for an empty stream); returning `false` stops the replay with [`ReplayError::Cancelled`].
    /// A reducer failure stops it with [`ReplayError::Reducer`].
    pub fn build(
        reducer: Arc<dyn Reducer>,
        stream_type: Option<&str>,
        events: &[Event],
        interval: usize,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<Self, ReplayError> {
        let builder = CheckpointBuilder::with_interval(reducer, stream_type, interval, usize::MAX);
        fold_all(builder, events, progress)
    }

    /// [`Self::build`] with checkpoints that hold at most `budget_bytes` (see [`CheckpointBuilder`]): the
    /// interval follows from the size the states reach, not from the stream's length.
    pub fn build_within(
        reducer: Arc<dyn Reducer>,
        stream_type: Option<&str>,
        events: &[Event],
        budget_bytes: usize,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<Self, ReplayError> {
        fold_all(
            CheckpointBuilder::new(reducer, stream_type, budget_bytes),
            events,
            progress,
        )
    }

    /// The same checkpoints, answering later questions with `reducer`, which must compute what the one they
    /// were built with did: the reducer a worker built them with, less its job's cancel flag (see
    /// [`Reducer::stopped_by`]), so a finished job's flag never reaches the view.
    #[must_use]
    pub fn with_reducer(self, reducer: Arc<dyn Reducer>) -> Self {
        Self { reducer, ..self }
    }

    /// Picks a checkpoint interval for a stream of `len` events from a budget of `max_checkpoints`: the smallest
    /// interval for which [`checkpoint_count`](Self::checkpoint_count) stays within the budget (that is
    /// `len / max_checkpoints + 1`), but never below 16, since replaying that few events costs less than keeping
    /// the copies. A budget of 0 is treated as 1.
    pub fn interval_for(len: usize, max_checkpoints: usize) -> usize {
        (len / max_checkpoints.max(1) + 1).max(MIN_INTERVAL)
    }

    /// State after the first `count` events: 0 gives the initial state, [`len`](Self::len) the final state.
    ///
    /// Starts from the nearest checkpoint at or before `count` and replays at most `interval` events. `events`
    /// must be the slice given to [`build`](Self::build); a `count` beyond either gives
    /// [`ReplayError::OutOfRange`].
    pub fn state_after(&self, events: &[Event], count: usize) -> Result<Value, ReplayError> {
        let (start, checkpoint) = self.checkpoint_before(count)?;
        let Some(pending) = events.get(start..count) else {
            return Err(ReplayError::OutOfRange {
                requested: count,
                len: events.len().min(self.len),
            });
        };
        self.replay_from(checkpoint.clone(), start, pending)
    }

    /// The checkpoint the state after `count` events is replayed from: how many events it is after, and
    /// its state. At most [`interval`](Self::interval) events separate it from `count`.
    pub fn checkpoint_before(&self, count: usize) -> Result<(usize, &Value), ReplayError> {
        let out_of_range = ReplayError::OutOfRange {
            requested: count,
            len: self.len,
        };
        if count > self.len {
            return Err(out_of_range);
        }
        let slot = count / self.interval;
        let checkpoint = self.checkpoints.get(slot).ok_or(out_of_range)?;
        Ok((slot * self.interval, checkpoint))
    }

    /// The state after `start + events.len()` events, given `state`, the state after the first `start`:
    /// `events` are the stream's events from `start` on (read from a page cache when the stream is not in
    /// memory).
    pub fn replay_from(
        &self,
        state: Value,
        start: usize,
        events: &[Event],
    ) -> Result<Value, ReplayError> {
        let mut fold = self.reducer.fold(state);
        for (offset, event) in events.iter().enumerate() {
            fold_event(fold.as_mut(), event, start + offset)?;
        }
        Ok(fold.into_state())
    }

    /// About how many bytes the checkpoints hold (see [`crate::core::model::value_heap_bytes`]).
    pub fn checkpoint_bytes(&self) -> usize {
        self.held_bytes
    }

    /// Number of events replayed.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the stream had no events.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Events between checkpoints.
    pub fn interval(&self) -> usize {
        self.interval
    }

    /// Number of stored states, the initial one included: `len / interval + 1`.
    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.len()
    }
}

/// Fold every event of `events` into `builder`, reporting `progress` as [`Replayer::build`] says.
fn fold_all(
    mut builder: CheckpointBuilder,
    events: &[Event],
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Replayer, ReplayError> {
    let total = events.len();
    for event in events {
        builder.push(event)?;
        let done = builder.len();
        if done.is_multiple_of(PROGRESS_EVERY) && done != total && !progress(done, total) {
            return Err(ReplayError::Cancelled);
        }
    }
    if !progress(total, total) {
        return Err(ReplayError::Cancelled);
    }
    Ok(builder.finish())
}

/// Plain fold without checkpoints: the state after all `events`. The reference the checkpointed replay is
/// tested against, and what the CLI's `state` command uses.
pub fn replay(
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    events: &[Event],
) -> Result<Value, ReplayError> {
    let mut fold = reducer.fold(reducer.initial(stream_type));
    for (index, event) in events.iter().enumerate() {
        fold_event(fold.as_mut(), event, index)?;
    }
    Ok(fold.into_state())
}

/// Applies one event, naming it in the error: by version, or by its 1-based ordinal (`index + 1`) when it has
/// none. A reducer stopped by its cancel flag is [`ReplayError::Cancelled`], never an error of the event.
pub fn apply_event(
    reducer: &dyn Reducer,
    state: Value,
    event: &Event,
    index: usize,
) -> Result<Value, ReplayError> {
    reducer
        .apply(state, event)
        .map_err(|error| event_failed(error, event, index))
}

/// [`apply_event`] for a [`Fold`].
pub fn fold_event(fold: &mut dyn Fold, event: &Event, index: usize) -> Result<(), ReplayError> {
    fold.apply(event)
        .map_err(|error| event_failed(error, event, index))
}

/// [`fold_event`] with [`Fold::apply_taking`]: for a caller that drops the event next.
pub fn fold_event_taking(
    fold: &mut dyn Fold,
    event: &mut Event,
    index: usize,
) -> Result<(), ReplayError> {
    fold.apply_taking(event)
        .map_err(|error| event_failed(error, event, index))
}

/// A reducer's failure on the event at `index`, as a replay reports it.
pub(crate) fn event_failed(error: ReducerError, event: &Event, index: usize) -> ReplayError {
    match error.limit {
        Some(Limit::Cancelled) => ReplayError::Cancelled,
        limit => ReplayError::Reducer {
            stream: event.stream.clone(),
            version: event
                .version
                .unwrap_or_else(|| i64::try_from(index + 1).unwrap_or(i64::MAX)),
            event_type: event.event_type.clone(),
            message: error.message,
            limit,
        },
    }
}

#[cfg(test)]
mod tests;
