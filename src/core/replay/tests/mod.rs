//! The checkpointed replay against the plain fold, the deep merge, and checkpoints kept within a byte budget.

mod checkpoints;
mod merge;
use super::*;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};

fn event(version: i64, event_type: &str, data: Value) -> Event {
    Event {
        stream: "order-1".to_string(),
        position: version * 10,
        version: Some(version),
        event_type: event_type.to_string(),
        time: None,
        stored_time: None,
        data: Payload::Json(data),
        metadata: None,
        stored: None,
        id: None,
        correlation: None,
        causation: None,
    }
}

fn raw_event(version: i64) -> Event {
    Event {
        data: Payload::Raw {
            bytes: vec![0xff, 0x00, 0x7b],
            reason: "not UTF-8".to_string(),
        },
        ..event(version, "Garbled", Value::Null)
    }
}

fn never_cancel() -> impl FnMut(usize, usize) -> bool {
    |_, _| true
}

/// The deep merge of `patch` into `target`, checked to be the same whether the patch is copied or moved.
fn merged(target: Value, patch: Value) -> Value {
    let mut copied = target.clone();
    deep_merge(&mut copied, &patch);
    let mut moved = target;
    deep_merge_owned(&mut moved, patch);
    assert_eq!(copied, moved, "deep_merge and deep_merge_owned differ");
    copied
}

#[test]
fn taking_an_event_folds_as_borrowing_it() {
    let events = [
        event(1, "Opened", json!({"a": {"b": 1, "c": [1]}, "d": "x"})),
        raw_event(2),
        event(3, "Odd", json!([1, 2])),
        event(4, "Changed", json!({"a": {"c": null, "e": {"f": 2}}})),
    ];
    let mut borrowing = DeepMerge.fold(DeepMerge.initial(None));
    let mut taking = DeepMerge.fold(DeepMerge.initial(None));
    for (index, event) in events.iter().enumerate() {
        fold_event(borrowing.as_mut(), event, index).unwrap();
        let mut owned = event.clone();
        fold_event_taking(taking.as_mut(), &mut owned, index).unwrap();
        assert_eq!(owned.version, event.version, "an event's metadata stays");
    }
    assert_eq!(taking.into_state(), borrowing.into_state());
}

/// A tiny deterministic generator (64-bit LCG) so the tests need no extra crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn random_leaf(rng: &mut Lcg) -> Value {
    match rng.below(5) {
        0 => Value::Null,
        1 => json!(rng.below(1000)),
        2 => json!(format!("v{}", rng.below(50))),
        3 => json!([rng.below(9), rng.below(9)]),
        _ => json!(rng.below(2) == 0),
    }
}

fn random_data(rng: &mut Lcg, depth: u32) -> Value {
    let mut map = Map::new();
    for _ in 0..=rng.below(3) {
        let key = format!("k{}", rng.below(6));
        let value = if depth > 0 && rng.below(3) == 0 {
            random_data(rng, depth - 1)
        } else {
            random_leaf(rng)
        };
        map.insert(key, value);
    }
    Value::Object(map)
}

/// About a thousand events with random-ish payloads, some without a version, some not objects, some raw.
fn generated_stream(len: usize, seed: u64) -> Vec<Event> {
    let mut rng = Lcg(seed);
    (0..len)
        .map(|i| {
            let version = i as i64 + 1;
            let mut e = match rng.below(20) {
                0 => raw_event(version),
                1 => event(version, "Scalar", json!(rng.below(7))),
                _ => event(version, "Changed", random_data(&mut rng, 3)),
            };
            if rng.below(10) == 0 {
                e.version = None;
            }
            e
        })
        .collect()
}

/// Fails on events of type `Boom`.
struct FailOnBoom;

impl Reducer for FailOnBoom {
    fn initial(&self, _stream_type: Option<&str>) -> Value {
        json!({})
    }

    fn apply(&self, state: Value, event: &Event) -> Result<Value, ReducerError> {
        if event.event_type == "Boom" {
            Err("cannot reduce a Boom".to_string().into())
        } else {
            DeepMerge.apply(state, event)
        }
    }
}

/// The default reducer, counting how many events it applies.
#[derive(Default)]
struct Counting(AtomicUsize);

impl Reducer for Counting {
    fn initial(&self, stream_type: Option<&str>) -> Value {
        DeepMerge.initial(stream_type)
    }

    fn apply(&self, state: Value, event: &Event) -> Result<Value, ReducerError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        DeepMerge.apply(state, event)
    }
}

/// Records the stream type it was started with.
struct TypeAware;

impl Reducer for TypeAware {
    fn initial(&self, stream_type: Option<&str>) -> Value {
        json!({ "type": stream_type })
    }

    fn apply(&self, state: Value, event: &Event) -> Result<Value, ReducerError> {
        DeepMerge.apply(state, event)
    }
}

#[test]
fn replay_folds_a_small_stream_in_order() {
    let events = vec![
        event(
            1,
            "Created",
            json!({"id": "o-1", "status": "new", "lines": []}),
        ),
        event(2, "LineAdded", json!({"lines": [{"sku": "A", "qty": 1}]})),
        raw_event(3),
        event(
            4,
            "Shipped",
            json!({"status": "shipped", "shipping": {"carrier": "DHL"}}),
        ),
        event(5, "Note", json!("not an object")),
        event(6, "Tracked", json!({"shipping": {"tracking": "123"}})),
    ];
    let state = replay(&DeepMerge, Some("Order"), &events).unwrap();
    assert_eq!(
        state,
        json!({
            "id": "o-1",
            "status": "shipped",
            "lines": [{"sku": "A", "qty": 1}],
            "shipping": {"carrier": "DHL", "tracking": "123"}
        })
    );
}

#[test]
fn replaying_no_events_gives_the_initial_state_for_the_stream_type() {
    assert_eq!(
        replay(&TypeAware, Some("Order"), &[]).unwrap(),
        json!({"type": "Order"})
    );
    let replayer = Replayer::build(
        Arc::new(TypeAware),
        Some("Cart"),
        &[],
        4,
        &mut never_cancel(),
    )
    .unwrap();
    assert!(replayer.is_empty());
    assert_eq!(replayer.checkpoint_count(), 1);
    assert_eq!(
        replayer.state_after(&[], 0).unwrap(),
        json!({"type": "Cart"})
    );
}

#[test]
fn a_failing_reducer_names_the_stream_version_and_type_of_the_event() {
    let events = vec![
        event(1, "Created", json!({"a": 1})),
        event(2, "Updated", json!({"a": 2})),
        event(3, "Boom", json!({"a": 3})),
        event(4, "Updated", json!({"a": 4})),
    ];
    let expected = ReplayError::Reducer {
        stream: "order-1".to_string(),
        version: 3,
        event_type: "Boom".to_string(),
        message: "cannot reduce a Boom".to_string(),
        limit: None,
    };
    let built = Replayer::build(Arc::new(FailOnBoom), None, &events, 2, &mut never_cancel());
    assert_eq!(built.unwrap_err(), expected);
    assert_eq!(replay(&FailOnBoom, None, &events).unwrap_err(), expected);
    assert_eq!(
        expected.to_string(),
        "reducer failed on stream order-1 at version 3, type Boom: cannot reduce a Boom"
    );
}

#[test]
fn a_failing_reducer_uses_the_ordinal_when_the_event_has_no_version() {
    let mut boom = event(77, "Boom", json!({}));
    boom.version = None;
    let events = vec![
        event(10, "Created", json!({})),
        event(11, "Updated", json!({})),
        boom,
    ];
    let built = Replayer::build(Arc::new(FailOnBoom), None, &events, 5, &mut never_cancel());
    let Err(ReplayError::Reducer { version, .. }) = built else {
        panic!("expected a reducer error, got {built:?}");
    };
    assert_eq!(version, 3);
}

#[test]
fn returning_false_from_progress_cancels_the_build() {
    let events = generated_stream(1000, 6);
    let mut calls = Vec::new();
    let built = Replayer::build(
        Arc::new(DeepMerge),
        None,
        &events,
        10,
        &mut |done, total| {
            calls.push((done, total));
            done < 500
        },
    );
    assert_eq!(built.unwrap_err(), ReplayError::Cancelled);
    assert_eq!(calls, vec![(256, 1000), (512, 1000)]);
}

#[test]
fn cancelling_at_the_last_report_still_cancels() {
    let events = generated_stream(10, 7);
    let built = Replayer::build(Arc::new(DeepMerge), None, &events, 3, &mut |_, _| false);
    assert_eq!(built.unwrap_err(), ReplayError::Cancelled);
}

#[test]
fn progress_is_reported_every_few_hundred_events_and_at_the_end() {
    let events = generated_stream(600, 8);
    let mut calls = Vec::new();
    Replayer::build(
        Arc::new(DeepMerge),
        None,
        &events,
        10,
        &mut |done, total| {
            calls.push((done, total));
            true
        },
    )
    .unwrap();
    assert_eq!(calls, vec![(256, 600), (512, 600), (600, 600)]);

    let mut empty_calls = Vec::new();
    Replayer::build(Arc::new(DeepMerge), None, &[], 10, &mut |done, total| {
        empty_calls.push((done, total));
        true
    })
    .unwrap();
    assert_eq!(empty_calls, vec![(0, 0)]);
}
