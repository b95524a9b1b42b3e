//! What the core's unit tests share: the sample stores in `sample-data/`, opened read-only.

pub mod payload_texts;

use std::path::{Path, PathBuf};

use crate::core::model::{Event, StreamSummary};
use crate::core::store::Store;

/// The sample store `name`, opened with its detected layout.
pub fn sample(name: &str) -> Store {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data")
        .join(name);
    Store::open(&path, None).unwrap()
}

/// The first `per_store` streams of every sample store that opens and lists, with the store and its path,
/// stores in name order.
pub fn sample_streams(per_store: usize) -> Vec<(PathBuf, Store, StreamSummary)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sqlite"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let Ok(store) = Store::open(&path, None) else {
            continue;
        };
        let Ok(streams) = store.streams() else {
            continue;
        };
        for summary in streams.into_iter().take(per_store) {
            let store = Store::open(&path, None).unwrap();
            out.push((path.clone(), store, summary));
        }
    }
    out
}

/// An event of `stream` at `version` (its position too) of `event_type`, with JSON `data` and nothing else.
pub fn json_event(stream: &str, version: i64, event_type: &str, data: serde_json::Value) -> Event {
    Event {
        stream: stream.to_owned(),
        position: version,
        version: Some(version),
        event_type: event_type.to_owned(),
        time: None,
        stored_time: None,
        data: crate::core::model::Payload::Json(data),
        metadata: None,
        stored: None,
        id: None,
        correlation: None,
        causation: None,
    }
}

/// The shop sample's longest stream: the store, the stream's id and its events.
pub fn shop_longest() -> (Store, String, Vec<Event>) {
    let store = sample("shop.sqlite");
    let id = store
        .streams()
        .unwrap()
        .into_iter()
        .max_by_key(|s| s.events)
        .unwrap()
        .id;
    let events = store.events(&id).unwrap();
    (store, id, events)
}
