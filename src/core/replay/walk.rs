//! Folding a stream as it is read. The CLI's `state`, `diff` and `history` answer for streams of any length
//! in bounded memory: events arrive a page at a time ([`Store::read_stream`]), each is applied and dropped,
//! and only the states asked for are kept. "At version N" means what [`count_through_version`] says for a
//! loaded stream, so the answers are the ones the GUI gives.
//!
//! [`count_through_version`]: crate::core::model::count_through_version

mod halves;
mod rows;

use std::iter::Peekable;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::core::model::{Event, effective_version};
use crate::core::replay::query::FieldChange;
use crate::core::replay::snapshots::{apply_snapshot, snapshot_event};
use crate::core::replay::{Reducer, ReplayError, fold_event_taking};
use crate::core::store::{Snapshot, Store, StoreError, StreamEvents};

/// Why a fold gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Replay(#[from] ReplayError),
    #[error("stream {stream} has no version {version} (its versions run from {first} to {last})")]
    NoVersion {
        stream: String,
        version: i64,
        first: i64,
        last: i64,
    },
    #[error("stream {stream} has no events")]
    NoEvents { stream: String },
}

/// How far into a stream a fold goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upto {
    /// Every event.
    End,
    /// The events at or before a version, as [`count_through_version`] counts them: for version 0 the leading
    /// events stored with version 0, else the events up to the first one past the version.
    ///
    /// [`count_through_version`]: crate::core::model::count_through_version
    Version(i64),
    /// The first `n` events.
    Count(usize),
}

impl Upto {
    /// Whether the event at `index` (0-based, in stream order) is within, given every earlier one was.
    fn includes(self, event: &Event, index: usize) -> bool {
        match self {
            Self::End => true,
            Self::Version(0) => event.version == Some(0),
            Self::Version(version) => effective_version(event, index) <= version,
            Self::Count(n) => index < n,
        }
    }

    /// Orders bounds by how far they reach (a larger version reaches at least as far).
    fn reach(self) -> (u8, i64) {
        match self {
            Self::Version(version) => (0, version),
            Self::Count(n) => (1, i64::try_from(n).unwrap_or(i64::MAX)),
            Self::End => (2, 0),
        }
    }
}

/// A stream being read once from its start; see the module doc.
pub struct Walk<'s> {
    stream: String,
    events: Peekable<StreamEvents<'s>>,
    /// Index of the next event.
    index: usize,
    first: Option<i64>,
    last: Option<i64>,
}

impl<'s> Walk<'s> {
    /// A walk for folding with `reducer`: events come without their payload as stored when it never reads
    /// that (see [`Reducer::reads_stored`]).
    pub fn for_reducer(store: &'s Store, stream: &str, reducer: &dyn Reducer) -> Self {
        let events = store.read_stream(stream);
        if reducer.reads_stored() {
            Self::of(events, stream)
        } else {
            Self::of(events.without_stored(), stream)
        }
    }

    fn of(events: StreamEvents<'s>, stream: &str) -> Self {
        Self {
            stream: stream.to_owned(),
            events: events.peekable(),
            index: 0,
            first: None,
            last: None,
        }
    }

    /// The next event and its index, if `upto` includes it.
    pub fn next_within(&mut self, upto: Upto) -> Result<Option<(usize, Event)>, WalkError> {
        let index = self.index;
        let next = self
            .events
            .next_if(|next| next.as_ref().map_or(true, |e| upto.includes(e, index)));
        match next {
            None => Ok(None),
            Some(Err(err)) => Err(err.into()),
            Some(Ok(event)) => {
                self.seen(&event);
                Ok(Some((index, event)))
            }
        }
    }

    fn seen(&mut self, event: &Event) {
        let version = effective_version(event, self.index);
        self.first.get_or_insert(version);
        self.last = Some(version);
        self.index += 1;
    }

    /// Whether the event last returned was the last one `upto` includes.
    pub fn ends(&mut self, upto: Upto) -> bool {
        let index = self.index;
        match self.events.peek() {
            None => true,
            Some(Err(_)) => false,
            Some(Ok(next)) => !upto.includes(next, index),
        }
    }

    /// Once the events within `upto` are read: fails when `upto` names a version the stream does not have
    /// (below zero, or past its last event), reading the rest of the stream to say what it does have.
    pub fn check(&mut self, upto: Upto) -> Result<(), WalkError> {
        let Upto::Version(version) = upto else {
            return Ok(());
        };
        let missing = match version {
            0 => false,
            v if v < 0 => true,
            // The stream goes on past the version: it has it.
            v => self.events.peek().is_none() && self.last.is_none_or(|last| v > last),
        };
        if !missing {
            return Ok(());
        }
        while let Some(event) = self.events.next() {
            let event = event?;
            self.seen(&event);
        }
        match (self.first, self.last) {
            (Some(first), Some(last)) => Err(WalkError::NoVersion {
                stream: self.stream.clone(),
                version,
                first,
                last,
            }),
            _ => Err(WalkError::NoEvents {
                stream: self.stream.clone(),
            }),
        }
    }
}

/// The state after the events within `upto`.
pub fn state_upto(
    store: &Store,
    stream: &str,
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    upto: Upto,
) -> Result<Value, WalkError> {
    state_upto_with(store, stream, reducer, stream_type, upto, &mut || {})
}

/// [`state_upto`], calling `progress` once per event folded (a command line's bar).
pub fn state_upto_with(
    store: &Store,
    stream: &str,
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    upto: Upto,
    progress: &mut dyn FnMut(),
) -> Result<Value, WalkError> {
    if upto == Upto::End
        && reducer.merges_deeply()
        && let Some(state) =
            halves::deep_merge_in_halves(store, stream, reducer, stream_type, progress)?
    {
        return Ok(state);
    }
    if upto == Upto::End
        && let Some(state) = rows::state_from_rows(store, stream, reducer, stream_type, progress)?
    {
        return Ok(state);
    }
    let mut walk = Walk::for_reducer(store, stream, reducer);
    let mut fold = reducer.fold(reducer.initial(stream_type));
    while let Some((index, mut event)) = walk.next_within(upto)? {
        fold_event_taking(fold.as_mut(), &mut event, index)?;
        progress();
    }
    walk.check(upto)?;
    Ok(fold.into_state())
}

/// How many events to replay for "the state at `instant`" (see [`crate::core::replay::query::count_at_time`]):
/// reads the whole stream, keeping nothing but the count.
pub fn count_at_time(
    store: &Store,
    stream: &str,
    instant: DateTime<Utc>,
) -> Result<usize, WalkError> {
    let mut count = 0;
    for (index, event) in store.read_stream(stream).enumerate() {
        if event?.time.is_some_and(|t| t <= instant) {
            count = index + 1;
        }
    }
    Ok(count)
}

/// The states a diff compares: after the events within `from` and within `to`, or, without `from`, before
/// and after the last event within `to`. One read of the stream.
pub fn diff_states(
    store: &Store,
    stream: &str,
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    from: Option<Upto>,
    to: Upto,
) -> Result<(Value, Value), WalkError> {
    diff_states_with(store, stream, reducer, stream_type, (from, to), &mut || {})
}

/// [`diff_states`], calling `progress` once per event folded (a command line's bar).
pub fn diff_states_with(
    store: &Store,
    stream: &str,
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    (from, to): (Option<Upto>, Upto),
    progress: &mut dyn FnMut(),
) -> Result<(Value, Value), WalkError> {
    let mut walk = Walk::for_reducer(store, stream, reducer);
    let mut fold = reducer.fold(reducer.initial(stream_type));
    let Some(from) = from else {
        let mut before = None;
        while let Some((index, mut event)) = walk.next_within(to)? {
            if walk.ends(to) {
                before = Some(fold.state());
            }
            fold_event_taking(fold.as_mut(), &mut event, index)?;
            progress();
        }
        walk.check(to)?;
        let state = fold.into_state();
        return Ok((before.unwrap_or_else(|| state.clone()), state));
    };
    let swapped = from.reach() > to.reach();
    let (near, far) = if swapped { (to, from) } else { (from, to) };
    while let Some((index, mut event)) = walk.next_within(near)? {
        fold_event_taking(fold.as_mut(), &mut event, index)?;
        progress();
    }
    walk.check(near)?;
    let at_near = fold.state();
    while let Some((index, mut event)) = walk.next_within(far)? {
        fold_event_taking(fold.as_mut(), &mut event, index)?;
        progress();
    }
    walk.check(far)?;
    let state = fold.into_state();
    Ok(if swapped {
        (state, at_near)
    } else {
        (at_near, state)
    })
}

/// The state after the events within `upto`, starting from the newest of `snapshots` at or before that
/// point (see [`crate::core::replay::snapshots::state_from_snapshot`]), and the snapshot version used. Reads the
/// stream twice: once for where `upto` ends, once to apply the events after the snapshot.
pub fn state_from_snapshot_upto(
    store: &Store,
    stream: &str,
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    snapshots: &[Snapshot],
    upto: Upto,
) -> Result<(Value, Option<i64>), WalkError> {
    let mut walk = Walk::for_reducer(store, stream, reducer);
    while walk.next_within(upto)?.is_some() {}
    walk.check(upto)?;
    let (count, target) = (walk.index, walk.last);
    let snapshot = target.and_then(|v| {
        snapshots
            .iter()
            .filter(|s| s.version <= v)
            .max_by_key(|s| s.version)
    });
    let Some(snapshot) = snapshot else {
        return Ok((
            state_upto(store, stream, reducer, stream_type, Upto::Count(count))?,
            None,
        ));
    };
    let state = apply_snapshot(
        reducer,
        reducer.initial(stream_type),
        &snapshot_event(stream, snapshot),
    )?;
    let mut fold = reducer.fold(state);
    let mut walk = Walk::for_reducer(store, stream, reducer);
    let mut past_snapshot = false;
    while let Some((index, mut event)) = walk.next_within(Upto::Count(count))? {
        past_snapshot = past_snapshot || effective_version(&event, index) > snapshot.version;
        if past_snapshot {
            fold_event_taking(fold.as_mut(), &mut event, index)?;
        }
    }
    Ok((fold.into_state(), Some(snapshot.version)))
}

/// Every event that changed the value at JSON Pointer `path`, handed to `on_change` as the stream is read
/// (see [`crate::core::replay::query::field_history`]).
pub fn each_field_change<E: From<WalkError>>(
    store: &Store,
    stream: &str,
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    path: &str,
    on_change: &mut dyn FnMut(FieldChange) -> Result<(), E>,
) -> Result<(), E> {
    let mut walk = Walk::for_reducer(store, stream, reducer);
    let mut fold = reducer.fold(reducer.initial(stream_type));
    let mut old = fold.pointer(path);
    while let Some((index, mut event)) = walk.next_within(Upto::End)? {
        fold_event_taking(fold.as_mut(), &mut event, index).map_err(WalkError::from)?;
        let new = fold.pointer(path);
        if old != new {
            on_change(FieldChange {
                index,
                version: effective_version(&event, index),
                position: event.position,
                event_type: event.event_type,
                time: event.time,
                old: std::mem::replace(&mut old, new.clone()),
                new,
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::count_through_version;
    use crate::core::replay::query::field_history;
    use crate::core::replay::snapshots::state_from_snapshot;
    use crate::core::replay::{DeepMerge, replay};
    use crate::core::testing::sample as open;

    /// The answer for a loaded stream, which the walk must reproduce.
    fn loaded_state(events: &[Event], version: Option<i64>) -> Option<Value> {
        let count = match version {
            Some(v) => count_through_version(events, v)?,
            None => events.len(),
        };
        Some(replay(&DeepMerge, None, &events[..count]).expect("replay"))
    }

    const ORDER: &str = "c3ba9975-1aa5-4e32-93c7-7b341e5d1c37";

    #[test]
    fn states_match_the_loaded_stream_at_every_version() {
        let store = open("shop.sqlite");
        let events = store.events(ORDER).expect("events");
        assert_eq!(events.len(), 200);
        for version in [-1, 0, 1, 2, 57, 199, 200, 201, 10_000] {
            let walked = state_upto(&store, ORDER, &DeepMerge, None, Upto::Version(version));
            match loaded_state(&events, Some(version)) {
                Some(expected) => assert_eq!(walked.expect("state"), expected, "{version}"),
                None => assert!(
                    matches!(
                        walked,
                        Err(WalkError::NoVersion {
                            first: 1,
                            last: 200,
                            ..
                        })
                    ),
                    "{version}: {walked:?}"
                ),
            }
        }
        assert_eq!(
            state_upto(&store, ORDER, &DeepMerge, None, Upto::End).expect("state"),
            loaded_state(&events, None).expect("state")
        );
    }

    #[test]
    fn pages_join_into_the_whole_stream() {
        let store = open("shop.sqlite");
        let events = store.events(ORDER).expect("events");
        for page_size in [1, 7, 199, 200, 201] {
            let read: Vec<Event> = store
                .read_stream_paged(ORDER, page_size)
                .collect::<Result<_, _>>()
                .expect("read");
            assert_eq!(read, events, "{page_size}");
        }
    }

    #[test]
    fn diffs_compare_the_same_states_as_the_loaded_stream() {
        let store = open("shop.sqlite");
        let events = store.events(ORDER).expect("events");
        let at = |v: i64| loaded_state(&events, Some(v)).expect("state");
        for (from, to) in [
            (Some(3), 9),
            (Some(9), 3),
            (Some(5), 5),
            (None, 1),
            (None, 200),
        ] {
            let (a, b) = diff_states(
                &store,
                ORDER,
                &DeepMerge,
                None,
                from.map(Upto::Version),
                Upto::Version(to),
            )
            .expect("diff");
            assert_eq!(b, at(to), "{from:?} {to}");
            assert_eq!(a, at(from.unwrap_or(to - 1)), "{from:?} {to}");
        }
        let (a, b) = diff_states(&store, ORDER, &DeepMerge, None, None, Upto::End).expect("diff");
        assert_eq!((a, b), (at(199), at(200)));
        assert!(
            diff_states(
                &store,
                ORDER,
                &DeepMerge,
                None,
                Some(Upto::Version(300)),
                Upto::End
            )
            .is_err()
        );
    }

    #[test]
    fn field_changes_and_snapshot_states_match_the_loaded_stream() {
        let store = open("eventsourcing-bank.sqlite");
        let stream = "9e6f0814-1490-5e31-a7fb-07b2bdd25b03";
        let events = store.events(stream).expect("events");
        let snapshots = store.snapshots(stream).expect("snapshots");
        assert!(!snapshots.is_empty());
        for version in [1, 5, events.len() as i64] {
            let count = count_through_version(&events, version).expect("version");
            let expected =
                state_from_snapshot(&DeepMerge, None, stream, &events, &snapshots, count)
                    .expect("state");
            let walked = state_from_snapshot_upto(
                &store,
                stream,
                &DeepMerge,
                None,
                &snapshots,
                Upto::Version(version),
            )
            .expect("state");
            assert_eq!(walked, expected, "{version}");
        }
        let expected = field_history(&DeepMerge, None, &events, "/amount").expect("history");
        let mut walked = Vec::new();
        each_field_change::<WalkError>(&store, stream, &DeepMerge, None, "/amount", &mut |c| {
            walked.push(c);
            Ok(())
        })
        .expect("history");
        assert!(!expected.is_empty());
        assert_eq!(walked, expected);
    }
}
