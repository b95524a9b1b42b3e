//! Questions asked of a replayed stream: the state at a wall-clock instant, every event that changed one
//! field, and the RFC 6902 JSON Patch between two states. Plain functions over events and a reducer, shared
//! by the CLI and the GUI.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::core::decode::format_time;
use crate::core::model::{Event, effective_version};
use crate::core::replay::{Reducer, ReplayError, apply_event};

/// How many events (in stream order) to replay for "the state at `instant`": up to and including the last
/// event stamped at or before it. Events without a time are carried along with the events before them.
pub fn count_at_time(events: &[Event], instant: DateTime<Utc>) -> usize {
    events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.time.is_some_and(|t| t <= instant))
        .map(|(i, _)| i + 1)
        .max()
        .unwrap_or(0)
}

/// One change of a field.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldChange {
    /// Index of the event in the stream (0-based).
    #[serde(skip)]
    pub index: usize,
    pub version: i64,
    pub position: i64,
    #[serde(rename = "type")]
    pub event_type: String,
    #[serde(serialize_with = "ser_time")]
    pub time: Option<DateTime<Utc>>,
    /// The value before the event (`None`: absent).
    pub old: Option<Value>,
    /// The value after it (`None`: removed).
    pub new: Option<Value>,
}

fn ser_time<S: serde::Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&format_time(t)),
        None => s.serialize_none(),
    }
}

/// Every event that changed the value at JSON Pointer `path` (`""` is the whole state), in stream order.
pub fn field_history(
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    events: &[Event],
    path: &str,
) -> Result<Vec<FieldChange>, ReplayError> {
    field_history_in(
        reducer,
        stream_type,
        events.iter().map(Ok::<_, ReplayError>),
        path,
    )
}

/// [`field_history`] over events as they are read (a stream of any length, one event held at a time).
pub fn field_history_in<B, E>(
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    events: impl IntoIterator<Item = Result<B, E>>,
    path: &str,
) -> Result<Vec<FieldChange>, E>
where
    B: std::borrow::Borrow<Event>,
    E: From<ReplayError>,
{
    let mut state = reducer.initial(stream_type);
    let mut out = Vec::new();
    for (index, event) in events.into_iter().enumerate() {
        let event = event?;
        let event = event.borrow();
        let old = state.pointer(path).cloned();
        state = apply_event(reducer, state, event, index)?;
        let new = state.pointer(path).cloned();
        if old != new {
            out.push(FieldChange {
                index,
                version: effective_version(event, index),
                position: event.position,
                event_type: event.event_type.clone(),
                time: event.time,
                old,
                new,
            });
        }
    }
    Ok(out)
}

/// The RFC 6902 JSON Patch that turns `from` into `to`.
pub fn json_patch(from: &Value, to: &Value) -> Value {
    serde_json::to_value(json_patch::diff(from, to)).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::core::model::Payload;
    use crate::core::replay::reducers::JqReducer;
    use crate::core::replay::{DeepMerge, replay};

    fn event(version: i64, minute: u32, data: Value) -> Event {
        Event {
            stream: "s".to_owned(),
            position: version * 10,
            version: Some(version),
            event_type: "T".to_owned(),
            time: chrono::TimeZone::with_ymd_and_hms(&Utc, 2024, 3, 14, 14, minute, 0).single(),
            stored_time: None,
            data: Payload::Json(data),
            metadata: None,
            stored: None,
            id: None,
            correlation: None,
            causation: None,
        }
    }

    fn at(minute: u32, second: u32) -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2024, 3, 14, 14, minute, second).unwrap()
    }

    fn stream() -> Vec<Event> {
        vec![
            event(1, 30, json!({"status": "draft", "total": 0})),
            event(2, 32, json!({"total": 10})),
            event(3, 34, json!({"status": "placed"})),
            event(4, 40, json!({"status": "shipped", "total": 12})),
        ]
    }

    #[test]
    fn the_state_at_an_instant_includes_an_event_stamped_exactly_then() {
        let events = stream();
        assert_eq!(count_at_time(&events, at(34, 0)), 3);
        let state = replay(
            &DeepMerge,
            None,
            &events[..count_at_time(&events, at(34, 0))],
        )
        .unwrap();
        assert_eq!(state["status"], "placed");
    }

    #[test]
    fn the_state_between_two_events_is_the_one_after_the_earlier() {
        let events = stream();
        assert_eq!(count_at_time(&events, at(33, 59)), 2);
        assert_eq!(
            count_at_time(&events, at(29, 0)),
            0,
            "before the first event: the initial state"
        );
        assert_eq!(count_at_time(&events, at(59, 0)), 4);
    }

    #[test]
    fn field_history_lists_exactly_the_events_that_changed_the_field() {
        let history = field_history(&DeepMerge, None, &stream(), "/status").unwrap();
        let versions: Vec<i64> = history.iter().map(|c| c.version).collect();
        assert_eq!(versions, [1, 3, 4]);
        assert_eq!(history[0].old, None);
        assert_eq!(history[1].old, Some(json!("draft")));
        assert_eq!(history[1].new, Some(json!("placed")));
        let totals = field_history(&DeepMerge, None, &stream(), "/total").unwrap();
        assert_eq!(
            totals.iter().map(|c| c.version).collect::<Vec<_>>(),
            [1, 2, 4]
        );
    }

    #[test]
    fn field_history_follows_the_reducers_in_force() {
        let reducer =
            JqReducer::from_json(r#"{"initial": {"n": 0}, "reducers": {"T": ".n += 1"}}"#).unwrap();
        let history = field_history(&reducer, None, &stream(), "/n").unwrap();
        assert_eq!(history.len(), 4);
        assert_eq!(history[3].new, Some(json!(4)));
    }

    #[test]
    fn applying_the_patch_to_state_a_gives_state_b() {
        let pairs = [
            (
                json!({"a": 1, "b": [1, 2, 3], "c": {"d": "x"}}),
                json!({"a": 2, "b": [1, 3], "e": null}),
            ),
            (json!({}), json!({"lines": [{"sku": "a/b~c"}]})),
            (json!({"x": [1, 2]}), json!([1])),
        ];
        for (a, b) in pairs {
            let patch: json_patch::Patch = serde_json::from_value(json_patch(&a, &b)).unwrap();
            let mut doc = a.clone();
            json_patch::patch(&mut doc, &patch).unwrap();
            assert_eq!(doc, b);
        }
    }
}
