//! A long stream's state under the deep merge, folded in two halves at once: this thread merges the first
//! half into a [`Patch`] while a second connection, on a thread of its own, merges the second half into
//! another; the two then go onto the initial state in order. Each thread reads, decodes, merges and frees its
//! own events, so the two work apart (handing decoded events from one thread to another was measured slower
//! than one thread alone: freeing what another thread allocated cost more than the read saved). The answer
//! is the one a single pass gives; whenever the halves cannot give it, the caller makes that single pass.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use serde_json::Value;

use super::WalkError;
use crate::core::model::Payload;
use crate::core::replay::Reducer;
use crate::core::replay::patch::{Patch, TextMerge};
use crate::core::store::{PageCursor, Store, StoreError};

/// Streams shorter than this are folded in one pass: a second connection would cost more than it saves.
const AT_LEAST: usize = 20_000;

/// The state after every event of `stream` under `reducer` (one that [merges deeply](Reducer::merges_deeply)),
/// calling `progress` once per event folded by either half. `None` when the stream is short or cannot be read
/// in halves (see [`Store::halfway`]), or when the second half could not be read or the first did not end
/// where the second began (the stream changed meanwhile): the caller folds it in one pass then, which also
/// says what went wrong.
pub(super) fn deep_merge_in_halves(
    store: &Store,
    stream: &str,
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    progress: &mut dyn FnMut(),
) -> Result<Option<Value>, WalkError> {
    let halves = in_halves(store, stream, reducer, stream_type, AT_LEAST, progress)?;
    Ok(halves.map(|(state, _)| state))
}

/// How a half read its payloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reading {
    /// Their JSON text parsed straight into the patch ([`TextMerge`]), decoded only where the decoder does
    /// more than parse it (a compressed payload).
    Text,
    /// Decoded into events, each payload's value then merged: the store's decoder does more than parse
    /// JSON text, or its payloads cannot be read apart from their events.
    Events,
}

/// [`deep_merge_in_halves`] of a stream of `at_least` events or more, with how each half read its payloads.
fn in_halves(
    store: &Store,
    stream: &str,
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    at_least: usize,
    progress: &mut dyn FnMut(),
) -> Result<Option<(Value, [Reading; 2])>, WalkError> {
    let Some((half, cut)) = store.halfway(stream, at_least)? else {
        return Ok(None);
    };
    let (path, options) = (store.path().to_path_buf(), store.reopen_options());
    // Events of the second half merged so far, for the progress this thread reports.
    let merged = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let second = std::thread::Builder::new()
            .name("eventscope-half".to_owned())
            .spawn_scoped(scope, || -> Option<Run> {
                let store = Store::open_with(&path, options).ok()?;
                merge_run(&store, stream, Some(cut), None, &mut || {
                    merged.fetch_add(1, Ordering::Relaxed);
                    !stop.load(Ordering::Relaxed)
                })
                .ok()?
            });
        let Ok(second) = second else {
            return Ok(None);
        };
        let mut reported = 0;
        let mut report = |progress: &mut dyn FnMut()| {
            let merged = merged.load(Ordering::Relaxed);
            for _ in reported..merged {
                progress();
            }
            reported = reported.max(merged);
        };
        let first = first_half(
            store,
            stream,
            reducer,
            stream_type,
            (half, cut),
            &mut || {
                progress();
                report(progress);
            },
        );
        let (mut state, first_reading) = match first {
            Ok(Some(first)) => first,
            Ok(None) => {
                stop.store(true, Ordering::Relaxed);
                return Ok(None);
            }
            Err(err) => {
                stop.store(true, Ordering::Relaxed);
                return Err(err);
            }
        };
        // The second half's progress goes on showing while it finishes.
        while !second.is_finished() {
            report(progress);
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let Ok(Some(run)) = second.join() else {
            return Ok(None);
        };
        report(progress);
        run.patch.apply_to(&mut state);
        Ok(Some((state, [first_reading, run.reading])))
    })
}

/// The state after the first `half` events, `None` when the last of them is not the one before `cut`. They
/// are merged into a [`Patch`] put onto the initial state at the end, as the second half's is: its maps hash
/// faster than the state's.
fn first_half(
    store: &Store,
    stream: &str,
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    (half, cut): (usize, PageCursor),
    progress: &mut dyn FnMut(),
) -> Result<Option<(Value, Reading)>, WalkError> {
    let run = merge_run(store, stream, None, Some(half), &mut || {
        progress();
        true
    })?;
    let Some(run) = run.filter(|run| run.last == Some(cut)) else {
        return Ok(None);
    };
    let mut state = reducer.initial(stream_type);
    run.patch.apply_to(&mut state);
    Ok(Some((state, run.reading)))
}

/// Events of a stream merged into a patch by [`merge_run`].
struct Run {
    patch: Patch,
    /// The cursor after the last event merged.
    last: Option<PageCursor>,
    reading: Reading,
}

/// The events of `stream` after `after` (from its first when `None`), at most `limit` of them (to its end
/// when `None`), merged into a patch in stream order, payloads that are not objects skipped; `each` is
/// called after every event and answers whether to go on (`None` when it stopped the run). Both halves
/// are merged here, so both read their payloads the same way: straight from their JSON text when the
/// store's decoder only parses it, else decoded into events.
fn merge_run(
    store: &Store,
    stream: &str,
    after: Option<PageCursor>,
    limit: Option<usize>,
    each: &mut dyn FnMut() -> bool,
) -> Result<Option<Run>, StoreError> {
    let mut patch = Patch::default();
    if let Some(reader) = store.payload_reader(stream)?
        && let Some(text) = TextMerge::new(reader.decoder())
    {
        let mut stopped = false;
        let (_, last) = reader.each(after, limit, &mut |payload| {
            text.merge(&mut patch, payload.data);
            if each() {
                ControlFlow::Continue(())
            } else {
                stopped = true;
                ControlFlow::Break(())
            }
        })?;
        return Ok((!stopped).then_some(Run {
            patch,
            last,
            reading: Reading::Text,
        }));
    }
    let events = match after {
        Some(after) => store.read_stream_after(stream, after),
        None => store.read_stream(stream),
    }
    .without_stored();
    let events = match limit {
        Some(limit) => events.first(limit),
        None => events,
    };
    let mut last = None;
    for event in events {
        let event = event?;
        last = Some(PageCursor::after(&event));
        if let Payload::Json(data @ Value::Object(_)) = event.data {
            patch.merge(data);
        }
        if !each() {
            return Ok(None);
        }
    }
    Ok(Some(Run {
        patch,
        last,
        reading: Reading::Events,
    }))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use rusqlite::Connection;

    use super::*;
    use crate::core::layout::Mapping;
    use crate::core::replay::DeepMerge;
    use crate::core::replay::walk::{Upto, state_upto};
    use crate::core::testing::sample;

    /// A store of stream `s` with `n` events (the first three without a version) interleaved with another
    /// stream's. Its payloads turn keys from numbers into objects and back, and add keys late in the stream,
    /// so a patch that merged where it should replace, or put keys out of order, gives another state.
    fn store(dir: &Path, n: usize, versioned: bool) -> (PathBuf, Store) {
        let path = dir.join(format!("halves-{n}-{versioned}.sqlite"));
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "CREATE TABLE ev(seq INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT);
             WITH RECURSIVE k(i) AS (SELECT 1 WHERE {n} > 0 UNION ALL SELECT i + 1 FROM k WHERE i < {n})
             INSERT INTO ev(stream_id, version, type, data)
                 SELECT CASE WHEN i % 10 = 0 THEN 'other' ELSE 's' END,
                     CASE WHEN i <= 3 THEN NULL ELSE i END, 'T',
                     json_set(json_object('n', i,
                         'x', CASE WHEN i % 5 < 2 THEN json_object('a', i, 'b' || (i % 4), i % 7) ELSE i END,
                         'y', CASE WHEN i < {n} * 2 / 3 THEN i ELSE json_object('c' || (i % 3), i) END,
                         'k' || (i % 50), json_object('v', i)),
                         CASE WHEN i > {n} * 3 / 4 THEN '$.late' || (i % 3) ELSE '$.early' END, i)
                 FROM k;
             INSERT INTO ev(stream_id, version, type, data) VALUES ('s', {n} + 1, 'T', '[1, 2]');
             CREATE INDEX ev_stream ON ev(stream_id, version);"
        ))
        .unwrap();
        drop(conn);
        let mut mapping = serde_json::json!({
            "table": "ev", "position": {"column": "seq"}, "stream": {"column": "stream_id"},
            "type": {"column": "type"}, "data": "data"
        });
        if versioned {
            mapping["version"] = serde_json::json!({"column": "version"});
        }
        let mapping: Mapping = serde_json::from_value(mapping).unwrap();
        let store = Store::open(&path, Some(mapping)).unwrap();
        (path, store)
    }

    /// The state a single pass gives (a count of events is folded in one pass).
    fn one_pass(store: &Store) -> Value {
        let events = store.read_stream("s").count();
        state_upto(store, "s", &DeepMerge, None, Upto::Count(events)).unwrap()
    }

    /// The state `state` gives (in halves when it can).
    fn state(store: &Store) -> Value {
        state_upto(store, "s", &DeepMerge, None, Upto::End).unwrap()
    }

    #[test]
    fn two_halves_give_the_state_one_pass_gives() {
        let dir = tempfile::tempdir().unwrap();
        for (n, versioned) in [(25_000, true), (25_001, false), (40_000, true)] {
            let (_, store) = store(dir.path(), n, versioned);
            let mut folded = 0;
            let (halves, readings) =
                in_halves(&store, "s", &DeepMerge, None, AT_LEAST, &mut || folded += 1)
                    .unwrap()
                    .expect("read in halves");
            // Both halves parse the payloads' text straight into their patches.
            assert_eq!(readings, [Reading::Text; 2]);
            let expected = one_pass(&store);
            // Key order too, as shown.
            assert_eq!(halves.to_string(), expected.to_string(), "{n} {versioned}");
            assert_eq!(
                folded,
                store.read_stream("s").count(),
                "progress once per event"
            );
            assert_eq!(state(&store), expected);
        }
    }

    /// The stream's state read in halves, with how they read it, and the state one pass gives.
    fn halves_and_one_pass(store: &Store, stream: &str) -> (Value, [Reading; 2], Value) {
        let (halves, readings) = in_halves(store, stream, &DeepMerge, None, 2, &mut || {})
            .unwrap()
            .expect("read in halves");
        let events = store.read_stream(stream).count();
        let one_pass = state_upto(store, stream, &DeepMerge, None, Upto::Count(events)).unwrap();
        (halves, readings, one_pass)
    }

    #[test]
    fn an_eventsourcing_stream_in_halves_has_the_state_one_pass_gives() {
        for (name, reading) in [
            ("eventsourcing-bank.sqlite", Reading::Text),
            // Compressed payloads are decoded where the text is read; encrypted ones (no key given here:
            // they stay raw) only by decoding the events.
            ("eventsourcing-compressed.sqlite", Reading::Text),
            ("eventsourcing-encrypted.sqlite", Reading::Events),
        ] {
            let store = sample(name);
            let mut read = 0;
            for summary in store.streams().unwrap() {
                if summary.events < 2 {
                    continue;
                }
                let (halves, readings, one_pass) = halves_and_one_pass(&store, &summary.id);
                assert_eq!(readings, [reading; 2], "{name}");
                // Key order too, as shown.
                assert_eq!(
                    halves.to_string(),
                    one_pass.to_string(),
                    "{name} {}",
                    summary.id
                );
                read += 1;
            }
            assert!(read > 0, "{name}");
        }
    }

    #[test]
    fn a_short_stream_or_one_a_second_connection_cannot_open_is_folded_in_one_pass() {
        let dir = tempfile::tempdir().unwrap();
        let in_halves =
            |store: &Store| deep_merge_in_halves(store, "s", &DeepMerge, None, &mut || {}).unwrap();
        let (_, short) = store(dir.path(), 1_000, true);
        assert!(in_halves(&short).is_none());
        let (path, store) = store(dir.path(), 25_000, true);
        let expected = one_pass(&store);
        // The open connection still reads the file; a second one cannot find it by its name.
        std::fs::rename(&path, dir.path().join("moved.sqlite")).unwrap();
        assert!(in_halves(&store).is_none());
        assert_eq!(state(&store), expected);
    }

    #[test]
    fn the_cut_is_after_the_first_half_of_a_plain_read() {
        let dir = tempfile::tempdir().unwrap();
        for versioned in [true, false] {
            let (_, store) = store(dir.path(), 2_345, versioned);
            let events: Vec<_> = store.read_stream("s").map(Result::unwrap).collect();
            let (half, cut) = store.halfway("s", 100).unwrap().unwrap();
            assert_eq!(half, events.len() / 2);
            assert_eq!(cut, PageCursor::after(&events[half - 1]));
            let second: Vec<_> = store
                .read_stream_after("s", cut)
                .map(|e| e.unwrap().position)
                .collect();
            let expected: Vec<_> = events[half..].iter().map(|e| e.position).collect();
            assert_eq!(second, expected);
            for n in [
                0,
                1,
                1_999,
                2_000,
                2_001,
                half,
                events.len(),
                events.len() + 5,
            ] {
                let first: Vec<_> = store
                    .read_stream("s")
                    .first(n)
                    .map(|e| e.unwrap().position)
                    .collect();
                let expected: Vec<_> = events.iter().take(n).map(|e| e.position).collect();
                assert_eq!(first, expected, "first {n}");
            }
            assert_eq!(store.halfway("s", events.len() + 1).unwrap(), None);
            assert_eq!(store.halfway("nothing", 0).unwrap(), None);
        }
    }
}
