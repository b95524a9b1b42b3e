//! The checkpointed replay against the plain fold, the deep merge, and checkpoints kept within a byte budget.
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

fn merged(target: Value, patch: Value) -> Value {
    let mut target = target;
    deep_merge(&mut target, &patch);
    target
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
fn state_after_matches_a_plain_replay_for_many_counts_and_intervals() {
    let events = generated_stream(1000, 42);
    let reducer: Arc<dyn Reducer> = Arc::new(DeepMerge);
    let mut counts: Vec<usize> = (0..=1000).step_by(13).collect();
    counts.extend([1, 6, 7, 8, 63, 64, 65, 255, 256, 257, 511, 512, 999, 1000]);
    for interval in [1, 7, 64, 5000] {
        let replayer = Replayer::build(
            Arc::clone(&reducer),
            None,
            &events,
            interval,
            &mut never_cancel(),
        )
        .unwrap();
        assert_eq!(replayer.len(), 1000);
        assert_eq!(replayer.interval(), interval);
        for &n in &counts {
            let expected = replay(reducer.as_ref(), None, &events[..n]).unwrap();
            assert_eq!(
                replayer.state_after(&events, n).unwrap(),
                expected,
                "after {n} events with interval {interval}"
            );
        }
    }
}

#[test]
fn the_generated_stream_really_changes_state() {
    let events = generated_stream(1000, 42);
    let half = replay(&DeepMerge, None, &events[..500]).unwrap();
    let full = replay(&DeepMerge, None, &events).unwrap();
    assert_ne!(half, full);
    assert!(full.as_object().unwrap().len() > 3);
}

#[test]
fn checkpoints_are_kept_every_interval_events() {
    let events = generated_stream(100, 1);
    for (interval, expected) in [(1, 101), (7, 15), (10, 11), (100, 2), (5000, 1)] {
        let replayer = Replayer::build(
            Arc::new(DeepMerge),
            None,
            &events,
            interval,
            &mut never_cancel(),
        )
        .unwrap();
        assert_eq!(replayer.checkpoint_count(), expected, "interval {interval}");
    }
}

#[test]
fn an_interval_of_zero_is_treated_as_one() {
    let events = generated_stream(10, 2);
    let replayer =
        Replayer::build(Arc::new(DeepMerge), None, &events, 0, &mut never_cancel()).unwrap();
    assert_eq!(replayer.interval(), 1);
    assert_eq!(replayer.checkpoint_count(), 11);
    assert_eq!(
        replayer.state_after(&events, 10).unwrap(),
        replay(&DeepMerge, None, &events).unwrap()
    );
}

#[test]
fn state_after_replays_at_most_interval_events() {
    let events = generated_stream(300, 3);
    let counting = Arc::new(Counting::default());
    let interval = 16;
    let replayer = Replayer::build(
        Arc::clone(&counting) as Arc<dyn Reducer>,
        None,
        &events,
        interval,
        &mut never_cancel(),
    )
    .unwrap();
    assert_eq!(counting.0.load(Ordering::SeqCst), 300, "build replays once");
    for n in 0..=300 {
        counting.0.store(0, Ordering::SeqCst);
        replayer.state_after(&events, n).unwrap();
        let applied = counting.0.load(Ordering::SeqCst);
        assert!(applied < interval, "{applied} events replayed for {n}");
        assert_eq!(applied, n % interval);
    }
}

#[test]
fn state_after_past_the_end_is_out_of_range() {
    let events = generated_stream(20, 4);
    let replayer =
        Replayer::build(Arc::new(DeepMerge), None, &events, 7, &mut never_cancel()).unwrap();
    assert!(replayer.state_after(&events, 20).is_ok());
    assert_eq!(
        replayer.state_after(&events, 21),
        Err(ReplayError::OutOfRange {
            requested: 21,
            len: 20
        })
    );
    assert_eq!(
        ReplayError::OutOfRange {
            requested: 21,
            len: 20
        }
        .to_string(),
        "version 21 is out of range: the stream has 20 events"
    );
}

#[test]
fn state_after_with_a_shorter_slice_than_was_built_is_out_of_range() {
    let events = generated_stream(20, 5);
    let replayer =
        Replayer::build(Arc::new(DeepMerge), None, &events, 7, &mut never_cancel()).unwrap();
    assert_eq!(
        replayer.state_after(&events[..10], 12),
        Err(ReplayError::OutOfRange {
            requested: 12,
            len: 10
        })
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

#[test]
fn interval_for_keeps_checkpoints_within_budget_and_at_least_sixteen() {
    assert_eq!(Replayer::interval_for(0, 100), 16);
    assert_eq!(Replayer::interval_for(100, 100), 16);
    assert_eq!(Replayer::interval_for(10_000, 100), 101);
    assert_eq!(Replayer::interval_for(10_000, 0), 10_001);
    let events = generated_stream(1000, 9);
    for budget in [1, 2, 10, 33, 62, 63, 64, 100, 1000] {
        let interval = Replayer::interval_for(events.len(), budget);
        assert!(interval >= 16);
        let replayer = Replayer::build(
            Arc::new(DeepMerge),
            None,
            &events,
            interval,
            &mut never_cancel(),
        )
        .unwrap();
        assert!(
            replayer.checkpoint_count() <= budget.max(1000 / 16 + 1),
            "budget {budget}: {} checkpoints",
            replayer.checkpoint_count()
        );
        if interval > 16 {
            assert!(replayer.checkpoint_count() <= budget, "budget {budget}");
        }
    }
}

#[test]
fn a_replayer_is_shareable_across_threads_and_clones_share_checkpoints() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Replayer>();

    let events = generated_stream(50, 10);
    let replayer =
        Replayer::build(Arc::new(DeepMerge), None, &events, 8, &mut never_cancel()).unwrap();
    let copy = replayer.clone();
    assert!(Arc::ptr_eq(&replayer.checkpoints, &copy.checkpoints));
    let from_thread = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("replay-test".to_string())
            .spawn_scoped(scope, || copy.state_after(&events, 50))
            .unwrap()
            .join()
            .unwrap()
    });
    assert_eq!(
        from_thread.unwrap(),
        replay(&DeepMerge, None, &events).unwrap()
    );
    assert!(format!("{replayer:?}").contains("interval: 8"));
}

/// `events` folded into checkpoints of at most `budget` bytes.
fn built_within(events: &[Event], budget: usize) -> Replayer {
    let mut builder = CheckpointBuilder::new(Arc::new(DeepMerge), None, budget);
    for event in events {
        builder.push(event).unwrap();
    }
    builder.finish()
}

#[test]
fn checkpoints_stay_within_their_byte_budget_and_answer_every_count() {
    let events = generated_stream(1_000, 11);
    for budget in [0, 2_000, 20_000, usize::MAX] {
        let replayer = built_within(&events, budget);
        assert!(
            replayer.checkpoint_bytes() <= budget || replayer.checkpoint_count() == 1,
            "{} bytes held, budget {budget}",
            replayer.checkpoint_bytes()
        );
        assert_eq!(
            replayer.checkpoint_count(),
            replayer.len() / replayer.interval() + 1
        );
        for count in 0..=events.len() {
            assert_eq!(
                replayer.state_after(&events, count).unwrap(),
                replay(&DeepMerge, None, &events[..count]).unwrap(),
                "budget {budget}, count {count}"
            );
        }
    }
}

#[test]
fn a_smaller_budget_means_a_longer_interval() {
    let events = generated_stream(1_000, 3);
    let interval = |budget| built_within(&events, budget).interval();
    assert_eq!(interval(usize::MAX), 16);
    assert!(interval(2_000) > interval(20_000));
}
