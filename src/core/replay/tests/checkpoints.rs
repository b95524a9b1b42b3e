//! Checkpoints: `state_after` equals a plain replay for any count and interval, replays at most one
//! interval, answers out of range past the end, and keeps its checkpoints within their byte budget.

use super::*;

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
