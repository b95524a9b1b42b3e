//! Protocol Buffers payloads written by Python's `protobuf` package from classes `grpcio-tools` generated
//! (`sample-data/protobuf/`): without a schema the column is not taken for protobuf (the guess is listed
//! with its reason), a mapping naming the format shows every payload's wire tree, and with the descriptor
//! set (`--schema`, or the codec's `schema`) every payload is what the library's `MessageToDict` reads
//! back; replay, search, verify and `events --json` see those values, and a payload that is not its
//! message stays raw with the reason.

use std::collections::BTreeMap;
use std::path::PathBuf;

use eventscope::core::decode::codec::Format;
use eventscope::core::model::Payload;
use eventscope::core::store::{OpenOptions, Store};
use serde_json::{Value, json};

use crate::common::{arg, cli_error, cli_json, sample};

const STORE: &str = "protobuf.sqlite";

fn expected() -> Vec<Value> {
    let text = std::fs::read_to_string(sample("protobuf/expected.json")).unwrap();
    let expected: Value = serde_json::from_str(&text).unwrap();
    expected["events"].as_array().unwrap().clone()
}

fn descriptors() -> PathBuf {
    sample("protobuf/events.desc")
}

fn open_with_schema() -> Store {
    Store::open_with(
        &sample(STORE),
        OpenOptions {
            schema: Some(descriptors()),
            ..OpenOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("open {STORE}: {e}"))
}

/// Every event of `store` checked against its expected event, `field` (`data` or `wire`) its payload.
fn assert_every_payload(store: &Store, field: &str) {
    crate::common::assert_payloads_read_back(store, STORE, &expected(), field);
}

#[test]
fn without_a_schema_protobuf_is_listed_with_its_reason_but_not_chosen() {
    let store = Store::open(&sample(STORE), None).unwrap();
    let mapping = store.mappings()[0];
    assert_eq!(mapping.codec.format, Format::Json);
    let layout = cli_json(["layout", &arg(&sample(STORE))]);
    let guesses = layout["mappings"][0]["format_guesses"].as_array().unwrap();
    let protobuf = guesses
        .iter()
        .find(|g| g["format"] == "protobuf")
        .unwrap_or_else(|| panic!("protobuf listed: {layout}"));
    let rows = expected().len();
    assert_eq!(
        protobuf["reason"],
        format!(
            "Protocol Buffers: decoded every sampled row ({rows} of {rows}) as a wire tree; \
             not chosen without a mapping's \"codec\": \"protobuf\" or a schema"
        )
    );
    // Left undecoded, each payload is raw (with the reason), never dropped.
    let events = store
        .events(expected()[0]["stream"].as_str().unwrap())
        .unwrap();
    assert!(events.iter().all(|e| matches!(e.data, Payload::Raw { .. })));
}

#[test]
fn a_mapping_naming_protobuf_shows_every_payload_as_its_wire_tree() {
    let mut mapping = Store::open(&sample(STORE), None).unwrap().mappings()[0].clone();
    mapping.codec.format = Format::Protobuf;
    mapping.format_guesses.clear();
    let store = Store::open(&sample(STORE), Some(mapping)).unwrap();
    assert_every_payload(&store, "wire");
}

#[test]
fn with_the_descriptor_set_every_payload_is_what_the_library_reads_back() {
    let store = open_with_schema();
    assert_eq!(store.mappings()[0].codec.format, Format::Protobuf);
    // What the window's top bar says of the format: the schema, not the bytes' guess.
    assert_eq!(
        store.mappings()[0].format_reason().as_deref(),
        Some("Protocol Buffers, read with the schema events.desc")
    );
    assert_every_payload(&store, "data");
}

/// Every order's state, as the sample's reducers should reach it, folded from the expected payloads.
fn order_states(expected: &[Value]) -> BTreeMap<String, Value> {
    let units = |v: &Value| v.as_str().unwrap().parse::<i64>().unwrap();
    let mut states: BTreeMap<String, Value> = BTreeMap::new();
    for event in expected {
        let state = states
            .entry(event["stream"].as_str().unwrap().to_owned())
            .or_insert_with(|| json!({}));
        let data = &event["data"];
        match event["type"].as_str().unwrap() {
            "OrderPlaced" => {
                let items = data["items"].as_array().unwrap();
                *state = json!({"order": data["orderId"], "customer": data["customerId"],
                    "items": items.iter().map(|i| i["quantity"].as_i64().unwrap()).sum::<i64>(),
                    "currency": items[0]["unitPrice"]["currency"],
                    "tags": data.get("tags").cloned().unwrap_or(json!([])), "status": "placed"});
            }
            "PaymentReceived" => {
                state["status"] = json!("paid");
                state["paid_minor_units"] = json!(units(&data["amount"]["minorUnits"]));
                state["method"] = json!(if data.get("card").is_some() {
                    "card"
                } else if data.get("bankTransfer").is_some() {
                    "bank transfer"
                } else {
                    "voucher"
                });
            }
            "OrderShipped" => {
                state["status"] = json!("shipped");
                state["carrier"] = data["carrier"].clone();
                state["parcels"] = json!(data["parcelWeightsG"].as_array().unwrap().len());
            }
            "OrderCancelled" => {
                state["status"] = json!("cancelled");
                state["reason"] = data["reason"].clone();
                state["refund_minor_units"] = json!(units(&data["refundMinorUnits"]));
            }
            other => panic!("unexpected type {other}"),
        }
    }
    states
}

#[test]
fn jq_reducers_replay_states_from_the_messages_read_with_the_schema() {
    let states = order_states(&expected());
    assert!(states.len() >= 10, "a few orders");
    let reducers = arg(&sample("protobuf/reducers.json"));
    let schema = arg(&descriptors());
    for (stream, want) in states {
        let got = cli_json([
            "state",
            &arg(&sample(STORE)),
            &stream,
            "--reducers",
            &reducers,
            "--schema",
            &schema,
        ]);
        assert_eq!(got, want, "{stream}");
    }
}

#[test]
fn search_verify_and_events_see_the_messages_with_the_schema() {
    let file = arg(&sample(STORE));
    let schema = arg(&descriptors());
    let expected = expected();
    let reason = &expected
        .iter()
        .find(|e| e["type"] == "OrderCancelled")
        .unwrap()["data"]["reason"];
    let cancelled = expected
        .iter()
        .filter(|e| e["data"]["reason"] == *reason)
        .count();
    let hits = cli_json([
        "search",
        &file,
        "--where",
        &format!(".data.reason == {reason}"),
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
        event["stored_payload"]["$bytes"].as_str().is_some(),
        "{event}"
    );
}

#[test]
fn a_mapping_names_the_schema_beside_it_and_a_type_read_as_the_wrong_message_stays_raw() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(descriptors(), dir.path().join("events.desc")).unwrap();
    let layout = cli_json(["layout", &arg(&sample(STORE))]);
    let mut mapping = layout["mappings"][0].clone();
    mapping.as_object_mut().unwrap().remove("format_guesses");
    // Relative to the mapping file; OrderShipped read as the wrong message.
    mapping["codec"] = json!({"format": "protobuf", "schema": "events.desc",
                              "types": {"OrderShipped": "shop.v1.OrderCancelled"}});
    let path = dir.path().join("mapping.json");
    std::fs::write(&path, mapping.to_string()).unwrap();
    let expected = expected();
    let shipped = expected
        .iter()
        .find(|e| e["type"] == "OrderShipped")
        .unwrap();
    let stream = shipped["stream"].as_str().unwrap();
    let events = cli_json([
        "events",
        &arg(&sample(STORE)),
        stream,
        "--json",
        "--mapping",
        &arg(&path),
    ]);
    crate::common::assert_kind_stays_raw(
        events.as_array().unwrap(),
        &expected,
        "OrderShipped",
        "Protocol Buffers (events.desc): not a shop.v1.OrderCancelled",
    );
}

#[test]
fn a_missing_or_invalid_schema_fails_naming_the_file() {
    let file = arg(&sample(STORE));
    let message = cli_error(["streams", &file, "--schema", "no-such.desc"]);
    assert!(
        message.contains("schema no-such.desc: cannot read it"),
        "{message}"
    );
    let not_a_set = arg(&sample("protobuf/reducers.json"));
    let message = cli_error(["streams", &file, "--schema", &not_a_set]);
    assert!(message.contains("reducers.json"), "{message}");
    assert!(
        message.contains("not a protobuf descriptor set"),
        "{message}"
    );
}

#[test]
fn a_proto_file_given_as_the_schema_reads_as_its_descriptor_set_does() {
    let store = Store::open_with(
        &sample(STORE),
        OpenOptions {
            schema: Some(sample("protobuf/events.proto")),
            ..OpenOptions::default()
        },
    )
    .unwrap();
    assert_every_payload(&store, "data");
}

#[test]
fn the_window_opened_with_a_schema_shows_the_message_and_its_stored_bytes() {
    let first = expected()[0].clone();
    let stream = first["stream"].as_str().unwrap();
    let order = first["data"]["orderId"].as_str().unwrap();
    let format = "Protocol Buffers";
    crate::common::assert_window_reads_with_schema(STORE, stream, descriptors(), format, &[order]);
}

/// Payloads written with a newer schema than the one given keep the fields it does not know under
/// `"$unknown"`, and verify says which events carry them: an older events.proto, without
/// OrderShipped.total_weight_kg, reads the sample.
#[test]
fn verify_names_the_events_written_with_fields_the_schema_does_not_know() {
    let dir = tempfile::tempdir().unwrap();
    let proto = std::fs::read_to_string(sample("protobuf/events.proto")).unwrap();
    let older = proto.replace("  double total_weight_kg = 6;\n", "");
    assert_ne!(older, proto);
    let schema = dir.path().join("events.proto");
    std::fs::write(&schema, older).unwrap();
    let shipped = expected()
        .iter()
        .filter(|e| e["type"] == "OrderShipped" && e["data"].get("totalWeightKg").is_some())
        .count();
    assert!(shipped > 0);
    crate::common::assert_schema_drift(&sample(STORE), &schema, shipped, "OrderShipped", "/ (6:");
    // With the schema the writer used, nothing.
    let current = cli_json([
        "verify",
        &arg(&sample(STORE)),
        "--json",
        "--schema",
        &arg(&descriptors()),
    ]);
    assert_eq!(current["findings"], json!([]), "{current}");
}
