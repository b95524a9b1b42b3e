//! The shapes every other module speaks: an event as read from a store, a stream summary, a payload that may
//! or may not have decoded. These are plain data so the GUI, the CLI and the tests can share them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use crate::core::decode::times::StoredTime;

/// A payload (data or metadata) as it came out of the store.
///
/// Undecodable payloads are never dropped: their bytes are kept with the reason they did not decode.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    /// Decoded JSON.
    Json(Value),
    /// Bytes that are not JSON (binary, invalid UTF-8, invalid JSON), and why.
    Raw { bytes: Vec<u8>, reason: String },
}

impl Payload {
    /// About how many bytes the payload holds on the heap (see [`value_heap_bytes`]).
    pub fn heap_bytes(&self) -> usize {
        match self {
            Self::Json(value) => value_heap_bytes(value),
            Self::Raw { bytes, reason } => bytes.capacity() + reason.capacity(),
        }
    }

    /// The decoded JSON, if any.
    pub fn json(&self) -> Option<&Value> {
        match self {
            Self::Json(value) => Some(value),
            Self::Raw { .. } => None,
        }
    }

    /// How the payload is shown in JSON output: the decoded value, or an object describing the raw bytes.
    pub fn to_json(&self) -> Value {
        match self {
            Self::Json(value) => value.clone(),
            Self::Raw { bytes, reason } => json!({
                "$undecodable": {
                    "reason": reason,
                    "len": bytes.len(),
                    "hex": crate::core::decode::hex(bytes),
                    "text": crate::core::decode::escaped_text(bytes),
                }
            }),
        }
    }
}

/// One event of one stream.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// The stream id as `streams` lists it.
    pub stream: String,
    /// Global position in the store (a column or the rowid).
    pub position: i64,
    /// Per-stream version, when the layout has one.
    pub version: Option<i64>,
    /// Event type; empty when the layout has none.
    pub event_type: String,
    /// When it happened, if the layout records a time Eventscope can read (see [`crate::core::decode::times`]).
    pub time: Option<DateTime<Utc>>,
    /// The time as stored when it could not be read (then `time` is `None`): shown, never guessed at.
    pub stored_time: Option<String>,
    /// The decoded payload.
    pub data: Payload,
    /// The decoded metadata, when the layout has a metadata column.
    pub metadata: Option<Payload>,
    /// The payload as stored, when decoding changed it (an unwrapped serde enum, custom-typed values).
    pub stored: Option<Value>,
    /// The event's own id (event uuid, message id), when the layout has one; UUIDs dashed lowercase.
    pub id: Option<String>,
    /// The correlation id the mapping reads for this event, if any; UUIDs dashed lowercase.
    pub correlation: Option<String>,
    /// The id of what caused this event, if the mapping reads one; UUIDs dashed lowercase.
    pub causation: Option<String>,
}

impl Event {
    /// About how many bytes this event holds on the heap and inline: its strings and JSON trees. An
    /// estimate for budgets (page caches), not an allocator's count.
    pub fn heap_bytes(&self) -> usize {
        let text = |s: &Option<String>| s.as_ref().map_or(0, String::capacity);
        std::mem::size_of::<Self>()
            + self.stream.capacity()
            + self.event_type.capacity()
            + text(&self.stored_time)
            + text(&self.id)
            + text(&self.correlation)
            + text(&self.causation)
            + self.data.heap_bytes()
            + self.metadata.as_ref().map_or(0, Payload::heap_bytes)
            + self.stored.as_ref().map_or(0, value_heap_bytes)
    }

    /// The `events --json` shape: `{position, version, type, time, data, metadata}` (plus `stream`, `id`
    /// when the layout has one, and `stored_time` when the stored time could not be read).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl Serialize for Payload {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Json(value) => value.serialize(s),
            Self::Raw { .. } => self.to_json().serialize(s),
        }
    }
}

impl Serialize for Event {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        EventJson {
            event: self,
            state: None,
        }
        .serialize(s)
    }
}

/// An event in the `events --json` shape, written straight from the event (nothing copied), with the
/// state after it when a replay is shown beside it.
pub struct EventJson<'a> {
    pub event: &'a Event,
    pub state: Option<&'a Value>,
}

impl Serialize for EventJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let e = self.event;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("stream", &e.stream)?;
        map.serialize_entry("position", &e.position)?;
        map.serialize_entry("version", &e.version)?;
        map.serialize_entry("type", &e.event_type)?;
        map.serialize_entry(
            "time",
            &e.time.map(|t| crate::core::decode::format_time(&t)),
        )?;
        map.serialize_entry("data", &e.data)?;
        map.serialize_entry("metadata", &e.metadata)?;
        if let Some(stored) = &e.stored {
            map.serialize_entry("stored_payload", stored)?;
        }
        if let Some(id) = &e.id {
            map.serialize_entry("id", id)?;
        }
        if let Some(stored_time) = &e.stored_time {
            map.serialize_entry("stored_time", stored_time)?;
        }
        if let Some(state) = self.state {
            map.serialize_entry("state", state)?;
        }
        map.end()
    }
}

/// One stream as the streams list shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StreamSummary {
    /// The id every command accepts for this stream.
    pub id: String,
    /// Aggregate type or category, when known.
    #[serde(rename = "type")]
    pub stream_type: Option<String>,
    /// The stream's name, where the layout has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The tenant owning the stream, where the layout has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// The event table the stream lives in, when the file has several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Number of events.
    pub events: u64,
    /// Time of the first event by position (RFC 3339 in JSON); `None` when that event has no time or its
    /// time could not be read.
    #[serde(serialize_with = "ser_time")]
    pub first_time: Option<DateTime<Utc>>,
    /// The first event's time as stored when it could not be read (then `first_time` is `None`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_stored_time: Option<String>,
    /// Time of the last event by position.
    #[serde(serialize_with = "ser_time")]
    pub last_time: Option<DateTime<Utc>>,
    /// The last event's time as stored when it could not be read (then `last_time` is `None`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_stored_time: Option<String>,
}

impl StreamSummary {
    /// Set the first and last times from the stored times of the first and last events.
    pub fn set_ends(&mut self, first: StoredTime, last: StoredTime) {
        (self.first_time, self.first_stored_time) = first.into_parts();
        (self.last_time, self.last_stored_time) = last.into_parts();
    }
}

/// Progress of a long read (a whole-store scan): `done` of `total` steps, and what is being done. Callbacks
/// taking it return `false` to cancel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub what: &'static str,
    pub done: u64,
    pub total: u64,
}

/// Serialize an optional time as RFC 3339 (`Z`), or null.
pub(crate) fn ser_time<S: serde::Serializer>(
    t: &Option<DateTime<Utc>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&crate::core::decode::format_time(t)),
        None => s.serialize_none(),
    }
}

/// About how many bytes a JSON value holds on the heap: its strings, and for arrays and objects their slots
/// (an object's entries cost their key, their value and the map's bookkeeping, estimated at 32 bytes).
/// An estimate for byte budgets (checkpoints, page caches), cheap to compute and never below the truth by
/// much.
pub fn value_heap_bytes(value: &Value) -> usize {
    const SLOT: usize = std::mem::size_of::<Value>();
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) => 0,
        Value::String(s) => s.capacity(),
        Value::Array(items) => items.iter().map(|item| SLOT + value_heap_bytes(item)).sum(),
        Value::Object(map) => map
            .iter()
            .map(|(key, item)| 32 + key.capacity() + SLOT + value_heap_bytes(item))
            .sum(),
    }
}

/// The version a user names an event by: its stored version, or its 1-based ordinal in the stream when the
/// layout has no versions.
pub fn effective_version(event: &Event, index: usize) -> i64 {
    event
        .version
        .unwrap_or_else(|| i64::try_from(index + 1).unwrap_or(i64::MAX))
}

/// How many events of `events` (in stream order) are at or before `version`: the count to replay to reach
/// the state "at version N". `None` when the version is past the last event or negative.
pub fn count_through_version(events: &[Event], version: i64) -> Option<usize> {
    if version < 0 {
        return None;
    }
    let last = events
        .len()
        .checked_sub(1)
        .and_then(|i| events.get(i).map(|e| effective_version(e, i)));
    if version == 0 {
        return Some(events.iter().take_while(|e| e.version == Some(0)).count());
    }
    match last {
        Some(last) if version > last => None,
        None => None,
        Some(_) => Some(
            events
                .iter()
                .enumerate()
                .take_while(|(i, e)| effective_version(e, *i) <= version)
                .count(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: Option<&str>) -> Event {
        Event {
            stream: "s".to_owned(),
            position: 1,
            version: Some(1),
            event_type: "T".to_owned(),
            time: None,
            stored_time: None,
            data: Payload::Json(json!({})),
            metadata: None,
            stored: None,
            id: id.map(str::to_owned),
            correlation: Some("c".to_owned()),
            causation: None,
        }
    }

    #[test]
    fn the_json_shape_gains_an_id_only_when_the_event_has_one() {
        let without = event(None).to_json();
        assert!(without.get("id").is_none(), "{without}");
        assert!(without.get("correlation").is_none(), "{without}");
        assert_eq!(event(Some("e-1")).to_json()["id"], "e-1");
    }

    #[test]
    fn an_unreadable_time_is_shown_as_stored_beside_a_null_time() {
        assert!(event(None).to_json().get("stored_time").is_none());
        let unread = Event {
            stored_time: Some("1e300".to_owned()),
            ..event(None)
        }
        .to_json();
        assert_eq!(unread["time"], Value::Null);
        assert_eq!(unread["stored_time"], "1e300");
    }
}
