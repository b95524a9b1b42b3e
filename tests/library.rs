//! The library core against the four sample stores: `Store::open` with layout detection, stream lists and
//! counts (checked against rows counted through a connection of our own), event order, payload decoding
//! (undecodable bytes kept raw), replayed state via `replay` with `DeepMerge`, explicit mappings, and the
//! errors for files that are not event stores.

use std::collections::BTreeMap;
use std::path::Path;

use eventscope::core::layout::{Mapping, Source};
use eventscope::core::model::{Event, Payload, StreamSummary};
use eventscope::core::replay::{DeepMerge, replay};
use eventscope::core::store::{Store, StoreError};
use serde_json::{Value, json};

use crate::common::{
    BIG_ORDER, ORDER_HISTORY, PERSON_REGISTRY, SHOP, SINGLE_LOG, SMALL_ORDER, count_rows,
    open_sqlite_read_only, sample,
};

fn open(name: &str) -> Store {
    let path = sample(name);
    Store::open(&path, None).unwrap_or_else(|e| panic!("open {name}: {e}"))
}

fn streams(store: &Store) -> Vec<StreamSummary> {
    store.streams().expect("list streams")
}

fn events(store: &Store, id: &str) -> Vec<Event> {
    store
        .events(id)
        .unwrap_or_else(|e| panic!("events of {id}: {e}"))
}

fn final_state(store: &Store, id: &str) -> Value {
    let summary = store.stream(id).expect("stream summary");
    replay(
        &DeepMerge,
        summary.stream_type.as_deref(),
        &events(store, id),
    )
    .expect("replay")
}

fn ids(list: &[StreamSummary]) -> Vec<&str> {
    list.iter().map(|s| s.id.as_str()).collect()
}

/// Event counts per stream as our own `GROUP BY` sees them.
fn counts_by(path: &Path, sql: &str) -> BTreeMap<String, u64> {
    let conn = open_sqlite_read_only(path);
    let mut stmt = conn.prepare(sql).expect("prepare count query");
    stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
        ))
    })
    .expect("run count query")
    .collect::<rusqlite::Result<_>>()
    .expect("read counts")
}

fn library_counts(list: &[StreamSummary]) -> BTreeMap<String, u64> {
    list.iter().map(|s| (s.id.clone(), s.events)).collect()
}

fn one_to(n: usize) -> Vec<String> {
    (1..=n).map(|i| i.to_string()).collect()
}

fn error_of(result: Result<Store, StoreError>) -> StoreError {
    match result {
        Ok(store) => panic!("expected an error, opened {store:?}"),
        Err(err) => err,
    }
}

// ---------------------------------------------------------------------------------------------- shop

#[test]
fn shop_store_lists_fifty_orders_and_fifteen_customers() {
    let store = open(SHOP);
    let list = streams(&store);
    assert_eq!(list.len(), 65);
    let of_type = |t: &'static str| {
        list.iter()
            .filter(move |s| s.stream_type.as_deref() == Some(t))
    };
    assert_eq!(of_type("Order").count(), 50);
    assert_eq!(of_type("Customer").count(), 15);
    assert_eq!(of_type("Order").map(|s| s.events).sum::<u64>(), 2_339);
    assert_eq!(of_type("Customer").map(|s| s.events).sum::<u64>(), 51);
    let mut sorted = ids(&list);
    sorted.sort_unstable();
    assert_eq!(ids(&list), sorted, "UUID stream ids come sorted");
}

#[test]
fn shop_layout_is_detected_as_a_plain_events_table() {
    let store = open(SHOP);
    let m = store.mapping();
    assert_eq!(m.table, "events");
    assert_eq!(m.layout, "events table");
    assert_eq!(m.position, Source::Column("id".into()));
    assert_eq!(m.stream, [Source::Column("stream_id".into())]);
    assert_eq!(m.stream_type, Some(Source::Column("stream_type".into())));
    assert_eq!(m.version, Some(Source::Column("version".into())));
    assert_eq!(m.event_type, Some(Source::Column("type".into())));
    assert_eq!(m.time, Some(Source::Column("created_at".into())));
    assert_eq!(m.data.as_deref(), Some("data"));
    assert_eq!(m.metadata.as_deref(), Some("metadata"));
    assert_eq!(store.info().journal_mode, "rollback");
    assert!(!store.info().immutable);
}

#[test]
fn shop_stream_event_counts_match_our_own_count_of_the_rows() {
    let path = sample(SHOP);
    let list = streams(&open(SHOP));
    assert_eq!(list.iter().map(|s| s.events).sum::<u64>(), 2_390);
    assert_eq!(count_rows(&path, "events"), 2_390);
    let ours = counts_by(
        &path,
        "SELECT stream_id, count(*) FROM events GROUP BY stream_id",
    );
    assert_eq!(library_counts(&list), ours);
}

#[test]
fn every_shop_stream_reads_versions_one_to_n_in_time_order() {
    let store = open(SHOP);
    for summary in streams(&store) {
        let evs = events(&store, &summary.id);
        assert_eq!(evs.len() as u64, summary.events, "stream {}", summary.id);
        let versions: Vec<Option<i64>> = evs.iter().map(|e| e.version).collect();
        let expected: Vec<Option<i64>> = (1..=evs.len() as i64).map(Some).collect();
        assert_eq!(versions, expected, "versions of {}", summary.id);
        assert!(
            evs.windows(2)
                .all(|w| w[0].position < w[1].position && w[0].time < w[1].time),
            "stream {} is in position and time order",
            summary.id
        );
        assert!(evs.iter().all(|e| e.stream == summary.id));
        assert_eq!(evs.first().and_then(|e| e.time), summary.first_time);
        assert_eq!(evs.last().and_then(|e| e.time), summary.last_time);
        let first_type = if summary.stream_type.as_deref() == Some("Order") {
            "OrderCreated"
        } else {
            "CustomerRegistered"
        };
        assert_eq!(evs[0].event_type, first_type, "stream {}", summary.id);
    }
}

#[test]
fn the_biggest_shop_order_has_two_hundred_events_and_ends_delivered() {
    let store = open(SHOP);
    let list = streams(&store);
    let biggest = list.iter().max_by_key(|s| s.events).expect("some streams");
    assert_eq!(biggest.id, BIG_ORDER);
    assert_eq!(biggest.events, 200);
    assert_eq!(biggest.stream_type.as_deref(), Some("Order"));

    let evs = events(&store, BIG_ORDER);
    assert_eq!(evs.len(), 200);
    let types: Vec<&str> = evs[195..].iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "StatusChanged",
            "StatusChanged",
            "StatusChanged",
            "OrderShipped",
            "StatusChanged"
        ]
    );

    let state = final_state(&store, BIG_ORDER);
    assert_eq!(state["status"], "delivered");
    assert_eq!(state["lines"].as_array().map(Vec::len), Some(6));
    assert_eq!(state["total"], json!(632.28));
    assert_eq!(
        state["discount"],
        json!({"code": "WELCOME10", "percent": 10})
    );
    assert_eq!(state["notes"].as_object().map(|n| n.len()), Some(67));
    assert_eq!(state["shipping"]["carrier"], "UPS");
    assert_eq!(state["shipping"]["tracking"], "1Z489326024387");
    assert_eq!(
        state["shipping"]["method"], "standard",
        "kept from OrderCreated"
    );
    assert_eq!(state["customer_id"], "eefcc4a5-f9ed-40bb-86f8-2be6fe3c409c");
}

#[test]
fn a_small_order_replays_to_paid_with_three_lines_and_earlier_prefixes_show_earlier_states() {
    let store = open(SHOP);
    let evs = events(&store, SMALL_ORDER);
    assert_eq!(evs.len(), 11);
    assert_eq!(
        evs[0].time.map(|t| t.to_rfc3339()),
        Some("2024-06-22T17:02:28.769221+00:00".to_owned())
    );
    let metadata = evs[0].metadata.as_ref().and_then(Payload::json);
    assert!(
        metadata.is_some_and(|m| m["user"].is_string() && m["correlation_id"].is_string()),
        "metadata is decoded: {metadata:?}"
    );

    let state = final_state(&store, SMALL_ORDER);
    assert_eq!(
        state,
        json!({
            "customer_id": "0e6b92f1-451e-41c6-b7e7-d177e4385b3f",
            "currency": "EUR",
            "status": "paid",
            "lines": [
                {"sku": "SCL-DIG", "name": "Digital scale 0.1 g", "qty": 1, "unit_price": 31.8},
                {"sku": "ESP-1000", "name": "Espresso beans 1 kg", "qty": 4, "unit_price": 29.5},
                {"sku": "DRP-V60", "name": "Pour-over dripper", "qty": 1, "unit_price": 22.0},
            ],
            "shipping": {"method": "standard", "address": {
                "street": "Rue de la Paix 122", "city": "Kraków", "zip": "31-042", "country": "PL"}},
            "total": 171.8,
            "notes": {
                "1": "Price match approved by manager.",
                "2": "Customer prefers delivery after 17:00.",
                "3": "Warehouse reports one damaged mug, replaced.",
            },
        })
    );

    // After 8 events a fourth line (the mug) was in the order; event 9 removed it again.
    let after_eight = replay(&DeepMerge, Some("Order"), &evs[..8]).expect("replay prefix");
    assert_eq!(after_eight["lines"].as_array().map(Vec::len), Some(4));
    assert_eq!(after_eight["lines"][3]["sku"], "MUG-BLK");
    assert_eq!(after_eight["total"], json!(179.05));
    assert_eq!(after_eight["status"], "draft");
    let nothing = replay(&DeepMerge, Some("Order"), &[]).expect("replay nothing");
    assert_eq!(nothing, json!({}));
}

#[test]
fn a_customer_replays_to_the_address_and_tier_of_its_last_changes() {
    let store = open(SHOP);
    let id = "0e6b92f1-451e-41c6-b7e7-d177e4385b3f";
    let summary = store.stream(id).expect("customer stream");
    assert_eq!(summary.stream_type.as_deref(), Some("Customer"));
    assert_eq!(summary.events, 5);
    let types: Vec<String> = events(&store, id)
        .into_iter()
        .map(|e| e.event_type)
        .collect();
    assert_eq!(
        types,
        [
            "CustomerRegistered",
            "CustomerTierChanged",
            "CustomerAddressChanged",
            "CustomerTierChanged",
            "CustomerTierChanged"
        ]
    );
    assert_eq!(
        final_state(&store, id),
        json!({
            "name": "Mateo Kowalski",
            "email": "mateo.kowalski@example.com",
            "address": {"street": "Rue de la Paix 122", "city": "Kraków", "zip": "31-042", "country": "PL"},
            "tier": "silver",
        })
    );
}

#[test]
fn shop_orders_end_in_the_documented_mix_of_statuses() {
    let store = open(SHOP);
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    for summary in streams(&store) {
        if summary.stream_type.as_deref() != Some("Order") {
            continue;
        }
        let state = final_state(&store, &summary.id);
        let status = state["status"].as_str().expect("every order has a status");
        *statuses.entry(status.to_owned()).or_default() += 1;
    }
    let expected: BTreeMap<String, usize> = [
        ("cancelled", 5),
        ("delivered", 38),
        ("draft", 2),
        ("paid", 2),
        ("shipped", 3),
    ]
    .into_iter()
    .map(|(s, n)| (s.to_owned(), n))
    .collect();
    assert_eq!(statuses, expected);
}

#[test]
fn an_unknown_stream_is_an_error_naming_the_stream_and_the_file() {
    let store = open(SHOP);
    let missing = "00000000-0000-0000-0000-000000000000";
    let err = store.events(missing).expect_err("no such stream");
    assert!(matches!(err, StoreError::NoSuchStream { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains(missing), "{message}");
    assert!(message.contains("shop.sqlite"), "{message}");
}

// ------------------------------------------------------------------------------------- order_history

#[test]
fn order_history_lists_twenty_orders_numbered_one_to_twenty_in_numeric_order() {
    let path = sample(ORDER_HISTORY);
    let store = open(ORDER_HISTORY);
    let list = streams(&store);
    assert_eq!(ids(&list), one_to(20), "ids sorted as numbers, not text");
    assert!(list.iter().all(|s| s.stream_type.is_none()));
    assert_eq!(list.iter().map(|s| s.events).sum::<u64>(), 200);
    assert_eq!(count_rows(&path, "order_history"), 200);
    let ours = counts_by(
        &path,
        "SELECT CAST(order_id AS TEXT), count(*) FROM order_history GROUP BY order_id",
    );
    assert_eq!(library_counts(&list), ours);
    assert!(list.iter().all(|s| (5..=15).contains(&s.events)));
    let first = &list[0];
    assert_eq!(first.events, 11);
    assert_eq!(
        first.first_time.map(|t| t.to_rfc3339()),
        Some("2024-03-28T10:39:18+00:00".to_owned())
    );
    assert_eq!(
        first.last_time.map(|t| t.to_rfc3339()),
        Some("2024-03-30T01:44:38+00:00".to_owned())
    );
}

#[test]
fn order_history_events_come_in_position_order_without_versions() {
    let store = open(ORDER_HISTORY);
    let mut types: BTreeMap<String, usize> = BTreeMap::new();
    for summary in streams(&store) {
        let evs = events(&store, &summary.id);
        assert_eq!(evs.len() as u64, summary.events);
        assert!(evs.iter().all(|e| e.version.is_none()));
        assert!(
            evs.windows(2).all(|w| w[0].position < w[1].position),
            "positions increase in stream {}",
            summary.id
        );
        assert_eq!(evs[0].event_type, "ORDER_CREATED");
        for e in &evs {
            *types.entry(e.event_type.clone()).or_default() += 1;
        }
    }
    let expected: BTreeMap<String, usize> = [
        ("ITEM_ADDED", 114),
        ("ITEM_REMOVED", 30),
        ("ORDER_CANCELLED", 4),
        ("ORDER_CONFIRMED", 19),
        ("ORDER_CREATED", 20),
        ("ORDER_SHIPPED", 13),
    ]
    .into_iter()
    .map(|(t, n)| (t.to_owned(), n))
    .collect();
    assert_eq!(types, expected);
}

#[test]
fn order_history_deep_merge_keeps_removed_items_with_quantity_zero() {
    let store = open(ORDER_HISTORY);
    assert_eq!(
        final_state(&store, "1"),
        json!({
            "status": "cancelled",
            "items": {
                "cheese": {"name": "Gouda 400 g", "qty": 2, "price": 5.8},
                "butter": {"name": "Butter 250 g", "qty": 1, "price": 2.65},
                "tomato": {"name": "Tomatoes 500 g", "qty": 0, "price": 2.2},
                "rice": {"name": "Basmati rice 1 kg", "qty": 0, "price": 3.75},
                "milk": {"name": "Milk 1 l", "qty": 1, "price": 1.19},
            },
            "total": 15.44,
            "reason": "payment failed",
        })
    );
    let seven = final_state(&store, "7");
    assert_eq!(seven["status"], "shipped");
    assert_eq!(
        seven["shipping"],
        json!({"carrier": "UPS", "tracking": "UP3865221713"})
    );
    assert_eq!(
        seven["items"]["banana"],
        json!({"name": "Banana", "qty": 0, "price": 0.3})
    );

    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    for id in one_to(20) {
        let state = final_state(&store, &id);
        *statuses
            .entry(state["status"].as_str().unwrap_or("?").to_owned())
            .or_default() += 1;
    }
    let expected: BTreeMap<String, usize> = [("cancelled", 4), ("confirmed", 3), ("shipped", 13)]
        .into_iter()
        .map(|(s, n)| (s.to_owned(), n))
        .collect();
    assert_eq!(statuses, expected);
}

// ---------------------------------------------------------------------------------------- single_log

#[test]
fn single_log_is_one_stream_named_event_log_with_three_hundred_events() {
    let store = open(SINGLE_LOG);
    assert!(store.mapping().stream.is_empty());
    assert_eq!(
        store.mapping().layout,
        "single event log (no stream column)"
    );
    assert_eq!(store.mapping().data.as_deref(), Some("payload"));
    let list = streams(&store);
    assert_eq!(ids(&list), ["event_log"]);
    assert_eq!(list[0].events, 300);
    assert_eq!(list[0].events, count_rows(&sample(SINGLE_LOG), "event_log"));
    assert_eq!(list[0].stream_type, None);
    assert_eq!(
        list[0].first_time.map(|t| t.to_rfc3339()),
        Some("2024-05-06T00:10:40.262+00:00".to_owned()),
        "epoch milliseconds are read as milliseconds"
    );
    assert_eq!(
        list[0].last_time.map(|t| t.to_rfc3339()),
        Some("2024-05-12T23:41:46.933+00:00".to_owned())
    );
}

#[test]
fn single_log_positions_run_one_to_three_hundred_in_time_order() {
    let store = open(SINGLE_LOG);
    let evs = events(&store, "event_log");
    let positions: Vec<i64> = evs.iter().map(|e| e.position).collect();
    assert_eq!(positions, (1..=300).collect::<Vec<i64>>());
    assert!(
        evs.iter()
            .all(|e| e.version.is_none() && e.metadata.is_none())
    );
    assert!(evs.windows(2).all(|w| w[0].time < w[1].time));
    let mut types: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &evs {
        *types.entry(e.event_type.as_str()).or_default() += 1;
    }
    assert_eq!(
        types,
        BTreeMap::from([
            ("AlarmCleared", 5),
            ("AlarmRaised", 5),
            ("ModeChanged", 5),
            ("SensorRead", 273),
            ("SetpointChanged", 12),
        ])
    );
}

#[test]
fn single_log_keeps_undecodable_payloads_raw_with_their_original_bytes_and_a_reason() {
    let path = sample(SINGLE_LOG);
    let conn = open_sqlite_read_only(&path);
    let stored = |id: i64| -> Vec<u8> {
        conn.query_row("SELECT payload FROM event_log WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .expect("read a payload ourselves")
    };
    let store = open(SINGLE_LOG);
    let evs = events(&store, "event_log");
    let raw_positions: Vec<i64> = evs
        .iter()
        .filter(|e| matches!(e.data, Payload::Raw { .. }))
        .map(|e| e.position)
        .collect();
    assert_eq!(raw_positions, [42, 137, 211]);

    for (position, reason_mentions) in [(42, "UTF-8"), (137, "UTF-8"), (211, "not JSON")] {
        let event = evs
            .iter()
            .find(|e| e.position == position)
            .expect("the event is listed");
        assert_eq!(event.event_type, "SensorRead");
        let Payload::Raw { bytes, reason } = &event.data else {
            panic!("position {position} should stay raw: {:?}", event.data);
        };
        assert_eq!(*bytes, stored(position), "bytes of position {position}");
        assert!(
            reason.contains(reason_mentions),
            "reason for {position}: {reason}"
        );
    }
    let Payload::Raw { bytes, .. } = &evs[136].data else {
        panic!("position 137 is raw");
    };
    assert_eq!(bytes.as_slice(), b"\xff\xfe temp=21");
    let Payload::Raw { bytes, .. } = &evs[210].data else {
        panic!("position 211 is raw");
    };
    assert_eq!(bytes.as_slice(), b"temp=21.5;room=lab");
    let Payload::Raw { bytes, .. } = &evs[41].data else {
        panic!("position 42 is raw");
    };
    assert_eq!(bytes.len(), 24);
    assert!(bytes.contains(&0x00) && bytes.contains(&0xff));
}

#[test]
fn single_log_null_payload_at_position_256_decodes_to_json_null_and_the_rest_to_objects() {
    let store = open(SINGLE_LOG);
    let evs = events(&store, "event_log");
    let null_event = &evs[255];
    assert_eq!(null_event.position, 256);
    assert_eq!(null_event.data, Payload::Json(Value::Null));
    let objects = evs
        .iter()
        .filter(|e| e.data.json().is_some_and(Value::is_object))
        .count();
    assert_eq!(objects, 296);
    assert_eq!(
        evs[0].data,
        Payload::Json(json!({"room": "office", "temperature": 21.5, "humidity": 44.1}))
    );
}

#[test]
fn single_log_replay_skips_raw_and_null_payloads() {
    let store = open(SINGLE_LOG);
    let evs = events(&store, "event_log");
    // Replaying through the three raw payloads and the null one neither fails nor changes the state.
    let before = replay(&DeepMerge, None, &evs[..41]).expect("replay to 41");
    let through_raw = replay(&DeepMerge, None, &evs[..42]).expect("replay to 42");
    assert_eq!(before, through_raw);
    let before_null = replay(&DeepMerge, None, &evs[..255]).expect("replay to 255");
    let through_null = replay(&DeepMerge, None, &evs[..256]).expect("replay to 256");
    assert_eq!(before_null, through_null);
    let state = final_state(&store, "event_log");
    assert_eq!(state["room"], "lobby");
    assert_eq!(state["temperature"], json!(22.1));
    assert_eq!(state["humidity"], json!(46.5));
}

// ----------------------------------------------------------------------------------- person_registry

#[test]
fn person_registry_maps_stream_type_and_time_from_the_json_body() {
    let store = open(PERSON_REGISTRY);
    let m = store.mapping();
    assert_eq!(m.table, "person_events");
    assert_eq!(m.layout, "events described inside their JSON payload");
    assert_eq!(m.position, Source::Column("seq".into()));
    let body = |path: &str| {
        Some(Source::Json {
            column: "body".into(),
            path: path.into(),
        })
    };
    assert_eq!(m.stream, body("$.personId").into_iter().collect::<Vec<_>>());
    assert_eq!(m.event_type, body("$.type"));
    assert_eq!(m.time, body("$._datetime"));
    assert_eq!(m.version, None);
    assert_eq!(m.data.as_deref(), Some("body"));
}

#[test]
fn person_registry_lists_thirty_persons_with_counts_matching_the_bodies() {
    let path = sample(PERSON_REGISTRY);
    let list = streams(&open(PERSON_REGISTRY));
    assert_eq!(ids(&list), one_to(30));
    assert_eq!(list.iter().map(|s| s.events).sum::<u64>(), 250);
    assert_eq!(count_rows(&path, "person_events"), 250);
    let ours = counts_by(
        &path,
        "SELECT CAST(json_extract(body, '$.personId') AS TEXT), count(*) FROM person_events GROUP BY 1",
    );
    assert_eq!(library_counts(&list), ours);
    assert_eq!(list[0].events, 6);
    assert_eq!(
        list[0].first_time.map(|t| t.to_rfc3339()),
        Some("2023-12-24T17:17:09.238+00:00".to_owned())
    );
}

#[test]
fn person_registry_events_come_in_seq_order_with_types_from_the_body() {
    let store = open(PERSON_REGISTRY);
    let evs = events(&store, "1");
    let positions: Vec<i64> = evs.iter().map(|e| e.position).collect();
    assert_eq!(positions, [77, 153, 164, 167, 224, 232]);
    let types: Vec<&str> = evs.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "PERSON_CREATION",
            "EMAIL_ADDED",
            "NAME_CHANGE",
            "ADDRESS_CHANGE",
            "ADDRESS_CHANGE",
            "ADDRESS_CHANGE"
        ]
    );
    for summary in streams(&store) {
        let evs = events(&store, &summary.id);
        assert!(evs.windows(2).all(|w| w[0].position < w[1].position));
        assert_eq!(
            evs[0].event_type, "PERSON_CREATION",
            "person {}",
            summary.id
        );
    }
}

#[test]
fn person_registry_replays_name_changes_and_deletions() {
    let store = open(PERSON_REGISTRY);
    let evs = events(&store, "1");
    let before_rename = replay(&DeepMerge, None, &evs[..2]).expect("replay prefix");
    assert_eq!(before_rename["firstName"], "David");
    assert_eq!(before_rename["lastName"], "Horváth");
    let person = final_state(&store, "1");
    assert_eq!(person["firstName"], "David");
    assert_eq!(person["lastName"], "Kowalski", "after NAME_CHANGE");
    assert_eq!(
        person["address"],
        json!({"street": "Karlova 35", "city": "Lyon", "zip": "69001", "country": "FR"})
    );
    assert_eq!(person["emails"], json!(["dhorvth1@mail.example"]));

    let nine = final_state(&store, "9");
    assert_eq!(nine["lastName"], "Novák");
    assert_eq!(nine["emails"].as_array().map(Vec::len), Some(6));

    let deleted: Vec<String> = streams(&store)
        .into_iter()
        .filter(|s| final_state(&store, &s.id)["deleted"] == json!(true))
        .map(|s| s.id)
        .collect();
    assert_eq!(deleted, ["3", "9", "14", "18"]);
    for id in &deleted {
        let last = events(&store, id).pop().expect("events");
        assert_eq!(last.event_type, "PERSON_DELETION", "person {id}");
    }
}

// ------------------------------------------------------------------------------------------ mappings

#[test]
fn an_explicit_mapping_overrides_detection() {
    let mapping: Mapping = serde_json::from_str(
        r#"{"table": "event_log", "position": {"column": "id"}, "stream": {"column": "type"},
            "type": {"column": "type"}, "time": {"column": "timestamp"}, "data": "payload"}"#,
    )
    .expect("a valid mapping");
    assert_eq!(mapping.layout, "custom");
    let store = Store::open(&sample(SINGLE_LOG), Some(mapping.clone())).expect("open with mapping");
    assert_eq!(store.mapping(), &mapping);
    let list = streams(&store);
    let counts: Vec<(&str, u64)> = list.iter().map(|s| (s.id.as_str(), s.events)).collect();
    assert_eq!(
        counts,
        [
            ("AlarmCleared", 5),
            ("AlarmRaised", 5),
            ("ModeChanged", 5),
            ("SensorRead", 273),
            ("SetpointChanged", 12),
        ]
    );
    let modes = events(&store, "ModeChanged");
    assert_eq!(modes.len(), 5);
    assert!(modes.iter().all(|e| e.event_type == "ModeChanged"));
    assert!(
        modes
            .iter()
            .all(|e| e.data.json().is_some_and(|d| d["mode"].is_string()))
    );
}

#[test]
fn an_explicit_mapping_can_take_the_stream_from_a_json_path() {
    // Group the order history by status field inside the payload instead of by order id.
    let mapping: Mapping = serde_json::from_str(
        r#"{"table": "order_history", "position": {"column": "id"},
            "stream": {"json": {"column": "data", "path": "$.status"}},
            "type": {"column": "event_name"}, "time": {"column": "datetime"}, "data": "data"}"#,
    )
    .expect("a valid mapping");
    let store = Store::open(&sample(ORDER_HISTORY), Some(mapping)).expect("open with mapping");
    let counts: Vec<(String, u64)> = streams(&store)
        .into_iter()
        .filter(|s| !s.id.is_empty())
        .map(|s| (s.id, s.events))
        .collect();
    assert_eq!(
        counts,
        [
            ("cancelled".to_owned(), 4),
            ("confirmed".to_owned(), 19),
            ("created".to_owned(), 20),
            ("shipped".to_owned(), 13),
        ]
    );
}

#[test]
fn a_mapping_that_names_a_missing_column_is_refused_with_the_column_name() {
    let mapping: Mapping = serde_json::from_str(
        r#"{"table": "events", "stream": {"column": "aggregate_uuid"}, "data": "data"}"#,
    )
    .expect("a valid mapping");
    let path = sample(SHOP);
    let err = error_of(Store::open(&path, Some(mapping)));
    assert!(matches!(err, StoreError::Mapping { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("aggregate_uuid"), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(
        message.contains("stream_id"),
        "lists the columns there are: {message}"
    );
}

#[test]
fn a_mapping_that_names_a_missing_table_lists_the_tables_there_are() {
    let mapping: Mapping =
        serde_json::from_str(r#"{"table": "evnts", "data": "data"}"#).expect("a valid mapping");
    let err = error_of(Store::open(&sample(SHOP), Some(mapping)));
    let message = err.to_string();
    assert!(message.contains("evnts"), "{message}");
    assert!(message.contains("events"), "{message}");
}

// -------------------------------------------------------------------------------------------- errors

#[test]
fn a_file_that_is_not_sqlite_is_refused_with_its_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("notes.sqlite");
    std::fs::write(&path, "these are notes, not a database\n".repeat(20)).expect("write");
    let err = error_of(Store::open(&path, None));
    assert!(matches!(err, StoreError::NotSqlite { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );

    let short = dir.path().join("short.db");
    std::fs::write(&short, b"SQLite format 3\0").expect("write");
    let err = error_of(Store::open(&short, None));
    assert!(matches!(err, StoreError::NotSqlite { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&short.display().to_string()),
        "{err}"
    );
}

#[test]
fn an_empty_file_is_refused_with_its_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("empty.sqlite");
    std::fs::write(&path, b"").expect("write");
    let err = error_of(Store::open(&path, None));
    assert!(matches!(err, StoreError::NotSqlite { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("empty"), "{message}");
}

#[test]
fn a_directory_is_refused_with_its_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = error_of(Store::open(dir.path(), None));
    let message = err.to_string();
    assert!(
        message.contains(&dir.path().display().to_string()),
        "{message}"
    );
    assert!(message.contains("directory"), "{message}");
}

#[test]
fn a_missing_file_is_refused_with_its_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nowhere.sqlite");
    let err = error_of(Store::open(&path, None));
    assert!(matches!(err, StoreError::Io { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    assert!(!path.exists(), "opening must not create the file");
}

#[test]
fn a_store_without_an_event_table_lists_its_tables() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("crm.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).expect("create");
        conn.execute_batch(
            "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);
             CREATE TABLE invoices(number TEXT, amount REAL);
             INSERT INTO customers(name) VALUES ('Ada');",
        )
        .expect("schema");
    }
    let err = error_of(Store::open(&path, None));
    assert!(matches!(err, StoreError::Layout { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("customers"), "{message}");
    assert!(message.contains("invoices"), "{message}");
}

// ----------------------------------------------------------------------------- stores built here

/// Build a store in a temporary directory from SQL.
fn build_store(sql: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("built.sqlite");
    let conn = rusqlite::Connection::open(&path).expect("create");
    conn.execute_batch(sql).expect("fill the store");
    drop(conn);
    (dir, path)
}

#[test]
fn a_stream_longer_than_one_page_is_read_whole_in_version_order() {
    use eventscope::core::store::{PAGE_SIZE, PageCursor};
    // acct-1 has 4,100 events in order; acct-2's 50 events were written newest first, so reading it in
    // position order would be wrong.
    let (_dir, path) = build_store(
        "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT,
                             created_at TEXT);
         WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 4100)
         INSERT INTO events(stream_id, version, type, data, created_at)
           SELECT 'acct-1', n, 'Deposited', json_object('balance', n), '2024-01-01 00:00:00' FROM c;
         WITH RECURSIVE c(n) AS (SELECT 50 UNION ALL SELECT n - 1 FROM c WHERE n > 1)
         INSERT INTO events(stream_id, version, type, data, created_at)
           SELECT 'acct-2', n, 'Deposited', json_object('balance', n), '2024-01-02 00:00:00' FROM c;",
    );
    let store = Store::open(&path, None).expect("open");
    let list = streams(&store);
    let counts: Vec<(&str, Option<&str>, u64)> = list
        .iter()
        .map(|s| (s.id.as_str(), s.stream_type.as_deref(), s.events))
        .collect();
    assert_eq!(
        counts,
        [
            ("acct-1", Some("acct"), 4_100),
            ("acct-2", Some("acct"), 50)
        ],
        "the category comes from the id"
    );

    let all = events(&store, "acct-1");
    let versions: Vec<i64> = all.iter().filter_map(|e| e.version).collect();
    assert_eq!(versions, (1..=4_100).collect::<Vec<i64>>());
    let first_page = store
        .events_page("acct-1", None, PAGE_SIZE)
        .expect("first page");
    assert_eq!(first_page.len(), PAGE_SIZE);
    let cursor = first_page.last().map(PageCursor::after);
    let second_page = store
        .events_page("acct-1", cursor, PAGE_SIZE)
        .expect("second page");
    assert_eq!(
        second_page.first().and_then(|e| e.version),
        Some(PAGE_SIZE as i64 + 1)
    );
    assert_eq!(
        replay(&DeepMerge, None, &all).expect("replay")["balance"],
        4_100
    );

    let backwards = events(&store, "acct-2");
    let versions: Vec<i64> = backwards.iter().filter_map(|e| e.version).collect();
    assert_eq!(versions, (1..=50).collect::<Vec<i64>>());
    assert!(backwards.windows(2).all(|w| w[0].position > w[1].position));
    assert_eq!(
        replay(&DeepMerge, None, &backwards).expect("replay")["balance"],
        50,
        "the state is that of the highest version, not the last row"
    );
}

#[test]
fn a_log_without_versions_or_integer_key_longer_than_one_page_is_read_whole_by_rowid() {
    let (_dir, path) = build_store(
        "CREATE TABLE event_log(type TEXT, timestamp INTEGER, payload BLOB);
         WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 4500)
         INSERT INTO event_log SELECT 'Tick', 1714954240000 + n, CAST(json_object('n', n) AS BLOB) FROM c;",
    );
    let store = Store::open(&path, None).expect("open");
    assert_eq!(store.mapping().position, Source::Rowid);
    let list = streams(&store);
    assert_eq!(ids(&list), ["event_log"]);
    assert_eq!(list[0].events, 4_500);
    let all = events(&store, "event_log");
    let positions: Vec<i64> = all.iter().map(|e| e.position).collect();
    assert_eq!(positions, (1..=4_500).collect::<Vec<i64>>());
    assert_eq!(all[4_320].data, Payload::Json(json!({"n": 4_321})));
}

#[test]
fn an_empty_single_log_lists_a_stream_that_can_then_be_read() {
    let (_dir, path) = build_store(
        "CREATE TABLE event_log(id INTEGER PRIMARY KEY, type TEXT, timestamp INTEGER, payload BLOB);",
    );
    let store = Store::open(&path, None).expect("open");
    let list = streams(&store);
    assert_eq!(ids(&list), ["event_log"]);
    assert_eq!(list[0].events, 0);
    // Every listed id must be accepted by the commands (see `StreamSummary::id`).
    let read = store.events("event_log");
    assert!(
        read.as_ref().is_ok_and(Vec::is_empty),
        "reading a listed stream: {read:?}"
    );
}
