//! Thrift payloads in stores `thriftpy2` wrote (`sample-data/thrift/`). Without an IDL: the protocol
//! detected from sampled rows with its reason, every payload decoded to the field-id tree of what
//! thriftpy2 reads back (`expected.json`), states replayed by jq reducers keyed by field id matching a
//! fold of those payloads, and search, verify, `events --json` and the window seeing the decoded values
//! with the stored bytes beside them; hostile payloads stay raw with a reason each. With `events.thrift`
//! (`--schema`, or a mapping's codec): every payload is what thriftpy2 reads back by name
//! (`expected-named.json`), states replay by name, a struct that does not fit stays raw with the reason,
//! and fields the IDL lacks are kept and reported by verify.

use std::collections::BTreeMap;

use eventscope::core::decode::codec::{Format, bytes_of_stored};
use eventscope::core::store::{OpenOptions, Store};
use serde_json::{Value, json};

use crate::binary_payloads::{
    assert_hostile_payloads_stay_raw, assert_replayed_states, assert_replayed_states_with,
    events_with_codec, fold_states, window_shows_the_decoded_first_event,
};
use crate::common::{arg, cli_json, open_sqlite_read_only, sample};

const BINARY: &str = "thrift-binary.sqlite";
const COMPACT: &str = "thrift-compact.sqlite";
const STORES: [(&str, Format); 2] = [
    (BINARY, Format::ThriftBinary),
    (COMPACT, Format::ThriftCompact),
];

/// The events thriftpy2 read back from `store`'s payloads, in Eventscope's field-id rendering.
fn expected(store: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(sample("thrift/expected.json")).unwrap();
    let expected: Value = serde_json::from_str(&text).unwrap();
    expected["stores"][store]["events"]
        .as_array()
        .unwrap_or_else(|| panic!("expected.json has no events of {store}"))
        .clone()
}

fn open(name: &str) -> Store {
    Store::open(&sample(name), None).unwrap_or_else(|e| panic!("open {name}: {e}"))
}

#[test]
fn the_protocol_is_detected_from_sampled_rows_with_the_reason() {
    // The first 50 rows are sampled.
    for ((name, format), rows) in STORES.into_iter().zip([50, 34]) {
        let store = open(name);
        let mapping = store.mappings()[0];
        assert_eq!(mapping.codec.format, format, "{name}");
        let reason = format!(
            "{}: decoded every sampled row ({rows} of {rows})",
            format.name()
        );
        assert_eq!(mapping.format_reason(), Some(reason.clone()), "{name}");
        let layout = cli_json(["layout", &arg(&sample(name))]);
        let guesses = &layout["mappings"][0]["format_guesses"];
        assert_eq!(guesses[0]["format"], json!(format), "{name}: {layout}");
        assert_eq!(guesses[0]["decoded"], rows);
        // Neither self-describing format reads a Thrift payload, nor does the other protocol.
        for guess in guesses.as_array().unwrap().iter().skip(1) {
            assert_eq!(guess["decoded"], 0, "{name}: {guess}");
        }
        assert_eq!(layout["mappings"][0]["codec"]["format"], json!(format));
        assert_eq!(layout["mappings"][0]["table"], "event_log");
    }
}

#[test]
fn every_payload_decodes_to_what_thriftpy2_reads_back() {
    for (name, _) in STORES {
        let store = open(name);
        let conn = open_sqlite_read_only(&sample(name));
        let expected = expected(name);
        let mut seen = 0;
        for stream in store.streams().unwrap() {
            for event in store.events(&stream.id).unwrap() {
                let at = event.position;
                let want = expected
                    .iter()
                    .find(|e| e["position"] == at)
                    .unwrap_or_else(|| panic!("{name}: no expected event at {at}"));
                assert_eq!(want["stream"], json!(stream.id), "{name} {at}");
                assert_eq!(want["type"], json!(event.event_type), "{name} {at}");
                assert_eq!(want["version"], json!(event.version), "{name} {at}");
                assert_eq!(event.data.json(), Some(&want["data"]), "{name} {at}");
                // The stored bytes stay viewable beside the decoded value.
                let stored: Vec<u8> = conn
                    .query_row("SELECT payload FROM event_log WHERE id = ?1", [at], |r| {
                        r.get(0)
                    })
                    .unwrap();
                assert_eq!(
                    event.stored.as_ref().and_then(bytes_of_stored),
                    Some(stored)
                );
                seen += 1;
            }
        }
        assert_eq!(seen, expected.len(), "{name}: every event read");
    }
}

/// Every user's state as the sample's reducers should reach it, folded here from the expected payloads
/// (fields by id, as events.thrift numbers them).
fn user_states(expected: &[Value]) -> BTreeMap<String, Value> {
    fold_states(expected, |state, kind, data| match kind {
        "UserCreatedEvent" => {
            *state = json!({"name": data["2"], "email": data["3"], "role": data["4"],
                    "city": data["5"]["2"], "tags": data["6"], "logins": 0, "active": true});
        }
        "UserRenamed" => state["name"] = data["2"].clone(),
        "EmailChanged" => {
            state["email"] = data["1"].clone();
            state["verified"] = data["2"].clone();
        }
        "AvatarUploaded" => {
            state["avatar"] = json!({"sha1": data["5"]["$bytes"], "width": data["3"],
                    "height": data["4"]});
        }
        "LoginRecorded" => {
            state["logins"] = json!(state["logins"].as_i64().unwrap() + 1);
            state["last_ip"] = data["1"].clone();
            state["last_session"] = data["5"].clone();
        }
        "PreferencesUpdated" => {
            let notifications = state
                .as_object_mut()
                .unwrap()
                .entry("notifications")
                .or_insert_with(|| json!({}));
            for (channel, on) in data["1"].as_object().unwrap() {
                notifications[channel] = on.clone();
            }
        }
        "UserDeactivated" => {
            state["active"] = json!(false);
            state["balance_micros"] = data["2"].clone();
        }
        other => panic!("unexpected type {other}"),
    })
}

#[test]
fn jq_reducers_keyed_by_field_id_replay_each_users_state() {
    for (name, _) in STORES {
        let states = user_states(&expected(name));
        assert!(states.len() >= 4, "{name}: a few streams");
        assert_replayed_states(name, "thrift/reducers.json", states);
    }
}

#[test]
fn search_verify_and_events_see_the_decoded_values() {
    for (name, _) in STORES {
        let file = arg(&sample(name));
        let expected = expected(name);
        let slow = expected
            .iter()
            .filter(|e| e["type"] == "LoginRecorded")
            .filter(|e| e["data"]["2"].as_f64().unwrap() > 200.0)
            .count();
        assert!(slow > 0, "{name}");
        let hits = cli_json([
            "search",
            &file,
            "--type",
            "LoginRecorded",
            "--where",
            r#".data["2"] > 200"#,
            "--json",
        ]);
        assert_eq!(hits.as_array().unwrap().len(), slow, "{name}");
        let verified = cli_json(["verify", &file, "--json"]);
        assert_eq!(verified["findings"], json!([]), "{name}: {verified}");
        let first = &expected[0];
        let events = cli_json(["events", &file, first["stream"].as_str().unwrap(), "--json"]);
        let event = &events.as_array().unwrap()[0];
        assert_eq!(event["data"], first["data"], "{name}");
        assert!(
            event["stored_payload"]["$bytes"].as_str().is_some(),
            "{event}"
        );
    }
}

#[test]
fn a_mapping_fixes_the_protocol_and_the_wrong_one_shows_every_payload_raw_with_the_reason() {
    let expected = expected(COMPACT);
    let stream = expected[0]["stream"].as_str().unwrap();
    for event in events_with_codec(COMPACT, stream, json!("thrift-binary"))
        .as_array()
        .unwrap()
    {
        let reason = event["data"]["$undecodable"]["reason"].as_str().unwrap();
        assert!(reason.starts_with("not Thrift (binary): "), "{reason}");
    }
    let events = events_with_codec(COMPACT, stream, json!({"format": "thrift-compact"}));
    assert_eq!(events[0]["data"], expected[0]["data"]);
}

#[test]
fn the_window_shows_the_reason_the_decoded_payload_and_its_stored_bytes() {
    use egui_kittest::kittest::Queryable as _;

    let first = expected(BINARY)[0].clone();
    let stream = first["stream"].as_str().unwrap();
    let harness = window_shows_the_decoded_first_event(BINARY, stream, Format::ThriftBinary, 50);
    let email = first["data"]["3"].as_str().unwrap();
    assert!(harness.query_all_by_label_contains(email).next().is_some());
}

#[test]
fn hostile_payloads_stay_raw_with_a_reason_each_and_the_others_decode() {
    // {1: "a"} in the binary protocol.
    let good = vec![0x0b, 0, 1, 0, 0, 0, 1, b'a', 0];
    // A struct nested 100,000 deep: field 1 of each is the next.
    let mut deep = [0x0c, 0, 1].repeat(100_000);
    deep.extend(std::iter::repeat_n(0, 100_001));
    let rows = [
        ("Good", good.clone(), ""),
        ("Deep", deep, "nested deeper than 127 levels"),
        (
            "HugeString",
            vec![0x0b, 0, 1, 0x7f, 0xff, 0xff, 0xff, b'a', 0],
            "a string declares 2147483647 bytes",
        ),
        (
            "HugeList",
            vec![0x0f, 0, 1, 0x0a, 0x7f, 0xff, 0xff, 0xff, 0],
            "a list declares 2147483647 items",
        ),
        (
            "Cut",
            good[..5].to_vec(),
            "cut short inside a string's length at offset 3",
        ),
        ("Trailing", [&good[..], &[0xff]].concat(), "trailing data"),
        ("UnknownType", vec![0x05, 0, 1, 0], "unknown type id 5"),
    ];
    assert_hostile_payloads_stay_raw(Format::ThriftBinary, &rows, &json!({"1": "a"}));
}

#[test]
fn the_mapping_editor_offers_both_protocols_and_shows_the_one_detected() {
    use eframe::egui;
    use egui::accesskit::Role;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;
    use eventscope::app::{EventscopeApp, StartOptions};

    let start = StartOptions {
        file: Some(sample(COMPACT)),
        ..Default::default()
    };
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 900.0))
        .build_eframe(move |cc| EventscopeApp::new(cc, start));
    crate::common::step_until(&mut harness, "the streams list", |app| {
        app.session()
            .is_some_and(|s| s.streams().listed() && s.progress().is_none())
    });
    harness.get_by_label("Layout").click();
    crate::common::step_until(&mut harness, "the mapping editor", |app| {
        app.mapping_editor_open()
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while harness
        .query_by_role_and_label(Role::ComboBox, "Payload format")
        .is_none()
    {
        if std::time::Instant::now() > deadline {
            use egui_kittest::kittest::NodeT as _;
            let shown: Vec<String> = (harness.root().children_recursive())
                .filter_map(|n| n.accesskit_node().label())
                .collect();
            panic!("no Payload format; the window shows {shown:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        harness.step();
    }
    let combo = harness.get_by_role_and_label(Role::ComboBox, "Payload format");
    assert_eq!(combo.value().as_deref(), Some("Thrift (compact)"));
    harness
        .get_by_label_contains("detected: Thrift (compact): decoded every sampled row (34 of 34)");
    combo.scroll_to_me();
    harness.run_steps(3);
    // A preview answering redraws the form, which may close the list just opened (more likely on a busy
    // machine): open it again until it lists every format.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        harness
            .get_by_role_and_label(Role::ComboBox, "Payload format")
            .click();
        harness.run_steps(2);
        let listed = harness.query_by_role(Role::ListBox).is_some_and(|options| {
            Format::ALL
                .iter()
                .all(|f| options.query_by_label(f.name()).is_some())
        });
        if listed {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the Payload format list never showed every format"
        );
        if harness.query_by_role(Role::ListBox).is_some() {
            harness.key_press(egui::Key::Escape);
            harness.run_steps(2);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        harness.step();
    }
}

/// What thriftpy2 read back from `store`'s payloads with the IDL, by name.
fn expected_named(store: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(sample("thrift/expected-named.json")).unwrap();
    let expected: Value = serde_json::from_str(&text).unwrap();
    expected["stores"][store]["events"]
        .as_array()
        .unwrap()
        .clone()
}

fn idl() -> std::path::PathBuf {
    sample("thrift/events.thrift")
}

#[test]
fn with_the_idl_every_payload_is_what_thriftpy2_reads_back_by_name() {
    for (name, format) in STORES {
        let options = OpenOptions {
            schema: Some(idl()),
            ..OpenOptions::default()
        };
        let store = Store::open_with(&sample(name), options).unwrap();
        assert_eq!(store.mappings()[0].codec.format, format, "{name}");
        let expected = expected_named(name);
        let mut seen = 0;
        for stream in store.streams().unwrap() {
            for event in store.events(&stream.id).unwrap() {
                let at = event.position;
                let want = expected.iter().find(|e| e["position"] == at).unwrap();
                assert_eq!(want["type"], json!(event.event_type), "{name} {at}");
                assert_eq!(event.data.json(), Some(&want["data"]), "{name} {at}");
                seen += 1;
            }
        }
        assert_eq!(seen, expected.len(), "{name}: every event read");
    }
    // Names, enums by name, nested structs, enum map keys: the first events of each type.
    let named = expected_named(BINARY);
    let created = &named[0]["data"];
    assert_eq!(created["role"], "EDITOR");
    assert_eq!(created["address"]["city"], "Turin");
    let prefs = named.iter().find(|e| e["type"] == "PreferencesUpdated");
    let notifications = prefs.unwrap()["data"]["notifications"].as_object().unwrap();
    assert!(
        notifications
            .keys()
            .all(|k| ["EMAIL", "SMS", "PUSH"].contains(&k.as_str()))
    );
}

#[test]
fn the_cli_reads_by_name_with_schema_and_with_a_mapping_naming_the_idl() {
    let expected = expected_named(COMPACT);
    let renamed = expected
        .iter()
        .find(|e| e["type"] == "UserRenamed")
        .unwrap();
    let stream = renamed["stream"].as_str().unwrap();
    let wanted: Vec<&Value> = expected
        .iter()
        .filter(|e| e["stream"] == stream)
        .map(|e| &e["data"])
        .collect();
    let file = arg(&sample(COMPACT));
    let events = cli_json(["events", &file, stream, "--json", "--schema", &arg(&idl())]);
    let got: Vec<&Value> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["data"])
        .collect();
    assert_eq!(got, wanted);
    assert!(
        events[0]["stored_payload"]["$bytes"].is_string(),
        "{}",
        events[0]
    );
    // A mapping naming the IDL.
    let codec = json!({"format": "thrift-compact", "schema": arg(&idl()),
                       "types": {"UserRenamed": "EmailChanged"}});
    let events = events_with_codec(COMPACT, stream, codec);
    // UserRenamed read as EmailChanged: its field 2 is a string, not EmailChanged's bool.
    crate::common::assert_kind_stays_raw(
        events.as_array().unwrap(),
        &expected,
        "UserRenamed",
        "Thrift (compact) (events.thrift): not a events.EmailChanged: field 2 (verified) is declared bool but stored as a string or binary",
    );
}

/// Every user's state by the named reducers, folded from what thriftpy2 read back by name.
fn named_user_states(expected: &[Value]) -> BTreeMap<String, Value> {
    fold_states(expected, |state, kind, data| match kind {
        "UserCreatedEvent" => {
            *state = json!({"name": data["name"], "role": data["role"],
                    "city": data["address"]["city"], "logins": 0});
        }
        "UserRenamed" => state["name"] = data["new_name"].clone(),
        "LoginRecorded" => {
            state["logins"] = json!(state["logins"].as_i64().unwrap() + 1);
            state["last_device"] = data["devices"][0]["name"].clone();
        }
        "PreferencesUpdated" => state["email_digest"] = data["notifications"]["EMAIL"].clone(),
        _ => {}
    })
}

#[test]
fn with_the_idl_jq_reducers_read_fields_by_name_and_replay_each_users_state() {
    let dir = tempfile::tempdir().unwrap();
    let reducers = dir.path().join("reducers.json");
    let text = json!({"initial": {}, "reducers": {
        "UserCreatedEvent": "{name: $event.data.name, role: $event.data.role, city: $event.data.address.city, logins: 0}",
        "UserRenamed": ".name = $event.data.new_name",
        "LoginRecorded": ".logins += 1 | .last_device = $event.data.devices[0].name",
        "PreferencesUpdated": ".email_digest = $event.data.notifications.EMAIL",
    }});
    std::fs::write(&reducers, text.to_string()).unwrap();
    let schema = arg(&idl());
    for (name, _) in STORES {
        let states = named_user_states(&expected_named(name));
        assert!(states.len() >= 4, "{name}");
        assert!(
            states.values().all(|s| s["role"].is_string()),
            "enums by name"
        );
        assert_replayed_states_with(name, &reducers, &["--schema", &schema], states);
    }
}

#[test]
fn fields_the_idl_does_not_declare_are_kept_and_verify_reports_the_drift() {
    // An older IDL: UserCreatedEvent without 8: created_at_ms, Address without 4: postcode.
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::read_to_string(idl()).unwrap();
    let older = full
        .replace("  8: i64 created_at_ms,\n", "")
        .replace("  4: optional i32 postcode,\n", "");
    assert_ne!(older, full);
    let schema = dir.path().join("events.thrift");
    std::fs::write(&schema, older).unwrap();
    let expected = expected_named(BINARY);
    let file = arg(&sample(BINARY));
    let first = &expected[0];
    let events = cli_json([
        "events",
        &file,
        first["stream"].as_str().unwrap(),
        "--json",
        "--schema",
        &arg(&schema),
    ]);
    let data = &events[0]["data"];
    assert_eq!(
        data["$unknown"],
        json!({"8": first["data"]["created_at_ms"]})
    );
    assert_eq!(data["address"]["$unknown"], json!({"4": 10121}));
    assert_eq!(data["name"], first["data"]["name"]);
    let created = expected
        .iter()
        .filter(|e| e["type"] == "UserCreatedEvent")
        .count();
    let sample = sample(BINARY);
    crate::common::assert_schema_drift(&sample, &schema, created, "UserCreatedEvent", "/ (8)");
    // With the IDL the writer used, nothing.
    let current = cli_json(["verify", &file, "--json", "--schema", &arg(&idl())]);
    assert_eq!(current["findings"], json!([]), "{current}");
}

#[test]
fn the_window_opened_with_the_idl_shows_fields_by_name_and_the_stored_bytes() {
    let first = expected_named(BINARY)[0].clone();
    let stream = first["stream"].as_str().unwrap();
    let role = first["data"]["role"].as_str().unwrap();
    let shown = [role, "created_at_ms"];
    crate::common::assert_window_reads_with_schema(
        BINARY,
        stream,
        idl(),
        "Thrift (binary)",
        &shown,
    );
}
