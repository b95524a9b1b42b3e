//! A stream's state folded from its rows, no event made: a jq reducer that reads nothing of an event but
//! its type, position, version and payload gets each payload's JSON text read straight into jaq's value
//! (`Reducer::row_fold`), instead of decoding it into a `serde_json::Value` first, whose maps hash with
//! SipHash, and converting that. Taken only where it gives what folding events gives; the walk folds
//! events otherwise.

use std::ops::ControlFlow;

use serde_json::Value;

use super::WalkError;
use crate::core::replay::jq::Limit;
use crate::core::replay::{Reducer, ReducerError, ReplayError, event_failed};
use crate::core::store::{PageCursor, Store};

#[cfg(test)]
thread_local! {
    /// Streams this thread folded from their rows, for tests to see the path taken.
    static FOLDED_FROM_ROWS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The state after every event of `stream` folded by `reducer` from its rows, calling `progress` once per
/// event folded; `None` when the rows cannot give what the events give (see [`Reducer::row_fold`] and
/// [`Store::payload_reader`]), so the caller folds events.
pub(super) fn state_from_rows(
    store: &Store,
    stream: &str,
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    progress: &mut dyn FnMut(),
) -> Result<Option<Value>, WalkError> {
    let Some(reader) = store.payload_reader(stream)? else {
        return Ok(None);
    };
    if !reader.types_in_rows() {
        return Ok(None);
    }
    let Some(mut fold) = reducer.row_fold(reducer.initial(stream_type), reader.decoder()) else {
        return Ok(None);
    };
    // The cursor before the event folded next, and how many were folded.
    let (mut before, mut index) = (None::<PageCursor>, 0);
    let mut failed: Option<ReducerError> = None;
    reader.each(None, None, &mut |row| {
        if let Err(error) = fold.apply_row(&row) {
            failed = Some(error);
            return ControlFlow::Break(());
        }
        before = Some(row.cursor);
        index += 1;
        progress();
        ControlFlow::Continue(())
    })?;
    let Some(error) = failed else {
        #[cfg(test)]
        FOLDED_FROM_ROWS.with(|folded| folded.set(folded.get() + 1));
        return Ok(Some(fold.into_state()));
    };
    if error.limit == Some(Limit::Cancelled) {
        return Err(ReplayError::Cancelled.into());
    }
    // Named as folding events names it: by the event, read again.
    let mut events = match before {
        Some(cursor) => store.read_stream_after(stream, cursor),
        None => store.read_stream(stream),
    };
    match events.next() {
        Some(event) => Err(event_failed(error, &event?, index).into()),
        None => Err(WalkError::NoEvents {
            stream: stream.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::replay::fold_event_taking;
    use crate::core::replay::reducers::JqReducer;
    use crate::core::testing::sample;

    fn reducer_file(dir: &str) -> JqReducer {
        let path = format!(
            "{}/sample-data/{dir}/reducers.json",
            env!("CARGO_MANIFEST_DIR")
        );
        JqReducer::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    /// The state, or the error, folding the stream's events gives.
    fn by_events(
        store: &Store,
        stream: &str,
        reducer: &dyn Reducer,
        stream_type: Option<&str>,
    ) -> Result<Value, String> {
        let mut fold = reducer.fold(reducer.initial(stream_type));
        for (index, event) in store.read_stream(stream).enumerate() {
            fold_event_taking(fold.as_mut(), &mut event.unwrap(), index)
                .map_err(|e| e.to_string())?;
        }
        Ok(fold.into_state())
    }

    /// For each of the first streams of `name`: whether the rows were folded, and, when they were, that
    /// they gave what the events give.
    fn rows_taken(name: &str, reducer: &dyn Reducer) -> Vec<bool> {
        let store = sample(name);
        let streams = store.streams().unwrap();
        assert!(!streams.is_empty(), "{name}");
        streams
            .iter()
            .take(6)
            .map(|summary| {
                let (id, stream_type) = (&summary.id, summary.stream_type.as_deref());
                let rows = state_from_rows(&store, id, reducer, stream_type, &mut || {})
                    .map_err(|e| e.to_string());
                let events = by_events(&store, id, reducer, stream_type);
                match rows {
                    Ok(None) => false,
                    rows => {
                        assert_eq!(rows.map(Option::unwrap), events, "{name} {id}");
                        true
                    }
                }
            })
            .collect()
    }

    /// `state` of a whole stream folds its rows; a state at a count folds events, to the same state.
    #[test]
    fn the_state_of_a_whole_stream_is_folded_from_its_rows() {
        use crate::core::replay::walk::{Upto, state_upto};
        let bank = reducer_file("eventsourcing");
        let store = sample("eventsourcing-bank.sqlite");
        let streams = store.streams().unwrap();
        let summary = streams.iter().max_by_key(|s| s.events).unwrap();
        let (id, stream_type) = (&summary.id, summary.stream_type.as_deref());
        let folded = || FOLDED_FROM_ROWS.with(std::cell::Cell::get);
        let before = folded();
        let whole = state_upto(&store, id, &bank, stream_type, Upto::End).unwrap();
        assert_eq!(folded(), before + 1, "the whole stream from its rows");
        let count = Upto::Count(store.read_stream(id).count());
        let counted = state_upto(&store, id, &bank, stream_type, count).unwrap();
        assert_eq!(folded(), before + 1, "a count from events");
        assert_eq!(whole.to_string(), counted.to_string());
    }

    #[test]
    fn folding_rows_gives_the_states_folding_events_gives_where_it_is_taken() {
        let bank = reducer_file("eventsourcing");
        for name in [
            "eventsourcing-bank.sqlite",
            "eventsourcing-compressed.sqlite",
        ] {
            assert!(rows_taken(name, &bank).iter().all(|&t| t), "{name}");
        }
        // Encrypted payloads are read only by decoding them, binary formats likewise; a store of several
        // event tables has no payload reader.
        for (name, dir) in [
            ("eventsourcing-sqlalchemy.sqlite", "eventsourcing"),
            ("eventsourcing-encrypted.sqlite", "eventsourcing"),
            ("eventsourcing-encrypted-compressed.sqlite", "eventsourcing"),
            ("msgpack.sqlite", "msgpack"),
            ("cbor.sqlite", "cbor"),
        ] {
            assert!(
                !rows_taken(name, &reducer_file(dir)).iter().any(|&t| t),
                "{name}"
            );
        }
    }

    #[test]
    fn a_reducer_reading_the_type_position_version_and_whole_payload_is_fed_rows() {
        let reducer = JqReducer::from_json(
            r#"{"reducers": {"*": ".seen += [[$event.type, $event.position, $event.version, $event.data]]"}}"#,
        )
        .unwrap();
        for name in [
            "eventsourcing-bank.sqlite",
            "shop.sqlite",
            "single_log.sqlite",
        ] {
            let taken = rows_taken(name, &reducer);
            assert!(taken.iter().all(|&t| t), "{name} {taken:?}");
        }
    }

    #[test]
    fn a_reducer_reading_more_of_an_event_than_its_row_holds_is_fed_events() {
        for field in [
            "time",
            "metadata",
            "id",
            "stream",
            "stored_payload",
            "stored_time",
        ] {
            let reducer = JqReducer::from_json(&format!(
                r#"{{"reducers": {{"*": ".n += 1", "Deposited": ".x = $event.{field}"}}}}"#
            ))
            .unwrap();
            let taken = rows_taken("eventsourcing-bank.sqlite", &reducer);
            assert!(!taken.iter().any(|&t| t), "{field}");
        }
        let whole =
            JqReducer::from_json(r#"{"reducers": {"*": ".e = ($event | .data)"}}"#).unwrap();
        assert!(
            !rows_taken("eventsourcing-bank.sqlite", &whole)
                .iter()
                .any(|&t| t)
        );
    }

    #[test]
    fn a_type_read_from_decoded_payloads_is_not_a_rows_type() {
        // The type of each event read from its compressed payload, where a row has none.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample-data/eventsourcing-compressed.sqlite");
        let mut mapping = sample("eventsourcing-compressed.sqlite").mapping().clone();
        mapping.event_type = Some(crate::core::layout::Source::Json {
            column: mapping.data.clone().unwrap(),
            path: "$.originator_topic".to_owned(),
        });
        let store = Store::open(&path, Some(mapping)).unwrap();
        let reducer = JqReducer::from_json(
            r#"{"reducers": {"*": ".n += 1", "BankAccount": ".opened = true"}}"#,
        )
        .unwrap();
        for summary in store.streams().unwrap().iter().take(3) {
            let rows = state_from_rows(&store, &summary.id, &reducer, None, &mut || {}).unwrap();
            assert_eq!(rows, None, "{}", summary.id);
            let events = by_events(&store, &summary.id, &reducer, None).unwrap();
            assert_eq!(events["opened"], true, "{events}");
        }
    }

    #[test]
    fn a_reducer_failing_on_a_row_fails_as_on_its_event() {
        // Fails on the first Withdrawn event, some way into each stream, and on the first event of others.
        for program in [
            r#"{"reducers": {"*": ".n += 1", "Withdrawn": ".x = ($event.data.amount | error)"}}"#,
            r#"{"reducers": {"*": "error(\"at \\($event.position)\")"}}"#,
        ] {
            let reducer = JqReducer::from_json(program).unwrap();
            let store = sample("eventsourcing-bank.sqlite");
            let mut failed = 0;
            for summary in store.streams().unwrap().iter().take(4) {
                let id = &summary.id;
                let rows = state_from_rows(&store, id, &reducer, None, &mut || {})
                    .map(Option::unwrap)
                    .map_err(|e| e.to_string());
                failed += usize::from(rows.is_err());
                assert_eq!(rows, by_events(&store, id, &reducer, None), "{id}");
            }
            assert!(failed > 0, "{program}");
        }
    }
}
