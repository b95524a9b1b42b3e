//! MessagePack and CBOR payloads, written by the real Python libraries (`sample-data/msgpack/`,
//! `sample-data/cbor/`): the format detected from sampled rows with its reason, every payload decoded to
//! what the writing library reads back (`expected.json`, in Eventscope's rendering), states replayed by jq
//! reducers matching a fold of those payloads, and the rest (search, verify, `events --json`) seeing the
//! decoded values with the stored bytes beside them.

use std::collections::BTreeMap;

use eventscope::core::decode::codec::Format;
use eventscope::core::store::Store;
use serde_json::{Value, json};

use crate::common::{arg, cli_json, sample};

const MSGPACK: &str = "msgpack.sqlite";
const CBOR: &str = "cbor.sqlite";

fn expected(folder: &str) -> Vec<Value> {
    let path = sample(&format!("{folder}/expected.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    let expected: Value = serde_json::from_str(&text).unwrap();
    expected["events"].as_array().unwrap().clone()
}

fn open(name: &str) -> Store {
    Store::open(&sample(name), None).unwrap_or_else(|e| panic!("open {name}: {e}"))
}

#[test]
fn the_format_is_detected_from_sampled_rows_with_the_reason() {
    // The first 50 rows are sampled.
    for (name, format, rows) in [(MSGPACK, Format::MessagePack, 50), (CBOR, Format::Cbor, 43)] {
        let store = open(name);
        let mapping = store.mappings()[0];
        assert_eq!(mapping.codec.format, format, "{name}");
        assert_eq!(
            mapping.format_reason(),
            Some(format!(
                "{}: decoded every sampled row ({rows} of {rows})",
                format.name()
            )),
            "{name}"
        );
        let layout = cli_json(["layout", &arg(&sample(name))]);
        let guesses = &layout["mappings"][0]["format_guesses"];
        assert_eq!(guesses[0]["format"], json!(format), "{name}: {layout}");
        assert_eq!(guesses[0]["decoded"], rows);
        // Protocol Buffers is listed only when no other binary format convinced.
        assert_eq!(
            guesses.as_array().unwrap().len(),
            Format::ALL
                .iter()
                .filter(|f| f.is_chosen_by_bytes())
                .count(),
            "every format bytes may choose is ranked"
        );
        assert_eq!(layout["mappings"][0]["codec"]["format"], json!(format));
    }
}

#[test]
fn every_payload_decodes_to_what_the_writing_library_reads_back() {
    for (name, folder) in [(MSGPACK, "msgpack"), (CBOR, "cbor")] {
        crate::common::assert_payloads_read_back(&open(name), name, &expected(folder), "data");
    }
}

/// Every stream's state, `step` folding each expected event (its type and data) into it.
pub fn fold_states(
    expected: &[Value],
    step: fn(&mut Value, &str, &Value),
) -> BTreeMap<String, Value> {
    let mut states: BTreeMap<String, Value> = BTreeMap::new();
    for event in expected {
        let state = states
            .entry(event["stream"].as_str().unwrap().to_owned())
            .or_insert_with(|| json!({}));
        step(state, event["type"].as_str().unwrap(), &event["data"]);
    }
    states
}

/// The device states the msgpack reducers should reach, folded here from the expected payloads.
fn device_states(expected: &[Value]) -> BTreeMap<String, Value> {
    fold_states(expected, |state, kind, data| match kind {
        "DeviceRegistered" => {
            *state = json!({"name": data["name"], "model": data["model"], "site": data["site"],
                    "firmware": data["firmware"]["version"], "readings": 0, "retired": false});
        }
        "ReadingRecorded" => {
            state["readings"] = json!(state["readings"].as_i64().unwrap() + 1);
            state["last_temperature"] = data["temperature"].clone();
        }
        "FirmwareUpdated" => {
            state["firmware"] = data["version"].clone();
            state["image_type"] = data["image"]["$ext"]["type"].clone();
        }
        "Calibrated" => {
            let offsets = state
                .as_object_mut()
                .unwrap()
                .entry("offsets")
                .or_insert_with(|| json!({}));
            for (channel, offset) in data["offsets"].as_object().unwrap() {
                offsets[channel] = offset.clone();
            }
        }
        "DeviceRetired" => state["retired"] = json!(true),
        other => panic!("unexpected type {other}"),
    })
}

/// The parcel states the CBOR reducers should reach.
fn parcel_states(expected: &[Value]) -> BTreeMap<String, Value> {
    fold_states(expected, |state, kind, data| match kind {
        "ParcelRegistered" => {
            let declared = &data["declared"];
            assert_eq!(declared["$tag"], 6000, "the tag is shown");
            *state = json!({"reference": data["reference"], "declared_cents": declared["value"][0],
                    "currency": declared["value"][1], "hubs": [], "status": "registered", "attempts": 0});
        }
        "Scanned" => {
            state["hubs"]
                .as_array_mut()
                .unwrap()
                .push(data["hub"].clone());
            state["status"] = json!("in transit");
        }
        "DeliveryFailed" => state["attempts"] = json!(state["attempts"].as_i64().unwrap() + 1),
        "Delivered" => {
            state["status"] = json!("delivered");
            state["signed_by"] = data["signed_by"].clone();
        }
        other => panic!("unexpected type {other}"),
    })
}

#[test]
fn jq_reducers_replay_states_from_the_decoded_payloads() {
    for (name, folder, fold) in [
        (
            MSGPACK,
            "msgpack",
            device_states as fn(&[Value]) -> BTreeMap<String, Value>,
        ),
        (CBOR, "cbor", parcel_states),
    ] {
        let states = fold(&expected(folder));
        assert!(states.len() >= 6, "{name}: a few streams");
        assert_replayed_states(name, &format!("{folder}/reducers.json"), states);
    }
}

/// Every stream of the sample `name` replayed with the sample's `reducers` reaches the state `states` gives.
pub fn assert_replayed_states(name: &str, reducers: &str, states: BTreeMap<String, Value>) {
    assert_replayed_states_with(name, &sample(reducers), &[], states);
}

/// [`assert_replayed_states`] with the `reducers` file at any path and `extra` arguments to `state`
/// (`--schema PATH`).
pub fn assert_replayed_states_with(
    name: &str,
    reducers: &std::path::Path,
    extra: &[&str],
    states: BTreeMap<String, Value>,
) {
    let reducers = arg(reducers);
    for (stream, want) in states {
        let file = arg(&sample(name));
        let mut args = vec!["state", &file, &stream, "--reducers", &reducers];
        args.extend(extra);
        let got = cli_json(args);
        assert_eq!(got, want, "{name} {stream}");
    }
}

#[test]
fn search_verify_and_events_see_the_decoded_values() {
    let file = arg(&sample(MSGPACK));
    let expected = expected("msgpack");
    let humid = expected
        .iter()
        .filter(|e| e["data"]["humidity"].as_i64().is_some_and(|h| h > 60))
        .count();
    assert!(humid > 0);
    let hits = cli_json(["search", &file, "--where", ".data.humidity > 60", "--json"]);
    assert_eq!(hits.as_array().unwrap().len(), humid);
    let verified = cli_json(["verify", &file, "--json"]);
    assert_eq!(verified["findings"], json!([]), "{verified}");
    let first = &expected[0];
    let events = cli_json(["events", &file, first["stream"].as_str().unwrap(), "--json"]);
    let event = &events.as_array().unwrap()[0];
    assert_eq!(event["data"], first["data"]);
    assert!(
        event["stored_payload"]["$bytes"].as_str().is_some(),
        "{event}"
    );
}

/// The events of `stream` in the sample `name` as `events --json` prints them with the detected mapping's
/// codec replaced by `codec`.
pub fn events_with_codec(name: &str, stream: &str, codec: Value) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let layout = cli_json(["layout", &arg(&sample(name))]);
    let mut mapping = layout["mappings"][0].clone();
    mapping.as_object_mut().unwrap().remove("format_guesses");
    mapping["codec"] = codec;
    let path = dir.path().join("mapping.json");
    std::fs::write(&path, mapping.to_string()).unwrap();
    let file = arg(&sample(name));
    cli_json(["events", &file, stream, "--json", "--mapping", &arg(&path)])
}

#[test]
fn a_mapping_fixes_the_format_and_a_wrong_one_shows_every_payload_raw_with_the_reason() {
    let expected = expected("cbor");
    let stream = expected[0]["stream"].as_str().unwrap();
    for event in events_with_codec(CBOR, stream, json!("msgpack"))
        .as_array()
        .unwrap()
    {
        let reason = event["data"]["$undecodable"]["reason"].as_str().unwrap();
        assert!(reason.starts_with("not MessagePack: "), "{reason}");
    }
    let events = events_with_codec(CBOR, stream, json!({"format": "cbor"}));
    assert_eq!(events[0]["data"], expected[0]["data"]);
}

/// The window on the sample `name`, its `stream` loaded at its first event; asserts the format's
/// reason (`sampled` rows decoded) and "decoded from" are shown with the stored bytes.
pub fn window_shows_the_decoded_first_event(
    name: &str,
    stream: &str,
    format: Format,
    sampled: usize,
) -> egui_kittest::Harness<'static, eventscope::app::EventscopeApp> {
    use eframe::egui;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;
    use eventscope::app::{EventscopeApp, StartOptions};

    let start = StartOptions {
        file: Some(sample(name)),
        stream: Some(stream.to_owned()),
        at: Some(1),
        ..Default::default()
    };
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 860.0))
        .build_eframe(move |cc| EventscopeApp::new(cc, start));
    crate::common::step_until(&mut harness, "the stream to load", |app| {
        crate::common::cursor(app) == Some(0)
    });
    harness.run_steps(2);
    let name = format.name();
    harness.get_by_label(&format!(
        "· {name}: decoded every sampled row ({sampled} of {sampled})"
    ));
    harness.get_by_label(&format!("decoded from {name}"));
    harness.get_by_label_contains("Stored bytes (");
    harness
}

#[test]
fn the_window_shows_the_reason_the_decoded_payload_and_its_stored_bytes() {
    use egui_kittest::kittest::Queryable as _;

    let first = expected("msgpack")[0].clone();
    let stream = first["stream"].as_str().unwrap();
    let harness = window_shows_the_decoded_first_event(MSGPACK, stream, Format::MessagePack, 50);
    // The decoded payload's values are on screen, a byte string as its hex.
    let name = first["data"]["name"].as_str().unwrap();
    assert!(harness.query_all_by_label_contains(name).next().is_some());
}

#[test]
fn hostile_payloads_stay_raw_with_a_reason_each_and_the_others_decode() {
    let mut deep = vec![0x91_u8; 100_000];
    deep.push(0x90);
    let rows = [
        ("Good", vec![0x81, 0xa1, b'a', 0x01], ""),
        ("Deep", deep, "nested deeper than 127 levels"),
        (
            "HugeArray",
            vec![0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0],
            "declares",
        ),
        (
            "HugeString",
            vec![0xdb, 0xff, 0xff, 0xff, 0xff, b'a'],
            "declares",
        ),
        (
            "Cut",
            vec![0x81, 0xa1, b'a'],
            "cut short inside a value at offset 3",
        ),
        (
            "Trailing",
            vec![0x81, 0xa1, b'a', 0x01, 0xff],
            "trailing data",
        ),
    ];
    assert_hostile_payloads_stay_raw(Format::MessagePack, &rows, &json!({"a": 1}));
}

/// A store of ten `rows[0]` payloads (a good one, decoding to `good`) then the other `rows` (type, bytes,
/// a part of the reason it stays raw), each in `format`: detection picks `format`, each hostile payload
/// stays raw with its reason, the good ones decode, and verify names every reason.
pub fn assert_hostile_payloads_stay_raw(
    format: Format,
    rows: &[(&str, Vec<u8>, &str)],
    good: &Value,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data BLOB)",
    )
    .unwrap();
    // Ten good events first, so detection reads the column in `format`.
    let goods = std::iter::repeat_n(&rows[0], 10);
    for (version, (kind, data, _)) in goods.chain(&rows[1..]).enumerate() {
        conn.execute(
            "INSERT INTO events (stream_id, version, type, data) VALUES ('s', ?1, ?2, ?3)",
            rusqlite::params![i64::try_from(version).unwrap() + 1, kind, data],
        )
        .unwrap();
    }
    drop(conn);
    let store = open_path(&path);
    assert_eq!(store.mappings()[0].codec.format, format);
    let events = store.events("s").unwrap();
    assert_eq!(events.len(), 10 + rows.len() - 1);
    let prefix = format!("not {}: ", format.name());
    for (event, (kind, _, reason)) in events
        .iter()
        .zip(std::iter::repeat_n(&rows[0], 9).chain(rows))
    {
        match &event.data {
            eventscope::core::model::Payload::Json(value) => {
                assert_eq!((*kind, value), ("Good", good));
            }
            eventscope::core::model::Payload::Raw { reason: why, .. } => {
                assert!(why.starts_with(&prefix), "{kind}: {why}");
                assert!(why.contains(reason), "{kind}: {why}");
            }
        }
    }
    let verified = cli_json(["verify", &arg(&path), "--json"]);
    let undecodable = verified["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "undecodable_payload")
        .count();
    assert!(undecodable >= 1, "{verified}");
    let message = verified.to_string();
    for (kind, _, reason) in &rows[1..] {
        assert!(message.contains(reason), "{kind}: {message}");
    }
}

fn open_path(path: &std::path::Path) -> Store {
    Store::open(path, None).unwrap_or_else(|e| panic!("open {}: {e}", path.display()))
}
