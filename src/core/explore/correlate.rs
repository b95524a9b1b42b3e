//! Correlation lanes: every event of one business flow, across all streams, with what caused what.
//!
//! It exists because one user action (checking out a cart) writes events into several streams (the cart, the
//! order, the payment); they share a correlation id, and each names the message that caused it. Here the
//! events sharing a correlation id are found with one filtered scan per event table (the id, correlation and
//! causation roles of the [`Mapping`](crate::core::layout::Mapping), usually paths in the metadata), never
//! by loading the store; they are grouped into one lane per stream and linked from cause to effect.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Value, json};

use crate::core::layout::{CAUSATION_KEYS, CORRELATION_KEYS};
use crate::core::model::{Event, Progress, effective_version};
use crate::core::store::{PAGE_SIZE, PageCursor, Store, StoreError, TraceRole};

/// One stream taking part, in the order of its first event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Lane {
    pub stream: String,
    /// The stream's type as `streams` lists it.
    #[serde(rename = "type")]
    pub stream_type: Option<String>,
}

/// An event named by its stream and global position.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct EventRef {
    pub stream: String,
    pub position: i64,
}

impl EventRef {
    pub fn of(event: &Event) -> Self {
        Self {
            stream: event.stream.clone(),
            position: event.position,
        }
    }
}

/// A causation arrow: `from` caused `to` (`to`'s causation id is `from`'s id).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    pub from: EventRef,
    pub to: EventRef,
}

/// The events of one correlation id.
#[derive(Clone, Debug, PartialEq)]
pub struct Correlation {
    pub correlation_id: String,
    /// Sorted by time, then position (events without a time last).
    pub events: Vec<Event>,
    /// One per stream, in the order of each stream's first event in `events`.
    pub lanes: Vec<Lane>,
    /// Between events of `events` only, in the order of the caused event.
    pub links: Vec<Link>,
}

impl Correlation {
    /// The `correlate --json` shape: `{correlation_id, lanes, events, links}`, events as `events --json`
    /// prints them.
    pub fn to_json(&self) -> Value {
        json!({
            "correlation_id": self.correlation_id,
            "lanes": self.lanes,
            "events": self.events.iter().map(Event::to_json).collect::<Vec<_>>(),
            "links": self.links,
        })
    }
}

/// The correlation id of `event`: the mapped one, else one of the usual metadata keys.
pub fn correlation_of(event: &Event) -> Option<String> {
    event
        .correlation
        .clone()
        .or_else(|| metadata_text(event, CORRELATION_KEYS))
}

/// The causation id of `event`: the mapped one, else one of the usual metadata keys.
pub fn causation_of(event: &Event) -> Option<String> {
    event
        .causation
        .clone()
        .or_else(|| metadata_text(event, CAUSATION_KEYS))
}

fn metadata_text(event: &Event, keys: &[&str]) -> Option<String> {
    let metadata = event.metadata.as_ref()?.json()?;
    keys.iter().find_map(|key| match metadata.get(*key)? {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// Every event whose correlation id is `correlation_id`, in lanes with causation links. `progress` is
/// called between position ranges; returning `false` cancels (then the answer is `Ok(None)`).
pub fn correlated(
    store: &Store,
    correlation_id: &str,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<Option<Correlation>, StoreError> {
    let Some(mut events) =
        store.events_by_trace(TraceRole::Correlation, correlation_id, progress)?
    else {
        return Ok(None);
    };
    events.sort_by(|a, b| {
        (a.time.is_none(), a.time, a.position).cmp(&(b.time.is_none(), b.time, b.position))
    });
    let mut lanes: Vec<Lane> = Vec::new();
    for event in &events {
        if !lanes.iter().any(|lane| lane.stream == event.stream) {
            lanes.push(Lane {
                stream: event.stream.clone(),
                stream_type: store.stream(&event.stream)?.stream_type,
            });
        }
    }
    Ok(Some(Correlation {
        correlation_id: correlation_id.to_owned(),
        links: links(&events),
        lanes,
        events,
    }))
}

/// Causation arrows between `events`: from the event whose id is another's causation id, to that other.
pub fn links(events: &[Event]) -> Vec<Link> {
    let mut by_id: HashMap<&str, &Event> = HashMap::new();
    for event in events {
        if let Some(id) = &event.id {
            by_id.entry(id.as_str()).or_insert(event);
        }
    }
    events
        .iter()
        .filter_map(|event| {
            let cause = by_id.get(causation_of(event)?.as_str())?;
            Some(Link {
                from: EventRef::of(cause),
                to: EventRef::of(event),
            })
        })
        .collect()
}

/// The event at `version` of stream `stream` (its stored version, or its 1-based ordinal when the layout has
/// no versions); `None` when the stream has no such version.
pub fn event_at(store: &Store, stream: &str, version: i64) -> Result<Option<Event>, StoreError> {
    // With versions, one keyset page seeks straight to it.
    let seek = PageCursor {
        version: Some(version - 1),
        position: i64::MAX,
    };
    if let Some(event) = store.events_page(stream, Some(seek), 1)?.pop()
        && event.version == Some(version)
    {
        return Ok(Some(event));
    }
    let mut cursor = None;
    let mut index = 0;
    loop {
        let page = store.events_page(stream, cursor, PAGE_SIZE)?;
        let Some(last) = page.last() else {
            return Ok(None);
        };
        cursor = Some(PageCursor::after(last));
        let full = page.len() == PAGE_SIZE;
        for event in page {
            if effective_version(&event, index) == version {
                return Ok(Some(event));
            }
            index += 1;
        }
        if !full {
            return Ok(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn store_with(sql: &str) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("correlate.sqlite");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(sql).unwrap();
        drop(conn);
        let store = Store::open(&path, None).unwrap();
        (dir, store)
    }

    const CHECKOUT: &str = r#"CREATE TABLE events(id INTEGER PRIMARY KEY, event_id TEXT, stream_id TEXT, version INTEGER,
             type TEXT, data TEXT, metadata TEXT, created_at TEXT);
         INSERT INTO events(event_id, stream_id, version, type, data, metadata, created_at) VALUES
           ('e1', 'cart-1', 1, 'CheckedOut', '{}', '{"correlationId":"flow-1"}', '2024-01-01T10:00:00Z'),
           ('e2', 'cart-2', 1, 'Created', '{}', '{"correlationId":"flow-2"}', '2024-01-01T10:00:01Z'),
           ('e3', 'order-1', 1, 'Placed', '{}', '{"correlationId":"flow-1","causationId":"e1"}', '2024-01-01T10:00:02Z'),
           ('e4', 'payment-1', 1, 'Requested', '{}', '{"correlationId":"flow-1","causationId":"e3"}', '2024-01-01T10:00:03Z'),
           ('e5', 'order-1', 2, 'Paid', '{}', '{"correlationId":"flow-1","causationId":"e4"}', '2024-01-01T10:00:04Z'),
           ('e6', 'order-1', 3, 'Noted', '{}', '{"correlationId":"flow-1","causationId":"elsewhere"}', '2024-01-01T09:59:00Z');"#;

    #[test]
    fn a_flow_across_three_streams_has_a_lane_each_and_arrows_from_cause_to_effect() {
        let (_dir, store) = store_with(CHECKOUT);
        let c = correlated(&store, "flow-1", &mut |_| true)
            .unwrap()
            .unwrap();
        let ids: Vec<&str> = c.events.iter().filter_map(|e| e.id.as_deref()).collect();
        assert_eq!(ids, ["e6", "e1", "e3", "e4", "e5"]);
        let lanes: Vec<&str> = c.lanes.iter().map(|l| l.stream.as_str()).collect();
        assert_eq!(lanes, ["order-1", "cart-1", "payment-1"]);
        assert_eq!(c.lanes[0].stream_type.as_deref(), Some("order"));
        let arrows: Vec<(i64, i64)> = c
            .links
            .iter()
            .map(|l| (l.from.position, l.to.position))
            .collect();
        assert_eq!(arrows, [(1, 3), (3, 4), (4, 5)]);
    }

    #[test]
    fn an_unknown_correlation_id_has_no_events() {
        let (_dir, store) = store_with(CHECKOUT);
        let c = correlated(&store, "nope", &mut |_| true).unwrap().unwrap();
        assert!(c.events.is_empty() && c.lanes.is_empty() && c.links.is_empty());
    }

    #[test]
    fn the_event_at_a_version_carries_its_correlation_and_causation() {
        let (_dir, store) = store_with(CHECKOUT);
        let event = event_at(&store, "order-1", 2).unwrap().unwrap();
        assert_eq!(correlation_of(&event).as_deref(), Some("flow-1"));
        assert_eq!(causation_of(&event).as_deref(), Some("e4"));
        assert!(event_at(&store, "order-1", 9).unwrap().is_none());
    }

    #[test]
    fn without_mapped_roles_the_usual_metadata_keys_are_read() {
        let (_dir, store) = store_with(CHECKOUT);
        let mut event = event_at(&store, "order-1", 1).unwrap().unwrap();
        event.correlation = None;
        event.causation = None;
        assert_eq!(correlation_of(&event).as_deref(), Some("flow-1"));
        assert_eq!(causation_of(&event).as_deref(), Some("e1"));
    }
}
