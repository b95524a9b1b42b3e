//! The `eventscope` binary: the JSON shapes of `streams`, `events`, `state`, `diff` and `layout` on the
//! sample stores, replayed states checked against a fold computed here from rows read with our own
//! connection, stream ids in other spellings, and errors (non-zero exit, message on stderr naming the file or
//! stream, nothing on stdout).

use std::path::Path;

use chrono::DateTime;
use eventscope::core::store::Store;
use serde_json::{Value, json};

use crate::common::{
    ALL_SAMPLES, BIG_ORDER, ORDER_HISTORY, PERSON_REGISTRY, SHOP, SINGLE_LOG, SMALL_ORDER, arg,
    cli_json, open_sqlite_read_only, sample,
};

fn sample_arg(name: &str) -> String {
    arg(&sample(name))
}

pub(crate) fn as_array(value: &Value) -> &Vec<Value> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("expected a JSON array, got {value}"))
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("expected a JSON object, got {value}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

/// Whether `text` is RFC 3339 in UTC written with a `Z`.
fn is_utc_rfc3339(text: &str) -> bool {
    text.ends_with('Z') && DateTime::parse_from_rfc3339(text).is_ok()
}

/// Deep merge written independently of the library: objects merge key by key, anything else replaces.
fn merged(state: Value, patch: &Value) -> Value {
    match (state, patch) {
        (Value::Object(mut fields), Value::Object(changes)) => {
            for (key, change) in changes {
                let old = fields.get(key).cloned().unwrap_or(Value::Null);
                fields.insert(key.clone(), merged(old, change));
            }
            Value::Object(fields)
        }
        (_, patch) => patch.clone(),
    }
}

/// The state after the first `count` payloads, folded here.
fn fold(payloads: &[Value], count: usize) -> Value {
    payloads
        .iter()
        .take(count)
        .filter(|p| p.is_object())
        .fold(json!({}), merged)
}

/// A stream's payloads in stream order, read with our own SQL.
fn payloads(path: &Path, sql: &str, stream: &dyn rusqlite::ToSql) -> Vec<Value> {
    let conn = open_sqlite_read_only(path);
    let mut stmt = conn.prepare(sql).expect("prepare payload query");
    stmt.query_map([stream], |r| r.get::<_, String>(0))
        .expect("run payload query")
        .map(|text| serde_json::from_str(&text.expect("a payload")).expect("payload is JSON"))
        .collect()
}

fn shop_payloads(stream: &str) -> Vec<Value> {
    payloads(
        &sample(SHOP),
        "SELECT data FROM events WHERE stream_id = ?1 ORDER BY version",
        &stream,
    )
}

/// Compare JSON Pointers segment by segment, numeric segments as numbers and before names.
fn pointer_order(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |p: &str| -> Vec<(u8, u64, String)> {
        p.split('/')
            .skip(1)
            .map(|s| match s.parse::<u64>() {
                Ok(n) if s == "0" || !s.starts_with('0') => (0, n, String::new()),
                _ => (1, 0, s.to_owned()),
            })
            .collect()
    };
    key(a).cmp(&key(b))
}

fn diff_paths(changes: &Value) -> Vec<&str> {
    as_array(changes)
        .iter()
        .map(|c| c["path"].as_str().expect("path is a string"))
        .collect()
}

// ------------------------------------------------------------------------------------------ streams

#[test]
fn streams_json_of_every_sample_has_the_documented_shape_and_counts() {
    let expected = [
        (SHOP, 65, 2_390),
        (ORDER_HISTORY, 20, 200),
        (SINGLE_LOG, 1, 300),
        (PERSON_REGISTRY, 30, 250),
    ];
    for (name, streams, events) in expected {
        let out = cli_json(["streams", &sample_arg(name), "--json"]);
        let list = as_array(&out);
        assert_eq!(list.len(), streams, "{name}");
        let total: u64 = list.iter().map(|s| s["events"].as_u64().unwrap_or(0)).sum();
        assert_eq!(total, events, "{name}");
        for s in list {
            assert_eq!(
                keys(s),
                ["events", "first_time", "id", "last_time", "type"],
                "{name}"
            );
            assert!(s["id"].is_string(), "{name}: {s}");
            assert!(s["type"].is_string() || s["type"].is_null(), "{name}: {s}");
            let first = s["first_time"].as_str().expect("first_time");
            let last = s["last_time"].as_str().expect("last_time");
            assert!(is_utc_rfc3339(first), "{name}: {first}");
            assert!(is_utc_rfc3339(last), "{name}: {last}");
            assert!(first <= last, "{name}: {s}");
        }
    }
}

#[test]
fn streams_json_matches_the_library_answer_for_every_sample() {
    for name in ALL_SAMPLES {
        let store = Store::open(&sample(name), None).expect("open");
        let library = serde_json::to_value(store.streams().expect("streams")).expect("to JSON");
        assert_eq!(
            cli_json(["streams", &sample_arg(name), "--json"]),
            library,
            "{name}"
        );
    }
}

#[test]
fn shop_streams_json_shows_order_and_customer_types_and_the_big_order() {
    let out = cli_json(["streams", &sample_arg(SHOP), "--json"]);
    let list = as_array(&out);
    let count = |t: &str| list.iter().filter(|s| s["type"] == t).count();
    assert_eq!(count("Order"), 50);
    assert_eq!(count("Customer"), 15);
    let big = list
        .iter()
        .find(|s| s["id"] == BIG_ORDER)
        .expect("the big order is listed");
    assert_eq!(big["events"], 200);
    assert_eq!(big["type"], "Order");
}

#[test]
fn order_history_and_single_log_streams_json_lists_numeric_ids_and_the_log() {
    let out = cli_json(["streams", &sample_arg(ORDER_HISTORY), "--json"]);
    let ids: Vec<&str> = as_array(&out)
        .iter()
        .map(|s| s["id"].as_str().unwrap_or(""))
        .collect();
    let expected: Vec<String> = (1..=20).map(|n| n.to_string()).collect();
    assert_eq!(ids, expected);
    assert_eq!(out[0]["first_time"], "2024-03-28T10:39:18Z");

    let out = cli_json(["streams", &sample_arg(SINGLE_LOG), "--json"]);
    assert_eq!(
        out,
        json!([{
            "id": "event_log",
            "type": null,
            "events": 300,
            "first_time": "2024-05-06T00:10:40.262Z",
            "last_time": "2024-05-12T23:41:46.933Z",
        }])
    );
}

// ------------------------------------------------------------------------------------------- events

#[test]
fn events_json_has_position_version_type_time_data_metadata_and_stream() {
    let out = cli_json(["events", &sample_arg(SHOP), SMALL_ORDER, "--json"]);
    let list = as_array(&out);
    assert_eq!(list.len(), 11);
    for (i, e) in list.iter().enumerate() {
        assert_eq!(
            keys(e),
            [
                "data", "metadata", "position", "stream", "time", "type", "version"
            ]
        );
        assert_eq!(e["stream"], SMALL_ORDER);
        assert_eq!(e["version"], i + 1);
        assert!(e["position"].is_i64());
        assert!(is_utc_rfc3339(e["time"].as_str().unwrap_or("")), "{e}");
        assert!(e["metadata"]["user"].is_string(), "{e}");
    }
    let types: Vec<&str> = list
        .iter()
        .map(|e| e["type"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        types,
        [
            "OrderCreated",
            "LineAdded",
            "NoteAdded",
            "NoteAdded",
            "LineAdded",
            "NoteAdded",
            "LineAdded",
            "LineAdded",
            "LineRemoved",
            "StatusChanged",
            "StatusChanged"
        ]
    );
    assert_eq!(list[0]["position"], 2222);
    assert_eq!(list[0]["time"], "2024-06-22T17:02:28.769221Z");
    assert_eq!(list[0]["metadata"]["user"], "carol@shop");
    let data: Vec<Value> = list.iter().map(|e| e["data"].clone()).collect();
    assert_eq!(data, shop_payloads(SMALL_ORDER), "data as stored");
}

#[test]
fn events_times_are_rfc3339_utc_ending_in_z_for_every_sample() {
    let cases = [
        (SHOP, BIG_ORDER, 200, "2024-03-16T23:30:30.923594Z"),
        (ORDER_HISTORY, "7", 10, "2024-03-19T22:35:14Z"),
        (SINGLE_LOG, "event_log", 300, "2024-05-06T00:10:40.262Z"),
        (PERSON_REGISTRY, "9", 10, "2023-12-04T17:05:06.116Z"),
    ];
    for (name, stream, count, first_time) in cases {
        let out = cli_json(["events", &sample_arg(name), stream, "--json"]);
        let list = as_array(&out);
        assert_eq!(list.len(), count, "{name} {stream}");
        for e in list {
            let time = e["time"].as_str().unwrap_or("");
            assert!(is_utc_rfc3339(time), "{name} {stream}: {time}");
            assert_eq!(e["stream"], stream);
        }
        let first = list[0]["time"].as_str().unwrap_or("");
        assert!(first.starts_with(first_time), "{name} {stream}: {first}");
    }
}

#[test]
fn events_json_of_a_store_without_versions_has_null_versions_and_increasing_positions() {
    let out = cli_json(["events", &sample_arg(ORDER_HISTORY), "7", "--json"]);
    let list = as_array(&out);
    let positions: Vec<i64> = list
        .iter()
        .map(|e| e["position"].as_i64().unwrap_or(0))
        .collect();
    assert_eq!(
        positions,
        [122, 123, 124, 125, 127, 128, 129, 130, 131, 152]
    );
    assert!(
        list.iter()
            .all(|e| e["version"].is_null() && e["metadata"].is_null())
    );
    assert_eq!(list[2]["type"], "ITEM_REMOVED");
    assert_eq!(
        list[2]["data"],
        json!({"items": {"banana": {"qty": 0}}, "total": 0.0})
    );
}

#[test]
fn events_json_describes_undecodable_payloads_with_reason_length_and_hex() {
    let out = cli_json(["events", &sample_arg(SINGLE_LOG), "event_log", "--json"]);
    let list = as_array(&out);
    assert_eq!(list.len(), 300);
    let raw = &list[41]["data"]["$undecodable"];
    assert_eq!(list[41]["position"], 42);
    assert_eq!(raw["len"], 24);
    assert_eq!(
        raw["hex"],
        "00ff8cb36f3e1300baa30647ff4a7972ea06e48d0e1dfa00"
    );
    assert!(
        raw["reason"].as_str().unwrap_or("").contains("UTF-8"),
        "{raw}"
    );

    let raw = &list[136]["data"]["$undecodable"];
    assert_eq!(raw["hex"], "fffe2074656d703d3231");
    assert_eq!(raw["text"], "\\xff\\xfe temp=21");

    let raw = &list[210]["data"]["$undecodable"];
    assert_eq!(raw["len"], 18);
    assert!(
        raw["reason"].as_str().unwrap_or("").starts_with("not JSON"),
        "{raw}"
    );

    assert_eq!(list[255]["position"], 256);
    assert_eq!(list[255]["data"], Value::Null);
    let undecodable = list
        .iter()
        .filter(|e| e["data"].get("$undecodable").is_some())
        .count();
    assert_eq!(undecodable, 3);
}

#[test]
fn a_uuid_stream_id_in_uppercase_or_without_dashes_still_finds_the_stream() {
    let canonical = cli_json(["events", &sample_arg(SHOP), SMALL_ORDER, "--json"]);
    let strip_stream = |events: &Value| -> Vec<Value> {
        as_array(events)
            .iter()
            .map(|e| {
                let mut e = e.clone();
                e.as_object_mut().map(|o| o.remove("stream"));
                e
            })
            .collect()
    };
    for spelling in [
        SMALL_ORDER.to_uppercase(),
        SMALL_ORDER.replace('-', ""),
        SMALL_ORDER.replace('-', "").to_uppercase(),
    ] {
        let out = cli_json(["events", &sample_arg(SHOP), &spelling, "--json"]);
        assert_eq!(as_array(&out).len(), 11, "{spelling}");
        assert_eq!(strip_stream(&out), strip_stream(&canonical), "{spelling}");
        let state = cli_json(["state", &sample_arg(SHOP), &spelling, "--json"]);
        assert_eq!(state["status"], "paid", "{spelling}");
    }
}

#[test]
fn events_for_an_uppercase_uuid_report_the_stream_id_as_streams_lists_it() {
    let out = cli_json([
        "events",
        &sample_arg(SHOP),
        &SMALL_ORDER.to_uppercase(),
        "--json",
    ]);
    for e in as_array(&out) {
        assert_eq!(e["stream"], SMALL_ORDER);
    }
}

// -------------------------------------------------------------------------------------------- state

#[test]
fn state_at_every_version_of_a_small_order_equals_an_independent_fold() {
    let payloads = shop_payloads(SMALL_ORDER);
    assert_eq!(payloads.len(), 11);
    for at in 1..=11 {
        let out = cli_json([
            "state",
            &sample_arg(SHOP),
            SMALL_ORDER,
            "--at",
            &at.to_string(),
            "--json",
        ]);
        assert_eq!(out, fold(&payloads, at), "state at version {at}");
    }
    let at_eight = fold(&payloads, 8);
    assert_eq!(at_eight["lines"].as_array().map(Vec::len), Some(4));
    assert_eq!(at_eight["total"], json!(179.05));
}

#[test]
fn state_of_the_big_order_equals_an_independent_fold_at_several_versions() {
    let payloads = shop_payloads(BIG_ORDER);
    assert_eq!(payloads.len(), 200);
    for at in [1, 3, 99, 198, 200] {
        let out = cli_json([
            "state",
            &sample_arg(SHOP),
            BIG_ORDER,
            "--at",
            &at.to_string(),
            "--json",
        ]);
        assert_eq!(out, fold(&payloads, at), "state at version {at}");
    }
    let last = cli_json(["state", &sample_arg(SHOP), BIG_ORDER, "--json"]);
    assert_eq!(last, fold(&payloads, 200));
    assert_eq!(last["status"], "delivered");
    assert_eq!(last["total"], json!(632.28));
    assert_eq!(last["lines"].as_array().map(Vec::len), Some(6));
}

#[test]
fn state_without_versions_counts_events_in_position_order() {
    let path = sample(ORDER_HISTORY);
    let payloads = payloads(
        &path,
        "SELECT data FROM order_history WHERE order_id = ?1 ORDER BY id",
        &1,
    );
    assert_eq!(payloads.len(), 11);
    for at in [1, 3, 7, 11] {
        let out = cli_json(["state", &arg(&path), "1", "--at", &at.to_string(), "--json"]);
        assert_eq!(out, fold(&payloads, at), "order 1 at {at}");
    }
    let last = cli_json(["state", &arg(&path), "1", "--json"]);
    assert_eq!(last["status"], "cancelled");
    assert_eq!(last["reason"], "payment failed");
    assert_eq!(last["items"]["tomato"]["qty"], 0);
}

#[test]
fn state_of_a_person_equals_an_independent_fold_of_the_bodies() {
    let path = sample(PERSON_REGISTRY);
    let payloads = payloads(
        &path,
        "SELECT body FROM person_events WHERE json_extract(body, '$.personId') = ?1 ORDER BY seq",
        &9,
    );
    assert_eq!(payloads.len(), 10);
    for at in [1, 9, 10] {
        let out = cli_json(["state", &arg(&path), "9", "--at", &at.to_string(), "--json"]);
        assert_eq!(out, fold(&payloads, at), "person 9 at {at}");
    }
    let last = cli_json(["state", &arg(&path), "9", "--json"]);
    assert_eq!(last["deleted"], true);
    assert_eq!(last["type"], "PERSON_DELETION");
}

#[test]
fn state_at_zero_is_an_empty_object() {
    for (name, stream) in [
        (SHOP, SMALL_ORDER),
        (ORDER_HISTORY, "20"),
        (SINGLE_LOG, "event_log"),
        (PERSON_REGISTRY, "30"),
    ] {
        let out = cli_json(["state", &sample_arg(name), stream, "--at", "0", "--json"]);
        assert_eq!(out, json!({}), "{name} {stream}");
    }
}

#[test]
fn state_of_the_single_log_skips_undecodable_payloads() {
    let path = sample(SINGLE_LOG);
    let at = |n: u32| {
        cli_json([
            "state",
            &arg(&path),
            "event_log",
            "--at",
            &n.to_string(),
            "--json",
        ])
    };
    assert_eq!(at(41), at(42), "the raw payload at 42 changes nothing");
    assert_eq!(at(255), at(256), "the null payload at 256 changes nothing");
    let last = cli_json(["state", &arg(&path), "event_log", "--json"]);
    assert_eq!(last["room"], "lobby");
    assert_eq!(last["temperature"], json!(22.1));
}

// --------------------------------------------------------------------------------------------- diff

#[test]
fn diff_between_adjacent_versions_reports_exactly_what_the_event_changed() {
    let file = sample_arg(SHOP);
    let diff = |from: &str, to: &str| {
        cli_json([
            "diff",
            &file,
            SMALL_ORDER,
            "--from",
            from,
            "--to",
            to,
            "--json",
        ])
    };
    assert_eq!(
        diff("10", "11"),
        json!([{"op": "replace", "path": "/status", "old": "placed", "new": "paid"}])
    );
    assert_eq!(
        diff("8", "9"),
        json!([
            {"op": "remove", "path": "/lines/3",
             "old": {"sku": "MUG-BLK", "name": "Mug, black 350 ml", "qty": 1, "unit_price": 7.25},
             "new": null},
            {"op": "replace", "path": "/total", "old": 179.05, "new": 171.8},
        ])
    );
    assert_eq!(
        diff("3", "4"),
        json!([{"op": "add", "path": "/notes/2", "old": null,
                "new": "Customer prefers delivery after 17:00."}])
    );
    assert_eq!(
        diff("0", "1").as_array().map(Vec::len),
        Some(6),
        "the first event adds six top-level keys"
    );
}

#[test]
fn diff_without_from_and_to_shows_the_last_event() {
    let out = cli_json(["diff", &sample_arg(SHOP), SMALL_ORDER, "--json"]);
    assert_eq!(
        out,
        json!([{"op": "replace", "path": "/status", "old": "placed", "new": "paid"}])
    );
    let only_to = cli_json([
        "diff",
        &sample_arg(SHOP),
        SMALL_ORDER,
        "--to",
        "3",
        "--json",
    ]);
    assert_eq!(
        only_to,
        json!([{"op": "add", "path": "/notes", "old": null,
                "new": {"1": "Price match approved by manager."}}])
    );
}

#[test]
fn diff_from_a_version_to_itself_is_empty() {
    let out = cli_json([
        "diff",
        &sample_arg(SHOP),
        BIG_ORDER,
        "--from",
        "120",
        "--to",
        "120",
        "--json",
    ]);
    assert_eq!(out, json!([]));
}

#[test]
fn diff_over_a_range_is_sorted_by_path_with_numeric_segments_as_numbers() {
    let out = cli_json([
        "diff",
        &sample_arg(SHOP),
        BIG_ORDER,
        "--from",
        "34",
        "--to",
        "44",
        "--json",
    ]);
    for change in as_array(&out) {
        assert_eq!(keys(change), ["new", "old", "op", "path"]);
        let op = change["op"].as_str().unwrap_or("");
        assert!(["add", "remove", "replace"].contains(&op), "{change}");
        match op {
            "add" => assert!(change["old"].is_null(), "{change}"),
            "remove" => assert!(change["new"].is_null(), "{change}"),
            _ => assert_ne!(change["old"], change["new"], "{change}"),
        }
    }
    let paths = diff_paths(&out);
    let mut sorted = paths.clone();
    sorted.sort_by(|a, b| pointer_order(a, b));
    assert_eq!(paths, sorted);
    let notes: Vec<&str> = paths
        .iter()
        .copied()
        .filter(|p| p.starts_with("/notes/"))
        .collect();
    assert_eq!(notes, ["/notes/9", "/notes/10", "/notes/11"]);
    assert_eq!(paths.last(), Some(&"/total"));
}

#[test]
fn diff_over_a_range_turns_the_earlier_fold_into_the_later_one() {
    let payloads = shop_payloads(BIG_ORDER);
    let (from, to) = (150, 200);
    let out = cli_json([
        "diff",
        &sample_arg(SHOP),
        BIG_ORDER,
        "--from",
        &from.to_string(),
        "--to",
        &to.to_string(),
        "--json",
    ]);
    let before = fold(&payloads, from);
    let after = fold(&payloads, to);
    for change in as_array(&out) {
        let path = change["path"].as_str().unwrap_or("");
        let old = before.pointer(path).cloned().unwrap_or(Value::Null);
        let new = after.pointer(path).cloned().unwrap_or(Value::Null);
        assert_eq!(change["old"], old, "old value at {path}");
        assert_eq!(change["new"], new, "new value at {path}");
    }
    let status = as_array(&out)
        .iter()
        .find(|c| c["path"] == "/status")
        .expect("the status changed");
    assert_eq!(status["op"], "replace");
    assert_eq!(status["old"], before["status"]);
    assert_eq!(status["new"], "delivered");
}

// ------------------------------------------------------------------------------------------- errors
