//! The store's own snapshots, checked and used: replay from the nearest snapshot, and every snapshot that
//! disagrees with the replay from zero, with the diff (real libraries have such bugs: cqrs-es 0.5.0 applies
//! events twice when it writes snapshots).
//!
//! A snapshot enters a replay as an event of its own type whose default rule replaces the state with the
//! snapshot's state; a reducer key for that type overrides it.

use serde::Serialize;
use serde_json::Value;

use crate::core::model::{Event, Payload, effective_version};
use crate::core::replay::diff::{Change, diff};
use crate::core::replay::{Reducer, ReplayError, apply_event};
use crate::core::store::Snapshot;

/// A snapshot as an event of its own type at its version.
pub fn snapshot_event(stream: &str, snapshot: &Snapshot) -> Event {
    Event {
        stream: stream.to_owned(),
        position: -1,
        version: Some(snapshot.version),
        event_type: snapshot.snapshot_type.clone(),
        time: None,
        stored_time: None,
        data: snapshot.state.clone(),
        metadata: None,
        stored: None,
        id: None,
        correlation: None,
        causation: None,
    }
}

/// Apply a snapshot: the reducer's own rule for its type, else the snapshot's state replaces the state.
pub fn apply_snapshot(
    reducer: &dyn Reducer,
    state: Value,
    event: &Event,
) -> Result<Value, ReplayError> {
    if reducer.handles(&event.event_type) {
        return apply_event(reducer, state, event, 0);
    }
    match &event.data {
        Payload::Json(snapshot_state) => Ok(snapshot_state.clone()),
        Payload::Raw { reason, .. } => Err(ReplayError::Reducer {
            stream: event.stream.clone(),
            version: event.version.unwrap_or_default(),
            event_type: event.event_type.clone(),
            message: format!("the snapshot does not decode: {reason}"),
            limit: None,
        }),
    }
}

/// The state after the first `count` events, starting from the newest snapshot at or before that point
/// (from zero when there is none). Returns the state and the snapshot version used.
pub fn state_from_snapshot(
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    stream: &str,
    events: &[Event],
    snapshots: &[Snapshot],
    count: usize,
) -> Result<(Value, Option<i64>), ReplayError> {
    let target = count
        .checked_sub(1)
        .and_then(|i| events.get(i).map(|e| effective_version(e, i)));
    let snapshot = target.and_then(|v| newest_at(snapshots, v));
    let (mut state, start) = match snapshot {
        Some(snapshot) => {
            let state = apply_snapshot(
                reducer,
                reducer.initial(stream_type),
                &snapshot_event(stream, snapshot),
            )?;
            let start = events
                .iter()
                .enumerate()
                .take_while(|(i, e)| effective_version(e, *i) <= snapshot.version)
                .count();
            (state, start)
        }
        None => (reducer.initial(stream_type), 0),
    };
    for (index, event) in events.iter().enumerate().take(count).skip(start) {
        state = apply_event(reducer, state, event, index)?;
    }
    Ok((state, snapshot.map(|s| s.version)))
}

/// The newest of `snapshots` at or before `version`.
pub fn newest_at(snapshots: &[Snapshot], version: i64) -> Option<&Snapshot> {
    snapshots
        .iter()
        .filter(|s| s.version <= version)
        .max_by_key(|s| s.version)
}

/// How one snapshot compares with the replay from zero.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SnapshotCheck {
    pub version: i64,
    #[serde(rename = "type")]
    pub snapshot_type: String,
    /// The snapshot's state (or `$undecodable`).
    pub state: Value,
    /// Whether the replay from zero gives the same state.
    pub matches: bool,
    /// What turns the replayed state into the snapshot's (empty when they match).
    pub changes: Vec<Change>,
    /// Why the comparison could not be made, if it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// Compare every snapshot with the state the events give at its version, replaying from zero.
pub fn check_snapshots(
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    events: &[Event],
    snapshots: &[Snapshot],
) -> Result<Vec<SnapshotCheck>, ReplayError> {
    check_snapshots_in(
        reducer,
        stream_type,
        events.iter().map(Ok::<_, ReplayError>),
        snapshots,
    )
}

/// [`check_snapshots`] over events as they are read (a stream of any length, one event held at a time).
pub fn check_snapshots_in<B, E>(
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    events: impl IntoIterator<Item = Result<B, E>>,
    snapshots: &[Snapshot],
) -> Result<Vec<SnapshotCheck>, E>
where
    B: std::borrow::Borrow<Event>,
    E: From<ReplayError>,
{
    let mut sorted: Vec<&Snapshot> = snapshots.iter().collect();
    sorted.sort_by_key(|s| s.version);
    let mut out = Vec::with_capacity(sorted.len());
    let mut state = reducer.initial(stream_type);
    let mut applied = 0;
    let mut events = events.into_iter().peekable();
    for snapshot in sorted {
        while let Some(event) = events.next_if(|next| {
            next.as_ref().map_or(true, |e| {
                effective_version(e.borrow(), applied) <= snapshot.version
            })
        }) {
            let event = event?;
            state = apply_event(reducer, state, event.borrow(), applied)?;
            applied += 1;
        }
        let (changes, problem) = match &snapshot.state {
            Payload::Json(snapshot_state) => (diff(&state, snapshot_state), None),
            Payload::Raw { reason, .. } => (
                Vec::new(),
                Some(format!("the snapshot does not decode: {reason}")),
            ),
        };
        out.push(SnapshotCheck {
            version: snapshot.version,
            snapshot_type: snapshot.snapshot_type.clone(),
            state: snapshot.state.to_json(),
            matches: problem.is_none() && changes.is_empty(),
            changes,
            problem,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::core::replay::reducers::JqReducer;
    use crate::core::replay::{DeepMerge, replay};

    fn event(version: i64, data: Value) -> Event {
        crate::core::testing::json_event("s", version, "Added", data)
    }

    fn counter() -> JqReducer {
        JqReducer::from_json(
            r#"{"initial": {"n": 0}, "reducers": {"Added": ".n += $event.data.by"}}"#,
        )
        .unwrap()
    }

    fn events() -> Vec<Event> {
        (1..=6).map(|v| event(v, json!({"by": 1}))).collect()
    }

    fn snap(version: i64, n: i64) -> Snapshot {
        Snapshot {
            version,
            snapshot_type: "CounterSnapshot".to_owned(),
            state: Payload::Json(json!({"n": n})),
        }
    }

    #[test]
    fn a_snapshot_that_agrees_with_the_replay_matches() {
        let checks = check_snapshots(&counter(), None, &events(), &[snap(3, 3)]).unwrap();
        assert!(checks[0].matches);
        assert!(checks[0].changes.is_empty());
    }

    #[test]
    fn a_lying_snapshot_is_flagged_with_the_diff() {
        let checks =
            check_snapshots(&counter(), None, &events(), &[snap(2, 2), snap(4, 5)]).unwrap();
        assert!(checks[0].matches);
        assert!(!checks[1].matches);
        assert_eq!(checks[1].changes.len(), 1);
        assert_eq!(checks[1].changes[0].path, "/n");
        assert_eq!(checks[1].changes[0].old, Some(json!(4)));
        assert_eq!(checks[1].changes[0].new, Some(json!(5)));
    }

    #[test]
    fn replay_from_the_nearest_snapshot_starts_from_its_state() {
        let events = events();
        let (state, used) = state_from_snapshot(
            &counter(),
            None,
            "s",
            &events,
            &[snap(2, 2), snap(4, 40)],
            6,
        )
        .unwrap();
        assert_eq!(used, Some(4));
        assert_eq!(
            state,
            json!({"n": 42}),
            "the snapshot's (wrong) state carries forward"
        );
        let (state, used) = state_from_snapshot(
            &counter(),
            None,
            "s",
            &events,
            &[snap(2, 2), snap(4, 40)],
            3,
        )
        .unwrap();
        assert_eq!((state, used), (json!({"n": 3}), Some(2)));
        let (state, used) =
            state_from_snapshot(&counter(), None, "s", &events, &[snap(5, 5)], 1).unwrap();
        assert_eq!(
            (state, used),
            (replay(&counter(), None, &events[..1]).unwrap(), None)
        );
    }

    #[test]
    fn a_reducer_key_for_the_snapshot_type_overrides_replacing() {
        let reducer = JqReducer::from_json(
            r#"{"initial": {"n": 0}, "reducers": {"Added": ".n += 1", "CounterSnapshot": "{n: $event.data.n, from_snapshot: true}"}}"#,
        )
        .unwrap();
        let (state, _) =
            state_from_snapshot(&reducer, None, "s", &events(), &[snap(3, 3)], 4).unwrap();
        assert_eq!(state, json!({"n": 4, "from_snapshot": true}));
        let (state, _) =
            state_from_snapshot(&DeepMerge, None, "s", &events(), &[snap(3, 30)], 3).unwrap();
        assert_eq!(
            state,
            json!({"n": 30}),
            "without a key the snapshot replaces the state"
        );
    }
}
