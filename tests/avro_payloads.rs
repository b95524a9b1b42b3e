//! Avro payloads written by Python's `fastavro` (`sample-data/avro/`): one store in the single-object
//! encoding, its schema found by fingerprint, one of raw datums, each read as the record its event type
//! names. With `events.avsc` (`--schema`, or the codec's `schema`) every payload is what fastavro reads
//! back; replay, search, verify and `events --json` see those values; without a schema Avro is ranked by its
//! marker but never chosen, and a wrong fingerprint or a wrong record leaves the payload raw with the reason.

use std::collections::BTreeMap;
use std::path::PathBuf;

use eventscope::core::decode::codec::Format;
use eventscope::core::model::Payload;
use eventscope::core::store::{OpenOptions, Store};
use serde_json::{Value, json};

use crate::common::{arg, cli_json, sample};

const SINGLE_OBJECT: &str = "avro.sqlite";
const DATUMS: &str = "avro-datums.sqlite";

fn expected() -> Vec<Value> {
    let text = std::fs::read_to_string(sample("avro/expected.json")).unwrap();
    let expected: Value = serde_json::from_str(&text).unwrap();
    expected["events"].as_array().unwrap().clone()
}

fn schema() -> PathBuf {
    sample("avro/events.avsc")
}

fn open_with_schema(name: &str) -> Store {
    Store::open_with(
        &sample(name),
        OpenOptions {
            schema: Some(schema()),
            ..OpenOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("open {name}: {e}"))
}

#[test]
fn with_the_schema_every_single_object_payload_is_what_fastavro_reads_back() {
    let store = open_with_schema(SINGLE_OBJECT);
    assert_eq!(store.mappings()[0].codec.format, Format::Avro);
    crate::common::assert_payloads_read_back(&store, SINGLE_OBJECT, &expected(), "data");
}

#[test]
fn with_the_schema_every_raw_datum_is_read_as_the_record_its_type_names() {
    let store = open_with_schema(DATUMS);
    assert_eq!(store.mappings()[0].codec.format, Format::Avro);
    crate::common::assert_payloads_read_back(&store, DATUMS, &expected(), "data");
}

#[test]
fn without_a_schema_avro_is_ranked_by_its_marker_but_not_chosen() {
    let store = Store::open(&sample(SINGLE_OBJECT), None).unwrap();
    assert_ne!(store.mappings()[0].codec.format, Format::Avro);
    let layout = cli_json(["layout", &arg(&sample(SINGLE_OBJECT))]);
    let guesses = layout["mappings"][0]["format_guesses"].as_array().unwrap();
    let avro = guesses
        .iter()
        .find(|g| g["format"] == "avro")
        .unwrap_or_else(|| panic!("avro listed: {layout}"));
    let rows = expected().len();
    assert_eq!(
        avro["reason"],
        format!(
            "Avro: {rows} of {rows} sampled rows start with the single-object marker (C3 01); \
             read only with a schema (--schema, or the codec's \"schema\")"
        )
    );
    let events = store
        .events(expected()[0]["stream"].as_str().unwrap())
        .unwrap();
    assert!(events.iter().all(|e| matches!(e.data, Payload::Raw { .. })));
}

/// Every order's state, as the sample's reducers should reach it, folded from the expected payloads.
fn order_states(expected: &[Value]) -> BTreeMap<String, Value> {
    let mut states: BTreeMap<String, Value> = BTreeMap::new();
    for event in expected {
        let state = states
            .entry(event["stream"].as_str().unwrap().to_owned())
            .or_insert_with(|| json!({}));
        let data = &event["data"];
        match event["type"].as_str().unwrap() {
            "OrderPlaced" => {
                let items = data["items"].as_array().unwrap();
                *state = json!({"order": data["order_id"], "customer": data["customer_id"],
                    "items": items.iter().map(|i| i["quantity"].as_i64().unwrap()).sum::<i64>(),
                    "currency": data["currency"], "tags": data["tags"], "status": "placed"});
            }
            "PaymentReceived" => {
                state["status"] = json!("paid");
                state["paid"] = data["amount"].clone();
                state["method"] = data["method"].clone();
            }
            "OrderShipped" => {
                state["status"] = json!("shipped");
                state["carrier"] = data["carrier"].clone();
                state["parcels"] = json!(data["parcel_weights_g"].as_array().unwrap().len());
                state["expected"] = data["estimated_delivery"].clone();
            }
            "OrderCancelled" => {
                state["status"] = json!("cancelled");
                state["reason"] = data["reason"].clone();
                state["refund_minor_units"] = data["refund_minor_units"].clone();
            }
            other => panic!("unexpected type {other}"),
        }
    }
    states
}

#[test]
fn jq_reducers_replay_states_from_both_stores_read_with_the_schema() {
    let states = order_states(&expected());
    assert!(states.len() >= 10, "a few orders");
    let reducers = arg(&sample("avro/reducers.json"));
    for store in [SINGLE_OBJECT, DATUMS] {
        for (stream, want) in &states {
            let got = cli_json([
                "state",
                &arg(&sample(store)),
                stream,
                "--reducers",
                &reducers,
                "--schema",
                &arg(&schema()),
            ]);
            assert_eq!(&got, want, "{store} {stream}");
        }
    }
}

#[test]
fn search_verify_and_events_see_the_records_with_the_schema() {
    let file = arg(&sample(SINGLE_OBJECT));
    let schema = arg(&schema());
    let expected = expected();
    let cancelled = expected
        .iter()
        .filter(|e| e["data"]["reason"] == "OUT_OF_STOCK")
        .count();
    let hits = cli_json([
        "search",
        &file,
        "--where",
        ".data.reason == \"OUT_OF_STOCK\"",
        "--json",
        "--schema",
        &schema,
    ]);
    assert_eq!(hits.as_array().unwrap().len(), cancelled, "{hits}");
    let verified = cli_json(["verify", &file, "--json", "--schema", &schema]);
    assert_eq!(verified["findings"], json!([]), "{verified}");
    let first = &expected[0];
    let stream = first["stream"].as_str().unwrap();
    let events = cli_json(["events", &file, stream, "--json", "--schema", &schema]);
    let event = &events.as_array().unwrap()[0];
    assert_eq!(event["data"], first["data"]);
    assert!(
        event["stored_payload"]["$bytes"]
            .as_str()
            .is_some_and(|hex| hex.starts_with("c301")),
        "{event}"
    );
}

/// `events --json` of the stream of the first event of `kind` in `store`, read with `codec`.
fn events_with_codec(store: &str, kind: &str, codec: Value) -> (Vec<Value>, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(schema(), dir.path().join("events.avsc")).unwrap();
    let layout = cli_json(["layout", &arg(&sample(store))]);
    let mut mapping = layout["mappings"][0].clone();
    mapping.as_object_mut().unwrap().remove("format_guesses");
    mapping["codec"] = codec;
    let path = dir.path().join("mapping.json");
    std::fs::write(&path, mapping.to_string()).unwrap();
    let expected = expected();
    let first = expected.iter().find(|e| e["type"] == kind).unwrap();
    let events = cli_json([
        "events",
        &arg(&sample(store)),
        first["stream"].as_str().unwrap(),
        "--json",
        "--mapping",
        &arg(&path),
    ]);
    (events.as_array().unwrap().clone(), expected)
}

#[test]
fn a_mapping_names_the_schema_beside_it_and_a_type_read_as_the_wrong_record_stays_raw() {
    // Relative to the mapping file; OrderShipped datums read as OrderCancelled.
    let (events, expected) = events_with_codec(
        DATUMS,
        "OrderShipped",
        json!({"format": "avro", "schema": "events.avsc",
               "types": {"OrderShipped": "shop.avro.OrderCancelled"}}),
    );
    crate::common::assert_kind_stays_raw(
        &events,
        &expected,
        "OrderShipped",
        "Avro (events.avsc): not a shop.avro.OrderCancelled",
    );
}

#[test]
fn a_fingerprint_of_no_schema_given_stays_raw_naming_it() {
    // Only OrderPlaced given: the other single-object payloads name schemas not given.
    let dir = tempfile::tempdir().unwrap();
    let schemas: Value = serde_json::from_str(&std::fs::read_to_string(schema()).unwrap()).unwrap();
    let only = dir.path().join("placed.avsc");
    std::fs::write(&only, schemas[0].to_string()).unwrap();
    let expected = expected();
    let paid = expected
        .iter()
        .find(|e| e["type"] == "PaymentReceived")
        .unwrap();
    let stream = paid["stream"].as_str().unwrap();
    let events = cli_json([
        "events",
        &arg(&sample(SINGLE_OBJECT)),
        stream,
        "--json",
        "--schema",
        &arg(&only),
    ]);
    for event in events.as_array().unwrap() {
        if event["type"] == "OrderPlaced" {
            assert_eq!(event["data"]["order_id"], paid["data"]["order_id"]);
        } else {
            let reason = event["data"]["$undecodable"]["reason"].as_str().unwrap();
            assert!(
                reason.starts_with(
                    "Avro (placed.avsc): single-object encoding whose writer schema fingerprint "
                ) && reason.ends_with("is none of the schemas given (shop.avro.OrderPlaced)"),
                "{reason}"
            );
        }
    }
}

#[test]
fn the_window_opened_with_a_schema_shows_the_record_and_its_stored_bytes() {
    let first = expected()[0].clone();
    let stream = first["stream"].as_str().unwrap();
    let order = first["data"]["order_id"].as_str().unwrap();
    crate::common::assert_window_reads_with_schema(
        SINGLE_OBJECT,
        stream,
        schema(),
        "Avro",
        &[order],
    );
}
