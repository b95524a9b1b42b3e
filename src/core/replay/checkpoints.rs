//! Checkpoints kept within a byte budget, built as a stream is read: the states a [`Replayer`] replays from,
//! thinned (every other one dropped, the interval doubled) whenever they weigh more than the budget.

use std::sync::Arc;

use serde_json::Value;

use super::{Fold, MIN_INTERVAL, Reducer, ReplayError, Replayer, fold_event};
use crate::core::model::{Event, value_heap_bytes};

/// Checkpoints folded one event at a time as a stream is read, held within a byte budget: whenever they
/// weigh more than it, every other one is dropped and the interval doubles, so a stream of any length keeps
/// at most `budget_bytes` of states (the initial state is always kept) and the interval follows from the
/// size its states actually reach.
pub struct CheckpointBuilder {
    reducer: Arc<dyn Reducer>,
    /// The state after every event folded so far, in the reducer's own form.
    fold: Box<dyn Fold + Send>,
    checkpoints: Vec<Value>,
    /// What each checkpoint weighs, estimated.
    sizes: Vec<usize>,
    held_bytes: usize,
    budget_bytes: usize,
    interval: usize,
    len: usize,
}

impl CheckpointBuilder {
    /// A fold starting from the reducer's initial state, with checkpoints every 16 events at first, within
    /// `budget_bytes`.
    pub fn new(reducer: Arc<dyn Reducer>, stream_type: Option<&str>, budget_bytes: usize) -> Self {
        Self::with_interval(reducer, stream_type, MIN_INTERVAL, budget_bytes)
    }

    /// [`Self::new`] starting at `interval` (0 is treated as 1).
    pub fn with_interval(
        reducer: Arc<dyn Reducer>,
        stream_type: Option<&str>,
        interval: usize,
        budget_bytes: usize,
    ) -> Self {
        let fold = Arc::clone(&reducer).fold_owned(reducer.initial(stream_type));
        let mut builder = Self {
            reducer,
            fold,
            checkpoints: Vec::new(),
            sizes: Vec::new(),
            held_bytes: 0,
            budget_bytes,
            interval: interval.max(1),
            len: 0,
        };
        builder.keep();
        builder
    }

    /// A builder going on from `replayer`'s checkpoints, `state` being the state after all its events, for
    /// events appended to the stream since: they are folded in without reading the stream again.
    /// `reducer` must compute what `replayer`'s did.
    pub fn resume(
        replayer: &Replayer,
        reducer: Arc<dyn Reducer>,
        state: Value,
        budget_bytes: usize,
    ) -> Self {
        let checkpoints = replayer.checkpoints.to_vec();
        let sizes: Vec<usize> = checkpoints
            .iter()
            .map(|c| std::mem::size_of::<Value>() + value_heap_bytes(c))
            .collect();
        Self {
            fold: Arc::clone(&reducer).fold_owned(state),
            reducer,
            held_bytes: sizes.iter().sum(),
            checkpoints,
            sizes,
            budget_bytes,
            interval: replayer.interval,
            len: replayer.len,
        }
    }

    /// Fold the stream's next event in. A reducer failure names the event.
    pub fn push(&mut self, event: &Event) -> Result<(), ReplayError> {
        fold_event(self.fold.as_mut(), event, self.len)?;
        self.len += 1;
        if self.len.is_multiple_of(self.interval) {
            self.keep();
        }
        Ok(())
    }

    /// Events folded so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no event was folded yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The state after every event folded so far.
    pub fn state(&self) -> Value {
        self.fold.state()
    }

    /// The checkpoints built, to answer states at any count up to [`len`](Self::len).
    pub fn finish(self) -> Replayer {
        Replayer {
            reducer: self.reducer,
            checkpoints: self.checkpoints.into(),
            interval: self.interval,
            len: self.len,
            held_bytes: self.held_bytes,
        }
    }

    /// Keep the current state as a checkpoint, then thin the checkpoints until they fit the budget.
    fn keep(&mut self) {
        let state = self.fold.state();
        let bytes = std::mem::size_of::<Value>() + value_heap_bytes(&state);
        self.checkpoints.push(state);
        self.sizes.push(bytes);
        self.held_bytes = self.held_bytes.saturating_add(bytes);
        while self.held_bytes > self.budget_bytes && self.checkpoints.len() > 1 {
            let mut slot = 0;
            self.checkpoints.retain(|_| {
                slot += 1;
                slot % 2 == 1
            });
            let mut slot = 0;
            self.sizes.retain(|_| {
                slot += 1;
                slot % 2 == 1
            });
            self.held_bytes = self.sizes.iter().sum();
            self.interval = self.interval.saturating_mul(2);
        }
    }
}
