//! Series against the replayed states: exact while within budget, the envelope and the held values kept
//! once thinned, and drawing cut to the columns.

use serde_json::json;

use super::*;
use crate::core::replay::query::field_history;
use crate::core::replay::reducers::JqReducer;
use crate::core::replay::{DeepMerge, replay};
use crate::core::testing::json_event;

fn event(version: i64, data: Value) -> Event {
    json_event("account-1", version, "T", data)
}

fn stream() -> Vec<Event> {
    vec![
        event(1, json!({"balance": 0, "owner": "ann"})),
        event(2, json!({"balance": 10})),
        event(3, json!({"owner": "bob"})),
        event(4, json!({"balance": "12.50"})),
        event(5, json!({"balance": null})),
        event(6, json!({"balance": -3})),
    ]
}

fn series_of(events: &[Event], paths: &[&str], budget_bytes: usize) -> Vec<Series> {
    let paths: Vec<String> = paths.iter().map(|p| (*p).to_owned()).collect();
    series_in(
        &DeepMerge,
        None,
        events.iter().map(Ok::<_, ReplayError>),
        &paths,
        budget_bytes,
    )
    .unwrap()
}

#[test]
fn the_value_after_every_event_is_the_replayed_states_number() {
    let events = stream();
    let [balance] = <[Series; 1]>::try_from(series_of(&events, &["/balance"], 1 << 20)).unwrap();
    assert!(balance.exact());
    assert_eq!(balance.len(), 6);
    for n in 1..=events.len() {
        let state = replay(&DeepMerge, None, &events[..n]).unwrap();
        let expected = state.pointer("/balance").and_then(numeric);
        assert_eq!(
            balance.value_after(n as u64 - 1),
            expected,
            "after event {n}"
        );
    }
    assert_eq!(balance.value_after(6), None, "past the end");
    assert_eq!(balance.bounds(), Some((-3.0, 12.5)));
}

#[test]
fn only_changes_are_kept_as_points() {
    let events = stream();
    let [balance, owner] =
        <[Series; 2]>::try_from(series_of(&events, &["/balance", "/owner"], 1 << 20)).unwrap();
    let indexes: Vec<u64> = balance.points().iter().map(|p| p.index).collect();
    assert_eq!(indexes, [0, 1, 3, 4, 5], "event 3 left the balance alone");
    assert!(balance.points()[3].value.is_nan(), "null holds no number");
    assert_eq!(owner.bounds(), None, "names are not numbers");
    assert_eq!(owner.points().len(), 1, "one gap from the first event on");
}

#[test]
fn numbers_are_read_from_numbers_and_numeric_strings_only() {
    assert_eq!(numeric(&json!(3)), Some(3.0));
    assert_eq!(numeric(&json!(-0.5)), Some(-0.5));
    assert_eq!(numeric(&json!(" 12.50 ")), Some(12.5));
    assert_eq!(numeric(&json!("NaN")), None);
    assert_eq!(numeric(&json!("inf")), None);
    assert_eq!(numeric(&json!("ann")), None);
    assert_eq!(numeric(&json!(true)), None);
    assert_eq!(numeric(&json!({"amount": 1})), None);
}

#[test]
fn a_jq_reducer_gives_the_numbers_its_field_history_gives() {
    let reducer = JqReducer::from_json(
        r#"{"initial": {"n": 0}, "reducers": {"T": ".n += ($event.data.balance // 0 | tonumber? // 0)"}}"#,
    )
    .unwrap();
    let events = stream();
    let paths = vec!["/n".to_owned()];
    let series = series_in(
        &reducer,
        None,
        events.iter().map(Ok::<_, ReplayError>),
        &paths,
        1 << 20,
    )
    .unwrap();
    let history = field_history(&reducer, None, &events, "/n").unwrap();
    let changes: Vec<(u64, f64)> = history
        .iter()
        .map(|c| (c.index as u64, numeric(c.new.as_ref().unwrap()).unwrap()))
        .collect();
    let points: Vec<(u64, f64)> = series[0]
        .points()
        .iter()
        .map(|p| (p.index, p.value))
        .collect();
    assert_eq!(points[0], (0, 0.0), "the first event's value");
    assert_eq!(points[1..], changes, "then every change");
    assert_eq!(changes.len(), 3);
}

/// A value that changes on every event: `i` folded into a saw tooth with a spike.
fn saw(i: i64) -> i64 {
    if i == 77_777 {
        1_000_000
    } else {
        i % 1_000 - (i / 10_000)
    }
}

fn long_stream(len: i64) -> Vec<Event> {
    (0..len)
        .map(|i| event(i + 1, json!({"v": saw(i)})))
        .collect()
}

#[test]
fn a_series_past_its_budget_is_thinned_and_keeps_its_envelope_and_ends() {
    let events = long_stream(200_000);
    let budget = 4_096 * POINT_BYTES;
    let [v] = <[Series; 1]>::try_from(series_of(&events, &["/v"], budget)).unwrap();
    assert!(!v.exact());
    assert!(v.points().len() <= 4_096, "{} points", v.points().len());
    assert!(v.heap_bytes() <= budget, "{} bytes", v.heap_bytes());
    let values: Vec<i64> = (0..200_000).map(saw).collect();
    let low = *values.iter().min().unwrap() as f64;
    let high = *values.iter().max().unwrap() as f64;
    assert_eq!(
        v.bounds(),
        Some((low, high)),
        "the spike and the lowest value stay"
    );
    assert_eq!(
        v.value_after(199_999),
        Some(saw(199_999) as f64),
        "the last value is kept"
    );
    // The value held after each whole bucket is the replayed one.
    let width = v.bucket_events();
    for end in (width - 1..200_000)
        .step_by(usize::try_from(width).unwrap())
        .take(50)
    {
        assert_eq!(
            v.value_after(end),
            Some(saw(end as i64) as f64),
            "after {end}"
        );
    }
    assert!(v.points().windows(2).all(|w| w[0].index < w[1].index));
}

#[test]
fn drawing_takes_a_few_points_per_column_and_keeps_the_extremes() {
    let events = long_stream(100_000);
    let [v] = <[Series; 1]>::try_from(series_of(&events, &["/v"], 64 << 20)).unwrap();
    assert!(v.exact());
    let runs = v.columns(0.0, 99_999.0, 500);
    let drawn: Vec<[f64; 2]> = runs.concat();
    assert!(drawn.len() <= 500 * 8 + 2, "{} vertices", drawn.len());
    let low = drawn.iter().map(|p| p[1]).fold(f64::INFINITY, f64::min);
    let high = drawn.iter().map(|p| p[1]).fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(Some((low, high)), v.bounds());
    assert!(
        drawn.windows(2).all(|w| w[0][0] <= w[1][0]),
        "left to right"
    );
    assert_eq!(drawn.first().unwrap()[0], 0.0);
    assert_eq!(drawn.last().unwrap()[0], 99_999.0);
    // Zoomed in, every change is drawn as a step.
    let near: Vec<[f64; 2]> = v.columns(10.0, 13.0, 500).concat();
    assert_eq!(
        near,
        [
            [10.0, 10.0],
            [11.0, 10.0],
            [11.0, 11.0],
            [12.0, 11.0],
            [12.0, 12.0],
            [13.0, 12.0],
            [13.0, 13.0]
        ]
    );
}

#[test]
fn a_gap_splits_the_drawn_line() {
    let events = stream();
    let [balance] = <[Series; 1]>::try_from(series_of(&events, &["/balance"], 1 << 20)).unwrap();
    let runs = balance.columns(0.0, 5.0, 100);
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert_eq!(runs[0].last(), Some(&[4.0, 12.5]), "up to the null");
    assert_eq!(runs[1], [[5.0, -3.0]]);
    assert!(balance.columns(3.0, 2.0, 100).is_empty());
}
