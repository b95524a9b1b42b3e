//! The default reducer's deep merge: objects key by key, arrays and scalars replaced, null kept, key order
//! kept; data that is not an object, raw payloads and metadata ignored.

use super::*;

#[test]
fn nested_objects_merge_key_by_key() {
    let state =
        json!({"customer": {"name": "Ann", "address": {"city": "Oslo", "zip": "0150"}}, "n": 1});
    let patch = json!({"customer": {"address": {"city": "Bergen"}, "vip": true}});
    assert_eq!(
        merged(state, patch),
        json!({
            "customer": {"name": "Ann", "address": {"city": "Bergen", "zip": "0150"}, "vip": true},
            "n": 1
        })
    );
}

#[test]
fn arrays_replace_instead_of_concatenating() {
    let state = json!({"lines": [1, 2, 3], "tags": [{"a": 1}]});
    let patch = json!({"lines": [9], "tags": [{"b": 2}]});
    assert_eq!(
        merged(state, patch),
        json!({"lines": [9], "tags": [{"b": 2}]})
    );
}

#[test]
fn null_replaces_the_value_instead_of_deleting_the_key() {
    let state = json!({"a": {"deep": 1}, "b": 2});
    assert_eq!(
        merged(state, json!({"a": null})),
        json!({"a": null, "b": 2})
    );
}

#[test]
fn objects_and_scalars_replace_each_other() {
    assert_eq!(
        merged(json!({"a": 5}), json!({"a": {"x": 1}})),
        json!({"a": {"x": 1}})
    );
    assert_eq!(
        merged(json!({"a": {"x": 1}}), json!({"a": "flat"})),
        json!({"a": "flat"})
    );
    assert_eq!(merged(json!([1]), json!({"x": 1})), json!({"x": 1}));
    assert_eq!(merged(json!({"x": 1}), json!(7)), json!(7));
}

#[test]
fn merging_keeps_the_existing_key_order_and_appends_new_keys() {
    let result = merged(json!({"b": 1, "a": 2}), json!({"c": 3, "b": 4}));
    let keys: Vec<&str> = result
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, vec!["b", "a", "c"]);
}

#[test]
fn the_default_reducer_starts_from_an_empty_object() {
    assert_eq!(DeepMerge.initial(None), json!({}));
    assert_eq!(DeepMerge.initial(Some("Order")), json!({}));
}

#[test]
fn the_default_reducer_ignores_data_that_is_not_an_object() {
    let state = json!({"a": 1});
    for data in [
        json!("text"),
        json!(42),
        json!([1, 2]),
        Value::Null,
        json!(true),
    ] {
        let after = DeepMerge
            .apply(state.clone(), &event(1, "Odd", data.clone()))
            .unwrap();
        assert_eq!(after, state, "data {data}");
    }
}

#[test]
fn the_default_reducer_ignores_raw_payloads() {
    let state = json!({"a": 1});
    assert_eq!(
        DeepMerge.apply(state.clone(), &raw_event(3)).unwrap(),
        state
    );
}

#[test]
fn the_default_reducer_ignores_metadata() {
    let mut e = event(1, "Placed", json!({"a": 1}));
    e.metadata = Some(Payload::Json(json!({"user": "bob"})));
    assert_eq!(DeepMerge.apply(json!({}), &e).unwrap(), json!({"a": 1}));
}
