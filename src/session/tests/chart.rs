//! The chart's series through the session: every event's number equal to the state at that cursor, read
//! again when the reducers or the stream change.

use super::{DE_0001, bank_reducers, open_stream, state, wait};
use crate::core::replay::series::{Series, numeric};
use crate::session::{Command, Session};
use std::sync::Arc;

/// The chart's series of the stream shown, checked to be for it.
fn charted(session: &Session) -> Arc<[Series]> {
    let (serial, result) = session.chart().unwrap().series().unwrap();
    assert_eq!(serial, session.stream().unwrap().loaded.serial);
    Arc::clone(result.as_ref().unwrap())
}

#[test]
fn a_charted_field_holds_the_replayed_number_after_every_event() {
    let mut session = open_stream("eventsourcing-bank.sqlite", DE_0001);
    session.apply(Command::SetReducers(Some(bank_reducers())));
    wait(&mut session);
    session.apply(Command::ChartField("/balance".to_owned()));
    session.apply(Command::ChartField("/overdraft_limit".to_owned()));
    session.apply(Command::ChartField("/balance".to_owned()));
    wait(&mut session);
    let series = charted(&session);
    assert_eq!(series.len(), 2, "a field charted twice is one line");
    let len = session.stream().unwrap().loaded.events.len();
    assert_eq!(series[0].len(), len as u64);
    assert!(series[0].exact());
    for i in 0..len {
        session.apply(Command::JumpTo(i));
        let state = state(&session);
        for one in series.iter() {
            let expected = state.pointer(one.path()).and_then(numeric);
            assert_eq!(
                one.value_after(i as u64),
                expected,
                "{} after event {}",
                one.path(),
                i + 1
            );
        }
    }
    assert_eq!(series[0].value_after(len as u64 - 1), Some(4299.28));

    // Other reducers: the chart is read again with them.
    session.apply(Command::SetReducers(None));
    wait(&mut session);
    let merged = charted(&session);
    session.apply(Command::JumpTo(len - 1));
    assert_eq!(
        merged[0].value_after(len as u64 - 1),
        state(&session).pointer("/balance").and_then(numeric)
    );

    // A name that is not a JSON Pointer is refused with one message saying how to write it.
    session.apply(Command::ChartField("balance".to_owned()));
    assert_eq!(charted(&session).len(), 2);
    let shown = session.error().unwrap_or_default().to_owned();
    assert!(shown.contains("such as /balance"), "{shown}");

    // Taking the last field off closes the chart.
    session.apply(Command::UnchartField("/overdraft_limit".to_owned()));
    wait(&mut session);
    assert_eq!(charted(&session).len(), 1);
    session.apply(Command::UnchartField("/balance".to_owned()));
    assert!(session.chart().is_none());
}

#[test]
fn the_chart_stays_on_its_fields_when_another_stream_is_selected() {
    let mut session = open_stream("eventsourcing-bank.sqlite", DE_0001);
    session.apply(Command::SetReducers(Some(bank_reducers())));
    wait(&mut session);
    session.apply(Command::ChartField("/balance".to_owned()));
    wait(&mut session);
    let first = charted(&session);
    let other = session
        .streams()
        .all()
        .unwrap()
        .iter()
        .map(|s| s.id.to_owned())
        .find(|id| id != DE_0001)
        .unwrap();
    session.apply(Command::SelectStream(other));
    wait(&mut session);
    let second = charted(&session);
    assert_eq!(second[0].path(), "/balance");
    assert_ne!(second[0].len(), 0);
    assert!(!Arc::ptr_eq(&first, &second));
}
