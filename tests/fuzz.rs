//! Property tests that throw damaged input at the decoding of stores, payloads and mapping files: whatever
//! the bytes, Eventscope answers (a value or an error) without panicking, hanging or growing without bound.
//! CI runs a few hundred cases (set `PROPTEST_CASES` to run more locally); a failure prints the smallest
//! input proptest found, to be pinned as a regression test.

use std::path::Path;
use std::time::Duration;

use eventscope::core::decode::cell::Cell;
use proptest::prelude::*;

use crate::common::sample;
use eventscope::core::decode::decode_payload;
use eventscope::core::store::Store;

/// The sample stores the store properties mutate: one per layout family, each small.
const STORES: [&str; 5] = [
    "shop.sqlite",
    "single_log.sqlite",
    "eventsourcing-compressed.sqlite",
    "emmett.sqlite",
    "faults.sqlite",
];

fn config(default_cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default_cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Everything a session does first with a store: list it, read a few streams, check it. Any error is a
/// fine answer; a panic fails the property, and the query deadline bounds the time.
fn read_everything(path: &Path) {
    let Ok(store) = Store::open(path, None) else {
        return;
    };
    store.set_query_timeout(Some(Duration::from_secs(5)));
    if let Ok(streams) = store.streams() {
        for summary in streams.iter().take(3) {
            if let Ok(events) = store.events(&summary.id) {
                for event in &events {
                    let _ = event.to_json();
                }
            }
        }
    }
    let _ = store.event_types();
    let _ = store.quick_check();
}

proptest! {
    #![proptest_config(config(200))]

    #[test]
    fn a_store_with_bytes_overwritten_never_panics(
        which in 0..STORES.len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
    ) {
        let name = STORES[which];
        let mut bytes = std::fs::read(sample(name)).unwrap();
        for (at, value) in &edits {
            let i = at.index(bytes.len());
            bytes[i] = *value;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        read_everything(&path);
    }

    #[test]
    fn a_store_cut_short_never_panics(which in 0..STORES.len(), keep in 0.0f64..1.0) {
        let name = STORES[which];
        let bytes = std::fs::read(sample(name)).unwrap();
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss, reason = "a fraction of a small length")]
        let len = (bytes.len() as f64 * keep) as usize;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes[..len]).unwrap();
        read_everything(&path);
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn any_payload_bytes_decode_to_json_or_raw_bytes_kept_whole(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        for value in [Cell::Blob(&bytes), Cell::Text(&bytes)] {
            let payload = decode_payload(value);
            let shown = payload.to_json();
            if let eventscope::core::model::Payload::Raw { bytes: kept, .. } = &payload {
                prop_assert_eq!(kept, &bytes, "raw bytes are kept exactly");
                prop_assert!(shown["$undecodable"]["reason"].is_string());
            }
        }
    }

    #[test]
    fn nested_json_payloads_never_overflow(depth in 1usize..5_000, open in prop::sample::select(vec!["[", "{\"a\":"])) {
        let close = if open == "[" { "]" } else { "}" };
        let text = format!("{}1{}", open.repeat(depth), close.repeat(depth));
        let _ = decode_payload(Cell::Text(text.as_bytes())).to_json();
    }

    #[test]
    fn any_mapping_file_is_a_mapping_or_an_error(text in "\\PC{0,300}") {
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
            let _ = eventscope::cli::parse_mappings(value);
        }
    }

    #[test]
    fn mapping_roles_naming_anything_open_or_fail_cleanly(
        table in prop::sample::select(vec!["events", "nope", "sqlite_schema", "e\"vents", ""]),
        column in "[a-z_\"'; ()]{0,12}",
        filter in prop::option::of("[a-z0-9_=<> ()'\"]{0,24}"),
    ) {
        let mut mapping = serde_json::json!({
            "table": table,
            "stream": column,
            "type": column,
            "data": column,
        });
        if let Some(filter) = filter {
            mapping["filter"] = serde_json::Value::String(filter);
        }
        if let Ok(mappings) = eventscope::cli::parse_mappings(mapping) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("shop.sqlite");
            std::fs::copy(sample("shop.sqlite"), &path).unwrap();
            if let Ok(store) = Store::open(&path, mappings.into_iter().next()) {
                store.set_query_timeout(Some(Duration::from_secs(5)));
                let _ = store.streams();
            }
        }
    }
}
